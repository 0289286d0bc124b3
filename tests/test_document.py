"""The shared Document pass: offsets, cached views, lines and paragraphs."""
from __future__ import annotations

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
