# Import ID: <application_id>
terraform import sevalla_application_ip_restriction.example <application_id>
