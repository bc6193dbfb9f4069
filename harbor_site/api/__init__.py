"""The Harbor-compatible REST API (`/api/v2.0/`): the shared machinery every app's API uses.

Harbor's conventions (harbor.md §3.1) live here once: authentication, the one
permission check, the error body, `page`/`page_size` paging with
`X-Total-Count` and `Link`, and the `q=`/`sort=` query syntax.
"""
