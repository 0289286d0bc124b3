"""External tortured-phrase lists in the Problematic Paper Screener (PPS) format.

A PPS export is a CSV with ``Fingerprint - Tortured Phrase, Expected Text,
Nb Retrieved Papers``. A fingerprint is a query: quoted phrases combined
with ``AND`` (all must occur), ``NOT`` (the following phrase or word must not
occur) and ``~N`` after a quoted phrase (its words may occur within N words
of each other, in order). ``load_lexicon(path)`` compiles a file once per
path into a :class:`Lexicon` whose ``findings(doc)`` returns ``spin.lexicon``
findings with the expected text as suggestion. The list itself is never
copied into the project.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from scorer.document import Document
from scorer.errors import ConfigError
from scorer.report import Finding

_TOKEN = re.compile(r'"([^"]*)"(?:~(\d+))?|\b(AND|NOT)\b|(\S+)')


@dataclass(frozen=True)
class Query:
    """A parsed fingerprint: required phrases, forbidden phrases, proximity window."""

    phrases: tuple[str, ...]
    excluded: tuple[str, ...] = ()
    near: int = 0


def parse_query(fingerprint: str) -> Query:
    """Parse ``"a b" AND "c"~5 NOT "d"`` (quotes already CSV-unescaped)."""
    phrases: list[str] = []
    excluded: list[str] = []
    near = 0
    negate = False
    for m in _TOKEN.finditer(fingerprint):
        quoted, prox, op, bare = m.groups()
        if op == "NOT":
            negate = True
            continue
        if op == "AND":
            negate = False
            continue
        text = (quoted if quoted is not None else bare or "").strip().lower()
        if not text:
            continue
        if negate:
            excluded.append(text)
            negate = False
        else:
            phrases.append(text)
            if prox:
                near = max(near, int(prox))
    return Query(tuple(phrases), tuple(excluded), near)


def read_pps(path: Path) -> list[tuple[str, str]]:
    """(fingerprint, expected text) rows of a PPS export."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
    except OSError as exc:
        raise ConfigError(f"cannot read lexicon {path}: {exc.strerror}") from exc
    if not rows or not rows[0] or "Fingerprint" not in rows[0][0]:
        raise ConfigError(f"{path} is not a Problematic Paper Screener export (first column 'Fingerprint ...')")
    return [(r[0], r[1] if len(r) > 1 else "") for r in rows[1:] if r and r[0].strip()]


class Lexicon:
    """A compiled PPS list: first-word index over the document's lower-cased words."""

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        self.entries: list[tuple[Query, str]] = []
        self.by_first: dict[str, list[int]] = {}
        for fp, expected in rows:
            q = parse_query(fp)
            if not q.phrases:
                continue
            k = len(self.entries)
            self.entries.append((q, expected))
            first = q.phrases[0].split()[0]
            self.by_first.setdefault(first, []).append(k)

    def __len__(self) -> int:
        return len(self.entries)

    @staticmethod
    def _find(words: list[str], phrase: list[str], near: int, start: int = 0) -> list[tuple[int, int]]:
        """(first, last+1) word indices where ``phrase`` occurs (in order, within ``near`` words)."""
        out = []
        n = len(words)
        for i in range(start, n):
            if words[i] != phrase[0]:
                continue
            j, k = i, 1
            while k < len(phrase):
                limit = n if not near else min(n, i + near + len(phrase))
                nxt = next((x for x in range(j + 1, limit if near else min(n, j + 2)) if words[x] == phrase[k]), None)
                if nxt is None:
                    break
                j, k = nxt, k + 1
            if k == len(phrase):
                out.append((i, j + 1))
        return out

    def findings(self, doc: Document) -> list[Finding]:
        """``spin.lexicon`` findings for every fingerprint that matches ``doc``."""
        words = [w.strip(".,;:") for w in doc.lower]
        present = set(words)
        low_text = None
        out: list[Finding] = []
        for k in sorted({k for w in present for k in self.by_first.get(w, ())}):
            q, expected = self.entries[k]
            hits = self._find(words, q.phrases[0].split(), q.near)
            if not hits:
                continue
            if any(not self._find(words, p.split(), q.near) for p in q.phrases[1:]):
                continue
            if q.excluded:
                low_text = low_text if low_text is not None else doc.text.lower()
                if any(x in low_text for x in q.excluded):
                    continue
            for i, j in hits:
                s, e = doc.word_spans[i][0], doc.word_spans[j - 1][1]
                text = doc.text[s:e]
                out.append(
                    Finding(
                        family="spin",
                        code="spin.lexicon",
                        start=s,
                        end=e,
                        text=text,
                        message=f"'{text}' is a known tortured phrase (external list)"
                        + (f"; expected '{expected}'" if expected else ""),
                        suggestion=expected or None,
                        severity="warning",
                    )
                )
        return out


@lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> Lexicon:
    return Lexicon(read_pps(Path(path)))


def load_lexicon(path: Path | str) -> Lexicon:
    """Compile a PPS-format CSV once per (path, modification time)."""
    p = Path(path).resolve()
    if not p.is_file():
        raise ConfigError(f"lexicon file not found: {p}")
    return _load(str(p), p.stat().st_mtime)
