resource "sevalla_docker_registry" "example" {
  name     = "example-hub"
  username = "example-bot"
  secret   = "example-token"
}

# The secret is never returned by the API: it is null here.
data "sevalla_docker_registry" "example" {
  id = sevalla_docker_registry.example.id
}

output "registry_type" {
  value = data.sevalla_docker_registry.example.registry
}
