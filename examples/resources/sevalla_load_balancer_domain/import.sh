# Import ID: <load_balancer_id>/<domain_id>
terraform import sevalla_load_balancer_domain.example <load_balancer_id>/<domain_id>
