data "sevalla_clusters" "all" {}

resource "sevalla_application" "example" {
  display_name = "example-app"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:latest"
}

# terraform apply -invoke=action.sevalla_application_suspend.example
action "sevalla_application_suspend" "example" {
  config {
    application_id = sevalla_application.example.id
  }
}
