"""Chunks of one upload handled by different web processes still make one correct blob."""

from __future__ import annotations

import hashlib
import os
import re

import httpx
import pytest

from tests.server import ADMIN_PASSWORD, live_registry

pytestmark = pytest.mark.e2e


def test_chunks_spread_over_worker_processes(tmp_path):
    data = os.urandom(40 * 50_000)
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    with live_registry(tmp_path, workers=3, extra_env={"HARBOR_ACCESS_LOG": "true"}) as registry:
        auth = ("admin", ADMIN_PASSWORD)
        location = httpx.post(f"{registry.url}/v2/library/spread/blobs/uploads/", auth=auth).headers[
            "Location"
        ]
        for start in range(0, len(data), 50_000):
            chunk = data[start : start + 50_000]
            # A new connection per request: gunicorn hands each to whichever worker accepts first.
            response = httpx.patch(
                registry.url + location,
                content=chunk,
                headers={"Content-Range": f"{start}-{start + len(chunk) - 1}"},
                auth=auth,
            )
            assert response.status_code == 202, response.text
            location = response.headers["Location"]
        done = httpx.put(f"{registry.url}{location}?digest={digest}", auth=auth)
        assert done.status_code == 201, done.text
        pulled = httpx.get(f"{registry.url}/v2/library/spread/blobs/{digest}", auth=auth)
        assert pulled.content == data
        log = (registry.data_dir / "server.log").read_text()
    pids = set(re.findall(r'"PATCH /v2/library/spread/blobs/uploads/\S+ HTTP/1.1" 202 .* <(\d+)>', log))
    assert len(pids) > 1, "every chunk reached the same process; the test proves nothing"
