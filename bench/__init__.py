"""Start-up benchmark for the provider (`make bench-startup`): see bench/__main__.py."""
