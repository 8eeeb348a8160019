"""The compiled msgpack decoding (provider/cty_codec.py) gives what pyvider's `validate` gives, for
every resource and data source schema of this provider: the values Terraform would send (full,
null, unknown here and there) through msgpack and back, and inputs pyvider refuses."""

from __future__ import annotations

import attrs
import msgpack
import pytest
from pyvider.conversion import marshaler
from pyvider.cty import CtyDynamic, CtyObject, CtyString, CtyValue, codec
from pyvider.cty.codec import _ext_hook, cty_to_msgpack
from pyvider.cty.exceptions import CtyValidationError
from pyvider.cty.values.frozen import FrozenDict

from provider import cty_codec
from provider.pyvider_patches import ORIGINAL
from tests.provider.test_cty_conversion import COMPONENTS, values_of

# pyvider's own, whether or not the speed patches are installed in this process.
PYVIDER_UNMARK = getattr(marshaler._unmark_deep, ORIGINAL, marshaler._unmark_deep)
PYVIDER_CTY_TO_MSGPACK = getattr(marshaler.cty_to_msgpack, ORIGINAL, marshaler.cty_to_msgpack)


def unpacked(value: CtyValue, cty_type: CtyObject) -> object:
    """What pyvider's `cty_from_msgpack` hands its `validate`: Terraform's bytes, unpacked."""
    return msgpack.unpackb(
        cty_to_msgpack(value, cty_type), ext_hook=_ext_hook, raw=False, strict_map_key=False
    )


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.__name__)
def test_the_decoders_agree_with_pyvider_s_validate(component: object) -> None:
    cty_type = component.get_schema().block.to_cty_type()  # type: ignore[attr-defined]
    decoders = cty_codec.Decoders()
    for value in values_of(cty_type):
        data = unpacked(value, cty_type)
        expected = cty_type.validate(data)
        decoded = decoders.get(cty_type)(data)
        assert decoded == expected
        assert cty_to_msgpack(decoded, cty_type) == cty_to_msgpack(expected, cty_type)


PYVIDER_OBJECT_VALIDATE = getattr(CtyObject.__dict__["validate"], ORIGINAL, CtyObject.__dict__["validate"])


def dicts_of(value: CtyValue) -> list[dict]:
    """Plain dicts a resource's plan hands pyvider's validate: cty values inside, some plain,
    some marked, some unknown markers."""
    if value.is_null or value.is_unknown or not isinstance(value.value, dict):
        return []
    inside = dict(value.value)
    plain = {name: (item.value if not item.is_unknown and not item.is_null and isinstance(item.value, str) else item)
             for name, item in inside.items()}  # fmt: skip
    first = next(iter(inside))
    return [inside, plain, {**inside, first: inside[first].mark("sensitive")}, {**plain, first: None}]


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.__name__)
def test_object_validation_of_dicts_agrees_with_pyvider_s(component: object) -> None:
    cty_type = component.get_schema().block.to_cty_type()  # type: ignore[attr-defined]
    decoders = cty_codec.Decoders(object_validate=PYVIDER_OBJECT_VALIDATE)
    checked = 0
    for value in values_of(cty_type):
        for data in dicts_of(value):
            expected = PYVIDER_OBJECT_VALIDATE(cty_type, data)
            ours = decoders.get(cty_type)(data)
            assert ours == expected
            assert ours.marks == expected.marks
            assert [item.marks for item in ours.value.values()] == [
                item.marks for item in expected.value.values()
            ]
            checked += 1
    assert checked > 0


def test_a_dict_that_contains_itself_is_pyvider_s_to_refuse() -> None:
    cty_type = CtyObject(attribute_types={"inner": CtyObject(attribute_types={"x": CtyString()})})
    data: dict = {}
    data["inner"] = data
    decoders = cty_codec.Decoders(object_validate=PYVIDER_OBJECT_VALIDATE)
    with pytest.raises(CtyValidationError) as ours:
        decoders.get(cty_type)(data)
    with pytest.raises(CtyValidationError) as theirs:
        PYVIDER_OBJECT_VALIDATE(cty_type, data)
    assert type(ours.value) is type(theirs.value)


def marked(value: CtyValue) -> CtyValue:
    """The value with a mark on it and on its first attribute (resource code hands marshal these)."""
    if not value.is_null and not value.is_unknown and isinstance(value.value, dict) and value.value:
        first = next(iter(value.value))
        value = attrs.evolve(
            value, value=FrozenDict({**value.value, first: value.value[first].mark("sensitive")})
        )
    return value.mark("sensitive")


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.__name__)
def test_the_encoders_pack_what_pyvider_s_marshal_packs(component: object) -> None:
    schema = component.get_schema().block  # type: ignore[attr-defined]
    cty_type = schema.to_cty_type()
    encoders = cty_codec.Encoders(
        codec._serialize_unknown, codec._serialize_decimal_value, codec.set_order_key
    )
    for value in values_of(cty_type):
        for sent in (value, marked(value)):
            expected = PYVIDER_CTY_TO_MSGPACK(PYVIDER_UNMARK(cty_type.validate(sent)), cty_type)
            ours = msgpack.packb(
                encoders.get(cty_type)(sent), default=codec._msgpack_default_handler, use_bin_type=True
            )
            assert ours == expected


def test_what_the_encoders_leave_to_pyvider() -> None:
    encoders = cty_codec.Encoders(
        codec._serialize_unknown, codec._serialize_decimal_value, codec.set_order_key
    )
    cty_type = CtyObject(attribute_types={"name": CtyString()})
    for value in ({"name": "not a CtyValue"}, CtyValue(vtype=CtyDynamic(), value=None, is_null=True)):
        with pytest.raises(cty_codec.Unsupported):
            encoders.get(CtyDynamic() if isinstance(value, CtyValue) else cty_type)(value)


def test_what_pyvider_refuses_is_refused_the_same_way() -> None:
    cty_type = CtyObject(
        attribute_types={"name": CtyString(), "tag": CtyString()}, optional_attributes=frozenset({"tag"})
    )
    decode = cty_codec.Decoders().get(cty_type)
    for bad in ({"name": "x", "other": "y"}, {"tag": "x"}, {"name": 5}, ["not", "an", "object"]):
        with pytest.raises(CtyValidationError) as ours:
            decode(bad)
        with pytest.raises(CtyValidationError) as theirs:
            cty_type.validate(bad)
        assert str(ours.value) == str(theirs.value)


def test_an_absent_optional_attribute_is_null() -> None:
    cty_type = CtyObject(
        attribute_types={"name": CtyString(), "tag": CtyString()}, optional_attributes=frozenset({"tag"})
    )
    assert cty_codec.Decoders().get(cty_type)({"name": "x"}) == cty_type.validate({"name": "x"})


def test_strings_that_need_normalising_are_normalised() -> None:
    decode = cty_codec.Decoders().get(CtyString())
    composed = "caf\u00e9"
    assert decode("cafe\u0301").value == composed  # decomposed in, NFC out, as pyvider does
    assert decode(composed).value == composed


def test_a_type_is_compiled_once() -> None:
    decoders = cty_codec.Decoders()
    cty_type = CtyObject(attribute_types={"name": CtyString()})
    assert decoders.get(cty_type) is decoders.get(cty_type)


def test_by_identity_keeps_per_object_and_forgets_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cty_codec, "KEPT", 2)
    kept: cty_codec.ByIdentity[str] = cty_codec.ByIdentity()
    first, second, third = CtyString(), CtyString(), CtyString()  # equal, not the same
    kept.put(first, "one")
    assert kept.get(first) == "one" and kept.get(second) is None
    kept.put(second, "two")
    kept.put(third, "three")  # full: forgets, then keeps this one
    assert kept.get(first) is None and kept.get(third) == "three"
