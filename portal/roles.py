"""Role names as people read them (the API keeps Harbor's ids and camelCase names)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from projects.rbac import Role

ROLE_NAMES = {
    Role.PROJECT_ADMIN: _("Project admin"),
    Role.MAINTAINER: _("Maintainer"),
    Role.DEVELOPER: _("Developer"),
    Role.GUEST: _("Guest"),
    Role.LIMITED_GUEST: _("Limited guest"),
}
# In the order Harbor's portal offers them.
ROLE_CHOICES = [(int(role), name) for role, name in ROLE_NAMES.items()]
