# Import ID: <pipeline_id>/<stage_id>
terraform import sevalla_pipeline_stage.staging <pipeline_id>/<stage_id>
