data "sevalla_clusters" "all" {}

output "cluster_locations" {
  value = { for cluster in data.sevalla_clusters.all.clusters : cluster.display_name => cluster.location }
}
