"""Readability family: classic formulas over the shared Document pass."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from scorer.document import Document
from scorer.report import FamilyResult

FEATURES: dict[str, str] = {
    "readability.word_count": "number of words",
    "readability.sentence_count": "number of sentences",
    "readability.flesch_reading_ease": "Flesch Reading Ease (higher is easier)",
}


class ReadabilityConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def extract(doc: Document, config: ReadabilityConfig) -> FamilyResult:
    words = max(len(doc.words), 1)
    sents = max(len(doc.sentences), 1)
    syll = sum(doc.syllables)
    fre = 206.835 - 1.015 * words / sents - 84.6 * syll / words
    return FamilyResult(
        {
            "readability.word_count": float(len(doc.words)),
            "readability.sentence_count": float(len(doc.sentences)),
            "readability.flesch_reading_ease": min(121.22, fre),
        }
    )
