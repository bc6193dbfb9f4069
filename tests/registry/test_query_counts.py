"""The hot paths stay a fixed, small number of SQL queries (design: manifest GET/HEAD budget)."""

from __future__ import annotations

import json

from django.test import Client

from .helpers import push_blob, push_image


def bearer_client(scope: str, authorization: str | None = None) -> Client:
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    token = json.loads(
        Client().get(f"/service/token?service=harbor-registry&scope={scope}", **headers).content
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {token['token']}")


def test_manifest_get_and_head_with_a_token_cost_one_query(admin_client, django_assert_num_queries):
    digest, _ = push_image(admin_client, "library/app", "v1")
    client = bearer_client("repository:library/app:pull")
    client.get("/v2/library/app/manifests/v1")  # warm the token cache
    with django_assert_num_queries(1):
        assert client.get("/v2/library/app/manifests/v1").status_code == 200
    with django_assert_num_queries(1):
        assert client.head(f"/v2/library/app/manifests/{digest}").status_code == 200


def test_blob_head_with_a_token_costs_one_query(admin_client, django_assert_num_queries):
    digest = push_blob(admin_client, "library/app", b"data")
    client = bearer_client("repository:library/app:pull")
    client.head(f"/v2/library/app/blobs/{digest}")
    with django_assert_num_queries(1):
        assert client.head(f"/v2/library/app/blobs/{digest}").status_code == 200


def test_manifest_get_with_basic_auth_costs_three_queries_for_admin(admin_client, django_assert_num_queries):
    push_image(admin_client, "library/app", "v1")
    with django_assert_num_queries(3):  # the account (disabled? password changed?), the project, the manifest
        assert admin_client.get("/v2/library/app/manifests/v1").status_code == 200
