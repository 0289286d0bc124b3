"""Text-quality family: web-text pipeline rules (Gopher, C4, FineWeb) and scraper residue."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from scorer.document import Document
from scorer.report import FamilyResult

FEATURES: dict[str, str] = {
    "quality.mean_word_length": "mean word length in characters",
}


class QualityConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def extract(doc: Document, config: QualityConfig) -> FamilyResult:
    n = max(len(doc.words), 1)
    return FamilyResult({"quality.mean_word_length": sum(map(len, doc.words)) / n})
