"""Verifying the signatures of artifacts against the project's trusted keys, with the
verdicts cached in the database per (artifact, signature, key set).

Everything here is content-addressed (the artifact digest, the signature manifest digest,
the blobs it names) except the keys, so a verdict is reused until the project's key set
changes; `forget_verdicts` drops them when it does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from registry.oci import accessories as accessory_types
from registry.services.accessories import Accessory
from registry.storage import blob_store

from .cosign import verify_cosign
from .models import TrustedKey, Verdict
from .notation import verify_notation
from .outcome import Outcome, Trusted

SIGNATURE_TYPES = (accessory_types.COSIGN, accessory_types.NOTATION)
_VERIFIERS = {accessory_types.COSIGN: verify_cosign, accessory_types.NOTATION: verify_notation}


@dataclass(frozen=True, slots=True)
class KeySet:
    keys: list[Trusted]
    fingerprint: str


def key_set(project_id: int) -> KeySet:
    """The project's trusted keys and their fingerprint (one query)."""
    rows = TrustedKey.objects.filter(project_id=project_id).order_by("id")
    keys, parts = [], []
    for key in rows:
        keys.append(Trusted(key.name, key.kind, key.pem, key.trusted_identity))
        parts.append(f"{key.kind}:{key.fingerprint}:{key.name}:{key.trusted_identity}")
    return KeySet(keys, hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest())


def forget_verdicts(project_id: int) -> None:
    """The keys changed: no verdict reached with the old set may be shown again."""
    Verdict.objects.filter(project_id=project_id).delete()


def read_blob(digest: str, limit: int) -> bytes | None:
    """A signature's blob through the storage interface, refused above `limit` bytes."""
    store = blob_store()
    size = store.blob_size(digest)
    if size is None or size > limit:
        return None
    return b"".join(store.read_blob(digest))


def _verify(accessory: Accessory, keys: list[Trusted]) -> Outcome:
    try:
        manifest = json.loads(bytes(accessory.artifact.content))
    except ValueError:
        return Outcome.failed("the signature manifest is not JSON")
    if not isinstance(manifest, dict):
        return Outcome.failed("the signature manifest is not a JSON object")
    return _VERIFIERS[accessory.type](manifest, read_blob, accessory.subject.digest, keys)


def verdicts(
    project_id: int, accessories: Iterable[Accessory], keys: KeySet | None = None
) -> dict[int, Verdict]:
    """The verdict on each signature among `accessories` (by the signature's artifact id);
    empty when the project trusts no key. Two queries plus one per new verdict batch."""
    signatures = [a for a in accessories if a.type in SIGNATURE_TYPES]
    if not signatures:
        return {}
    keys = keys or key_set(project_id)
    if not keys.keys:
        return {}
    known = {
        (v.subject_digest, v.signature_digest): v
        for v in Verdict.objects.filter(
            project_id=project_id,
            keyset=keys.fingerprint,
            signature_digest__in={a.artifact.digest for a in signatures},
        )
    }
    found: dict[int, Verdict] = {}
    new: list[Verdict] = []
    for accessory in signatures:
        pair = (accessory.subject.digest, accessory.artifact.digest)
        if pair not in known:
            outcome = _verify(accessory, keys.keys)
            known[pair] = Verdict(
                project_id=project_id,
                subject_digest=pair[0],
                signature_digest=pair[1],
                keyset=keys.fingerprint,
                verified=outcome.verified,
                key_name=outcome.key_name,
                reason=outcome.reason,
            )
            new.append(known[pair])
        found[accessory.artifact.pk] = known[pair]
    if new:
        # Two pulls may verify the same signature at once; the first verdict stored wins.
        Verdict.objects.bulk_create(new, ignore_conflicts=True)
    return found
