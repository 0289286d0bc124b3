"""Baseline ratchet: documents already in the baseline fail only when they get worse.

The baseline file records, per document (path relative to the baseline file),
its score, the feature values that broke a threshold and a fingerprint count
of its failing findings (rule id + flagged text). On a later run a failing
result of a baselined document is *baselined* (reported, not failing) when the
baseline already had it and it is no worse: the score did not drop by more
than ``baseline_tolerance``, a threshold value is not further out of bounds, a
finding's fingerprint was already counted. Documents absent from the baseline
must meet the full bar.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from scorer.errors import ConfigError
from scorer.gate.results import DocumentResult, GateResult

FORMAT = "scorer-baseline"
VERSION = 1
_EPS = 1e-9


def key_of(display_path: str, baseline_file: Path) -> str:
    """A document's key: its path relative to the baseline file's folder, posix."""
    p = Path(display_path).resolve()
    try:
        return p.relative_to(baseline_file.resolve().parent).as_posix()
    except ValueError:
        return p.as_posix()


def fingerprint(r: GateResult) -> str:
    if r.rule == "gate.score":
        return "gate.score"
    if r.rule == "gate.threshold":
        return f"gate.threshold|{r.feature}"
    if not r.document_level:
        return f"{r.rule}|{' '.join(r.text.lower().split())}"
    return f"{r.rule}|{r.message}"


def load(path: Path) -> dict[str, dict[str, Any]]:
    """The documents of a baseline file; a missing file is an empty baseline."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: unreadable baseline ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION:
        raise ConfigError(f"{path}: not a {FORMAT} version {VERSION} file; recreate it with --update-baseline")
    docs = data.get("documents")
    if not isinstance(docs, dict):
        raise ConfigError(f"{path}: baseline has no 'documents' table")
    return docs


def _entry(doc: DocumentResult) -> dict[str, Any]:
    failing = [r for r in doc.results if r.fails or r.baselined]
    return {
        "score": None if doc.score is None else round(doc.score, 6),
        "values": {r.feature: r.value for r in failing if r.rule == "gate.threshold"},
        "failures": dict(sorted(Counter(fingerprint(r) for r in failing).items())),
    }


def apply(doc: DocumentResult, entry: dict[str, Any] | None, tolerance: float) -> DocumentResult:
    """Mark the failing results the baseline already had (and that are no worse) as baselined."""
    if doc.status not in ("passed", "failed"):
        return doc
    if entry is None:
        return replace(doc, baseline="new")
    budget = Counter(entry.get("failures", {}))
    out, worse = [], False
    for r in doc.results:
        if r.fails:
            fp = fingerprint(r)
            if budget[fp] > 0 and _no_worse_value(r, entry, tolerance):
                budget[fp] -= 1
                r = replace(r, fails=False, baselined=True)
            else:
                worse = True
        out.append(r)
    base_score = entry.get("score")
    if worse:
        state = "worse"
    elif sum(budget.values()) > 0 or (base_score is not None and doc.score is not None and doc.score > base_score + tolerance):
        state = "improved"
    else:
        state = "unchanged"
    status = "failed" if any(r.fails for r in out) else "passed"
    return replace(doc, results=tuple(out), status=status, baseline=state)


def _no_worse_value(r: GateResult, entry: dict[str, Any], tolerance: float) -> bool:
    """Is a failing score or threshold value no further from its bound than in the baseline?"""
    if r.rule == "gate.score":
        base = entry.get("score")
        return base is not None and r.value is not None and r.value >= base - tolerance - _EPS
    if r.rule == "gate.threshold":
        base = entry.get("values", {}).get(r.feature)
        if base is None or r.value is None or r.bound is None:
            return False
        return r.value >= base - _EPS if r.value < r.bound else r.value <= base + _EPS
    return True


def update(path: Path, docs: list[DocumentResult], old: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Write the baseline for the checked documents (others kept while their file exists)."""
    from scorer import __version__

    entries = {k: v for k, v in old.items() if (path.resolve().parent / k).exists()}
    for doc in docs:
        if doc.status in ("passed", "failed"):
            entries[key_of(doc.path, path)] = _entry(doc)
    data = {"format": FORMAT, "version": VERSION, "created_by": f"scorer {__version__}", "documents": dict(sorted(entries.items()))}
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write baseline ({exc.strerror})") from None
    return entries
