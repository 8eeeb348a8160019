data "sevalla_clusters" "all" {}

resource "sevalla_application" "example" {
  display_name = "example-app"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:latest"
}

data "sevalla_application" "example" {
  id = sevalla_application.example.id
}

output "application_status" {
  value = data.sevalla_application.example.status
}
