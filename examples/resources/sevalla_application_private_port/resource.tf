data "sevalla_clusters" "all" {}

resource "sevalla_application" "example" {
  display_name = "example-app"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:latest"
}

data "sevalla_process_resource_types" "all" {}

resource "sevalla_application_process" "example" {
  application_id   = sevalla_application.example.id
  display_name     = "Database proxy"
  type             = "worker"
  resource_type_id = data.sevalla_process_resource_types.all.process_resource_types[0].id
  scaling_strategy = { type = "manual", instance_count = 1 }
}

resource "sevalla_application_private_port" "example" {
  application_id = sevalla_application.example.id
  process_id     = sevalla_application_process.example.id
  port           = 5432
}
