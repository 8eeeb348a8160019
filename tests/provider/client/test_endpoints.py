"""Every id that enters an API path is one safe segment: it can never name another endpoint."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import pytest

from provider.client import InvalidIdError, endpoints

BUILDERS = [
    (name, function)
    for name, function in vars(endpoints).items()
    if inspect.isfunction(function)
    and function.__module__ == endpoints.__name__
    and not name.startswith("_")
    and name not in ("id_problem", "segment")
]
WITH_IDS = [(name, function) for name, function in BUILDERS if inspect.signature(function).parameters]

BAD_IDS = [
    "",
    ".",
    "..",
    "../applications",
    "a/b",
    "x?limit=1",
    "x#frag",
    "%2e%2e",
    "a\\b",
    "a b",
    " x",
    "x\n",
    "x\t",
    "x\x00",
    "x\u200b",  # zero-width space (a format character)
    None,
]
GOOD_IDS = ["c1a5e000-0000-4000-8000-000000000001", "app1", "A_b-c.d~e", "v1.2", "...", "ünïcode"]


def test_every_path_builder_with_parameters_is_covered() -> None:
    assert len(WITH_IDS) >= 40 and "webhook" in dict(WITH_IDS) and "item" in dict(WITH_IDS)


@pytest.mark.parametrize(("name", "function"), WITH_IDS, ids=[name for name, _ in WITH_IDS])
@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_each_id_parameter_rejects_unsafe_ids(name: str, function: Callable[..., str], bad: object) -> None:
    count = len(inspect.signature(function).parameters)
    for position in range(count):
        if name == "item" and position == 0:
            continue  # the collection, a constant path of the caller's, not an id
        arguments: list[object] = ["ok"] * count
        arguments[position] = bad
        with pytest.raises(InvalidIdError) as caught:
            function(*arguments)
        assert caught.value.value == bad
        assert caught.value.problem and repr(bad) in str(caught.value)


@pytest.mark.parametrize(("name", "function"), WITH_IDS, ids=[name for name, _ in WITH_IDS])
@pytest.mark.parametrize("good", GOOD_IDS)
def test_normal_ids_pass_unchanged(name: str, function: Callable[..., str], good: str) -> None:
    count = len(inspect.signature(function).parameters)
    path = function(*([good] * count))
    assert path.count("/") == path.replace(good, "").count("/")  # the ids add no separator
    assert path.split("/").count(good) == count


def test_problems_say_what_is_wrong() -> None:
    assert endpoints.id_problem("..") == "'..' is not an id (it names another path)"
    assert endpoints.id_problem("a/b") == "an id cannot contain '/'"
    assert endpoints.id_problem("") == "an id cannot be empty"
    assert endpoints.id_problem(None) == "the id is missing"
    assert endpoints.id_problem(7) == "an id must be a string"
    assert endpoints.id_problem("app1") is None
