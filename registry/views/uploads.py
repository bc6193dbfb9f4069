"""Blob uploads (end-4a/4b/5/6/11/13 and cancel): monolithic, chunked and cross-repo mount."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from projects.rbac import Action

from ..models import Upload
from ..oci.digest import parse_digest
from ..oci.errors import DigestInvalid, RegistryError
from ..oci.names import validate_repository_name
from ..services.blobs import mount_blob
from ..services.repositories import ensure_repository
from ..services.uploads import (
    Chunk,
    append_chunk,
    cancel_upload,
    finish_upload,
    get_upload,
    start_upload,
    upload_location,
    upload_range,
)
from .base import RegistryView, repository_scope
from .body import body_chunks, declared_length


def request_chunk(request: HttpRequest) -> Chunk:
    return Chunk(body_chunks(request), request.META.get("HTTP_CONTENT_RANGE"), declared_length(request))


def upload_status(upload: Upload, status: int) -> HttpResponse:
    response = HttpResponse(status=status)
    response["Location"] = upload_location(upload)
    response["Range"] = upload_range(upload.offset)
    response["Docker-Upload-UUID"] = str(upload.id)
    response["Content-Length"] = "0"
    return response


def blob_created(name: str, digest: str) -> HttpResponse:
    response = HttpResponse(status=201)
    response["Location"] = f"/v2/{name}/blobs/{digest}"
    response["Docker-Content-Digest"] = digest
    response["Content-Length"] = "0"
    return response


class UploadStartView(RegistryView):
    """POST /v2/<name>/blobs/uploads/ with optional `digest` or `mount` + `from`."""

    def post(self, request: HttpRequest, name: str) -> HttpResponse:
        mount, source = request.GET.get("mount"), request.GET.get("from")
        scopes = [repository_scope(name, Action.PUSH)]
        if mount and source:
            scopes.append(repository_scope(source, Action.PULL))
        project = self.authorize(name, Action.PUSH, scopes)
        repository = ensure_repository(name, project)

        if mount and source and self._may_read(source):
            parse_digest(mount)
            if mount_blob(source, repository, mount):
                return blob_created(name, mount)

        upload = start_upload(repository)
        digest = request.GET.get("digest")
        if digest is None:
            return upload_status(upload, 202)
        try:
            parse_digest(digest)
        except DigestInvalid:
            cancel_upload(upload)
            raise
        return self._finish(request, upload, digest)

    def _may_read(self, source: str) -> bool:
        """Mount only from repositories the caller may pull; otherwise fall back to an upload."""
        try:
            validate_repository_name(source)
            self.authorize(source, Action.PULL)
        except RegistryError:  # any refusal means "upload instead"
            return False
        return True

    @staticmethod
    def _finish(request: HttpRequest, upload: Upload, digest: str) -> HttpResponse:
        try:
            finish_upload(upload, digest, Chunk(body_chunks(request), None, declared_length(request)))
        except Exception:
            cancel_upload(upload)  # a failed monolithic upload leaves no session behind
            raise
        return blob_created(upload.repository.name, digest)


class UploadView(RegistryView):
    """GET (status), PATCH (chunk), PUT (finish) and DELETE (cancel) on an upload session."""

    def get(self, request: HttpRequest, name: str, upload_id: str) -> HttpResponse:
        self.authorize(name, Action.PUSH)
        return upload_status(get_upload(name, upload_id), 204)

    def patch(self, request: HttpRequest, name: str, upload_id: str) -> HttpResponse:
        self.authorize(name, Action.PUSH)
        upload = get_upload(name, upload_id)
        append_chunk(upload, request_chunk(request))
        return upload_status(upload, 202)

    def put(self, request: HttpRequest, name: str, upload_id: str) -> HttpResponse:
        self.authorize(name, Action.PUSH)
        upload = get_upload(name, upload_id)
        digest = request.GET.get("digest")
        if not digest:
            raise DigestInvalid("the digest query parameter is required to finish an upload")
        chunk = request_chunk(request)
        has_body = chunk.content_length or chunk.content_range or "HTTP_TRANSFER_ENCODING" in request.META
        finish_upload(upload, digest, chunk if has_body else None)
        return blob_created(name, digest)

    def delete(self, request: HttpRequest, name: str, upload_id: str) -> HttpResponse:
        self.authorize(name, Action.PUSH)
        cancel_upload(get_upload(name, upload_id))
        return HttpResponse(status=204)
