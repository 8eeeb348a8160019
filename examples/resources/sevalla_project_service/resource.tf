resource "sevalla_project" "example" {
  display_name = "example-shop"
}

resource "sevalla_object_storage" "assets" {
  display_name = "example-shop-assets"
}

# Attaches the bucket to the project. service_type, e.g. app, database, static-site,
# object-storage, pipeline, load-balancer (the API's set is not documented).
resource "sevalla_project_service" "assets" {
  project_id   = sevalla_project.example.id
  service_id   = sevalla_object_storage.assets.id
  service_type = "object-storage"
}
