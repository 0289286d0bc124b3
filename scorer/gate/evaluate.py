"""From a Report to the gate's results: severities, suppressions, the score bar, thresholds."""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from scorer.errors import ConfigError
from scorer.features import feature_ids
from scorer.gate.results import GateResult, Lines
from scorer.gate.settings import RANK, Settings
from scorer.gate.suppress import Directives, covered, suppressed
from scorer.report import FAMILIES, Report


def family_of(rule: str) -> str | None:
    head = rule.split(".", 1)[0]
    return head if head in FAMILIES else None


@lru_cache(maxsize=1)
def known_rules() -> dict[str, str]:
    """Rule id -> description, as the families declare them (module-level ``RULES``, where present)."""
    import importlib

    out: dict[str, str] = {}
    for fam in FAMILIES:
        try:
            out.update(getattr(importlib.import_module(f"scorer.{fam}"), "RULES", {}) or {})
        except ImportError:
            pass
    return out


def validate_keys(settings: Settings) -> None:
    """Threshold and rule keys must name a feature, family or rule: a typo is a config error."""
    features = set(_all_features())
    rules = known_rules()
    for table, keys in (("thresholds", settings.gate.thresholds), ("rules", settings.gate.rules)):
        for key in keys:
            if key in features or key in FAMILIES or key in rules or key.startswith("gate."):
                continue
            fam = family_of(key)
            declared = fam is not None and any(r.startswith(fam + ".") for r in rules)
            if fam is None or declared:
                hint = "" if fam is None else f" (known {fam} ids: {', '.join(sorted(i for i in features | rules if i.startswith(fam + '.')))})"
                raise ConfigError(
                    f"{settings.source_of(table, key)}: [{table}] '{key}' is not a feature id, family or rule id{hint}"
                )


def level_for(rules: dict[str, str], rule: str, family: str | None, default: str) -> str:
    """The configured severity of a rule: its own entry, else its family's, else ``default``."""
    if rule in rules:
        return rules[rule]
    if family is not None and family in rules:
        return rules[family]
    return default


def _finding_results(report: Report, lines: Lines, directives: Directives, ignores: frozenset[str], rules) -> tuple[list[GateResult], int]:
    out, dropped = [], 0
    for f in report.findings:
        if suppressed(directives, f.start, f.code, f.family) or covered(ignores, f.code, f.family):
            dropped += 1
            continue
        level = level_for(rules, f.code, f.family, f.severity)
        if level == "off":
            continue
        (line, col), (eline, ecol) = lines.at(f.start), lines.at(f.end)
        message = f.message
        out.append(
            GateResult(
                f.code, level, message, f.family, f.start, f.end, line, col, eline, ecol,
                f.text, f.suggestion, document_level=False,
            )
        )
    return out, dropped


def _score_result(report: Report, settings: Settings, ignores: frozenset[str]) -> list[GateResult]:
    bar = settings.fail_under
    if covered(ignores, "score") or report.score >= bar:
        return []
    level = level_for(settings.gate.rules, "gate.score", None, "error")
    if level == "off":
        return []
    why = "; ".join(r.message for r in report.reasons)
    message = f"document score {report.score:.2f} is below fail_under {bar:.2f}" + (f": {why}" if why else "")
    return [GateResult("gate.score", level, message, None, value=report.score, bound=bar, feature="score")]


def _count(findings: list[GateResult], key: str) -> float:
    return float(sum(r.family == key or r.rule == key or r.rule.startswith(key + ".") for r in findings))


@lru_cache(maxsize=1)
def _all_features() -> frozenset[str]:
    return frozenset(feature_ids(True))


def _threshold_results(report: Report, findings: list[GateResult], settings: Settings, ignores) -> list[GateResult]:
    """Feature keys bound the feature's value; family and rule keys bound their number of findings."""
    if settings.gate.rules.get("gate.threshold") == "off":
        return []
    out = []
    for key, th in settings.gate.thresholds.items():
        if covered(ignores, key, family_of(key)):
            continue
        if key in report.features:
            value, what = report.features[key], key
        elif key in _all_features():
            continue  # a feature this document does not have (consistency without a reference)
        else:
            value, what = _count(findings, key), f"number of {key} findings"
        if th.min is not None and value < th.min:
            bound, said = th.min, f"below min {th.min:g}"
        elif th.max is not None and value > th.max:
            bound, said = th.max, f"above max {th.max:g}"
        else:
            continue
        out.append(
            GateResult(
                "gate.threshold", th.severity, f"{what} is {value:.4g}, {said}", family_of(key),
                feature=key, value=value, bound=bound,
            )
        )
    return out


def _directive_results(directives: Directives, lines: Lines, text: str) -> list[GateResult]:
    out = []
    for s, e, msg in directives.problems:
        (line, col), (eline, ecol) = lines.at(s), lines.at(e)
        out.append(GateResult("gate.directive", "warning", msg, None, s, e, line, col, eline, ecol, text[s:e], document_level=False))
    return out


def evaluate(
    report: Report, text: str, directives: Directives, path_ignores: frozenset[str], settings: Settings
) -> tuple[list[GateResult], int]:
    """The gate results of one scored document (worst first) and how many findings were suppressed."""
    ignores = directives.file_ignores | path_ignores
    lines = Lines(text)
    findings, dropped = _finding_results(report, lines, directives, ignores, settings.gate.rules)
    results = [
        *_score_result(report, settings, ignores),
        *_threshold_results(report, findings, settings, ignores),
        *findings,
        *_directive_results(directives, lines, text),
    ]
    bar = RANK[settings.gate.fail_on]
    results = [replace(r, fails=r.rank >= bar) for r in results]
    results.sort(key=GateResult.sort_key)
    return results, dropped
