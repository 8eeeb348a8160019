# Import ID: <application_id>/<tcp_proxy_id>
terraform import sevalla_application_tcp_proxy.example <application_id>/<tcp_proxy_id>
