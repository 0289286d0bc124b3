"""What of a file is prose: Markdown front matter, code and markup, HTML markup and page furniture are blanked out.

Everything that is not scored is replaced by spaces (newlines kept), so the
text handed to the scorer has the same length and line structure as the file:
a finding's offsets, lines and columns point into the file as it is.
"""
from __future__ import annotations

import html
import re

from scorer.html_text import BLOCKS, SKIPPED
from scorer.io import is_html

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})

_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)[ \t]*\r?\n.*?^(?:---|\+\+\+|\.\.\.)[ \t]*$", re.S | re.M)
_FENCE_OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*$", re.M)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_LINK_TARGET = re.compile(r"(?<=\])\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)")
_AUTOLINK = re.compile(r"<(?:https?|ftp|mailto):[^>\s]*>")
_REF_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]+\S.*$", re.M)
_LINE_MARKERS = re.compile(r"^ {0,3}(?:#{1,6}(?=[ \t]|$)|>[ \t]?|(?:[-*+]|\d{1,9}[.)])(?=[ \t]))", re.M)
_THEMATIC_BREAK = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$", re.M)
_TABLE_RULE = re.compile(r"^ {0,3}\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", re.M)
_INDENTED_CODE = re.compile(r"(?:\A|\n[ \t]*\n)((?:(?: {4}|\t)[^\n]*(?:\n|\Z)|[ \t]*\n(?=(?: {4}|\t)))+)")


def blank(text: str, start: int, end: int) -> str:
    """``text`` with [start, end) replaced by spaces, newlines kept."""
    return text[:start] + re.sub(r"[^\n\r]", " ", text[start:end]) + text[end:]


def blank_matches(text: str, pattern: re.Pattern[str], group: int = 0) -> str:
    """Blank every match of ``pattern`` (or one of its groups)."""
    parts, last = [], 0
    for m in pattern.finditer(text):
        s, e = m.span(group)
        if s < last:
            continue
        parts.append(text[last:s])
        parts.append(re.sub(r"[^\n\r]", " ", text[s:e]))
        last = e
    parts.append(text[last:])
    return "".join(parts)


def fenced_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each fenced code block; an unclosed fence runs to the end."""
    spans, pos = [], 0
    while (m := _FENCE_OPEN.search(text, pos)) is not None:
        fence = m.group(2)
        close = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.M)
        c = close.search(text, m.end())
        end = len(text) if c is None else c.end()
        spans.append((m.start(), end))
        pos = end
    return spans


def front_matter(text: str) -> tuple[int, int] | None:
    """(start, end) of YAML (---) or TOML (+++) front matter at the very start."""
    m = _FRONT_MATTER.match(text)
    return None if m is None else m.span()


def without_code(text: str) -> str:
    """Markdown with front matter and code (fenced, indented, inline) blanked: where directives count."""
    fm = front_matter(text)
    if fm:
        text = blank(text, *fm)
    for s, e in fenced_blocks(text):
        text = blank(text, s, e)
    text = blank_matches(text, _INDENTED_CODE, 1)
    return blank_matches(text, _INLINE_CODE)


def markdown_prose(text: str) -> str:
    """The prose of a Markdown text: same length, everything else blanked."""
    text = without_code(text)
    text = blank_matches(text, _HTML_COMMENT)
    text = blank_matches(text, _AUTOLINK)
    text = blank_matches(text, _LINK_TARGET)
    text = blank_matches(text, _REF_DEFINITION)
    text = blank_matches(text, _HTML_TAG)
    text = blank_matches(text, _THEMATIC_BREAK)
    text = blank_matches(text, _TABLE_RULE)
    return blank_matches(text, _LINE_MARKERS)


#: Elements whose content is never prose (``scorer.html_text.SKIPPED``), blanked with their content.
_HTML_SKIPPED = re.compile(rf"<({'|'.join(sorted(SKIPPED))})\b[^>]*>.*?</\1\s*>", re.S | re.I)
#: Tags that start a paragraph or a line (``scorer.html_text.BLOCKS`` and ``br``): blanked to a line break and spaces.
_HTML_BLOCK_TAG = re.compile(rf"</?(?:{'|'.join(sorted(BLOCKS | {'br'}))})\b[^<>]*>", re.I)
_HTML_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);([^\W_]*)")


def html_prose(text: str) -> str:
    """The prose of an HTML page: same length, markup blanked, a line break where a block element starts or ends.

    An entity becomes its character, with the rest of its word moved up behind it and the spaces after the word
    (``Monday&#39;s`` -> ``Monday's`` and five spaces): the word stays whole and starts where it starts in the
    file, so a finding's line and column are exact; only an end inside such a word is a few characters short.
    """
    text = blank_matches(text, _HTML_COMMENT)
    text = blank_matches(text, _HTML_SKIPPED)
    text = _HTML_BLOCK_TAG.sub(lambda m: "\n" + " " * (len(m.group(0)) - 1), text)
    text = blank_matches(text, _HTML_TAG)
    return _HTML_ENTITY.sub(_entity, text)


def _entity(m: re.Match[str]) -> str:
    """An entity as its character, then the rest of its word, then spaces (unknown entities are left as they are)."""
    entity = m.group(0)[: len(m.group(0)) - len(m.group(1))]
    char = html.unescape(entity)
    if char == entity or len(char) != 1:
        return m.group(0)
    if char.isspace():
        return " " * len(entity) + m.group(1)
    return char + m.group(1) + " " * (len(entity) - 1)


def is_markdown(name: str) -> bool:
    dot = name.rfind(".")
    return dot >= 0 and name[dot:].lower() in MARKDOWN_SUFFIXES


def prose(text: str, name: str) -> str:
    """The scored part of a file's text, by its file name (plain text is all prose)."""
    if is_markdown(name):
        return markdown_prose(text)
    return html_prose(text) if is_html(name, "") else text
