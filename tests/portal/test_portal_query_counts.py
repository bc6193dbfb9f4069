"""The project list and the artifact list cost the same number of queries for 1 item as
for 1,000 (paged), so a large registry does not make the portal slow."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Project, ProjectMember
from projects.rbac import Role
from registry.models import Artifact, Blob, Repository, RepositoryBlob, Tag


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _projects(count: int, user) -> None:
    projects = Project.objects.bulk_create(
        [Project(name=f"p{i:04d}", public=i % 2 == 0) for i in range(count)]
    )
    ProjectMember.objects.bulk_create(
        [ProjectMember(project=project, user=user, role=Role.DEVELOPER) for project in projects[1::2]]
    )
    repositories = Repository.objects.bulk_create(
        [Repository(project=project, name=f"{project.name}/app") for project in projects]
    )
    blob, _ = Blob.objects.get_or_create(digest="sha256:" + "b" * 64, defaults={"size": 1234})
    RepositoryBlob.objects.bulk_create([RepositoryBlob(repository=r, blob=blob) for r in repositories])


def _artifacts(repository: Repository, count: int, start: int = 0) -> None:
    artifacts = Artifact.objects.bulk_create(
        [
            Artifact(
                repository=repository,
                digest="sha256:" + hashlib.sha256(str(i).encode()).hexdigest(),
                media_type="application/vnd.oci.image.manifest.v1+json",
                content=b"{}",
                manifest_size=2,
                size=1000 + i,
            )
            for i in range(start, start + count)
        ]
    )
    Tag.objects.bulk_create(
        [Tag(repository=repository, artifact=a, name=f"t{i}") for i, a in enumerate(artifacts, start)]
    )


@pytest.mark.django_db
def test_project_list_queries_do_not_grow(login, django_user_model):
    client = login("lister")
    user = django_user_model.objects.get(username="lister")
    _projects(1, user)
    one = queries(client, "/")
    Project.objects.all().delete()
    _projects(1000, user)
    many = queries(client, "/")
    assert many == one, (one, many)
    body = client.get("/?page=2").content.decode()
    assert (
        "p0025" in body and "p0049" in body and "p0050" not in body and "Page 2 of 40" in body
    )  # 25 a page; the user sees all 1,000


@pytest.mark.django_db
def test_artifact_list_queries_do_not_grow(login, secret_project):
    client = login("reader", secret_project, Role.GUEST)
    repository = Repository.objects.create(project=secret_project, name="secret/big")
    _artifacts(repository, 1)
    one = queries(client, "/projects/secret/r/big/-/artifacts")
    _artifacts(repository, 999, start=1)
    many = queries(client, "/projects/secret/r/big/-/artifacts")
    assert many == one, (one, many)
    body = client.get("/projects/secret/r/big/-/artifacts?page=40").content.decode()
    assert "Page 40 of 40" in body and "1000 items" in body
