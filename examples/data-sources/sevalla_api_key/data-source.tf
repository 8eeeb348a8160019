resource "sevalla_api_key" "example" {
  name         = "example-key"
  capabilities = [{ permission = "application:read" }]
}

data "sevalla_api_key" "example" {
  id = sevalla_api_key.example.id
}

output "api_key_enabled" {
  value = data.sevalla_api_key.example.enabled
}
