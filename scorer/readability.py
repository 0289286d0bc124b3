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
from dataclasses import dataclass

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
    "readability.consensus_grade": "consensus grade level of the formulas (higher is harder)",
    "readability.difficult_word_ratio": "share of words not on the Dale-Chall familiar list",
    "readability.polysyllable_ratio": "share of words with three or more syllables",
    "readability.long_word_ratio": "share of words longer than six letters",
    "readability.type_token_ratio": "distinct words per word, mean over 100-word segments",
    "readability.sentence_length_sd": "standard deviation of sentence length in words",
    "readability.long_sentence_ratio": "share of sentences longer than the long-sentence limit",
}


class ReadabilityConfig(BaseModel):
    """Readability settings; the defaults are the documented ones."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    long_sentence_words: int = Field(
        40, gt=0, description="a sentence with more words than this gets a readability.long_sentence finding"
    )
    max_long_sentence_findings: int = Field(20, ge=0, description="at most this many long-sentence findings")


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


def counts(doc: Document) -> Counts:
    """Gather all counts in one pass over the Document's cached views."""
    words = doc.words
    n = len(words)
    syl = doc.syllables
    low = doc.lower
    sent_of = doc.word_sentence
    n_sent = len(doc.sentences)
    starts = [bisect_left(sent_of, i) for i in range(n_sent)]
    lengths = tuple(b - a for a, b in zip(starts, starts[1:] + [n]))
    joined = "".join(words)
    letters = len(joined) - sum(joined.count(c) for c in "-'.,\u2019")
    poly_idx = [i for i, s in enumerate(syl) if s >= 3]
    first = set(starts)
    complex_words = sum(1 for i in poly_idx if _is_complex(words[i], syl[i], i in first))
    long_words = sum(map((6).__lt__, map(len, words)))
    familiar = _text.familiar_forms()
    # Dale-Chall: numbers and proper names (capitalised mid-sentence, or all caps) are familiar.
    difficult = sum(
        1
        for i, w in enumerate(low)
        if w not in familiar
        and not (words[i][0].isdigit() or (words[i][0].isupper() and (i not in first or words[i].isupper())))
    )
    return Counts(
        words=n,
        sentences=n_sent,
        syllables=sum(syl),
        letters=letters,
        polysyllables=len(poly_idx),
        complex_words=complex_words,
        long_words=long_words,
        difficult_words=difficult,
        ttr=_segmental_ttr(low),
        sentence_lengths=lengths,
    )


def _is_complex(word: str, syllables: int, sentence_initial: bool) -> bool:
    """Gunning's complex word: 3+ syllables, not a proper name, compound or -es/-ed/-ing form."""
    if "-" in word:
        return False
    if word[0].isupper() and not sentence_initial:
        return False
    if syllables == 3 and word.lower().endswith(("es", "ed", "ing")):
        return False
    return True


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
    return {
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
        "readability.consensus_grade": consensus_grade(fkgl, fog, smog, cli, ari, dale) if c.words else 0.0,
        "readability.difficult_word_ratio": c.difficult_words / w,
        "readability.polysyllable_ratio": c.polysyllables / w,
        "readability.long_word_ratio": c.long_words / w,
        "readability.type_token_ratio": c.ttr,
        "readability.sentence_length_sd": _sd(c.sentence_lengths),
    }


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
