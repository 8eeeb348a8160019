# Import ID: <project_id>
terraform import sevalla_project.example <project_id>
