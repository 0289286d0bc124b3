"""The public API contract: score, score_many, Report, Finding."""
from __future__ import annotations

import json
import math

import pytest

import scorer
from scorer.errors import InputError

SIMPLE = "The council met on Wednesday. All 30 allies attended the four-hour meeting in Brussels."


def test_public_names() -> None:
    for name in ("score", "score_many", "Report", "Finding", "Config", "InputError"):
        assert name in scorer.__all__ and hasattr(scorer, name)


def test_report_contract(seed_texts: dict[str, str]) -> None:
    text = next(iter(seed_texts.values()))
    report = scorer.score(text)
    assert 0.0 <= report.score <= 1.0
    assert report.label == ("reliable" if report.score >= 0.5 else "unreliable")
    assert set(report.features) == set(scorer.feature_ids(False))
    assert all(isinstance(v, float) for v in report.features.values())
    assert not any(k.startswith("consistency.") for k in report.features)
    for f in report.findings:
        assert text[f.start:f.end] == f.text
        assert f.family in ("readability", "quality", "spin", "consistency")
    data = json.loads(json.dumps(report.to_dict()))
    assert data["label"] == report.label and data["features"] == report.features


def test_reference_adds_consistency_features() -> None:
    report = scorer.score(SIMPLE, reference=SIMPLE)
    assert report.has_reference and report.model == "ref"
    assert set(report.features) == set(scorer.feature_ids(True))


def test_short_text_against_long_source_uses_the_summary_model(seed_texts: dict[str, str]) -> None:
    source = next(iter(seed_texts.values()))
    report = scorer.score("NATO and Russia held talks in Brussels on Wednesday.", reference=source)
    assert report.model == "summary" and report.has_reference
    assert all(r.feature.startswith("consistency.") for r in report.reasons)


def test_score_many_matches_score() -> None:
    texts = [SIMPLE, SIMPLE + " It rained."]
    many = scorer.score_many(texts)
    assert [r.score for r in many] == pytest.approx([scorer.score(t).score for t in texts])


@pytest.mark.parametrize(
    ("bad", "message"),
    [("", "empty"), ("   \n\t ", "empty"), ("a\x00b", "binary"), (b"bytes", "must be str")],
)
def test_bad_input_is_one_line_error(bad: object, message: str) -> None:
    with pytest.raises(InputError, match=message) as exc:
        scorer.score(bad)  # type: ignore[arg-type]
    assert "\n" not in str(exc.value)


def test_too_long_text_is_refused() -> None:
    with pytest.raises(InputError, match="too long"):
        scorer.score("word " * 10, config=scorer.Config(max_chars=20))


def test_score_many_names_the_bad_position() -> None:
    with pytest.raises(InputError, match="text #1 is empty"):
        scorer.score_many([SIMPLE, " "])
    with pytest.raises(InputError, match="2 texts but 1 references"):
        scorer.score_many([SIMPLE, SIMPLE], references=[SIMPLE])


def test_seeds_are_unreliable(seed_texts: dict[str, str]) -> None:
    for name, text in seed_texts.items():
        assert scorer.score(text).label == "unreliable", name


def test_held_out_genuine_articles_are_reliable(shared) -> None:
    from scorer.data import genuine_split

    test = genuine_split("test")[:40]
    reports = scorer.score_many([a.text for a in test])
    reliable = sum(r.label == "reliable" for r in reports)
    assert reliable >= 36, f"only {reliable}/40 held-out genuine articles labelled reliable"


#: Written for these tests: a German news paragraph of 59 words.
GERMAN = (
    "Die Bundesregierung hat am Mittwoch ein neues Gesetz zur Förderung erneuerbarer Energien beschlossen. "
    "Nach Angaben des Wirtschaftsministeriums sollen bis zum Jahr 2030 mindestens achtzig Prozent des Stroms aus "
    "Wind- und Solaranlagen stammen. Kritiker bemängeln, dass der Ausbau der Netze nicht mit dem Tempo Schritt "
    "halte. Die Opposition forderte Nachbesserungen bei den Ausschreibungen für Windparks auf See und an Land."
)


def test_a_text_that_is_not_english_prose_is_capped_and_says_why() -> None:
    free = scorer.Config(out_of_scope_rules=())
    for text, rule in ((GERMAN, "quality.not_english"), ("a b c d e f g h i j k l m n o p q r s t u v w x y z " * 20,
                                                        "quality.not_english")):
        raw = scorer.score(text, config=free)
        assert raw.score > 0.5 and raw.label == "reliable"  # what the classifier alone makes of it
        report = scorer.score(text)
        assert report.score == 0.1 and report.label == "unreliable"
        assert report.out_of_scope == rule and raw.out_of_scope is None
        assert report.to_dict()["out_of_scope"] == rule
        first = report.reasons[0]
        assert first.feature == rule and first.message.endswith("(out of scope: score capped at 0.1)")
        assert first.contribution == pytest.approx(math.log(0.1 / 0.9) - math.log(raw.score / (1 - raw.score)),
                                                   abs=1e-3)
        assert report.features == raw.features
        assert report.findings == tuple(f for f in raw.findings if f.family != "spin")
    assert sum(f.family == "spin" for f in raw.findings) > 100  # the word list's synonym "swaps", dropped
    # the first rule in the configured order is the one named
    assert scorer.score(GERMAN, config=scorer.Config(
        out_of_scope_rules=("quality.few_stop_words", "quality.not_english"))).reasons[0].feature == "quality.few_stop_words"
    # the cap is configurable, and never raises a score
    assert scorer.score(GERMAN, config=scorer.Config(out_of_scope_score=0.3)).score == 0.3
    assert scorer.score(GERMAN, config=scorer.Config(out_of_scope_score=0.99)).score == raw_score(GERMAN, free)


def raw_score(text: str, config: scorer.Config) -> float:
    return scorer.score(text, config=config).score


def test_a_short_text_is_never_out_of_scope() -> None:
    """Below 50 words a headline or summary may lack stop words: the rules do not apply."""
    short = " ".join(GERMAN.split()[:40])
    report = scorer.score(short)
    assert any(f.code == "quality.not_english" for f in report.findings)  # the finding is still reported
    assert report.score == raw_score(short, scorer.Config(out_of_scope_rules=()))
    assert report.out_of_scope is None
    assert all(r.feature != "quality.not_english" for r in report.reasons)


def test_no_genuine_article_is_out_of_scope(shared) -> None:
    from scorer import quality
    from scorer.config import DEFAULT
    from scorer.data import genuine_articles
    from scorer.document import Document

    rules = set(DEFAULT.out_of_scope_rules)
    hits = [a.id for a in genuine_articles()
            if any(f.code in rules for f in quality.extract(Document(a.text), DEFAULT.quality).findings)]
    assert hits == []


def test_shared_references_are_those_a_batch_repeats() -> None:
    from scorer.pipeline import shared_references

    assert shared_references(["a", None, "b", "a", None, "b", "c"]) == ["a", "b"]
    assert shared_references([None, None]) == []


def test_a_reference_shared_by_a_batch_gives_the_same_reports_as_one_by_one() -> None:
    from scorer.pipeline import score_many

    ref = ("NATO Secretary General Jens Stoltenberg said on Wednesday that the 30 allies met Russia for four "
           "hours in Brussels. He said the talks were difficult. Russia has massed 100,000 troops near Ukraine.")
    texts = ["NATO Assistant General Jens Stoltenberg said on Thursday that 31 allies met Russia in Brussels.",
             "Stoltenberg said the 30 allies met Russia for four hours on Wednesday; the talks were difficult.",
             "Russia has massed 10,000 troops near Ukraine, NATO said."]
    batch = score_many(texts, references=[ref] * len(texts))
    for text, got in zip(texts, batch):
        alone = scorer.score(text, reference=ref)
        assert got.features == alone.features
        assert [(f.code, f.start, f.end, f.message) for f in got.findings] == \
            [(f.code, f.start, f.end, f.message) for f in alone.findings]
        assert got.score == alone.score
    assert any(f.code == "consistency.number_mismatch" for f in batch[2].findings)


def test_a_reference_of_the_wrong_type_is_an_input_error_even_when_repeated() -> None:
    from scorer.pipeline import score_many

    with pytest.raises(InputError, match="reference of text #0 must be str, not list"):
        score_many(["The council met on Wednesday."] * 2, references=[["a"], ["a"]])


def test_blocks_of_texts_give_the_same_reports_as_one_text_at_a_time(monkeypatch, seed_texts) -> None:
    from scorer import pipeline

    seeds = list(seed_texts.values())
    texts = [seeds[0], SIMPLE, seeds[1], "Russia has massed 10,000 troops near Ukraine, NATO said.", seeds[0][:400]]
    refs = [seeds[1], None, seeds[0], SIMPLE, None]
    monkeypatch.setattr(pipeline, "BLOCK", 2)  # blocks of 2, 2 and 1, references mixed in
    blocked = pipeline.analyze_many(texts, refs)
    monkeypatch.setattr(pipeline, "BLOCK", 1)
    for (features, findings), text, ref in zip(blocked, texts, refs):
        alone_features, alone_findings = pipeline.analyze(text, ref)
        assert list(features) == list(alone_features)  # same columns in the same order
        assert features == alone_features
        assert findings == alone_findings
    assert any(k.startswith("consistency.") for k in blocked[0][0])
    assert not any(k.startswith("consistency.") for k in blocked[1][0])


def test_scoring_leaves_no_reference_cycles_and_restores_the_collector(seed_texts) -> None:
    """The pipeline pauses the cyclic collector while it analyses, which is only safe without cycles.

    Counted in a fresh interpreter: in the test process, threads that other tests leave behind (tqdm's
    monitor, Dask's offload pool) may make cyclic garbage of their own at any moment.
    """
    import subprocess
    import sys

    code = (
        "import gc, json, sys\n"
        "import scorer\n"
        "texts, refs = json.load(sys.stdin)\n"
        "scorer.score_many(texts, references=refs)\n"  # first, so the models and tables it needs are loaded (once)
        "gc.collect()\n"
        "gc.disable()\n"
        "reports = scorer.score_many(texts, references=refs)\n"
        "del reports\n"
        "print(gc.collect(), gc.isenabled())\n"
        "gc.enable()\n"
        "scorer.score('A short text.')\n"
        "print(gc.isenabled())\n"
    )
    seeds = list(seed_texts.values())
    texts, refs = seeds + [SIMPLE, SIMPLE], [seeds[1], seeds[0], seeds[0], None]
    out = subprocess.run([sys.executable, "-c", code], input=json.dumps([texts, refs]), capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["0", "False", "True"]  # no cycles; the pipeline left a paused collector paused, an active one on


def test_the_collector_is_restored_when_analysis_fails(monkeypatch) -> None:
    import gc

    from scorer import pipeline

    def broken(doc, config):
        raise RuntimeError("family failed")

    monkeypatch.setattr(pipeline, "_FAMILIES", ((broken, "spin"),))
    with pytest.raises(RuntimeError, match="family failed"):
        pipeline.analyze_many([SIMPLE], [None])
    assert gc.isenabled()
