resource "sevalla_load_balancer" "example" {
  display_name = "example-lb"
}

data "sevalla_load_balancer" "example" {
  id = sevalla_load_balancer.example.id
}

output "load_balancer_type" {
  value = data.sevalla_load_balancer.example.type
}
