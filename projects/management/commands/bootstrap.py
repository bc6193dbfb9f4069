"""`manage.py bootstrap`: what `make run` does after migrating, idempotently."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from projects.services import ensure_admin, ensure_default_project
from registry.auth.keys import ensure_key_file


class Command(BaseCommand):
    help = "Create the admin user, the public `library` project and the token signing key."

    def handle(self, *args: Any, **options: Any) -> None:
        generated = ensure_admin(os.environ.get("HARBOR_ADMIN_PASSWORD") or None)
        if generated:
            # Printed once, on the first start only: it is not stored anywhere readable.
            self.stdout.write(self.style.WARNING(f"Created user admin with password: {generated}"))
        ensure_default_project()
        ensure_key_file(settings.TOKEN_PRIVATE_KEY_FILE)
        self.stdout.write("bootstrap: admin user, project library and token key are in place")
