"""Labels (global and project) and quotas over the API."""

from __future__ import annotations

import os

from django.test import Client

from projects.models import Label, Project, ProjectMember
from projects.rbac import Role

from ..conftest import basic
from ..registry.helpers import push_blob

API = "/api/v2.0"


def test_global_labels_are_for_admins_to_manage(admin_client, django_user_model):
    django_user_model.objects.create_user("dev", password="Password1")
    dev = Client(HTTP_AUTHORIZATION=basic("dev", "Password1"))
    body = {"name": "prod", "color": "#FF0000", "scope": "g"}
    assert dev.post(f"{API}/labels", body, content_type="application/json").status_code == 403
    created = admin_client.post(f"{API}/labels", body, content_type="application/json")
    assert created.status_code == 201
    label_id = int(created["Location"].rsplit("/", 1)[1])
    assert admin_client.post(f"{API}/labels", body, content_type="application/json").status_code == 409
    assert [label["name"] for label in dev.get(f"{API}/labels?scope=g").json()] == ["prod"]
    assert dev.get(f"{API}/labels/{label_id}").json()["color"] == "#FF0000"
    assert (
        admin_client.put(
            f"{API}/labels/{label_id}", {"description": "live"}, content_type="application/json"
        ).status_code
        == 200
    )
    assert admin_client.delete(f"{API}/labels/{label_id}").status_code == 200
    assert not Label.objects.exists()


def test_project_labels_belong_to_the_project(admin_client, django_user_model):
    team = Project.objects.create(name="team")
    lead = django_user_model.objects.create_user("lead", password="Password1")
    ProjectMember.objects.create(project=team, user=lead, role=Role.PROJECT_ADMIN)
    lead_client = Client(HTTP_AUTHORIZATION=basic("lead", "Password1"))
    body = {"name": "qa", "scope": "p", "project_id": team.pk}
    assert lead_client.post(f"{API}/labels", body, content_type="application/json").status_code == 201
    assert [
        label["name"] for label in lead_client.get(f"{API}/labels?scope=p&project_id={team.pk}").json()
    ] == ["qa"]
    other = Project.objects.create(name="other")
    refused = lead_client.post(
        f"{API}/labels", {**body, "project_id": other.pk}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert (
        admin_client.post(f"{API}/labels", {"name": "x" * 200}, content_type="application/json").status_code
        == 400
    )


def test_quotas_count_each_blob_once_per_project(admin_client):
    data = os.urandom(1000)
    push_blob(admin_client, "library/a", data)
    push_blob(admin_client, "library/b", data)  # the same blob in a second repository
    push_blob(admin_client, "library/b", os.urandom(500))
    library = Project.objects.get(name="library")
    quota = admin_client.get(f"{API}/quotas/{library.pk}").json()
    assert quota["used"] == {"storage": 1500}
    assert quota["hard"] == {"storage": -1}
    assert quota["ref"]["name"] == "library"
    assert (
        admin_client.put(
            f"{API}/quotas/{library.pk}", {"hard": {"storage": 10_000}}, content_type="application/json"
        ).status_code
        == 200
    )
    listing = admin_client.get(f"{API}/quotas").json()
    assert listing[0]["hard"] == {"storage": 10_000}
    assert (
        admin_client.put(
            f"{API}/quotas/{library.pk}", {"hard": {"storage": "lots"}}, content_type="application/json"
        ).status_code
        == 400
    )
