resource "sevalla_load_balancer" "example" {
  display_name = "example-lb"
}

resource "sevalla_load_balancer_domain" "example" {
  load_balancer_id = sevalla_load_balancer.example.id
  name             = "www.example.com"
}
