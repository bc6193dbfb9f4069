"""`/v2/<name>/manifests/<reference>`: GET, HEAD, PUT and DELETE (end-3, end-7, end-9)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from events.bus import publish_now
from events.domain import ArtifactPulled
from projects.rbac import Action
from scanning.pull_policy import check_pull as check_vulnerability_policy
from signatures.policy import check_pull

from ..oci import mediatypes as mt
from ..oci.digest import looks_like_digest
from ..oci.errors import ManifestUnknown
from ..oci.manifest import MAX_MANIFEST_BYTES
from ..services.manifests import StoredManifest, delete_manifest, get_manifest, push_manifest
from ..services.repositories import ensure_repository
from .base import RegistryView
from .body import read_limited

# Like CNCF distribution: an OCI manifest or index is not sent to a client whose
# Accept header lists types but not that one (old clients would misread it).
_OCI_TYPES = frozenset({mt.OCI_MANIFEST, mt.OCI_INDEX})


def _accepts(request: HttpRequest, media_type: str) -> bool:
    # Repeated Accept headers reach WSGI joined with commas.
    accepted = {part.split(";")[0].strip() for part in request.META.get("HTTP_ACCEPT", "").split(",")}
    accepted.discard("")
    if not accepted or media_type not in _OCI_TYPES:
        return True
    return media_type in accepted or "*/*" in accepted


class ManifestView(RegistryView):
    def _read(self, request: HttpRequest, name: str, reference: str) -> StoredManifest:
        self.authorize(name, Action.PULL)
        manifest = get_manifest(name, reference)
        if not _accepts(request, manifest.media_type):
            raise ManifestUnknown(
                f"manifest of type {manifest.media_type} found, but the Accept header does not allow it"
            )
        check_pull(self.identity, request.META.get("HTTP_USER_AGENT", ""), name, manifest)
        return manifest

    @staticmethod
    def _headers(response: HttpResponse, manifest: StoredManifest) -> HttpResponse:
        response["Docker-Content-Digest"] = manifest.digest
        response["Content-Length"] = str(len(manifest.content))
        response["ETag"] = f'"{manifest.digest}"'
        return response

    def get(self, request: HttpRequest, name: str, reference: str) -> HttpResponse:
        manifest = self._read(request, name, reference)
        check_vulnerability_policy(self.identity, name, manifest.digest)
        tag = "" if looks_like_digest(reference) else reference
        publish_now(ArtifactPulled(self.identity.principal.username, None, name, manifest.digest, tag))
        return self._headers(HttpResponse(manifest.content, content_type=manifest.media_type), manifest)

    def head(self, request: HttpRequest, name: str, reference: str) -> HttpResponse:
        manifest = self._read(request, name, reference)
        return self._headers(HttpResponse(content_type=manifest.media_type), manifest)

    def put(self, request: HttpRequest, name: str, reference: str) -> HttpResponse:
        project = self.authorize(name, Action.PUSH)
        content = read_limited(request, MAX_MANIFEST_BYTES)
        repository = ensure_repository(name, project)
        artifact = push_manifest(
            repository,
            reference,
            content,
            request.META.get("CONTENT_TYPE", ""),
            self.identity.principal.username,
        )
        response = HttpResponse(status=201)
        response["Location"] = f"/v2/{name}/manifests/{artifact.digest}"
        response["Docker-Content-Digest"] = artifact.digest
        response["Content-Length"] = "0"
        if artifact.subject_digest:
            response["OCI-Subject"] = artifact.subject_digest
        return response

    def delete(self, request: HttpRequest, name: str, reference: str) -> HttpResponse:
        self.authorize(name, Action.DELETE)
        delete_manifest(name, reference, self.identity.principal.username)
        return HttpResponse(status=202)
