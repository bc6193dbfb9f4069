"""The signature policies of a pull (manifest GET and HEAD), as Harbor's `contenttrust`
middleware applies them, plus our verification.

* `enable_content_trust_cosign` / `enable_content_trust` (Notation): the artifact needs
  an accessory of that signature type, else 412 `PROJECTPOLICYVIOLATION` with Harbor's
  message. Every manifest is judged by its own accessories: an index needs a signature of
  its own, and so does each child pulled by digest (`cosign sign --recursive`), as in
  Harbor, where a parent's signature is shown on the children but never enforced for them.
* `enable_signature_verification` (ours): a signature only counts when it verifies against
  a key the project trusts and names this artifact's digest; with no content-trust key on,
  a verified signature of either type is needed.

Bypasses, as Harbor's `SkipPolicyChecking`: a bearer token holding `scanner-pull` (the
scanner's robot), or `push` when the client is cosign or notation (they read the manifest
before signing it); and pulls of signatures themselves. SBOMs are pullable too (Harbor
judges them like images, which would make a Harbor-generated SBOM of a protected image
unreadable).
"""

from __future__ import annotations

from dataclasses import dataclass

from registry.auth.identity import Identity
from registry.models import Artifact
from registry.oci import accessories as accessory_types
from registry.oci.errors import ManifestUnknown, ProjectPolicyViolation
from registry.services.accessories import Accessory, accessories_of, is_accessory
from registry.services.manifests import StoredManifest

from .verification import verdicts

COSIGN_KEY, NOTATION_KEY, VERIFY_KEY = (
    "enable_content_trust_cosign",
    "enable_content_trust",
    "enable_signature_verification",
)
_MESSAGES = {
    accessory_types.COSIGN: "The image is not signed by cosign.",
    accessory_types.NOTATION: "The image is not signed by notation.",
}
_NAMES = {accessory_types.COSIGN: "cosign", accessory_types.NOTATION: "notation"}
_PULLABLE_ACCESSORIES = (accessory_types.COSIGN, accessory_types.NOTATION, accessory_types.HARBOR_SBOM)
_SIGNING_CLIENTS = ("cosign", "notation")


@dataclass(frozen=True, slots=True)
class Requirements:
    types: tuple[str, ...]  # signature types that must be present
    verify: bool

    @classmethod
    def of(cls, metadata: dict[str, str]) -> Requirements:
        types = tuple(
            kind
            for key, kind in ((COSIGN_KEY, accessory_types.COSIGN), (NOTATION_KEY, accessory_types.NOTATION))
            if metadata.get(key) == "true"
        )
        return cls(types, metadata.get(VERIFY_KEY) == "true")

    def __bool__(self) -> bool:
        return bool(self.types) or self.verify


def check_pull(identity: Identity, user_agent: str, repository_name: str, manifest: StoredManifest) -> None:
    """Raise ProjectPolicyViolation when the project's signature policies refuse this pull.
    Costs nothing (no query) when the project has none."""
    requirements = Requirements.of(manifest.project_metadata)
    if not requirements or _bypasses(identity, user_agent, repository_name):
        return
    artifact = Artifact.objects.select_related("repository").filter(pk=manifest.artifact_id).first()
    if artifact is None:  # deleted since the manifest was read
        raise ManifestUnknown(f"manifest {manifest.digest} not found in {repository_name}")
    if _is_pullable_accessory(artifact):
        return
    signatures = [
        accessory for accessory in accessories_of([artifact])[artifact.pk] if accessory.type in _MESSAGES
    ]
    for kind in requirements.types:
        if not any(accessory.type == kind for accessory in signatures):
            raise ProjectPolicyViolation(_MESSAGES[kind])
    if requirements.verify:
        _check_verified(artifact, signatures, requirements.types)


def _bypasses(identity: Identity, user_agent: str, repository_name: str) -> bool:
    if identity.token_access is None:
        return False
    if identity.token_allows("repository", repository_name, "scanner-pull"):
        return True
    agent = user_agent.lower()
    return any(client in agent for client in _SIGNING_CLIENTS) and identity.token_allows(
        "repository", repository_name, "push"
    )


def _is_pullable_accessory(artifact: Artifact) -> bool:
    if artifact.subject_digest:
        return accessory_types.accessory_type(artifact.descriptor_artifact_type) in _PULLABLE_ACCESSORIES
    return is_accessory(artifact)  # cosign's tag scheme: a signature


def _check_verified(artifact: Artifact, signatures: list[Accessory], types: tuple[str, ...]) -> None:
    counted = [accessory for accessory in signatures if not types or accessory.type in types]
    if not counted:
        raise ProjectPolicyViolation("The image is not signed.")
    found = verdicts(artifact.repository.project_id, counted)
    if not found:
        raise ProjectPolicyViolation("The image's signatures cannot be verified: the project trusts no key.")
    if any(found[accessory.artifact.pk].verified for accessory in counted):
        return
    names = " or ".join(sorted({_NAMES[accessory.type] for accessory in counted}))
    raise ProjectPolicyViolation(
        f"The image is not signed by a key the project trusts (no {names} signature verified)."
    )
