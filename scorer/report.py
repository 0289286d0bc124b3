"""Plain, frozen values returned by the scorer: findings and reports.

Everything here converts to plain JSON with ``to_dict()`` so the command line,
the CI gate formats, the notebook and the batch runner share one shape.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Family = Literal["readability", "quality", "spin", "consistency"]
Severity = Literal["info", "warning", "error"]
FAMILIES: tuple[str, ...] = ("readability", "quality", "spin", "consistency")
SEVERITIES: tuple[str, ...] = ("info", "warning", "error")


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of the reference text that supports or contradicts a finding."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Finding:
    """One flagged span of the scored text.

    ``start``/``end`` are character offsets into the text exactly as it was
    given to :func:`scorer.score` (never into a normalised copy), so
    ``text == scored_text[start:end]`` always holds.
    """

    family: Family
    code: str
    start: int
    end: int
    text: str
    message: str
    suggestion: str | None = None
    severity: Severity = "warning"
    evidence: Evidence | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "code": self.code,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "message": self.message,
            "suggestion": self.suggestion,
            "severity": self.severity,
            "evidence": None if self.evidence is None else self.evidence.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Reason:
    """A feature that pushed the score down, said in words.

    ``feature`` is a feature id, or the rule id of an out-of-scope quality rule that capped the score
    (``Config.out_of_scope_rules``).
    """

    feature: str
    contribution: float
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"feature": self.feature, "contribution": self.contribution, "message": self.message}


@dataclass(frozen=True, slots=True)
class Report:
    """The scorer's verdict on one document.

    ``features`` holds only the features that could be computed: without a
    reference there are no ``consistency.*`` keys at all (absent, not zero).
    ``out_of_scope`` is the rule id that found the text not to be English prose
    (``Config.out_of_scope_rules``; its score is capped), else None.
    """

    score: float
    label: Literal["reliable", "unreliable"]
    features: dict[str, float]
    findings: tuple[Finding, ...] = ()
    reasons: tuple[Reason, ...] = ()
    has_reference: bool = False
    model: str = ""
    out_of_scope: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "label": self.label,
            "has_reference": self.has_reference,
            "model": self.model,
            "out_of_scope": self.out_of_scope,
            "features": dict(self.features),
            "findings": [f.to_dict() for f in self.findings],
            "reasons": [r.to_dict() for r in self.reasons],
        }


@dataclass(frozen=True, slots=True)
class FamilyResult:
    """What one feature family returns for one document."""

    features: dict[str, float]
    findings: list[Finding] = field(default_factory=list)
