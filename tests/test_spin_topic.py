"""Topic coherence of swapped words (scorer.spin_topic) and its build (scorer.training.build_topic)."""
from __future__ import annotations

import io
import math

import numpy as np
import pytest

from scorer import spin, spin_topic
from scorer.document import Document
from scorer.training import build_topic
from scorer.training.build_spin import write_npz

BUDGET = ("The government will publish its new economic policy on Tuesday. Ministers said the policy would cut "
          "taxes for working families and raise spending on schools and hospitals. The chancellor told parliament "
          "that the economy had grown faster than expected and that the budget deficit was falling.")


@pytest.fixture(scope="module")
def m():
    return spin.model()


@pytest.fixture(scope="module")
def topic(m):
    return spin_topic.load(m)


def inputs(text: str, m):
    d = Document(text)
    (si, sj, _, _, x), ctx = spin.score_spans(d, m)
    return d, ctx, si, sj, spin.span_logits(m, x)


def gap_of(text: str, word: str, m, topic) -> float:
    d, ctx, *_ = inputs(text, m)
    gaps = spin_topic.word_gaps(ctx.ids, m, topic)
    return float(gaps[d.lower.index(word)])


@pytest.mark.parametrize("original, swapped", [("policy", "insurance"), ("economy", "saving")])
def test_wrong_sense_synonym_fits_the_topic_worse(m, topic, original, swapped):
    spun = BUDGET.replace(f" {original} ", f" {swapped} ", 1)
    assert gap_of(spun, swapped, m, topic) > 0.2
    assert gap_of(spun, swapped, m, topic) > gap_of(BUDGET, original, m, topic) + 0.2


def test_swap_raises_the_document_feature(m, topic):
    spun = BUDGET.replace(" policy ", " insurance ", 1).replace(" economy ", " saving ", 1)
    feature = {}
    for name, text in (("before", BUDGET), ("after", spun)):
        _, ctx, si, sj, l1 = inputs(text, m)
        feature[name] = spin_topic.topic_features(ctx, m, si, sj, l1)["spin.topic_odds"]
    assert feature["after"] > feature["before"]


def naive_gaps(ids: np.ndarray, m, t: spin_topic.Topic) -> np.ndarray:
    """The definition, one word at a time (the prototype's loop)."""
    vec = t.vectors.astype(np.float64)
    content = t.has[ids]
    cent = vec[t.row[ids[content]]].sum(0)
    out = np.full(len(ids), np.nan)
    if content.sum() < 2:
        return out
    for i in np.flatnonzero(content):
        w = ids[i]
        cands = m.sub_cand[m.sub_start[w] : m.sub_start[w] + m.sub_len[w]]
        cands = cands[(cands >= 0) & (cands != w)]
        cands = cands[t.has[cands]]
        if len(cands) == 0:
            continue
        c0 = cent - vec[t.row[w]]
        c0 /= np.linalg.norm(c0) + 1e-9
        out[i] = (vec[t.row[cands]] @ c0).max() - vec[t.row[w]] @ c0
    return out


def test_vectorised_gaps_match_the_definition(m, topic):
    spun = BUDGET.replace(" policy ", " insurance ", 1)
    for text in (BUDGET, spun, "policy", "The policy.", "Policy and insurance.", "policy policy"):
        ids = inputs(text, m)[1].ids
        got, want = spin_topic.word_gaps(ids, m, topic), naive_gaps(ids, m, topic)
        assert np.array_equal(np.isnan(got), np.isnan(want))
        assert np.allclose(got[~np.isnan(got)], want[~np.isnan(want)], atol=1e-5)
    assert (~np.isnan(spin_topic.word_gaps(inputs(BUDGET, m)[1].ids, m, topic))).sum() >= 10


@pytest.mark.parametrize("text", ["", "Hello", "policy", "The the the.", "1234 5678"])
def test_feature_is_finite_and_neutral_for_tiny_texts(m, topic, text):
    _, ctx, si, sj, l1 = inputs(text, m)
    got = spin_topic.topic_features(ctx, m, si, sj, l1)
    assert list(got) == list(spin_topic.FEATURES)
    assert math.isfinite(got["spin.topic_odds"])
    # nothing with a gap (a lone content word has no topic): the log-odds of a word with no evidence at all
    assert got["spin.topic_odds"] == pytest.approx(topic.neutral)
    assert topic.neutral < 0


def test_span_odds_take_the_best_covering_span():
    got = spin_topic.span_odds(6, np.array([1, 0, 4]), np.array([2, 3, 5]), np.array([-2.0, -9.0, 1.5]))
    assert got.tolist() == [-8.0, -2.0, -8.0, -8.0, 1.5, -8.0]


def test_document_odds_average_the_top_twentieth():
    z = np.arange(40, dtype=float)
    assert spin_topic.document_odds(z, -5.0) == pytest.approx(38.5 if 38.5 < spin_topic.CLIP else spin_topic.CLIP)
    assert spin_topic.document_odds(np.array([-3.0, -1.0]), -5.0) == -1.0
    assert spin_topic.document_odds(np.zeros(0), -5.0) == -5.0


def test_artifact_fits_the_spin_vocabulary_and_stays_small(m, topic):
    assert spin_topic.TOPIC_FILE.stat().st_size <= 5_000_000
    assert topic.vectors.dtype == np.float32 and topic.vectors.shape[1] == build_topic.K
    norms = np.linalg.norm(topic.vectors[:-1], axis=1)
    assert np.allclose(norms, 1.0, atol=1e-2) and not topic.vectors[-1].any()
    assert topic.coef[1] > 0  # a larger topic gap means a likelier swap
    assert not topic.has[m.generic].any()


def test_build_is_deterministic_and_drops_rare_words():
    rng = np.random.default_rng(1)
    n_vocab = 400
    streams = [rng.integers(0, 300, size=200) for _ in range(30)] + [np.array([350, 351, 350])]

    def blob() -> bytes:
        arrays = build_topic.vector_table(streams, n_vocab, k=8, min_count=2)
        arrays["coef"] = np.zeros(3)
        buf = io.BytesIO()
        write_npz(buf, arrays)
        return buf.getvalue()

    assert blob() == blob()
    arrays = build_topic.vector_table(streams, n_vocab, k=8, min_count=2)
    assert 350 in arrays["ids"] and 351 not in arrays["ids"] and 399 not in arrays["ids"]
    assert arrays["vectors"].dtype == np.int8 and arrays["vocab_size"].tolist() == [n_vocab]
    half = build_topic.vector_table(streams, n_vocab, k=8, min_count=2, float16=True)
    assert half["vectors"].dtype == np.float16 and half["scale"].tolist() == [1.0]
    assert np.abs(arrays["vectors"] / build_topic.QUANT - half["vectors"]).max() < 0.01
