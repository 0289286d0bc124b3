"""Readability family: classic formulas over the shared Document pass.

All counts come from :class:`scorer.document.Document` (one tokenization, one
syllable lookup per word); every formula here is arithmetic over a handful of
counts gathered in a single pass by :func:`counts`. Departures from textstat
(sentence splitting, syllables of numbers, clamping, Dale-Chall inflections
and proper names, the consensus grade) are documented in docs/readability.md.
"""
from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from itertools import compress, repeat
from operator import is_, mul, ne, sub

from pydantic import BaseModel, ConfigDict, Field

from scorer import text as _text
from scorer.document import Document
from scorer.report import FamilyResult, Finding

#: Rule id -> what it flags (the finding codes; also SARIF rule ids and configuration keys).
RULES: dict[str, str] = {
    "readability.long_sentence": "a sentence longer than the configured word limit",
}

FEATURES: dict[str, str] = {
    "readability.word_count": "number of words",
    "readability.sentence_count": "number of sentences",
    "readability.syllables_per_word": "mean syllables per word",
    "readability.words_per_sentence": "mean words per sentence",
    "readability.flesch_reading_ease": "Flesch Reading Ease, 0-100 (higher is easier)",
    "readability.flesch_kincaid_grade": "Flesch-Kincaid grade level",
    "readability.gunning_fog": "Gunning fog index (grade)",
    "readability.smog_index": "SMOG grade",
    "readability.coleman_liau_index": "Coleman-Liau index (grade)",
    "readability.automated_readability_index": "Automated Readability Index (grade)",
    "readability.dale_chall": "New Dale-Chall score",
    "readability.consensus_grade": "consensus grade: formula grade, rare vocabulary and long-sentence tail (higher is harder)",
    "readability.difficult_word_ratio": "share of words not on the Dale-Chall familiar list",
    "readability.polysyllable_ratio": "share of words with three or more syllables",
    "readability.long_word_ratio": "share of words longer than six letters",
    "readability.type_token_ratio": "distinct words per word, mean over 100-word segments",
    "readability.sentence_length_sd": "standard deviation of sentence length in words",
    "readability.long_sentence_ratio": "share of sentences longer than the long-sentence limit",
    "readability.rare_word_ratio": "share of words (not names or numbers) below Zipf frequency 4 (wordfreq)",
    "readability.content_word_zipf": "mean Zipf frequency of content words (not names, numbers or function words)",
    "readability.sentences_over_20_ratio": "share of sentences of more than 20 words",
    "readability.sentence_length_p90": "90th percentile of sentence length in words",
    "readability.commas_per_sentence": "commas between words per sentence (clause density proxy)",
    "readability.clause_punctuation_per_sentence": "semicolons, colons, parentheses and dashes per sentence",
    "readability.subordinators_per_sentence": "subordinating conjunctions (because, although, if, ...) per sentence",
    "readability.relatives_per_sentence": "relative pronouns (which, who, whom, whose) per sentence",
    "readability.that_per_sentence": "occurrences of 'that' (complement or relative clause) per sentence",
    "readability.coordinators_per_sentence": "coordinating conjunctions (and, but, or, so) per sentence",
    "readability.passives_per_sentence": "a form of 'be' followed by a past participle, per sentence",
    "readability.characters_per_sentence": "letters and digits per sentence",
    "readability.formula_grade": "mean grade of the classic formulas, Dale-Chall counted twice (the former consensus)",
}


class ReadabilityConfig(BaseModel):
    """Readability settings; the defaults are the documented ones."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    long_sentence_words: int = Field(
        40, gt=0, description="a sentence with more words than this gets a readability.long_sentence finding"
    )
    max_long_sentence_findings: int = Field(20, ge=0, description="at most this many long-sentence findings")


#: A word below this Zipf frequency (about the 12,000th most frequent English word) is rare.
RARE_ZIPF = _text.COMMON_ZIPF
#: Closed-class English words: articles, pronouns, prepositions, conjunctions, auxiliaries.
FUNCTION_WORDS = frozenset(
    """a an the this that these those my your his her its our their mine yours hers ours theirs
    i me you he him she it we us they them myself yourself himself herself itself ourselves themselves
    who whom whose which what whatever whoever where when why how whether if because although though
    while whereas unless since until as than so and but or nor yet for of to in on at by with from
    into onto upon about above below over under between among through during before after against
    without within across along around behind beyond near off out up down toward towards via per
    be am is are was were been being have has had having do does did doing will would shall should
    can could may might must ought not no yes there here then also too very just only all any both
    each either neither every some such own same other another more most less least much many few
    one i'm it's don't can't won't isn't aren't wasn't weren't didn't doesn't hasn't haven't
    wouldn't couldn't shouldn't he's she's that's there's they're we're you're i've we've they've""".split()
)
_WORD_KINDS: dict[str, tuple[str, ...]] = {
    "sub": tuple("because although though while whereas unless since until whenever wherever whether if".split()),
    "rel": ("which", "who", "whom", "whose"),
    "that": ("that",),
    "coord": ("and", "but", "or", "so"),
}
#: Common irregular past participles (regular ones end in -ed).
_PARTICIPLES = frozenset("""made given taken known seen done found told shown held built sent brought bought caught
    left kept paid sold thought put set cut hit hurt shut read run won lost spent born chosen
    driven eaten fallen forgotten frozen hidden ridden risen shaken spoken stolen sworn thrown
    woken worn written broken begun drawn grown flown understood""".split())
_BE = frozenset("is are was were be been being".split())
#: Byte table: syllable count -> 1 when polysyllabic (3 or more), for ``bytes.translate``.
_POLYSYLLABIC = bytes(int(k > 2) for k in range(256))
#: Lower-case word -> 1 when Gunning-complex by form, else 0; remembered across documents
#: (syllables are a function of the word), forgotten past ``_COMPLEX_LIMIT`` words.
_COMPLEX: dict[str, int] = {}
_COMPLEX_LIMIT = 200_000


@dataclass(frozen=True, slots=True)
class Counts:
    """The counts every formula is made of."""

    words: int
    sentences: int
    syllables: int
    letters: int
    polysyllables: int
    complex_words: int
    long_words: int
    difficult_words: int
    ttr: float
    sentence_lengths: tuple[int, ...]
    rare_words: int = 0
    frequency_words: int = 0
    content_zipf_sum: float = 0.0
    content_words: int = 0
    commas: int = 0
    clause_punctuation: int = 0
    subordinators: int = 0
    relatives: int = 0
    that: int = 0
    coordinators: int = 0
    passives: int = 0


def counts(doc: Document) -> Counts:
    """Gather all counts in one pass over the Document's cached views.

    Per-token work runs in C (``map``, ``compress``, ``bytes.count``); Python
    loops visit word types or the few capitalised tokens only.
    """
    words = doc.words
    n = len(words)
    syl = doc.syllables
    low = doc.lower
    sent_of = doc.word_sentence
    n_sent = len(doc.sentences)
    starts = list(map(bisect_left, repeat(sent_of, n_sent), range(n_sent)))
    lengths = tuple(map(sub, starts[1:] + [n], starts))
    joined = "".join(words)
    letters = len(joined) - sum(joined.count(c) for c in "-'.,:\u2019")
    long_words = n - sum(map(_small_bytes(doc.word_lengths).count, range(7)))
    # Gunning's complex words: polysyllables minus compounds and 3-syllable -es/-ed/-ing
    # forms, decided once per word type; capitalised names are removed below.
    poly_mask = _small_bytes(syl).translate(_POLYSYLLABIC)  # 1 for 3+ syllables, else 0
    poly_low = list(compress(low, poly_mask))
    polysyllables = len(poly_low)
    complex_words = sum(_complex_flags(poly_low, syl, poly_mask))
    # Numbers and proper names are neither difficult (Dale-Chall) nor rare: their difficulty is
    # not lexical. A name is a capitalised word mid-sentence or an all-caps word; at a sentence
    # start, a word the document capitalises mid-sentence and never writes in lower case
    # (document-level truecasing: "Nils Oberg said ... Oberg added"). Word types are counted once
    # (Counter runs in C) and looked up once per type, not per token.
    types = dict(doc.lower_counts)
    first = set(starts)
    cased = list(compress(range(n), map(ne, words, low)))  # tokens with a capital (or a curly apostrophe)
    mid_names: set[str] = set()
    initial: list[str] = []
    for i in cased:
        word = words[i]
        if word[0].isupper():
            if i not in first:
                types[low[i]] -= 1
                mid_names.add(low[i])
                if poly_mask[i] and _complex_form(low[i], syl[i]):
                    complex_words -= 1  # a capitalised name is never complex (Gunning)
            elif word.isupper():
                types[low[i]] -= 1
            else:
                initial.append(low[i])
    if mid_names and initial:
        never_lower = Counter(map(low.__getitem__, cased))
        for w in initial:
            if w in mid_names and never_lower[w] == doc.lower_counts[w]:
                types[w] -= 1
    lex = _lexical(types)
    kind = {key: sum(types.get(w, 0) for w in group) for key, group in _WORD_KINDS.items()}
    # A form of "be" followed by a regular (-ed) or common irregular past participle: a passive.
    passives = sum(1 for w in compress(low[1:], map(_BE.__contains__, low)) if w.endswith("ed") or w in _PARTICIPLES)
    text = doc.text
    dashes = text.count(" - ") + text.count("\u2013") + text.count("\u2014")
    return Counts(
        words=n,
        sentences=n_sent,
        syllables=sum(syl),
        letters=letters,
        polysyllables=polysyllables,
        complex_words=complex_words,
        long_words=long_words,
        difficult_words=lex.difficult,
        ttr=_segmental_ttr(low),
        sentence_lengths=lengths,
        rare_words=lex.rare,
        frequency_words=lex.words,
        content_zipf_sum=lex.content_zipf_sum,
        content_words=lex.content_words,
        commas=text.count(",") - joined.count(","),
        clause_punctuation=text.count(";") + text.count(":") - joined.count(":") + text.count("(") + dashes,
        subordinators=kind["sub"],
        relatives=kind["rel"],
        that=kind["that"],
        coordinators=kind["coord"],
        passives=passives,
    )


def _small_bytes(values: list[int]) -> bytes:
    """Non-negative counts as bytes (capped at 255), so that ``bytes.count`` tallies them in C."""
    try:
        return bytes(values)
    except ValueError:
        return bytes(min(v, 255) for v in values)


@dataclass(frozen=True, slots=True)
class Lexical:
    """Vocabulary counts over the words that are not numbers or proper names."""

    words: int
    difficult: int
    rare: int
    content_words: int
    content_zipf_sum: float


def _lexical(types: dict[str, int]) -> Lexical:
    """Dale-Chall difficulty and wordfreq rarity from word-type counts.

    Every count is a sum over word types of (occurrences x the word's own
    contribution), so each word's contributions are worked out once per process
    (:func:`_word_lexical`), packed into one integer, and a document costs one
    C-level lookup and one multiply-add per type. Names arrive with count 0.
    """
    keys = list(types)
    packed = list(map(_LEX.get, keys))
    if None in packed:
        if len(_LEX) > _LEX_LIMIT:
            _LEX.clear()
        for i in compress(range(len(packed)), map(is_, packed, repeat(None))):
            packed[i] = _LEX[keys[i]] = _word_lexical(keys[i])
    total = sum(map(mul, types.values(), packed))
    mask = (1 << _FIELD) - 1
    return Lexical(
        words=total & mask,
        difficult=(total >> _FIELD) & mask,
        rare=(total >> 2 * _FIELD) & mask,
        content_words=(total >> 3 * _FIELD) & mask,
        content_zipf_sum=(total >> 4 * _FIELD) / 100.0,
    )


#: Bits per packed field: counts up to 2^40 tokens (centi-Zipf sums up to 2^40 / 900 tokens).
_FIELD = 40
#: Lower-case word -> its packed contributions (see :func:`_word_lexical`); bounded like the syllable memo.
_LEX: dict[str, int] = {}
_LEX_LIMIT = 200_000


def _word_lexical(word: str) -> int:
    """One occurrence's contributions, packed: words, difficult, rare, content words, content centi-Zipf.

    Numbers contribute nothing (their difficulty is not lexical). A word is
    difficult unless it or its regular inflection is on the Dale-Chall list; rare
    below Zipf 4 (compounds and possessives wordfreq lacks by :func:`scorer.text.zipf_of`);
    a content word unless a function word, with its Zipf frequency (unlisted:
    ``ZIPF_FLOOR``). Zipf values are multiples of 0.01, so their sums are kept
    exact in hundredths.
    """
    if word[0].isdigit():
        return 0
    zipf = _text.zipf_table()
    difficult = word not in _text.familiar_forms()
    if word in _text.common_words():
        rare, z = False, zipf[word]
    elif word not in zipf and ("-" in word or "'" in word):
        z = _text.zipf_of(word)
        rare = z < RARE_ZIPF
    else:
        rare, z = True, zipf.get(word, _text.ZIPF_FLOOR)
    content = word not in FUNCTION_WORDS
    centi = round(z * 100) if content else 0
    f = _FIELD
    return 1 | int(difficult) << f | int(rare) << 2 * f | int(content) << 3 * f | centi << 4 * f


def _complex_flags(poly_low: list[str], syl: list[int], poly_mask: bytes) -> list[int]:
    """1 or 0 per polysyllabic token (``poly_low``, picked from all tokens by ``poly_mask``): complex by form.

    One C-level lookup per token; a word seen for the first time is decided by
    :func:`_complex_form` with its syllable count.
    """
    if len(_COMPLEX) > _COMPLEX_LIMIT:
        _COMPLEX.clear()
    flags = list(map(_COMPLEX.get, poly_low))
    if None in flags:
        poly_syl = list(compress(syl, poly_mask))
        for i in compress(range(len(flags)), map(is_, flags, repeat(None))):
            flags[i] = _COMPLEX[poly_low[i]] = int(_complex_form(poly_low[i], poly_syl[i]))
    return flags


def _complex_form(lower: str, syllables: int) -> bool:
    """Gunning's complex word by form: 3+ syllables, not a compound nor a 3-syllable -es/-ed/-ing form.

    Proper names (capitalised, not sentence-initial) are excluded by the caller.
    """
    return syllables > 2 and "-" not in lower and not (syllables == 3 and lower.endswith(("es", "ed", "ing")))


def _segmental_ttr(low: list[str], size: int = 100) -> float:
    """Mean type-token ratio over consecutive 100-word segments (MSTTR), length-robust."""
    n = len(low)
    if n == 0:
        return 0.0
    if n < size:
        return len(set(low)) / n
    full = n // size
    return sum(len(set(low[k * size:(k + 1) * size])) for k in range(full)) / (full * size)


def _sd(values: tuple[int, ...]) -> float:
    if len(values) < 2:
        return 0.0
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


def _percentile(values: tuple[int, ...], q: float) -> int:
    """Nearest-rank percentile (0 for no values): robust and needs no interpolation."""
    if not values:
        return 0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def _clamp(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


def formulas(c: Counts) -> dict[str, float]:
    """Every feature value from the counts; all finite, formulas kept in their ranges."""
    w = max(c.words, 1)
    s = max(c.sentences, 1)
    wps = c.words / s
    spw = c.syllables / w
    fre = _clamp(206.835 - 1.015 * wps - 84.6 * spw, 0.0, 100.0)
    fkgl = max(0.0, 0.39 * wps + 11.8 * spw - 15.59)
    fog = 0.4 * (wps + 100.0 * c.complex_words / w)
    smog = 1.0430 * math.sqrt(c.polysyllables * 30.0 / s) + 3.1291
    cli = max(0.0, 0.0588 * (100.0 * c.letters / w) - 0.296 * (100.0 * s / w) - 15.8)
    ari = max(0.0, 4.71 * c.letters / w + 0.5 * wps - 21.43)
    pdw = 100.0 * c.difficult_words / w
    dale = 0.1579 * pdw + 0.0496 * wps + (3.6365 if pdw > 5.0 else 0.0)
    if c.words == 0:
        fre = fkgl = fog = smog = cli = ari = dale = 0.0
    formula = consensus_grade(fkgl, fog, smog, cli, ari, dale) if c.words else 0.0
    out = {
        "readability.word_count": float(c.words),
        "readability.sentence_count": float(c.sentences),
        "readability.syllables_per_word": c.syllables / w,
        "readability.words_per_sentence": wps,
        "readability.flesch_reading_ease": fre,
        "readability.flesch_kincaid_grade": fkgl,
        "readability.gunning_fog": fog,
        "readability.smog_index": smog,
        "readability.coleman_liau_index": cli,
        "readability.automated_readability_index": ari,
        "readability.dale_chall": dale,
        "readability.consensus_grade": 0.0,  # set below from the formula grade and two features
        "readability.difficult_word_ratio": c.difficult_words / w,
        "readability.polysyllable_ratio": c.polysyllables / w,
        "readability.long_word_ratio": c.long_words / w,
        "readability.type_token_ratio": c.ttr,
        "readability.sentence_length_sd": _sd(c.sentence_lengths),
        "readability.long_sentence_ratio": 0.0,  # set by extract (depends on the configured limit)
        "readability.rare_word_ratio": c.rare_words / max(c.frequency_words, 1),
        "readability.content_word_zipf": c.content_zipf_sum / c.content_words if c.content_words else 0.0,
        "readability.sentences_over_20_ratio": sum(1 for k in c.sentence_lengths if k > 20) / s,
        "readability.sentence_length_p90": float(_percentile(c.sentence_lengths, 0.9)),
        "readability.commas_per_sentence": c.commas / s,
        "readability.clause_punctuation_per_sentence": c.clause_punctuation / s,
        "readability.subordinators_per_sentence": c.subordinators / s,
        "readability.relatives_per_sentence": c.relatives / s,
        "readability.that_per_sentence": c.that / s,
        "readability.coordinators_per_sentence": c.coordinators / s,
        "readability.passives_per_sentence": c.passives / s,
        "readability.characters_per_sentence": c.letters / s,
        "readability.formula_grade": formula,
    }
    if c.words:
        out["readability.consensus_grade"] = blended_grade(
            formula, rare_word_logit(c.rare_words, c.frequency_words), word_weighted_sentence_length(c.sentence_lengths)
        )
    return out


def dale_chall_grade(score: float) -> float:
    """New Dale-Chall score on a grade scale: the published bands (4.9 -> 4, 5-5.9 -> 5-6, ...

    9-9.9 -> 13-15) are close to linear, grade = 2 * score - 5.4.
    """
    return max(0.0, 2.0 * score - 5.4)


def consensus_grade(fkgl: float, fog: float, smog: float, cli: float, ari: float, dale: float) -> float:
    """Mean grade of six formulas, Dale-Chall counted twice.

    Sentence length and word length are each measured by several formulas;
    only Dale-Chall measures vocabulary, the strongest single predictor of
    human difficulty ratings, so it gets a double weight. Weights were set
    a priori, not fitted to OneStopEnglish.
    """
    return (fkgl + fog + smog + cli + ari + 2.0 * dale_chall_grade(dale)) / 7.0


#: (mean, standard deviation) over the 970 BBC articles of ``genuine_split("train")`` (news, no
#: difficulty labels) of the consensus grade's three components; recomputed by
#: ``scorer.evaluation.readability.news_norms()``.
NEWS_NORMS: dict[str, tuple[float, float]] = {
    "formula_grade": (10.8211, 1.4929),
    "rare_word_logit": (-2.6372, 0.4015),
    "word_weighted_sentence_length": (22.6584, 3.5958),
}


def rare_word_logit(rare_words: int, words: int) -> float:
    """Empirical logit of the rare-word share, log((r + 1/2) / (n - r + 1/2)).

    A share near 0 varies less than one near 1/2; the logit puts it on a
    scale where a z-score means the same at any level, and the 1/2 keeps it
    finite for short texts without rare words (Cox's empirical logit).
    """
    return math.log((rare_words + 0.5) / (max(words - rare_words, 0) + 0.5))


def word_weighted_sentence_length(lengths: tuple[int, ...]) -> float:
    """Mean length of the sentence a word belongs to, sum(L^2) / sum(L).

    It weights each sentence by its length, so a few long sentences count as
    the reader meets them; unlike a percentile it uses every sentence, so it
    does not jump with one sentence more or less.
    """
    total = sum(lengths)
    return sum(k * k for k in lengths) / total if total else 0.0


def blended_grade(formula: float, rare_logit: float, weighted_length: float) -> float:
    """The consensus grade: three views of difficulty, each standardised on news, weighted equally.

    The classic formulas see mean sentence and word length (and Dale-Chall's
    familiar list); rare vocabulary (wordfreq Zipf < 4, as an empirical logit)
    and long sentences (word-weighted mean sentence length) are what
    simplification removes first. Each is z-scored on BBC news articles, the
    three are averaged with equal, a priori weights and mapped back to the
    grade scale of the formula grade on news. Not fitted to OneStopEnglish.
    """
    z = 0.0
    for key, value in (("formula_grade", formula), ("rare_word_logit", rare_logit),
                       ("word_weighted_sentence_length", weighted_length)):
        mean, sd = NEWS_NORMS[key]
        z += (value - mean) / sd
    mean, sd = NEWS_NORMS["formula_grade"]
    return max(0.0, mean + sd * z / 3.0)


def long_sentences(doc: Document, lengths: tuple[int, ...], config: ReadabilityConfig) -> list[Finding]:
    """A finding for each sentence longer than the configured limit."""
    out: list[Finding] = []
    limit = config.long_sentence_words
    for si, n in enumerate(lengths):
        if n <= limit:
            continue
        if len(out) >= config.max_long_sentence_findings:
            break
        s, e = doc.sentences[si]
        out.append(
            Finding(
                family="readability",
                code="readability.long_sentence",
                start=s,
                end=e,
                text=doc.text[s:e],
                message=f"sentence of {n} words (limit {limit}) is hard to follow",
                suggestion="split it into shorter sentences",
                severity="info",
            )
        )
    return out


def extract(doc: Document, config: ReadabilityConfig) -> FamilyResult:
    """All readability features of a document, and its long-sentence findings."""
    c = counts(doc)
    features = formulas(c)
    n_long = sum(1 for n in c.sentence_lengths if n > config.long_sentence_words)
    features["readability.long_sentence_ratio"] = n_long / max(c.sentences, 1)
    return FamilyResult(features, long_sentences(doc, c.sentence_lengths, config) if n_long else [])
