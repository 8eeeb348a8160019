resource "sevalla_static_site" "example" {
  display_name   = "example-site"
  repo_url       = "https://github.com/example/site"
  default_branch = "main"
}

resource "sevalla_static_site_environment_variable" "example" {
  static_site_id = sevalla_static_site.example.id
  key            = "PUBLIC_API_URL"
  value          = "https://api.example.com"
  is_preview     = false
}
