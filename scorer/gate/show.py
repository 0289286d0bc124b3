"""`scorer config --show`: the effective settings as TOML (or JSON), each value with its source."""
from __future__ import annotations

import json
import math
import re
from typing import Any

from pydantic import BaseModel

from scorer.gate.settings import CONFIG_KEYS, FREE_TABLES, GATE_KEYS, Settings

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_key(key: str) -> str:
    return key if _BARE.match(key) else json.dumps(key, ensure_ascii=False)


def toml_value(v: Any) -> str:
    """A TOML literal for a plain value (None has no TOML form: callers leave it out)."""
    if isinstance(v, BaseModel):
        v = v.model_dump(exclude_none=True)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        return ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (list, tuple, set, frozenset)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{toml_key(str(k))} = {toml_value(x)}" for k, x in v.items() if x is not None) + " }"
    return json.dumps(str(v))


def entries(settings: Settings) -> list[tuple[tuple[str, ...], Any, str]]:
    """(key path, value, source) of every effective setting, top-level scalars first."""
    values: dict[str, Any] = {k: getattr(settings.config, k) for k in type(settings.config).model_fields}
    values.update({k: getattr(settings.gate, k) for k in type(settings.gate).model_fields})
    scalars, tables = [], []
    for key in sorted(CONFIG_KEYS | GATE_KEYS, key=_order):
        value = values[key]
        if isinstance(value, BaseModel):
            for field in type(value).model_fields:
                tables.append(((key, field), getattr(value, field), settings.source_of(key, field)))
        elif key in FREE_TABLES:
            for name, item in value.items():
                tables.append(((key, name), item, settings.source_of(key, name)))
            if not value:
                tables.append(((key,), {}, settings.source_of(key)))
        else:
            scalars.append(((key,), value, settings.source_of(key)))
    return scalars + tables


def _order(key: str) -> tuple[int, str]:
    first = ("threshold", "fail_under", "fail_on", "max_chars")
    return (first.index(key), "") if key in first else (len(first), key)


def render_toml(settings: Settings) -> str:
    out = ["# Effective scorer configuration; after each value, where it came from."]
    if settings.files:
        out += [f"# read: {path} ({label})" for label, path in settings.files]
    else:
        out.append("# read: no configuration file (defaults and command line only)")
    table = None
    for path, value, source in entries(settings):
        if len(path) == 2 and path[0] != table:
            table = path[0]
            out += ["", f"[{table}]"]
        if len(path) == 1 and isinstance(value, dict):
            out += ["", f"[{path[0]}]  # empty ({source})"]
            table = path[0]
            continue
        key = toml_key(path[-1])
        if value is None:
            note = " (the bar is `threshold`)" if path == ("fail_under",) else ""
            out.append(f"# {key} is unset{note}  # {source}")
            continue
        out.append(f"{key} = {toml_value(value)}  # {source}")
    return "\n".join(out) + "\n"


def render_json(settings: Settings) -> str:
    data = {
        "files": [{"source": label, "path": str(path)} for label, path in settings.files],
        "settings": {
            ".".join(path): {"value": value.model_dump() if isinstance(value, BaseModel) else value, "source": source}
            for path, value, source in entries(settings)
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False, default=list) + "\n"
