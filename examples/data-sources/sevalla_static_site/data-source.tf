resource "sevalla_static_site" "example" {
  display_name   = "example-site"
  repo_url       = "https://github.com/example/site"
  default_branch = "main"
}

data "sevalla_static_site" "example" {
  id = sevalla_static_site.example.id
}

output "site_status" {
  value = data.sevalla_static_site.example.status
}
