"""The compiled trigram model: its reader against pocketsphinx's own scores, back-off, and the fit features."""
from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from scorer import spin, trigram
from scorer.data import REPO
from scorer.document import Document
from scorer.training import build_lm

SEED_004 = "004_cf2c634dce9aa4a7"


def _ids(*words: str) -> np.ndarray:
    m, lm = spin.model(), trigram.model()
    return np.array([lm.local[m.vocab[w]] for w in words], dtype=np.int64)


def _logp(h2: str | None, h1: str, w: str) -> float:
    lm = trigram.model()
    a = _ids(h2)[0] if h2 else -1
    b, c = _ids(h1, w)
    return float(lm.logp(np.array([a]), np.array([b]), np.array([c]))[0])


def test_artifact_loads_and_matches_its_provenance():
    lm = trigram.model()
    assert lm is not None
    prov = json.loads((spin.MODEL_DIR / "provenance.json").read_text(encoding="utf-8"))["trigram_lm"]
    assert prov["kept"] == {"words": int((lm.local >= 0).sum()), "bigrams": len(lm.bigrams), "trigrams": len(lm.trigrams)}
    assert lm.local[-1] == -1  # spin id -1 (unknown word) reads as outside the model
    assert np.all(np.diff(lm.trigrams.stash_keys.astype(np.float64)) > 0)  # the stash is searched: sorted


def test_the_seeds_swaps_fit_worse_than_their_originals():
    # the title the spinner gave Stoltenberg, and its "10s of countless"
    assert _logp(None, "secretary", "general") - _logp(None, "assistant", "general") > 2.0
    assert _logp("tens", "of", "thousands") - _logp("tens", "of", "countless") > 8.0
    # the trigram sharpens the bigram: "thousands" after "tens of" is likelier than after "of" alone
    assert _logp("tens", "of", "thousands") > _logp(None, "of", "thousands") + 2.0


def test_back_off_uses_the_history_pairs_weight():
    lm = trigram.model()
    h2, h1, w = _ids("assistant", "general", "jens")  # no stored trigram: back-off to the bigram
    assert not lm.trigrams.get(np.array([(h2 * lm.n + h1) * lm.n + w]))[0][0]
    stored, pair_bo, _ = lm._bigram(np.array([h2]), np.array([h1]))
    assert stored[0] and pair_bo[0] != 0.0
    assert _logp("assistant", "general", "jens") == pytest.approx(pair_bo[0] + _logp(None, "general", "jens"))


def test_word_pmi_scores_only_words_with_a_known_predecessor_in_their_sentence():
    m, lm = spin.model(), trigram.model()
    doc = Document("The talks lasted four hours. Xqzvw talks ended.")
    ctx = spin._Context(doc, m)
    pos, pmi = trigram.word_pmi(lm, trigram.word_fit(lm, ctx.ids, ctx.first))
    # scored: talks, lasted, four, hours | ended ("Xqzvw" is unknown; "talks" after it has no history)
    assert pos.tolist() == [1, 2, 3, 4, 7]
    lp = lm.logp(np.array([-1]), *[_ids(w) for w in ("talks", "ended")])
    assert pmi[-1] == pytest.approx(lp[0] - lm.uni_lp[_ids("ended")[0]])


def test_word_fit_matches_scoring_each_word_against_its_history():
    # trigrams are looked up only under a stored history pair: the result must equal the plain Katz score
    m, lm = spin.model(), trigram.model()
    doc = Document("NATO Assistant General Jens Stoltenberg said the talks lasted four long hours on Wednesday. "
                   "Tens of countless soldiers gathered near the border, and also the allies met.")
    ctx = spin._Context(doc, m)
    fit = trigram.word_fit(lm, ctx.ids, ctx.first)
    q = fit.q
    for i in np.flatnonzero(fit.scored).tolist():
        h2 = q[i - 2] if i >= 2 and fit.scored[i - 1] else -1
        expected = lm.logp(np.array([h2]), np.array([q[i - 1]]), np.array([q[i]]))[0]
        assert fit.lp[i] == pytest.approx(expected, abs=1e-12), doc.words[i]
    assert np.isnan(fit.lp[~fit.scored]).all()


def _window_fit(lm, ctx, i: int, local: int) -> float:
    """PMI of a word put at position i with the two words before, plus log P of the two after (``window_logp``)."""
    spin_id = int(np.flatnonzero(lm.local == local)[0])
    left, right = trigram.window_logp(lm, ctx.ids, ctx.first, ctx.last, np.array([i]), np.array([spin_id]))
    return float(left[0] - lm.uni_lp[local] + right[0])


def test_synonym_gain_is_the_best_candidates_window_fit_over_the_words():
    m, lm = spin.model(), trigram.model()
    doc = Document("NATO Assistant General Jens Stoltenberg said tens of countless soldiers gathered. They left")
    ctx = spin._Context(doc, m)
    fit = trigram.word_fit(lm, ctx.ids, ctx.first)
    words = ["secretary", "deputy", "assistant", "thousands", "millions", "hundreds", "left", "departed", "went"]
    pos = np.array([1, 1, 1, 8, 8, 8, 12, 12, 12])  # Assistant, countless, left (last word: nothing after it)
    at = np.array([1, 8, 12])
    group = np.searchsorted(at, pos)
    cand = _ids(*words)
    gain = trigram.synonym_gain(lm, fit, at, group, cand)
    for g, i in enumerate(at.tolist()):
        best = max(_window_fit(lm, ctx, i, int(c)) for c in cand[group == g])
        assert gain[g] == pytest.approx(best - _window_fit(lm, ctx, i, int(fit.q[i])), abs=1e-9)
    assert gain[0] > 2.0 and gain[1] > 8.0  # the spinner's "Assistant General" and "10s of countless"
    none = trigram.synonym_gain(lm, fit, np.array([1]), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    assert none[0] == -np.inf  # no candidate: clips to no gain


def test_word_synonym_gains_cover_every_word_with_synonyms():
    doc = Document("NATO Assistant General Jens Stoltenberg said the talks were useful. They met again.")
    pos, gains = spin.word_synonym_gains(doc)
    m, lm = spin.model(), trigram.model()
    ctx = spin._Context(doc, m)
    assert pos.tolist() == np.flatnonzero(ctx.has_synonyms & (lm.local[ctx.ids] >= 0)).tolist()
    gain = dict(zip((doc.words[i] for i in pos.tolist()), gains.tolist()))
    assert gain["Assistant"] > 2.0  # "Secretary General" fits far better
    assert np.isneginf(gains).any()  # words that fit well are not looked at


def test_synonym_llr_sums_the_per_word_ratios():
    a, b = spin.GAIN_LOG_RATIO
    gains = np.array([-np.inf, -1.0, 0.0, 2.0, 25.0])
    log_ratio = [spin.NO_GAIN_LOG_RATIO] * 2 + [a, a + 2 * b, a + spin.GAIN_CLIP * b]  # clipped at GAIN_CLIP
    s = spin.SWAP_SHARE
    assert spin.synonym_llr(gains) == pytest.approx(sum(np.log(1 - s + s * np.exp(r)) for r in log_ratio))
    assert spin.synonym_llr(np.zeros(0)) == 0.0
    # words that are their own best fit are evidence against a spinner; large gains for one
    assert spin.synonym_llr(np.full(50, -np.inf)) < 0 < spin.synonym_llr(np.full(3, 6.0))


def test_fit_features_shrink_toward_typical_text():
    none = np.zeros(0)
    assert trigram.fit_features(none, none.astype(bool)) == pytest.approx(
        (trigram.TYPICAL_PMI, trigram.TYPICAL_SWAPPABLE_PMI, trigram.TYPICAL_WORST_PMI))
    pmi = np.r_[np.full(20, 2.0), np.full(10, -4.0)]  # 30 words: the worst tenth is three of the -4s
    swappable = np.r_[np.zeros(20, bool), np.ones(10, bool)]
    fit, swap, worst = trigram.fit_features(pmi, swappable)
    assert fit == pytest.approx((0.0 + 30 * trigram.TYPICAL_PMI) / 60)
    assert swap == pytest.approx((-40.0 + 30 * trigram.TYPICAL_SWAPPABLE_PMI) / 40)
    assert worst == pytest.approx((-12.0 + trigram.WORST_PSEUDO * trigram.TYPICAL_WORST_PMI) / (3 + trigram.WORST_PSEUDO))


def test_restoring_the_seeds_originals_raises_its_fit(seed_texts):
    text = seed_texts[SEED_004]
    notes = json.loads((REPO / "seeds" / "annotations.json").read_text(encoding="utf-8"))
    subs = sorted((a for a in notes if a["seed"] == SEED_004), key=lambda a: a["start"], reverse=True)
    restored = text
    for a in subs:
        restored = restored[: a["start"]] + a["original"] + restored[a["end"]:]
    spun = spin.lm_fit_features(spin._Context(Document(text), spin.model()))
    orig = spin.lm_fit_features(spin._Context(Document(restored), spin.model()))
    for feature in ("spin.lm_fit", "spin.lm_swappable_fit", "spin.lm_worst_fit"):
        assert orig[feature] > spun[feature] + 0.2, feature
    # its synonyms fit better than the spinner's words; the original's words are their own best fit more often
    assert spun["spin.lm_synonym_llr"] > orig["spin.lm_synonym_llr"] + 5.0


def test_quantiser_keeps_scores_within_half_a_step():
    values = np.random.default_rng(0).uniform(-16, 0, 10_000)
    codes, grid = build_lm.quantise(values)
    step = float(grid[1] - grid[0])
    decoded = grid[codes]
    inside = values >= grid[0]
    assert np.abs(decoded - values)[inside].max() <= step / 2 + 1e-5


def test_reader_matches_pocketsphinx_and_the_artifact_its_source():
    ps = pytest.importorskip("pocketsphinx")
    import os

    path = build_lm.model_file()
    prov = json.loads((spin.MODEL_DIR / "provenance.json").read_text(encoding="utf-8"))["trigram_lm"]
    if hashlib.sha256(path.read_bytes()).hexdigest() != prov["source_sha256"]:
        pytest.skip("another pocketsphinx model than the one trigram_lm.npz was built from")
    trie = build_lm.read_trie(path)
    assert (len(trie.words), len(trie.t_word)) == (72547, 1669625)
    ref = ps.NGramModel(ps.Config(), ps.LogMath(), os.fspath(path))
    wid = {w: i for i, w in enumerate(trie.words)}
    big = dict(zip(zip(trie.b_hist.tolist(), trie.b_word.tolist()), zip(trie.b_lp, trie.b_bo)))
    tri = dict(zip(zip(trie.t_h2.tolist(), trie.t_h1.tolist(), trie.t_word.tolist()), trie.t_lp))
    for words in (("tens", "of", "thousands"), ("the", "secretary", "general"), ("held", "talks", "on"),
                  ("of", "countless"), ("nato", "allies"), ("four", "hours", "of")):
        ids = [wid[w] for w in words]
        if len(ids) == 3 and tuple(ids) in tri:
            ours = tri[tuple(ids)]
        else:
            h1, w = ids[-2:]
            ours = big[(h1, w)][0] if (h1, w) in big else trie.uni_bo[h1] + trie.uni_lp[w]
            if len(ids) == 3:
                ours += big.get((ids[0], h1), (0.0, 0.0))[1]
        # pocketsphinx takes the predicted word first and reports whole units of log base 1.0001
        assert ours == pytest.approx(ref.prob(list(reversed(words))) * build_lm.NATS, abs=2e-4)


def test_window_logp_prefers_the_original_title_and_stops_at_sentence_ends():
    m, lm = spin.model(), trigram.model()
    doc = Document("NATO Assistant General Jens Stoltenberg spoke. He left")
    ctx = spin._Context(doc, m)
    cand = np.array([m.vocab["secretary"], m.vocab["assistant"], -1])
    pos = np.array([1, 1, 1])
    left, right = trigram.window_logp(lm, ctx.ids, ctx.first, ctx.last, pos, cand)
    assert left[0] + right[0] > left[1] + right[1] + 2.0
    assert left[2] == right[2] == trigram.UNKNOWN_LP  # a candidate outside the model
    # "spoke" ends its sentence: nothing on the right; its left history is "jens stoltenberg" as far as known
    left, right = trigram.window_logp(lm, ctx.ids, ctx.first, ctx.last, np.array([5]), np.array([m.vocab["spoke"]]))
    assert right[0] == 0.0
    assert left[0] == pytest.approx(lm.score(*[np.array([x]) for x in (ctx_local(lm, ctx, 3), ctx_local(lm, ctx, 4))],
                                             _ids("spoke"))[0])


def ctx_local(lm: trigram.TrigramLM, ctx, i: int) -> int:
    return int(lm.local[ctx.ids[i]])


def test_scientific_register_reads_typical_fit(seed_texts):
    from scorer.config import SpinConfig

    doc = Document(seed_texts[SEED_004])
    swappable = int(spin._Context(doc, spin.model()).has_synonyms.sum())
    typical = dict(zip(("spin.lm_fit", "spin.lm_swappable_fit", "spin.lm_worst_fit", "spin.lm_synonym_llr"),
                       (trigram.TYPICAL_PMI, trigram.TYPICAL_SWAPPABLE_PMI, trigram.TYPICAL_WORST_PMI,
                        spin.TYPICAL_LLR_PER_WORD * swappable)))
    science = spin.extract(doc, SpinConfig(register="science")).features
    news = spin.extract(doc, SpinConfig(register="news")).features
    for feature, value in typical.items():
        assert science[feature] == pytest.approx(value)
        worse = news[feature] > value + 5.0 if feature == "spin.lm_synonym_llr" else news[feature] < value - 0.2
        assert worse, feature  # the spun seed fits worse than typical news
