"""Spin family: spans, suggestions, features, and the genuine-text budget."""
from __future__ import annotations

import math

import numpy as np

import pytest

from scorer import spin, trigram
from scorer.document import Document

SEED_004 = "004_cf2c634dce9aa4a7"
MIN_SEED_004_FINDINGS = 20


def test_artifacts_are_safe_small_and_fast_to_load():
    import time

    import numpy as np

    files = sorted(p.name for p in spin.MODEL_DIR.iterdir())
    assert not [f for f in files if f.endswith((".pkl", ".pickle"))]
    # about 10 MB of bigram tables, synonym maps and neighbours; the trigram model's hash tables (36 MB,
    # memory-mapped) apart
    assert sum(p.stat().st_size for p in spin.MODEL_DIR.iterdir() if p.is_file()) < 11_500_000
    assert sum(p.stat().st_size for p in (spin.MODEL_DIR / "trigram_lm").iterdir()) < 40_000_000
    with np.load(spin.MODEL_DIR / "spin_arrays.npz", allow_pickle=False) as z:
        assert z["big_keys_delta"].dtype == np.uint64
    spin.model.cache_clear()
    t0 = time.perf_counter()
    m = spin.model()
    assert time.perf_counter() - t0 < 1.0
    assert np.all(np.diff(m.big_keys.astype(np.float64)) > 0)  # sorted and unique: searchsorted is valid


def test_bigram_lookup_is_vectorised_and_exact():
    import numpy as np

    m = spin.model()
    v = m.vocab
    a = np.array([v["the"], v["said"], -1], dtype=np.int64)
    b = np.array([v["government"], v["the"], v["the"]], dtype=np.int64)
    news, google = spin.lookup(m, a, b)
    assert news[0] > 0 and google[0] > 0  # "the government": common in both tables
    assert news[2] == 0 and google[2] == 0  # unknown word: never seen
    lp, att = spin.logp(m, a, b)
    assert np.all(np.isfinite(lp)) and att[0] > 0 and att[2] == 0


def test_features_are_finite_and_in_order():
    res = spin.extract(Document("The minister said the talks would continue next week."), spin.SpinConfig())
    assert list(res.features) == list(spin.FEATURES)
    assert all(math.isfinite(v) for v in res.features.values())


def test_findings_have_exact_spans_and_suggestions(seed_texts):
    text = seed_texts[SEED_004]
    res = spin.extract(Document(text), spin.SpinConfig())
    assert len(res.findings) >= MIN_SEED_004_FINDINGS
    for f in res.findings:
        assert f.family == "spin" and f.code == "spin.substitution"
        assert text[f.start : f.end] == f.text
        assert f.suggestion and f.suggestion.lower() != f.text.lower()
    pairs = {(f.text.lower(), (f.suggestion or "").lower()) for f in res.findings}
    assert ("and also", "and") in pairs and ("secondly", "second") in pairs


def test_heavily_spun_seed_scores_above_genuine(seed_texts):
    genuine = (
        "The prime minister said on Tuesday that the government would publish its plans for the health "
        "service next month. Officials said the proposals would be debated in parliament before the summer."
    )
    spun = spin.extract(Document(seed_texts[SEED_004]), spin.SpinConfig()).features
    gen = spin.extract(Document(genuine), spin.SpinConfig()).features
    assert spun["spin.posterior_mean"] > gen["spin.posterior_mean"]
    assert spun["spin.prior"] > gen["spin.prior"]
    assert spun["spin.unseen_bigram_rate"] > gen["spin.unseen_bigram_rate"]
    assert spun["spin.finding_density"] > 1.0 and gen["spin.finding_density"] == 0.0


def test_genuine_articles_stay_under_budget(shared):
    from scorer.data import genuine_split

    arts = genuine_split("val")[:40]
    words = found = 0
    for a in arts:
        d = Document(a.text)
        words += len(d.words)
        found += len(spin.extract(d, spin.SpinConfig()).findings)
    assert 1000 * found / words <= 2.0


def test_news_of_another_outlet_stays_under_budget(shared):
    """OneStopEnglish (never tuned on): at most 1 spin finding per 1,000 words at every level (#3)."""
    from scorer.evaluation.spin import onestop_false_positives

    got = onestop_false_positives()
    assert set(got) == {"elementary", "intermediate", "advanced"}
    for level, v in got.items():
        assert v["docs"] == 189 and v["words"] > 90_000, level
        assert v["per_1000_words"] <= 1.0, level


def test_config_is_frozen_and_rejects_unknown_keys():
    with pytest.raises(Exception):
        spin.SpinConfig(bogus=1)
    cfg = spin.SpinConfig()
    with pytest.raises(Exception):
        cfg.threshold = 0.9  # type: ignore[misc]


def test_lexicon_option_adds_lexicon_findings(shared):
    path = shared / "data" / "spin" / "pps_tortured_2025-07.csv"
    text = "We applied counterfeit consciousness to the data."
    res = spin.extract(Document(text), spin.SpinConfig(lexicon=path))
    lex = [f for f in res.findings if f.code == "spin.lexicon"]
    assert [f.text for f in lex] == ["counterfeit consciousness"]
    assert lex[0].suggestion == "artificial intelligence"
    assert res.features["spin.lexicon_density"] > 0


def test_no_pickle_anywhere_in_the_spin_code():
    from scorer.data import REPO

    for rel in ("scorer/spin.py", "scorer/training/build_spin.py", "scorer/training/spin_model.py"):
        src = (REPO / rel).read_text(encoding="utf-8")
        assert "import pickle" not in src and "pickle.load" not in src and "allow_pickle=True" not in src


def test_filler_insertion_is_a_hypothesis_with_the_bare_word_as_original():
    doc = Document("Talks between the allies and also Russia ended on Wednesday.")
    (si, sj, ev, orig, x), _ = spin.score_spans(doc)
    k = next(k for k in range(len(si)) if doc.lower[si[k]] == "and" and sj[k] - si[k] == 2)
    assert orig[k] == "and" and x[k, spin.SPAN_FEATURES.index("is_filler")] == 1.0
    assert x.shape[1] == len(spin.SPAN_FEATURES) and np.isfinite(x).all()


def test_document_prior_is_continuous_and_rises_with_suspicious_spans():
    m = spin.model()
    cut = m.stage2["cut"]
    rates = [spin.document_rate(m, np.array([cut + 1.0] * hits + [cut - 1.0] * 5), 600) for hits in (0, 3, 10, 30)]
    assert rates == sorted(rates) and rates[0] < 0 < rates[-1]
    # short texts are shrunk towards genuine: one hit in 10 words moves the prior less than 10 in 100
    assert spin.document_rate(m, np.array([cut + 1.0]), 10) < spin.document_rate(m, np.array([cut + 1.0] * 10), 100)
    lo, _ = spin.posterior_logits(m, np.array([0.0]), 600)
    hi, _ = spin.posterior_logits(m, np.array([0.0] + [cut + 1.0] * 30), 600)
    assert hi[0] > lo[0]


def test_threshold_for_keeps_the_budget():
    from scorer.training.spin_model import threshold_for

    logits = [np.array([5.0, 1.0, -1.0]), np.array([3.0, 0.0])]
    thr = threshold_for(logits, words=2000, budget=1.0)  # 2 findings allowed
    assert sum(int((lg >= thr).sum()) for lg in logits) == 2


def test_weak_evidence_features_rise_with_unseen_pairs():
    m = spin.model()
    ctx = spin._Context(Document("The minister said the talks would continue next week."), m)
    odd = spin._Context(Document("The clergyman claimed the conversations would proceed following week."), m)
    assert 0.0 <= spin.weak_pair_rate(ctx) < spin.weak_pair_rate(odd) <= 1.0
    res = spin.extract(Document("The clergyman claimed the conversations would proceed following week."))
    assert res.features["spin.weak_odds_sum"] >= 0.0 and res.features["spin.weak_pair_rate"] > 0.0


def test_common_pair_pmi_falls_when_a_swap_breaks_collocations():
    m = spin.model()
    pmi = lambda text: spin.common_pair_pmi(spin._Context(Document(text), m), m)  # noqa: E731
    genuine = "The current account deficit widened as the trade gap grew, the central bank said on Tuesday."
    swapped = "The current news want widened as the change gap grew, the central bank said on Tuesday."
    assert pmi(swapped) < pmi(genuine) - 0.1
    # no pairs at all: the genuine mean, so a short text reads as ordinary rather than as spun
    assert pmi("Hello") == pmi("...") == spin.PAIR_PMI_GENUINE
    # the mean over pairs of common words where a word has synonyms, shrunk by the pseudo-pairs
    ctx = spin._Context(Document(genuine), m)
    has = m.sub_len[ctx.ids] > 0
    rows = [k for k in range(1, ctx.n) if not ctx.first[k] and m.common[ctx.ids[k]] and m.common[ctx.ids[k - 1]]
            and (has[k] or has[k - 1])]
    total = sum(ctx.lp_left[k] - m.log_uni[ctx.ids[k]] for k in rows)
    expected = (total + spin.PAIR_PMI_GENUINE * spin.PAIR_PMI_PSEUDO) / (len(rows) + spin.PAIR_PMI_PSEUDO)
    assert 5 <= len(rows) < ctx.n and pmi(genuine) == pytest.approx(expected)


def test_suggestions_rank_a_wider_candidate_set_by_context():
    m = spin.model()
    wide = lambda w: {m.words[c] for c in m.sug_cand[m.sug_start[m.vocab[w]] : m.sug_start[m.vocab[w]] + m.sug_len[m.vocab[w]]]}  # noqa: E731
    narrow = {m.words[c] for c in m.sub_cand[m.sub_start[m.vocab["claimed"]] : m.sub_start[m.vocab["claimed"]] + m.sub_len[m.vocab["claimed"]]]}
    assert "said" in wide("claimed") and "said" not in narrow  # three hypernym steps: claim -> affirm -> declare -> say
    assert narrow <= wide("claimed")
    doc = Document("Officials said the government would augment spending next year.")
    ctx = spin._Context(doc, m)
    i = doc.lower.index("augment")
    assert spin.suggest(m, ctx, np.array([i])) == ["increase"]
    assert spin.suggest(m, ctx, np.array([doc.lower.index("next")]))[0] != "next"
    assert spin.suggest(m, ctx, np.zeros(0, dtype=np.int64)) == []


def test_suggestion_ranker_is_loaded_and_prefers_a_candidate_seen_in_the_document():
    m = spin.model()
    assert m.suggest_coef is not None and len(m.suggest_coef) == len(spin.SUGGEST_FEATURES)
    doc = Document("The army moved north. Officials said the military would augment its presence.")
    ctx = spin._Context(doc, m)
    i = doc.lower.index("augment")
    cand = np.array([m.vocab["increase"], m.vocab["presence"]])
    x = spin.suggestion_features(m, ctx, np.array([i, i]), np.array([ctx.ids[i]] * 2), cand, np.array([0.0, 1.0]))
    assert x.shape == (2, len(spin.SUGGEST_FEATURES)) and np.isfinite(x).all()
    col = spin.SUGGEST_FEATURES.index
    assert x[:, col("in_document")].tolist() == [0.0, 1.0]
    assert x[0, col("one_step")] == float(m.has_sub_pair(np.array([ctx.ids[i]]), cand[:1])[0])
    assert x[:, col("cost")].tolist() == [0.0, 1.0]


def _wide(m, word: str) -> dict[str, int]:
    """Suggestion candidates of ``word`` with their Aiksaurus flags (0 none, 1 also WordNet, 2 Aiksaurus only)."""
    v = m.vocab[word]
    sl = slice(int(m.sug_start[v]), int(m.sug_start[v] + m.sug_len[v]))
    return {m.words[c]: int(t) for c, t in zip(m.sug_cand[sl].tolist(), m.sug_thes[sl].tolist())}


def test_thesaurus_candidates_reach_originals_wordnet_does_not_link():
    m = spin.model()
    assert m.sug_thes.dtype == np.uint8 and len(m.sug_thes) == len(m.sug_cand) and set(np.unique(m.sug_thes)) <= {0, 1, 2}
    assert _wide(m, "growth").get("expansion") == 2  # Aiksaurus only: no WordNet relation within two steps
    assert _wide(m, "extremely").get("very") == 2
    assert _wide(m, "rejected").get("denied") == 1  # both sources link them
    narrow = {m.words[c] for c in m.sub_cand[m.sub_start[m.vocab["growth"]] : m.sub_start[m.vocab["growth"]] + m.sub_len[m.vocab["growth"]]]}
    assert "expansion" not in narrow  # detection's one-step map is untouched
    assert 0.1 < float((m.sug_thes == 2).mean()) < 0.5


def test_relation_kinds_mark_more_general_candidates():
    m = spin.model()
    assert m.sug_rel.dtype == np.uint8 and len(m.sug_rel) == len(m.sug_cand) and int(m.sug_rel.max()) < 16
    v = m.vocab["claimed"]
    sl = slice(int(m.sug_start[v]), int(m.sug_start[v] + m.sug_len[v]))
    rel = {m.words[c]: int(r) for c, r in zip(m.sug_cand[sl].tolist(), m.sug_rel[sl].tolist())}
    assert rel["said"] & 2  # claim -> affirm -> declare -> say: a hypernym ancestor, more general
    assert not rel["said"] & 4
    assert 0.1 < float(((m.sug_rel & 2) > 0).mean()) < 0.4


def test_suggestions_hold_rarer_synset_members_the_detection_map_drops():
    m = spin.model()
    v = m.vocab["absolutely"]
    narrow = {m.words[c] for c in m.sub_cand[m.sub_start[v] : m.sub_start[v] + m.sub_len[v]]}
    assert "utterly" not in narrow and _wide(m, "absolutely").get("utterly") == 0  # same synset, > 0.5 zipf rarer


def test_thesaurus_flags_are_ranker_features():
    m = spin.model()
    col = spin.SUGGEST_FEATURES.index
    doc = Document("The partnership met in Brussels on Wednesday.")
    ctx = spin._Context(doc, m)
    i = doc.lower.index("partnership")
    cand = np.array([m.vocab["alliance"], m.vocab["association"], m.vocab["company"]])
    x = spin.suggestion_features(m, ctx, np.full(3, i), np.full(3, ctx.ids[i]), cand, np.ones(3), np.array([2, 1, 0], np.uint8))
    assert x[:, col("thesaurus")].tolist() == [1.0, 1.0, 0.0]
    assert x[:, col("thesaurus_only")].tolist() == [1.0, 0.0, 0.0]
    x0 = spin.suggestion_features(m, ctx, np.full(3, i), np.full(3, ctx.ids[i]), cand, np.ones(3))
    assert x0[:, col("thesaurus")].tolist() == [0.0, 0.0, 0.0]  # no flags given: no link assumed


def test_fanout_counts_the_one_step_lists_that_hold_a_candidate():
    m = spin.model()
    v = m.vocab["increase"]
    holders = int((m.sub_cand == v).sum())
    assert holders > 5 and m.fanout[v] == pytest.approx(np.log1p(holders))
    assert m.fanout[-1] == 0.0  # out-of-vocabulary id
    doc = Document("Officials said the government would augment spending next year.")
    ctx = spin._Context(doc, m)
    i = doc.lower.index("augment")
    cand = np.array([v, m.vocab["boost"]])
    x = spin.suggestion_features(m, ctx, np.full(2, i), np.full(2, ctx.ids[i]), cand, np.zeros(2))
    assert x[:, spin.SUGGEST_FEATURES.index("fanout")].tolist() == m.fanout[cand].tolist()


def test_in_document_count_counts_other_occurrences():
    m = spin.model()
    doc = Document("Spending will increase. Officials said the increase was agreed, so they would augment spending.")
    ctx = spin._Context(doc, m)
    i = doc.lower.index("augment")
    cand = np.array([m.vocab["increase"], m.vocab["spending"], m.vocab["boost"]])
    x = spin.suggestion_features(m, ctx, np.full(3, i), np.full(3, ctx.ids[i]), cand, np.zeros(3))
    assert x[:, spin.SUGGEST_FEATURES.index("in_document_count")].tolist() == pytest.approx(np.log1p([2, 2, 0]).tolist())
    assert x[:, spin.SUGGEST_FEATURES.index("in_document")].tolist() == [1.0, 1.0, 0.0]


def test_aiksaurus_reader_parses_the_binary_format(tmp_path):
    from scorer.training.build_spin import aiksaurus_neighbours, read_aiksaurus

    words = [b"ally", b"partner", b"take:part"]
    links = [[0], [0, 1], [1]]
    (tmp_path / "words.dat").write_bytes(b"".join(
        w + b"\0" + b"".join(k.to_bytes(2, "big") for k in ls) + b"\xff\xff" for w, ls in zip(words, links)))
    (tmp_path / "meanings.dat").write_bytes(bytes.fromhex("0000 0001 ffff 0001 0002 ffff".replace(" ", "")))
    assert read_aiksaurus(tmp_path) == (("ally", "partner"), ("partner", "take part"))
    nb = aiksaurus_neighbours.__wrapped__(tmp_path)
    assert nb["ally"] == {"partner": 1} and nb["partner"] == {"ally": 1} and nb["take part"] == {"partner": 1}
    assert read_aiksaurus(tmp_path / "missing") == ()


def test_novelty_discounts_the_prior_of_unfamiliar_text():
    m = spin.model()
    assert m.stage2["novelty_beta"] > 0
    lo, r_lo = spin.posterior_logits(m, np.array([0.0] * 5), 600, nov=0.0)
    hi, r_hi = spin.posterior_logits(m, np.array([0.0] * 5), 600, nov=0.5)
    assert r_lo == r_hi and (hi < lo).all()  # same suspicious rate, smaller prior for the unfamiliar text


def test_novelty_counts_only_pairs_without_synonyms():
    m = spin.model()
    ctx = spin._Context(Document("The of the in a. Zqxv blorf of the."), m)
    unseen, total = spin.novelty_counts(m, ctx)
    assert total >= 3 and 1 <= unseen < total
    fam = spin._Context(Document("This is one of the best of the year."), m)
    assert spin.novelty(m, fam) < spin.novelty(m, ctx)
    # the classifier sees the same value, so it can discount the other spin features on unfamiliar text
    assert spin.extract(Document("The of the in a. Zqxv blorf of the.")).features["spin.novelty"] == spin.novelty(m, ctx)


def test_us_and_uk_spellings_share_one_id_and_are_never_each_others_swap():
    m = spin.model()
    v = m.vocab
    for us, uk in (("traveled", "travelled"), ("labor", "labour"), ("theater", "theatre"), ("canceled", "cancelled")):
        assert v[us] == v[uk], (us, uk)
    assert v["prize"] != v["prise"] and v["filed"] != v["filled"]  # different words keep their own counts
    text = ("The minister traveled to Paris on Monday. The labor party canceled the meeting at the theater, "
            "officials said.")
    doc = Document(text)
    found = spin.extract(doc).findings
    assert not [f for f in found if (f.suggestion or "").lower() in ("travelled", "labour", "cancelled", "theatre")]


def test_speaker_labels_are_not_examined():
    doc = Document("Sally: Hey, mom. Ben: Main is better. Phoebe: Yes.")
    m = spin.model()
    ctx = spin._Context(doc, m)
    pos = np.array([0, 3, 7], dtype=np.int64)
    assert [doc.words[i] for i in pos.tolist()] == ["Sally", "Ben", "Phoebe"]
    assert spin._unskipped(doc, m, ctx, pos).tolist() == []
    assert spin._unskipped(doc, m, ctx, np.array([4, 6], dtype=np.int64)).tolist() == [4, 6]  # "Main", "better" kept


def test_capitalised_last_word_in_a_sentence_with_a_colon_is_kept():
    doc = Document("The agenda: a meeting with Paris")  # the colon is elsewhere; the word ends the text
    m = spin.model()
    ctx = spin._Context(doc, m)
    last = len(doc.words) - 1
    assert doc.words[last] == "Paris"
    assert spin._unskipped(doc, m, ctx, np.array([last], dtype=np.int64)).tolist() == [last]


def test_pairs_with_unfamiliar_words_are_unknown_not_evidence():
    m = spin.model()
    v = m.vocab
    assert m.unfamiliar[v["guestbook"]] and not m.unfamiliar[v["said"]] and not m.unfamiliar[v["book"]]
    assert m.sub_len[v["guestbook"]] == 0  # only words no swap can produce
    doc = Document("Please sign the guestbook today, she said.")
    ctx = spin._Context(doc, m)
    g = doc.words.index("guestbook")
    news, google = spin.lookup(m, np.array([ctx.ids[g]]), np.array([ctx.ids[g + 1]]))
    assert news[0] == 0 and google[0] == 0  # "guestbook today" is in neither table...
    assert ctx.att_left[g] >= 1 and ctx.att_left[g + 1] >= 1
    assert not ctx.weak[g]  # ...but reads as unknown, not as evidence


def test_threshold_keeps_out_of_domain_dev_text_under_its_budget(shared):
    from scorer.training.spin_model import OOD_BUDGET, ood_dev_texts

    words = found = 0
    news_register = spin.SpinConfig(register="news")  # the threshold's findings (scitldr abstracts open the science rule)
    for text in ood_dev_texts():
        doc = Document(text)
        words += len(doc.words)
        found += len(spin.extract(doc, news_register).findings)
    assert words > 40_000
    assert 1000.0 * found / words <= OOD_BUDGET


def test_message_claims_a_better_fitting_synonym_only_when_the_context_says_so():
    strong = spin.substitution_message("Assistant General", "Secretary General", 6.25)
    assert strong == ("'Assistant General' reads like a synonym swap: a synonym fits the neighbouring words better "
                      "(log-likelihood +6.2); likely original: 'Secretary General'")
    weak = spin.substitution_message("security", "safety", -1.4)
    assert weak == "'security' reads like a synonym swap in a document that reads as spun throughout; likely original: 'safety'"
    assert "likely original" not in spin.substitution_message("centre", None, 0.0)


def test_no_finding_suggests_the_word_that_is_already_there(seed_texts):
    for text in seed_texts.values():
        for f in spin.extract(Document(text)).findings:
            assert f.suggestion is None or f.suggestion.lower() != f.text.lower()


def test_original_elsewhere_counts_suspicious_words_whose_original_is_in_the_document():
    m = spin.model()
    doc = Document("The minister spoke. The curate said the minister would stay.")
    ctx = spin._Context(doc, m)
    si, sj = np.array([4]), np.array([5])  # "curate", a suspicious single word
    x = np.zeros((1, len(spin.SPAN_FEATURES)))
    assert spin.original_elsewhere_rate(m, ctx, si, sj, ["minister"], np.array([0.5]), x) == 100.0 / ctx.n
    assert spin.original_elsewhere_rate(m, ctx, si, sj, ["priest"], np.array([0.5]), x) == 0.0  # not in the text
    assert spin.original_elsewhere_rate(m, ctx, si, sj, ["minister"], np.array([-3.0]), x) == 0.0  # not suspicious


def test_a_word_is_never_its_own_candidate_original():
    m = spin.model()
    programs = m.vocab["programs"]
    sl = slice(int(m.sub_start[programs]), int(m.sub_start[programs] + m.sub_len[programs]))
    assert programs in m.sub_cand[sl].tolist()  # the twin `programmes` shares the id and WordNet lists it
    doc = Document("The council cut programs for young travelers last year.")
    ctx = spin._Context(doc, m)
    got = spin.suggest(m, ctx, np.array([3, 6]))
    assert got[0] not in (None, "programs", "programmes") and got[1] not in (None, "travelers", "travellers")
    # detection skips it as well: a span whose only candidate is its spelling twin is no hypothesis
    doc = Document("The privatization of the railways was a mistake, privatization critics said.")
    (si, _sj, _ev, orig, _x), _ctx = spin.score_spans(doc, m)
    assert not [o for i, o in zip(si.tolist(), orig) if doc.lower[i] == "privatization"]
    assert "privatisation" not in orig


def test_other_inflections_and_shared_neighbours_in_the_document_are_ranker_features():
    m = spin.model()
    doc = Document("The prime minister spoke about profit. Later the prime curate said earnings fell.")
    ctx = spin._Context(doc, m)
    col = spin.SUGGEST_FEATURES.index
    i = doc.lower.index("earnings")
    cand = np.array([m.vocab[w] for w in ("profits", "profit", "income")])
    x = spin.suggestion_features(m, ctx, np.full(3, i), np.full(3, ctx.ids[i]), cand, np.zeros(3))
    # `profits` is another inflection of `profit` (in the text); `profit` itself counts as in_document instead
    assert x[:, col("in_document_stem")].tolist() == [1.0, 0.0, 0.0]
    assert x[:, col("in_document")].tolist() == [0.0, 1.0, 0.0]
    assert spin._stem("profits") == spin._stem("profiting") == spin._stem("profit") != spin._stem("income")
    i = doc.lower.index("curate")
    cand = np.array([m.vocab[w] for w in ("minister", "priest", "spoke")])
    x = spin.suggestion_features(m, ctx, np.full(3, i), np.full(3, ctx.ids[i]), cand, np.zeros(3))
    # `prime minister` occurs elsewhere, so `minister` follows the same left word; `spoke` occurs but not after `prime`
    assert x[:, col("in_document_pair")].tolist() == [1.0, 0.0, 0.0]
    assert x[:, col("in_document")].tolist() == [1.0, 0.0, 1.0]


def test_words_of_the_document_whose_candidates_list_the_observed_word_are_candidates_too():
    m = spin.model()

    def candidates(text: str) -> dict[str, bool]:
        doc = Document(text)
        ctx = spin._Context(doc, m)
        grp, cand, _cost, _thes, rev = spin.candidate_originals(m, ctx, np.array([doc.lower.index("force")]))
        assert (grp == 0).all() and int(ctx.ids[doc.lower.index("force")]) not in cand.tolist()
        return {m.words[c]: r for c, r in zip(cand.tolist(), rev.tolist())}

    force, troops = m.vocab["force"], m.vocab["troops"]
    own = {m.words[c] for c in m.sug_cand[m.sug_start[force] : m.sug_start[force] + m.sug_len[force]].tolist()}
    assert "troops" not in own  # `force` does not list `troops`, but `troops` lists `force`
    assert force in m.sug_cand[m.sug_start[troops] : m.sug_start[troops] + m.sug_len[troops]].tolist()
    with_troops = candidates("The troops crossed the river at dawn. Later the force moved north, officials said.")
    assert with_troops["troops"] and not any(with_troops[w] for w in own if w in with_troops)
    without = candidates("They crossed the river at dawn. Later the force moved north, officials said.")
    assert "troops" not in without and set(without) == set(with_troops) - {"troops"}


def test_an_unknown_neighbour_leaves_only_the_news_frequency_of_the_candidate():
    m = spin.model()
    col = spin.SUGGEST_FEATURES.index
    cand = np.array([m.vocab["said"], m.vocab["took"]])
    rows = []
    for text in ("Zqxvblorf claimed the vote was fair.", "The minister claimed the vote was fair."):
        doc = Document(text)
        ctx = spin._Context(doc, m)
        i = doc.lower.index("claimed")
        rows.append(spin.suggestion_features(m, ctx, np.full(2, i), np.full(2, ctx.ids[i]), cand, np.zeros(2)))
    unknown, known = rows
    assert unknown[:, col("left_unknown")].tolist() == pytest.approx(unknown[:, col("log_news_freq")].tolist())
    assert unknown[0, col("left_unknown")] > unknown[1, col("left_unknown")] > 0  # `said` is the commoner in news
    assert known[:, col("left_unknown")].tolist() == [0.0, 0.0]
    assert unknown[:, col("right_unknown")].tolist() == [0.0, 0.0]  # `the` is known


# ---------------------------------------------------------------- scientific register (spin.science_pair)

FRAME = "In this paper we propose a new method based on {} for the proposed system."
NEWS = ("The government said on Monday that the network of schools would get more money. The minister told "
        "reporters the deal agreed with unions was a profound change, and that an association of head "
        "teachers had welcomed it.")


def _science(text: str, config: spin.SpinConfig = spin.SpinConfig()) -> list:
    return [f for f in spin.extract(Document(text), config).findings if f.code == "spin.science_pair"]


def test_register_score_counts_markers_weak_markers_and_citations():
    assert spin.register_score(Document("We propose a method.")) == 0.5  # propose, method: 2 of 4 words
    # shown is a weak marker (0.25), each numbered citation counts 1: 2.25 over 7 words
    assert spin.register_score(Document("as shown in [12] and [3, 4]")) == pytest.approx(2.25 / 7)
    assert spin.register_score(Document("")) == 0.0
    assert spin.register_score(Document(NEWS)) == pytest.approx(0.25 / len(Document(NEWS).words))


def test_register_opens_on_scientific_sentences_and_stays_closed_on_news():
    assert spin.is_science(Document(FRAME.format("deep learning")))
    assert spin.is_science(Document("The results show that deep learning improves the performance of the model."))
    assert not spin.is_science(Document(NEWS))  # one weak marker (network): under REGISTER_MIN
    assert not spin.is_science(Document(""))
    # the configuration overrides the decision both ways
    assert not spin.is_science(Document(FRAME.format("x")), spin.SpinConfig(register="news"))
    assert spin.is_science(Document(NEWS), spin.SpinConfig(register="science"))


def test_a_framed_tortured_phrase_gets_an_exact_span_and_its_original():
    text = FRAME.format("profound learning")
    (f,) = _science(text)
    assert (f.start, f.end, f.text) == (text.index("profound"), text.index("profound") + 8, "profound")
    assert f.suggestion == "deep"
    assert f.family == "spin" and "'deep'" in f.message and "scientific" in f.message
    assert not _science(FRAME.format("deep learning"))  # the correct counterpart is left alone


def test_adjacent_flagged_words_form_one_finding_with_originals_chosen_together():
    text = "The results show that counterfeit consciousness improves the performance of the model."
    (f,) = _science(text)
    assert f.text == "counterfeit consciousness" == text[f.start:f.end]
    assert f.suggestion == "artificial intelligence"
    capital = "The results show that Counterfeit Consciousness improves the performance of the model."
    assert not _science(capital)  # capitalised inside a sentence: a name or a term


def test_news_register_disables_the_rule_and_news_text_is_not_flagged():
    assert not _science(FRAME.format("profound learning"), spin.SpinConfig(register="news"))
    assert not _science(NEWS)  # auto: the register stays closed
    forced = _science(NEWS, spin.SpinConfig(register="science"))
    assert forced  # the same words would fire in science mode: the register test is what keeps news clean


def test_science_findings_change_no_feature_but_the_trigram_fit():
    """Scientific register adds findings only; the trigram model's fit features read typical there instead
    (a general English model finds technical prose ill-fitting throughout)."""
    lm = ("spin.lm_fit", "spin.lm_swappable_fit", "spin.lm_worst_fit", "spin.lm_synonym_llr", "spin.lm_phrase_llr")
    texts = [FRAME.format("profound learning"), FRAME.format("irregular woodland"), NEWS,
             "The results show that counterfeit consciousness improves the performance of the model."]
    for text in texts:
        doc = Document(text)
        base = spin.extract(doc, spin.SpinConfig(register="news")).features
        for register in ("auto", "science"):
            got = spin.extract(Document(text), spin.SpinConfig(register=register)).features
            assert [(k, v) for k, v in got.items() if k not in lm] == [(k, v) for k, v in base.items() if k not in lm]
            if register == "science" or spin.is_science(doc):
                ctx = spin._Context(doc, spin.model())
                swappable, forms = int(ctx.has_synonyms.sum()), len(spin.phrase_forms(spin.model(), ctx))
                assert [got[k] for k in lm] == pytest.approx(
                    [trigram.TYPICAL_PMI, trigram.TYPICAL_SWAPPABLE_PMI, trigram.TYPICAL_WORST_PMI,
                     spin.TYPICAL_LLR_PER_WORD * swappable, spin.TYPICAL_PHRASE_LLR_PER_FORM * forms])
            else:
                assert [got[k] for k in lm] == [base[k] for k in lm]


def test_auto_register_leaves_genuine_news_findings_and_features_as_in_news_mode(shared):
    from scorer.data import genuine_split

    for a in genuine_split("val")[:60]:
        auto = spin.extract(Document(a.text))
        news = spin.extract(Document(a.text), spin.SpinConfig(register="news"))
        assert auto.findings == news.findings and auto.features == news.features


def test_heldout_pps_phrases_are_flagged_and_counterparts_mostly_not(shared):
    from scorer.evaluation.spin import heldout_pps

    rows = heldout_pps()[:300]
    tortured = sum(bool(_science(FRAME.format(t))) for t, _ in rows) / len(rows)
    expected = sum(bool(_science(FRAME.format(e))) for _, e in rows) / len(rows)
    assert tortured >= 0.5 and expected <= 0.1


def test_science_pairs_are_built_deterministically_from_the_train_half_only(shared, tmp_path):
    from scorer.training import build_science

    entry = build_science.build(tmp_path)
    assert (tmp_path / "science_pairs.tsv").read_bytes() == (spin.MODEL_DIR / "science_pairs.tsv").read_bytes()
    assert entry["rows"]["train_half"] + entry["rows"]["heldout_half"] == entry["rows"]["single_phrase"]
    heldout_only = {t for t, _ in build_science.pps_rows() if build_science.is_heldout(t)}
    stored = {line.split("\t")[0] for line in (tmp_path / "science_pairs.tsv").read_text().splitlines()[1:]}
    assert stored and not any(" " in w for w in stored)  # words, never phrases
    assert len(heldout_only) > 1000


def test_aligned_pairs_skip_one_word_rows_and_rows_of_unequal_length():
    from scorer.training.build_science import aligned_pairs, prior, table_lines

    rows = [("profound learning", "deep learning"), ("profound", "deep"), ("big information", "big data set")]
    pairs, output, expected = aligned_pairs(rows)
    assert pairs == {("profound", "deep"): 1}
    assert output["profound"] == 1 and expected["learning"] == 1 and expected["deep"] == 2
    assert prior(1, 0) == pytest.approx(math.log(3.0))
    assert table_lines(pairs, output, expected)[1] == "profound\tdeep\t1\t1\t0\t1.0986"


def test_a_listed_phrase_is_reported_once_by_the_lexicon_not_again_by_the_learned_pairs(tmp_path):
    csv = tmp_path / "list.csv"
    csv.write_text('Fingerprint - Tortured Phrase,Expected Text,Nb Retrieved Papers\n"""profound learning""",deep learning,3\n')
    text = FRAME.format("profound learning")
    found = spin.extract(Document(text), spin.SpinConfig(lexicon=csv)).findings
    assert [(f.code, f.text, f.suggestion) for f in found] == [("spin.lexicon", "profound learning", "deep learning")]


# ---------------------------------------------------------------- class-based context of the suggestion ranker

ATTRIBUTION = '"We will not back down," the minister claimed. Talks went on, Stoltenberg claimed, and NATO agreed.'


def _flags(text: str) -> dict[str, set[str]]:
    m = spin.model()
    doc = Document(text)
    ctx = spin._Context(doc, m)
    rows = spin.context_flags(doc, m.news_known, range(len(doc.words)), ctx.first, ctx.last)
    return {c: {f"{k}:{doc.words[k]}" for k in np.flatnonzero(rows[:, j]).tolist()} for j, c in enumerate(spin.CONTEXT_CLASSES)}


def test_context_flags_mark_names_quotes_sentence_ends_and_commas():
    f = _flags(ATTRIBUTION)
    assert f["after_name"] == {"12:claimed", "15:agreed"}  # after Stoltenberg and NATO, not after "the minister"
    assert f["after_quote"] == {"5:the", "6:minister", "7:claimed"}  # within QUOTE_WINDOW gaps of the closing quote
    assert f["before_end"] == {"7:claimed", "15:agreed"}
    assert f["before_comma"] == {"4:down", "10:on", "12:claimed"}
    assert f["before_quote"] == {"4:down"}  # down,"
    assert f["before_name"] == {"10:on", "13:and"}
    # an opening quote is no closing quote; "I" and sentence-initial common words are no names
    g = _flags('He said "we will go." The talks ended. I agreed.')
    assert g["after_quote"] == set() and g["after_name"] == set()
    assert spin.name_like("Stoltenberg", True, frozenset()) and not spin.name_like("The", True, frozenset({"the"}))
    assert spin.name_like("Blair", False, frozenset({"blair"})) and not spin.name_like("I", False, frozenset())


def test_context_lifts_are_smoothed_log_rates_relative_to_all_words():
    counts = np.array([[0, 0], [50, 0], [0, 50], [1, 0]])
    total = np.array([0, 50, 50, 1])
    lift = spin.context_lifts(counts, total, pseudo=10.0)
    assert lift.shape == (4, 2) and np.isfinite(lift).all()
    assert lift[0].tolist() == pytest.approx([0.0, 0.0])  # unseen word: no evidence either way
    assert lift[1, 0] > 0 > lift[1, 1] and lift[2, 1] > 0 > lift[2, 0]
    assert 0 < lift[3, 0] < lift[1, 0]  # one occurrence says less than fifty


def test_context_tables_know_that_news_reports_speech_at_a_sentence_end():
    m = spin.model()
    lift = m.context_lift
    assert lift.shape == (len(m.words) + 1, len(spin.CONTEXT_CLASSES)) and not lift[-1].any()
    said, took = lift[m.vocab["said"]], lift[m.vocab["took"]]
    col = spin.CONTEXT_CLASSES.index
    for c in ("after_name", "after_quote", "before_end"):
        assert said[col(c)] > took[col(c)] and said[col(c)] > 0.5
    assert lift[m.vocab["the"], col("before_end")] < -3  # "the." almost never ends a sentence


def test_class_features_apply_only_where_their_context_does():
    m = spin.model()
    col = spin.SUGGEST_FEATURES.index
    cand = np.array([m.vocab["said"], m.vocab["took"]])
    lift = m.context_lift[cand]
    doc = Document("Talks went on, Stoltenberg claimed.")
    ctx = spin._Context(doc, m)
    i = doc.lower.index("claimed")
    x = spin.suggestion_features(m, ctx, np.full(2, i), np.full(2, ctx.ids[i]), cand, np.zeros(2))
    assert x[:, col("cand_after_name")].tolist() == lift[:, spin.CONTEXT_CLASSES.index("after_name")].tolist()
    assert x[:, col("cand_before_end")].tolist() == lift[:, spin.CONTEXT_CLASSES.index("before_end")].tolist()
    assert x[0, col("cand_after_name")] > x[1, col("cand_after_name")]
    assert not x[:, [col("cand_after_quote"), col("cand_before_comma"), col("cand_before_name")]].any()
    doc = Document("The minister claimed the talks would go on.")  # a known left word, a word on the right
    ctx = spin._Context(doc, m)
    i = doc.lower.index("claimed")
    x = spin.suggestion_features(m, ctx, np.full(2, i), np.full(2, ctx.ids[i]), cand, np.zeros(2))
    assert not x[:, col("cand_after_name") : col("cand_after_name") + len(spin.CONTEXT_CLASSES)].any()


def test_reported_speech_gets_said_for_claimed():
    m = spin.model()
    for text in ('"We will not back down," the minister claimed.', '"The talks failed," claimed Mr Smith.'):
        doc = Document(text)
        ctx = spin._Context(doc, m)
        assert spin.suggest(m, ctx, np.array([doc.lower.index("claimed")])) == ["said"], text


def test_ranker_file_without_the_class_features_still_ranks():
    feats = list(spin.SUGGEST_FEATURES[: spin.SUGGEST_FEATURES.index("cand_after_name")])
    w = spin.suggest_weights({"features": feats, "coef": [1.0] * len(feats)})
    assert w is not None and len(w) == len(spin.SUGGEST_FEATURES)
    assert w[: len(feats)].tolist() == [1.0] * len(feats) and not w[len(feats) :].any()
    assert spin.suggest_weights({"features": ["unknown"], "coef": [1.0]}) is None
    assert spin.suggest_weights(None) is None


def test_context_tables_are_built_deterministically(shared, tmp_path):
    from scorer.training import build_spin

    m = spin.model()
    texts = [ATTRIBUTION, "Officials said the talks would continue, Blair said."]
    a = build_spin.context_counts(texts, m.vocab, m.news_known, len(m.words))
    b = build_spin.context_counts(texts, m.vocab, m.news_known, len(m.words))
    assert all(np.array_equal(a[k], b[k]) for k in a) and set(a) == {"total", *spin.CONTEXT_CLASSES}
    said = m.vocab["said"]
    assert a["total"][said] == 2 and a["after_name"][said] == 1 and a["before_end"][said] == 1
    build_spin.write_npz(tmp_path / "one.npz", a)
    build_spin.write_npz(tmp_path / "two.npz", b)
    assert (tmp_path / "one.npz").read_bytes() == (tmp_path / "two.npz").read_bytes()
    # the committed table is exactly what the build gives from genuine_split('train') (BBC only)
    from scorer.data import genuine_split

    full = build_spin.context_counts([x.text for x in genuine_split("train")], m.vocab, m.news_known, len(m.words))
    build_spin.write_npz(tmp_path / spin.CONTEXT_FILE, full)
    assert (tmp_path / spin.CONTEXT_FILE).read_bytes() == (spin.MODEL_DIR / spin.CONTEXT_FILE).read_bytes()


def test_science_pairs_are_hints_not_warnings():
    found = _science(FRAME.format("profound learning"))
    assert [(f.text, f.suggestion, f.severity) for f in found] == [("profound", "deep", "info")]


def test_skip_tables_count_pairs_a_few_places_apart_inside_a_sentence(tmp_path):
    from scorer.training import build_spin

    m = spin.model()
    texts = ["The minister said that talks went on. Talks went on.", "The minister said so."]
    arrays = build_spin.skip_counts(texts, m.vocab, (2, 3))
    build_spin.write_npz(tmp_path / spin.SKIP_FILE, arrays)
    tables = spin.load_skip(tmp_path / spin.SKIP_FILE, (2, 3), len(m.words) + 1)
    v = m.vocab

    def count(gap: int, a: str, b: str) -> float:
        keys, counts, *_ = tables[gap]
        key = np.uint64(v[a]) << np.uint64(32) | np.uint64(v[b])
        hit = np.flatnonzero(keys == key)
        return float(counts[hit[0]]) if len(hit) else 0.0

    assert count(2, "the", "said") == 2 and count(2, "minister", "that") == 1 and count(2, "minister", "so") == 1
    assert count(2, "talks", "on") == 2 and count(3, "the", "that") == 1 and count(3, "that", "on") == 1
    assert count(2, "talks", "talks") == 0  # "went on. Talks": never across a sentence end
    keys, counts, first, second, total = tables[2]
    assert total == counts.sum() == 5 + 1 + 2 and first[v["the"]] == 2 and second[v["said"]] == 2
    seen = spin.skip_logp(tables[2], np.array([v["the"]]), np.array([v["said"]]))
    unseen = spin.skip_logp(tables[2], np.array([v["the"]]), np.array([v["talks"]]))
    assert seen[0] > unseen[0] and np.isfinite(unseen).all()


def test_news_context_columns_read_neighbours_inside_the_sentence_only():
    m = spin.model()
    col = spin.SUGGEST_FEATURES.index
    cand = np.array([m.vocab["said"], m.vocab["took"]])
    doc = Document("Police claimed the man was arrested.")  # nothing two or three places to the left
    ctx = spin._Context(doc, m)
    i = doc.lower.index("claimed")
    x = spin.suggestion_features(m, ctx, np.full(2, i), np.full(2, ctx.ids[i]), cand, np.zeros(2))
    assert not x[:, [col("skip2_left"), col("skip3_left")]].any()
    assert (x[:, [col("news_left"), col("news_right"), col("skip2_right"), col("skip3_right")]] < 0).all()
    doc = Document("The prime minister claimed on Tuesday that talks would go on.")
    ctx = spin._Context(doc, m)
    i = doc.lower.index("claimed")
    x = spin.suggestion_features(m, ctx, np.full(2, i), np.full(2, ctx.ids[i]), cand, np.zeros(2))
    for f in ("news_left", "skip2_left", "skip3_left"):  # "minister said", "prime _ said", "the _ _ said"
        assert x[0, col(f)] > x[1, col(f)] + 1, f
    assert spin.suggest(m, ctx, np.array([i])) == ["said"]


def test_skip_tables_are_built_from_train_news(shared, tmp_path):
    from scorer.data import genuine_split
    from scorer.training import build_spin

    m = spin.model()
    full = build_spin.skip_counts([x.text for x in genuine_split("train")], m.vocab, spin.SKIP_GAPS)
    build_spin.write_npz(tmp_path / spin.SKIP_FILE, full)
    assert (tmp_path / spin.SKIP_FILE).read_bytes() == (spin.MODEL_DIR / spin.SKIP_FILE).read_bytes()


def test_seed_suggestion_breakdown_accounts_for_every_covered_substitution():
    from scorer.evaluation.spin import seed_coverage, seed_suggestion_breakdown

    out = seed_suggestion_breakdown()
    cov = seed_coverage()
    kinds = ("right", "multiword", "span", "none", "unreached", "ranked_lower")
    assert sum(out[k] for k in kinds) == out["covered"] == round(cov["coverage"] * cov["annotated"])
    assert out["right_share"] == cov["suggestion_accuracy"]
    assert out["unreached"] > 0 and out["ranked_lower"] > 0
    assert all(" -> " in e and "(suggested: " in e for v in out["examples"].values() for e in v)


def test_spin_evaluation_cli_prints_help_without_running(capsys):
    from scorer.evaluation.spin import main

    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    assert "--seed-suggestions" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_:
        main(["--speed", "--pps"])  # one report at a time
    assert exit_.value.code == 2


# ---------------------------------------------------------------- blocks of documents (spin.extract_many)


def _block_texts(seed_texts: dict[str, str]) -> list[str]:
    """Documents whose windows must not reach into each other: both seeds (spun, many findings), a scientific
    abstract (the trigram model stands aside), text with no words, unknown words only, and one sentence."""
    seeds = list(seed_texts.values())
    science = ("In this paper we propose a profound learning approach to counterfeit consciousness. Our results "
               "(Smith et al., 2019) show that the proposed method outperforms the baselines [12]. ") * 4
    return [seeds[0], science, "", "Zzqx vvrb qqpl.", seeds[1],
            "The minister said the talks would continue next week.", seeds[1][:700]]


def test_a_block_gives_each_document_what_it_gets_alone(seed_texts):
    docs = [Document(t) for t in _block_texts(seed_texts)]
    alone = [spin.extract(d) for d in docs]
    together = spin.extract_many(docs)
    assert len(together) == len(docs)
    for one, block in zip(alone, together):
        assert list(block.features) == list(one.features)
        assert block.features == one.features
        assert block.findings == one.findings
    assert len(together[0].findings) >= MIN_SEED_004_FINDINGS // 2  # the seeds keep their findings in a block
    assert together[2].features["spin.lm_synonym_llr"] == 0.0  # no words: nothing to weigh
    assert spin.extract_many([]) == []


def test_a_block_without_the_trigram_tables_reads_typical(seed_texts, monkeypatch):
    docs = [Document(t) for t in _block_texts(seed_texts)]
    monkeypatch.setattr(trigram, "model", lambda: None)
    for doc, result in zip(docs, spin.extract_many(docs)):
        assert result.features["spin.lm_fit"] == trigram.TYPICAL_PMI
        swappable = int(spin._Context(doc, spin.model()).has_synonyms.sum())
        assert result.features["spin.lm_synonym_llr"] == pytest.approx(spin.TYPICAL_LLR_PER_WORD * swappable)


def test_case_tables_count_lower_and_capitalised_uses_inside_sentences(tmp_path):
    from scorer.training import build_spin

    m = spin.model()
    texts = ["Company results rose. The Company said the company grew.", "Results came: the results and Results."]
    arrays = build_spin.case_counts(texts, m.vocab, len(m.words))
    company, results = m.vocab["company"], m.vocab["results"]
    # a sentence's first word says nothing about case: "Company results", "Results came" are not counted
    assert (arrays["lower"][company], arrays["capitalised"][company]) == (1, 1)
    assert (arrays["lower"][results], arrays["capitalised"][results]) == (2, 1)
    build_spin.write_npz(tmp_path / spin.CASE_FILE, arrays)
    share = spin.name_shares(tmp_path / spin.CASE_FILE, len(m.words))
    assert share[company] == pytest.approx((1 + spin.NAME_PRIOR) / 3) and share[-1] == 1.0
    assert share[m.vocab["troops"]] == pytest.approx(spin.NAME_PRIOR)  # never seen inside a sentence
    assert (spin.name_shares(tmp_path / "missing.npz", len(m.words)) == 1.0).all()


def test_case_tables_are_built_from_train_news(shared, tmp_path):
    from scorer.data import genuine_split
    from scorer.training import build_spin

    m = spin.model()
    full = build_spin.case_counts([x.text for x in genuine_split("train")], m.vocab, len(m.words))
    build_spin.write_npz(tmp_path / spin.CASE_FILE, full)
    assert (tmp_path / spin.CASE_FILE).read_bytes() == (spin.MODEL_DIR / spin.CASE_FILE).read_bytes()


def test_a_capitalised_title_word_is_weighed_as_a_word_and_a_name_as_a_name(seed_texts):
    m = spin.model()
    assert m.name_share[m.vocab["assistant"]] < 0.15 and m.name_share[m.vocab["russian"]] > 0.95
    doc = Document("NATO Assistant General Jens Stoltenberg met Russian officials.")
    (si, sj, _ev, _orig, x), _ctx = spin.score_spans(doc, m)
    name = {doc.words[i]: v for i, v in zip(si.tolist(), x[:, spin.SPAN_FEATURES.index("name_like")])}
    assert name["Assistant"] < 0.15 and name.get("Russian", 1.0) > 0.95
    # the issue's own example: a spinner's "Assistant General" for Secretary General, found in the seed
    text = seed_texts[SEED_004]
    start = text.index("NATO Assistant General") + len("NATO ")
    found = [f for f in spin.extract(Document(text)).findings if f.start == start]
    assert [(f.text, f.suggestion) for f in found] == [("Assistant", "Secretary")]


def test_neighbour_table_ranks_words_by_shared_contexts_and_skips_other_inflections():
    import numpy as np

    from scorer.training.build_lm import TrieLM, neighbour_table

    words = ["the", "troops", "soldiers", "banana", "fled", "ate", "soldier"]
    w = {x: i for i, x in enumerate(words)}
    pairs = [("the", "troops"), ("the", "soldiers"), ("the", "banana"), ("the", "soldier"), ("troops", "fled"),
             ("soldiers", "fled"), ("soldier", "fled"), ("banana", "ate")]
    n = len(words)
    lm = TrieLM(words, np.full(n, np.log(0.01)), np.zeros(n), np.array([w[a] for a, _ in pairs]),
                np.array([w[b] for _, b in pairs]), np.full(len(pairs), np.log(0.5)), np.zeros(len(pairs)),
                *(np.zeros(0, np.int64),) * 3, np.zeros(0))
    table = neighbour_table(lm, w, n, lambda word: 5.0)

    def neighbours(word: str) -> list[tuple[str, float]]:
        a, b = table["ptr"][w[word]], table["ptr"][w[word] + 1]
        return [(words[c], round(s / 255, 2)) for c, s in zip(table["cand"][a:b].tolist(), table["sim"][a:b].tolist())]

    # same neighbours on both sides: similarity 1; sharing only "the" before: 0.5; "soldier" is another inflection
    assert neighbours("soldiers") == [("troops", 1.0), ("banana", 0.5)]
    assert neighbours("troops")[:2] in ([("soldiers", 1.0), ("soldier", 1.0)], [("soldier", 1.0), ("soldiers", 1.0)])


def test_distributional_neighbours_offer_originals_no_dictionary_relation_reaches(seed_texts):
    import numpy as np

    m = spin.model()
    v = m.vocab

    def sim(a: str, b: str) -> float:
        return float(m.neighbour_sim(np.array([v[a]]), np.array([v[b]]))[0])

    assert sim("supporters", "allies") > 0.2 and sim("soldiers", "troops") > 0.3 and sim("army", "military") > 0.2
    assert sim("soldiers", "soldier") == 0.0 and sim("soldiers", "banana") == 0.0
    doc = Document("The supporters of the alliance met in Brussels on Wednesday.")
    _, cand, cost, _, source = spin.candidate_originals(m, spin._Context(doc, m), np.array([1]))
    row = cand.tolist().index(v["allies"])  # no WordNet or Aiksaurus link: offered as a neighbour only
    assert source[row] == spin._NEIGHBOUR_ONLY and cost[row] == spin.NEIGHBOUR_COST
    # the seed's "supporters" (for NATO's allies) get their original back
    found = spin.extract(Document(seed_texts["000_af59524d5182ebbf"])).findings
    got = [f.suggestion for f in found if f.text == "supporters"]
    assert got.count("allies") >= 3


def test_phrase_gains_weigh_a_thesaurus_phrase_against_its_likely_original():
    """``spin.lm_phrase_llr``: a multi-word phrase put in for a word (``monetary unit`` for euro) fits the trigram
    model far worse there than the word; the same sentence with the word has no such phrase."""
    import numpy as np

    m, lm = spin.model(), trigram.model()
    spun = Document("The strength of the monetary unit and weak demand hit exports last year.")
    ctx = spin._Context(spun, m)
    forms = spin.phrase_forms(m, ctx)
    at = [(i, j) for i, j, _, _ in forms]
    assert (4, 6) in at  # "monetary unit"
    (gains,) = spin.phrase_gains(m, lm, [ctx])
    assert len(gains) == len(forms) and gains[at.index((4, 6))] > 1.0
    genuine = Document("The strength of the euro and weak demand hit exports last year.")
    assert spin.extract(spun).features["spin.lm_phrase_llr"] > spin.extract(genuine).features["spin.lm_phrase_llr"]
    # a block gives each document what it gets alone
    block = spin.phrase_gains(m, lm, [spin._Context(genuine, m), spin._Context(spun, m)])
    assert np.array_equal(block[1], gains)
