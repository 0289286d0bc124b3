"""Gate settings from pyproject.toml / scorer.toml / the command line, with provenance.

Layers, lowest first: the documented defaults, ``[tool.scorer]`` in
``pyproject.toml``, a standalone ``scorer.toml`` (top-level keys) in the same
folder, then command-line options. Tables merge key by key, so every leaf value
remembers which layer set it; ``scorer config --show`` prints that.

Keys of :class:`scorer.config.Config` (``threshold``, ``max_chars``, the
family tables ``[tool.scorer.spin]`` ...) configure the scorer itself; the
gate-only keys live in :class:`GateSettings`.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from scorer.config import Config
from scorer.errors import ConfigError

Level = Literal["error", "warning", "info"]
RuleLevel = Literal["error", "warning", "info", "off"]
#: Severity order: a result fails the run when its rank >= the rank of ``fail_on``.
RANK = {"info": 0, "warning": 1, "error": 2}

DEFAULT_SOURCE = "default"
CLI_SOURCE = "command line"
PYPROJECT = "pyproject.toml"
STANDALONE = "scorer.toml"


class Threshold(BaseModel):
    """Bounds on one feature value, or on the number of findings of a family or rule."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min: float | None = Field(None, description="fail when the value is below this")
    max: float | None = Field(None, description="fail when the value is above this")
    severity: Level = Field("error", description="severity of a violation")

    @model_validator(mode="after")
    def _one_bound(self) -> Threshold:
        if self.min is None and self.max is None:
            raise ValueError("a threshold needs min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self


class GateSettings(BaseModel):
    """What decides whether `scorer check` passes; defaults are the documented ones."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    fail_under: float | None = Field(
        None, ge=0.0, le=1.0, description="document score below which a document fails (unset: `threshold`)"
    )
    fail_on: Level = Field("error", description="lowest severity that fails the run")
    thresholds: dict[str, Threshold] = Field(
        default_factory=dict, description="feature id, family or rule id -> {min, max, severity}"
    )
    rules: dict[str, RuleLevel] = Field(
        default_factory=dict, description="rule id or family -> severity override, or 'off'"
    )
    exclude: tuple[str, ...] = Field((), description="glob patterns of files never checked")
    per_path_ignores: dict[str, tuple[str, ...]] = Field(
        default_factory=dict, description="glob -> families, rule ids, feature ids, 'score' or 'all' to ignore"
    )
    extensions: tuple[str, ...] = Field((".txt", ".md", ".markdown"), description="file types searched in folders")
    baseline: str | None = Field(None, description="baseline file (relative to the configuration file)")
    baseline_tolerance: float = Field(
        0.01, ge=0.0, le=1.0, description="score drop below the baseline score that is not yet 'worse'"
    )
    max_annotations: int = Field(10, ge=0, description="github format: annotations per severity before a notice")
    jobs: int = Field(0, ge=0, description="worker processes (0: automatic)")
    batch_size: int = Field(200, gt=0, description="documents scored per classifier call")


GATE_KEYS = frozenset(GateSettings.model_fields)
CONFIG_KEYS = frozenset(Config.model_fields)
#: Tables whose own keys are free-form names (feature ids, globs), not field names.
FREE_TABLES = frozenset({"thresholds", "rules", "per_path_ignores"})


@dataclass(frozen=True)
class Settings:
    """The effective settings, where each leaf value came from, and the files read."""

    config: Config
    gate: GateSettings
    sources: dict[tuple[str, ...], str]
    files: tuple[tuple[str, Path], ...] = ()
    root: Path = field(default_factory=Path.cwd)

    @property
    def fail_under(self) -> float:
        """The bar for the document score: ``fail_under``, else the scorer's ``threshold``."""
        return self.config.threshold if self.gate.fail_under is None else self.gate.fail_under

    def source_of(self, *key: str) -> str:
        """Which layer set ``key`` (or any leaf under it, the last layer wins)."""
        hits = [s for k, s in self.sources.items() if k[: len(key)] == key]
        if not hits:
            return DEFAULT_SOURCE
        return " + ".join(dict.fromkeys(hits))

    def resolve_path(self, value: str) -> Path:
        """A path from a configuration file, relative to that file's folder."""
        p = Path(value).expanduser()
        return p if p.is_absolute() else self.root / p


def _norm(key: str) -> str:
    return key.replace("-", "_")


def _normalise(table: dict[str, Any], where: str) -> dict[str, Any]:
    """Accept `fail-under` as well as `fail_under` for field names (not for free-form keys)."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        name = _norm(key)
        if name in out:
            raise ConfigError(f"{where}: key '{key}' is given twice (as '-' and '_' spellings)")
        if isinstance(value, dict) and name not in FREE_TABLES:
            value = _normalise(value, f"{where} [{key}]")
        out[name] = value
    return out


def read_toml(path: Path, table: tuple[str, ...] = ()) -> dict[str, Any] | None:
    """The table at ``table`` of a TOML file (None when absent); malformed TOML is a ConfigError."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not valid UTF-8 (byte {exc.start})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    for part in table:
        data = data.get(part)
        if data is None:
            return None
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: [{'.'.join(table)}] must be a table")
    return data


def _layer_of(path: Path) -> tuple[str, dict[str, Any]] | None:
    """(source label, table) of a configuration file; pyproject.toml only when it has [tool.scorer]."""
    if path.name == PYPROJECT:
        table = read_toml(path, ("tool", "scorer"))
        return None if table is None else (PYPROJECT, table)
    return path.name, read_toml(path) or {}


def discover(start: Path) -> list[Path]:
    """Configuration files of the nearest folder (``start`` or a parent) that has any."""
    for folder in (start, *start.parents):
        found = []
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and read_toml(pyproject, ("tool", "scorer")) is not None:
            found.append(pyproject)
        if (folder / STANDALONE).is_file():
            found.append(folder / STANDALONE)
        if found:
            return found
        if (folder / ".git").exists():
            break
    return []


def _merge(into: dict[str, Any], layer: dict[str, Any], source: str, sources: dict, prefix=()) -> None:
    """Deep-merge ``layer`` into ``into`` and record the source of every leaf."""
    for key, value in layer.items():
        path = (*prefix, key)
        if isinstance(value, dict) and value and isinstance(into.get(key, {}), dict):
            _merge(into.setdefault(key, {}), value, source, sources, path)
        else:
            into[key] = value
            for k in [k for k in sources if k[: len(path)] == path]:
                del sources[k]
            sources[path] = source


def parse_assignment(text: str) -> dict[str, Any]:
    """`--set spin.min_score=0.7` -> {"spin": {"min_score": 0.7}}; the value is TOML (bare words are strings)."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ConfigError(f"--set expects KEY=VALUE, got {text!r}")
    try:
        value = tomllib.loads(f"v = {raw.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw.strip()
    parts = _split_key(key)
    table: dict[str, Any] = {parts[-1]: value}
    for part in reversed(parts[:-1]):
        table = {part: table}
    return table


def _split_key(key: str) -> list[str]:
    """Dotted key with free-form tails kept whole: `thresholds.readability.flesch_reading_ease.min`."""
    head, _, rest = key.partition(".")
    if _norm(head) in FREE_TABLES and rest:
        name, _, leaf = rest.rpartition(".")
        if name and _norm(head) == "thresholds":
            return [head, name, leaf]
        return [head, rest]
    return key.split(".")


def load_settings(
    start: Path | None = None,
    *,
    config_file: Path | None = None,
    isolated: bool = False,
    overrides: dict[str, Any] | None = None,
) -> Settings:
    """Read the configuration layers and validate them; any problem is a one-line ConfigError."""
    start = (start or Path.cwd()).resolve()
    if isolated:
        paths: list[Path] = []
    elif config_file is not None:
        if not config_file.is_file():
            raise ConfigError(f"{config_file}: no such configuration file")
        paths = [config_file]
    else:
        paths = discover(start)
    merged: dict[str, Any] = {}
    sources: dict[tuple[str, ...], str] = {}
    files: list[tuple[str, Path]] = []
    for path in paths:
        layer = _layer_of(path)
        if layer is None:
            raise ConfigError(f"{path}: has no [tool.scorer] table")
        label, table = layer
        files.append((label, path.resolve()))
        _merge(merged, _normalise(table, str(path)), label, sources)
    if overrides:
        _merge(merged, _normalise(overrides, "command line"), CLI_SOURCE, sources)
    root = files[-1][1].parent if files else start
    config, gate = _validate(merged, sources, files)
    return Settings(config, gate, sources, tuple(files), root)


def _validate(merged: dict[str, Any], sources: dict, files: list[tuple[str, Path]]) -> tuple[Config, GateSettings]:
    def where(key: str) -> str:
        label = next((s for k, s in sources.items() if k[0] == key), CLI_SOURCE)
        path = next((p for lbl, p in files if lbl == label), None)
        return str(path) if path else label

    unknown = sorted(set(merged) - GATE_KEYS - CONFIG_KEYS)
    if unknown:
        known = ", ".join(sorted(GATE_KEYS | CONFIG_KEYS))
        raise ConfigError(f"{where(unknown[0])}: unknown key '{unknown[0]}' (known keys: {known})")
    try:
        config = Config.model_validate({k: v for k, v in merged.items() if k in CONFIG_KEYS})
        gate = GateSettings.model_validate({k: v for k, v in merged.items() if k in GATE_KEYS})
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise ConfigError(f"{where(str(err['loc'][0]))}: {loc}: {err['msg']}") from None
    return config, gate
