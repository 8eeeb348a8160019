data "sevalla_database_resource_types" "all" {}

output "database_sizes" {
  value = { for size in data.sevalla_database_resource_types.all.database_resource_types : size.name => size.storage_limit }
}
