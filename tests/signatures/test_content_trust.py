"""Harbor's content trust at pull time: `enable_content_trust_cosign` and
`enable_content_trust` (Notation) refuse manifests without a signature of that kind."""

from __future__ import annotations

import json

from django.test import Client

from tests.api.registry_helpers import push_referrer

from .conftest import REPO, error, pull
from .signing import certificate, cosign_signature, cosign_tag, ecdsa_key, notation_signature, push_signed


def test_policies_off_pull_as_usual(admin_client, image):
    assert pull(admin_client, "v1").status_code == 200


def test_cosign_policy_refuses_unsigned_get_and_head_with_harbors_error(admin_client, image, policy):
    policy(enable_content_trust_cosign=True)
    for method in ("get", "head"):
        response = pull(admin_client, "v1", method)
        assert response.status_code == 412
    assert error(pull(admin_client, image[0])) == (
        "PROJECTPOLICYVIOLATION",
        "The image is not signed by cosign.",
    )


def test_cosign_signature_by_tag_scheme_or_referrer_lets_the_pull_through(admin_client, policy):
    from tests.registry.helpers import push_image

    policy(enable_content_trust_cosign=True)
    tagged, _ = push_image(admin_client, REPO, "tagged")
    referred, manifest = push_image(admin_client, REPO, "referred")
    key = ecdsa_key()
    push_signed(admin_client, REPO, cosign_tag(tagged), cosign_signature(key, tagged))
    referrer = cosign_signature(key, referred, referrer_size=len(manifest))
    push_signed(admin_client, REPO, referrer.digest, referrer)
    assert pull(admin_client, "tagged").status_code == 200
    assert pull(admin_client, "referred", "head").status_code == 200


def test_a_notation_signature_does_not_satisfy_the_cosign_policy(admin_client, image, policy):
    policy(enable_content_trust_cosign=True)
    ca = certificate("Test CA", ca=True)
    leaf = certificate("builder", ca, ca=False)
    signed = notation_signature(leaf, [ca], image[0], image[1])
    push_signed(admin_client, REPO, signed.digest, signed)
    assert pull(admin_client, "v1").status_code == 412
    policy(enable_content_trust_cosign=False, enable_content_trust=True)
    assert pull(admin_client, "v1").status_code == 200


def test_notation_policy_message(admin_client, image, policy):
    policy(enable_content_trust=True)
    assert error(pull(admin_client, "v1")) == (
        "PROJECTPOLICYVIOLATION",
        "The image is not signed by notation.",
    )


def test_both_policies_need_both_signatures(admin_client, image, policy):
    policy(enable_content_trust=True, enable_content_trust_cosign=True)
    push_signed(admin_client, REPO, cosign_tag(image[0]), cosign_signature(ecdsa_key(), image[0]))
    assert error(pull(admin_client, "v1"))[1] == "The image is not signed by notation."


def test_signatures_and_sboms_stay_pullable(admin_client, image, policy):
    policy(enable_content_trust_cosign=True, enable_content_trust=True)
    push_signed(admin_client, REPO, cosign_tag(image[0]), cosign_signature(ecdsa_key(), image[0]))
    sbom = push_referrer(admin_client, REPO, image[0], "application/vnd.goharbor.harbor.sbom.v1")
    other = push_referrer(admin_client, REPO, image[0], "application/vnd.example.attestation")
    assert pull(admin_client, cosign_tag(image[0])).status_code == 200
    assert pull(admin_client, sbom).status_code == 200
    # any other referrer is an artifact like the others: it needs its own signature
    assert pull(admin_client, other).status_code == 412


def test_an_index_and_each_child_are_judged_by_their_own_signatures(admin_client, index, policy):
    policy(enable_content_trust_cosign=True)
    index_digest, children = index
    key = ecdsa_key()
    push_signed(admin_client, REPO, cosign_tag(index_digest), cosign_signature(key, index_digest))
    assert pull(admin_client, "multi").status_code == 200
    # as in Harbor: the index's signature is not enforced for its children (cosign sign --recursive)
    assert pull(admin_client, children[0]).status_code == 412
    push_signed(admin_client, REPO, cosign_tag(children[0]), cosign_signature(key, children[0]))
    assert pull(admin_client, children[0]).status_code == 200
    assert pull(admin_client, children[1]).status_code == 412


def _token(scope: str, authorization: str) -> str:
    response = Client().get(
        f"/service/token?service=harbor-registry&scope={scope}", HTTP_AUTHORIZATION=authorization
    )
    return json.loads(response.content)["token"]


def test_cosign_and_notation_clients_with_push_tokens_bypass(admin_client, image, policy):
    """They read the manifest before they sign it (Harbor's SkipPolicyChecking)."""
    from tests.conftest import ADMIN_PASSWORD, basic

    policy(enable_content_trust_cosign=True)
    push_token = Client(
        HTTP_AUTHORIZATION=f"Bearer {_token(f'repository:{REPO}:pull,push', basic('admin', ADMIN_PASSWORD))}"
    )
    pull_token = Client(
        HTTP_AUTHORIZATION=f"Bearer {_token(f'repository:{REPO}:pull', basic('admin', ADMIN_PASSWORD))}"
    )
    assert pull(push_token, "v1", HTTP_USER_AGENT="cosign/v2.4.1 (linux; amd64)").status_code == 200
    assert pull(push_token, "v1", HTTP_USER_AGENT="notation-go/1.3.0").status_code == 200
    assert pull(push_token, "v1", HTTP_USER_AGENT="skopeo/1.13").status_code == 412
    assert pull(pull_token, "v1", HTTP_USER_AGENT="cosign/v2.4.1").status_code == 412
    # Basic credentials never bypass, as in Harbor (only its v2token security context does)
    assert pull(admin_client, "v1", HTTP_USER_AGENT="cosign/v2.4.1").status_code == 412


def test_anonymous_pull_of_public_project_is_judged_too(admin_client, image, policy):
    policy(enable_content_trust_cosign=True)
    token = json.loads(
        Client().get(f"/service/token?service=harbor-registry&scope=repository:{REPO}:pull").content
    )
    assert pull(Client(HTTP_AUTHORIZATION=f"Bearer {token['token']}"), "v1").status_code == 412


def test_policy_off_costs_no_query(admin_client, image, django_assert_num_queries):
    with django_assert_num_queries(3):  # the account, the project, the manifest (with its project's policy)
        assert pull(admin_client, "v1").status_code == 200


def test_policy_on_costs_four_more_queries(admin_client, image, policy, django_assert_num_queries):
    push_signed(admin_client, REPO, cosign_tag(image[0]), cosign_signature(ecdsa_key(), image[0]))
    policy(enable_content_trust_cosign=True)
    with django_assert_num_queries(3 + 4):  # the artifact, its tags, its referrers, its signature tag
        assert pull(admin_client, "v1").status_code == 200


def test_a_scanner_pull_token_bypasses(admin_client, image, policy):
    """The token service grants `scanner-pull` once scanner robots exist; the policy already
    honours it, as Harbor's does (asked here directly, with such a token's access)."""
    import pytest

    from projects.principals import Principal, PrincipalKind
    from registry.auth.identity import Identity
    from registry.oci.errors import ProjectPolicyViolation
    from registry.services.manifests import get_manifest
    from signatures.policy import check_pull

    policy(enable_content_trust_cosign=True)
    manifest = get_manifest(REPO, "v1")
    robot = Principal(PrincipalKind.USER, username="robot$library+scanner")
    scanner = Identity(
        robot, token_access={("repository", REPO): frozenset({"scanner-pull"})}, presented=True
    )
    check_pull(scanner, "Trivy/0.50", REPO, manifest)
    puller = Identity(robot, token_access={("repository", REPO): frozenset({"pull"})}, presented=True)
    with pytest.raises(ProjectPolicyViolation):
        check_pull(puller, "Trivy/0.50", REPO, manifest)
