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

# terraform apply -invoke=action.sevalla_database_activate.example
action "sevalla_database_activate" "example" {
  config {
    database_id = sevalla_database.example.id
    timeout     = "15m"
  }
}
