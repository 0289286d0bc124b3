"""The shared Document pass: offsets, cached views, lines and paragraphs."""
from __future__ import annotations

import random

from scorer.document import Document


def test_word_spans_match_words_and_sentences() -> None:
    t = "NATO MEETS RUSSIA\n\nThe U.S. envoy left at 09:00. Talks resume in Jan. next year."
    doc = Document(t)
    assert [t[s:e] for s, e in doc.word_spans] == doc.words
    assert [t[s:e] for s, e in doc.sentences] == [
        "NATO MEETS RUSSIA", "The U.S. envoy left at 09:00.", "Talks resume in Jan. next year."]
    assert doc.word_sentence == [0, 0, 0] + [1] * 6 + [2] * 6
    assert doc.sentence_words[1] == [3, 4, 5, 6, 7, 8]


def test_lower_straightens_curly_apostrophes() -> None:
    doc = Document("Russia\u2019s DEMANDS")
    assert doc.lower == ["russia's", "demands"]
    assert doc.syllables == [2, 2]


def test_lower_survives_case_changes_that_alter_length() -> None:
    doc = Document("\u0130stanbul is big")  # dotted capital I lower-cases to two characters
    assert doc.lower[1:] == ["is", "big"]
    assert doc.lower[0].startswith("i")


def test_lines_and_paragraphs_are_stripped_spans() -> None:
    t = "Head line\n\n  Para one.\nstill one\n\n\nPara two.  \n"
    doc = Document(t)
    assert [t[s:e] for s, e in doc.lines] == ["Head line", "Para one.", "still one", "Para two."]
    assert [t[s:e] for s, e in doc.paragraphs] == ["Head line", "Para one.\nstill one", "Para two."]
    assert doc.line_of(t.index("Para two")) == 7


def test_empty_text() -> None:
    doc = Document("   ")
    assert doc.sentences == [] and doc.words == [] and doc.lines == [] and doc.paragraphs == []


def test_lines_are_stripped_non_blank_lines() -> None:
    # The one-regex line scan must agree with splitting on line breaks and str.strip.
    rnd = random.Random(7)
    alphabet = " \t\n\r\x0b\x0c\x85\xa0\u2028\u3000ab."
    for _ in range(2000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        expected, pos = [], 0
        for line in text.split("\n"):
            if line.strip():
                lead = len(line) - len(line.lstrip())
                expected.append((pos + lead, pos + lead + len(line.strip())))
            pos += len(line) + 1
        assert Document(text).lines == expected, repr(text)


def test_word_views_lower_counts_and_lengths() -> None:
    doc = Document("Don\u2019t STOP, don't \u039f\u0394\u039f\u03a3 stop.")
    assert doc.lower == ["don't", "stop", "don't", "\u03bf\u03b4\u03bf\u03c2", "stop"]  # final sigma as alone
    assert doc.lower_counts == {"don't": 2, "stop": 2, "\u03bf\u03b4\u03bf\u03c2": 1}
    assert doc.word_lengths == [5, 4, 5, 4, 4]
    assert Document("").lower == [] and Document("").word_spans == []


def test_word_span_of_one_word_equals_the_full_list() -> None:
    t = "NATO MEETS RUSSIA\n\nThe U.S. envoy left at 09:00. Talks resume in Jan. next year."
    lazy, full = Document(t), Document(t)
    assert [lazy.word_span(i) for i in (8, 3, 14, 0)] == [full.word_spans[i] for i in (8, 3, 14, 0)]
    assert "word_spans" not in lazy.__dict__  # only the sentences asked about were scanned
    assert [full.word_span(i) for i in range(len(full.words))] == full.word_spans


def test_word_starts_agree_with_word_spans_whichever_is_built_first() -> None:
    t = "NATO MEETS RUSSIA\n\nThe U.S. envoy left at 09:00. \u0130stanbul talks resume in Jan. next year."
    starts_first, spans_first = Document(t), Document(t)
    starts = starts_first.word_starts
    assert "word_spans" not in starts_first.__dict__  # no tuple per word
    assert starts[:4] == [0, 5, 11, 19]
    assert starts_first.word_spans == spans_first.word_spans  # built from the starts
    assert spans_first.word_starts == starts
    assert [t[s:s + len(w)] for s, w in zip(starts, starts_first.words)] == starts_first.words


def test_sentence_words_group_the_words_by_sentence() -> None:
    t = "One. Two words here!\n\nA third, longer sentence follows (with 3.5 items). 1. 2. Last"
    doc = Document(t)
    grouped = [[i for i, s in enumerate(doc.word_sentence) if s == k] for k in range(len(doc.sentences))]
    assert doc.sentence_words == grouped
    assert [len(ws) for ws in doc.sentence_words] == [1, 3, 8, 3]
