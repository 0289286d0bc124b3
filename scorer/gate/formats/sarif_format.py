"""SARIF 2.1.0 for code scanning: every result has a physical location.

Document-level results (the score bar, thresholds) are anchored at line 1;
columns count Unicode code points (``columnKind``). Input errors are tool
execution notifications, not results. Baselined results carry
``baselineState: unchanged`` and an external suppression.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

from scorer.gate.formats import RenderOptions
from scorer.gate.formats.text_format import quote
from scorer.gate.results import GATE_RULES, CheckRun, GateResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def artifact_uri(path: str) -> str:
    """A relative path as a URI reference; an absolute one as a file: URI."""
    p = Path(path)
    return p.resolve().as_uri() if p.is_absolute() else url_quote(p.as_posix())


def _rule_descriptions() -> dict[str, str]:
    from scorer.gate.evaluate import known_rules

    return {**GATE_RULES, **known_rules()}


def _region(r: GateResult) -> dict[str, int]:
    if r.document_level:
        return {"startLine": 1}
    region = {"startLine": r.line, "startColumn": r.column, "endLine": r.end_line, "endColumn": r.end_column}
    return region if (r.end_line, r.end_column) >= (r.line, r.column) else {"startLine": r.line, "startColumn": r.column}


def _fingerprint(path: str, r: GateResult) -> str:
    basis = f"{path}|{r.rule}|{r.feature or ''}|{' '.join(r.text.lower().split())}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


def to_dict(run: CheckRun, opts: RenderOptions) -> dict[str, Any]:
    from scorer import __version__

    described = _rule_descriptions()
    used = sorted({r.rule for d in run.documents for r in d.results} | set(GATE_RULES))
    index = {rule: i for i, rule in enumerate(used)}
    rules = [
        {
            "id": rule,
            "shortDescription": {"text": described.get(rule, f"{rule.split('.')[0]} finding")},
            "defaultConfiguration": {"level": "error" if rule != "gate.directive" else "warning"},
        }
        for rule in used
    ]
    results, notifications = [], []
    for d in run.documents:
        uri = artifact_uri(d.path)
        if d.status == "error":
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": d.error or "input error"},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
                }
            )
        for r in d.results:
            res: dict[str, Any] = {
                "ruleId": r.rule,
                "ruleIndex": index[r.rule],
                "level": _LEVEL[r.severity],
                "message": {"text": quote(r) + r.message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": _region(r)}}],
                "partialFingerprints": {"scorerResult/v1": _fingerprint(d.path, r)},
                "properties": {"fails": r.fails, "score": d.score, "feature": r.feature, "value": r.value},
            }
            if run.baseline_path is not None:
                res["baselineState"] = "unchanged" if r.baselined else "new"
            if r.baselined:
                res["suppressions"] = [{"kind": "external", "justification": "in the scorer baseline"}]
            results.append(res)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "scorer",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "invocations": [
                    {
                        "executionSuccessful": not run.input_errors,
                        "exitCode": opts.exit_code,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
            }
        ],
    }


def render(run: CheckRun, opts: RenderOptions) -> str:
    return json.dumps(to_dict(run, opts), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
