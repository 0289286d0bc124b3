"""The CI quality gate behind `scorer check` (see docs/check.md).

Public API::

    from scorer.gate import load_settings, run_check, CheckOptions
    run = run_check(CheckOptions(paths=("docs",)), load_settings())
    run.failed, run.documents[0].results
"""
from __future__ import annotations

from scorer.gate.results import CheckRun, DocumentResult, GateResult
from scorer.gate.runner import CheckOptions, run_check
from scorer.gate.settings import GateSettings, Settings, Threshold, load_settings

__all__ = [
    "CheckOptions",
    "CheckRun",
    "DocumentResult",
    "GateResult",
    "GateSettings",
    "Settings",
    "Threshold",
    "load_settings",
    "run_check",
]
