"""Small HTML renderers for the notebook: tables of dicts and highlighted findings."""
from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

from scorer.report import Finding

_COLOURS = {"spin": "#ffd54f", "consistency": "#ef9a9a", "quality": "#b3e5fc", "readability": "#c8e6c9"}


def _cell(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.3f}"
    return html.escape("" if v is None else str(v))


def table(rows: Iterable[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    """An HTML table of dict rows (floats to three decimals)."""
    rows = list(rows)
    cols = list(columns or (rows[0].keys() if rows else []))
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{_cell(r.get(c))}</td>" for c in cols) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def highlight(text: str, findings: Iterable[Finding]) -> str:
    """The text with each finding's span marked; hover shows the message and suggestion."""
    out, pos = [], 0
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if f.start < pos:
            continue  # overlapping spans: the first one wins
        out.append(html.escape(text[pos : f.start]))
        tip = f.code + ": " + f.message + (f" (likely original: {f.suggestion})" if f.suggestion else "")
        colour = _COLOURS.get(f.family, "#eeeeee")
        out.append(f'<mark style="background:{colour}" title="{html.escape(tip)}">{html.escape(f.text)}</mark>')
        if f.suggestion:
            out.append(f'<sup style="color:#555">[{html.escape(f.suggestion)}]</sup>')
        pos = f.end
    out.append(html.escape(text[pos:]))
    return '<div style="white-space:pre-wrap;font-family:serif;line-height:1.5">' + "".join(out) + "</div>"
