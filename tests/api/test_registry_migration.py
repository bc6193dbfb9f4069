"""The data step of registry migration 0002: artifacts pushed before it get Harbor's media type."""

from __future__ import annotations

import importlib

from django.apps import apps

from registry.models import Artifact

from ..registry.helpers import OCI_CONFIG, OCI_INDEX, push_image
from .registry_helpers import push_index

migration = importlib.import_module("registry.migrations.0002_repository_description_artifact_abstract")


def test_old_artifacts_get_their_media_type(admin_client):
    image, _ = push_image(admin_client, "library/app", "v1")
    index, _ = push_index(admin_client, "library/app", "multi", ["amd64"])
    Artifact.objects.update(artifact_media_type="")
    migration.fill_artifact_media_type(apps, None)
    media_types = dict(Artifact.objects.values_list("digest", "artifact_media_type"))
    assert media_types[image] == OCI_CONFIG
    assert media_types[index] == OCI_INDEX
