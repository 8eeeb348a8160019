# Import ID: <pipeline_id>/<stage_id>/<application_id>
terraform import sevalla_pipeline_stage_application.example <pipeline_id>/<stage_id>/<application_id>
