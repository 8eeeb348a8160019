# Import ID: <project_id>/<service_id>
terraform import sevalla_project_service.assets <project_id>/<service_id>
