"""`tags list/create/delete` over `.../artifacts/{reference}/tags`."""

from __future__ import annotations

from typing import Any

import click

from ..cli import Listing, RepoRef, RepoRefType, State, fetch_list, json_option, list_options, pass_state
from ..client import segment
from ..output import Column, short_digest
from .artifacts import artifact_path, artifacts_path

COLUMNS = [
    Column("TAG", "name"),
    Column("DIGEST", "digest", short_digest),
    Column("PUSHED", "push_time"),
    Column("PULLED", "pull_time"),
    Column("IMMUTABLE", "immutable"),
]


def _with_digest(artifact: dict[str, Any]) -> list[dict[str, Any]]:
    """Harbor's tag objects carry the artifact id only; add the digest people recognise."""
    return [{**tag, "digest": artifact.get("digest")} for tag in artifact.get("tags") or []]


@click.group()
def tags() -> None:
    """Tags of artifacts."""


@tags.command("list")
@click.argument("target", type=RepoRefType("optional"))
@list_options(sort=True)
@pass_state
def list_tags(state: State, target: RepoRef, listing: Listing) -> None:
    """List the tags of an artifact (PROJECT/REPO:TAG or @DIGEST), or of every artifact of
    PROJECT/REPO (paging then counts artifacts, not tags)."""
    if target.reference is None:
        params = listing.params(with_tag="true")
        found = fetch_list(
            state,
            artifacts_path(target),
            listing,
            params,
            not_found=f'repository "{target.full_name}"',
            what="artifacts",
        )
        rows = [tag for artifact in found for tag in _with_digest(artifact)]
    else:
        tags_of_one = fetch_list(
            state,
            f"{artifact_path(target)}/tags",
            listing,
            listing.params(),
            not_found=f'artifact "{target}"',
            what="tags",
        )
        digest = _digest_of(state, target) if tags_of_one else None
        rows = [{**tag, "digest": digest} for tag in tags_of_one]
    state.out.table(rows, COLUMNS)


def _digest_of(state: State, target: RepoRef) -> str | None:
    """The artifact's digest for the table: the reference itself, or one read of the artifact."""
    assert target.reference is not None
    if target.reference.startswith("sha256:"):
        return target.reference
    artifact = state.client.get(artifact_path(target), params={"with_tag": "false"})
    return artifact.get("digest") if isinstance(artifact, dict) else None


@tags.command("create")
@click.argument("artifact", type=RepoRefType("required"))
@click.argument("tag")
@json_option
@pass_state
def create_tag(state: State, artifact: RepoRef, tag: str) -> None:
    """Add TAG to an existing ARTIFACT (PROJECT/REPO:TAG or PROJECT/REPO@DIGEST)."""
    state.client.post(f"{artifact_path(artifact)}/tags", {"name": tag}, not_found=f'artifact "{artifact}"')
    state.out.done(
        f'Tagged "{artifact}" as "{artifact.full_name}:{tag}".', {"created": f"{artifact.full_name}:{tag}"}
    )


@tags.command("delete")
@click.argument("tag", type=RepoRefType("required"))
@json_option
@pass_state
def delete_tag(state: State, tag: RepoRef) -> None:
    """Remove the tag PROJECT/REPO:TAG (the artifact stays)."""
    assert tag.reference is not None
    if "@" in str(tag):
        raise click.BadParameter(f"{tag}: name the tag (PROJECT/REPO:TAG), not a digest", param_hint="TAG")
    path = f"{artifact_path(tag)}/tags/{segment(tag.reference)}"
    state.client.delete(path, not_found=f'tag "{tag}"')
    state.out.done(f'Deleted tag "{tag}".', {"deleted": str(tag)})
