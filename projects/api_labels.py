"""`/labels`: global labels (scope `g`, system administrators) and project labels (scope `p`)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from harbor_site.api.errors import BadRequest, Conflict, NotFound
from harbor_site.api.permissions import require, require_authenticated
from harbor_site.api.schema import LOCATION, errors, ok, paging, path_id
from harbor_site.api.validation import validated
from harbor_site.api.views import HarborAPIView, query_int

from .api_system_schema import LabelRequestSerializer, LabelSerializer, LabelUpdateSerializer
from .models import Label, Project
from .rbac import Action, Resource


def label_json(label: Label) -> dict[str, Any]:
    return {
        "id": label.pk,
        "name": label.name,
        "description": label.description,
        "color": label.color,
        "scope": label.scope,
        "project_id": label.project_id or 0,
        "creation_time": label.created_at,
        "update_time": label.updated_at,
        "deleted": False,
    }


# Harbor's clients send a whole Label, read-only fields included.
LABEL_READ_ONLY = ("id", "creation_time", "update_time", "deleted")


class LabelRequest(serializers.Serializer):
    name = serializers.RegexField(r"^[^\s][\w .:/-]{0,127}\Z", required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=1024)
    color = serializers.RegexField(r"^(#[0-9A-Fa-f]{3,8})?\Z", required=False, allow_blank=True)
    scope = serializers.ChoiceField(choices=[Label.GLOBAL, Label.PROJECT], required=False)
    project_id = serializers.IntegerField(required=False)


def _check(request: Request, label_project: Project | None, action: Action) -> None:
    """Global labels are a system resource; project labels belong to their project."""
    require(request, action, Resource.LABEL, label_project)


def save_label(label: Label) -> None:
    """Save a new or changed label; a name already used in its scope is a conflict (409)."""
    try:
        with transaction.atomic():
            label.save()
    except IntegrityError:
        raise Conflict(f"a label named {label.name} already exists here") from None


@extend_schema_view(
    get=extend_schema(
        operation_id="listLabels",
        summary="List global labels, or one project's",
        parameters=[
            *paging(query=False),
            OpenApiParameter("name", str, description="Labels whose name contains this."),
            OpenApiParameter(
                "scope", str, enum=[Label.GLOBAL, Label.PROJECT], default=Label.GLOBAL, description="g or p."
            ),
            OpenApiParameter("project_id", int, description="The project, for scope p."),
        ],
        responses={**ok(LabelSerializer(many=True)), **errors(400, 403)},
    ),
    post=extend_schema(
        operation_id="createLabel",
        summary="Create a label",
        parameters=[LOCATION],
        request=LabelRequestSerializer,
        responses={**ok(status=201, description="Created"), **errors(400, 403, 409)},
    ),
)
@extend_schema(tags=["label"])
class LabelListView(HarborAPIView):
    default_ordering = ["name"]
    sort_fields = {"name": "name", "creation_time": "created_at", "id": "id"}

    def get(self, request: Request) -> Response:
        scope = request.query_params.get("scope", Label.GLOBAL)
        labels = Label.objects.filter(scope=scope)
        if scope == Label.PROJECT:
            project = Project.objects.filter(pk=query_int(request, "project_id") or 0).first()
            if project is None:
                raise BadRequest("project labels need an existing project_id")
            require(request, Action.LIST, Resource.LABEL, project)
            labels = labels.filter(project=project)
        elif scope == Label.GLOBAL:
            require_authenticated(request)
        else:
            raise BadRequest("scope must be g or p")
        if request.query_params.get("name"):
            labels = labels.filter(name__icontains=request.query_params["name"])
        return self.paged(request, self.filtered(request, labels), lambda page: [label_json(x) for x in page])

    def post(self, request: Request) -> Response:
        values = validated(LabelRequest, request, ignored=LABEL_READ_ONLY)
        if "name" not in values:
            raise BadRequest("name is required")
        scope = values.get("scope", Label.GLOBAL)
        project = None
        if scope == Label.PROJECT:
            project = Project.objects.filter(pk=values.get("project_id") or 0).first()
            if project is None:
                raise BadRequest("a project label needs an existing project_id")
        _check(request, project, Action.CREATE)
        label = Label(
            name=values["name"],
            description=values.get("description", ""),
            color=values.get("color", ""),
            scope=scope,
            project=project,
        )
        save_label(label)
        return Response(status=201, headers={"Location": f"/api/v2.0/labels/{label.pk}"})


@extend_schema_view(
    get=extend_schema(
        operation_id="getLabelByID",
        summary="Read a label",
        responses={**ok(LabelSerializer), **errors(403, 404)},
    ),
    put=extend_schema(
        operation_id="updateLabel",
        summary="Change a label's name, description or color",
        request=LabelUpdateSerializer,
        responses={**ok(), **errors(400, 403, 404, 409)},
    ),
    delete=extend_schema(
        operation_id="deleteLabel",
        summary="Delete a label",
        responses={**ok(), **errors(403, 404)},
    ),
)
@extend_schema(tags=["label"], parameters=[path_id("label_id", "The label's id.")])
class LabelView(HarborAPIView):
    def _label(self, request: Request, label_id: int, action: Action) -> Label:
        label = Label.objects.select_related("project").filter(pk=label_id).first()
        if label is None:
            require_authenticated(request)
            raise NotFound(f"label {label_id} not found")
        _check(request, label.project, action)
        return label

    def get(self, request: Request, label_id: int) -> Response:
        label = Label.objects.filter(pk=label_id).first()
        if label is not None and label.scope == Label.GLOBAL:
            require_authenticated(request)  # everyone who is logged in may see global labels
            return Response(label_json(label))
        return Response(label_json(self._label(request, label_id, Action.READ)))

    def put(self, request: Request, label_id: int) -> Response:
        label = self._label(request, label_id, Action.UPDATE)
        values = validated(LabelRequest, request, ignored=LABEL_READ_ONLY)
        for field in ("name", "description", "color"):
            if field in values:
                setattr(label, field, values[field])
        save_label(label)
        return Response()

    def delete(self, request: Request, label_id: int) -> Response:
        self._label(request, label_id, Action.DELETE).delete()
        return Response()
