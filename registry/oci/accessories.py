"""Harbor's accessories: artifacts that exist for another one (signatures, SBOMs...).

An accessory is found two ways, as Harbor finds it:

* an OCI 1.1 referrer: its manifest names the other artifact as `subject`; the type
  comes from its `artifactType`, else its config media type;
* cosign's tag scheme: a manifest tagged `sha256-<hex of the subject>.sig`.

Every accessory type is a hard reference: it goes with its subject when that is
deleted, and artifact lists do not show it on its own.
"""

from __future__ import annotations

import re

COSIGN = "signature.cosign"
NOTATION = "signature.notation"
HARBOR_SBOM = "sbom.harbor"
SUBJECT = "subject.accessory"

_TYPES = {
    "application/vnd.cncf.notary.signature": NOTATION,
    "application/vnd.dev.cosign.artifact.sig.v1+json": COSIGN,
    "application/vnd.dev.sigstore.bundle.v0.3+json": COSIGN,
    "application/vnd.goharbor.harbor.sbom.v1": HARBOR_SBOM,
}

# Harbor's icon digests (served by its /icons endpoint); only cosign has one of its own.
ICONS = {COSIGN: "sha256:20401d5b3a0f6dbc607c8d732eb08471af4ae6b19811a4efce8c6a724aed2882"}

COSIGN_TAG_PREFIX = "sha256-"
COSIGN_TAG_SUFFIX = ".sig"
_COSIGN_TAG = re.compile(r"^sha256-([0-9a-f]{64})\.sig$")


def accessory_type(descriptor_artifact_type: str) -> str:
    """The type of a referrer, from its artifactType (or config media type)."""
    return _TYPES.get(descriptor_artifact_type, SUBJECT)


def cosign_tag(subject_digest: str) -> str | None:
    """The tag cosign gives the signature of `subject_digest` (sha256 subjects only)."""
    algorithm, _, encoded = subject_digest.partition(":")
    if algorithm != "sha256" or not encoded:
        return None
    return f"{COSIGN_TAG_PREFIX}{encoded}{COSIGN_TAG_SUFFIX}"


def cosign_subject(tag: str) -> str | None:
    """The subject digest a cosign signature tag names, or None for any other tag."""
    match = _COSIGN_TAG.match(tag)
    return f"sha256:{match.group(1)}" if match else None
