"""Readability formulas: values, ranges, findings, and validity on OneStopEnglish."""
from __future__ import annotations

import math

import pytest

from scorer import readability
from scorer.document import Document
from scorer.readability import ReadabilityConfig, extract

CFG = ReadabilityConfig()


def features(text: str) -> dict[str, float]:
    return extract(Document(text), CFG).features


def test_feature_ids_are_stable_and_all_present() -> None:
    f = features("The cat sat on the mat. It was happy.")
    assert list(f) == list(readability.FEATURES)
    assert all(k.startswith("readability.") for k in f)
    assert all(isinstance(v, float) and math.isfinite(v) for v in f.values())


def test_counts_and_formulas_by_hand() -> None:
    # 9 words, 2 sentences, 10 syllables (the cat sat on the mat / it was hap-py)
    f = features("The cat sat on the mat. It was happy.")
    assert f["readability.word_count"] == 9.0
    assert f["readability.sentence_count"] == 2.0
    assert f["readability.syllables_per_word"] == pytest.approx(10 / 9)
    assert f["readability.words_per_sentence"] == 4.5
    assert f["readability.flesch_kincaid_grade"] == 0.0  # 0.39*4.5 + 11.8*10/9 - 15.59 = -0.72, floored
    assert f["readability.flesch_reading_ease"] == 100.0  # 206.835 - 4.57 - 94.0 = 108.3, clamped
    # 27 letters -> L = 300, S = 22.2: CLI = 17.64 - 6.58 - 15.8 < 0 -> 0
    assert f["readability.coleman_liau_index"] == 0.0
    assert f["readability.automated_readability_index"] == 0.0  # 4.71*3 + 0.5*4.5 - 21.43 < 0
    assert f["readability.gunning_fog"] == pytest.approx(0.4 * 4.5)
    assert f["readability.smog_index"] == pytest.approx(3.1291)
    assert f["readability.difficult_word_ratio"] == 0.0
    assert f["readability.dale_chall"] == pytest.approx(0.0496 * 4.5)


def test_hard_text_scores_harder_than_easy_text() -> None:
    easy = features("The dog ran to the park. It saw a ball. The dog was glad. It ran home.")
    hard = features(
        "Notwithstanding considerable institutional reluctance, the multilateral organisation "
        "subsequently implemented comprehensive regulatory modifications concerning international "
        "telecommunications infrastructure, precipitating substantial controversy."
    )
    for key in ("consensus_grade", "flesch_kincaid_grade", "gunning_fog", "smog_index", "dale_chall",
                "automated_readability_index", "coleman_liau_index", "difficult_word_ratio"):
        assert hard[f"readability.{key}"] > easy[f"readability.{key}"], key
    assert hard["readability.flesch_reading_ease"] == 0.0  # clamped at the bottom of its range
    assert 0.0 <= easy["readability.flesch_reading_ease"] <= 100.0


def test_proper_names_and_numbers_are_not_difficult_words() -> None:
    f = features("Yesterday Stoltenberg met Grushko in Brussels at 10 and they talked.")
    assert f["readability.difficult_word_ratio"] == 0.0


def test_sentence_initial_unfamiliar_word_is_difficult() -> None:
    f = features("Sovereignty matters to the people.")
    assert f["readability.difficult_word_ratio"] == pytest.approx(1 / 5)


def test_gunning_fog_skips_names_compounds_and_inflections() -> None:
    doc = Document("We met Alexander at the well-organised meeting. They were surprised and relaxing.")
    c = readability.counts(doc)
    assert c.complex_words == 0
    assert readability.counts(Document("Representatives negotiated.")).complex_words == 2


def test_long_sentence_finding_has_exact_span() -> None:
    long = "This " + " ".join(["word"] * 44) + "."
    t = f"Short one. {long} Another short one."
    result = extract(Document(t), CFG)
    [finding] = result.findings
    assert finding.code == "readability.long_sentence"
    assert finding.text == t[finding.start:finding.end] == long
    assert "45 words" in finding.message
    assert result.features["readability.long_sentence_ratio"] == pytest.approx(1 / 3)
    assert extract(Document(t), ReadabilityConfig(long_sentence_words=50)).findings == []


def test_empty_document_is_all_zero() -> None:
    f = features("---")
    assert set(f.values()) == {0.0}


def test_consensus_grade_orders_onestop_versions(shared) -> None:
    from scorer.evaluation.readability import load_onestop

    grades: dict[str, list[float]] = {}
    for tid, _, txt in load_onestop():
        grades.setdefault(tid, []).append(features(txt)["readability.consensus_grade"])
    assert len(grades) == 189
    ordered = sum(1 for g in grades.values() if g[0] < g[1] < g[2])
    assert ordered / len(grades) >= 0.97


def test_corpus_reader_handles_bom_and_cp1252(tmp_path) -> None:
    from scorer.evaluation.readability import read_text

    (tmp_path / "a.txt").write_bytes("\ufeffCaf\u00e9 \u2019s".encode("utf-8"))
    (tmp_path / "b.txt").write_bytes("Caf\u00e9 \u2019s".encode("cp1252"))
    assert read_text(tmp_path / "a.txt") == read_text(tmp_path / "b.txt") == "Caf\u00e9 \u2019s"


def test_benchmark_documents_are_distinct_600_word_texts(shared) -> None:
    from scorer.evaluation.readability import bench_documents

    docs = bench_documents(50)
    assert len(docs) == 50 == len(set(docs))
    assert all(len(d.split()) == 600 for d in docs)


def test_clause_and_sentence_shape_features_by_hand() -> None:
    t = ("Dr. Smith, who was tired, said that the U.S. economy, which grew, was hurt by sanctions; "
         "and it is 09:00. The report was written - badly.")
    f = features(t)
    assert f["readability.sentence_count"] == 2.0
    assert f["readability.commas_per_sentence"] == 2.0  # 4 commas in the first sentence
    assert f["readability.clause_punctuation_per_sentence"] == 1.0  # ';' and ' - '; the clock colon is not
    assert f["readability.relatives_per_sentence"] == 1.0  # who, which
    assert f["readability.that_per_sentence"] == 0.5
    assert f["readability.coordinators_per_sentence"] == 0.5
    assert f["readability.passives_per_sentence"] == 1.5  # was tired, was hurt, was written
    assert f["readability.subordinators_per_sentence"] == 0.0
    assert f["readability.sentence_length_p90"] == 20.0
    assert f["readability.sentences_over_20_ratio"] == 0.0
    letters = sum(ch.isalnum() for ch in t)
    assert f["readability.characters_per_sentence"] == pytest.approx(letters / 2)


def test_word_frequency_features_ignore_names_and_numbers() -> None:
    plain = features("The cat sat on the big bed and the dog ran to the park.")
    assert plain["readability.rare_word_ratio"] == 0.0
    assert plain["readability.content_word_zipf"] > 4.5
    named = features("The cat sat on the bed with Grushko in 2004 and 3.5 dogs.")
    assert named["readability.rare_word_ratio"] == 0.0  # Grushko is a name; 2004 and 3.5 are numbers
    rare = features("The cat sat on the bed. Its coat was iridescent and its gait sesquipedalian.")
    assert rare["readability.rare_word_ratio"] == pytest.approx(3 / 14)  # iridescent, gait, sesquipedalian
    assert rare["readability.content_word_zipf"] < plain["readability.content_word_zipf"]


def test_word_frequency_of_possessives_and_compounds() -> None:
    from scorer.text import ZIPF_FLOOR, zipf_of

    assert zipf_of("the") > 7.0
    assert zipf_of("sesquipedalian's") == zipf_of("sesquipedalian") > ZIPF_FLOOR
    assert zipf_of("de-escalate") == min(zipf_of("de"), zipf_of("escalate"))
    assert zipf_of("qxzvbw") == ZIPF_FLOOR


def test_new_features_are_finite_on_odd_text() -> None:
    for t in ("", "---", "1 2 3 4", "WHO WHICH THAT", "a", "http://example.com", "\u2014 \u2013 ; : ("):
        f = features(t)
        assert list(f) == list(readability.FEATURES)
        assert all(math.isfinite(v) for v in f.values()), t


def test_consensus_grade_blends_formulas_vocabulary_and_sentence_tail() -> None:
    from scorer.readability import (NEWS_NORMS, blended_grade, rare_word_logit,
                                    word_weighted_sentence_length)

    mean, sd = NEWS_NORMS["formula_grade"]
    logit, logit_sd = NEWS_NORMS["rare_word_logit"]
    length = NEWS_NORMS["word_weighted_sentence_length"][0]
    assert blended_grade(mean, logit, length) == pytest.approx(mean)  # a typical news article keeps its grade
    rarer = blended_grade(mean, logit + logit_sd, length)
    assert rarer == pytest.approx(mean + sd / 3, rel=1e-3)  # one sd rarer: +sd/3
    assert blended_grade(-30.0, -5.0, 1.0) == 0.0  # floored at grade 0
    f = features("The cat sat on the bed. It was happy.")
    assert f["readability.consensus_grade"] == blended_grade(
        f["readability.formula_grade"], rare_word_logit(0, 9), word_weighted_sentence_length((6, 3))
    )
    assert f["readability.consensus_grade"] < mean


def test_consensus_components() -> None:
    from scorer.readability import rare_word_logit, word_weighted_sentence_length

    assert word_weighted_sentence_length((10, 30)) == pytest.approx((100 + 900) / 40)  # 25, not the mean 20
    assert word_weighted_sentence_length(()) == 0.0
    assert rare_word_logit(0, 0) == 0.0  # log(0.5 / 0.5): finite on empty text
    assert rare_word_logit(5, 100) == pytest.approx(math.log(5.5 / 95.5))
    assert rare_word_logit(10, 100) > rare_word_logit(5, 100)


def test_sentence_initial_names_are_truecased_by_the_document() -> None:
    # "Kumla" starts a sentence, but the document writes it capitalised mid-sentence and never
    # in lower case: a name, so neither a difficult (Dale-Chall) nor a rare word.
    named = "Kumla is a town. The prison in Kumla is big. People go there."
    plain = "Kumla is a town. The prison in Uppsala is big. People go there."
    c_named, c_plain = readability.counts(Document(named)), readability.counts(Document(plain))
    assert c_named.difficult_words == c_plain.difficult_words - 1
    assert c_named.rare_words == c_plain.rare_words - 1
    # A word the document also writes in lower case stays a word at a sentence start, even if a
    # title capitalises it mid-sentence: only "The Times" is a name here.
    title = "Times change fast. He reads The Times at times. Times are hard."
    assert readability.counts(Document(title)).frequency_words == 10
    assert readability.counts(Document(title.replace("at times", "at noon"))).frequency_words == 8


def test_vocabulary_counts_follow_their_per_word_definitions() -> None:
    # The packed per-type sums must equal counting word by word from the definitions.
    from scorer import text

    t = ("The well-known economist's forecast, released on 3 March, startled 2,000 investors; "
         "whereas analysts had predicted modest growth, the ex-minister's reaction was sanguine.")
    doc = Document(t)
    c = readability.counts(doc)
    words = [low for i, (w, low) in enumerate(zip(doc.words, doc.lower))
             if not low[0].isdigit() and not (i and w[0].isupper())]  # no numbers, no "March"
    assert c.frequency_words == len(words) == 19
    assert c.difficult_words == sum(w not in text.familiar_forms() for w in words)
    assert c.rare_words == sum(text.zipf_of(w) < readability.RARE_ZIPF for w in words)
    content = [w for w in words if w not in readability.FUNCTION_WORDS]
    assert c.content_words == len(content)
    assert c.content_zipf_sum == pytest.approx(sum(text.zipf_of(w) for w in content), abs=1e-9)
