"""The registry's part of Harbor's REST API v2.0: repositories, artifacts, tags, accessories,
additions and search. Views are thin: they ask `permissions.require()`, call `services`, and
shape JSON in `presenters`."""
