"""Machine output, versioned: see scorer/gate/schemas/check-v1.json and docs/check.md."""
from __future__ import annotations

import json
from typing import Any

from scorer.gate.formats import RenderOptions
from scorer.gate.results import CheckRun

SCHEMA_VERSION = 1
SCHEMA_ID = "https://scorer.invalid/schemas/check-v1.json"


def to_dict(run: CheckRun, opts: RenderOptions) -> dict[str, Any]:
    from scorer import __version__

    return {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "scorer", "version": __version__},
        "passed": not run.failed and not run.input_errors,
        "exit_code": opts.exit_code,
        "settings": {"fail_under": run.fail_under, "fail_on": run.fail_on, "baseline": run.baseline_path},
        "summary": run.summary(),
        "warnings": list(run.warnings),
        "documents": [d.to_dict(with_features=True) for d in run.documents],
    }


def render(run: CheckRun, opts: RenderOptions) -> str:
    return json.dumps(to_dict(run, opts), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
