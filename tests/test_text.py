"""Sentence splitting, word tokens and syllables against a golden set of tricky cases."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from scorer import text
from scorer.document import Document

GOLDEN = json.loads((Path(__file__).parent / "golden" / "sentences.json").read_text(encoding="utf-8"))


def test_golden_set_is_large_enough() -> None:
    assert len(GOLDEN) >= 50


@pytest.mark.parametrize("case", GOLDEN, ids=[c["note"] for c in GOLDEN])
def test_golden_counts(case: dict) -> None:
    doc = Document(case["text"])
    assert [case["text"][s:e] for s, e in doc.sentences] == case["sentences"]
    assert len(doc.words) == case["words"]
    assert sum(doc.syllables) == case["syllables"]


def test_issue_examples() -> None:
    assert len(text.split_sentences("Dr. Smith earned $3.5 million in the U.S. last year. He paid 2.5 per cent tax.")) == 2
    assert len(text.split_sentences("It rained. Then it stopped. We went home to rest.")) == 3


def test_sentence_spans_point_into_text() -> None:
    t = "  First one.  Second one!\n\nThird?  "
    spans = text.split_sentences(t)
    assert [t[s:e] for s, e in spans] == ["First one.", "Second one!", "Third?"]


def test_text_without_words_has_no_sentences() -> None:
    assert text.split_sentences("... --- !!!") == []
    assert text.split_sentences("") == []


@pytest.mark.parametrize(
    ("token", "expected"),
    [("3.5", 3), ("100,000", 5), ("2022", 5), ("2005", 4), ("1905", 4), ("1900", 4), ("0", 2), ("7", 2),
     ("11", 3), ("21st", 3), ("1,000,000", 3), ("09:30", 3), ("12:00", 3)],
)
def test_number_syllables(token: str, expected: int) -> None:
    assert text.number_syllables(token) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("the", 1), ("readability", 5), ("u.s", 2), ("gmt", 3), ("stoltenberg", 3), ("nato-russia", 4),
     ("zzyzxq", 1), ("blorptastic", 3), ("https://example.com/x", 1)],
)
def test_syllable_count(word: str, expected: int) -> None:
    assert text.syllable_count(word) == expected


@pytest.mark.parametrize(("word", "expected"), [("flimbing", 2), ("glorbate", 2), ("snarkles", 2), ("mediatic", 4)])
def test_fallback_syllables(word: str, expected: int) -> None:
    assert text.fallback_syllables(word) == expected


@pytest.mark.parametrize("word", ["stopped", "bigger", "cities", "wolves", "making", "happily", "nicer", "boxes", "dog's"])
def test_inflections_of_easy_words_are_familiar(word: str) -> None:
    assert text.is_familiar(word)


@pytest.mark.parametrize("word", ["sovereignty", "incursion", "deputation", "xylophones"])
def test_hard_words_are_not_familiar(word: str) -> None:
    assert not text.is_familiar(word)


def test_compiled_tables_load_fast_and_match_cmudict() -> None:
    text._SYLLABLES = None
    t0 = time.perf_counter()
    table = text.syllable_table()
    assert time.perf_counter() - t0 < 0.5
    assert len(table) > 120_000
    assert table["syllable"] == 3 and table["fire"] == 2


def test_unknown_words_are_learned_within_a_memory_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    # Words CMUdict lacks, and its vowel-less entries, are counted by the rules, the same on every call.
    words = ["hmm", "blorptastic", "2004", "hmm", "blorptastic", "the"]
    assert text.syllables_of(words) == [3, 3, 4, 3, 3, 1]
    monkeypatch.setattr(text, "_UNKNOWN_LIMIT", 1)
    fresh = [f"zorblax{'a' * k}" for k in range(5)]
    assert text.syllables_of(fresh) == [text.fallback_syllables(w) for w in fresh]
    assert text._LEARNED <= 1
    assert text.syllables_of(words) == [3, 3, 4, 3, 3, 1]


def test_word_starts_and_spans_equal_the_regex_spans() -> None:
    # str.find from the previous word's end must land where the regex matched, on any text.
    import random

    from scorer.text import (PLAIN_WORD_RE, WORD_RE, sentence_words, split_sentences,
                             starts_of_words, word_pattern, word_spans)

    rnd = random.Random(11)
    alphabet = ["a", "b", "A", "1", "0", " ", " ", "\n", ".", ",", "'", "\u2019", "-", ":", "@", "_", "!", "?",
                "\"", "(", "http://", "www.", "e.g.", "U.S.", "\u00e9", "\u0130", "\u2026", "\t", "/"]
    texts = ["", "   ", "ab ab ab. ab, ab-ab ab.", "Mr. A. B. Smith met U.S. envoys at 09:00, e.g. www.x.com/a."]
    assert word_pattern(texts[3]) is WORD_RE and word_pattern("see https://x.org") is WORD_RE
    assert word_pattern(texts[2]) is PLAIN_WORD_RE and word_pattern("WWW.X.COM") is PLAIN_WORD_RE
    texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 60))) for _ in range(3000)]
    for t in texts:
        sents = split_sentences(t)
        words, _ = sentence_words(t, sents)
        assert Document(t).word_spans == word_spans(t, sents), repr(t)
        assert starts_of_words(t, words) == [s for s, _ in word_spans(t, sents)], repr(t)
        if word_pattern(t) is PLAIN_WORD_RE:  # no URL possible: the plain pattern finds the same words
            assert PLAIN_WORD_RE.findall(t) == WORD_RE.findall(t), repr(t)


def test_wordfreq_zipf_is_wordfreqs_own_value() -> None:
    """The shared-table version must equal wordfreq's function, digits, hyphens and apostrophes included."""
    from wordfreq import zipf_frequency

    from scorer.text import wordfreq_zipf

    words = ["the", "said", "stoltenberg", "xqzvw", "", "'", "-", "u.s.", "3.5", "$3.5m", "2.5%", "100,000",
             "co-operation", "e-mail", "naïve", "café", "don't", "rock'n'roll", "12th", "1990s", "2022", "o'clock",
             "a-b-c", "0.0001", "four-hour", "state-owned", "42.09bn", "china's", "worse-than-expected", "Brussels",
             "NATO", "Wednesday", "iPhone", "Stoltenberg"]
    for w in words:
        assert wordfreq_zipf(w) == zipf_frequency(w, "en"), w
    assert wordfreq_zipf("xqzvw") == 0.0
    assert 7.0 < wordfreq_zipf("the") < 8.0


def test_wordfreq_buckets_are_wordfreqs_own_list() -> None:
    """Read from the data file directly, the list must be the one wordfreq itself returns."""
    from wordfreq import get_frequency_list

    from scorer.text import wordfreq_buckets

    assert wordfreq_buckets() == get_frequency_list("en")


def test_scoring_plain_text_does_not_import_wordfreq() -> None:
    """Start-up (#7, under 1 s): wordfreq's import (langcodes, tokenizers) costs ~0.15 s, and plain words need none of it."""
    import subprocess
    import sys

    code = ("import sys, scorer; scorer.score('The council met on Wednesday in Brussels.', "
            "reference='The council met on Wednesday.'); print('wordfreq' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
