data "sevalla_clusters" "all" {}

resource "sevalla_application" "example" {
  display_name   = "example-app"
  cluster_id     = data.sevalla_clusters.all.clusters[0].id
  source         = "publicGit"
  repo_url       = "https://github.com/sevalla-templates/nodejs-hello-world"
  default_branch = "main"

  # Deploy after every create and every change of the application.
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.sevalla_application_deploy.example]
    }
  }
}

# Or by hand: terraform apply -invoke=action.sevalla_application_deploy.example
action "sevalla_application_deploy" "example" {
  config {
    application_id = sevalla_application.example.id
    branch         = "main"
    timeout        = "20m"
  }
}
