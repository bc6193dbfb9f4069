"""What the registry knows about content: repositories, blobs, artifacts, tags, uploads.

Blob bytes live in the blob store (see `storage/layout.py`), stored once per
registry. Manifest bytes are small and live in the `Artifact` row itself, so a
manifest GET is one indexed query with no storage round trip. The link tables
say who may see what: a blob is readable by digest only from repositories it
was pushed or mounted into.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from projects.models import Label, Project


class Repository(models.Model):
    """`<project>/<path...>`; created by the first upload or push into it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="repositories")
    name = models.CharField(max_length=255, unique=True)
    description = models.TextField(blank=True, default="")
    # Manifest GETs, counted off the pull path in batches (see pulls.py), as Harbor's pull_count.
    pull_count = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "repositories"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Blob(models.Model):
    """A piece of content in the blob store, by digest; one row per registry."""

    digest = models.CharField(max_length=200, unique=True)
    size = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.digest


class RepositoryBlob(models.Model):
    """Makes a blob readable (and mountable) from a repository."""

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="blob_links")
    blob = models.ForeignKey(Blob, on_delete=models.CASCADE, related_name="repository_links")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["repository", "blob"], name="unique_repository_blob")]

    def __str__(self) -> str:
        return f"{self.blob_id} in {self.repository_id}"


class Artifact(models.Model):
    """One manifest or index in one repository."""

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="artifacts")
    digest = models.CharField(max_length=200)
    media_type = models.CharField(max_length=255)
    artifact_type = models.CharField(max_length=255, blank=True)
    # artifactType, else the config media type: what the referrers API reports.
    descriptor_artifact_type = models.CharField(max_length=255, blank=True)
    type = models.CharField(max_length=32, default="UNKNOWN")
    # Harbor's artifact `media_type`: the config's media type (an index's own), for the REST API.
    artifact_media_type = models.CharField(max_length=255, blank=True)
    # Harbor's `extra_attrs` (an image's architecture, os, config...). They live in the config
    # blob, so the REST API reads them the first time it shows the artifact and keeps them here;
    # None until then. Pushes never pay for it.
    extra_attrs = models.JSONField(null=True, blank=True)
    content = models.BinaryField()
    manifest_size = models.IntegerField()
    size = models.BigIntegerField(help_text="manifest plus every blob and child it references")
    subject_digest = models.CharField(max_length=200, blank=True, db_index=True)
    annotations = models.JSONField(default=dict, blank=True)
    push_time = models.DateTimeField(default=timezone.now)
    pull_time = models.DateTimeField(null=True, blank=True)
    blobs = models.ManyToManyField(Blob, through="ArtifactBlob", related_name="artifacts")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["repository", "digest"], name="unique_artifact_digest")
        ]
        indexes = [models.Index(fields=["repository", "subject_digest"])]

    def __str__(self) -> str:
        return f"{self.repository.name}@{self.digest}"


class ArtifactBlob(models.Model):
    """A blob an image manifest references (config or layer); GC walks these."""

    artifact = models.ForeignKey(Artifact, on_delete=models.CASCADE, related_name="blob_refs")
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="artifact_refs")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["artifact", "blob"], name="unique_artifact_blob")]

    def __str__(self) -> str:
        return f"{self.blob_id} of {self.artifact_id}"


class ArtifactReference(models.Model):
    """An index's child manifest, with its platform."""

    parent = models.ForeignKey(Artifact, on_delete=models.CASCADE, related_name="child_refs")
    child = models.ForeignKey(Artifact, on_delete=models.PROTECT, related_name="parent_refs")
    platform = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["parent", "child"], name="unique_artifact_reference")]

    def __str__(self) -> str:
        return f"{self.child_id} in {self.parent_id}"


class Tag(models.Model):
    """A name for an artifact within a repository; moving it is one UPDATE."""

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=128)
    artifact = models.ForeignKey(Artifact, on_delete=models.CASCADE, related_name="tags")
    push_time = models.DateTimeField(default=timezone.now)
    pull_time = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["repository", "name"], name="unique_repository_tag")]

    def __str__(self) -> str:
        return f"{self.repository.name}:{self.name}"


class ArtifactLabel(models.Model):
    """A label attached to an artifact (`POST .../artifacts/{ref}/labels`). Deleting either side
    detaches it; a label only ever attaches to artifacts of its own project, or any if global."""

    artifact = models.ForeignKey(Artifact, on_delete=models.CASCADE, related_name="label_refs")
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="artifact_refs")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["artifact", "label"], name="unique_artifact_label")]

    def __str__(self) -> str:
        return f"{self.label_id} on {self.artifact_id}"


class Upload(models.Model):
    """A blob upload in progress: its place in the store and the running hash.

    Everything needed to accept the next chunk is in this row and the staging
    object, so consecutive chunks may reach different web processes.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="uploads")
    offset = models.BigIntegerField(default=0)
    hash_state = models.BinaryField(default=b"")
    storage_state = models.JSONField(default=dict)
    # Set while one request writes the staging (see services.uploads.sole_writer).
    writer_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.id)
