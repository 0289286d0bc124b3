"""The HTML page of ``scorer score --format html``: marks, escaping, errors."""
from __future__ import annotations

import re

from scorer.html_report import Scored, highlight, render_page
from scorer.report import Evidence, Finding, Reason, Report


def _finding(start: int, end: int, text: str, code: str = "spin.substitution", suggestion: str | None = None,
             evidence: Evidence | None = None) -> Finding:
    family = code.split(".")[0]
    return Finding(family, code, start, end, text, f"'{text}' looks off", suggestion, "warning", evidence)


def test_highlight_marks_spans_escapes_text_and_shows_the_original() -> None:
    text = "Fish & <chips> claimed here"
    out = highlight(text, [_finding(15, 22, "claimed", suggestion="said")])
    assert out.startswith("Fish &amp; &lt;chips&gt; ")
    assert '<mark style="background:#ffd54f" title="spin.substitution: &#x27;claimed&#x27; looks off (suggestion: said)">' \
           "claimed</mark><sup>[said]</sup> here" in out


def test_a_finding_inside_another_is_marked_inside_it_and_a_crossing_one_is_not() -> None:
    text = "He said the talks, which lasted four hours, went well."
    sentence = _finding(0, len(text), text, code="readability.long_sentence")
    out = highlight(text, [_finding(8, 17, "the talks"), sentence, _finding(3, 7, "said", suggestion="told"),
                           _finding(13, 24, "talks, whic")])  # crosses the end of "the talks": left unmarked
    assert out.count("<mark") == 3 and out.count("</mark>") == 3
    assert out.index(">said</mark><sup>[told]</sup>") < out.index(">the talks</mark>") < out.rindex("</mark>")
    assert out.endswith("went well.</mark>")  # the sentence's mark closes last, around the inner ones
    assert re.sub(r"<sup>.*?</sup>|<[^>]+>", "", out) == text  # the visible text is the text, once


def test_page_has_a_section_per_document_with_errors_and_evidence() -> None:
    report = Report(score=0.12, label="unreliable", model="ref", has_reference=True,
                    reasons=(Reason("spin.prior", -1.0, "spin: many swaps"),),
                    findings=(_finding(0, 4, "NATO", code="consistency.title_mismatch",
                                       evidence=Evidence(10, 30, "Secretary General <b>")),),
                    features={})
    page = render_page([Scored("a.txt", "NATO met.", report), Scored("bad.txt", error="empty file: nothing to score")])
    assert page.startswith("<!doctype html>") and page.count("<h2>") == 2
    assert '<b class="unreliable">unreliable</b>: score 0.12' in page and "against a reference" in page
    assert "<li>spin: many swaps</li>" in page
    assert "<th>evidence in the reference</th>" in page and "Secretary General &lt;b&gt;" in page
    assert '<p class="error">not scored: empty file: nothing to score</p>' in page
    assert "<script" not in page
