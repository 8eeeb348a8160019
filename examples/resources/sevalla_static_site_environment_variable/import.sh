# Import ID: <static_site_id>/<env_var_id>
terraform import sevalla_static_site_environment_variable.example <static_site_id>/<env_var_id>
