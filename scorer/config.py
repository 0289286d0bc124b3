"""Typed configuration with published defaults.

One frozen model per feature family, gathered in :class:`Config`. The keys are
the same stable ids used for features and rules, so a TOML table
``[tool.scorer.spin]`` maps onto :class:`scorer.spin.SpinConfig`.
"""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from scorer.consistency import ConsistencyConfig
from scorer.quality import RULES, QualityConfig
from scorer.readability import ReadabilityConfig
from scorer.spin import SpinConfig


#: Quality rules that say a text is not English prose at all (not a worse or a spun article): another language,
#: a word list, a table of numbers, placeholder text. None of them fails on any text of 50 words or more in the
#: shared data (BBC, OneStopEnglish, SummEdits documents and summaries of all eight domains). The first that
#: fails is the one named, so the most specific come first and the stop-word count, which every other kind
#: also fails, last.
OUT_OF_SCOPE_RULES: tuple[str, ...] = (
    "quality.not_english", "quality.alpha_ratio", "quality.mean_word_length", "quality.lorem_ipsum",
    "quality.few_stop_words",
)


class Config(BaseModel):
    """Everything the scorer can be told; defaults are the documented ones."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    threshold: float = Field(0.5, ge=0.0, le=1.0, description="score below which a document is unreliable")
    max_chars: int = Field(2_000_000, gt=0, description="longest text accepted, in characters")
    out_of_scope_rules: tuple[str, ...] = Field(
        OUT_OF_SCOPE_RULES, description="quality rules that mark a text as not the English prose the scorer judges "
        "(web-text pipelines drop such documents): where one fails, the score is capped at out_of_scope_score")
    out_of_scope_score: float = Field(0.1, ge=0.0, le=1.0, description="the highest score of an out-of-scope text")
    out_of_scope_min_words: int = Field(50, ge=0, description="fewest words for the out-of-scope rules to apply (the "
                                        "Gopher minimum: a headline or a one-line summary may lack stop words)")
    readability: ReadabilityConfig = ReadabilityConfig()
    quality: QualityConfig = QualityConfig()
    spin: SpinConfig = SpinConfig()
    consistency: ConsistencyConfig = ConsistencyConfig()

    @field_validator("out_of_scope_rules")
    @classmethod
    def _known_rules(cls, rules: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [r for r in rules if r not in RULES]
        if unknown:
            raise ValueError(f"unknown quality rule {unknown[0]!r} (rules: {', '.join(sorted(RULES))})")
        return rules


DEFAULT = Config()
