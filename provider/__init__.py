"""terraform-provider-sevalla, the bottom layer: the API client, settings, logs, diagnostics, the
provider's own schema and the glue to pyvider (`runtime`, `pyvider_patches`).

Nothing here imports `resources` or `data_sources`; the plugin is assembled above them, in
`warm.plugin` (pyvider's entry point).
"""
