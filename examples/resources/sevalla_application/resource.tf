data "sevalla_clusters" "all" {}

resource "sevalla_application" "example" {
  display_name   = "example-app"
  cluster_id     = data.sevalla_clusters.all.clusters[0].id
  source         = "publicGit"
  repo_url       = "https://github.com/sevalla-templates/nodejs-hello-world"
  default_branch = "main"
  build_type     = "nixpacks"

  nixpacks_version    = "1.21.0"
  hibernation_enabled = true
}
