# Import ID: <application_id>/<process_id>
terraform import sevalla_application_process.worker <application_id>/<process_id>
