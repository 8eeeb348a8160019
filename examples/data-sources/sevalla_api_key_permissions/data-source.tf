data "sevalla_api_key_permissions" "all" {}

output "application_permissions" {
  value = [for p in data.sevalla_api_key_permissions.all.permissions : p.name if p.resource == "application"]
}
