"""The S3 blob store (AWS S3, Ceph RGW, MinIO) for multi-instance deployments.

Uploads are S3 multipart uploads whose id and parts are kept in the upload's
storage state, so any web process can add the next chunk. S3 refuses parts
under 5 MiB except the last, while registry clients may PATCH tiny chunks:
bytes that do not yet make a part wait in a small `tail` object between
requests. Finished uploads are copied server-side to their digest's key.

A request can fail after it wrote to S3 but before its new state was saved
(a short body, a lost race, a crash); the next request then starts again from
the saved state. So nothing a request writes may change what the saved state
refers to: a tail object is named after the upload offset it starts at and
only ever read up to the saved length (a failed request can only have
extended it, or written a tail at another offset), a re-sent part simply
replaces its part number, and parts or multipart uploads the saved state does
not list are never completed and are swept with the upload.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from functools import cached_property
from io import BytesIO
from typing import Any

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

from .base import BlobDownload, StorageState
from .layout import blob_key, upload_data_key, upload_prefix, upload_tail_key

PART_SIZE = 8 * 1024 * 1024  # at least S3's 5 MiB minimum
READ_CHUNK = 1024 * 1024
PRESIGN_SECONDS = 20 * 60
# CopyObject copies up to 5 GiB in one request; only larger blobs need a multipart copy.
COPY_IN_ONE_REQUEST = TransferConfig(multipart_threshold=5 * 1024**3)


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
            config=Config(
                signature_version="s3v4",
                retries={"max_attempts": 3},
                # Since botocore 1.36 uploads carry CRC checksum headers (aws-chunked trailers)
                # by default, which older Ceph RGW and MinIO releases and other S3-compatible
                # stores reject. Content is verified against its digest anyway.
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
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
        if length == 0:
            # `bytes=start-(start-1)` is not a valid range, and S3 answers one with the whole object.
            return BlobDownload(length=0, file=BytesIO())
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
        committed = _in_parts(state)
        if offset != committed + state["tail"]:
            raise ValueError("S3 upload state does not match the offset")
        buffer = bytearray(self._tail(upload_id, state))
        if "stale_tail" in state:
            # The state we were given is the saved one, so the tail it superseded is unreferenced.
            self._delete(upload_tail_key(upload_id, state.pop("stale_tail")))
        written = 0
        for chunk in chunks:
            buffer += chunk
            written += len(chunk)
            if len(buffer) >= PART_SIZE:
                self._upload_part(upload_id, state, bytes(buffer))
                buffer.clear()
        if _in_parts(state) != committed:
            # Keep the old tail until a later request proves this state was saved.
            state["stale_tail"] = committed
        if buffer:
            self.client.put_object(
                Bucket=self.bucket,
                Key=self._key(upload_tail_key(upload_id, _in_parts(state))),
                Body=bytes(buffer),
            )
        state["tail"] = len(buffer)
        return state, written

    def _tail(self, upload_id: str, state: StorageState) -> bytes:
        """The saved state's tail bytes: the first `tail` bytes of its tail object."""
        if not state["tail"]:
            return b""
        response = self.client.get_object(
            Bucket=self.bucket,
            Key=self._key(upload_tail_key(upload_id, _in_parts(state))),
            Range=f"bytes=0-{state['tail'] - 1}",
        )
        data = response["Body"].read()
        if len(data) != state["tail"]:
            raise ValueError(f"S3 upload tail holds {len(data)} bytes, the state says {state['tail']}")
        return data

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
        if size != _in_parts(state) + state["tail"]:
            # Parts already in S3 cannot be cut short; the caller's size and ours must agree.
            raise ValueError(f"S3 upload holds {_in_parts(state) + state['tail']} bytes, not {size}")
        tail = self._tail(upload_id, state)
        if not state["parts"]:
            # Small blob: the tail is the whole content.
            self.client.put_object(Bucket=self.bucket, Key=self._key(upload_data_key(upload_id)), Body=tail)
        else:
            if tail:
                self._upload_part(upload_id, state, tail)
            self.client.complete_multipart_upload(
                Bucket=self.bucket,
                Key=self._key(upload_data_key(upload_id)),
                UploadId=state["multipart_id"],
                MultipartUpload={"Parts": [{"PartNumber": n, "ETag": e} for n, e, _ in state["parts"]]},
            )
            state["multipart_id"] = ""
        # Tail objects stay until commit or abort sweep the upload's keys.
        state["tail"] = 0
        return state

    def read_upload(self, upload_id: str, state: StorageState) -> Iterator[bytes]:
        yield from self._read(upload_data_key(upload_id))

    def commit_upload(self, upload_id: str, state: StorageState, digest: str) -> None:
        if self.blob_size(digest) is None:
            # CopyObject is atomic; above 5 GiB the managed copy switches to a multipart copy,
            # which is atomic too (the object appears when the copy completes).
            self.client.copy(
                {"Bucket": self.bucket, "Key": self._key(upload_data_key(upload_id))},
                self.bucket,
                self._key(blob_key(digest)),
                Config=COPY_IN_ONE_REQUEST,
            )
        self.abort_upload(upload_id, state)

    def abort_upload(self, upload_id: str, state: StorageState) -> None:
        # Sweep by prefix, not by state: a request that failed before its state was saved may
        # have started a multipart upload or written a tail the saved state knows nothing of.
        prefix = self._key(upload_prefix(upload_id)) + "/"
        for page in self.client.get_paginator("list_multipart_uploads").paginate(
            Bucket=self.bucket, Prefix=prefix
        ):
            for upload in page.get("Uploads", []):
                with contextlib.suppress(ClientError):  # completed or aborted meanwhile
                    self.client.abort_multipart_upload(
                        Bucket=self.bucket, Key=upload["Key"], UploadId=upload["UploadId"]
                    )
        # One DELETE per key (an upload has a handful): DeleteObjects requires a Content-MD5
        # that botocore >= 1.36 no longer sends, and some S3-compatible stores refuse it without.
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                self.client.delete_object(Bucket=self.bucket, Key=item["Key"])


def _in_parts(state: StorageState) -> int:
    """Bytes already uploaded as parts: the upload offset where the tail starts."""
    return sum(size for _, _, size in state["parts"])
