resource "sevalla_pipeline" "example" {
  display_name = "example-pipeline"
  type         = "trunk"
}

data "sevalla_pipeline" "example" {
  id = sevalla_pipeline.example.id
}

output "pipeline_type" {
  value = data.sevalla_pipeline.example.type
}
