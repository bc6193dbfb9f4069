"""Framework-free OCI helpers: digests, names, media types, manifests, errors.

Nothing here imports Django, so these rules are unit-tested on their own and
shared by the registry views, the services and, later, replication.
"""
