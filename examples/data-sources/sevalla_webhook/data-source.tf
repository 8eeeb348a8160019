resource "sevalla_webhook" "example" {
  endpoint       = "https://hooks.example.com/sevalla"
  allowed_events = ["APP_CREATE", "APP_DELETE"]
}

data "sevalla_webhook" "example" {
  id = sevalla_webhook.example.id
}

output "webhook_enabled" {
  value = data.sevalla_webhook.example.is_enabled
}
