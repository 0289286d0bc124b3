"""The values a check produces: one result per problem, one record per document, one run."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, Literal

from scorer.gate.settings import RANK

Status = Literal["passed", "failed", "error", "skipped"]

#: Rule ids the gate itself reports (the families' finding codes come on top).
GATE_RULES: dict[str, str] = {
    "gate.score": "The document score is below the bar (fail_under).",
    "gate.threshold": "A feature value or a count of findings is outside its configured bounds.",
    "gate.directive": "A scorer comment in the document could not be understood.",
}


class Lines:
    """1-based line and column of character offsets (columns count code points)."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        pos = text.find("\n")
        while pos >= 0:
            self.starts.append(pos + 1)
            pos = text.find("\n", pos + 1)

    def at(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1


@dataclass(frozen=True, slots=True)
class GateResult:
    """One thing the gate reports about a document (a finding, a score or threshold violation)."""

    rule: str
    severity: str
    message: str
    family: str | None = None
    start: int = 0
    end: int = 0
    line: int = 1
    column: int = 1
    end_line: int = 1
    end_column: int = 1
    text: str = ""
    suggestion: str | None = None
    feature: str | None = None
    value: float | None = None
    bound: float | None = None
    document_level: bool = True
    baselined: bool = False
    fails: bool = False

    @property
    def rank(self) -> int:
        return RANK[self.severity]

    def sort_key(self) -> tuple:
        """Worst first: failing, then severity, then document-level, then position."""
        return (not self.fails, -self.rank, not self.document_level, self.start, self.rule)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "family": self.family,
            "location": {
                "start": self.start,
                "end": self.end,
                "line": self.line,
                "column": self.column,
                "end_line": self.end_line,
                "end_column": self.end_column,
                "document_level": self.document_level,
            },
            "text": self.text,
            "suggestion": self.suggestion,
            "feature": self.feature,
            "value": self.value,
            "bound": self.bound,
            "baselined": self.baselined,
            "fails": self.fails,
        }


@dataclass(frozen=True)
class DocumentResult:
    """The gate's verdict on one file."""

    path: str
    status: Status
    score: float | None = None
    label: str | None = None
    reference: str | None = None
    error: str | None = None
    results: tuple[GateResult, ...] = ()
    features: dict[str, float] = field(default_factory=dict)
    suppressed: int = 0
    baseline: str | None = None  # new | unchanged | improved | worse, with a baseline
    model: str = ""

    @property
    def worst_rank(self) -> int:
        return max((r.rank for r in self.results if r.fails), default=-1)

    def sort_key(self) -> tuple:
        """Worst documents first: input errors, failures, then by score."""
        order = {"error": 0, "failed": 1, "passed": 2, "skipped": 3}[self.status]
        return (order, -self.worst_rank, 2.0 if self.score is None else self.score, self.path)

    def to_dict(self, with_features: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {
            "path": self.path,
            "status": self.status,
            "score": self.score,
            "label": self.label,
            "reference": self.reference,
            "error": self.error,
            "baseline": self.baseline,
            "suppressed": self.suppressed,
            "results": [r.to_dict() for r in self.results],
        }
        if with_features:
            d["features"] = dict(self.features)
        return d


@dataclass(frozen=True)
class CheckRun:
    """Everything one `scorer check` produced, in input order."""

    documents: tuple[DocumentResult, ...]
    fail_under: float
    fail_on: str
    warnings: tuple[str, ...] = ()
    baseline_path: str | None = None
    baseline_updated: bool = False
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(d.status == status for d in self.documents)

    @property
    def failed(self) -> bool:
        return any(d.status == "failed" for d in self.documents)

    @property
    def input_errors(self) -> bool:
        return any(d.status == "error" for d in self.documents)

    def worst_first(self) -> list[DocumentResult]:
        return sorted(self.documents, key=DocumentResult.sort_key)

    def summary(self) -> dict[str, Any]:
        results = [r for d in self.documents for r in d.results]
        return {
            "documents": len(self.documents),
            "passed": self.count("passed"),
            "failed": self.count("failed"),
            "errors": self.count("error"),
            "skipped": self.count("skipped"),
            "results": {s: sum(r.severity == s for r in results) for s in ("error", "warning", "info")},
            "failing_results": sum(r.fails for r in results),
            "baselined_results": sum(r.baselined for r in results),
            "suppressed": sum(d.suppressed for d in self.documents),
        }
