"""The one shared pass over a text: sentences, words and lines with offsets.

A :class:`Document` is built once per text and handed to every feature
family; no family tokenizes again. Offsets always point into ``text`` as
given. Derived views (lower-cased words, syllables, lines) are computed on
first use and cached on the instance, never globally.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from functools import cached_property
from itertools import repeat
from operator import add

from scorer import text as _text


class Document:
    """A text with its sentence, word and line structure."""

    __slots__ = ("text", "sentences", "words", "word_sentence", "__dict__")

    def __init__(self, text: str) -> None:
        self.text: str = text
        #: (start, end) of each sentence.
        self.sentences: list[tuple[int, int]] = _text.split_sentences(text)
        words, sent_of = _text.sentence_words(text, self.sentences)
        #: each word token as it appears in the text.
        self.words: list[str] = words
        #: index of the sentence each word belongs to.
        self.word_sentence: list[int] = sent_of

    @cached_property
    def word_spans(self) -> list[tuple[int, int]]:
        """(start, end) of each word token.

        Computed on first use: most documents need offsets only for the few
        words a finding points at. Derived from ``word_starts`` (word ``i`` ends
        at its start plus its length), cheaper than a second regex scan.
        """
        starts = self.word_starts
        return list(zip(starts, map(add, starts, self.word_lengths)))

    @cached_property
    def word_starts(self) -> list[int]:
        """Start offset of each word token (:func:`scorer.text.starts_of_words`).

        For callers that need many words' offsets but not the tuples of
        ``word_spans``: a tuple per word costs allocation and garbage-collector work.
        """
        return _text.starts_of_words(self.text, self.words)

    def word_span(self, i: int) -> tuple[int, int]:
        """(start, end) of word ``i``, finding the offsets of its sentence only.

        For callers that need the offsets of a few words: the full ``word_spans``
        costs a regex match object per word of the text.
        """
        spans = self.__dict__.get("word_spans")
        if spans is not None:
            return spans[i]
        si = self.word_sentence[i]
        cache: dict[int, tuple[int, list[tuple[int, int]]]] = self.__dict__.setdefault("_sentence_spans", {})
        if si not in cache:
            cache[si] = (bisect_left(self.word_sentence, si), _text.word_spans(self.text, [self.sentences[si]]))
        first, sentence_spans = cache[si]
        return sentence_spans[i - first]

    @cached_property
    def lower(self) -> list[str]:
        """Words lower-cased, with curly apostrophes made straight."""
        return _text.lower_words(self.words)

    @cached_property
    def lower_counts(self) -> Counter[str]:
        """How often each lower-cased word occurs: per-type lookups instead of per-token ones."""
        return Counter(self.lower)

    @cached_property
    def word_lengths(self) -> list[int]:
        """Length in characters of each word token."""
        return list(map(len, self.words))

    @cached_property
    def syllables(self) -> list[int]:
        """Syllable count of each word (CMUdict, then numbers read aloud, then rules)."""
        return _text.syllables_of(self.lower)

    @cached_property
    def paragraphs(self) -> list[tuple[int, int]]:
        """(start, end) of each paragraph: text between blank lines, stripped."""
        return _stripped_spans(_PARAGRAPH, self.text)

    @cached_property
    def lines(self) -> list[tuple[int, int]]:
        """(start, end) of each non-empty line, stripped of surrounding spaces."""
        return list(map(re.Match.span, _STRIPPED_LINE.finditer(self.text)))

    @cached_property
    def sentence_words(self) -> list[list[int]]:
        """Word indices of each sentence.

        A sentence's words are consecutive, so each list is a range whose ends
        are found by bisection in ``word_sentence`` (no loop over the words).
        """
        bounds = list(map(bisect_left, repeat(self.word_sentence), range(len(self.sentences) + 1)))
        return list(map(list, map(range, bounds, bounds[1:])))

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset."""
        return self.text.count("\n", 0, offset) + 1

    def __repr__(self) -> str:
        return f"Document({len(self.sentences)} sentences, {len(self.words)} words)"


#: A line without its surrounding white space: from its first to its last non-space character.
_STRIPPED_LINE = re.compile(r"\S(?:[^\n]*\S)?")
_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?![ \t\r]*(?:\n|$))[^\n]*)*")


def _stripped_spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """Spans of the pattern's matches with surrounding whitespace trimmed; blank matches dropped."""
    out = []
    for m in pattern.finditer(text):
        s, e = m.span()
        seg = text[s:e]
        stripped = seg.strip()
        if stripped:
            lead = len(seg) - len(seg.lstrip())
            out.append((s + lead, s + lead + len(stripped)))
    return out
