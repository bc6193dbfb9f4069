"""The system settings page: Harbor's configuration keys as one form.

Each key is shown by its type (a checkbox, a number, a choice, text); secrets are write-only
(an empty field keeps the stored one); keys fixed by `HARBOR_CONFIG_<KEY>` are shown but cannot
be changed. Only keys whose value actually changes are sent to `change_configuration`, the
service the REST API uses, so a save is validated and audited as an API PUT is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from configuration.keys import KEYS, Key
from configuration.services import change_configuration
from configuration.store import ConfigError, get_config, is_editable
from projects.rbac import Action, Resource

from .administration import admin_page, require_system

# Sections of the page, by key prefix; the rest is "general".
# (Marked for translation here; the template translates them as it shows them.)
_AUDIT = gettext_noop("Audit log")
_SECTIONS = (("ldap_", gettext_noop("LDAP")), ("oidc_", gettext_noop("OIDC")), ("audit_", _AUDIT))
_SECTIONS += (("disabled_audit", _AUDIT), ("skip_audit", _AUDIT))
_GENERAL = gettext_noop("General")


@dataclass(frozen=True)
class Field:
    key: Key
    value: Any
    editable: bool

    @property
    def widget(self) -> str:
        if self.key.secret:
            return "secret"
        if self.key.choices:
            return "choice"
        return {bool: "checkbox", int: "number"}.get(self.key.type, "text")


def _section(name: str) -> str:
    return next((title for prefix, title in _SECTIONS if name.startswith(prefix)), _GENERAL)


def _fields() -> dict[str, list[Field]]:
    values = get_config()
    sections: dict[str, list[Field]] = {}
    for name, key in KEYS.items():
        field = Field(key, "" if key.secret else values[name], is_editable(name))
        sections.setdefault(_section(name), []).append(field)
    return sections


def _submitted(request: HttpRequest) -> dict[str, Any]:
    """The keys the form changes. A checkbox is absent when unticked, so booleans are read
    from every editable boolean key of the form; other keys only when sent."""
    current = get_config()
    changes: dict[str, Any] = {}
    for name, key in KEYS.items():
        if not is_editable(name):
            continue
        if key.type is bool:
            value: Any = name in request.POST
        elif name not in request.POST or (key.secret and not request.POST[name]):
            continue
        else:
            value = request.POST[name]
            if key.type is int:
                try:
                    value = int(value)
                except ValueError:
                    raise ConfigError(f"{name} must be an integer") from None
        if key.secret or value != current[name]:
            changes[name] = value
    return changes


@login_required
def system_settings(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        principal = require_system(request, Action.UPDATE, Resource.CONFIGURATION)
        try:
            changes = _submitted(request)
            if changes:
                change_configuration(principal.username, changes)
        except ConfigError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Settings saved."))
        return redirect("portal:admin-settings")
    require_system(request, Action.READ, Resource.CONFIGURATION)
    return admin_page(request, "settings", "settings", sections=_fields())
