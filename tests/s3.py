"""A real S3 endpoint for tests: moto's server on a local port, spoken to over HTTP.

Through HTTP (not moto's in-process mock) the store's requests go through
botocore's whole stack: signing, ranged GETs, presigned URLs and S3's 5 MiB
part minimum, which moto's server enforces as S3 does.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

from tests.server import free_port

BUCKET = "harbor-test-blobs"
REGION = "us-east-1"
# Dummy credentials: moto accepts any, botocore refuses to sign without some.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


@dataclass
class MotoS3:
    endpoint_url: str
    bucket: str
    region: str
    client: Any

    def new_prefix(self) -> str:
        """A key prefix no other test uses, so tests share the bucket without seeing each other."""
        return f"test-{uuid.uuid4().hex}"

    def keys(self, prefix: str) -> list[str]:
        """Every object key under `prefix`."""
        paginator = self.client.get_paginator("list_objects_v2")
        return [
            item["Key"]
            for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix)
            for item in page.get("Contents", [])
        ]

    def multipart_uploads(self, prefix: str) -> list[str]:
        """Keys of multipart uploads still open (neither completed nor aborted) under `prefix`."""
        paginator = self.client.get_paginator("list_multipart_uploads")
        return [
            upload["Key"]
            for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix)
            for upload in page.get("Uploads", [])
        ]


@contextmanager
def moto_s3() -> Iterator[MotoS3]:
    """Start moto's S3 server with one empty bucket; stop it and restore the environment after."""
    saved = {name: os.environ.get(name) for name in [*CREDENTIALS, "AWS_PROFILE", "AWS_SESSION_TOKEN"]}
    os.environ.update(CREDENTIALS)
    os.environ.pop("AWS_PROFILE", None)
    os.environ.pop("AWS_SESSION_TOKEN", None)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per S3 request
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        endpoint_url = f"http://127.0.0.1:{port}"
        client = boto3.client("s3", endpoint_url=endpoint_url, region_name=REGION)
        client.create_bucket(Bucket=BUCKET)
        yield MotoS3(endpoint_url, BUCKET, REGION, client)
    finally:
        server.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
