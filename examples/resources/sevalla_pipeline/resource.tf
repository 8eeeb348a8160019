resource "sevalla_pipeline" "example" {
  display_name = "example-pipeline"
  type         = "trunk" # or branch
}
