data "sevalla_clusters" "all" {}

resource "sevalla_application" "example" {
  display_name = "example-app"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:latest"
}

resource "sevalla_application_domain" "example" {
  application_id = sevalla_application.example.id
  name           = "app.example.com"
}

resource "sevalla_application_domain" "wildcard" {
  application_id = sevalla_application.example.id
  name           = "*.example.com"
  is_wildcard    = true
}
