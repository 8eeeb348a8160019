# The provider for `terraform query` (examples/onboarding/README.md); the generated resources
# and import blocks go to generated.tf beside this file.
terraform {
  required_version = ">= 1.14"
  required_providers {
    sevalla = { source = "terraform.local/sevalla/sevalla" }
  }
}

provider "sevalla" {}
