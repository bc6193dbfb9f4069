"""The blob store the settings select; see `base.BlobStore` for the interface."""

from __future__ import annotations

from functools import cache

from django.conf import settings

from .base import BlobDownload, BlobStore
from .filesystem import FilesystemBlobStore
from .s3 import S3BlobStore

__all__ = ["BlobDownload", "BlobStore", "blob_store", "build_blob_store"]


def build_blob_store(kind: str) -> BlobStore:
    if kind == "filesystem":
        return FilesystemBlobStore(settings.BLOB_ROOT)
    if kind == "s3":
        if not settings.S3_BUCKET:
            raise RuntimeError("HARBOR_STORAGE=s3 needs HARBOR_S3_BUCKET")
        return S3BlobStore(
            settings.S3_BUCKET,
            prefix=settings.S3_PREFIX,
            endpoint_url=settings.S3_ENDPOINT_URL,
            region=settings.S3_REGION,
            redirect=settings.S3_REDIRECT,
        )
    raise RuntimeError(f"unknown HARBOR_STORAGE {kind!r} (filesystem or s3)")


@cache
def blob_store() -> BlobStore:
    """The process-wide store (one S3 client per process)."""
    return build_blob_store(settings.BLOB_STORAGE)
