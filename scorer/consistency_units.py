"""Checkable units of a text for the consistency family, and the lexicons behind them.

A *unit* is a claim that can be looked up in a reference: a number with the
noun it counts (``100,000 troops``), a date or weekday, a named entity with
the title given to it (``NATO Secretary-General Jens Stoltenberg``). Units
are found with regular expressions over ``Document.text`` and with the
Document's word tokens (never a second tokenization of the whole text), and
carry a normalised ``key`` so that ``four`` = ``4``, ``per cent`` = ``%``,
``U.S.`` = ``United States`` and ``Russian`` ~ ``Russia`` compare equal.

Everything is pure and fast: one pass of a few compiled regexes and one walk
over the word list. The antonym table is the only loaded resource (derived
from WordNet 3.0, see :func:`build_antonyms`), read lazily once per process.
"""
from __future__ import annotations

import bisect
from bisect import bisect_right
import re
from dataclasses import dataclass
from collections.abc import Callable, Collection, Iterable
from itertools import chain, compress
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from scorer.document import Document
from scorer.paths import MODELS
from scorer.text import TITLES

ANTONYMS_PATH = MODELS / "consistency_antonyms.tsv"

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it it's its itself just me more most my
    myself no nor not now of off on once only or other our ours ourselves out over own same she should so some
    such than that the their theirs them themselves then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your yours yourself
    said says say told tell also would could may might must shall can will just still even yet however
    mr mrs ms dr per via upon among within without according""".split()
)

#: Words that negate the clause they are in.
NEGATIONS = frozenset(
    "not no never neither nor none nobody nothing nowhere without cannot n't isn't aren't wasn't weren't "
    "don't doesn't didn't won't wouldn't can't couldn't shouldn't hasn't haven't hadn't".split()
)

#: Words that make a capitalised span a title or role rather than a name.
TITLE_WORDS = frozenset(
    """secretary general assistant deputy under vice minister ministers president presidents prime chancellor
    spokesman spokeswoman spokesperson director chief executive chairman chairwoman chair senator sen rep
    representative governor gov mayor judge justice ambassador commissioner king queen prince princess pope
    captain coach manager leader head foreign defence defense finance home interior health education trade
    attorney sergeant colonel lieutenant admiral commander officer envoy speaker state secretary-general
    chancellor premier treasurer founder ceo cfo coo chief-executive professor prof dr mr mrs ms sir lord lady
    dame rev reverend bishop archbishop cardinal general-secretary undersecretary first lady emperor sheikh
    emir sultan crown editor correspondent analyst economist striker midfielder defender goalkeeper boss""".split()
)
#: Titles that carry no role: ``Mr Stoltenberg`` makes no claim about his office.
HONORIFICS = frozenset("mr mrs ms miss dr sir lord lady dame mister madam".split())

#: Whole-name aliases (lower-case, dots removed) mapped to one key.
ALIASES = {
    "us": "us", "usa": "us", "united states": "us", "united states of america": "us", "america": "us",
    "uk": "uk", "united kingdom": "uk", "britain": "uk", "great britain": "uk",
    "eu": "eu", "european union": "eu", "un": "un", "united nations": "un",
    "nato": "nato", "north atlantic treaty organization": "nato", "north atlantic treaty organisation": "nato",
    "american": "us", "americans": "us", "british": "uk", "briton": "uk", "britons": "uk",
    "french": "france", "dutch": "netherlands", "swiss": "switzerland", "welsh": "wales",
    "scottish": "scotland", "scots": "scotland", "irish": "ireland", "english": "england", "greek": "greece",
    "turkish": "turkey", "spanish": "spain", "danish": "denmark", "swedish": "sweden", "polish": "poland",
    "finnish": "finland", "norwegian": "norway", "filipino": "philippines", "peruvian": "peru",
}
_DEMONYM_LONG = ("", "n", "an", "ian", "ese", "ish", "i", "ic", "ns", "ans", "ians", "s", "ern")
_DEMONYM_SHORT = ("", "a", "ia", "e", "y", "ain", "o")

#: Words that look like names but are dates (handled as dates).
CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december jan feb mar apr jun jul aug sep sept oct nov dec gmt bst utc".split()
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")]
    )
    for m in names
}
NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20, "hundredth": 100,
}
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9,
           "trillion": 1e12, "k": 1e3}
_VAGUE = {"a dozen": 12.0, "dozens": 24.0, "scores": 40.0, "hundreds": 300.0, "thousands": 3e3,
          "tens of thousands": 3e4, "hundreds of thousands": 3e5, "millions": 3e6, "billions": 3e9}
#: Words skipped between a number and the noun it counts (``4 long hours``).
_UNIT_SKIP = frozenset(
    "long more extra additional new other straight full consecutive of than a an the some about "
    "nearly almost over under around roughly approximately approx least at most just only further".split()
)

_NUM_WORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
#: A compound number word is a multiple of ten and a unit (``twenty-five``); ``five-six`` is a range, two numbers.
_TENS_WORD = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNIT_WORD = "one|two|three|four|five|six|seven|eight|nine"
_ORD_WORD = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_NUMBER_RE = re.compile(
    rf"""(?<![\w.,$£€])
    (?P<cur>[$£€])?
    (?:
        (?P<time>\d{{1,2}}[:.]\d{{2}}\s*(?:GMT|BST|UTC|ET|EST|[ap]\.?m\.?)|\d{{1,2}}:\d{{2}})
      | (?P<digits>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<dord>st|nd|rd|th)?
      | (?P<vague>tens\s+of\s+thousands|hundreds\s+of\s+thousands|a\s+dozen|dozens|hundreds|thousands|millions|billions)
      | (?P<words>(?:{_TENS_WORD})(?:\s?-\s?|\s)(?:{_UNIT_WORD})|(?:{_NUM_WORD}))
      | (?P<ord>{_ORD_WORD})
      | (?P<qtr>Q[1-4])
    )
    (?P<scale>\s?-?\s?(?:hundred|thousand|million|billion|trillion|bn|mn|m|k)\b)?
    (?P<pct>\s?(?:%|per\s?cent\b|percent\b|percentage\s+points?\b))?
    (?![\w$])""",
    re.I | re.X,
)
_WEEKDAY_RE = re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b", re.I)
_MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December|" \
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_DATE_RE = re.compile(
    rf"""\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?)?
    (?P<m>{_MONTH_NAMES})\b\.?
    (?:\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)?
    (?:,?\s+(?P<y>(?:1[89]|20)\d{{2}})\b)?""",
    re.X,
)
_UNIT_WORD_RE = re.compile(r"\s*-?\s*([A-Za-z][A-Za-z'\u2019]*)")
_DIGITS_RE = re.compile(r"\d+")
_NUMBER_WORD_SEP = re.compile(r"\s?-\s?|\s")  # ``twenty-five``, ``twenty five``, a transcript's ``twenty - five``
#: A determiner right before ``second``: the ordinal (``the second quarter``), not the unit of time.
_BEFORE_NOUN_SECOND = re.compile(r"(?:the|its|his|her|their|a)\s+$", re.I)


class Unit(NamedTuple):
    """One checkable claim: a span of the text and its normalised key.

    ``kind`` is ``number``, ``date`` or ``entity``. ``key`` compares equal
    across surface forms; ``sub`` refines it (the counted noun of a number,
    the date part of a date, the title of a person) and decides which units
    of the reference speak of the same thing.

    An immutable named tuple rather than a frozen dataclass: a pair of
    600-word texts makes ~150 units, and a tuple is built ~4x faster.
    """

    kind: str
    start: int
    end: int
    text: str
    key: tuple
    sub: str
    sentence: int
    title: tuple[str, ...] = ()
    title_span: tuple[int, int] | None = None
    #: end of the phrase a person reads: the number and the noun it counts.
    phrase_end: int = 0


# ---------------------------------------------------------------- words


_CACHE_MAX = 300_000
_STEMS: dict[str, str] = {}
_NAMES: dict[str, str] = {}
_first = itemgetter(0)


def token_table(table: dict, tokens: Iterable[str], fn: Callable[[str], object]) -> dict:
    """``table`` filled with ``fn`` of the ``tokens`` it lacks: one dict lookup per token after that.

    The module tables are bounded; once one is full, a per-call dict is returned instead.
    """
    # A set against a dict: C-level lookups of the set's members in the dict.
    missing = (tokens if isinstance(tokens, set) else set(tokens)).difference(table)
    if not missing:
        return table
    if len(table) + len(missing) <= _CACHE_MAX:
        for w in missing:
            table[w] = fn(w)
        return table
    local = {w: fn(w) for w in missing}
    return _Overlay(table, local)


def token_values(table: dict, tokens: Collection[str], fn: Callable[[str], object],
                 distinct: set[str] | None = None) -> list:
    """``[table[t] for t in tokens]`` at C level, filling the table (:func:`token_table`) only when one is missing.

    Seen texts' words are nearly all in the table already: the lookups alone then answer,
    without first setting the distinct tokens against it. ``distinct``: the set of ``tokens``, if at hand.
    """
    try:
        return list(map(table.__getitem__, tokens))
    except KeyError:
        return list(map(token_table(table, tokens if distinct is None else distinct, fn).__getitem__, tokens))


class _Overlay(dict):
    """A full module table plus this call's missing tokens (rare: only once the table is full)."""

    def __init__(self, base: dict, extra: dict) -> None:
        super().__init__(extra)
        self.base = base

    def __missing__(self, key: str) -> object:
        return self.base[key]


def stem(word: str) -> str:
    """A crude, fast suffix stripper: enough to match ``troops``/``troop``, ``talks``/``talked``.

    Cached in a plain dict (strings only, so the garbage collector never scans it).
    """
    out = _STEMS.get(word)
    if out is None:
        out = _stem(word)
        if len(_STEMS) < _CACHE_MAX:
            _STEMS[word] = out
    return out


#: Irregular verb forms, so that ``fell`` meets its antonym ``rose`` via ``fall``/``rise``.
_IRREGULAR = {
    "rose": "rise", "risen": "rise", "fell": "fall", "fallen": "fall", "won": "win", "lost": "lose",
    "sold": "sell", "bought": "buy", "grew": "grow", "grown": "grow", "began": "begin", "begun": "begin",
    "left": "leave", "came": "come", "went": "go", "gone": "go", "gave": "give", "given": "give", "took": "take",
    "taken": "take", "made": "make", "found": "find", "kept": "keep", "held": "hold", "brought": "bring",
    "shrank": "shrink", "shrunk": "shrink", "lent": "lend", "spent": "spend", "paid": "pay", "sent": "send",
    "built": "build", "met": "meet", "led": "lead", "knew": "know", "known": "know", "rang": "ring",
}


#: Fiscal quarters written ``Q1``..``Q4`` and the ordinal each stands for: ``Q2`` stems as
#: ``second``, so that ``Q2`` and ``second quarter`` overlap.
QUARTER_ORDINALS = {"q1": "first", "q2": "second", "q3": "third", "q4": "fourth"}
#: Fiscal quarters: numbers (``first quarter``), never names.
QUARTERS = frozenset(QUARTER_ORDINALS)


def _stem(word: str) -> str:
    w = word.lower()
    if w in QUARTER_ORDINALS:
        return QUARTER_ORDINALS[w]
    if w in _IRREGULAR:
        return _IRREGULAR[w].replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "xes", "ches", "shes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ing") and len(w) > 5:
        w = w[:-3]
    elif w.endswith("ed") and len(w) > 4:
        w = w[:-2] if not w.endswith("ied") else w[:-3] + "y"
    elif w.endswith("ly") and len(w) > 5:
        w = w[:-2]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def norm_name(token: str) -> str:
    """Lower-case, dots and possessive removed: ``U.S.`` -> ``us``, ``Russia's`` -> ``russia``."""
    out = _NAMES.get(token)
    if out is None:
        out = _norm_name(token)
        if len(_NAMES) < _CACHE_MAX:
            _NAMES[token] = out
    return out


_PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s")


def _norm_name(token: str) -> str:
    if _PLURAL_ACRONYM.fullmatch(token):  # ``CNNs``, ``NGOs``: the acronym's plural names the same thing
        token = token[:-1]
    t = token.lower().replace("\u2019", "'")
    if t.endswith("'s"):
        t = t[:-2]
    elif t.endswith("'"):
        t = t[:-1]
    return t.replace(".", "")


def demonym_match(a: str, b: str) -> bool:
    """``russian`` ~ ``russia``, ``british`` ~ ``britain``, but not ``austria`` ~ ``australia``."""
    if a == b:
        return True
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    if n < 4:
        return False
    ra, rb = a[n:], b[n:]
    if len(ra) < len(rb):
        ra, rb = rb, ra
    return ra in _DEMONYM_LONG and rb in _DEMONYM_SHORT


# ---------------------------------------------------------------- numbers and dates


def _sentence_of(doc: Document, offset: int, starts: list[int]) -> int:
    return max(0, bisect.bisect_right(starts, offset) - 1)


def _unit_noun(text: str, pos: int) -> tuple[str, int]:
    """Stem of the noun a number counts and where it ends: the next word, skipping ``long``, ``of``..."""
    start = pos
    for _ in range(3):
        m = _UNIT_WORD_RE.match(text, pos)
        if not m:
            break
        word = m.group(1).lower()
        pos = m.end()
        if word in _UNIT_SKIP or word in _SCALES or word in NUMBER_WORDS:
            continue
        if word in STOPWORDS:
            break
        return stem(word), pos
    return "", start


def _number_value(g: dict[str, str | None]) -> tuple[str, float] | None:
    """(kind, value) of a number match's groups; None for matches that are not claims (``one of``)."""
    if g["time"]:
        digits = _DIGITS_RE.findall(g["time"])
        return "time", float(int(digits[0]) * 60 + int(digits[1]))
    if g["qtr"]:
        return "qtr", float(g["qtr"][1])  # ``Q2`` = ``second quarter``
    if g["digits"]:
        value = float(g["digits"].replace(",", ""))
        kind = "ord" if g["dord"] else "num"
    elif g["vague"]:
        value = _VAGUE[" ".join(g["vague"].lower().split())]
        kind = "vague"
    elif g["words"]:
        parts = _NUMBER_WORD_SEP.split(g["words"].lower())
        value = float(sum(NUMBER_WORDS[p] for p in parts))
        kind = "num"
    else:
        value = float(_ORDINALS[g["ord"].lower()])
        kind = "ord"
    if g["scale"]:
        scale = g["scale"].strip(" -").lower()
        if scale in ("m", "k", "bn", "mn") and not (g["cur"] or g["digits"]):
            return None
        value *= _SCALES[scale]
    if g["pct"]:
        kind = "pct"
    elif g["cur"]:
        kind = "money"
    return kind, value


def _is_claim(text: str, m: re.Match, g: dict[str, str | None]) -> bool:
    """Leave out readings that are not numbers: ``one of them``, ``a second``, ``no one`` (``g``: groups of ``m``)."""
    word = (g["words"] or g["ord"] or "").lower()
    if word == "one" and not (g["scale"] or text[m.end():m.end() + 1] == "-"):
        return False
    if word == "second" and not _BEFORE_NOUN_SECOND.search(text, max(0, m.start() - 7), m.start()):
        return False
    if g["ord"] and _is_sequence_adverb(text, m):
        return False
    if g["digits"] and not (g["cur"] or g["scale"] or g["pct"] or g["dord"]):
        # Parts of identifiers, URLs, handles: ``pic.twitter.com/x1``, ``@user2``.
        before = text[m.start() - 1:m.start()] if m.start() else ""
        if before in "/#@-" and before:
            return False
        if _is_list_marker(text, m.start(), m.end()):
            return False
    return True


def _is_list_marker(text: str, s: int, e: int) -> bool:
    """``(8)``, or ``8)`` / ``8.`` opening a line: the number of an item, not a claim (``(2020)`` stays a year)."""
    after = text[e:e + 1]
    if after not in (")", ".") or e - s > 2 or not text[s:e].isdigit():
        return False
    if after == ")" and text[s - 1:s] == "(" and s:
        return True
    if after == "." and text[e + 1:e + 2] not in (" ", "\t"):
        return False
    line_start = text.rfind("\n", 0, s) + 1
    return text[line_start:s].strip() == ""


def _is_sequence_adverb(text: str, m: re.Match) -> bool:
    """``First, ...``, ``Second: ...``: an ordinal word ordering what is said, not counting anything."""
    return text[m.end():m.end() + 1] in (",", ":", ";")


_NUMBER_STARTS = frozenset(NUMBER_WORDS) | frozenset(_ORDINALS) | QUARTERS | frozenset(
    "tens hundreds thousands millions billions dozens scores a".split()
)


def is_number_start(w: str) -> bool:
    """A token that may start a number (digits, number words); ``a`` only before ``dozen``."""
    # ``a`` alone starts a number only in ``a dozen``: handled in :func:`_number_starts`.
    return w[0].isdigit() or (w in _NUMBER_STARTS and w != "a") or ("-" in w and w.split("-", 1)[0] in _NUMBER_STARTS)


_NUM_START: dict[str, bool] = {}


def _number_starts(doc: Document, idx: list[int] | None = None) -> list[int]:
    """Offsets where a number may start: digit tokens and number words (a cheap filter before the regex).

    ``idx`` (the words for which :func:`is_number_start` holds) may be passed by a caller that has them.
    """
    text, lower, starts = doc.text, doc.lower, doc.word_starts
    if idx is None:
        flags = token_table(_NUM_START, set(lower), is_number_start)
        idx = list(compress(range(len(lower)), map(flags.__getitem__, lower)))
    if "dozen" in text.lower():
        # ``a`` is a candidate only before ``dozen`` (the only number ``_NUMBER_RE`` reads from it).
        extra = [k for k, w in enumerate(lower[:-1]) if w == "a" and lower[k + 1].startswith("dozen")]
        if extra:
            idx = sorted(idx + extra)
    out = []
    for k in idx:
        s = starts[k]
        if s and text[s - 1] in "$£€":
            s -= 1
        out.append(s)
    return out


def number_units(doc: Document, starts: list[int], date_spans: list[tuple[int, int]],
                 idx: list[int] | None = None) -> list[Unit]:
    """Numbers and quantities with the noun they count, ``four`` = ``4``, ``per cent`` = ``%``.

    ``idx``: the words that may start a number (:func:`is_number_start`), when the caller has them.
    """
    text = doc.text
    out = []
    di = 0
    last = -1
    for pos in _number_starts(doc, idx):
        if pos < last:
            continue
        m = _NUMBER_RE.match(text, pos)
        if m is None:
            continue
        s, e = m.span()
        while di < len(date_spans) and date_spans[di][1] <= s:
            di += 1
        if di < len(date_spans) and date_spans[di][0] < e:
            continue
        g = m.groupdict()
        if not _is_claim(text, m, g):
            continue
        kv = _number_value(g)
        if kv is None:
            continue
        last = e
        kind, value = kv
        sentence = max(0, bisect_right(starts, s) - 1)
        if kind == "num" and g["digits"] and len(g["digits"]) == 4 and 1800 <= value <= 2100 and "," not in g["digits"]:
            out.append(Unit("date", s, e, text[s:e], ("year", int(value)), "year", sentence))
            continue
        if g["qtr"]:
            noun, phrase_end = "quarter", e
        else:
            noun, phrase_end = ("", e) if kind == "time" else _unit_noun(text, e)
            if kind == "ord" and noun == "quarter":
                kind = "qtr"  # a fiscal quarter: equal only to a quarter (``Q2``), not to any 2
        out.append(Unit("number", s, e, text[s:e], (kind, value), noun, sentence, phrase_end=phrase_end))
    return out


def date_units(doc: Document, starts: list[int], idx: list[int] | None = None) -> list[Unit]:
    """Weekdays and calendar dates; ``12 January 2022`` = ``January 12, 2022``.

    ``idx``: the weekday and month words (:func:`is_date_token`), when the caller has them.
    """
    text = doc.text
    out: list[Unit] = []
    wstarts, words, lower = doc.word_starts, doc.words, doc.lower
    if idx is None:
        uniq = set(lower)
        flags = token_table(_DATE_TOKEN, uniq, is_date_token)
        if not any(map(flags.__getitem__, uniq)):
            return out
        idx = list(compress(range(len(lower)), map(flags.__getitem__, lower)))
    for k in idx:
        w = lower[k]
        base = w[:-2] if w.endswith("'s") else w
        if base in _WEEKDAY_SET:
            s = wstarts[k]
            e = s + len(base)
            out.append(Unit("date", s, e, text[s:e], ("weekday", base), "weekday", _sentence_of(doc, s, starts)))
            continue
        if base.rstrip(".") not in MONTHS:
            continue
        s = wstarts[k]
        if k and lower[k - 1][:1].isdigit() and s - (wstarts[k - 1] + len(words[k - 1])) <= 2:
            s = wstarts[k - 1]
        elif k > 1 and lower[k - 1] == "of" and lower[k - 2][:1].isdigit():
            s = wstarts[k - 2]
        m = _DATE_RE.match(text, s)
        if m is None or (out and out[-1].end > s):
            continue
        month_word = m.group("m")
        day = m.group("d1") or m.group("d2")
        year = m.group("y")
        if not month_word[0].isupper():
            continue
        if month_word.lower() in ("may", "march", "mar", "jan", "sept", "sep", "dec") and not (day or year):
            continue
        e = m.end()
        month = MONTHS[month_word.lower()]
        key = ("date", month, int(day) if day else 0, int(year) if year else 0)
        out.append(Unit("date", s, e, text[s:e].rstrip(), key, "date", _sentence_of(doc, s, starts)))
    return out


_WEEKDAY_SET = frozenset(WEEKDAYS)
_DATE_TOKEN: dict[str, bool] = {}


def is_date_token(w: str) -> bool:
    """A weekday or month word (possibly possessive): the only tokens :func:`date_units` looks at."""
    base = w[:-2] if w.endswith("'s") else w
    return base in _WEEKDAY_SET or base.rstrip(".") in MONTHS


# ---------------------------------------------------------------- entities


def _headline_sentences(doc: Document, caps: list[int]) -> set[int]:
    """Sentences in capitals (``KEY RESULTS OF THE MEETING``): capitals there are not names.

    ``caps``: indices of the words starting with a capital (:func:`capitalised`).
    """
    out: set[int] = set()
    words, sent = doc.words, doc.word_sentence
    # Only sentences with a word in capitals can be headlines: a cheap filter before counting.
    # ``str.isupper`` over the capitalised words at C level; the few in capitals then checked for length.
    shouting = compress(caps, map(str.isupper, map(words.__getitem__, caps)))
    cands = {sent[i] for i in shouting if len(words[i]) > 1}
    sentence_words = doc.sentence_words
    for si in cands:
        idx = sentence_words[si]
        ws = words[idx[0]:idx[-1] + 1]  # a sentence's words are consecutive
        # A headline has two words in capitals at least (70% of two or more); most candidates
        # hold one acronym (``US``, ``BBC``) and are passed over on that count alone.
        if sum(map(str.isupper, ws)) < 2:
            continue
        alpha = list(compress(ws, map(str.isalpha, map(_first, ws))))
        if len(alpha) >= 2 and sum(map(str.isupper, alpha)) >= 0.7 * len(alpha):
            out.add(si)
    return out


def lowercase_vocab(doc: Document) -> set[str]:
    """Words the text writes in lower case somewhere: capitalised only at a sentence start."""
    return set(compress(doc.lower, map(str.islower, map(_first, doc.words))))


def entity_units(doc: Document, starts: list[int], common: Callable[[str], bool],
                 caps: list[int] | None = None) -> list[Unit]:
    """Capitalised spans split into title and name: ``NATO Assistant General | Jens Stoltenberg``.

    ``common(word)`` is true for a lower-case word that is an ordinary word
    (seen in lower case in the texts, or frequent in English): capitalised
    at a sentence start it is not a name. ``caps`` (indices of the words
    starting with a capital) may be passed by a caller that has them already.
    """
    words, wstarts, lower, sent = doc.words, doc.word_starts, doc.lower, doc.word_sentence
    text = doc.text
    n = len(words)
    if caps is None:
        caps = capitalised(doc)
    if not caps:
        return []
    skip = _headline_sentences(doc, caps)
    first = {idx[0] for idx in doc.sentence_words if idx}
    out: list[Unit] = []
    block = token_table(_NAME_BLOCK, {lower[i] for i in caps}, _blocks_name)
    done = 0
    # Inlined _is_name_token / _joined: this loop visits every capitalised word.
    for i in caps:
        if i < done:
            continue
        w = words[i]
        low = lower[i]
        b = block[low]
        if b and (b == 2 or not w.isupper()):
            continue
        if not (w.isupper() and len(w) > 1) and (low in STOPWORDS or common(low)) and low not in TITLE_WORDS \
                and (i in first or _after_abbreviation(doc, i)):
            continue
        si = sent[i]
        if si in skip:
            continue
        j = i + 1
        while j < n and sent[j] == si:
            # The next word must be capitalised (or a connector before one), and joined to this one.
            wj = words[j]
            if wj[:1].isupper() and not ((b := block[lower[j]]) and (b == 2 or not wj.isupper())):
                step = 1
            elif lower[j] in _CONNECTORS and j + 1 < n and sent[j + 1] == si \
                    and words[j + 1][:1].isupper() and _joined(text, wstarts[j] + len(wj), wstarts[j + 1]):
                step = 2
            else:
                break
            prev = words[j - 1]
            gap = text[wstarts[j - 1] + len(prev):wstarts[j]]
            if len(prev) == 1 and prev.isupper() and gap.startswith("."):
                gap = gap[1:]
            if not (len(gap) <= 2 and gap.strip() == ""):
                break
            j += step
        # a lone capital letter is no checkable name (the pronoun ``I``, a speaker's initial)
        unit = None if j == i + 1 and len(w) == 1 else _split_title(doc, i, j, starts)
        if unit is not None:
            out.append(unit)
        done = j
    return out


def _after_abbreviation(doc: Document, i: int) -> bool:
    """Word ``i`` follows a period that the sentence splitter read as an abbreviation's (``El Al. Previously``):
    it may start a sentence. Not after a title (``Mr. Brown``) or an initialism (``U.S. Army``)."""
    if i == 0:
        return False
    prev = doc.words[i - 1]
    end = doc.word_starts[i - 1] + len(prev)
    return doc.text.startswith(".", end) and prev.isalpha() and not prev.isupper() and prev.lower() not in TITLES


_CONNECTORS = frozenset(("of", "for", "de", "al", "bin", "van", "von"))


def capitalised(doc: Document) -> list[int]:
    """Indices of the words whose first character is upper case (name candidates)."""
    return list(compress(range(len(doc.words)), map(str.isupper, map(_first, doc.words))))


_NAME_BLOCK: dict[str, int] = {}


def _blocks_name(low: str) -> int:
    """1: a stopword or calendar word, capitalised still not a name (unless in capitals); 2: never a name (``Q2``)."""
    if low in QUARTERS:
        return 2
    return int(low in STOPWORDS or norm_name(low) in CALENDAR)


def _joined(text: str, end: int, start: int, before: str = "") -> bool:
    """Two tokens belong to one name when only spaces (or the period of an initial) separate them."""
    gap = text[end:start]
    if len(before) == 1 and before.isupper() and gap.startswith("."):
        gap = gap[1:]
    return len(gap) <= 2 and gap.strip() == ""


_TITLE_TOKEN: dict[str, bool] = {}
_TITLE_PARTS: dict[str, tuple[str, ...]] = {}
_NAME_KEY: dict[str, tuple[str, ...]] = {}


def _is_title_token(low: str) -> bool:
    out = _TITLE_TOKEN.get(low)
    if out is None:
        out = all(p in TITLE_WORDS for p in low.replace("'s", "").split("-") if p)
        if len(_TITLE_TOKEN) < _CACHE_MAX:
            _TITLE_TOKEN[low] = out
    return out


def _title_parts(low: str) -> tuple[str, ...]:
    """The words a title token contributes: ``secretary-general`` -> (secretary, general); no honorifics."""
    out = _TITLE_PARTS.get(low)
    if out is None:
        out = tuple(p for p in low.replace("'s", "").split("-") if p and p not in HONORIFICS and p not in ("of", "the"))
        if len(_TITLE_PARTS) < _CACHE_MAX:
            _TITLE_PARTS[low] = out
    return out


def _name_key(name: str) -> tuple[str, ...]:
    """Normalised tokens of a name, or its alias: ``U.S.`` -> (us,), ``United States`` -> (us,)."""
    out = _NAME_KEY.get(name)
    if out is None:
        tokens = [norm_name(t) for t in name.replace(". ", " ").split() if t]
        out = tuple(tokens)
        joined = " ".join(tokens)
        if joined in ALIASES:
            out = (ALIASES[joined],)
        if len(_NAME_KEY) < _CACHE_MAX:
            _NAME_KEY[name] = out
    return out


def _split_title(doc: Document, i: int, j: int, starts: list[int]) -> Unit | None:
    """One capitalised run -> an entity unit for the name, with the title in front of it."""
    lower = doc.lower
    k = j
    title_token = _TITLE_TOKEN.get
    while k > i:
        t = title_token(lower[k - 1])
        if t is None:
            t = _is_title_token(lower[k - 1])
        if t:
            break
        k -= 1
    # k..j is the trailing run of non-title words: the name (possibly an organisation).
    name_start = k
    if name_start == j:
        return None  # only titles (``the President``): no name to check
    wstarts, words, text = doc.word_starts, doc.words, doc.text
    # A run ``of`` ... leaves connectors inside the name; titles are what comes before.
    t0 = i
    # Extend the title left over lower-case role words (``Kremlin spokesman Dmitry Peskov``).
    if i > 0 and lower[i - 1] in TITLE_WORDS:
        ws = doc.word_sentence
        while t0 > 0 and ws[t0 - 1] == ws[i] and lower[t0 - 1] in TITLE_WORDS \
                and i - t0 < 3 and _joined(text, wstarts[t0 - 1] + len(words[t0 - 1]), wstarts[t0]):
            t0 -= 1
    has_role = False
    title: tuple[str, ...] = ()
    if t0 < name_start:
        title = tuple(chain.from_iterable(map(_title_parts, lower[t0:name_start])))
        has_role = any(p in TITLE_WORDS for p in title)
    s, e = wstarts[name_start], wstarts[j - 1] + len(words[j - 1])
    if "." in text[s:e] and text[e:e + 1] == ".":  # keep the last dot of ``U.S.``
        e += 1
    name = text[s:e]
    if name.endswith(("'s", "\u2019s")):
        e -= 2
        name = name[:-2]
    key = _name_key(name)
    # The name's first word lies inside its sentence: its sentence is the one whose span holds ``s``.
    if has_role:
        return Unit("entity", s, e, name, key, "person" if title else "name", doc.word_sentence[name_start],
                    title, (wstarts[t0], wstarts[name_start - 1] + len(words[name_start - 1])))
    return Unit("entity", s, e, name, key, "name", doc.word_sentence[name_start], (), None)


# ---------------------------------------------------------------- antonyms


def build_antonyms(wordnet_dir: str | Path = "/usr/share/wordnet", out: Path = ANTONYMS_PATH) -> int:
    """Compile direct antonym pairs (WordNet 3.0 ``!`` pointers) to a small TSV under models/.

    Run once by a developer: ``python -m scorer.consistency_units``. The
    file is a derived artifact (pairs of lemmas); its header names the source.
    """
    pairs: set[tuple[str, str]] = set()
    root = Path(wordnet_dir)
    for pos in ("adj", "adv", "verb", "noun"):
        offsets: dict[str, list[str]] = {}
        rows = []
        for line in (root / f"data.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue
            parts = line.split(" ")
            n_words = int(parts[3], 16)
            lemmas = [parts[4 + 2 * k].lower() for k in range(n_words)]
            offsets[parts[0]] = lemmas
            p = 4 + 2 * n_words
            n_ptr = int(parts[p])
            for k in range(n_ptr):
                sym, off, _ps, srctgt = parts[p + 1 + 4 * k: p + 5 + 4 * k]
                if sym == "!":
                    rows.append((lemmas, off, srctgt))
        for lemmas, off, srctgt in rows:
            src, tgt = int(srctgt[:2], 16), int(srctgt[2:], 16)
            target = offsets.get(off)
            if not target:
                continue
            a = lemmas[src - 1] if src else None
            b = target[tgt - 1] if tgt else None
            if a and b and "_" not in a and "_" not in b:
                a = re.sub(r"\(.*\)$", "", a)
                b = re.sub(r"\(.*\)$", "", b)
                pairs.add((min(a, b), max(a, b)))
    pairs.update((min(a, b), max(a, b)) for a, b in EXTRA_ANTONYMS)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        f.write("# antonym pairs: WordNet 3.0 direct antonyms (Princeton WordNet licence; Debian wordnet-base)"
                " plus scorer.consistency_units.EXTRA_ANTONYMS\n")
        for a, b in sorted(pairs):
            f.write(f"{a}\t{b}\n")
    return len(pairs)


#: News antonyms WordNet lists only indirectly.
EXTRA_ANTONYMS = [
    ("rise", "fall"), ("increase", "decrease"), ("increase", "fall"), ("rise", "decline"), ("gain", "loss"),
    ("win", "lose"), ("won", "lost"), ("before", "after"), ("higher", "lower"), ("more", "less"),
    ("more", "fewer"), ("most", "least"), ("first", "last"), ("early", "late"), ("earlier", "later"),
    ("accept", "reject"), ("approve", "reject"), ("allow", "ban"), ("allow", "forbid"), ("support", "oppose"),
    ("agree", "disagree"), ("confirm", "deny"), ("admit", "deny"), ("guilty", "innocent"), ("profit", "loss"),
    ("strong", "weak"), ("success", "failure"), ("succeed", "fail"), ("open", "close"), ("opened", "closed"),
    ("start", "end"), ("begin", "end"), ("up", "down"), ("buy", "sell"), ("bought", "sold"),
    ("above", "below"), ("over", "under"), ("inside", "outside"), ("north", "south"), ("east", "west"),
    ("public", "private"), ("domestic", "foreign"), ("import", "export"), ("lend", "borrow"),
    ("always", "never"), ("include", "exclude"), ("majority", "minority"), ("maximum", "minimum"),
    ("largest", "smallest"), ("biggest", "smallest"), ("highest", "lowest"), ("best", "worst"),
    ("better", "worse"), ("positive", "negative"), ("optimistic", "pessimistic"), ("legal", "illegal"),
    ("expand", "shrink"), ("grow", "shrink"), ("boost", "cut"), ("raise", "lower"), ("hire", "fire"),
    ("arrive", "leave"), ("enter", "exit"), ("attack", "defend"), ("victory", "defeat"), ("peace", "war"),
    ("friend", "enemy"), ("ally", "enemy"), ("ally", "rival"), ("cheap", "expensive"), ("rich", "poor"),
    ("increase", "decline"), ("increase", "drop"), ("rise", "drop"), ("growth", "decline"), ("gain", "drop"),
    ("surge", "plunge"), ("upturn", "downturn"), ("boom", "slump"), ("ahead", "behind"), ("forward", "back"),
]


_ANTONYMS: dict[str, tuple[str, ...]] | None = None


def _antonym_pairs() -> list[tuple[str, str]]:
    """Lemma pairs of the compiled table (the hand list when the table is missing)."""
    if not ANTONYMS_PATH.exists():
        return list(EXTRA_ANTONYMS)
    pairs = []
    for line in ANTONYMS_PATH.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            a, _, b = line.partition("\t")
            pairs.append((a, b))
    return pairs


def antonyms() -> dict[str, tuple[str, ...]]:
    """Stem -> stems of its antonyms (sorted), loaded once per process.

    Tuples rather than frozensets, as for the WordNet senses: they drop out of
    the garbage collector's lists (a word has one to three antonyms, so lookups stay cheap).
    """
    global _ANTONYMS
    if _ANTONYMS is None:
        table: dict[str, set[str]] = {}
        for a, b in _antonym_pairs():
            sa, sb = stem(a), stem(b)
            if sa != sb:
                table.setdefault(sa, set()).add(sb)
                table.setdefault(sb, set()).add(sa)
        _ANTONYMS = {k: tuple(sorted(v)) for k, v in table.items()}
    return _ANTONYMS


# ---------------------------------------------------------------- WordNet senses

WORDNET_PATH = MODELS / "consistency_wordnet.tsv"
#: Senses kept per lemma and part of speech (WordNet lists the most frequent first).
_TOP_SENSES = 3
_POS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}


def build_wordnet(wordnet_dir: str | Path = "/usr/share/wordnet", out: Path = WORDNET_PATH,
                  min_zipf: float = 1.5, with_hypernyms: bool = False) -> int:
    """Compile single-word lemmas (wordfreq zipf >= ``min_zipf``) with their first senses and inflection exceptions.

    Noun/verb hypernyms only with ``with_hypernyms`` (not used at run time yet).

    Lines: ``w<TAB>lemma<TAB>synset ...`` (synset = pos letter + offset),
    ``h<TAB>synset<TAB>hypernym ...`` and ``x<TAB>inflected<TAB>lemma``.
    A derived artifact of WordNet 3.0 (Princeton WordNet licence, Debian ``wordnet-base``).
    """
    from wordfreq import zipf_frequency

    root = Path(wordnet_dir)
    lemmas: dict[str, list[str]] = {}
    used: set[str] = set()
    for pos, letter in _POS.items():
        for line in (root / f"index.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith(" "):
                continue
            parts = line.split()
            lemma = parts[0]
            if not re.fullmatch(r"[a-z][a-z\-']*", lemma):
                continue
            n_synsets = int(parts[2])
            offsets = parts[-n_synsets:][:_TOP_SENSES]
            ids = [letter + o for o in offsets]
            if zipf_frequency(lemma.replace("-", " "), "en") < min_zipf:
                continue
            lemmas.setdefault(lemma, []).extend(ids)
            used.update(ids)
    hypers: dict[str, list[str]] = {}
    for pos in ("noun", "verb") if with_hypernyms else ():
        letter = _POS[pos]
        for line in (root / f"data.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue
            parts = line.split(" ")
            sid = letter + parts[0]
            if sid not in used:
                continue
            n_words = int(parts[3], 16)
            p = 4 + 2 * n_words
            n_ptr = int(parts[p])
            hs = [_POS_LETTER.get(parts[p + 3 + 4 * k], "?") + parts[p + 2 + 4 * k]
                  for k in range(n_ptr) if parts[p + 1 + 4 * k] in ("@", "@i")]
            if hs:
                hypers[sid] = hs
    exceptions: dict[str, str] = {}
    for pos in _POS:
        path = root / f"{pos}.exc"
        if path.exists():
            for line in path.read_text(encoding="latin-1").splitlines():
                parts = line.split()
                if len(parts) >= 2 and parts[1] in lemmas:
                    exceptions.setdefault(parts[0], parts[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        f.write(f"# WordNet 3.0 (Princeton WordNet licence; Debian wordnet-base): first {_TOP_SENSES} senses of "
                "single-word lemmas (w), hypernyms of noun/verb senses (h), inflection exceptions (x). "
                "Rebuild: python -m scorer.consistency_units\n")
        for lemma in sorted(lemmas):
            f.write(f"w\t{lemma}\t{' '.join(lemmas[lemma])}\n")
        for sid in sorted(hypers):
            f.write(f"h\t{sid}\t{' '.join(hypers[sid])}\n")
        for word in sorted(exceptions):
            f.write(f"x\t{word}\t{exceptions[word]}\n")
    return len(lemmas)


_POS_LETTER = {"n": "n", "v": "v", "a": "a", "s": "a", "r": "r"}


@dataclass(frozen=True, slots=True)
class Senses:
    """The compiled WordNet table: lemma -> senses, sense -> hypernyms, inflected form -> lemma.

    Senses are tuples, not frozensets: a tuple of strings drops out of the
    garbage collector's lists, while ~53,000 frozensets stayed tracked and
    made every full collection of a scoring process tens of milliseconds slower.
    """

    senses: dict[str, tuple[str, ...]]
    hypernyms: dict[str, tuple[str, ...]]
    exceptions: dict[str, str]


_WORDNET: Senses | None = None
_EMPTY: frozenset[str] = frozenset()


def wordnet() -> Senses:
    """The WordNet table, loaded once per process (empty when the file is missing)."""
    global _WORDNET
    if _WORDNET is None:
        senses: dict[str, tuple[str, ...]] = {}
        hypers: dict[str, tuple[str, ...]] = {}
        exc: dict[str, str] = {}
        if WORDNET_PATH.exists():
            with WORDNET_PATH.open(encoding="utf-8") as f:
                next(f)
                for line in f:
                    kind, key, val = line.rstrip("\n").split("\t")
                    if kind == "w":
                        senses[key] = tuple(val.split())
                    elif kind == "h":
                        hypers[key] = tuple(val.split())
                    else:
                        exc[key] = val
        _WORDNET = Senses(senses, hypers, exc)
    return _WORDNET


_LEMMA_CACHE: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""),
             ("s", ""), ("er", ""), ("est", ""), ("ly", ""), ("er", "e"), ("est", "e"))


def _lemmas(word: str) -> list[str]:
    """WordNet lemmas of a lower-case word form, inflections reduced morphy-style (uncached)."""
    wn = wordnet()
    found = [word] if word in wn.senses else []
    base = wn.exceptions.get(word)
    if base is not None:
        found.append(base)
    for suf, rep in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            cand = word[: -len(suf)] + rep
            if cand not in wn.senses and len(cand) > 3 and cand[-1] == cand[-2]:
                cand = cand[:-1]  # stopped -> stop
            if cand in wn.senses:
                found.append(cand)
    return found


def _lemma_info(word: str) -> tuple[frozenset[str], frozenset[str]]:
    """(WordNet lemmas, their senses) of a lower-case word form; cached."""
    out = _LEMMA_CACHE.get(word)
    if out is not None:
        return out
    wn = wordnet()
    lemmas = frozenset(_lemmas(word))
    senses = frozenset().union(*(wn.senses[x] for x in lemmas)) if lemmas else _EMPTY
    out = (lemmas, senses)
    if len(_LEMMA_CACHE) < _CACHE_MAX:
        _LEMMA_CACHE[word] = out
    return out


#: lower-case word form -> its WordNet senses as a tuple, for every token of a reference.
SENSE_TUPLES: dict[str, tuple[str, ...]] = {}


def sense_tuple(word: str) -> tuple[str, ...]:
    """WordNet senses of a lower-case word form, as a tuple of strings (uncached).

    For tables filled with every word of every text: a tuple of strings drops out
    of the garbage collector's lists, a frozenset (``senses_of``) stays tracked and
    makes every full collection slower (measured: 245 -> 202 pairs/s in ``scorer.bench``).
    """
    senses = wordnet().senses
    return tuple(dict.fromkeys(chain.from_iterable(senses[x] for x in _lemmas(word))))


def senses_of(word: str) -> frozenset[str]:
    """WordNet senses of a lower-case word form (its first senses as noun, verb, adjective, adverb)."""
    return _lemma_info(word)[1]


_ANTONYM_LEMMAS: dict[str, tuple[str, ...]] | None = None
_ANT_SENSES: dict[str, frozenset[str]] = {}


def _antonym_lemmas() -> dict[str, tuple[str, ...]]:
    global _ANTONYM_LEMMAS
    if _ANTONYM_LEMMAS is None:
        table: dict[str, set[str]] = {}
        for a, b in _antonym_pairs():
            table.setdefault(a, set()).add(b)
            table.setdefault(b, set()).add(a)
        _ANTONYM_LEMMAS = {k: tuple(sorted(v)) for k, v in table.items()}
    return _ANTONYM_LEMMAS


def antonym_senses(word: str) -> frozenset[str]:
    """Senses of the antonyms of a word form: ``increase`` -> senses of ``decrease`` (which ``decline`` shares)."""
    out = _ANT_SENSES.get(word)
    if out is None:
        table, wn = _antonym_lemmas(), wordnet()
        opp = {a for lemma in _lemma_info(word)[0] | {word} for a in table.get(lemma, ())}
        out = frozenset().union(*(wn.senses.get(a, _EMPTY) for a in opp)) if opp else _EMPTY
        if len(_ANT_SENSES) < _CACHE_MAX:
            _ANT_SENSES[word] = out
    return out


def hypernyms_of(senses: frozenset[str]) -> set[str]:
    """Direct hypernym senses of a set of senses."""
    hy = wordnet().hypernyms
    return {h for s in senses for h in hy.get(s, ())}


if __name__ == "__main__":
    import argparse

    argparse.ArgumentParser(prog="python -m scorer.consistency_units",
                            description="Compile the antonym pairs and the WordNet sense table under models/ from "
                            "the Debian WordNet files.").parse_args()
    print(f"{build_antonyms()} antonym pairs written to {ANTONYMS_PATH}")
    print(f"{build_wordnet()} lemmas written to {WORDNET_PATH}")
