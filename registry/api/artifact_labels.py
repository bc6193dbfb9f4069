"""`.../artifacts/{reference}/labels[/{label_id}]`: attaching labels to an artifact."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from harbor_site.api.schema import errors, ok, path_id
from harbor_site.api.validation import validated
from projects.api_labels import LABEL_READ_ONLY
from projects.rbac import Action, Resource

from ..services.labels import attach_label, detach_label
from .schema import ARTIFACT_PATH
from .tags import ArtifactChildView

_OTHER_LABEL_FIELDS = ("name", "description", "color", "scope", "project_id", *LABEL_READ_ONLY)


class AttachLabelRequest(serializers.Serializer):
    """Harbor's client sends a whole Label; only its id matters here."""

    id = serializers.IntegerField(min_value=1)


class ArtifactLabelsView(ArtifactChildView):
    @extend_schema(
        operation_id="addLabel",
        tags=["artifact"],
        summary="Attach a label (global, or of the artifact's project) to the artifact",
        parameters=ARTIFACT_PATH,
        request=AttachLabelRequest,
        responses={**ok(), **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, project_name: str, repository_name: str, reference: str) -> Response:
        names = (project_name, repository_name, reference)
        artifact = self.artifact(request, names, Action.CREATE, Resource.ARTIFACT_LABEL)
        label_id = validated(AttachLabelRequest, request, ignored=_OTHER_LABEL_FIELDS)["id"]
        attach_label(artifact, label_id)
        return Response()


class ArtifactLabelView(ArtifactChildView):
    @extend_schema(
        operation_id="removeLabel",
        tags=["artifact"],
        summary="Detach a label from the artifact",
        parameters=[*ARTIFACT_PATH, path_id("label_id", "The label's id.")],
        responses={**ok(), **errors(400, 403, 404)},
    )
    def delete(
        self, request: Request, project_name: str, repository_name: str, reference: str, label_id: int
    ) -> Response:
        names = (project_name, repository_name, reference)
        artifact = self.artifact(request, names, Action.DELETE, Resource.ARTIFACT_LABEL)
        detach_label(artifact, label_id)
        return Response()
