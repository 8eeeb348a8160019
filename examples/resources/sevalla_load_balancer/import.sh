# Import ID: <id>
terraform import sevalla_load_balancer.example <load_balancer_id>
