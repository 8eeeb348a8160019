# Import ID: <api_key_id> (the token cannot be imported: the API only returns it at creation)
terraform import sevalla_api_key.example <api_key_id>
