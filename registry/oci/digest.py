"""Content digests: the `algorithm:encoded` grammar and the algorithms we accept."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import DigestInvalid

# The allow-list: the algorithm and the exact length of its lower-case hex encoding.
ALGORITHMS = {"sha256": 64, "sha512": 128}
_DIGEST = re.compile(r"^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$")


@dataclass(frozen=True, slots=True)
class Digest:
    algorithm: str
    encoded: str

    def __str__(self) -> str:
        return f"{self.algorithm}:{self.encoded}"


def looks_like_digest(reference: str) -> bool:
    """True when a manifest reference is meant as a digest rather than a tag."""
    return ":" in reference


def parse_digest(value: str) -> Digest:
    """Parse and validate a digest; raises DigestInvalid for anything we would not store."""
    match = _DIGEST.match(value or "")
    if not match:
        raise DigestInvalid(f"invalid digest {value!r}")
    algorithm, encoded = match.groups()
    if algorithm not in ALGORITHMS:
        raise DigestInvalid(f"unsupported digest algorithm {algorithm!r}")
    if len(encoded) != ALGORITHMS[algorithm] or not re.fullmatch(r"[0-9a-f]+", encoded):
        raise DigestInvalid(f"invalid {algorithm} digest {value!r}")
    return Digest(algorithm, encoded)
