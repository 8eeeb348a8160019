data "sevalla_clusters" "all" {}

resource "sevalla_application" "example" {
  display_name = "example-app"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:latest"
}

data "sevalla_process_resource_types" "all" {}

# Every application already has a default "web" process; this adds a worker.
resource "sevalla_application_process" "worker" {
  application_id   = sevalla_application.example.id
  display_name     = "Queue worker"
  type             = "worker"
  entrypoint       = "node worker.js"
  resource_type_id = data.sevalla_process_resource_types.all.process_resource_types[0].id

  scaling_strategy = {
    type               = "horizontal"
    min_instance_count = 1
    max_instance_count = 3
    target_cpu_percent = 75
  }

  liveness_probe = {
    exec           = { command = ["sh", "-c", "test -f /tmp/alive"] }
    period_seconds = 30
  }
}

resource "sevalla_application_process" "cron" {
  application_id   = sevalla_application.example.id
  display_name     = "Nightly report"
  type             = "cron"
  schedule         = "0 3 * * *"
  time_zone        = "Europe/Berlin"
  entrypoint       = "node report.js"
  resource_type_id = data.sevalla_process_resource_types.all.process_resource_types[0].id
  scaling_strategy = { type = "manual", instance_count = 1 }
}
