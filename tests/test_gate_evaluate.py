"""Judging a Report: score bar, thresholds, severities, suppression, baseline ratchet."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from scorer.gate import baseline
from scorer.gate.evaluate import evaluate
from scorer.gate.results import DocumentResult
from scorer.gate.settings import load_settings
from scorer.gate.suppress import Directives, parse
from scorer.report import Finding, Reason, Report

TEXT = "Line one is fine.\nThe Assistant General claimed it.\n"


def report(score: float = 0.9, features: dict | None = None, findings=()) -> Report:
    return Report(
        score=score,
        label="reliable" if score >= 0.5 else "unreliable",
        features=features or {"readability.flesch_reading_ease": 50.0},
        findings=tuple(findings),
        reasons=(Reason("spin.finding_density", -1.0, "spin density is high"),),
    )


def spin_finding(severity: str = "warning") -> Finding:
    s = TEXT.index("Assistant General")
    return Finding("spin", "spin.substitution", s, s + 17, "Assistant General", "a synonym swap", "Secretary General", severity)


def settings(tmp_path: Path, toml: str = "", **overrides):
    (tmp_path / "scorer.toml").write_text(toml, encoding="utf-8")
    return load_settings(tmp_path, overrides=overrides)


def judge(tmp_path, rep, toml="", directives=Directives(), ignores=frozenset(), **overrides):
    return evaluate(rep, TEXT, directives, ignores, settings(tmp_path, toml, **overrides))


def test_score_bar_and_locations(tmp_path):
    results, dropped = judge(tmp_path, report(0.3, findings=[spin_finding()]))
    assert dropped == 0
    score, finding = results
    assert (score.rule, score.severity, score.fails, score.document_level) == ("gate.score", "error", True, True)
    assert "document score 0.30 is below fail_under 0.50: spin density is high" == score.message
    assert (score.line, score.column, score.bound, score.value) == (1, 1, 0.5, 0.3)
    assert (finding.rule, finding.fails) == ("spin.substitution", False)
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (2, 5, 2, 22)
    assert finding.suggestion == "Secretary General"
    assert judge(tmp_path, report(0.5))[0] == []
    assert judge(tmp_path, report(0.55), fail_under=0.6)[0][0].rule == "gate.score"


def test_fail_on_and_rule_overrides(tmp_path):
    rep = report(0.9, findings=[spin_finding("warning")])
    assert not judge(tmp_path, rep)[0][0].fails
    assert judge(tmp_path, rep, fail_on="warning")[0][0].fails
    escalated = judge(tmp_path, rep, "[rules]\nspin = 'error'\n")[0][0]
    assert (escalated.severity, escalated.fails) == ("error", True)
    assert judge(tmp_path, rep, "[rules]\n'spin.substitution' = 'off'\nspin = 'error'\n")[0] == []
    demoted = judge(tmp_path, report(0.1), "[rules]\n'gate.score' = 'warning'\n")[0][0]
    assert (demoted.severity, demoted.fails) == ("warning", False)


def test_thresholds_on_features_and_counts(tmp_path):
    toml = """[thresholds]
"readability.flesch_reading_ease" = {min = 60}
spin = {max = 0, severity = "warning"}
"consistency.alignment_mean" = {min = 1}
"""
    results, _ = judge(tmp_path, report(0.9, findings=[spin_finding()]), toml)
    by_feature = {r.feature: r for r in results if r.rule == "gate.threshold"}
    assert set(by_feature) == {"readability.flesch_reading_ease", "spin"}  # no consistency feature: skipped
    fre = by_feature["readability.flesch_reading_ease"]
    assert (fre.severity, fre.fails, fre.value, fre.bound) == ("error", True, 50.0, 60.0)
    assert fre.message == "readability.flesch_reading_ease is 50, below min 60"
    assert by_feature["spin"].message == "number of spin findings is 1, above max 0"
    assert not by_feature["spin"].fails
    assert results[0] is fre  # worst first


def test_suppression_and_path_ignores(tmp_path):
    text_directives = parse("<!-- scorer: ignore-file spin score -->\n" + TEXT, "a.txt")
    results, dropped = evaluate(
        report(0.1, findings=[spin_finding()]), TEXT, text_directives, frozenset(), settings(tmp_path)
    )
    assert (results, dropped) == ([], 1)
    results, dropped = judge(tmp_path, report(0.1, findings=[spin_finding()]), ignores=frozenset({"spin.substitution"}))
    assert [r.rule for r in results] == ["gate.score"] and dropped == 1


def doc_of(results, score=0.3) -> DocumentResult:
    return DocumentResult("a.txt", "failed" if any(r.fails for r in results) else "passed", score, "unreliable", results=tuple(results))


def test_baseline_ratchet(tmp_path):
    f1 = spin_finding("error")
    rep = report(0.3, findings=[f1])
    results, _ = judge(tmp_path, rep)
    doc = doc_of(results)
    path = tmp_path / "baseline.json"
    entries = baseline.update(path, [replace(doc, path=str(tmp_path / "a.txt"))], {})
    entry = entries["a.txt"]
    assert entry["failures"] == {"gate.score": 1, "spin.substitution|assistant general": 1}
    assert baseline.load(path) == entries
    # same problems again: baselined, passes
    same = baseline.apply(doc, entry, 0.01)
    assert (same.status, same.baseline) == ("passed", "unchanged")
    assert all(r.baselined and not r.fails for r in same.results)
    # score dropped by more than the tolerance: fails again
    worse = baseline.apply(doc_of(judge(tmp_path, report(0.2, findings=[f1]))[0], 0.2), entry, 0.01)
    assert (worse.status, worse.baseline) == ("failed", "worse")
    assert [r.rule for r in worse.results if r.fails] == ["gate.score"]
    # a second spun phrase is new: it fails, the known one does not
    f2 = replace(f1, start=0, end=4, text="Line")
    more = baseline.apply(doc_of(judge(tmp_path, report(0.3, findings=[f1, f2]))[0]), entry, 0.01)
    assert [r.text for r in more.results if r.fails] == ["Line"]
    # better than before: improved; new documents meet the full bar
    better = baseline.apply(doc_of(judge(tmp_path, report(0.45))[0], 0.45), entry, 0.01)
    assert (better.status, better.baseline) == ("passed", "improved")
    assert baseline.apply(doc, None, 0.01).status == "failed"


def test_bad_baseline_file(tmp_path):
    import pytest

    from scorer.errors import ConfigError

    bad = tmp_path / "b.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="unreadable baseline"):
        baseline.load(bad)
    bad.write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(ConfigError, match="recreate it with --update-baseline"):
        baseline.load(bad)
    assert baseline.load(tmp_path / "none.json") == {}


def test_a_crash_on_one_document_keeps_the_others(monkeypatch):
    from scorer.gate import runner

    def fake_score_many(texts, references=None, config=None):
        if any("boom" in t for t in texts):
            raise RuntimeError("boom\nsecond line")
        return [report(0.9) for _ in texts]

    monkeypatch.setattr(runner, "score_many", fake_score_many)
    out = runner.score_all([("fine", None), ("boom", None), ("also fine", None)], None, 10, 1)
    assert isinstance(out[0], Report) and isinstance(out[2], Report)
    assert out[1] == "internal error while scoring: RuntimeError: boom"


def test_worker_processes_keep_input_order(monkeypatch):
    from scorer.gate import runner

    monkeypatch.setattr(runner, "score_many", lambda texts, references=None, config=None: [report(int(t) / 1000) for t in texts])
    items = [(str(i), None) for i in range(40)]
    out = runner.score_all(items, None, 7, 2)
    assert [round(r.score * 1000) for r in out] == list(range(40))
