data "sevalla_clusters" "all" {}

resource "sevalla_application" "example" {
  display_name = "example-app"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:latest"
}

variable "release" {
  type    = string
  default = "2025-01-30"
}

# Deploys when created and whenever a trigger changes; waits until the deployment ends.
resource "sevalla_application_deployment" "example" {
  application_id = sevalla_application.example.id
  is_restart     = false
  triggers       = { release = var.release }
  timeouts       = { create = "20m" }
}
