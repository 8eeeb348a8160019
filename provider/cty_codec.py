"""cty values from and to msgpack, with one decoder and one encoder made per cty type.

pyvider turns what Terraform sends (msgpack, unpacked to plain dicts, lists and strings) into a
`CtyValue` tree with the type's `validate`, which for an object normalises every key, checks for
cycles and unknown attributes, builds a path object for every attribute and carries marks along:
100-300 µs for one resource's state, several times per RPC. What arrives from msgpack is a tree of
plain values without marks, so for the shapes that make most of it -- objects and strings -- a
decoder made once per type can build the same `CtyValue`s directly:

- an object whose keys are all among its (NFC-normalised) attribute names: each attribute decoded
  by its own decoder, an absent optional one null, as `CtyObject.validate` does;
- a string already in NFC: the value as it is;
- None: the type's null;
- anything else (numbers, bools, collections, unknowns, a `CtyValue`, a key it does not know, a
  missing required attribute, a string to normalise, an error anywhere below) goes to pyvider's
  `validate` for that value, so results and errors are pyvider's own.

The same decoders serve `CtyObject.validate` of a plain dict (the planned state a resource returns,
whose values may already be `CtyValue`s): each attribute's value goes to its decoder, and a
`CtyValue` there to the attribute type's own `validate`, as in pyvider's.

`Encoders` do the same on the way out (see there). `tests/provider/test_cty_codec.py` checks both
against pyvider's own, for every resource and data source schema of this provider.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Generic, TypeVar

from pyvider.cty import CtyBool, CtyList, CtyMap, CtyNumber, CtyObject, CtySet, CtyString, CtyValue
from pyvider.cty.exceptions import CtyValidationError
from pyvider.cty.values.frozen import FrozenDict

Decoder = Callable[[Any], CtyValue[Any]]
KEPT = 4096  # distinct cty type objects remembered (with remember_schema_types: a few hundred)
V = TypeVar("V")


class ByIdentity(Generic[V]):
    """Values kept per object, by identity: cty and schema types are frozen but unhashable (their
    dicts), so they are kept by `id` together with the object itself, which keeps an id from being
    reused while it is remembered. At most `KEPT`, then all forgotten at once (still correct)."""

    def __init__(self) -> None:
        self._kept: dict[int, tuple[Any, V]] = {}

    def get(self, key: Any) -> V | None:
        kept = self._kept.get(id(key))
        return kept[1] if kept is not None and kept[0] is key else None

    def put(self, key: Any, value: V) -> V:
        if len(self._kept) >= KEPT and id(key) not in self._kept:
            self._kept.clear()
        self._kept[id(key)] = (key, value)
        return value


class Decoders:
    """Decoders by cty type object (types are frozen but unhashable: kept by identity, with the
    type itself, so an id is never reused while remembered)."""

    def __init__(self, object_validate: Callable[[Any, Any], CtyValue[Any]] | None = None) -> None:
        # What an object's value goes to when the decoder leaves it to pyvider: its `validate`,
        # or pyvider's own when `CtyObject.validate` itself is routed here.
        self._object_validate = object_validate
        self._made: ByIdentity[Decoder] = ByIdentity()

    def get(self, cty_type: Any) -> Decoder:
        return self._made.get(cty_type) or self._made.put(cty_type, self._make(cty_type))

    def _make(self, cty_type: Any) -> Decoder:
        if type(cty_type) is CtyString:
            return _string_decoder(cty_type)
        if type(cty_type) is CtyObject and all(
            unicodedata.is_normalized("NFC", name) for name in cty_type.attribute_types
        ):
            return self._object_decoder(cty_type)
        validate: Decoder = cty_type.validate
        return validate

    def _object_decoder(self, cty_type: CtyObject) -> Decoder:
        attributes = [
            (name, name in cty_type.optional_attributes, self.get(attribute_type), attribute_type)
            for name, attribute_type in cty_type.attribute_types.items()
        ]
        names = frozenset(cty_type.attribute_types)
        object_validate = self._object_validate
        validate: Decoder = (
            cty_type.validate if object_validate is None else (lambda data: object_validate(cty_type, data))
        )

        def decode(data: Any) -> CtyValue[Any]:
            if data is None:
                return CtyValue.null(cty_type)
            if type(data) is not dict or not names.issuperset(data):
                return validate(data)
            decoded: dict[str, CtyValue[Any]] = {}
            try:
                for name, optional, attribute_decoder, attribute_type in attributes:
                    if name in data:
                        decoded[name] = attribute_decoder(data[name])
                    elif optional:
                        decoded[name] = CtyValue.null(attribute_type)
                    else:
                        return validate(data)  # pyvider's error, with its path
            except (CtyValidationError, RecursionError):
                return validate(data)  # the same error, with the path from here (or the cycle)
            return CtyValue(vtype=cty_type, value=FrozenDict(decoded), is_unknown=False)

        return decode


def _string_decoder(cty_type: CtyString) -> Decoder:
    validate = cty_type.validate

    def decode(data: Any) -> CtyValue[Any]:
        if type(data) is str and unicodedata.is_normalized("NFC", data):
            return CtyValue(vtype=cty_type, value=data)
        if data is None:
            return CtyValue.null(cty_type)
        return validate(data)

    return decode


# --- encoding ----------------------------------------------------------------------------------


class Unsupported(Exception):  # noqa: N818 - a signal to go to pyvider, not an error
    """A value this encoder leaves to pyvider's marshal (the whole value goes there)."""


Encoder = Callable[[Any], Any]


class Encoders:
    """What pyvider's `marshal` sends for a `CtyValue` of a known type, made once per type: the
    tree `cty_to_msgpack` packs, without first copying the value to drop its marks (marshal drops
    them at the wire anyway) and without a path string per attribute. The rules are
    `pyvider.cty.codec._convert_value_to_serializable`'s: unknown (with its refinements) before
    null; object and map keys sorted; a set in cty's set order; numbers as go-cty writes them.
    Dynamic, tuple and capsule types, and a payload that is not a `CtyValue`, raise `Unsupported`.
    """

    def __init__(self, serialize_unknown: Callable[[Any], Any], serialize_decimal: Callable[[Any], Any],
                 set_order_key: Callable[[Any], Any]) -> None:  # fmt: skip
        self._unknown = serialize_unknown
        self._decimal = serialize_decimal
        self._set_order_key = set_order_key
        self._made: ByIdentity[Encoder] = ByIdentity()

    def get(self, cty_type: Any) -> Encoder:
        return self._made.get(cty_type) or self._made.put(cty_type, self._make(cty_type))

    def _make(self, cty_type: Any) -> Encoder:
        if type(cty_type) not in _ENCODED:  # dynamic first of all: it wraps even a null
            return _unsupported
        payload = self._payload_encoder(cty_type)
        unknown = self._unknown

        def encode(value: Any) -> Any:
            if not isinstance(value, CtyValue):
                raise Unsupported
            if value.is_unknown:
                return unknown(value)
            if value.is_null:
                return None
            return payload(value.value)

        return encode

    def _payload_encoder(self, cty_type: Any) -> Encoder:
        kind = type(cty_type)
        if kind in (CtyString, CtyBool):
            return _as_is
        if kind is CtyNumber:
            decimal = self._decimal
            return lambda inner: decimal(inner) if isinstance(inner, Decimal) else inner
        if kind is CtyObject:
            by_name = {name: self.get(attribute) for name, attribute in cty_type.attribute_types.items()}

            def encode_object(inner: Any) -> Any:
                if not isinstance(inner, dict):
                    raise Unsupported
                try:
                    return {name: by_name[name](item) for name, item in sorted(inner.items())}
                except KeyError:
                    raise Unsupported from None

            return encode_object
        if kind is CtyMap:
            element = self.get(cty_type.element_type)

            def encode_map(inner: Any) -> Any:
                if not isinstance(inner, dict):
                    raise Unsupported
                return {key: element(item) for key, item in sorted(inner.items())}

            return encode_map
        if kind in (CtyList, CtySet):
            element = self.get(cty_type.element_type)
            order = self._set_order_key if kind is CtySet else None

            def encode_collection(inner: Any) -> Any:
                if not hasattr(inner, "__iter__") or isinstance(inner, str | bytes | dict):
                    raise Unsupported
                items = sorted(inner, key=order) if order is not None else inner
                return [element(item) for item in items]

            return encode_collection
        return _unsupported


_ENCODED = (CtyString, CtyBool, CtyNumber, CtyObject, CtyMap, CtyList, CtySet)


def _as_is(inner: Any) -> Any:
    return inner


def _unsupported(value: Any) -> Any:
    raise Unsupported
