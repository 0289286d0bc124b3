"""Typed configuration with published defaults.

One frozen model per feature family, gathered in :class:`Config`. The keys are
the same stable ids used for features and rules, so a TOML table
``[tool.scorer.spin]`` maps onto :class:`scorer.spin.SpinConfig`.
"""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from scorer.consistency import ConsistencyConfig
from scorer.quality import QualityConfig
from scorer.readability import ReadabilityConfig
from scorer.spin import SpinConfig


class Config(BaseModel):
    """Everything the scorer can be told; defaults are the documented ones."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    threshold: float = Field(0.5, ge=0.0, le=1.0, description="score below which a document is unreliable")
    max_chars: int = Field(2_000_000, gt=0, description="longest text accepted, in characters")
    readability: ReadabilityConfig = ReadabilityConfig()
    quality: QualityConfig = QualityConfig()
    spin: SpinConfig = SpinConfig()
    consistency: ConsistencyConfig = ConsistencyConfig()


DEFAULT = Config()
