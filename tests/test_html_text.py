"""HTML pages reduced to their text (`scorer.html_text`) and read as documents (`scorer.io.read_document`)."""
from __future__ import annotations

from pathlib import Path

import pytest

from scorer.errors import InputError
from scorer.html_text import page_text
from scorer.io import is_html, read_document

PAGE = """<!DOCTYPE html>
<html><head><title>NATO talks</title><style>p { color: red }</style>
<script>if (a < b) { document.write("<p>not text</p>") }</script></head>
<body><nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<h1>NATO talks end</h1>
<p>NATO Secretary General Jens Stoltenberg said the talks were
   <b>difficult</b>&nbsp;and Russia&rsquo;s envoy agreed &amp; left.</p>
<p>All 30 allies attended.<br>The meeting lasted four hours.</p>
<!-- share buttons --><footer>Post a Comment</footer></body></html>
"""


def test_a_page_is_its_text_in_paragraphs_without_scripts_styles_or_furniture() -> None:
    assert page_text(PAGE) == (
        "NATO talks end\n\n"
        "NATO Secretary General Jens Stoltenberg said the talks were difficult and Russia\u2019s envoy agreed & left.\n\n"
        "All 30 allies attended.\nThe meeting lasted four hours."
    )


def test_malformed_markup_keeps_the_text() -> None:
    # an unclosed <head> ends at <body>; an unclosed element inside a skipped one closes with it
    assert page_text("<head><title>x</title><body><p>Kept text.") == "Kept text."
    assert page_text("<aside><div>ad</aside><p>After it.</p>") == "After it."
    assert page_text("plain words, no tags") == "plain words, no tags"


def test_html_is_told_by_the_file_ending_or_the_first_tag() -> None:
    assert is_html("page.HTM", "text") and is_html("page.xhtml", "")
    assert is_html("-", "  \n<!doctype html><p>x") and is_html("a.txt", "<HTML><body>x")
    assert not is_html("notes.txt", "a <b>bold</b> claim") and not is_html("README.md", "<p>x</p>")


def test_read_document_reduces_pages_and_says_when_one_holds_no_text(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("Plain <b>text</b> stays.", encoding="utf-8")
    (tmp_path / "empty.html").write_text("<html><head><script>x()</script></head><body> </body></html>",
                                         encoding="utf-8")
    assert read_document(tmp_path / "page.html") == page_text(PAGE)
    assert read_document(tmp_path / "notes.txt") == "Plain <b>text</b> stays."
    with pytest.raises(InputError, match="empty.html: the HTML page holds no text outside scripts"):
        read_document(tmp_path / "empty.html")
