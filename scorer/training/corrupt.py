"""FactCC-style corruptions of a genuine article, for (corrupted document, original reference) pairs.

Each corruption changes one checkable fact and records where: a number
(``30`` -> ``31``), a person or place swapped for another one of the same
article, a weekday or month, a negation added or dropped, a word replaced by
its antonym. The classifier's training calls :func:`corrupt` on genuine
train articles; the edits give the spans a consistency checker should flag.

Deterministic for a given ``seed`` and fast (regexes and one word list).
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass

from scorer.consistency_units import MONTHS, STOPWORDS, WEEKDAYS, antonyms, stem

KINDS: tuple[str, ...] = ("number", "entity", "date", "negation", "antonym")

_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.,])\d+(?:\.\d+)?(?![\w,])")
_NUMBER_WORDS = {"two": "three", "three": "four", "four": "five", "five": "six", "six": "seven", "seven": "eight",
                 "eight": "nine", "nine": "ten", "ten": "twelve", "twelve": "fifteen", "twenty": "thirty",
                 "thirty": "forty", "forty": "fifty", "fifty": "sixty", "hundred": "thousand",
                 "thousand": "million", "million": "billion", "billion": "million"}
_NUMBER_WORD_RE = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b")
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(d.capitalize() for d in WEEKDAYS) + r")\b")
_MONTH_NAMES = [m.capitalize() for m in MONTHS if len(m) > 3]
_MONTH_RE = re.compile(r"\b(" + "|".join(_MONTH_NAMES) + r")\b")
_NAME_RE = re.compile(r"(?<=[a-z,] )([A-Z][a-z]+(?: [A-Z][a-z]+)?)")
_AUX_RE = re.compile(r"\b(is|are|was|were|has|have|had|will|would|can|could|should|did|does|do)\b(?! not)")
_NOT_RE = re.compile(r"\b(is|are|was|were|has|have|had|will|would|can|could|should|did|does|do) not\b")
_NT_RE = re.compile(r"\b(is|are|was|were|has|have|had|would|could|should|did|does|do)n't\b")
_WORD_RE = re.compile(r"\b[a-z]{3,}\b")


@dataclass(frozen=True, slots=True)
class Edit:
    """One corruption: ``start``/``end`` are offsets in the corrupted text."""

    kind: str
    start: int
    end: int
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Corrupted:
    """A corrupted article and its edits (empty when no corruption applied)."""

    text: str
    edits: tuple[Edit, ...]


Candidate = tuple[int, int, str, str]  # start, end, old, new (offsets in the original text)


def _numbers(text: str, rng: random.Random) -> list[Candidate]:
    out = []
    for m in _NUMBER.finditer(text):
        old = m.group(0)
        digits = old.replace(",", "")
        if len(digits) == 4 and digits.isdigit() and 1800 <= int(digits) <= 2100:
            new = str(int(digits) + rng.choice((-2, -1, 1, 2)))
        elif "." in digits:
            new = f"{float(digits) + rng.choice((0.5, 1.0, 1.5)):.{len(digits.split('.')[1])}f}"
        else:
            v = int(digits)
            new_v = v + rng.choice((1, 2, 3)) if v < 20 else int(round(v * rng.choice((0.6, 0.75, 1.3, 1.5)), -1)) or v + 10
            new = f"{new_v:,}" if "," in old else str(new_v)
        out.append((m.start(), m.end(), old, new))
    for m in _NUMBER_WORD_RE.finditer(text):
        out.append((m.start(), m.end(), m.group(0), _NUMBER_WORDS[m.group(0)]))
    return out


def _entities(text: str, rng: random.Random) -> list[Candidate]:
    """Swap a capitalised name for another name of the same article (the FactCC entity swap)."""
    found = [(m.start(), m.end(), m.group(0)) for m in _NAME_RE.finditer(text)]
    found = [f for f in found if f[2].lower() not in STOPWORDS and f[2].split()[0].lower() not in MONTHS
             and f[2].lower() not in WEEKDAYS]
    by_len: dict[int, list[str]] = {}
    for _, _, name in found:
        by_len.setdefault(len(name.split()), []).append(name)
    out = []
    for s, e, name in found:
        others = sorted({n for n in by_len[len(name.split())] if n != name and n not in name and name not in n})
        if others:
            out.append((s, e, name, rng.choice(others)))
    return out


def _dates(text: str, rng: random.Random) -> list[Candidate]:
    out = []
    days = [d.capitalize() for d in WEEKDAYS]
    for m in _WEEKDAY_RE.finditer(text):
        out.append((m.start(), m.end(), m.group(0), rng.choice([d for d in days if d != m.group(0)])))
    for m in _MONTH_RE.finditer(text):
        if m.group(0) in ("May", "March") and not re.match(r"\s+\d", text[m.end():m.end() + 3]):
            continue
        out.append((m.start(), m.end(), m.group(0), rng.choice([x for x in _MONTH_NAMES if x != m.group(0)])))
    return out


def _negations(text: str, rng: random.Random) -> list[Candidate]:
    out = []
    for m in _NOT_RE.finditer(text):  # drop an existing negation
        out.append((m.start(), m.end(), m.group(0), m.group(1)))
    for m in _NT_RE.finditer(text):
        out.append((m.start(), m.end(), m.group(0), m.group(1)))
    for m in _AUX_RE.finditer(text):  # add one
        out.append((m.start(), m.end(), m.group(0), f"{m.group(0)} not"))
    return out


def _antonyms(text: str, rng: random.Random) -> list[Candidate]:
    table = antonyms()
    plain = _plain_antonyms()
    out = []
    for m in _WORD_RE.finditer(text):
        w = m.group(0)
        if w in STOPWORDS and w not in plain:
            continue
        opp = plain.get(w)
        if opp is None and stem(w) in table and stem(w) == w:
            opp = sorted(table[w])[0]
        if opp:
            out.append((m.start(), m.end(), w, opp))
    return out


_PLAIN: dict[str, str] | None = None


def _plain_antonyms() -> dict[str, str]:
    """Whole-word antonyms (no stemming), so the corrupted text stays grammatical."""
    global _PLAIN
    if _PLAIN is None:
        from scorer.consistency_units import ANTONYMS_PATH, EXTRA_ANTONYMS

        pairs = list(EXTRA_ANTONYMS)
        if ANTONYMS_PATH.exists():
            for line in ANTONYMS_PATH.read_text(encoding="utf-8").splitlines():
                if line and not line.startswith("#"):
                    a, _, b = line.partition("\t")
                    pairs.append((a, b))
        table: dict[str, str] = {}
        for a, b in pairs:
            table.setdefault(a, b)
            table.setdefault(b, a)
        _PLAIN = table
    return _PLAIN


_GENERATORS = {"number": _numbers, "entity": _entities, "date": _dates, "negation": _negations, "antonym": _antonyms}


def corrupt(text: str, *, kinds: tuple[str, ...] | list[str] = KINDS, seed: int = 0, n_edits: int = 3) -> Corrupted:
    """Apply up to ``n_edits`` corruptions of the given ``kinds`` (in random order) to ``text``.

    The same ``(text, kinds, seed, n_edits)`` always gives the same result.
    Edits never overlap; offsets in the result point into the corrupted text.
    """
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown corruption kinds: {sorted(unknown)} (known: {', '.join(KINDS)})")
    rng = random.Random(f"{seed}:{len(text)}")
    chosen: list[tuple[str, Candidate]] = []
    order = list(kinds)
    rng.shuffle(order)
    pools = {k: _GENERATORS[k](text, rng) for k in order}
    for step in range(n_edits * 4):
        if len(chosen) >= n_edits:
            break
        kind = order[step % len(order)]
        pool = pools[kind]
        if not pool:
            continue
        cand = pool.pop(rng.randrange(len(pool)))
        if any(cand[0] < c[1] and c[0] < cand[1] for _, c in chosen):
            continue
        chosen.append((kind, cand))
    chosen.sort(key=lambda kc: kc[1][0])
    parts, edits, pos, shift = [], [], 0, 0
    for kind, (s, e, old, new) in chosen:
        parts.append(text[pos:s])
        parts.append(new)
        edits.append(Edit(kind, s + shift, s + shift + len(new), old, new))
        shift += len(new) - (e - s)
        pos = e
    parts.append(text[pos:])
    return Corrupted("".join(parts), tuple(edits))
