resource "sevalla_project" "example" {
  display_name = "example-shop"
}

output "project_name" {
  value = sevalla_project.example.name
}
