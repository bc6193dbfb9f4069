"""Compiled hot-path queries give what the queryset they come from gives."""

from __future__ import annotations

import pytest

from registry.models import Repository
from registry.services.compiled import CompiledQuery


def test_compiled_query_runs_with_new_values_each_time(library):
    Repository.objects.create(project=library, name="library/a")
    Repository.objects.create(project=library, name="library/b")
    by_name = CompiledQuery(
        lambda name: Repository.objects.filter(name=name).values_list("name")[:1], arity=1
    )
    assert by_name.first("library/a") == ("library/a",)
    assert by_name.first("library/b") == ("library/b",)
    assert by_name.first("library/c") is None


def test_a_constant_in_the_query_is_refused(library):
    constant = CompiledQuery(
        lambda name: Repository.objects.filter(name=name, project__name="x")[:1], arity=1
    )
    with pytest.raises(ValueError, match="not an argument"):
        constant.first("library/a")
