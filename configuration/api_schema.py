"""How the OpenAPI document describes `/configurations`: one property per key of `keys.KEYS`,
typed as the key is, so the document follows the keys as they are added (Harbor's
Configurations and ConfigurationsResponse with its String/Bool/IntegerConfigItem)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from harbor_site.api.schema import closed

from .keys import KEYS, Key


def _value_field(key: Key, **kwargs: Any) -> serializers.Field:
    if key.choices:
        return serializers.ChoiceField(list(key.choices), **kwargs)
    if key.type is bool:
        return serializers.BooleanField(**kwargs)
    if key.type is int:
        return serializers.IntegerField(**kwargs)
    return serializers.CharField(allow_blank=True, **kwargs)


def _item(name: str, value: serializers.Field) -> type[serializers.Serializer]:
    fields = {
        "value": value,
        "editable": serializers.BooleanField(help_text="false: fixed by the environment"),
    }
    return extend_schema_serializer(component_name=name)(type(name, (serializers.Serializer,), fields))


_ITEMS = {
    str: _item("StringConfigItem", serializers.CharField(allow_blank=True)),
    bool: _item("BoolConfigItem", serializers.BooleanField()),
    int: _item("IntegerConfigItem", serializers.IntegerField()),
}

ConfigurationsResponseSerializer = extend_schema_serializer(component_name="ConfigurationsResponse")(
    type(
        "ConfigurationsResponseSerializer",
        (serializers.Serializer,),
        {name: _ITEMS[key.type]() for name, key in KEYS.items() if not key.secret},
    )
)

ConfigurationsSerializer = extend_schema_serializer(component_name="Configurations")(
    type(
        "ConfigurationsSerializer",
        (serializers.Serializer,),
        {name: _value_field(key, required=False) for name, key in KEYS.items()},
    )
)
closed("Configurations")  # an unknown key is a 400
