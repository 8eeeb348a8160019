data "sevalla_clusters" "all" {}

resource "sevalla_application" "example" {
  display_name = "example-app"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:latest"
}

resource "sevalla_load_balancer" "example" {
  display_name = "example-lb"
}

# Traffic to an application of this company...
resource "sevalla_load_balancer_destination" "app" {
  load_balancer_id = sevalla_load_balancer.example.id
  service_type     = "APP"
  service_id       = sevalla_application.example.id
  weight           = 80
}

# ...and to an external URL.
resource "sevalla_load_balancer_destination" "external" {
  load_balancer_id = sevalla_load_balancer.example.id
  service_type     = "EXTERNAL"
  url              = "https://backup.example.com"
  weight           = 20
}
