# Import ID: <database_id>
terraform import sevalla_database.example <database_id>
