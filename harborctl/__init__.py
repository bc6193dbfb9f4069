"""harborctl: a command-line client for Harbor's `/api/v2.0` REST API.

It talks to any Harbor-compatible server (this project or goharbor/harbor), so it
only uses what the API documents: Basic credentials, Harbor's error envelope,
`page`/`page_size` paging with `X-Total-Count` and `Link`, and `q=` queries.
"""

__version__ = "0.1.0"
