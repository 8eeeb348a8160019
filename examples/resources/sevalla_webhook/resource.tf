resource "sevalla_webhook" "deploys" {
  endpoint       = "https://hooks.example.com/sevalla"
  allowed_events = ["APP_DEPLOY", "STATIC_SITE_DEPLOY"]
  description    = "Deployment notifications"
}

output "webhook_secret" {
  value     = sevalla_webhook.deploys.secret
  sensitive = true
}
