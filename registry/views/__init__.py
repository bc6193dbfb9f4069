"""`/v2/` views: one module per resource, all on `base.RegistryView`."""
