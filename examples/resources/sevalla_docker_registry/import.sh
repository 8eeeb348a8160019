# Import ID: <docker_registry_id>
# The API never returns the secret: the next apply sets it from the configuration.
terraform import sevalla_docker_registry.example <docker_registry_id>
