data "sevalla_process_resource_types" "all" {}

output "process_sizes" {
  value = { for size in data.sevalla_process_resource_types.all.process_resource_types : size.name => size.id }
}
