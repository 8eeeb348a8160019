# Import ID: <application_id>
terraform import sevalla_application.example <application_id>
