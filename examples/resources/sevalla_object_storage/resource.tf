resource "sevalla_object_storage" "example" {
  display_name  = "example-assets"
  location      = "weur"
  jurisdiction  = "eu"
  public_access = true
}

output "bucket_endpoint" {
  value = sevalla_object_storage.example.endpoint
}
