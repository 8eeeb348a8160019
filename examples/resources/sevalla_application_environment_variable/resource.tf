data "sevalla_clusters" "all" {}

resource "sevalla_application" "example" {
  display_name = "example-app"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:latest"
}

resource "sevalla_application_environment_variable" "example" {
  application_id = sevalla_application.example.id
  key            = "NODE_ENV"
  value          = "production"
  is_buildtime   = false
}
