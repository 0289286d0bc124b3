"""Synthetic spinners: deterministic, spans exact, the two spinners differ."""
from __future__ import annotations

import pytest

from scorer.training.spinner import CLASSIFIER_STYLES, EVAL_STYLES, STYLES, spin, spin_eval

TEXT = (
    "The government said the new policy would help families. Officials warned that the costs "
    "were rising and the plan would need more support from local councils."
)


@pytest.mark.parametrize("style", CLASSIFIER_STYLES)
def test_spans_point_into_spun_text(style):
    out = spin(TEXT, rate=0.6, style=style, seed=3)
    assert out.substitutions
    for s in out.substitutions:
        assert out.text[s.start : s.end] == s.text
        assert s.text.lower() != s.original.lower()


def test_deterministic_and_rate_zero_is_identity():
    assert spin(TEXT, rate=0.5, style="word", seed=7) == spin(TEXT, rate=0.5, style="word", seed=7)
    assert spin(TEXT, rate=0.0, style="word", seed=7).text == TEXT


def test_padding_style_inserts_fillers():
    out = spin(TEXT, rate=1.0, style="padding", seed=1)
    assert "and also" in out.text


def test_eval_spinner_differs_and_rejects_unknown_style():
    a = spin(TEXT, rate=0.6, style="word", seed=5).text
    b = spin_eval(TEXT, rate=0.6, style=EVAL_STYLES[0], seed=5).text
    assert a != b
    with pytest.raises(ValueError):
        spin(TEXT, rate=0.1, style="nope", seed=0)


def _candidates(word: str, marks: str | None = None, keep=bool) -> set[str]:
    """The suggestion candidates of ``word``; with ``marks`` (a per-candidate array of the model), those it ``keep``s."""
    from scorer import spin as detector

    m = detector.model()
    o = m.vocab[word.lower()]
    sl = slice(int(m.sug_start[o]), int(m.sug_start[o] + m.sug_len[o]))
    flags = getattr(m, marks)[sl].tolist() if marks else [1] * int(m.sug_len[o])
    return {m.words[c] for c, f in zip(m.sug_cand[sl].tolist(), flags) if keep(f)}


def _assert_originals_among_candidates(spinner, marks: str | None = None, keep=bool) -> None:
    """Deterministic, exact spans, and every original among the swapped-in word's (kept) candidates."""
    out = spinner(TEXT, rate=0.8, seed=3)
    assert out.substitutions and out == spinner(TEXT, rate=0.8, seed=3)
    for s in out.substitutions:
        assert out.text[s.start : s.end] == s.text
        assert s.original.lower() in _candidates(s.text, marks, keep)


def test_wide_spinner_records_originals_that_the_suggestion_map_offers():
    from scorer.training.spinner import spin_wide

    _assert_originals_among_candidates(spin_wide)


def test_thesaurus_spinner_swaps_only_along_aiksaurus_links():
    from scorer.training.spin_model import spin_thesaurus

    _assert_originals_among_candidates(spin_thesaurus, "sug_thes", lambda t: t > 0)


def test_general_spinner_swaps_a_word_for_a_more_specific_one():
    from scorer.training.spinner import spin_general

    # the original is a hypernym ancestor of the swapped-in word
    _assert_originals_among_candidates(spin_general, "sug_rel", lambda r: r & 2)


def test_common_style_prefers_frequent_synonyms(shared):
    """``common`` draws the same synset synonyms as ``word``, in proportion to their frequency."""
    from wordfreq import zipf_frequency

    from scorer.data import genuine_split

    assert set(STYLES) < set(CLASSIFIER_STYLES) and "common" in CLASSIFIER_STYLES
    mean = {}
    for style in ("word", "common"):
        zipfs = [zipf_frequency(s.text, "en") for a in genuine_split("val")[:20]
                 for s in spin(a.text, rate=0.3, style=style, seed=11).substitutions]
        mean[style] = sum(zipfs) / len(zipfs)
    assert mean["common"] > mean["word"] + 0.5
