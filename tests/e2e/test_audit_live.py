"""On a real server, pulls reach the audit log through the per-process flusher thread."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.server import ADMIN_PASSWORD

pytestmark = pytest.mark.e2e

COUNT = (
    "from events.models import AuditLog; "
    "print(AuditLog.objects.filter(event_type='pull_artifact', resource='library/audited:v1').count())"
)


def test_pull_is_audited_off_the_request_path(registry):
    auth = ("admin", ADMIN_PASSWORD)
    config, manifest = (
        b"{}",
        (
            b'{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",'
            b'"config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,'
            b'"digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},"layers":[]}'
        ),
    )
    base = f"{registry.url}/v2/library/audited"
    digest = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
    assert httpx.post(f"{base}/blobs/uploads/?digest={digest}", content=config, auth=auth).status_code == 201
    headers = {"Content-Type": "application/vnd.oci.image.manifest.v1+json"}
    assert httpx.put(f"{base}/manifests/v1", content=manifest, headers=headers, auth=auth).status_code == 201
    assert httpx.get(f"{base}/manifests/v1", auth=auth).status_code == 200

    deadline = time.monotonic() + 20
    while registry.manage("shell", "-c", COUNT).strip().splitlines()[-1] != "1":
        assert time.monotonic() < deadline, "the pull never reached the audit log"
        time.sleep(0.5)
