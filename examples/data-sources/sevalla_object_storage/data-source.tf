resource "sevalla_object_storage" "example" {
  display_name = "example-assets"
}

data "sevalla_object_storage" "example" {
  id = sevalla_object_storage.example.id
}

output "bucket_name" {
  value = data.sevalla_object_storage.example.bucket_name
}
