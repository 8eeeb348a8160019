"""cty values into attrs instances, with one converter made per target type.

pyvider's `BaseResource._cty_to_attrs_recursive` decides, at every value of every call, what the
target type is (Optional, list, dict, an attrs class, anything else) and which fields a class has.
Those answers depend only on the type, so `Converters` asks once per (type, apply_defaults) and
keeps a function. The rules are pyvider 0.8.1's, unchanged:

- a `CtyValue` that is null or unknown becomes None; any other one is replaced by its payload;
- None and any unknown payload (`UnknownValue`, refined or not) stay None;
- `X | None` converts as X; `list[X]` converts each item; `dict[K, X]` each value;
- an attrs class takes, for each `init` field present in the data, the converted value -- except
  that with `apply_defaults` (a configuration) a null value of a field with a default is left
  out so the class's default applies; data that is not a dict, and a class that refuses its
  arguments, go to pyvider's own conversion (which logs and raises as it always did);
- anything else is returned as it is.

`tests/provider/test_cty_conversion.py` checks the converters against pyvider's conversion for
every resource and data source schema of this provider.
"""

from __future__ import annotations

from collections.abc import Callable
from types import UnionType
from typing import Any, Union, get_args, get_origin

import attrs
from pyvider.cty import CtyValue
from pyvider.cty.values.markers import UnknownValue

Converter = Callable[[Any], Any]
Fallback = Callable[[Any, Any, bool], Any]


class Converters:
    """Converters by (target type, apply_defaults), made on first use."""

    def __init__(self, fallback: Fallback) -> None:
        self._fallback = fallback
        self._made: dict[tuple[Any, bool], Converter] = {}

    def get(self, target: Any, apply_defaults: bool) -> Converter:
        try:
            return self._made[(target, apply_defaults)]
        except KeyError:
            pass
        except TypeError:  # an unhashable annotation: convert the slow way every time
            return lambda data: self._fallback(data, target, apply_defaults)
        # A placeholder first, so a class that refers to itself gets a converter that looks
        # the finished one up.
        self._made[(target, apply_defaults)] = lambda data: self._made[(target, apply_defaults)](data)
        converter = self._make(target, apply_defaults)
        self._made[(target, apply_defaults)] = converter
        return converter

    def _make(self, target: Any, apply_defaults: bool) -> Converter:
        payload = self._payload_converter(target, apply_defaults)

        def convert(data: Any) -> Any:
            if isinstance(data, CtyValue):
                if data.is_null or data.is_unknown:
                    return None
                data = data.value
            if data is None or isinstance(data, UnknownValue):
                return None
            return payload(data)

        return convert

    def _payload_converter(self, target: Any, apply_defaults: bool) -> Converter:
        origin = get_origin(target)
        if origin in (UnionType, Union):
            others = [arg for arg in get_args(target) if arg is not type(None)]
            if len(others) == 1:
                target = others[0]
                origin = get_origin(target)
        if origin is list:
            args = get_args(target)
            item = self.get(args[0] if args else Any, apply_defaults)
            return lambda data: [item(element) for element in data]
        if origin is dict:
            args = get_args(target)
            value = self.get(args[1] if len(args) > 1 else Any, apply_defaults)
            return lambda data: {key: value(element) for key, element in data.items()}
        if isinstance(target, type) and attrs.has(target):
            return self._class_converter(target, apply_defaults)
        return _identity

    def _class_converter(self, target: type, apply_defaults: bool) -> Converter:
        try:
            attrs.resolve_types(target)
        except Exception:  # pyvider warns and keeps the unresolved fields: let it
            return lambda data: self._fallback(data, target, apply_defaults)
        fields = [
            (field.name, self.get(field.type, apply_defaults), field.default is not attrs.NOTHING)
            for field in attrs.fields(target)
            if field.init
        ]

        def build(data: Any) -> Any:
            if not isinstance(data, dict):
                return self._fallback(data, target, apply_defaults)
            kwargs = {}
            for name, convert, has_default in fields:
                if name not in data:
                    continue
                raw = data[name]
                if apply_defaults and has_default and _is_null(raw):
                    continue
                kwargs[name] = convert(raw)
            try:
                return target(**kwargs)
            except TypeError:
                return self._fallback(data, target, apply_defaults)

        return build


def _identity(data: Any) -> Any:
    return data


def _is_null(value: Any) -> bool:
    """pyvider's `BaseResource._is_null`: null, as opposed to unknown."""
    if isinstance(value, CtyValue):
        return bool(value.is_null)
    return value is None
