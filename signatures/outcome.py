"""What a verifier says about one signature, and what it is given to decide."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# Reads a blob of the signature (digest, at most this many bytes); None when it is absent
# or larger, which a verifier treats as a signature it cannot check.
BlobReader = Callable[[str, int], bytes | None]
MAX_SIGNATURE_BLOB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Trusted:
    """A trusted key as the verifiers see it (a `models.TrustedKey`, without the ORM)."""

    name: str
    kind: str
    pem: str
    trusted_identity: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    verified: bool
    key_name: str = ""
    reason: str = ""

    @classmethod
    def failed(cls, reason: str) -> Outcome:
        return cls(False, "", reason)
