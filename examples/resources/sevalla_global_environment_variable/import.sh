# Import ID: <env_var_id>
terraform import sevalla_global_environment_variable.example <env_var_id>
