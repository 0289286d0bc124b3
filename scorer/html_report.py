"""A self-contained HTML page of scored documents: the text with its findings marked, for people to read.

An editor checking a suspect article wants to see where the swaps are and what they
replaced, in the text itself; ``scorer score --format html doc.txt > report.html``
gives one page per run (no scripts, no external files: it opens anywhere, offline).
"""
from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scorer.report import Finding, Report

#: Mark colour of each finding family (also the legend).
COLOURS: dict[str, str] = {"spin": "#ffd54f", "consistency": "#ef9a9a", "quality": "#b3e5fc", "readability": "#c8e6c9"}

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h2{margin-top:2.5rem;border-bottom:1px solid #ccc}
.score{font-size:1.2rem}.unreliable{color:#b71c1c}.reliable{color:#1b5e20}
.text{white-space:pre-wrap;font-family:Georgia,serif;line-height:1.6;border:1px solid #ddd;padding:1rem}
mark{padding:0 1px}sup{color:#555;font-size:.75em}
table{border-collapse:collapse;margin:1rem 0;width:100%;font-size:.9rem}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}table.findings{table-layout:fixed}td{overflow-wrap:break-word}
.legend span{padding:0 .4rem;margin-right:.5rem}.error{color:#b71c1c}
"""


@dataclass(frozen=True)
class Scored:
    """One document of the page: its path and text with its report, or the one-line error it could not be scored for."""

    path: str
    text: str = ""
    report: Report | None = None
    error: str | None = None


def highlight(text: str, findings: Iterable[Finding]) -> str:
    """The text, HTML-escaped, with each finding's span marked; hover shows the message, the original follows.

    A finding inside another (a swapped word inside a long sentence) is marked inside it; a span that
    crosses another's end is left unmarked (every finding is still listed in the page's table).
    """
    out: list[str] = []
    pos = 0
    open_: list[Finding] = []

    def close() -> None:
        nonlocal pos
        f = open_.pop()
        out.append(html.escape(text[pos : f.end]) + "</mark>")
        if f.suggestion:
            out.append(f"<sup>[{html.escape(f.suggestion)}]</sup>")
        pos = f.end

    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        while open_ and open_[-1].end <= f.start:
            close()
        if open_ and f.end > open_[-1].end or f.start < pos:
            continue  # crosses the end of the span it starts in, or starts inside text already closed
        tip = f"{f.code}: {f.message}"
        if f.suggestion and f.suggestion not in f.message:
            tip += f" (suggestion: {f.suggestion})"
        colour = COLOURS.get(f.family, "#eeeeee")
        out.append(html.escape(text[pos : f.start]) + f'<mark style="background:{colour}" title="{html.escape(tip)}">')
        pos = f.start
        open_.append(f)
    while open_:
        close()
    out.append(html.escape(text[pos:]))
    return "".join(out)


#: Longest span text quoted in the findings table (whole sentences are marked in the text above it).
TABLE_TEXT_CHARS = 60


def _short(span: str) -> str:
    return span if len(span) <= TABLE_TEXT_CHARS else span[: TABLE_TEXT_CHARS - 1].rstrip() + "\u2026"


def _findings_table(text: str, findings: Sequence[Finding]) -> str:
    """Every finding, in text order: line, severity, rule id, span, suggestion, message, and the reference's
    evidence where there is one (consistency findings)."""
    evidence = any(f.evidence is not None for f in findings)
    rows = "".join(
        f"<tr><td>{text.count(chr(10), 0, f.start) + 1}</td><td>{html.escape(f.severity)}</td>"
        f"<td><code>{html.escape(f.code)}</code></td><td>{html.escape(_short(f.text))}</td>"
        f"<td>{html.escape(f.suggestion or '')}</td><td>{html.escape(f.message)}</td>"
        + (f"<td>{html.escape(f.evidence.text if f.evidence else '')}</td>" if evidence else "") + "</tr>"
        for f in findings
    )
    widths = (4, 8, 22, 13, 10, 27, 16) if evidence else (4, 8, 22, 15, 12, 39)
    cols = "".join(f'<col style="width:{w}%">' for w in widths)
    return (f'<table class="findings"><colgroup>{cols}</colgroup>'
            "<thead><tr><th>line</th><th>severity</th><th>rule</th><th>text</th><th>suggestion</th>"
            "<th>message</th>" + ("<th>evidence in the reference</th>" if evidence else "")
            + f"</tr></thead><tbody>{rows}</tbody></table>")


def _section(item: Scored) -> str:
    head = f"<h2>{html.escape(item.path)}</h2>"
    if item.report is None:
        return head + f'<p class="error">not scored: {html.escape(item.error or "unknown error")}</p>'
    r = item.report
    reasons = "".join(f"<li>{html.escape(x.message)}</li>" for x in r.reasons)
    return (head
            + f'<p class="score"><b class="{r.label}">{r.label}</b>: score {r.score:.2f} '
            + f"(model <code>{html.escape(r.model)}</code>{', against a reference' if r.has_reference else ''})</p>"
            + (f"<p>Why:</p><ul>{reasons}</ul>" if reasons else "")
            + f"<p>{len(r.findings)} finding{'s' if len(r.findings) != 1 else ''}; hover a mark for its message.</p>"
            + f'<div class="text">{highlight(item.text, r.findings)}</div>'
            + (_findings_table(item.text, r.findings) if r.findings else ""))


def render_page(items: Sequence[Scored], title: str = "scorer report") -> str:
    """The whole page: a legend, then one section per document in the given order."""
    legend = "".join(f'<span style="background:{c}">{html.escape(k)}</span>' for k, c in COLOURS.items())
    body = "".join(_section(i) for i in items)
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{_STYLE}</style></head><body><h1>{html.escape(title)}</h1>"
            f'<p class="legend">Findings by family: {legend}</p>{body}</body></html>\n')
