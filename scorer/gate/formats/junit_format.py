"""JUnit XML: one test case per document (failure, error for input problems, or skipped)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from scorer.gate.formats import RenderOptions
from scorer.gate.results import CheckRun, DocumentResult, GateResult

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(s: str) -> str:
    """Text XML 1.0 can carry (control characters from documents removed)."""
    return _NOT_XML.sub("\ufffd", s)


def _line(r: GateResult) -> str:
    quoted = f" {r.text!r}" if r.text and not r.document_level else ""
    mark = " (baselined)" if r.baselined else ""
    return f"{r.line}:{r.column} {r.severity} {r.rule}{quoted} {r.message}{mark}"


def _case(d: DocumentResult, parent: ET.Element) -> None:
    case = ET.SubElement(parent, "testcase", classname="scorer.check", name=_clean(d.path), file=_clean(d.path))
    case.set("time", "0")
    if d.status == "error":
        ET.SubElement(case, "error", message=_clean(d.error or "input error"), type="InputError")
        return
    if d.status == "skipped":
        ET.SubElement(case, "skipped", message=_clean(d.error or "skipped"))
        return
    failing = [r for r in d.results if r.fails]
    others = [r for r in d.results if not r.fails]
    if failing:
        first = failing[0]
        message = f"score {d.score:.2f}; {len(failing)} failing results; worst: {first.rule} {first.message}"
        fail = ET.SubElement(case, "failure", message=_clean(message[:500]), type=first.rule)
        fail.text = _clean("\n".join(_line(r) for r in failing))
    if others:
        out = ET.SubElement(case, "system-out")
        out.text = _clean("\n".join(_line(r) for r in others))


def render(run: CheckRun, opts: RenderOptions) -> str:
    counts = {
        "tests": str(len(run.documents)),
        "failures": str(run.count("failed")),
        "errors": str(run.count("error")),
        "skipped": str(run.count("skipped")),
        "time": f"{run.seconds:.3f}",
    }
    root = ET.Element("testsuites", name="scorer check", **counts)
    suite = ET.SubElement(root, "testsuite", name="scorer check", **counts)
    for d in run.documents:
        _case(d, suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
