terraform {
  required_providers {
    sevalla = {
      source = "terraform.local/sevalla/sevalla"
    }
  }
}

provider "sevalla" {
  # Or set SEVALLA_API_KEY; the provider block wins over the environment.
  api_key = var.sevalla_api_key
}

variable "sevalla_api_key" {
  type      = string
  sensitive = true
}
