"""Read-mostly admin pages for operators: find content by name or digest."""

from django.contrib import admin

from harbor_site.admin_base import ReadOnlyAdmin

from .models import Artifact, ArtifactLabel, Blob, Repository, Tag, Upload


@admin.register(Repository)
class RepositoryAdmin(ReadOnlyAdmin):
    list_display = ("name", "project", "created_at", "updated_at")
    list_select_related = ("project",)
    search_fields = ("name",)


@admin.register(Artifact)
class ArtifactAdmin(ReadOnlyAdmin):
    list_display = ("repository", "digest", "type", "media_type", "size", "push_time")
    list_select_related = ("repository",)
    list_filter = ("type",)
    search_fields = ("digest", "repository__name")
    exclude = ("content",)


@admin.register(Tag)
class TagAdmin(ReadOnlyAdmin):
    list_display = ("name", "repository", "artifact_digest", "push_time")
    list_select_related = ("repository", "artifact")
    search_fields = ("name", "repository__name", "artifact__digest")

    @admin.display(description="digest")
    def artifact_digest(self, tag: Tag) -> str:
        return tag.artifact.digest


@admin.register(Blob)
class BlobAdmin(ReadOnlyAdmin):
    list_display = ("digest", "size", "created_at")
    search_fields = ("digest",)


@admin.register(Upload)
class UploadAdmin(ReadOnlyAdmin):
    list_display = ("id", "repository", "offset", "created_at", "updated_at")
    list_select_related = ("repository",)


@admin.register(ArtifactLabel)
class ArtifactLabelAdmin(ReadOnlyAdmin):
    """Labels are attached through the API and portal, which check the label's project."""

    list_display = ("label", "artifact", "created_at")
    list_select_related = ("label", "artifact")
    search_fields = ("label__name", "artifact__digest")
