"""`GET/PUT /configurations`: every key as `{value, editable}`; secrets are never returned."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from harbor_site.api.errors import BadRequest
from harbor_site.api.permissions import require
from harbor_site.api.schema import errors, ok
from harbor_site.api.views import HarborAPIView
from projects.rbac import Action, Resource

from .api_schema import ConfigurationsResponseSerializer, ConfigurationsSerializer
from .keys import KEYS
from .services import change_configuration
from .store import ConfigError, get_config, is_editable


@extend_schema_view(
    get=extend_schema(
        operation_id="getConfigurations",
        summary="Every configuration key with its value and whether it can be changed (secrets never)",
        responses={**ok(ConfigurationsResponseSerializer), **errors(403)},
    ),
    put=extend_schema(
        operation_id="updateConfigurations",
        summary="Change configuration keys; a key fixed by the environment is a 400",
        request=ConfigurationsSerializer,
        responses={**ok(), **errors(400, 403)},
    ),
)
@extend_schema(tags=["configure"])
class ConfigurationsView(HarborAPIView):
    def get(self, request: Request) -> Response:
        require(request, Action.READ, Resource.CONFIGURATION)
        values = get_config()
        return Response(
            {
                name: {"value": values[name], "editable": is_editable(name)}
                for name, key in KEYS.items()
                if not key.secret
            }
        )

    def put(self, request: Request) -> Response:
        require(request, Action.UPDATE, Resource.CONFIGURATION)
        changes: Any = request.data
        if not isinstance(changes, dict):
            raise BadRequest("the body must be an object of configuration keys")
        try:
            change_configuration(request.user.username, changes)
        except ConfigError as exc:
            raise BadRequest(str(exc)) from None
        return Response()
