"""Projects (Harbor's namespaces) and their members."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from .principals import Principal
from .rbac import Role

PROJECT_NAME_PATTERN = r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$"


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, principal: Principal) -> models.QuerySet:
        """The projects of this queryset the principal may see (rule: permissions.visible_projects)."""
        from .permissions import visible_projects

        return self.filter(pk__in=visible_projects(principal).values("pk"))


class Project(models.Model):
    """A namespace: every repository is `<project>/<path...>`.

    `public` is a column rather than a metadata entry because every anonymous
    pull asks it. The rest of Harbor's string metadata map lives in `metadata`.
    """

    name = models.CharField(
        max_length=255,
        unique=True,
        validators=[RegexValidator(PROJECT_NAME_PATTERN, "Invalid project name.")],
    )
    public = models.BooleanField(default=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    metadata = models.JSONField(default=dict, blank=True)
    storage_limit = models.BigIntegerField(default=-1, help_text="bytes; -1 means unlimited")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CVEAllowlist(models.Model):
    """CVE ids a vulnerability policy ignores: the system's (no project) or one project's."""

    project = models.OneToOneField(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="cve_allowlist"
    )
    items = models.JSONField(default=list, help_text='[{"cve_id": "CVE-..."}]')
    expires_at = models.BigIntegerField(null=True, blank=True, help_text="unix seconds; empty: never")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"CVE allowlist of {self.project or 'the system'}"


class ProjectMember(models.Model):
    """A user's or a group's role in a project (Harbor's entity_type `u` or `g`)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    group = models.ForeignKey(
        "accounts.UserGroup", null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.PositiveSmallIntegerField(choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="unique_project_user_member"),
            models.UniqueConstraint(fields=["project", "group"], name="unique_project_group_member"),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, group__isnull=True)
                | models.Q(user__isnull=True, group__isnull=False),
                name="member_is_user_or_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.group} in {self.project} as {self.get_role_display()}"

    @property
    def entity_type(self) -> str:
        return "u" if self.user_id else "g"


class Robot(models.Model):
    """A robot account: a non-human principal with explicit permissions.

    System robots (`project` empty) may hold system permissions and permissions
    on several projects or all (`*`); project robots belong to one project and
    are named `<project>+<name>`. They log in as `robot$<name>` with a secret
    that is shown once and stored hashed.
    """

    name = models.CharField(max_length=255, unique=True)
    description = models.TextField(blank=True)
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="robots"
    )
    secret = models.CharField(max_length=255, help_text="a Django password hash, never the secret")
    disabled = models.BooleanField(default=False)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="empty: never")
    duration = models.IntegerField(default=30, help_text="days; -1 means never")
    # [{"kind": "system"|"project", "namespace": "/"|"*"|<project>, "access": [{resource, action, effect}]}]
    permissions = models.JSONField(default=list)
    # Who created it: a user ("local", their id) or a robot ("robot", its id), as Harbor records.
    creator_type = models.CharField(max_length=16, default="local")
    creator_ref = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> str:
        return "project" if self.project_id else "system"


class Label(models.Model):
    """A label for artifacts: global (scope `g`, managed by admins) or of one project (`p`)."""

    GLOBAL, PROJECT = "g", "p"

    name = models.CharField(max_length=128)
    description = models.TextField(blank=True)
    color = models.CharField(max_length=16, blank=True)
    scope = models.CharField(max_length=1, choices=[(GLOBAL, "global"), (PROJECT, "project")])
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="labels"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "project", "name"], name="unique_label_name"),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(scope="g"), name="unique_global_label_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name
