"""The S3 blob store (AWS S3, Ceph RGW, MinIO) for multi-instance deployments.

Uploads are S3 multipart uploads whose id and parts are kept in the upload's
storage state, so any web process can add the next chunk. S3 refuses parts
under 5 MiB except the last, while registry clients may PATCH tiny chunks:
bytes that do not yet make a part wait in a small `tail` object between
requests. Finished uploads are copied server-side to their digest's key.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from functools import cached_property
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from .base import BlobDownload, StorageState
from .layout import blob_key, upload_data_key, upload_tail_key

PART_SIZE = 8 * 1024 * 1024  # at least S3's 5 MiB minimum
READ_CHUNK = 1024 * 1024
PRESIGN_SECONDS = 20 * 60


class S3BlobStore:
    def __init__(
        self,
        bucket: str,
        *,
        prefix: str = "",
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        redirect: bool = True,
    ) -> None:
        self.bucket = bucket
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
        self.endpoint_url = endpoint_url
        self.region = region
        self.redirect = redirect

    @cached_property
    def client(self) -> Any:
        # One client per process: building one costs ~100 ms.
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            config=Config(signature_version="s3v4", retries={"max_attempts": 3}),
        )

    def _key(self, key: str) -> str:
        return self.prefix + key

    def _head(self, key: str) -> int | None:
        try:
            return self.client.head_object(Bucket=self.bucket, Key=self._key(key))["ContentLength"]
        except ClientError as exc:
            if exc.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def _read(self, key: str) -> Iterator[bytes]:
        body = self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]
        try:
            yield from body.iter_chunks(READ_CHUNK)
        finally:
            body.close()

    def _delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    # committed content --------------------------------------------------------
    def blob_size(self, digest: str) -> int | None:
        return self._head(blob_key(digest))

    def download(self, digest: str, start: int = 0, length: int | None = None) -> BlobDownload:
        key = self._key(blob_key(digest))
        if self.redirect and start == 0 and length is None:
            url = self.client.generate_presigned_url(
                "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=PRESIGN_SECONDS
            )
            return BlobDownload(length=0, redirect_url=url)
        params: dict[str, Any] = {"Bucket": self.bucket, "Key": key}
        if start or length is not None:
            end = "" if length is None else str(start + length - 1)
            params["Range"] = f"bytes={start}-{end}"
        response = self.client.get_object(**params)
        return BlobDownload(length=response["ContentLength"], file=response["Body"])

    def read_blob(self, digest: str) -> Iterator[bytes]:
        yield from self._read(blob_key(digest))

    def delete_blob(self, digest: str) -> None:
        self._delete(blob_key(digest))

    # uploads -------------------------------------------------------------------
    def start_upload(self, upload_id: str) -> StorageState:
        return {"multipart_id": "", "parts": [], "tail": 0}

    def append_upload(
        self, upload_id: str, state: StorageState, offset: int, chunks: Iterable[bytes]
    ) -> tuple[StorageState, int]:
        state = {**state, "parts": list(state["parts"])}
        committed = offset - state["tail"]  # bytes already in parts
        if committed < 0 or committed != sum(size for _, _, size in state["parts"]):
            raise ValueError("S3 upload state does not match the offset")
        buffer = bytearray(b"".join(self._read(upload_tail_key(upload_id))) if state["tail"] else b"")
        written = 0
        for chunk in chunks:
            buffer += chunk
            written += len(chunk)
            if len(buffer) >= PART_SIZE:
                self._upload_part(upload_id, state, bytes(buffer))
                buffer.clear()
        if buffer:
            self.client.put_object(
                Bucket=self.bucket, Key=self._key(upload_tail_key(upload_id)), Body=bytes(buffer)
            )
        state["tail"] = len(buffer)
        return state, written

    def _upload_part(self, upload_id: str, state: StorageState, data: bytes) -> None:
        key = self._key(upload_data_key(upload_id))
        if not state["multipart_id"]:
            state["multipart_id"] = self.client.create_multipart_upload(
                Bucket=self.bucket, Key=key, ContentType="application/octet-stream"
            )["UploadId"]
        number = len(state["parts"]) + 1
        etag = self.client.upload_part(
            Bucket=self.bucket, Key=key, UploadId=state["multipart_id"], PartNumber=number, Body=data
        )["ETag"]
        state["parts"].append([number, etag, len(data)])

    def finish_upload(self, upload_id: str, state: StorageState, size: int) -> StorageState:
        state = {**state, "parts": list(state["parts"])}
        if not state["parts"]:
            # Small blob: the tail is the whole content.
            data = b"".join(self._read(upload_tail_key(upload_id))) if state["tail"] else b""
            self.client.put_object(
                Bucket=self.bucket, Key=self._key(upload_data_key(upload_id)), Body=data[:size]
            )
        else:
            if state["tail"]:
                self._upload_part(upload_id, state, b"".join(self._read(upload_tail_key(upload_id))))
            self.client.complete_multipart_upload(
                Bucket=self.bucket,
                Key=self._key(upload_data_key(upload_id)),
                UploadId=state["multipart_id"],
                MultipartUpload={"Parts": [{"PartNumber": n, "ETag": e} for n, e, _ in state["parts"]]},
            )
            state["multipart_id"] = ""
        if state["tail"]:
            self._delete(upload_tail_key(upload_id))
        state["tail"] = 0
        return state

    def read_upload(self, upload_id: str, state: StorageState) -> Iterator[bytes]:
        yield from self._read(upload_data_key(upload_id))

    def commit_upload(self, upload_id: str, state: StorageState, digest: str) -> None:
        if self.blob_size(digest) is None:
            # The managed copy switches to multipart copy above 5 GB by itself.
            self.client.copy(
                {"Bucket": self.bucket, "Key": self._key(upload_data_key(upload_id))},
                self.bucket,
                self._key(blob_key(digest)),
            )
        self.abort_upload(upload_id, state)

    def abort_upload(self, upload_id: str, state: StorageState) -> None:
        if state.get("multipart_id"):
            with contextlib.suppress(ClientError):  # already completed or aborted
                self.client.abort_multipart_upload(
                    Bucket=self.bucket,
                    Key=self._key(upload_data_key(upload_id)),
                    UploadId=state["multipart_id"],
                )
        for key in (upload_data_key(upload_id), upload_tail_key(upload_id)):
            self._delete(key)
