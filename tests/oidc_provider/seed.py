"""Creates the provider's users, groups and the registry's client registration (run with manage shell)."""

import os

from django.contrib.auth.models import Group, User
from oauth2_provider.models import Application

for name, password, groups in (
    ("dora", "Dora-pass1", ["harbor-devs", "other-team"]),
    ("olga", "Olga-pass1", ["harbor-admins"]),
):
    user = User.objects.create_user(name, f"{name}@example.org", password)
    for group in groups:
        user.groups.add(Group.objects.get_or_create(name=group)[0])

Application.objects.create(
    name="harbor",
    client_id=os.environ["OIDC_CLIENT_ID"],
    client_secret=os.environ["OIDC_CLIENT_SECRET"],
    hash_client_secret=False,
    client_type=Application.CLIENT_CONFIDENTIAL,
    authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
    redirect_uris=os.environ["OIDC_REDIRECT_URI"],
    algorithm=Application.RS256_ALGORITHM,
    skip_authorization=True,
)
