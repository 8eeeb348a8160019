# Import ID: <load_balancer_id>/<destination_id>
terraform import sevalla_load_balancer_destination.app <load_balancer_id>/<destination_id>
