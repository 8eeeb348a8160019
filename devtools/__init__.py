"""Developer tooling: the Terraform shim, provider installation, and finding Terraform."""
