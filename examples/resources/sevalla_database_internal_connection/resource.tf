data "sevalla_clusters" "all" {}

data "sevalla_database_resource_types" "all" {}

resource "sevalla_database" "example" {
  display_name     = "example-db"
  type             = "postgresql"
  version          = "16"
  cluster_id       = data.sevalla_clusters.all.clusters[0].id
  resource_type_id = data.sevalla_database_resource_types.all.database_resource_types[0].id
  db_name          = "example"
  db_password      = "change-me-please" # use a variable marked sensitive in real configurations
}

resource "sevalla_application" "example" {
  display_name = "example-app"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:latest"
}

# Lets the application reach the database inside the cluster (internal_hostname:internal_port).
resource "sevalla_database_internal_connection" "example" {
  database_id = sevalla_database.example.id
  target_id   = sevalla_application.example.id
  target_type = "app" # or "database"
}
