"""Harbor's `/users`, `/usergroups` and `/ldap` API (v2.0).

Views (`users`, `current`, `usergroups`, `directory_views`) stay thin: they ask
`harbor_site.api.permissions` who may call them, parse the request and hand the
work to `services` (local accounts and groups) and `directory` (the LDAP
look-ups and onboarding), which publish the audit events.
"""
