# Import ID: <static_site_id>/<domain_id>
terraform import sevalla_static_site_domain.example <static_site_id>/<domain_id>
