data "sevalla_static_sites" "all" {}

output "static_site_names" {
  value = [for site in data.sevalla_static_sites.all.static_sites : site.name]
}
