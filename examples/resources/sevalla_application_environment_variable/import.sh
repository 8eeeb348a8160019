# Import ID: <application_id>/<env_var_id>
terraform import sevalla_application_environment_variable.example <application_id>/<env_var_id>
