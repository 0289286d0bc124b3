"""Small HTML renderers for the notebook: tables of dicts and highlighted findings."""
from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

from scorer.html_report import highlight as _marked
from scorer.report import Finding


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
    """The text with each finding's span marked; hover shows the message and suggestion (``scorer.html_report``)."""
    return '<div style="white-space:pre-wrap;font-family:serif;line-height:1.5">' + _marked(text, findings) + "</div>"
