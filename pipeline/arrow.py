"""Dataclass records ↔ Arrow values, derived from the type hints: no per-field code.

A field of a type Arrow has a natural column for (text, numbers, booleans, dates, tuples of
those, nested records) becomes that column; any other type (a dict, say) is stored as a JSON
string. So a field added to a record needs no change to the store that keeps it.
"""

from __future__ import annotations

import dataclasses
import json
import types
from collections.abc import Callable
from datetime import date
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import pyarrow as pa

Convert = Callable[[Any], Any]
_SCALARS: dict[type, pa.DataType] = {str: pa.string(), bool: pa.bool_(), int: pa.int64(),
                                     float: pa.float64(), date: pa.date32(),
                                     bytes: pa.binary()}


def _same(value: Any) -> Any:
    return value


def _optional(hint: Any) -> Any:
    """``X`` for ``X | None``; the hint itself otherwise (Arrow columns are nullable)."""
    if get_origin(hint) in (Union, types.UnionType):
        kept = [arg for arg in get_args(hint) if arg is not type(None)]
        if len(kept) == 1:
            return kept[0]
    return hint


def _element(hint: Any) -> Any | None:
    """The element type of ``tuple[X, ...]``, ``tuple[X, X]``, ``list[X]``, ``frozenset[X]``."""
    origin, args = get_origin(hint), get_args(hint)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return args[0]
    if origin is tuple and args and all(arg == args[0] for arg in args):
        return args[0]
    if origin in (list, frozenset, set) and len(args) == 1:
        return args[0]
    return None


class Codec:
    """Encoder and decoder of one record type, compiled once from its hints.

    >>> from pipeline.records import Reject
    >>> codec = Codec(Reject)
    >>> codec.decode(codec.encode(Reject("a.txt", "clean", "no text")))
    Reject(path='a.txt', stage='clean', reason='no text', error='')
    """

    def __init__(self, hint: Any) -> None:
        self.arrow_type, self.encode, self.decode = _compile(hint)


def _compile(hint: Any) -> tuple[pa.DataType, Convert, Convert]:
    hint = _optional(hint)
    origin = get_origin(hint)
    if hint in _SCALARS:
        return _SCALARS[hint], _same, _same
    if origin is Literal and all(isinstance(arg, str) for arg in get_args(hint)):
        return pa.string(), _same, _same
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _record(hint)
    element = _element(hint)
    if element is not None:
        arrow_type, encode, decode = _compile(element)
        rebuild: Callable[[Any], Any] = frozenset if origin in (frozenset, set) else \
            list if origin is list else tuple
        decode_items: Convert = (
            (lambda items: None if items is None else rebuild(items)) if decode is _same
            else (lambda items: None if items is None else rebuild(decode(i) for i in items)))
        return (pa.list_(arrow_type),
                lambda items: None if items is None else [encode(i) for i in items],
                decode_items)
    return (pa.string(),  # anything else travels as JSON
            lambda value: json.dumps(value, ensure_ascii=False, sort_keys=True, default=str),
            lambda text: None if text is None else json.loads(text))


def _record(cls: type) -> tuple[pa.DataType, Convert, Convert]:
    hints = get_type_hints(cls)
    parts = [(f.name, *_compile(hints[f.name])) for f in dataclasses.fields(cls)]
    arrow_type = pa.struct([pa.field(name, arrow) for name, arrow, _, _ in parts])

    def encode(record: Any) -> dict[str, Any] | None:
        if record is None:
            return None
        return {name: enc(getattr(record, name)) for name, _, enc, _ in parts}

    # Most fields come back from Arrow as they are: only the others are converted.
    converted = [(name, dec) for name, _, _, dec in parts if dec is not _same]

    def decode(row: dict[str, Any] | None) -> Any:
        if row is None:
            return None
        values = dict(row)
        for name, dec in converted:
            values[name] = dec(values[name])
        return cls(**values)

    return arrow_type, encode, decode
