"""Where things live in the blob store, for every backend.

    <root>/
      blobs/
        <algorithm>/<first two hex digits>/<hex>   committed content, once per registry
      uploads/
        <upload id>/data                           staged bytes of an upload in progress
        <upload id>/tail-<offset>                  (S3) bytes not yet large enough for a part, from <offset>

Committed keys are content-addressed: whoever pushes the same bytes gets the
same key, so a blob is stored once however many repositories link it. Which
repository may read it is the database's business, never the store's.
"""

from __future__ import annotations


def blob_key(digest: str) -> str:
    algorithm, _, encoded = digest.partition(":")
    return f"blobs/{algorithm}/{encoded[:2]}/{encoded}"


def upload_prefix(upload_id: str) -> str:
    return f"uploads/{upload_id}"


def upload_data_key(upload_id: str) -> str:
    return f"{upload_prefix(upload_id)}/data"


def upload_tail_key(upload_id: str, start: int) -> str:
    return f"{upload_prefix(upload_id)}/tail-{start}"
