resource "sevalla_load_balancer" "example" {
  display_name = "example-lb"
  type         = "GEO" # or DEFAULT (by weight)
}
