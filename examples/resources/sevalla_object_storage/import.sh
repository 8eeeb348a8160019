# Import ID: <object_storage_id>
terraform import sevalla_object_storage.example <object_storage_id>
