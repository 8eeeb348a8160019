variable "registry_token" {
  description = "Token for the registry (set TF_VAR_registry_token; the default is a placeholder)."
  type        = string
  sensitive   = true
  default     = "example-token"
}

resource "sevalla_docker_registry" "example" {
  name     = "example-ghcr"
  registry = "github"
  username = "example-bot"
  secret   = var.registry_token
}

# An application pulling a private image with these credentials.
data "sevalla_clusters" "all" {}

resource "sevalla_application" "private_image" {
  display_name                  = "example-private-image"
  cluster_id                    = data.sevalla_clusters.all.clusters[0].id
  source                        = "dockerImage"
  docker_image                  = "ghcr.io/example/app:latest"
  docker_registry_credential_id = sevalla_docker_registry.example.id
}
