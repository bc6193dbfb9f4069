"""What every registry view of `/api/v2.0/` shares: the registry's errors in Harbor's
envelope, paging links that survive double-encoded repository names, and the path
parameters (`project_name`, a twice-encoded `repository_name`, a `reference`)."""

from __future__ import annotations

from urllib.parse import quote, unquote

from rest_framework.request import Request
from rest_framework.response import Response

from harbor_site.api import errors
from harbor_site.api.views import HarborAPIView
from projects.models import Project

from ..models import Repository
from ..oci.errors import RegistryError

_BY_STATUS: dict[int, type[errors.APIError]] = {
    400: errors.BadRequest,
    401: errors.Unauthorized,
    403: errors.Denied,
    404: errors.NotFound,
    409: errors.Conflict,
}


def api_error(exc: RegistryError) -> errors.APIError:
    """The registry's error as Harbor's API reports it: its own code where Harbor keeps it
    (412 VIOLATE_FOREIGN_KEY_CONSTRAINT), else the API's generic code for the status."""
    if exc.status == 412:
        return errors.ForeignKeyViolation(exc.message)
    kind = _BY_STATUS.get(exc.status)
    if kind is not None:
        return kind(exc.message)
    error = errors.APIError(exc.message)
    error.status_code, error.code = exc.status, exc.code
    return error


class RegistryAPIView(HarborAPIView):
    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, RegistryError):
            exc = api_error(exc)
        return super().handle_exception(exc)


def project_by_name(name: str) -> Project:
    """`{project_name}` of the repository and artifact paths (a name, never an id)."""
    project = Project.objects.filter(name=name).first()
    if project is None:
        raise errors.NotFound(f"project {name} not found")
    return project


def full_repository_name(project: Project, encoded: str) -> str:
    """The full name from the path's part after the project, which clients encode twice
    (`a/b` → `a%252Fb`); Django has undone the first encoding."""
    return f"{project.name}/{unquote(encoded)}"


def repository_by_name(name: str) -> Repository:
    repository = Repository.objects.filter(name=name).first()
    if repository is None:
        raise errors.NotFound(f"repository {name} not found")
    return repository


def flag(request: Request, name: str, default: bool) -> bool:
    """A boolean query parameter, read as go-swagger reads it (Go's `strconv.ParseBool`)."""
    value = request.query_params.get(name)
    if value in (None, ""):
        return default
    if value.lower() in ("true", "t", "1"):
        return True
    if value.lower() in ("false", "f", "0"):
        return False
    raise errors.BadRequest(f"{name} must be true or false, not {value!r}")


def created(location: str) -> Response:
    return Response(status=201, headers={"Location": location})


def encoded_path(request: Request) -> str:
    """The request's path as clients spell it (repository names encoded twice)."""
    return quote(request.path, safe="/:@")
