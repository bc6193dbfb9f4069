"""Tag list, catalog and referrers (end-8a/8b, end-12a/12b, `_catalog`)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse

from projects.permissions import can
from projects.rbac import Action, Resource

from ..oci.digest import parse_digest
from ..oci.errors import BadRequest, DigestInvalid, Unauthorized
from ..services.listing import Page, catalog_page, parse_page_size, referrers, referrers_index, tag_page
from .base import RegistryView, challenge

CATALOG_SCOPE = "registry:catalog:*"


def paged_response(request: HttpRequest, body: dict, page: Page, n: int | None) -> HttpResponse:
    response = JsonResponse(body)
    if page.next_last is not None:
        query = urlencode({"n": n, "last": page.next_last})
        response["Link"] = f'<{request.path}?{query}>; rel="next"'
    return response


class TagListView(RegistryView):
    def get(self, request: HttpRequest, name: str) -> HttpResponse:
        self.authorize(name, Action.PULL)
        n = parse_page_size(request.GET.get("n"))
        page = tag_page(name, n, request.GET.get("last"))
        return paged_response(request, {"name": name, "tags": page.items}, page, n)


class CatalogView(RegistryView):
    """Harbor keeps the catalog for system administrators; others get an empty list."""

    def get(self, request: HttpRequest) -> HttpResponse:
        identity = self.identity
        if not identity.presented:
            raise Unauthorized(headers={"WWW-Authenticate": challenge(request, [CATALOG_SCOPE])})
        if identity.token_access is not None:
            allowed = identity.token_allows("registry", "catalog", "*")
        else:
            allowed = can(identity.principal, Action.READ, Resource.CATALOG)
        n = parse_page_size(request.GET.get("n"))
        page = catalog_page(n, request.GET.get("last")) if allowed else Page([], None)
        return paged_response(request, {"repositories": page.items}, page, n)


class ReferrersView(RegistryView):
    def get(self, request: HttpRequest, name: str, digest: str) -> HttpResponse:
        self.authorize(name, Action.PULL)
        try:
            parse_digest(digest)
        except DigestInvalid as exc:
            raise BadRequest(f"referrers need a digest: {exc.message}") from None
        artifact_type = request.GET.get("artifactType")
        descriptors = referrers(name, digest, artifact_type)
        response = JsonResponse(
            referrers_index(descriptors), content_type="application/vnd.oci.image.index.v1+json"
        )
        response["X-Total-Count"] = str(len(descriptors))
        if artifact_type:
            response["OCI-Filters-Applied"] = "artifactType"
        return response
