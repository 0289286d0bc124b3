"""scorer: how reliable is a document, how good is its text, and was it spun?

Public API::

    import scorer
    report = scorer.score(text, reference=None)
    report.score, report.label, report.features, report.findings
    text = scorer.page_text(html)   # a saved web page's text, to score
"""
from __future__ import annotations

from scorer.config import Config
from scorer.document import Document
from scorer.errors import ConfigError, InputError, ModelError, ScorerError
from scorer.features import feature_ids
from scorer.html_text import page_text
from scorer.pipeline import analyze, score, score_many
from scorer.report import Evidence, Finding, Reason, Report

__version__ = "0.1.0"

__all__ = [
    "Config",
    "ConfigError",
    "Document",
    "Evidence",
    "Finding",
    "InputError",
    "ModelError",
    "Reason",
    "Report",
    "ScorerError",
    "analyze",
    "feature_ids",
    "page_text",
    "score",
    "score_many",
    "__version__",
]
