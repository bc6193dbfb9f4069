"""`/projects/{p}/members` and `/projects/{p}/members/{mid}` (Harbor's member API).

Managing members needs `member:create|update|delete`, which only project admins
(and system administrators) hold; every role but limitedGuest may read and list
them (harbor.md §2.2). A member is a user or a group: a user is named by id or
username (a directory user is onboarded when the auth mode is ldap_auth), a
group by id, LDAP DN or name (found in the directory, or created for OIDC and
HTTP groups), as Harbor's member controller does.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import directory
from accounts.api.common import api_error
from accounts.api.services import AccountError
from accounts.models import GroupType, User, UserGroup
from configuration.store import get as config_value
from events.bus import publish
from events.domain import MemberCreated, MemberDeleted, MemberUpdated
from harbor_site.api.errors import BadRequest, Conflict, NotFound
from harbor_site.api.permissions import require
from harbor_site.api.schema import LOCATION, PROJECT_PATH, errors, ok, paging, path_id
from harbor_site.api.validation import validated
from harbor_site.api.views import HarborAPIView, project_from_path

from .api_schema import ProjectMemberEntitySerializer, ProjectMemberRequestSerializer, RoleRequestSerializer
from .models import Project, ProjectMember
from .principals import Principal
from .rbac import Action, Resource, Role

INVALID_ROLE = "invalid role: must be a built-in project role (1-5)"


class MemberUser(serializers.Serializer):
    user_id = serializers.IntegerField(required=False)
    username = serializers.CharField(required=False, allow_blank=True)


class MemberGroup(serializers.Serializer):
    id = serializers.IntegerField(required=False)
    group_name = serializers.CharField(required=False, allow_blank=True)
    group_type = serializers.IntegerField(required=False)
    ldap_group_dn = serializers.CharField(required=False, allow_blank=True)


class MemberRequest(serializers.Serializer):
    role_id = serializers.IntegerField()
    member_user = MemberUser(required=False, allow_null=True)
    member_group = MemberGroup(required=False, allow_null=True)


class RoleRequest(serializers.Serializer):
    role_id = serializers.IntegerField()


def _role(request: Request, serializer: type[serializers.Serializer]) -> tuple[Role, dict[str, Any]]:
    data = validated(serializer, request)
    if data["role_id"] not in Role.values:
        raise BadRequest(INVALID_ROLE)
    return Role(data["role_id"]), data


def entity_name(member: ProjectMember) -> str:
    return member.user.username if member.user_id else member.group.name


def member_json(member: ProjectMember) -> dict[str, Any]:
    """Harbor's ProjectMemberEntity."""
    return {
        "id": member.pk,
        "project_id": member.project_id,
        "entity_name": entity_name(member),
        "role_name": Role(member.role).label,
        "role_id": member.role,
        "entity_id": member.user_id or member.group_id,
        "entity_type": member.entity_type,
    }


def members_of(project: Project) -> QuerySet[ProjectMember]:
    """The project's members with their user or group, sortable by entity name (one query)."""
    return (
        ProjectMember.objects.filter(project=project)
        .select_related("user", "group")
        .annotate(entity_name=Coalesce("user__username", "group__name"))
        .order_by("entity_name", "id")
    )


# --- finding the member's user or group ----------------------------------------------------


def _user(operator: Principal, wanted: dict[str, Any]) -> User:
    if wanted.get("user_id", 0) > 0:
        user = User.objects.filter(pk=wanted["user_id"]).first()
        if user is None:
            raise BadRequest(f"User {wanted['user_id']} not found")
        return user
    username = wanted["username"]
    user = User.objects.filter(username=username).first() or _onboarded_user(operator, username)
    if user is None:
        raise NotFound(f"user {username} not found")
    return user


def _onboarded_user(operator: Principal, username: str) -> User | None:
    try:
        return directory.onboard_user_named(operator, username)
    except directory.DirectoryError as exc:
        raise api_error(exc) from None


def _group(wanted: dict[str, Any]) -> UserGroup:
    if wanted.get("id", 0) > 0:
        group = UserGroup.objects.filter(pk=wanted["id"]).first()
        if group is None:
            raise BadRequest(f"Group {wanted['id']} not found")
        return group
    if wanted.get("ldap_group_dn"):
        return _ldap_group(wanted["ldap_group_dn"], wanted.get("group_name", ""))
    return _named_group(wanted["group_name"], wanted.get("group_type"))


def _ldap_group(dn: str, name: str) -> UserGroup:
    """A known LDAP group with this DN, else (in ldap_auth) the directory's, onboarded."""
    known = UserGroup.objects.filter(group_type=GroupType.LDAP, ldap_group_dn__iexact=dn).first()
    if known is not None:
        return known
    group = None
    if config_value("auth_mode") == "ldap_auth":
        try:
            group = directory.onboard_group(dn, name)
        except directory.InvalidDN as exc:
            raise BadRequest(str(exc)) from None
        except (directory.DirectoryError, AccountError) as exc:
            raise api_error(exc) from None
    if group is None:
        raise NotFound(f"{dn} not found")
    return group


# Auth modes whose groups exist wherever the identity provider says so: Harbor creates them
# on first use by name.
_NAMED_GROUP_MODES = {"oidc_auth": GroupType.OIDC, "http_auth": GroupType.HTTP}


def _named_group(name: str, group_type: int | None) -> UserGroup:
    groups = UserGroup.objects.filter(name=name)
    if group_type:
        groups = groups.filter(group_type=group_type)
    group = groups.order_by("id").first()
    if group is not None:
        return group
    mode_type = _NAMED_GROUP_MODES.get(config_value("auth_mode"))
    if mode_type is None:
        raise NotFound(f"{name} not found")
    return UserGroup.objects.get_or_create(name=name, group_type=mode_type)[0]


def find_entity(operator: Principal, data: dict[str, Any]) -> User | UserGroup:
    """Harbor's order: user id, group id, username, group DN, group name."""
    user, group = data.get("member_user") or {}, data.get("member_group") or {}
    if user.get("user_id", 0) > 0:
        return _user(operator, user)
    if group.get("id", 0) > 0:
        return _group(group)
    if user.get("username"):
        return _user(operator, user)
    if group.get("ldap_group_dn") or group.get("group_name"):
        return _group(group)
    raise BadRequest("at least one of member_user or member_group must be provided")


# --- changes -------------------------------------------------------------------------------


def _event(kind: type, operator: Principal, project: Project, member: ProjectMember) -> Any:
    return kind(
        operator.username,
        project_id=project.pk,
        project_name=project.name,
        name=entity_name(member),
        entity_type=member.entity_type,
    )


@transaction.atomic
def add_member(operator: Principal, project: Project, role: Role, entity: User | UserGroup) -> ProjectMember:
    key = {"user": entity} if isinstance(entity, User) else {"group": entity}
    if ProjectMember.objects.filter(project=project, **key).exists():
        raise Conflict("The project member specified already exist")
    try:
        with transaction.atomic():
            member = ProjectMember.objects.create(project=project, role=role, **key)
    except IntegrityError:
        raise Conflict("The project member specified already exist") from None
    publish(_event(MemberCreated, operator, project, member))
    return member


@transaction.atomic
def change_role(operator: Principal, project: Project, member: ProjectMember, role: Role) -> None:
    member.role = role
    member.save(update_fields=["role"])
    publish(_event(MemberUpdated, operator, project, member))


@transaction.atomic
def remove_member(operator: Principal, project: Project, member: ProjectMember) -> None:
    event = _event(MemberDeleted, operator, project, member)
    member.delete()
    publish(event)


# --- views ---------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        operation_id="listProjectMembers",
        summary="The project's members, sorted by name",
        parameters=[
            *paging(query=False, sort=False),
            OpenApiParameter("entityname", str, description="Only the member with this user or group name."),
        ],
        responses={**ok(ProjectMemberEntitySerializer(many=True)), **errors(400, 403, 404)},
    ),
    post=extend_schema(
        operation_id="createProjectMember",
        summary="Add a user or group to the project with a role",
        description=(
            "The member is found by, in order: member_user.user_id, member_group.id, member_user.username "
            "(onboarded from LDAP in ldap_auth), member_group.ldap_group_dn, member_group.group_name."
        ),
        parameters=[LOCATION],
        request=ProjectMemberRequestSerializer,
        responses={**ok(status=201, description="Created"), **errors(400, 403, 404, 409, 412)},
    ),
)
@extend_schema(tags=["member"], parameters=PROJECT_PATH)
class MemberListView(HarborAPIView):
    def get(self, request: Request, project_name_or_id: str) -> Response:
        project = project_from_path(request, project_name_or_id)
        require(request, Action.LIST, Resource.MEMBER, project)
        members = members_of(project)
        if name := request.query_params.get("entityname"):
            members = members.filter(entity_name=name)
        return self.paged(request, members, lambda page: [member_json(member) for member in page])

    def post(self, request: Request, project_name_or_id: str) -> Response:
        project = project_from_path(request, project_name_or_id)
        require(request, Action.CREATE, Resource.MEMBER, project)
        role, data = _role(request, MemberRequest)
        member = add_member(request.user, project, role, find_entity(request.user, data))
        location = f"/api/v2.0/projects/{project_name_or_id}/members/{member.pk}"
        return Response(status=201, headers={"Location": location})


@extend_schema_view(
    get=extend_schema(
        operation_id="getProjectMember",
        summary="One member of the project",
        responses={**ok(ProjectMemberEntitySerializer), **errors(403, 404)},
    ),
    put=extend_schema(
        operation_id="updateProjectMember",
        summary="Change a member's role",
        request=RoleRequestSerializer,
        responses={**ok(), **errors(400, 403, 404)},
    ),
    delete=extend_schema(
        operation_id="deleteProjectMember",
        summary="Remove a member from the project",
        responses={**ok(), **errors(403, 404)},
    ),
)
@extend_schema(tags=["member"], parameters=[*PROJECT_PATH, path_id("mid", "The member's id.")])
class MemberView(HarborAPIView):
    def _member(
        self, request: Request, project_name_or_id: str, mid: int, action: Action
    ) -> tuple[Project, ProjectMember]:
        project = project_from_path(request, project_name_or_id)
        require(request, action, Resource.MEMBER, project)
        member = members_of(project).filter(pk=mid).first()
        if member is None:
            raise NotFound(f"member {mid} not found in project {project.name}")
        return project, member

    def get(self, request: Request, project_name_or_id: str, mid: int) -> Response:
        _, member = self._member(request, project_name_or_id, mid, Action.READ)
        return Response(member_json(member))

    def put(self, request: Request, project_name_or_id: str, mid: int) -> Response:
        project, member = self._member(request, project_name_or_id, mid, Action.UPDATE)
        role, _ = _role(request, RoleRequest)
        change_role(request.user, project, member, role)
        return Response()

    def delete(self, request: Request, project_name_or_id: str, mid: int) -> Response:
        project, member = self._member(request, project_name_or_id, mid, Action.DELETE)
        remove_member(request.user, project, member)
        return Response()
