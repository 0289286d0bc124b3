"""The readable text of an HTML page, for scoring a saved web page as it is.

Scripts, styles, the ``<head>`` and page furniture (navigation, footers, asides,
forms) are dropped; block elements become paragraphs; entities are decoded and
white space is collapsed as a browser would (inside ``<pre>`` as well, which a
browser keeps as it is: prose is what is scored). Findings then point into this text,
not into the HTML source. Built on the standard library's ``html.parser``, which
tolerates the malformed markup real pages have.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

#: Elements whose content is never article text.
SKIPPED = frozenset({"head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object",
                     "nav", "footer", "aside", "form", "button", "select"})
#: Elements that start a new paragraph (the text around them does not run together).
BLOCKS = frozenset({"p", "div", "hr", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
                    "table", "tr", "td", "th", "caption", "section", "article", "header", "main", "blockquote",
                    "pre", "figure", "figcaption", "address", "details", "summary", "body", "title"})

_SPACES = re.compile(r"[^\S\n]+")
_BREAKS = re.compile(r" *\n\s*")


class _PageText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []  # open skipped elements, innermost last

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "body":
            self.skipping.clear()  # a <head> left open ends where the body starts
        if tag in SKIPPED:
            self.skipping.append(tag)
        elif not self.skipping:
            self._break(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if not self.skipping:
            self._break(tag)

    def _break(self, tag: str) -> None:
        """A paragraph break at a block element's edge, a line break at ``<br>``."""
        if tag == "br":
            self.parts.append("\n")
        elif tag in BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.skipping:
            while self.skipping and self.skipping.pop() != tag:
                pass  # elements left open inside it close with it
        elif tag in BLOCKS and not self.skipping:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data.replace("\n", " "))  # a line break in the source is a space on the page


def page_text(html: str) -> str:
    """The page's text: paragraphs separated by a blank line, runs of white space inside them made one space."""
    parser = _PageText()
    parser.feed(html)
    parser.close()
    text = _SPACES.sub(" ", "".join(parser.parts))
    return _BREAKS.sub(lambda m: "\n\n" if m.group(0).count("\n") > 1 else "\n", text).strip()
