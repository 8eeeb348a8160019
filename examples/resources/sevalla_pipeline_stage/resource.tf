resource "sevalla_pipeline" "example" {
  display_name = "example-pipeline"
  type         = "trunk"
}

resource "sevalla_pipeline_stage" "staging" {
  pipeline_id   = sevalla_pipeline.example.id
  name          = "Staging"
  insert_before = 0
  branch        = "main"
}

resource "sevalla_pipeline_stage" "production" {
  pipeline_id   = sevalla_pipeline.example.id
  name          = "Production"
  insert_before = 1 # after staging
  depends_on    = [sevalla_pipeline_stage.staging]
}
