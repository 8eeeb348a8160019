"""The compiled cty → attrs conversion (provider/cty_conversion.py) gives what pyvider's own gives,
for every resource, data source and list resource schema of this provider: values full, null,
unknown here and there, with and without `apply_defaults`."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import attrs
import pytest
from pyvider.cty import CtyBool, CtyList, CtyMap, CtyNumber, CtyObject, CtySet, CtyString, CtyType, CtyValue
from pyvider.resources.base import BaseResource

from data_sources import DATA_SOURCES
from provider import cty_conversion
from provider.pyvider_patches import ORIGINAL
from resources import RESOURCES

_recursive = BaseResource.__dict__["_cty_to_attrs_recursive"].__func__
PYVIDER = getattr(_recursive, ORIGINAL, _recursive)  # pyvider's own, whether or not patched here
COMPONENTS = [*RESOURCES, *DATA_SOURCES]


def pyviders(data: Any, target: Any, apply_defaults: bool) -> Any:
    return PYVIDER(BaseResource, data, target, apply_defaults=apply_defaults)


def sample(cty_type: CtyType[Any], variant: int) -> Any:
    """A plain value of the type; `variant` chooses among values (and empty collections)."""
    if isinstance(cty_type, CtyString):
        return f"text-{variant}"
    if isinstance(cty_type, CtyNumber):
        return Decimal(variant) if variant % 2 else Decimal("1.5")
    if isinstance(cty_type, CtyBool):
        return variant % 2 == 0
    if isinstance(cty_type, CtyList | CtySet):
        return [] if variant % 3 == 2 else [sample(cty_type.element_type, variant + i) for i in range(2)]
    if isinstance(cty_type, CtyMap):
        return {} if variant % 3 == 2 else {"k": sample(cty_type.element_type, variant)}
    if isinstance(cty_type, CtyObject):
        return {name: sample(t, variant) for name, t in cty_type.attribute_types.items()}
    raise AssertionError(f"no sample for {cty_type}")


def values_of(cty_type: CtyObject) -> list[CtyValue]:
    """The object full, with every optional attribute null, and with each attribute unknown
    in turn (a nested one too)."""
    full = [cty_type.validate(sample(cty_type, variant)) for variant in range(3)]
    optional_null = cty_type.validate(
        {
            name: None if name in cty_type.optional_attributes else value
            for name, value in sample(cty_type, 0).items()
        }  # fmt: skip
    )
    unknowns = []
    for name, attribute_type in cty_type.attribute_types.items():
        plain: dict[str, Any] = sample(cty_type, 1)
        plain[name] = CtyValue.unknown(attribute_type)
        unknowns.append(cty_type.validate(plain))
        if isinstance(attribute_type, CtyObject) and attribute_type.attribute_types:
            inner = next(iter(attribute_type.attribute_types))
            nested = sample(cty_type, 1)
            nested[name][inner] = CtyValue.unknown(attribute_type.attribute_types[inner])
            unknowns.append(cty_type.validate(nested))
    return [*full, optional_null, *unknowns, CtyValue.null(cty_type), CtyValue.unknown(cty_type)]


def classes_of(component: Any) -> list[type]:
    found = [getattr(component, name, None) for name in ("state_class", "config_class")]
    return [cls for cls in dict.fromkeys(found) if cls is not None and attrs.has(cls)]


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.__name__)
def test_the_compiled_conversion_agrees_with_pyvider_s(component: Any) -> None:
    cty_type = component.get_schema().block.to_cty_type()
    converters = cty_conversion.Converters(pyviders)
    checked = 0
    for value, target, apply_defaults in itertools.product(
        values_of(cty_type), classes_of(component), (False, True)
    ):
        expected = pyviders(value, target, apply_defaults)
        assert converters.get(target, apply_defaults)(value) == expected, (target, apply_defaults, value)
        checked += 1
    assert checked > 0


def test_values_that_are_not_objects_go_to_pyvider() -> None:
    calls: list[Any] = []

    def fallback(data: Any, target: Any, apply_defaults: bool) -> Any:
        calls.append(data)
        return "pyvider's answer"

    state_class = RESOURCES[0].state_class
    converter = cty_conversion.Converters(fallback).get(state_class, False)
    assert converter(["not", "a", "dict"]) == "pyvider's answer"
    assert calls == [["not", "a", "dict"]]


def test_a_class_refusing_its_arguments_goes_to_pyvider() -> None:
    @attrs.frozen
    class Needs:
        required: str

    answers: list[Any] = []
    converter = cty_conversion.Converters(lambda data, target, defaults: answers.append(data) or "raised")
    assert converter.get(Needs, False)({}) == "raised"  # pyvider raises StateClassMismatchError here
    assert answers == [{}]


def test_plain_values_and_optional_types() -> None:
    converters = cty_conversion.Converters(pyviders)
    assert converters.get(str | None, False)(CtyValue.unknown(CtyString())) is None
    assert converters.get(list[str] | None, False)(CtyList(element_type=CtyString()).validate(["a"])) == ["a"]
    assert converters.get(dict[str, int], False)({"a": CtyNumber().validate(1)}) == {"a": 1}
    assert converters.get(Any, True)("as is") == "as is"
