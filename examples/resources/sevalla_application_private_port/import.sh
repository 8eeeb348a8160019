# Import ID: <application_id>/<private_port_id>
terraform import sevalla_application_private_port.example <application_id>/<private_port_id>
