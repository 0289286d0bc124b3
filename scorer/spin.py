"""Spin family: synonym-substitution artefacts ("tortured phrases") with likely originals."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from scorer.document import Document
from scorer.report import FamilyResult

FEATURES: dict[str, str] = {
    "spin.finding_density": "flagged substitutions per 100 words",
}


class SpinConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def extract(doc: Document, config: SpinConfig) -> FamilyResult:
    return FamilyResult({"spin.finding_density": 0.0})
