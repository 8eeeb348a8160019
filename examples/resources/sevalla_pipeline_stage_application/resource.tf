data "sevalla_clusters" "all" {}

resource "sevalla_application" "example" {
  display_name = "example-app"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:latest"
}

resource "sevalla_pipeline" "example" {
  display_name = "example-pipeline"
  type         = "trunk"
}

resource "sevalla_pipeline_stage" "production" {
  pipeline_id   = sevalla_pipeline.example.id
  name          = "Production"
  insert_before = 0
}

resource "sevalla_pipeline_stage_application" "example" {
  pipeline_id    = sevalla_pipeline.example.id
  stage_id       = sevalla_pipeline_stage.production.id
  application_id = sevalla_application.example.id
}
