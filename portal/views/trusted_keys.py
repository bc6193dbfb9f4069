"""A project's trusted keys: the cosign public keys and Notation CA certificates its signatures
are verified against. Added and removed through `signatures.services`, as the API and the admin
do, so every change is validated the same way, audited, and forgets the cached verdicts."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projects.rbac import Action, Resource
from signatures.keys import InvalidKey
from signatures.models import KeyKind, TrustedKey
from signatures.services import KeyConflict, add_key, remove_key, validated_key

from ..access import project_access
from ..paging import page_of


def key_list(request: HttpRequest, project: str) -> HttpResponse:
    access = project_access(request, project)
    access.require(Action.LIST, Resource.TRUSTED_KEY)
    keys = TrustedKey.objects.filter(project=access.project).order_by("name")
    verifying = access.project.metadata.get("enable_signature_verification") == "true"
    context = {
        "access": access,
        "tab": "trusted-keys",
        "page": page_of(request, keys),
        "kinds": KeyKind.choices,
        "verifying": verifying,
    }
    return render(request, "portal/trusted_keys.html", context)


@require_POST
def key_add(request: HttpRequest, project: str) -> HttpResponse:
    access = project_access(request, project)
    access.require(Action.CREATE, Resource.TRUSTED_KEY)
    fields = {name: request.POST.get(name, "") for name in ("name", "kind", "pem", "trusted_identity")}
    try:
        key = add_key(request.user.username, validated_key(access.project, **fields))
    except (InvalidKey, KeyConflict) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Key %(name)s is trusted now.") % {"name": key.name})
    return redirect("portal:trusted-keys", project=project)


@require_POST
def key_remove(request: HttpRequest, project: str, key_id: int) -> HttpResponse:
    access = project_access(request, project)
    access.require(Action.DELETE, Resource.TRUSTED_KEY)
    key = TrustedKey.objects.filter(pk=key_id, project=access.project).first()
    if key is None:
        raise Http404("no such key")
    remove_key(request.user.username, key)
    messages.success(request, _("Key %(name)s is no longer trusted.") % {"name": key.name})
    return redirect("portal:trusted-keys", project=project)
