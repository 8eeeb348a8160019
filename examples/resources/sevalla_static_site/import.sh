# Import ID: <static_site_id>
terraform import sevalla_static_site.example <static_site_id>
