# Import ID: <object_storage_id>/<cors_policy_id>
terraform import sevalla_object_storage_cors_policy.example <object_storage_id>/<cors_policy_id>
