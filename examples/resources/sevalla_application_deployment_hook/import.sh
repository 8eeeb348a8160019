# Import ID: <application_id>
terraform import sevalla_application_deployment_hook.example <application_id>
