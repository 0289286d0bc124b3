"""Inline suppression comments and per-path ignores.

Directives are HTML comments, in Markdown and plain text alike::

    <!-- scorer: ignore -->                 next paragraph is not scored at all
    <!-- scorer: ignore spin quality -->    next paragraph: drop findings of these families/rules
    <!-- scorer: ignore-file -->            the whole file is skipped
    <!-- scorer: ignore-file spin score --> whole file: drop these findings, thresholds, the score bar
    <!-- scorer: off --> ... <!-- scorer: on -->   the region between is not scored

A name is ``all``, a family (``spin``), a rule id (``spin.substitution``), a
feature id (for thresholds), a prefix of ids (``spin.sub``), or ``score``.
In Markdown, comments inside code blocks or inline code are examples, not
directives.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from scorer.gate.markup import blank, is_markdown, without_code

_DIRECTIVE = re.compile(r"<!--\s*scorer\s*:\s*(?P<body>.*?)\s*-->", re.S | re.I)
_PARAGRAPH_END = re.compile(r"\n[ \t]*\r?\n")
VERBS = ("ignore", "ignore-file", "off", "on")


@dataclass(frozen=True)
class Directives:
    """What a file's comments say about scoring it."""

    skip_file: bool = False
    file_ignores: frozenset[str] = frozenset()
    #: (start, end, names): findings starting in [start, end) and matching a name are dropped.
    spans: tuple[tuple[int, int, frozenset[str]], ...] = ()
    #: regions not scored at all (the directives themselves, ignored paragraphs, off/on regions).
    blanked: tuple[tuple[int, int], ...] = ()
    #: (start, end, message) of directives that could not be understood.
    problems: tuple[tuple[int, int, str], ...] = ()


def matches(name: str, rule: str, family: str | None = None) -> bool:
    """Does an ignore ``name`` cover ``rule`` (a rule id, feature id or 'score')?"""
    return name == "all" or name == rule or name == family or rule.startswith(name + ".")


def covered(names: frozenset[str] | tuple[str, ...], rule: str, family: str | None = None) -> bool:
    return any(matches(n, rule, family) for n in names)


def _paragraph_after(text: str, pos: int) -> tuple[int, int]:
    """The paragraph that follows ``pos`` (blank lines skipped), to the next blank line."""
    n = len(text)
    while pos < n and text[pos] in " \t\r\n":
        pos += 1
    m = _PARAGRAPH_END.search(text, pos)
    return pos, (n if m is None else m.start())


def parse(text: str, name: str) -> Directives:
    """Read the scorer directives of a file's text."""
    if "scorer" not in text:
        return Directives()
    visible = without_code(text) if is_markdown(name) else text
    skip = False
    file_ignores: set[str] = set()
    spans, blanked, problems = [], [], []
    off_at: int | None = None
    for m in _DIRECTIVE.finditer(visible):
        words = m.group("body").replace(",", " ").split()
        verb, names = (words[0].lower(), frozenset(words[1:])) if words else ("", frozenset())
        blanked.append(m.span())
        if verb == "ignore-file":
            if names:
                file_ignores |= names
            else:
                skip = True
        elif verb == "ignore":
            para = _paragraph_after(text, m.end())
            if not names or "all" in names:
                blanked.append(para)
            else:
                spans.append((*para, names))
        elif verb == "off":
            off_at = m.start() if off_at is None else off_at
        elif verb == "on":
            if off_at is None:
                problems.append((*m.span(), "'scorer: on' without a preceding 'scorer: off'"))
            else:
                blanked.append((off_at, m.end()))
                off_at = None
        else:
            problems.append((*m.span(), f"unknown scorer directive {verb or '(empty)'!r}; use one of {', '.join(VERBS)}"))
    if off_at is not None:
        blanked.append((off_at, len(text)))
    return Directives(skip, frozenset(file_ignores), tuple(spans), tuple(blanked), tuple(problems))


def apply_blanks(text: str, directives: Directives) -> str:
    for s, e in directives.blanked:
        text = blank(text, s, e)
    return text


def suppressed(directives: Directives, start: int, rule: str, family: str | None) -> bool:
    """Is a finding at ``start`` suppressed by a paragraph or file directive?"""
    if covered(directives.file_ignores, rule, family):
        return True
    return any(s <= start < e and covered(names, rule, family) for s, e, names in directives.spans)
