"""How the OpenAPI document describes users, user groups, permissions and the LDAP endpoints:
the shapes `common.py` and the views of this package return and accept, under Harbor's
swagger names (UserResp, UserCreationReq, UserProfile, UserGroup, Permission, LdapUser...).
Descriptions only; the views validate."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ..models import GroupType
from ..validators import MAX_LENGTH, MIN_LENGTH, RULE
from .services import COMMENT_MAX

_GROUP_TYPES = [group_type.value for group_type in GroupType]
_GROUP_TYPE_HELP = ", ".join(f"{group_type.value} {group_type.label}" for group_type in GroupType)


# Harbor's password rule (`validators.password_problem`) as a pattern.
PASSWORD_PATTERN = rf"^(?=.*[A-Z])(?=.*[a-z])(?=.*[0-9]).{{{MIN_LENGTH},{MAX_LENGTH}}}$"


def _password(help_text: str = f"Harbor's rule: {RULE}") -> serializers.RegexField:
    return serializers.RegexField(PASSWORD_PATTERN, help_text=help_text)


@extend_schema_serializer(component_name="OIDCUserInfo")
class OIDCUserInfoSerializer(serializers.Serializer):
    """The CLI secret is stored hashed, so it is never part of it."""

    id = serializers.IntegerField()
    user_id = serializers.IntegerField()
    subiss = serializers.CharField(help_text="the subject and the issuer of the ID token, joined")
    creation_time = serializers.DateTimeField()
    update_time = serializers.DateTimeField()


@extend_schema_serializer(component_name="UserResp")
class UserSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.CharField(allow_blank=True)
    realname = serializers.CharField(allow_blank=True)
    comment = serializers.CharField(allow_blank=True)
    sysadmin_flag = serializers.BooleanField()
    admin_role_in_auth = serializers.BooleanField(
        help_text="an administrator through the directory's admin group (told to the user only)"
    )
    oidc_user_meta = OIDCUserInfoSerializer(required=False, help_text="OIDC users, on reading one user")
    creation_time = serializers.DateTimeField()
    update_time = serializers.DateTimeField()


@extend_schema_serializer(component_name="UserCreationReq")
class UserCreationSerializer(serializers.Serializer):
    username = serializers.RegexField(r"^[^,~#$%:\s]([^,~#$%:]*[^,~#$%:\s])?$", max_length=255)
    password = _password()
    email = serializers.EmailField(max_length=255)
    realname = serializers.RegexField(r"^[^,~#$%]+$", max_length=255)
    comment = serializers.CharField(max_length=COMMENT_MAX, required=False, allow_blank=True)


@extend_schema_serializer(component_name="UserProfile")
class UserProfileSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=255)
    realname = serializers.RegexField(r"^[^,~#$%]+$", max_length=255)
    comment = serializers.CharField(max_length=COMMENT_MAX, required=False, allow_blank=True)


@extend_schema_serializer(component_name="UserSysAdminFlag")
class SysadminFlagSerializer(serializers.Serializer):
    sysadmin_flag = serializers.BooleanField()


@extend_schema_serializer(component_name="PasswordReq")
class PasswordRequestSerializer(serializers.Serializer):
    old_password = serializers.CharField(
        required=False, allow_blank=True, help_text="needed when users change their own password"
    )
    new_password = _password()


@extend_schema_serializer(component_name="OIDCCliSecretReq")
class CliSecretRequestSerializer(serializers.Serializer):
    secret = _password(f"the new CLI secret; Harbor's password rule: {RULE}")


@extend_schema_serializer(component_name="UserSearchRespItem")
class UserSearchItemSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    username = serializers.CharField()


@extend_schema_serializer(component_name="Permission")
class PermissionSerializer(serializers.Serializer):
    resource = serializers.CharField(help_text="a resource path, or relative to the scope")
    action = serializers.CharField()


# --- user groups ----------------------------------------------------------------------------------


@extend_schema_serializer(component_name="UserGroup")
class UserGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    group_name = serializers.CharField()
    group_type = serializers.IntegerField(help_text=_GROUP_TYPE_HELP)
    ldap_group_dn = serializers.CharField(allow_blank=True)


@extend_schema_serializer(component_name="UserGroupUpdateReq")
class UserGroupUpdateSerializer(serializers.Serializer):
    """Only the name changes."""

    group_name = serializers.CharField(min_length=1, max_length=255)


@extend_schema_serializer(component_name="UserGroupReq")
class UserGroupRequestSerializer(UserGroupUpdateSerializer):
    group_type = serializers.ChoiceField(_GROUP_TYPES, help_text=_GROUP_TYPE_HELP)
    ldap_group_dn = serializers.CharField(
        required=False, allow_blank=True, max_length=512, help_text="needed for LDAP groups"
    )


@extend_schema_serializer(component_name="UserGroupSearchItem")
class UserGroupSearchItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    group_name = serializers.CharField()
    group_type = serializers.IntegerField(help_text=_GROUP_TYPE_HELP)


# --- LDAP -----------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="LdapConf")
class LdapConfSerializer(serializers.Serializer):
    """Settings to try instead of the stored ones; an empty password keeps the stored one."""

    ldap_url = serializers.CharField(required=False, allow_blank=True)
    ldap_search_dn = serializers.CharField(required=False, allow_blank=True)
    ldap_search_password = serializers.CharField(required=False, allow_blank=True)
    ldap_base_dn = serializers.CharField(required=False, allow_blank=True)
    ldap_filter = serializers.CharField(required=False, allow_blank=True)
    ldap_uid = serializers.CharField(required=False, allow_blank=True)
    ldap_scope = serializers.ChoiceField(
        [0, 1, 2], required=False, help_text="0 base, 1 one level, 2 subtree"
    )
    ldap_connection_timeout = serializers.IntegerField(required=False, min_value=1, help_text="seconds")
    ldap_verify_cert = serializers.BooleanField(required=False)


@extend_schema_serializer(component_name="LdapPingResult")
class LdapPingResultSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    message = serializers.CharField(required=False, help_text="what failed, when it did")


@extend_schema_serializer(component_name="LdapUser")
class LdapUserSerializer(serializers.Serializer):
    username = serializers.CharField()
    realname = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)


@extend_schema_serializer(component_name="LdapImportUsers")
class LdapImportUsersSerializer(serializers.Serializer):
    ldap_uid_list = serializers.ListField(child=serializers.CharField(allow_blank=True))


@extend_schema_serializer(component_name="LdapFailedImportUser")
class LdapFailedImportUserSerializer(serializers.Serializer):
    uid = serializers.CharField(allow_blank=True)
    error = serializers.CharField(help_text="empty_uid, unknown_user or failed_search_user")


@extend_schema_serializer(component_name="LdapGroup")
class LdapGroupSerializer(serializers.Serializer):
    group_name = serializers.CharField(allow_blank=True, allow_null=True)
    ldap_group_dn = serializers.CharField()
