"""GitHub Actions: workflow annotations (capped, with a notice) and a Markdown job summary.

GitHub shows only the first 10 error and 10 warning annotations of a step, so
we emit the worst ones up to ``max_annotations`` per level and then one notice
saying how many were left out. The job summary (``$GITHUB_STEP_SUMMARY``)
lists every document, worst first.
"""
from __future__ import annotations

from scorer.gate.formats import RenderOptions
from scorer.gate.formats.text_format import quote, summary_line
from scorer.gate.results import CheckRun, GateResult

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
MAX_SUMMARY_ROWS = 200


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def annotation(level: str, message: str, file: str | None = None, r: GateResult | None = None, title: str | None = None) -> str:
    props = []
    if file is not None:
        props.append(f"file={escape_property(file)}")
    if r is not None:
        props.append(f"line={r.line}")
        if not r.document_level:
            props += [f"endLine={r.end_line}", f"col={r.column}"]
            if r.end_line == r.line:
                props.append(f"endColumn={r.end_column}")
        else:
            props.append("col=1")
    if title:
        props.append(f"title={escape_property(title)}")
    head = f"::{level} {','.join(props)}" if props else f"::{level}"
    return f"{head}::{escape_data(message)}"


def _entries(run: CheckRun) -> list[tuple[str, str, str | None, GateResult | None, str | None]]:
    """(level, message, file, result, title), worst first."""
    out = []
    for d in run.worst_first():
        if d.status == "error":
            out.append(("error", d.error or "input error", d.path, None, "scorer: input error"))
        for r in d.results:
            if r.baselined:
                continue
            msg = quote(r) + r.message
            out.append((_LEVEL[r.severity], msg, d.path, r, f"scorer {r.rule}"))
    rank = {"error": 0, "warning": 1, "notice": 2}
    return sorted(out, key=lambda e: rank[e[0]])


def render(run: CheckRun, opts: RenderOptions) -> str:
    cap = opts.max_annotations
    used = {"error": 0, "warning": 0, "notice": 0}
    lines, left_out = [], 0
    for level, msg, file, r, title in _entries(run):
        limit = cap - 1 if level == "notice" else cap
        if used[level] >= limit:
            left_out += 1
            continue
        used[level] += 1
        lines.append(annotation(level, msg, file, r, title))
    if left_out:
        lines.append(
            annotation(
                "notice",
                f"{left_out} more scorer results are not shown as annotations (GitHub shows only the first "
                f"{cap} per level and step); see the job summary, or use --format sarif for code scanning.",
                title="scorer: annotations capped",
            )
        )
    lines.append(summary_line(run))
    return "\n".join(lines) + "\n"


def _cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ").replace("\r", " ")


def job_summary(run: CheckRun) -> str:
    """The Markdown written to $GITHUB_STEP_SUMMARY."""
    s = run.summary()
    verdict = "❌ failed" if run.failed else ("⚠️ incomplete" if run.input_errors else "✅ passed")
    out = [
        f"## scorer check: {verdict}",
        "",
        f"**{s['documents']}** documents: **{s['failed']}** failed, **{s['passed']}** passed, "
        f"**{s['errors']}** input errors, **{s['skipped']}** skipped. "
        f"Bar: score ≥ {run.fail_under:.2f}, failing severity ≥ {run.fail_on}.",
        "",
        "| Document | Status | Score | Failing | Worst result |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    docs = run.worst_first()
    for d in docs[:MAX_SUMMARY_ROWS]:
        failing = sum(r.fails for r in d.results)
        worst = d.error or (f"`{d.results[0].rule}` {d.results[0].message}" if d.results else "")
        score = "" if d.score is None else f"{d.score:.2f}"
        out.append(f"| `{_cell(d.path)}` | {d.status} | {score} | {failing} | {_cell(worst)[:200]} |")
    if len(docs) > MAX_SUMMARY_ROWS:
        out.append(f"\n… and {len(docs) - MAX_SUMMARY_ROWS} more documents (use --format json for all).")
    return "\n".join(out) + "\n"
