resource "sevalla_object_storage" "example" {
  display_name = "example-uploads"
}

resource "sevalla_object_storage_cors_policy" "example" {
  object_storage_id = sevalla_object_storage.example.id
  allowed_origins   = ["https://www.example.com"]
  allowed_methods   = ["GET", "PUT"]
  allowed_headers   = ["Content-Type"]
}
