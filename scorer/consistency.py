"""Consistency family: the document's claims checked against a reference text.

Each document sentence is aligned to the reference sentences that speak of
the same thing (IDF-weighted word overlap, IDF computed from the two texts
themselves). Every checkable unit of the document (number, date, named
entity, title of a person, negation, antonym) is then judged:

* **supported** – the reference states it (anywhere: summaries fuse facts);
* **contradicted** – an aligned reference sentence states a different value
  of the same kind (``30 allies`` vs ``31 allies``, ``Secretary-General`` vs
  ``Assistant General``), reported with the evidence span in the reference;
* **unsupported** – neither.

The same alignment shows when the document is a close rewrite of the
reference (a spun copy): aligned sentence pairs with one-for-one word swaps,
listed as ``consistency.word_swap`` findings.

Features are finite floats. Precision features (``*_precision``) are 1.0
when the document has no unit of that kind: nothing was contradicted or
invented, and the count features say how much was checked.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, KeysView
from itertools import chain, compress, filterfalse, repeat
from operator import add, itemgetter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import NamedTuple

_first = itemgetter(0)
_second = itemgetter(1)

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from scorer import text as _text
from scorer.consistency_units import (
    ALIASES,
    NEGATIONS,
    NUMBER_WORDS,
    QUARTER_ORDINALS,
    STOPWORDS,
    TITLE_WORDS,
    Unit,
    antonym_senses,
    antonyms,
    date_units,
    demonym_match,
    entity_units,
    is_date_token,
    is_number_start,
    norm_name,
    number_units,
    SENSE_TUPLES,
    sense_tuple,
    senses_of,
    stem,
    token_table,
    token_values,
)
from scorer.document import Document
from scorer.report import Evidence, FamilyResult, Finding

FEATURES: dict[str, str] = {
    "consistency.number_precision": "share of the document's numbers the reference states (1 when none)",
    "consistency.date_precision": "share of the document's dates and weekdays the reference states (1 when none)",
    "consistency.entity_precision": "share of the document's named entities the reference mentions (1 when none)",
    "consistency.entity_local_precision": "share of the document's named entities found in the aligned reference sentences (1 when none)",
    "consistency.unit_count": "checkable units (numbers, dates, entities) per document sentence",
    "consistency.unsupported_unit_share": "share of checkable units neither supported nor contradicted (0 when none)",
    "consistency.contradiction_count": "claims the reference contradicts (numbers, dates, names, titles, negations, antonyms)",
    "consistency.contradiction_rate": "contradicted claims per document sentence",
    "consistency.negation_mismatch_count": "negations added or dropped relative to the aligned reference sentence",
    "consistency.antonym_count": "words replaced by their antonym relative to the aligned reference sentence",
    "consistency.alignment_mean": "mean weighted share of a sentence's words found in its best reference sentence",
    "consistency.alignment_min": "lowest weighted share of a sentence's words found in its best reference sentence",
    "consistency.support_min": "lowest weighted share of a sentence's words found in its aligned reference sentences",
    "consistency.unsupported_sentence_share": "share of sentences with less than half their weighted words in the aligned reference sentences",
    "consistency.novel_word_share": "share of the document's content words absent from the reference",
    "consistency.novel_rare_max": "rarity (0-1, from word frequency) of the rarest content word absent from the reference",
    "consistency.bigram_precision": "share of the document's word pairs found in the reference",
    "consistency.reference_coverage": "share of the reference's content words the document uses",
    "consistency.rewrite_share": "share of the document's words in sentences that closely rewrite a reference sentence",
    "consistency.rewrite_swap_rate": "one-for-one word swaps per 100 words of close-rewrite sentences",
    "consistency.score": "consistency estimate 0-1 combining the above (1 = every claim supported)",
    "consistency.unexplained_novel_share": "weighted share of content words absent from the aligned reference sentences and no WordNet synonym or derivation of a word there",
    "consistency.unexplained_novel_ratio": "of the weighted content words absent from the aligned reference sentences, the share with no WordNet synonym or derivation there (0 when none)",
    "consistency.explained_novel_share": "weighted share of content words absent from the aligned reference sentences but a WordNet synonym or derivation of a word there",
}

RULES: dict[str, str] = {
    "consistency.number_mismatch": "a number differs from the one the reference gives for the same thing",
    "consistency.unsupported_number": "a number the reference does not state",
    "consistency.date_mismatch": "a date or weekday differs from the reference",
    "consistency.unsupported_date": "a date the reference does not state",
    "consistency.entity_mismatch": "a name differs from the one in the aligned reference sentence",
    "consistency.unsupported_entity": "a name the reference never mentions",
    "consistency.title_mismatch": "a person's title or role differs from the reference",
    "consistency.negation": "a negation added or dropped relative to the reference",
    "consistency.antonym": "a word replaced by its opposite relative to the reference",
    "consistency.word_swap": "a word swapped one-for-one in a sentence that closely rewrites the reference",
}


class ConsistencyConfig(BaseModel):
    """Thresholds of the consistency family (defaults tuned on SummEdits validation parts)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    window: int = Field(3, ge=1, description="reference sentences aligned to each document sentence at most")
    window_ratio: float = Field(0.6, gt=0, le=1, description="a further aligned sentence needs this share of the best score")
    contradiction_alignment: float = Field(0.3, ge=0, le=1, description="sentence alignment needed to call a differing value a contradiction")
    negation_alignment: float = Field(0.4, ge=0, le=1, description="sentence alignment needed to compare negations")
    unsupported_support: float = Field(0.5, ge=0, le=1, description="a sentence with less support than this is unsupported")
    swap_alignment: float = Field(0.6, ge=0, le=1, description="alignment at which a name missing from its reference sentence counts as swapped")
    rewrite_alignment: float = Field(0.5, ge=0, le=1, description="alignment needed to look for word swaps")
    rewrite_similarity: float = Field(0.5, ge=0, le=1, description="token similarity making a sentence a close rewrite")
    max_swap_words: int = Field(3, ge=1, description="longest word run counted as one swap")
    rare_zipf: float = Field(7.0, gt=0, description="zipf frequency mapped to rarity 0 (rarity = 1 - zipf/rare_zipf)")
    derivation_prefix: int = Field(6, ge=3, description="stems sharing this many leading letters count as derivations of one word (investigation/investigators); 6 chosen on the SummEdits news evaluation part")
    explain_alignment: float = Field(0.3, ge=0, le=1, description="sentence alignment needed to explain a novel word by a synonym in the aligned sentences")
    unexplained_weight: float = Field(0.5, ge=0, description="weight of unexplained_novel_ratio in consistency.score")


# ---------------------------------------------------------------- views


@dataclass(slots=True)
class _View:
    """Per-text lookups computed once per call: stems, content words, units."""

    doc: Document
    stems: list[str]
    #: the stem of each content word, ``""`` for the others: true exactly for the content words
    #: (a content word's stem is never empty), so one list serves as flags and as content stems.
    content: list[str]
    #: content stems of each sentence, in text order: a dict, not a set, so sums over them (the
    #: alignment weights) run in one order whatever the hash seed, and a Dask worker agrees with here
    sent_stems: list[dict[str, None]]
    starts: list[int]
    #: whether each token is a negation (``not``, ``didn't``).
    neg: list[bool]
    #: sentences with at least one negation.
    neg_sents: set[int]
    #: indices of the words starting with a capital (name candidates for ``entity_units``).
    cap_idx: list[int]
    #: indices of the words that may start a number, and of the weekday and month words.
    num_idx: list[int]
    date_idx: list[int]
    #: words the text writes in lower case somewhere (``consistency_units.lowercase_vocab``).
    lower_vocab: set[str]
    #: the distinct lower-case tokens.
    uniq: set[str]
    # Name lookups built on first use: the reference's nearly always, the document's rarely.
    #: the distinct tokens as name tokens (:func:`_names`).
    names: set[str] | None = None
    #: capitalised words as name tokens (:func:`_caps`).
    caps: set[str] | None = None
    #: ``caps`` by their first four letters (:func:`_caps_by_prefix`).
    caps_prefix: dict[str, list[str]] | None = None
    #: sentence -> positions of the ``to`` after an implicit negator (:func:`_implicit_negations`).
    implicit_neg: dict[int, list[int]] | None = None
    #: alias keys the text mentions (:func:`_aliases`).
    aliases: set[str] | None = None
    #: number and date units (:func:`_units`): they depend on the text alone.
    numbers: list[Unit] | None = None
    dates: list[Unit] | None = None
    #: the entity units with the ``common`` answers they rest on (:func:`_entities`).
    entities: tuple[tuple[tuple[str, bool], ...], list[Unit]] | None = None
    #: the inverted index of the sentences' stems (:func:`_postings`), kept only for a prepared :class:`Reference`.
    postings: dict[str, list[int]] | None = None
    #: whether what is built on first use is kept (a prepared reference): else dropped with the call.
    keep: bool = False


_ALIAS_FIRST = frozenset(k.split()[0] for k in ALIASES if " " in k)

_NUM_MARK, _DATE_MARK, _NEG_MARK = 1, 2, 4

#: lower-case token -> (stem, stem if a content word else "", marks: number start, date word, negation)
_TOKEN: dict[str, tuple[str, str, int]] = {}


def _token_info(w: str) -> tuple[str, str, int]:
    st = stem(w)
    content = w not in STOPWORDS and w[0].isalnum()
    marks = _NUM_MARK * is_number_start(w) | _DATE_MARK * is_date_token(w) | _NEG_MARK * _is_negation(w)
    return st, st if content else "", marks


_NORM: dict[str, str] = {}
_FIELDS = tuple(map(itemgetter, range(3)))


def _view(doc: Document) -> _View:
    lower = doc.lower
    uniq = set(lower)
    rows = token_values(_TOKEN, lower, _token_info, uniq)
    # One map per field, not zip(*rows): that makes an iterator per word at once, a burst of
    # ~600 objects that set off a garbage collection on nearly every pair. Three fields: the
    # content stems double as content flags, and the few negations are read off the marks.
    stems, content, marks = (list(map(field, rows)) for field in _FIELDS)
    sent_stems = [dict.fromkeys(filter(None, content[idx[0]:idx[-1] + 1])) if idx else {} for idx in doc.sentence_words]
    ws = doc.word_sentence
    marked = list(compress(range(len(marks)), marks))
    num_idx = [k for k in marked if marks[k] & _NUM_MARK]
    date_idx = [k for k in marked if marks[k] & _DATE_MARK]
    neg_idx = [k for k in marked if marks[k] & _NEG_MARK]
    neg = [False] * len(marks)
    for k in neg_idx:
        neg[k] = True
    neg_sents = {ws[k] for k in neg_idx}
    cap_idx, lower_first = _first_letter_case(doc.words)
    lower_vocab = set(compress(lower, lower_first))
    return _View(doc, stems, content, sent_stems, [s for s, _ in doc.sentences],
                 neg, neg_sents, cap_idx, num_idx, date_idx, lower_vocab, uniq)


def _first_letter_case(words: list[str]) -> tuple[list[int], Iterable[bool]]:
    """(indices of the words whose first character is upper case, whether each word's is lower case).

    The first characters as one string: when it is ASCII (nearly always), upper and lower
    case are the byte ranges A-Z and a-z, classified by numpy at once instead of a
    ``str.isupper``/``str.islower`` call per word.
    """
    firsts = "".join(map(_first, words))
    if firsts.isascii():
        codes = np.frombuffer(firsts.encode("ascii"), np.uint8)
        return (np.flatnonzero((codes - 65).astype(np.uint8) < 26).tolist(),
                ((codes - 97).astype(np.uint8) < 26).tolist())
    return list(compress(range(len(firsts)), map(str.isupper, firsts))), map(str.islower, firsts)


def _units(v: _View, common: Callable[[str], bool]) -> tuple[list[Unit], list[Unit], list[Unit]]:
    """(numbers, dates, entities) of the text, kept on the view (reused for a prepared :class:`Reference`)."""
    if v.numbers is None or v.dates is None:
        dates = date_units(v.doc, v.starts, v.date_idx)
        numbers = number_units(v.doc, v.starts, [(u.start, u.end) for u in dates if u.sub != "weekday"], v.num_idx)
        v.dates = sorted(dates + [u for u in numbers if u.kind == "date"], key=lambda u: u.start)
        v.numbers = [u for u in numbers if u.kind == "number"]
    return v.numbers, v.dates, _entities(v, common)


def _entities(v: _View, common: Callable[[str], bool]) -> list[Unit]:
    """Entity units of the text, kept on the view with the answers of ``common`` they rest on.

    ``entity_units`` asks ``common`` about a few sentence-initial words, and the answers
    depend on the other text (its lower-case vocabulary). Given the same answers it makes
    the same calls and returns the same units, so kept units are reused whenever the words
    asked last time get the same answers now (a prepared reference, many documents).
    """
    if v.entities is not None:
        asked, units = v.entities
        if all(common(w) == answer for w, answer in asked):
            return units
    record: list[tuple[str, bool]] = []

    def ask(low: str) -> bool:
        answer = common(low)
        record.append((low, answer))
        return answer

    units = entity_units(v.doc, v.starts, ask, _unredacted(v))
    v.entities = (tuple(record), units)
    return units


#: A redaction placeholder (``XXXX``, ``XX-XXX``): a hidden name, not one the reference should mention.
_REDACTED = re.compile(r"X{2,}(?:[-./]X+)*")


def _unredacted(v: _View) -> list[int]:
    """The capitalised words that may be names: all but redaction placeholders."""
    if "XX" not in v.doc.text:
        return v.cap_idx
    words = v.doc.words
    return [i for i in v.cap_idx if not _REDACTED.fullmatch(words[i])]


class Reference:
    """A reference text prepared once for judging many documents against it (:func:`prepare`).

    Holds the reference's view: stems, sentence index and units are built on the first
    :func:`extract` and reused by the next ones, with the same results as a fresh Document.
    """

    __slots__ = ("view",)

    def __init__(self, doc: Document) -> None:
        self.view = _view(doc)
        self.view.keep = True

    @property
    def doc(self) -> Document:
        return self.view.doc


def prepare(ref: Document) -> Reference:
    """``ref`` prepared for several :func:`extract` calls (one source, many candidate copies)."""
    return Reference(ref)


# ---------------------------------------------------------------- alignment


@dataclass(slots=True)
class _Alignment:
    best: list[int]  # best reference sentence of each document sentence (-1: none)
    score: list[float]  # weighted share of the sentence's words in its best reference sentence
    window: list[list[int]]  # aligned reference sentences
    support: list[float]  # weighted share of the sentence's words in the window
    weight: dict[str, float]  # IDF weight of each document stem
    total: list[float]  # summed weight of each document sentence's content stems
    covered: list[Collection[str]]  # the stems of each document sentence's window (empty: no window)


def _idf_of_counts(n: int, counts: Iterable[int]) -> dict[int, float]:
    """``log(1 + n / c)`` for each distinct count ``c``: a pair's few hundred stems share a dozen counts."""
    return {c: math.log(1.0 + n / c) for c in set(counts)}


def _postings(r: _View, wanted: KeysView[str] | set[str]) -> dict[str, list[int]]:
    """Reference stem -> the reference sentences holding it, in text order (the inverted index of :func:`_align`).

    Only the ``wanted`` stems (the document's: nothing looks up another) are indexed, found
    per sentence by a C-level intersection: a pair shares a fraction of its stems, so most of
    the reference is never visited word by word. A prepared reference indexes all its stems
    once, for any document. A ``defaultdict`` while filling: ``setdefault(s, [])`` would build
    and drop an empty list for every occurrence. Kept on a prepared reference's view only: a few
    hundred lists that outlive the alignment make the garbage collector's work per pair measurably larger.
    """
    if r.postings is not None:
        return r.postings
    index: defaultdict[str, list[int]] = defaultdict(list)
    if r.keep:
        for j, sset in enumerate(r.sent_stems):
            for s in sset:
                index[s].append(j)
        r.postings = dict(index)  # a plain dict: a lookup never inserts
        return r.postings
    for j, sset in enumerate(r.sent_stems):
        for s in wanted & sset.keys():  # iterates the smaller side
            index[s].append(j)
    return index


def _doc_weights(df: Counter[str], index: dict[str, list[int]], n_sentences: int) -> dict[str, float]:
    """IDF weight ``log(1 + n / c)`` of each document stem, ``c`` = sentences of both texts holding it.

    ``df``: the document's sentence count of each stem. Only the document's stems are weighed
    (nothing looks up a stem the document lacks), and a stem's reference count is the length
    of its postings: no second count over the reference.
    """
    counts = list(map(add, df.values(), map(len, map(index.get, df, repeat(())))))
    idf = _idf_of_counts(n_sentences, counts)
    return dict(zip(df, map(idf.__getitem__, counts)))


def _align(d: _View, r: _View, config: ConsistencyConfig) -> _Alignment:
    """IDF-weighted overlap of every document sentence with every reference sentence (inverted index).

    A sentence's scores sum the weights of its stems in text order (a dict in first-touch order),
    so ties between equal scores break the same way whatever the hash seed.
    """
    df = Counter(chain.from_iterable(d.sent_stems))
    index = _postings(r, df.keys())
    rss = r.sent_stems
    weight = _doc_weights(df, index, len(d.sent_stems) + len(rss) + 1)
    wget = weight.__getitem__
    iget = index.get
    best, score, window, support, totals, covered = [], [], [], [], [], []
    nwin, ratio = config.window, config.window_ratio
    for sset in d.sent_stems:
        total = sum(map(wget, sset))
        totals.append(total)
        acc: dict[int, float] = {}
        aget = acc.get
        for s in sset:
            post = iget(s)
            if post:
                w = wget(s)
                for j in post:
                    acc[j] = aget(j, 0.0) + w
        if not acc or total <= 0:
            best.append(-1)
            score.append(0.0)
            window.append([])
            support.append(0.0 if sset else 1.0)
            covered.append(set())
            continue
        # Stable sort: equal scores keep the order in which the stems first reached them.
        ranked = sorted(acc.items(), key=_second, reverse=True)[:nwin]
        top = ranked[0][1]
        win = [j for j, sc in ranked if sc >= ratio * top]
        best.append(ranked[0][0])
        score.append(top / total)
        window.append(win)
        union = rss[win[0]] if len(win) == 1 else set().union(*(rss[j] for j in win))
        covered.append(union)
        support.append(sum(map(wget, filter(union.__contains__, sset))) / total)
    return _Alignment(best, score, window, support, weight, totals, covered)


# ---------------------------------------------------------------- judging units


def _finding(d: Document, code: str, start: int, end: int, message: str, suggestion: str | None,
             severity: str, r: Document | None = None, ev: tuple[int, int] | None = None) -> Finding:
    evidence = None if ev is None or r is None else Evidence(ev[0], ev[1], r.text[ev[0]:ev[1]])
    return Finding("consistency", code, start, end, d.text[start:end], message, suggestion, severity, evidence)  # type: ignore[arg-type]


def _phrase(doc: Document, u: Unit) -> tuple[int, int]:
    return u.start, max(u.end, u.phrase_end)


def _num_equal(a: tuple, b: tuple) -> bool:
    ka, va = a
    kb, vb = b
    if ka == "vague" or kb == "vague":
        lo, hi = (va, vb) if va <= vb else (vb, va)
        return lo > 0 and hi / lo <= 3.5
    if (ka == "qtr") != (kb == "qtr"):
        return False
    return abs(va - vb) <= 1e-9 * max(1.0, abs(va))


def _equal_finder(rn: list[Unit]) -> Callable[[tuple], Unit | None]:
    """``key -> first unit of rn whose key is _num_equal to it``, by bisection on the sorted values.

    The same answer as scanning ``rn`` in order, without comparing every pair.
    """
    vague = [k for k, x in enumerate(rn) if x.key[0] == "vague"]
    exact = sorted((x.key[1], k) for k, x in enumerate(rn) if x.key[0] != "vague")
    values = [v for v, _ in exact]
    # A fiscal quarter (``Q2``, ``second quarter``) equals only a quarter: not the 2 of ``Tier 2``.
    quarter = [rn[k].key[0] == "qtr" for _, k in exact]

    def find(key: tuple) -> Unit | None:
        if key[0] == "vague":
            return next((x for x in rn if _num_equal(key, x.key)), None)
        va = key[1]
        tol = 1e-9 * max(1.0, abs(va))
        lo, hi = bisect_left(values, va - 2 * tol), bisect_right(values, va + 2 * tol)
        q = key[0] == "qtr"
        hits = [exact[p][1] for p in range(lo, hi) if abs(va - values[p]) <= tol and quarter[p] == q]
        hits += [k for k in vague if _num_equal(key, rn[k].key)]
        return rn[min(hits)] if hits else None

    return find


class Judgment(NamedTuple):
    """The verdict on one unit of the document, with the reference span it rests on (an immutable named tuple, cheap to build)."""

    unit: Unit
    status: str  # "supported", "contradicted" or "unsupported"
    evidence: tuple[int, int] | None = None


def _aligned(d: _View, al: _Alignment, i: int, threshold: float) -> bool:
    """A sentence aligned well enough (and long enough) for a differing value to be a contradiction."""
    return al.score[i] >= threshold and len(d.sent_stems[i]) >= 3


_MANTISSA = re.compile(r"\d[\d,]*(?:\.\d+)?")
#: A rounded number may differ from the exact one by at most this share of it.
ROUNDING_TOLERANCE = 0.05


def _significant(digits: str) -> int:
    """Significant figures a writer states: ``6.90`` -> 2 (trailing decimal zeros add nothing), ``3.1`` -> 2."""
    whole, _, frac = digits.replace(",", "").partition(".")
    return len((whole.lstrip("0") + frac.rstrip("0")).lstrip("0")) or 1


def _rounds_from(u: Unit, x: Unit) -> bool:
    """``u`` states ``x`` rounded: ``$6.90`` or ``$6.9`` for ``$6.86``, ``$3 billion`` for ``$3.1 billion``.

    Only for a number written with a decimal point or a scale word (``1.5 million``): a plain
    count (``30 allies``) is exact, so ``31`` never rounds ``30``. The reference must state more
    significant figures than the document, and the two differ by at most ROUNDING_TOLERANCE.
    """
    if u.key[0] != x.key[0] or u.key[0] not in ("num", "money", "pct"):
        return False
    mu, mx = _MANTISSA.search(u.text), _MANTISSA.search(x.text)
    if mu is None or mx is None:
        return False
    vu, vx = u.key[1], x.key[1]
    scaled = abs(vu) >= 1000 * abs(float(mu.group().replace(",", "")) or 1.0)
    if "." not in mu.group() and not scaled:
        return False
    sig = _significant(mu.group())
    if _significant(mx.group()) <= sig or abs(vu - vx) > ROUNDING_TOLERANCE * abs(vx):
        return False
    return abs(float(f"{vx:.{sig - 1}e}") - vu) <= 1e-9 * max(1.0, abs(vu))


def _rounding_finder(rn: list[Unit]) -> Callable[[Unit], Unit | None]:
    """``u -> first unit of rn that u states rounded`` (:func:`_rounds_from`), looking only at close values."""
    ordered = sorted((x.key[1], k) for k, x in enumerate(rn) if x.key[0] in ("num", "money", "pct"))
    values = [v for v, _ in ordered]

    def find(u: Unit) -> Unit | None:
        v = u.key[1]
        if u.key[0] not in ("num", "money", "pct") or ("." not in u.text and abs(v) < 1000):
            return None  # a plain count below a thousand is exact (the test of _rounds_from, done cheaply)
        margin = abs(v) * ROUNDING_TOLERANCE / (1.0 - ROUNDING_TOLERANCE)
        lo, hi = bisect_left(values, v - margin), bisect_right(values, v + margin)
        if lo == hi:
            return None
        hits = [k for _, k in ordered[lo:hi] if _rounds_from(u, rn[k])]
        return rn[min(hits)] if hits else None

    return find


def _judge_numbers(d: _View, r: _View, dn: list[Unit], rn: list[Unit], rdates: list[Unit], al: _Alignment,
                   config: ConsistencyConfig, out: list[Finding]) -> list[Judgment]:
    loose = {float(u.key[1]): u for u in rdates if u.key[0] == "year"}
    loose.update({float(u.key[2]): u for u in rdates if u.key[0] == "date" and u.key[2]})
    by_sent: dict[int, list[Unit]] = {}
    for u in rn:
        by_sent.setdefault(u.sentence, []).append(u)
    res = []
    first_equal = _equal_finder(rn)
    rounded_from = _rounding_finder(rn)
    for u in dn:
        same = first_equal(u.key)
        if same is None and u.key[0] == "num":
            same = loose.get(u.key[1])
        if same is None:
            same = rounded_from(u)
        if same is not None:
            res.append(Judgment(u, "supported", (same.start, same.end)))
            continue
        cands = []
        if _aligned(d, al, u.sentence, config.contradiction_alignment):
            for j in al.window[u.sentence]:
                for x in by_sent.get(j, ()):
                    same_noun = u.sub and x.sub == u.sub
                    same_kind = u.key[0] == x.key[0] and u.key[0] in ("pct", "money", "time", "ord", "qtr")
                    if same_kind and not same_noun and u.key[0] == "money":
                        # ``$6.90`` a share and ``$3.1 billion`` earned are not one amount misstated.
                        lo, hi = sorted((abs(u.key[1]), abs(x.key[1])))
                        same_kind = lo > 0 and hi < 1000 * lo
                    if same_noun or same_kind:
                        cands.append(x)
        s, e = _phrase(d.doc, u)
        if cands:
            x = cands[0]
            xs, xe = _phrase(r.doc, x)
            res.append(Judgment(u, "contradicted", (xs, xe)))
            out.append(_finding(
                d.doc, "consistency.number_mismatch", s, e,
                f"the reference gives '{r.doc.text[xs:xe]}', the document '{d.doc.text[s:e]}'",
                r.doc.text[x.start:x.end], "error", r.doc, (xs, xe)))
        else:
            res.append(Judgment(u, "unsupported"))
            out.append(_finding(d.doc, "consistency.unsupported_number", s, e,
                                f"the reference does not state '{d.doc.text[s:e]}'", None, "warning"))
    return res


def _date_support(u: Unit, rd: list[Unit]) -> Unit | None:
    """The reference date unit that states ``u``, if any."""
    k = u.key
    if k[0] == "weekday":
        return next((x for x in rd if x.key == k), None)
    year_units = {x.key[1]: x for x in rd if x.key[0] == "year"}
    year_units.update({x.key[3]: x for x in rd if x.key[0] == "date" and x.key[3]})
    if k[0] == "year":
        return year_units.get(k[1])
    _, month, day, year = k
    hit = next((x for x in rd if x.key[0] == "date" and x.key[1] == month and (not day or x.key[2] in (day, 0))), None)
    if hit is None or (year and year not in year_units):
        return None
    return hit


def _judge_dates(d: _View, r: _View, dd: list[Unit], rd: list[Unit], al: _Alignment,
                 config: ConsistencyConfig, out: list[Finding]) -> list[Judgment]:
    res = []
    for u in dd:
        hit = _date_support(u, rd)
        if hit is not None:
            res.append(Judgment(u, "supported", (hit.start, hit.end)))
            continue
        cands = []
        if _aligned(d, al, u.sentence, config.contradiction_alignment):
            win = set(al.window[u.sentence])
            cands = [x for x in rd if x.sentence in win and x.sub == u.sub and x.key != u.key]
        if cands:
            x = cands[0]
            res.append(Judgment(u, "contradicted", (x.start, x.end)))
            out.append(_finding(d.doc, "consistency.date_mismatch", u.start, u.end,
                                f"the reference gives '{x.text}', the document '{u.text}'", x.text, "error",
                                r.doc, (x.start, x.end)))
        else:
            res.append(Judgment(u, "unsupported"))
            out.append(_finding(d.doc, "consistency.unsupported_date", u.start, u.end,
                                f"the reference does not state '{u.text}'", None, "warning"))
    return res


#: Lower-case second parts of a hyphenated name that say how something relates to the name
#: (``Russia-based``, ``Sims-centric``): only the name part must be in the reference.
_AFFIXES = frozenset(
    """led based born backed run owned style era made funded controlled centric focused oriented related
    linked inspired themed friendly specific wide bound free like type listed registered sponsored affiliated
    allied leaning dominated supported held occupied produced designed built focussed""".split()
)


def _token_known(t: str, r: _View) -> bool:
    """A name token the reference uses, as is, as an alias, or as its demonym (``Russian`` ~ ``Russia``)."""
    if len(t) < 2 or t in _names(r):
        return True
    if "-" in t:
        parts = [p for p in t.split("-") if p and p not in _AFFIXES]
        return bool(parts) and all(_token_known(p, r) for p in parts)
    alias = ALIASES.get(t)
    if alias is not None and (alias in _aliases(r)):
        return True
    return any(demonym_match(t, c) for c in _caps_by_prefix(r).get(t[:4], ()))


def _names(v: _View) -> set[str]:
    """The text's distinct tokens as name tokens (``norm_name``: ``russia's`` -> ``russia``), built on first use."""
    if v.names is None:
        # One lookup per distinct token in the module's norm_name table (C-level maps, no Python loop).
        v.names = set(token_values(_NORM, v.uniq, norm_name))
    return v.names


def _caps(v: _View) -> set[str]:
    """The text's capitalised words as name tokens (``norm_name``), built on first use."""
    if v.caps is None:
        words = v.doc.words
        upper_words = set(map(words.__getitem__, v.cap_idx))
        v.caps = set(token_values(_NORM, upper_words, norm_name))
    return v.caps


def _caps_by_prefix(r: _View) -> dict[str, list[str]]:
    """The reference's capitalised words by their first four letters, built on first use.

    :func:`demonym_match` needs four shared leading letters, so only the words
    under ``t[:4]`` can match ``t``: one lookup instead of a scan of all of them.
    """
    if r.caps_prefix is None:
        r.caps_prefix = {}
        for c in _caps(r):
            r.caps_prefix.setdefault(c[:4], []).append(c)
    return r.caps_prefix


def _aliases(r: _View) -> set[str]:
    """Alias keys the reference mentions: a capitalised alias (``U.S.``) or a two-word one (``united states``).

    Built on first use: only the reference's are ever looked at.
    """
    if r.aliases is None:
        lower = r.doc.lower
        aliases = {ALIASES[c] for c in _caps(r) if c in ALIASES}
        if not _ALIAS_FIRST.isdisjoint(r.uniq):
            for k in compress(range(len(lower) - 1), map(_ALIAS_FIRST.__contains__, lower)):
                pair = f"{lower[k]} {lower[k + 1]}"
                if pair in ALIASES:
                    aliases.add(ALIASES[pair])
        r.aliases = aliases
    return r.aliases


def _entity_supported(u: Unit, r: _View, ref_keys: set[tuple]) -> bool:
    if u.key in ref_keys:
        return True
    if all(_token_known(t, r) for t in u.key if t not in ("of", "for", "de", "al", "the")):
        return True
    return len(u.key) == 1 and _is_acronym(u.text) and _expanded(u.key[0], r)


def _is_acronym(text: str) -> bool:
    """``EPS``, ``YoY``, ``CEO``: 2-6 letters, at least two of them capitals."""
    return 2 <= len(text) <= 6 and text.isalpha() and sum(map(str.isupper, text)) >= 2


def _initials(tokens: Iterable[str]) -> str:
    """First letters of the words, hyphenated compounds split: ``year-over-year`` -> ``yoy``."""
    return "".join(p[0] for t in tokens for p in t.split("-") if p)


def _expanded(acronym: str, r: _View) -> bool:
    """The reference spells the acronym out: ``eps`` <- ``earnings per share``, ``yoy`` <- ``year-over-year``.

    Asked for an acronym the reference does not write (about once a pair): only the words
    starting with its first letter are visited, picked out at C level.
    """
    lower, n = r.doc.lower, len(acronym)
    for k in compress(range(len(lower)), map(str.startswith, lower, repeat(acronym[0]))):
        if lower[k] not in STOPWORDS:
            got = ""
            for x in lower[k:k + n]:
                got += x[0] if "-" not in x else _initials((x,))  # words are never empty
                if len(got) >= n:
                    break
            # Spelled out from content word to content word: not any two words (``under scrutiny`` for ``US``).
            if got == acronym and x not in STOPWORDS:
                return True
    return False


def _judge_entities(d: _View, r: _View, de: list[Unit], re_: list[Unit], al: _Alignment,
                    config: ConsistencyConfig, out: list[Finding]) -> tuple[list[Judgment], int, int]:
    """Judgments, how many supported entities the aligned sentences mention, title mismatches."""
    ref_keys = {u.key for u in re_}
    by_sent: dict[int, list[Unit]] = {}
    for u in re_:
        by_sent.setdefault(u.sentence, []).append(u)
    first_with: dict[str, int] = {}  # name token -> first reference entity having it
    for k, x in enumerate(re_):
        for t in x.key:
            first_with.setdefault(t, k)
    res = []
    local = titles = 0
    supported: dict[tuple, bool] = {}  # by key: a name recurs through a text
    apposed: list = []  # filled on first use by _apposed_pairs
    for u in de:
        ok = supported.get(u.key)
        if ok is None:
            ok = supported[u.key] = _entity_supported(u, r, ref_keys)
        if ok:
            win = al.window[u.sentence]
            uk = set(u.key)
            near = next((x for j in win for x in by_sent.get(j, ()) if not uk.isdisjoint(x.key)), None)
            if near is None:
                ks = [first_with[t] for t in uk if t in first_with]
                anywhere = re_[min(ks)] if ks else None
            else:
                anywhere = near
            is_local = near is not None or any(all(stem(t) in r.sent_stems[j] for t in u.key) for j in win)
            swapped = None if is_local else _swapped_entity(d, u, by_sent, al, config, r, re_, apposed)
            if swapped is not None:
                x = swapped
                res.append(Judgment(u, "contradicted", (x.start, x.end)))
                out.append(_finding(d.doc, "consistency.entity_mismatch", u.start, u.end,
                                    f"the reference has '{x.text}' here, the document '{u.text}'", x.text, "error",
                                    r.doc, (x.start, x.end)))
                continue
            res.append(Judgment(u, "supported", None if anywhere is None else (anywhere.start, anywhere.end)))
            local += is_local
            if u.title:  # no title, nothing to compare
                titles += _judge_title(d, r, u, re_, out)
            continue
        cands = []
        if _aligned(d, al, u.sentence, config.contradiction_alignment):
            for j in al.window[u.sentence]:
                for x in by_sent.get(j, ()):
                    if not any(t in _names(d) for t in x.key):
                        cands.append(x)
        if cands:
            x = min(cands, key=lambda c: (c.sub != u.sub, abs(len(c.key) - len(u.key))))
            res.append(Judgment(u, "contradicted", (x.start, x.end)))
            out.append(_finding(d.doc, "consistency.entity_mismatch", u.start, u.end,
                                f"the reference has '{x.text}' here, the document '{u.text}'", x.text, "error",
                                r.doc, (x.start, x.end)))
        else:
            res.append(Judgment(u, "unsupported"))
            out.append(_finding(d.doc, "consistency.unsupported_entity", u.start, u.end,
                                f"the reference never mentions '{u.text}'", None, "warning"))
    return res, local, titles


def _swapped_entity(d: _View, u: Unit, by_sent: dict[int, list[Unit]], al: _Alignment,
                    config: ConsistencyConfig, r: _View, re_: list[Unit], apposed: list) -> Unit | None:
    """In a sentence that closely follows one reference sentence, the name that this one replaced.

    A name found elsewhere in the reference is still a contradiction when the
    matching reference sentence names someone else in its place (FactCC entity swap),
    unless the reference writes the two names side by side elsewhere (``East Palestine, Ohio``):
    then one names the place or body the other belongs to.
    """
    i = u.sentence
    if al.score[i] < config.swap_alignment or not _aligned(d, al, i, config.contradiction_alignment):
        return None
    own = d.sent_stems[i]
    # a name the document writes as its demonym (``Chinese`` for ``China``) is the same name
    cands = [x for x in by_sent.get(al.best[i], ())
             if not any(stem(t) in own for t in x.key) and not any(demonym_match(t, c) for t in u.key for c in x.key)]
    if cands:
        if not apposed:
            apposed.append(_apposed_pairs(r, re_))
        pairs = apposed[0]
        # the pair may hold the document's name in full (``East Palestine, Ohio`` for a sentence-initial ``East``
        # read as an ordinary word, leaving ``Palestine``)
        named = set(u.key)
        cands = [x for x in cands if not any(a == x.key and named <= set(b) for a, b in pairs)]
    if not cands:
        return None
    return min(cands, key=lambda c: (c.sub != u.sub, abs(len(c.key) - len(u.key))))


def _apposed_pairs(r: _View, re_: list[Unit]) -> set[tuple[tuple, tuple]]:
    """Keys of names the reference writes next to each other, only a comma between (``East Palestine, Ohio``), both ways."""
    text = r.doc.text
    out: set[tuple[tuple, tuple]] = set()

    def listed(end: int, start: int) -> bool:  # ``France, Germany and Italy``: a list, not a place in a place
        return start - end <= 6 and text[end:start].strip(" ,") in ("", "and", "or")

    for k in range(len(re_) - 1):
        x, y = re_[k], re_[k + 1]
        if not (y.start - x.end <= 3 and text[x.end:y.start].strip() == ","):
            continue
        if (k and listed(re_[k - 1].end, x.start)) or (k + 2 < len(re_) and listed(y.end, re_[k + 2].start)):
            continue
        out.add((x.key, y.key))
        out.add((y.key, x.key))
    return out


#: Title words that name the leader of any body, whatever the reference calls that role.
_GENERIC_ROLES = frozenset(("boss", "head", "leader"))


def _judge_title(d: _View, r: _View, u: Unit, re_: list[Unit], out: list[Finding]) -> int:
    """1 when the reference gives this person a different title (``Secretary-General`` vs ``Assistant General``).

    Generic words for whoever leads a body (``boss``, ``head``, ``leader``) are left out: ``boss Don Meij`` names the
    reference's ``CEO Don Meij`` in other words."""
    roles = {t for t in u.title if t in TITLE_WORDS and t not in _GENERIC_ROLES}
    if not roles or u.title_span is None:
        return 0
    surname = u.key[-1]
    others = [x for x in re_ if x.key and x.key[-1] == surname and x.title_span is not None]
    if not others:
        return 0
    if any(roles <= {t for t in x.title if t in TITLE_WORDS} for x in others):
        return 0
    x = others[0]
    ts, te = u.title_span
    xs, xe = x.title_span  # type: ignore[misc]
    ref_title = r.doc.text[xs:xe]
    out.append(_finding(
        d.doc, "consistency.title_mismatch", ts, te,
        f"the reference calls {x.text} '{ref_title}', the document calls {u.text} '{d.doc.text[ts:te]}'",
        ref_title, "error", r.doc, (xs, x.end)))
    return 1


# ---------------------------------------------------------------- negations, antonyms, swaps


def _is_negation(w: str) -> bool:
    return w in NEGATIONS or w.endswith("n't")


def _next_content(v: _View, idx: list[int], k: int) -> int:
    content, neg = v.content, v.neg
    for p in range(k + 1, min(k + 4, len(idx))):
        if content[idx[p]] and not neg[idx[p]]:
            return p
    return -1


#: Words that negate the verb after ``to``: "failed to get the balance right" says what "did not get" says.
_IMPLICIT_NEGATORS = frozenset(
    "fail fails failed failing failure refuse refuses refused refusing refusal decline declines declined declining "
    "unable inability".split())
#: Words that negate the verb before them: "have found no evidence" says what "have not found any" says.
_NEGATING_OBJECTS = frozenset(("no", "nothing", "none", "nobody", "nowhere"))


def _negated(v: _View, idx: list[int], p: int) -> bool:
    """Whether the word at ``idx[p]`` is negated: a negation among the three words before it, or an implicit negator
    and its ``to`` there (``failed to get``), or a negating object right after it (``found no evidence``)."""
    neg, low, lo = v.neg, v.doc.lower, max(0, p - 3)
    if any(neg[idx[q]] for q in range(lo, p)):
        return True
    # the same three words back as for ``not``: ``declined to say whether`` negates ``whether`` as ``_next_content``
    # reads it after ``to``
    if any(low[idx[q]] == "to" and low[idx[q - 1]] in _IMPLICIT_NEGATORS for q in range(max(1, lo), p)):
        return True
    return p + 1 < len(idx) and low[idx[p + 1]] in _NEGATING_OBJECTS


def _span(doc: Document, k: int) -> tuple[int, int]:
    """(start, end) of word ``k`` from ``word_starts``: no tuple per word of the text is built."""
    s = doc.word_starts[k]
    return s, s + len(doc.words[k])


def _ctx(v: _View, idx: list[int], a: int, b: int) -> tuple[int, int]:
    a, b = max(0, a), min(len(idx) - 1, b)
    return _span(v.doc, idx[a])[0], _span(v.doc, idx[b])[1]


def _negation_heads(v: _View, idx: list[int], sentence: int, implicit: dict[int, list[int]]) -> list[tuple[int, int]]:
    """(position of the negating word, position after which the negated word is looked for) in one sentence: each
    negation (``not``), and each implicit negator before ``to`` (``failed to``, the negated verb after ``to``)."""
    heads = [(k, k) for k, wi in enumerate(idx) if v.neg[wi]] if sentence in v.neg_sents else []
    return heads + [(k - 1, k) for k in implicit.get(sentence, ())]


def _implicit_negations(v: _View) -> dict[int, list[int]]:
    """Sentence -> positions of the ``to`` after an implicit negator (``failed to``), built on first use; empty for
    the many texts that hold none of those words (one set test)."""
    if v.implicit_neg is None:
        low, out = v.doc.lower, {}
        if not v.uniq.isdisjoint(_IMPLICIT_NEGATORS):
            for sentence, idx in enumerate(v.doc.sentence_words):
                for k in range(1, len(idx)):
                    if low[idx[k]] == "to" and low[idx[k - 1]] in _IMPLICIT_NEGATORS:
                        out.setdefault(sentence, []).append(k)
        v.implicit_neg = out
    return v.implicit_neg


def _judge_negations(d: _View, r: _View, al: _Alignment, config: ConsistencyConfig, out: list[Finding]) -> int:
    dsw, rsw = d.doc.sentence_words, r.doc.sentence_words
    d_implicit, r_implicit = _implicit_negations(d), _implicit_negations(r)
    n = 0
    for i, idx in enumerate(dsw):
        if not _aligned(d, al, i, config.negation_alignment):
            continue
        win = al.window[i]
        # Added: the document negates a word the aligned reference states plainly.
        for k, after in _negation_heads(d, idx, i, d_implicit):
            p = _next_content(d, idx, after)
            if p < 0:
                continue
            target = d.stems[idx[p]]
            hits = [(j, q) for j in win for q, x in enumerate(rsw[j]) if r.stems[x] == target]
            if hits and not any(_negated(r, rsw[j], q) for j, q in hits):
                j, q = hits[0]
                s, e = _span(d.doc, idx[k])
                n += 1
                out.append(_finding(d.doc, "consistency.negation", s, e,
                                    f"the document negates '{d.doc.words[idx[p]]}', the reference does not",
                                    "remove the negation", "error", r.doc, _ctx(r, rsw[j], q - 2, q + 1)))
        # Dropped: the best reference sentence negates a word the document states plainly.
        j = al.best[i]
        ridx = rsw[j] if j >= 0 else []
        for k, after in (_negation_heads(r, ridx, j, r_implicit) if ridx else ()):
            p = _next_content(r, ridx, after)
            if p < 0:
                continue
            target = r.stems[ridx[p]]
            hits = [q for q, x in enumerate(idx) if d.stems[x] == target]
            if hits and not any(_negated(d, idx, q) for q in hits):
                s, e = _span(d.doc, idx[hits[0]])
                said = r.doc.text[_span(r.doc, ridx[k])[0]:_span(r.doc, ridx[p])[1]]
                n += 1
                out.append(_finding(d.doc, "consistency.negation", s, e,
                                    f"the reference says '{said}', the document drops the negation",
                                    said, "error", r.doc, _ctx(r, ridx, k, p)))
    return n


def _judge_antonyms(d: _View, r: _View, al: _Alignment, config: ConsistencyConfig, out: list[Finding]) -> int:
    ants = antonyms()
    rsw = r.doc.sentence_words
    sense_cache: dict[int, dict[str, int]] = {}
    n = 0
    # Only words with an antonym (by stem or through a WordNet sense) can be swapped for one.
    has = token_table(_HAS_ANTONYM, d.uniq, _has_antonym)
    lower = d.doc.lower
    for i, idx in enumerate(d.doc.sentence_words):
        if not _aligned(d, al, i, config.contradiction_alignment):
            continue
        cands = list(compress(idx, map(has.__getitem__, map(lower.__getitem__, idx))))
        if not cands:
            continue
        win, union = al.window[i], al.covered[i]
        own = set(d.stems[idx[0]:idx[-1] + 1])  # a sentence's words are consecutive
        for wi in cands:
            s = d.stems[wi]
            if s in union or not d.content[wi]:
                continue
            opp = ants.get(s)
            hit = _first_antonym(opp, win, r, own) if opp else None
            if hit is not None:
                x = next(x for j in win for x in rsw[j] if r.stems[x] == hit)
            else:
                x = _sense_antonym(d.doc.lower[wi], win, r, own, sense_cache)
                if x is None:
                    continue
            if not _share_neighbour(d, wi, r, x):
                continue
            ev = _span(r.doc, x)
            a, b = _span(d.doc, wi)
            n += 1
            ref_word = r.doc.text[ev[0]:ev[1]]
            out.append(_finding(d.doc, "consistency.antonym", a, b,
                                f"the document says '{d.doc.words[wi]}' where the reference says '{ref_word}'",
                                ref_word, "error", r.doc, ev))
    return n


#: Words on each side within which an antonym and its counterpart must share a content word.
NEIGHBOUR_WIDTH = 5


def _neighbours(v: _View, i: int) -> set[str]:
    """Content stems within NEIGHBOUR_WIDTH words of word ``i``, in its sentence."""
    idx = v.doc.sentence_words[v.doc.word_sentence[i]]
    lo, hi = max(idx[0], i - NEIGHBOUR_WIDTH), min(idx[-1], i + NEIGHBOUR_WIDTH)
    return {v.stems[k] for k in range(lo, hi + 1) if k != i and v.content[k]}


def _share_neighbour(d: _View, i: int, r: _View, x: int) -> bool:
    """Whether document word ``i`` and reference word ``x`` speak of the same thing: a shared neighbour.

    An antonym says the opposite only of the same subject: ``cut its dividend`` against
    ``raised its dividend``. ``decreasing net debt`` against ``the increase in our dividend``,
    or ``presents examples`` against ``the past two years``, are two different claims.
    """
    return not _neighbours(d, i).isdisjoint(_neighbours(r, x))


def _first_antonym(opp: tuple[str, ...], win: list[int], r: _View, own: set[str]) -> str | None:
    """The antonym stem the window's content words use first, in text order.

    Walking the window rather than the antonym set keeps the choice (and the
    evidence span) the same whatever the hash seed.
    """
    for j in win:
        for s in r.sent_stems[j]:
            if s in opp and s not in own:
                return s
    return None


_HAS_ANTONYM: dict[str, bool] = {}


def _has_antonym(w: str) -> bool:
    """A lower-case token with an antonym, by stem or through a WordNet sense."""
    return bool(antonyms().get(stem(w))) or bool(antonym_senses(w))


def _window_senses(r: _View, j: int, cache: dict[int, dict[str, int]]) -> dict[str, int]:
    """WordNet sense -> first content word of reference sentence ``j`` having it (cached per call)."""
    out = cache.get(j)
    if out is None:
        out = {}
        for x in r.doc.sentence_words[j]:
            if r.content[x]:
                for sense in senses_of(r.doc.lower[x]):
                    out.setdefault(sense, x)
        cache[j] = out
    return out


def _sense_antonym(word: str, win: list[int], r: _View, own: set[str],
                   cache: dict[int, dict[str, int]]) -> int | None:
    """The reference word of the window that is an antonym of ``word`` through a shared WordNet sense.

    ``increase`` meets ``decrease``, and so any word sharing one of its first
    senses; None when the window also has a synonym of ``word`` (a paraphrase).
    """
    opp = antonym_senses(word)
    if not opp:
        return None
    mine = senses_of(word)
    # An adverb in -ly answers an adverb: ``finally`` (= at last) is no antonym of ``first memories``.
    ly = word.endswith("ly")
    hit = None
    for j in win:
        ws = _window_senses(r, j, cache)
        if any(sense in ws for sense in mine):
            return None
        if hit is None:
            # The earliest such word of the sentence, not the first sense of a set: the same whatever the hash seed.
            hit = min((x for x in (ws[sense] for sense in opp if sense in ws)
                       if r.stems[x] not in own and r.doc.lower[x].endswith("ly") == ly), default=None)
    return hit


def _swaps(d: _View, r: _View, al: _Alignment, config: ConsistencyConfig,
           taken: list[tuple[int, int]], out: list[Finding]) -> tuple[int, int]:
    """(words in close-rewrite sentences, one-for-one swaps there), appending word_swap findings."""
    dsw, rsw = d.doc.sentence_words, r.doc.sentence_words
    dl, rl = d.doc.lower, r.doc.lower
    words = swaps = 0
    cap = config.max_swap_words
    for i, idx in enumerate(dsw):
        j = al.best[i]
        if j < 0 or al.score[i] < config.rewrite_alignment:
            continue
        ridx = rsw[j]
        a = [dl[x] for x in idx]
        b = [rl[x] for x in ridx]
        if not (0.5 <= len(a) / max(1, len(b)) <= 2.0):
            continue
        if a == b:
            words += len(a)
            continue
        sm = SequenceMatcher(None, a, b, autojunk=False)
        blocks = sm.get_matching_blocks()
        matched = sum(m.size for m in blocks)
        if 2.0 * matched / (len(a) + len(b)) < config.rewrite_similarity:
            continue
        words += len(a)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag != "replace" or i2 - i1 > cap or j2 - j1 > cap:
                continue
            if _same_claim(a[i1:i2], b[j1:j2]) or _reference_change(d, idx[i1:i2], a[i1:i2], r, ridx[j1:j2], b[j1:j2]):
                continue
            s, e = _span(d.doc, idx[i1])[0], _span(d.doc, idx[i2 - 1])[1]
            xs, xe = _span(r.doc, ridx[j1])[0], _span(r.doc, ridx[j2 - 1])[1]
            swaps += 1
            if any(s < te and ts < e for ts, te in taken):
                continue
            ref_text = r.doc.text[xs:xe]
            out.append(_finding(d.doc, "consistency.word_swap", s, e,
                                f"close rewrite of the reference: '{ref_text}' became '{d.doc.text[s:e]}'",
                                ref_text, "info", r.doc, (xs, xe)))
    return words, swaps


#: Determiners and pronouns: swapping them (``Our`` -> ``The``), or a name for one of them
#: (``Watson`` -> ``The``, ``UKIP`` -> ``Its``), changes how a thing is referred to, not a word for a synonym.
_REFERRING = frozenset(
    "the a an this that these those his her its their our your my he she it they we you i him them us me".split()
)
_ARTICLES = frozenset(("the", "a", "an"))
_ORDINAL_DIGITS = {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth",
                   "6th": "sixth", "7th": "seventh", "8th": "eighth", "9th": "ninth", "10th": "tenth"}
_NUMBER_DIGITS = {w: str(v) for w, v in NUMBER_WORDS.items() if v <= 12}


def _claim_words(words: list[str]) -> tuple[str, ...]:
    """Words of a swap side in one spelling: articles dropped, ``Q2`` -> second quarter, ``1st`` -> first, ``four`` -> 4."""
    out: list[str] = []
    for w in words:
        if w in _ARTICLES:
            continue
        if w in QUARTER_ORDINALS:
            out += (QUARTER_ORDINALS[w], "quarter")
        else:
            out.append(_ORDINAL_DIGITS.get(w) or _NUMBER_DIGITS.get(w) or w)
    return tuple(out)


def _same_claim(a: list[str], b: list[str]) -> bool:
    """Two spellings of one thing, not a swap: ``first``/``1st``, ``Q2``/``the second quarter``, ``CEO``/``chief executive officer``."""
    return _claim_words(a) == _claim_words(b) or _abbreviates(a, b) or _abbreviates(b, a)


def _abbreviates(short: list[str], long: list[str]) -> bool:
    """``short`` is one 2-6 letter word made of the initials of the several words of ``long``."""
    return (len(short) == 1 and len(long) > 1 and 2 <= len(short[0]) <= 6 and short[0].isalpha()
            and _initials(long) == short[0])


def _reference_change(d: _View, di: list[int], a: list[str], r: _View, ri: list[int], b: list[str]) -> bool:
    """One side only determiners or pronouns, the other too or a name: a change of reference, not a synonym swap."""
    ra, rb = all(w in _REFERRING for w in a), all(w in _REFERRING for w in b)
    if ra and rb:
        return True
    if ra:
        return all(r.doc.words[x][:1].isupper() for x in ri) and not all(w in STOPWORDS for w in b)
    if rb:
        return all(d.doc.words[x][:1].isupper() for x in di) and not all(w in STOPWORDS for w in a)
    return False


# ---------------------------------------------------------------- lexical features


_ZIPF: dict[str, float] = {}


def _zipf(word: str) -> float:
    z = _ZIPF.get(word)
    if z is None:  # wordfreq's tokenization costs ~10 us a word
        z = _text.wordfreq_zipf(word)
        if len(_ZIPF) < 500_000:
            _ZIPF[word] = z
    return z


def _min_zipf(words: Collection[str]) -> float:
    """The lowest zipf frequency of the words: one C-level pass over the cache when it has them all."""
    known = list(map(_ZIPF.get, words))
    return min(map(_zipf, words)) if None in known else min(known)


def _lexical(d: _View, r: _View, config: ConsistencyConfig) -> dict[str, float]:
    words = list(compress(d.doc.lower, d.content))
    cstems = list(compress(d.stems, d.content))
    doc_content = set(cstems)
    novel_stems = doc_content.difference(r.stems)
    novel_flags = list(map(novel_stems.__contains__, cstems))
    novel = set(compress(words, novel_flags))
    # Rarity falls as zipf rises: the rarest word is the one of lowest zipf.
    rz = config.rare_zipf
    rarity = 1.0 - min(_min_zipf(novel), rz) / rz if novel else 0.0
    rbig = set(zip(r.stems, r.stems[1:]))
    n_big = max(0, len(d.stems) - 1)
    ref_content = set(compress(r.stems, r.content))
    return {
        "consistency.novel_word_share": sum(novel_flags) / len(words) if words else 0.0,
        "consistency.novel_rare_max": rarity,
        "consistency.bigram_precision": sum(map(rbig.__contains__, zip(d.stems, d.stems[1:]))) / n_big if n_big else 1.0,
        "consistency.reference_coverage": len(ref_content & doc_content) / len(ref_content) if ref_content else 0.0,
    }


def _window_lexicon(r: _View, win: list[int], cache: dict, n: int, senses: dict[str, tuple[str, ...]]
                    ) -> tuple[set[str], set[str]]:
    """(WordNet senses, ``n``-letter stem prefixes) of the window's content words, cached per call."""
    key = tuple(win)
    out = cache.get(key)
    if out is None:
        lower, content, sw, rss = r.doc.lower, r.content, r.doc.sentence_words, r.sent_stems
        words = chain.from_iterable(
            compress(lower[sw[j][0]:sw[j][-1] + 1], content[sw[j][0]:sw[j][-1] + 1]) for j in win if sw[j])
        out = cache[key] = (set(chain.from_iterable(map(senses.__getitem__, words))),
                            {s[:n] for j in win for s in rss[j] if len(s) >= n})
    return out


def _novelty(d: _View, r: _View, al: _Alignment, config: ConsistencyConfig) -> dict[str, float]:
    """IDF-weighted novelty of each sentence's content words against its *aligned* reference sentences.

    A word absent from the window is *explained* when it shares a WordNet sense with a
    window word (``protesters``/``demonstrators``) or its stem's first letters
    (``investigation``/``investigators``); otherwise *unexplained* (``pink`` where the source says
    ``yellow``). Only a sentence aligned at ``explain_alignment`` or better can have its novel
    words explained: synonyms of a loosely related sentence explain nothing (and looking up
    the senses of every word of an unrelated reference costs ~0.2 ms a pair on first sight).
    Sums run over dict keys in text order (hash-seed independent).
    """
    n, explain = config.derivation_prefix, config.explain_alignment
    wget = al.weight.__getitem__
    senses = token_table(SENSE_TUPLES, r.uniq, sense_tuple)
    form: dict[str, str] | None = None
    cache: dict[tuple[int, ...], tuple[set[str], set[str]]] = {}
    novel = unexplained = 0.0
    total = sum(al.total)
    for i, sset in enumerate(d.sent_stems):
        new = list(filterfalse(al.covered[i].__contains__, sset))
        if not new:
            continue
        new_weight = sum(map(wget, new))
        novel += new_weight
        win = al.window[i]
        if not win or al.score[i] < explain:
            unexplained += new_weight
            continue
        wsenses, prefixes = _window_lexicon(r, win, cache, n, senses)
        if form is None:  # first word form of each stem: senses need a word, not a crude stem
            form = dict(zip(reversed(d.stems), reversed(d.doc.lower)))
        for s in new:
            if len(s) >= n and s[:n] in prefixes:
                continue
            w = form[s]
            mine = senses[w] if w in senses else token_table(SENSE_TUPLES, (w,), sense_tuple)[w]
            if mine and not wsenses.isdisjoint(mine):
                continue
            unexplained += wget(s)
    return {
        "consistency.unexplained_novel_share": unexplained / total if total else 0.0,
        "consistency.unexplained_novel_ratio": unexplained / novel if novel else 0.0,
        "consistency.explained_novel_share": (novel - unexplained) / total if total else 0.0,
    }


# ---------------------------------------------------------------- the family


def _ratio(a: int, b: int, empty: float) -> float:
    return a / b if b else empty


def combined_score(f: dict[str, float], unexplained_weight: float = 0.5) -> float:
    """A transparent 0-1 consistency estimate from the claim checks (no trained model).

    Contradictions, then unsupported numbers, names and dates lower it.
    Lexical novelty is deliberately left out: paraphrase is not error (on
    SummEdits, consistent summaries are the *more* reworded ones); the
    classifier sees the lexical features separately.
    """
    z = (
        2.0
        - 1.5 * f["consistency.contradiction_count"]
        - 1.0 * (1.0 - f["consistency.number_precision"])
        - 1.0 * (1.0 - f["consistency.entity_precision"])
        - 1.0 * (1.0 - f["consistency.date_precision"])
        - unexplained_weight * f["consistency.unexplained_novel_ratio"]
    )
    return 1.0 / (1.0 + math.exp(-z))


def _common_word(low: str) -> bool:
    """An ordinary English word (zipf >= 4): capitalised at a sentence start, not a name."""
    return _zipf(low) >= 4.0


def _analyse(doc: Document, ref: Document | Reference, config: ConsistencyConfig
             ) -> tuple[dict[str, float], list[Finding], list[Judgment]]:
    d, r = _view(doc), (ref.view if isinstance(ref, Reference) else _view(ref))
    doc_lower, ref_lower = d.lower_vocab, r.lower_vocab

    def common(low: str) -> bool:
        """Written in lower case in either text (no union set built: a few dozen words are asked), or frequent."""
        return low in doc_lower or low in ref_lower or _common_word(low)

    dn, dd, de = _units(d, common)
    rn, rd, re_ = _units(r, common)
    al = _align(d, r, config)
    findings: list[Finding] = []
    jn = _judge_numbers(d, r, dn, rn, rd, al, config, findings)
    jd = _judge_dates(d, r, dd, rd, al, config, findings)
    je, local, tc = _judge_entities(d, r, de, re_, al, config, findings)
    neg = _judge_negations(d, r, al, config, findings)
    ant = _judge_antonyms(d, r, al, config, findings)
    taken = [(f.start, f.end) for f in findings]
    rw_words, swaps = _swaps(d, r, al, config, taken, findings)
    judgments = jn + jd + je

    def count(js: list[Judgment], status: str) -> int:
        return sum(j.status == status for j in js)

    n_sent = max(1, len(doc.sentences))
    n_units = len(judgments)
    contradictions = count(judgments, "contradicted") + tc + neg + ant
    scores = al.score or [0.0]
    support = al.support or [0.0]
    features = {
        "consistency.number_precision": _ratio(count(jn, "supported"), len(jn), 1.0),
        "consistency.date_precision": _ratio(count(jd, "supported"), len(jd), 1.0),
        "consistency.entity_precision": _ratio(count(je, "supported"), len(je), 1.0),
        "consistency.entity_local_precision": _ratio(local, len(je), 1.0),
        "consistency.unit_count": n_units / n_sent,
        "consistency.unsupported_unit_share": _ratio(count(judgments, "unsupported"), n_units, 0.0),
        "consistency.contradiction_count": float(contradictions),
        "consistency.contradiction_rate": contradictions / n_sent,
        "consistency.negation_mismatch_count": float(neg),
        "consistency.antonym_count": float(ant),
        "consistency.alignment_mean": sum(scores) / len(scores),
        "consistency.alignment_min": min(scores),
        "consistency.support_min": min(support),
        "consistency.unsupported_sentence_share": sum(s < config.unsupported_support for s in support) / len(support),
        **_lexical(d, r, config),
        "consistency.rewrite_share": rw_words / max(1, len(doc.words)),
        "consistency.rewrite_swap_rate": 100.0 * swaps / rw_words if rw_words else 0.0,
        **_novelty(d, r, al, config),
    }
    features["consistency.score"] = combined_score(features, config.unexplained_weight)
    features = {k: (v if math.isfinite(v) else 0.0) for k, v in ((k, features[k]) for k in FEATURES)}
    findings.sort(key=lambda f: (f.start, f.end, f.code))
    return features, findings, judgments


def judge(doc: Document, ref: Document | Reference, config: ConsistencyConfig | None = None) -> list[Judgment]:
    """Each number, date and entity of ``doc`` with its verdict against ``ref`` (for tests and notebooks)."""
    return _analyse(doc, ref, config or ConsistencyConfig())[2]


def extract(doc: Document, ref: Document | Reference, config: ConsistencyConfig) -> FamilyResult:
    """Consistency features and findings of ``doc`` judged against ``ref``.

    ``ref`` may be a :class:`Reference` (:func:`prepare`): judging many documents against one
    source then builds the source's view and units once; the results are the same.
    """
    features, findings, _ = _analyse(doc, ref, config)
    return FamilyResult(features, findings)
