data "sevalla_api_key_roles" "all" {}

resource "sevalla_api_key" "example" {
  name       = "ci-deployments"
  expires_at = "2030-01-01T00:00:00Z" # optional: never expires when unset
  role_ids   = [for role in data.sevalla_api_key_roles.all.roles : role.id if role.name == "viewer"]

  # Permissions granted directly; id_resource limits one to a single object.
  capabilities = [
    { permission = "application:write" },
    { permission = "database:read", id_resource = "00000000-0000-4000-8000-000000000000" },
  ]
}

# The token is only returned when the key is created; it is kept in state (sensitive).
output "api_key_token" {
  value     = sevalla_api_key.example.token
  sensitive = true
}
