resource "sevalla_project" "example" {
  display_name = "example-shop"
}

data "sevalla_project" "example" {
  id = sevalla_project.example.id
}

output "project_display_name" {
  value = data.sevalla_project.example.display_name
}
