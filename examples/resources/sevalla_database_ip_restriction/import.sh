# Import ID: <database_id>
terraform import sevalla_database_ip_restriction.example <database_id>
