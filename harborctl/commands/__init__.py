"""One module per command group; `harborctl.main` mounts them on the root command."""
