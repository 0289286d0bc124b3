"""Human output: worst documents and worst results first; ANSI colour only when asked (a TTY)."""
from __future__ import annotations

from scorer.gate.formats import RenderOptions
from scorer.gate.results import CheckRun, DocumentResult, GateResult

_COLORS = {"error": "31", "warning": "33", "info": "36", "failed": "1;31", "passed": "32", "skipped": "2", "dim": "2", "bold": "1"}


def _paint(text: str, style: str, on: bool) -> str:
    return f"\x1b[{_COLORS[style]}m{text}\x1b[0m" if on else text


def _result_line(r: GateResult, color: bool) -> str:
    where = f"{r.line}:{r.column}"
    sev = _paint(f"{r.severity:<7}", r.severity, color)
    tail = f" -> {r.suggestion!r}" if r.suggestion else ""
    tail += " (baselined)" if r.baselined else ""
    line = f"  {where:<8} {sev} {r.rule:<24} {quote(r)}{r.message}{tail}"
    return _paint(line, "dim", color) if r.baselined else line


def quote(r: GateResult, limit: int = 60) -> str:
    """The flagged text, shortened, unless the message already quotes it."""
    if not r.text or r.document_level or r.text in r.message:
        return ""
    return repr(shorten(r.text, limit)) + ": "


def shorten(text: str, limit: int = 60) -> str:
    """``text`` on one line (white space runs made one space), cut to ``limit`` characters with an ellipsis."""
    t = " ".join(text.split())
    return t if len(t) <= limit else t[: limit - 1] + "…"


def _header(d: DocumentResult, color: bool) -> str:
    path = _paint(d.path, "bold", color)
    if d.status == "error":
        return f"{path}: {_paint('ERROR', 'error', color)} {d.error}"
    if d.status == "skipped":
        return f"{path}: {_paint('skipped', 'skipped', color)} {d.error or ''}".rstrip()
    status = _paint(d.status.upper() if d.status == "failed" else d.status, d.status, color)
    extra = f", baseline: {d.baseline}" if d.baseline else ""
    return f"{path}: {status} score {d.score:.2f} ({d.label}{extra})"


def summary_line(run: CheckRun) -> str:
    s = run.summary()
    parts = [f"{s['documents']} documents", f"{s['failed']} failed", f"{s['passed']} passed"]
    if s["errors"]:
        parts.append(f"{s['errors']} input errors")
    if s["skipped"]:
        parts.append(f"{s['skipped']} skipped")
    if s["baselined_results"]:
        parts.append(f"{s['baselined_results']} baselined results")
    if s["suppressed"]:
        parts.append(f"{s['suppressed']} suppressed findings")
    verdict = "gate FAILED" if run.failed else ("gate passed" if not run.input_errors else "incomplete (input errors)")
    return f"{verdict}: {', '.join(parts)} (fail_under {run.fail_under:.2f}, fail_on {run.fail_on}, {run.seconds:.1f} s)"


def render(run: CheckRun, opts: RenderOptions) -> str:
    out: list[str] = [f"warning: {w}" for w in run.warnings]
    for d in run.worst_first():
        shown = [r for r in d.results if not opts.quiet or r.fails]
        if d.status in ("passed", "skipped") and not opts.verbose and not (shown and not opts.quiet):
            continue
        out.append(_header(d, opts.color))
        out.extend(_result_line(r, opts.color) for r in shown)
    line = summary_line(run)
    out.append(_paint(line, "failed" if run.failed else "passed", opts.color) if opts.color else line)
    if run.baseline_updated:
        out.append(f"baseline written to {run.baseline_path}")
    return "\n".join(out) + "\n"
