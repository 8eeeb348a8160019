# Inherited by every application of the company (an application's own variable overrides it).
resource "sevalla_global_environment_variable" "example" {
  key   = "LOG_LEVEL"
  value = "info"
}
