data "sevalla_api_key_roles" "all" {}

output "roles" {
  value = { for role in data.sevalla_api_key_roles.all.roles : role.name => role.permissions }
}
