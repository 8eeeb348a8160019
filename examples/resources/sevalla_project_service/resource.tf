resource "sevalla_project" "example" {
  display_name = "example-shop"
}

resource "sevalla_object_storage" "assets" {
  display_name = "example-shop-assets"
}

# Attaches the bucket to the project. service_type: app, database, static-site,
# object-storage, pipeline or load-balancer.
resource "sevalla_project_service" "assets" {
  project_id   = sevalla_project.example.id
  service_id   = sevalla_object_storage.assets.id
  service_type = "object-storage"
}
