# Import ID: <application_id>/<domain_id>
terraform import sevalla_application_domain.example <application_id>/<domain_id>
