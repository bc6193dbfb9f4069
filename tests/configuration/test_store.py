"""System configuration: defaults, stored values, types, and keys fixed by the environment."""

from __future__ import annotations

import pytest

from configuration.store import ConfigError, get, get_config, is_editable, update_config


def test_defaults_then_stored_values(db):
    assert get("auth_mode") == "db_auth"
    assert get("ldap_scope") == 2
    update_config({"auth_mode": "ldap_auth", "ldap_scope": "1", "ldap_verify_cert": "false"})
    assert get("auth_mode") == "ldap_auth"
    assert get("ldap_scope") == 1
    assert get_config()["ldap_verify_cert"] is False


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"auth_mode": "magic"}, "must be one of"),
        ({"ldap_scope": "wide"}, "must be an integer"),
        ({"self_registration": "maybe"}, "must be a boolean"),
        ({"no_such_key": 1}, "unknown configuration key"),
    ],
)
def test_bad_values_change_nothing(db, changes, message):
    with pytest.raises(ConfigError, match=message):
        update_config({"ldap_url": "ldap://example", **changes})
    assert get("ldap_url") == ""


def test_environment_fixes_a_key(db, monkeypatch):
    monkeypatch.setenv("HARBOR_CONFIG_SELF_REGISTRATION", "true")
    assert get("self_registration") is True
    assert not is_editable("self_registration")
    with pytest.raises(ConfigError, match="set by the environment"):
        update_config({"self_registration": False})
