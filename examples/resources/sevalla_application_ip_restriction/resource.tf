data "sevalla_clusters" "all" {}

resource "sevalla_application" "example" {
  display_name = "example-app"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:latest"
}

# Destroying it disables the restriction (is_enabled = false, empty ip_list).
resource "sevalla_application_ip_restriction" "example" {
  application_id = sevalla_application.example.id
  type           = "allow"
  is_enabled     = true
  ip_list        = ["203.0.113.0/24", "198.51.100.7"]
}
