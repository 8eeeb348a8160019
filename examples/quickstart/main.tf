# Quickstart: an application with environment variables, a database, and look-ups.
# `make demo` runs it against the local emulator; with SEVALLA_API_KEY set (and no
# SEVALLA_API_URL) the same files talk to the real Sevalla API.
terraform {
  required_providers {
    sevalla = {
      source = "terraform.local/sevalla/sevalla"
    }
  }
}

# api_key and the API URL come from SEVALLA_API_KEY and SEVALLA_API_URL.
provider "sevalla" {}

data "sevalla_clusters" "all" {}

data "sevalla_database_resource_types" "all" {}

locals {
  cluster_id = data.sevalla_clusters.all.clusters[0].id
  db_size_id = data.sevalla_database_resource_types.all.database_resource_types[0].id
}

resource "sevalla_application" "web" {
  display_name   = "quickstart-web"
  cluster_id     = local.cluster_id
  source         = "publicGit"
  repo_url       = "https://github.com/sevalla-templates/nodejs-hello-world"
  default_branch = "main"
}

resource "sevalla_application_environment_variable" "env" {
  for_each = {
    NODE_ENV  = "production"
    LOG_LEVEL = "info"
  }
  application_id = sevalla_application.web.id
  key            = each.key
  value          = each.value
}

resource "sevalla_database" "db" {
  display_name     = "quickstart-db"
  type             = "postgresql"
  version          = "16"
  cluster_id       = local.cluster_id
  resource_type_id = local.db_size_id
  db_name          = "quickstart"
  db_password      = "change-me-please"
}

resource "sevalla_application_environment_variable" "database_url" {
  application_id = sevalla_application.web.id
  key            = "DATABASE_HOST"
  value          = "${sevalla_database.db.internal_hostname}:${sevalla_database.db.internal_port}"
}

data "sevalla_application" "web" {
  id = sevalla_application.web.id
}

output "application" {
  value = {
    id        = sevalla_application.web.id
    name      = data.sevalla_application.web.name
    status    = data.sevalla_application.web.status
    cluster   = data.sevalla_clusters.all.clusters[0].display_name
    env_vars  = sort(concat(keys(sevalla_application_environment_variable.env), [sevalla_application_environment_variable.database_url.key]))
  }
}

output "database" {
  value = {
    id       = sevalla_database.db.id
    status   = sevalla_database.db.status
    hostname = sevalla_database.db.internal_hostname
    port     = sevalla_database.db.internal_port
  }
}
