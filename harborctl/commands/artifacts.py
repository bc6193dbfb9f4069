"""`artifacts list/get/delete` over `/projects/{p}/repositories/{r}/artifacts`."""

from __future__ import annotations

from typing import Any

import click

from ..cli import Listing, RepoRef, RepoRefType, State, fetch_list, json_option, list_options, pass_state
from ..client import reference_segment
from ..output import Column, short_digest, size
from .repositories import repository_path


def tag_names(artifact: dict[str, Any]) -> str:
    return ", ".join(tag.get("name", "") for tag in artifact.get("tags") or [])


COLUMNS = [
    Column("DIGEST", "digest", short_digest),
    Column("TAGS", tag_names),
    Column("TYPE", "type"),
    Column("SIZE", "size", size),
    Column("PUSHED", "push_time"),
    Column("PULLED", "pull_time"),
]

DETAIL = [
    Column("digest", "digest"),
    Column("tags", tag_names),
    Column("type", "type"),
    Column("media type", "manifest_media_type"),
    Column("artifact type", "artifact_type"),
    Column("size", "size", size),
    Column("repository", "repository_name"),
    Column("pushed", "push_time"),
    Column("pulled", "pull_time"),
    Column(
        "os/arch",
        lambda a: "/".join(
            filter(None, [(a.get("extra_attrs") or {}).get(k) for k in ("os", "architecture")])
        ),
    ),
    Column("labels", lambda a: ", ".join(label.get("name", "") for label in a.get("labels") or [])),
    Column("references", lambda a: len(a.get("references") or []) or ""),
    Column("annotations", "annotations"),
]


def artifacts_path(ref: RepoRef) -> str:
    return f"{repository_path(ref)}/artifacts"


def artifact_path(ref: RepoRef) -> str:
    assert ref.reference is not None  # RepoRefType("required") guarantees it
    return f"{artifacts_path(ref)}/{reference_segment(ref.reference)}"


def not_found(ref: RepoRef) -> str:
    return f'artifact "{ref}"'


@click.group()
def artifacts() -> None:
    """Artifacts (images, indexes, other OCI artifacts)."""


@artifacts.command("list")
@click.argument("repository", type=RepoRefType("forbidden"))
@click.option("--with-label", is_flag=True, help="Include labels.")
@click.option("--with-scan-overview", is_flag=True, help="Include the vulnerability scan summary.")
@click.option("--with-accessory", is_flag=True, help="Include accessories (signatures, SBOMs).")
@list_options()
@pass_state
def list_artifacts(
    state: State,
    repository: RepoRef,
    with_label: bool,
    with_scan_overview: bool,
    with_accessory: bool,
    listing: Listing,
) -> None:
    """List the artifacts of PROJECT/REPOSITORY with their tags."""
    params = listing.params(
        with_tag="true",
        with_label=str(with_label).lower(),
        with_scan_overview=str(with_scan_overview).lower(),
        with_accessory=str(with_accessory).lower(),
    )
    items = fetch_list(
        state,
        artifacts_path(repository),
        listing,
        params,
        not_found=f'repository "{repository.full_name}"',
        what="artifacts",
    )
    state.out.table(items, COLUMNS)


@artifacts.command("get")
@click.argument("artifact", type=RepoRefType("required"))
@json_option
@pass_state
def get_artifact(state: State, artifact: RepoRef) -> None:
    """Show PROJECT/REPOSITORY:TAG or PROJECT/REPOSITORY@DIGEST."""
    params = {"with_tag": "true", "with_label": "true", "with_scan_overview": "true"}
    data = state.client.get(artifact_path(artifact), params=params, not_found=not_found(artifact))
    state.out.record(data, DETAIL)


@artifacts.command("delete")
@click.argument("artifact", type=RepoRefType("required"))
@json_option
@pass_state
def delete_artifact(state: State, artifact: RepoRef) -> None:
    """Delete an artifact and every tag pointing at it."""
    state.client.delete(artifact_path(artifact), not_found=not_found(artifact))
    state.out.done(f'Deleted artifact "{artifact}".', {"deleted": str(artifact)})
