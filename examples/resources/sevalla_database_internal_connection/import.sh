# Import ID: <database_id>/<connection_id>
terraform import sevalla_database_internal_connection.example <database_id>/<connection_id>
