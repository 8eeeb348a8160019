# Import ID: <webhook_id>
terraform import sevalla_webhook.deploys <webhook_id>
