# Every Sevalla object the API key can see, one list block per type (Terraform >= 1.14):
#   terraform query -generate-config-out=generated.tf
# writes a resource and an import block for each; `terraform plan` then only imports.
# Narrow a list with its config block, e.g. config { display_name = "shop-*" } or
# config { application_id = "..." } for an application's children.

list "sevalla_api_key" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_application" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_application_deployment_hook" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_application_domain" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_application_environment_variable" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_application_ip_restriction" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_application_private_port" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_application_process" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_application_tcp_proxy" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_database" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_database_internal_connection" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_database_ip_restriction" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_docker_registry" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_global_environment_variable" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_load_balancer" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_load_balancer_destination" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_load_balancer_domain" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_object_storage" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_object_storage_cors_policy" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_pipeline" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_pipeline_stage" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_pipeline_stage_application" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_project" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_project_service" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_static_site" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_static_site_domain" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_static_site_environment_variable" "all" {
  provider         = sevalla
  include_resource = true
}

list "sevalla_webhook" "all" {
  provider         = sevalla
  include_resource = true
}
