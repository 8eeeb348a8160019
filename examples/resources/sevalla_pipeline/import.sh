# Import ID: <id>
terraform import sevalla_pipeline.example <pipeline_id>
