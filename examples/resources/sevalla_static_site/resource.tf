resource "sevalla_static_site" "example" {
  display_name        = "example-site"
  repo_url            = "https://github.com/example/site"
  default_branch      = "main"
  install_command     = "npm ci"
  build_command       = "npm run build"
  published_directory = "dist"
  node_version        = "20"
}

output "site_hostname" {
  value = sevalla_static_site.example.hostname
}
