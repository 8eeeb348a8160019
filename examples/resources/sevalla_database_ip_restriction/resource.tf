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

# Destroying it disables the restriction (is_enabled = false, empty ip_list).
resource "sevalla_database_ip_restriction" "example" {
  database_id = sevalla_database.example.id
  type        = "allow"
  is_enabled  = true
  ip_list     = ["203.0.113.0/24", "198.51.100.7"]
}
