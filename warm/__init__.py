"""Fast provider starts: a tiny launcher and a pre-forked warm server (issue 6).

Terraform starts a provider 3-5 times per command. A Python provider spends ~0.3 s of each
start importing pyvider and its dependencies, so the start is done once, by a warm process
that has everything imported and forks a fresh child for every Terraform start.

- `warm.launcher` -- what Terraform executes (via the wrapper from `devtools.install`): standard
  library only, run isolated without site-packages (`launcher.command`). It asks the warm server for a child, hands over its
  stdio, argv, environment and working directory, and exits with the child's exit code. With no
  usable warm server it starts the provider the normal way and spawns one for next time.
- `warm.server` -- the warm process: imports, listens on a private unix socket, forks.
- `warm.entry` -- the provider's own entry (pyvider's CLI plus a prompt exit once Terraform has
  closed the plugin), used by forked children and by the launcher's fallback start.
- `warm.plugin` -- the plugin's registration, pyvider's entry point: the layer above `provider`,
  `resources` and `data_sources` that assembles them. Not a fast-start feature: every start
  imports it.

`SEVALLA_PROVIDER_WARM=0` turns the launcher, the warm server and the prompt exit off: the wrapper
then execs pyvider's console script (which still registers the plugin through `warm.plugin`).
"""
