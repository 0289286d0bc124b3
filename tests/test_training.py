"""Training and held-out evaluation helpers: cross-validation groups and the out-of-corpus news check."""
from __future__ import annotations

import json

import pytest

from scorer.data import REPO
from scorer.evaluation.classifier import by_mode, other_news_documents
from scorer.training.datasets import Example, summedits_files
from scorer.training.train import C_GRID, cv_group


def test_cv_holds_out_whole_summedits_domains_but_single_articles() -> None:
    pair = Example("summedits/news/abc123", "summedits:news", "A summary.", 1, "A source.")
    article = Example("bbc/business/001", "spun:word:0.3", "A text.", 0)
    assert cv_group(pair) == "summedits:news"
    assert cv_group(article) == "bbc/business/001"
    assert min(C_GRID) <= 0.003  # strong enough regularisation for the small summary set


def test_examples_are_routed_to_the_model_that_scores_them() -> None:
    long_text = " ".join(["The council met on Wednesday and agreed the budget."] * 40)
    sets = by_mode([
        Example("a", "genuine", long_text, 1),
        Example("b", "excerpt", long_text, 1, long_text),
        Example("c", "summedits:news", "Councillors passed the spending plan.", 1, long_text),
        Example("d", "excerpt", "The council met on Wednesday and agreed the budget.", 1, long_text),
    ])
    assert [e.group for e in sets["noref"]] == ["a"]
    assert [e.group for e in sets["ref"]] == ["b"]
    assert [e.group for e in sets["summary"]] == ["c"]
    assert [e.group for e in sets["excerpt"]] == ["d"]


def test_other_news_is_summedits_news_test_part_only(shared) -> None:
    docs = other_news_documents()
    path = next(p for p in summedits_files() if p.stem == "summedits_news")
    items = json.loads(path.read_text(encoding="utf-8"))
    trained_on = {i["doc"] for i in items if i["split"] == "evaluation"}
    assert len(docs) == len(set(docs)) >= 20
    assert not trained_on & set(docs)


def test_other_source_scores_onestopenglish_levels_and_spun_copies(shared) -> None:
    """Another outlet's genuine news is labelled reliable and its spun copies are told apart (shipped model)."""
    from scorer.evaluation.classifier import other_source
    from scorer.model import default_classifier

    got = other_source(default_classifier("noref"), rates=(0.3,), limit=12)
    assert got["n"] == 12
    assert got["median_words_advanced"] > 500
    for level in ("elementary", "intermediate", "advanced"):
        assert got[f"{level}_labelled_reliable"] >= 0.9, level
    assert got["frequent@0.3"] >= 0.95 and got["thesaurus@0.3"] >= 0.95
    assert 0.0 <= got["frequent@0.3_labelled_unreliable"] <= 1.0
    assert set(got) == {"n", "median_words_advanced", "elementary_labelled_reliable", "intermediate_labelled_reliable",
                        "advanced_labelled_reliable", "frequent@0.3", "frequent@0.3_labelled_unreliable",
                        "thesaurus@0.3", "thesaurus@0.3_labelled_unreliable"}


def test_platt_fold_is_the_recalibrated_logit_in_the_coefficients() -> None:
    import numpy as np

    from scorer.training.train import make_pipeline, out_of_fold, platt_fold

    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 3))
    y = (x[:, 0] + rng.normal(scale=2.0, size=400) > 0).astype(int)
    w = np.ones(400)
    groups = [str(i // 4) for i in range(400)]
    pipe = make_pipeline(2.0).fit(x, y, logit__sample_weight=w)
    before = pipe.decision_function(x)
    oof, _ = out_of_fold(x, y, w, groups, 2.0)
    a, b = platt_fold(pipe, oof, y, w)
    assert np.allclose(pipe.decision_function(x), a * before + b)
    assert 0.2 < a < 2.0  # a real recalibration, not a degenerate one


def test_fit_model_bounds_only_the_signed_coefficients() -> None:
    import numpy as np

    from scorer.training.train import fit_model, make_pipeline

    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 4))
    y = (x[:, 0] - 0.5 * x[:, 1] + rng.normal(size=400) > 0).astype(int)
    w = rng.uniform(0.5, 1.5, 400)
    free = make_pipeline(1.0).fit(x, y, logit__sample_weight=w)[-1]
    # bounds the unbounded optimum already satisfies: the same model as scikit-learn's
    same = fit_model(1.0, x, y, w, np.array([1, -1, 0, 0]))[-1]
    assert np.allclose(same.coef_, free.coef_, atol=1e-3)
    assert np.allclose(same.intercept_, free.intercept_, atol=1e-3)
    # bounds against the data: those coefficients sit on the bound, the free ones still fit
    held = fit_model(1.0, x, y, w, np.array([-1, 1, 0, 0]))[-1]
    assert held.coef_[0, 0] == 0.0 and held.coef_[0, 1] == 0.0
    assert fit_model(1.0, x, y, w, None)[-1].coef_[0, 0] == free.coef_[0, 0]


def test_expected_signs_name_real_features() -> None:
    from scorer.features import EXPECTED_SIGN, feature_ids
    from scorer.training.train import sign_bounds

    assert set(EXPECTED_SIGN) <= set(feature_ids("ref"))
    assert set(EXPECTED_SIGN.values()) <= {-1, 1}
    bounds = sign_bounds(("consistency.contradiction_count", "spin.prior", "consistency.support_min",
                          "spin.novelty", "readability.smog_index", "quality.bullet_line_ratio"))
    assert bounds.tolist() == [-1, -1, 1, 1, 0, 0]


def test_kind_summary_shows_base_rate_and_own_calibration() -> None:
    import numpy as np

    from scorer.evaluation.classifier import kind_summary

    y = np.array([1, 0, 0, 0])
    over = kind_summary(y, np.array([0.9, 0.9, 0.9, 0.9]))  # says 0.9, one in four is reliable
    assert over["observed_reliable"] == 0.25 and over["mean_score"] == 0.9
    assert abs(over["ece"] - 0.65) < 1e-9 and over["share_labelled_reliable"] == 1.0 and over["label"] is None
    exact = kind_summary(np.array([1, 1]), np.array([1.0, 1.0]))
    assert exact["ece"] == 0.0 and exact["label"] == 1 and exact["roc_auc"] is None


def test_spun_copies_are_broken_down_by_rate_and_style() -> None:
    import numpy as np

    from scorer.evaluation.classifier import summarise

    ex = [Example("a", "genuine", "t", 1), Example("a", "spun:word:0.1", "t", 0), Example("b", "spun:word:0.5", "t", 0),
          Example("c", "spun:common:0.1", "t", 0), Example("d", "spun:common:0.8", "t", 0)]
    out = summarise(ex, np.array([0.9, 0.7, 0.1, 0.2, 0.05]))["spun_labelled_unreliable"]
    assert list(out["by_rate"]) == ["0.1", "0.5", "0.8"]  # numeric order
    assert out["by_rate"]["0.1"] == {"n": 2, "share": 0.5}  # 0.7 is labelled reliable, 0.2 is not
    assert out["by_style"] == {"common": {"n": 2, "share": 1.0}, "word": {"n": 2, "share": 0.5}}
    assert "spun_labelled_unreliable" not in summarise(ex[:1], np.array([0.9]))


def test_summary_calibration_uses_only_summedits_rows() -> None:
    from scorer.training.datasets import Example
    from scorer.training.train import calibration_rows

    rows = [Example("a", "summedits:news", "s", 1, "r"), Example("b", "spun:word:0.1", "s", 0, "r"),
            Example("c", "corrupted", "s", 0, "r")]
    assert calibration_rows("summary", rows).tolist() == [True, False, False]
    assert calibration_rows("excerpt", rows).tolist() == [True, True, True]
    assert calibration_rows("noref", rows[1:]).tolist() == [True, True]


def test_short_excerpt_is_one_to_three_whole_paragraphs_of_60_to_200_words() -> None:
    import random

    from scorer.training.datasets import SHORT_EXCERPT_WORDS, short_excerpt

    paras = [" ".join(f"w{i}x{j}" for j in range(n)) for i, n in enumerate([12, 45, 30, 250, 70, 20, 15])]
    article = "Headline words here\n" + "\n".join(paras)
    for seed in range(30):
        ex = short_excerpt(article, random.Random(seed))
        assert ex is not None
        chosen = ex.split("\n\n")
        assert 1 <= len(chosen) <= 3 and all(p in paras for p in chosen)
        assert SHORT_EXCERPT_WORDS[0] <= len(ex.split()) <= SHORT_EXCERPT_WORDS[1]
        assert paras.index(chosen[-1]) - paras.index(chosen[0]) == len(chosen) - 1  # contiguous
    assert short_excerpt("Headline\nToo short to quote.\nStill short.", random.Random(0)) is None


def test_short_excerpts_reach_only_the_excerpt_and_ref_models() -> None:
    from scorer.evaluation.classifier import add_short_excerpts

    long_text = " ".join(["The council met on Wednesday and agreed the budget."] * 40)
    sets: dict[str, list[Example]] = {m: [] for m in ("noref", "ref", "summary", "excerpt")}
    add_short_excerpts(sets, [
        Example("d", "excerpt", "The council met on Wednesday and agreed the budget.", 1, long_text),
        Example("s", "spun:word:0.8", "Councillors convened on Wednesday and approved the plan.", 0, long_text),
    ])
    assert [e.group for e in sets["excerpt"]] == ["d"]
    assert sets["summary"] == [] and sets["noref"] == []


def test_hallucinate_inserts_a_foreign_sentence_or_an_unsupported_detail() -> None:
    import random

    from scorer.training.datasets import hallucinate

    summary = "The council approved the budget. Spending on roads will rise."
    other = "A new stadium will open next spring after years of delays and rising costs for the club."
    kinds = set()
    for seed in range(40):
        kind, text = hallucinate(summary, other, random.Random(seed))
        kinds.add(kind)
        if kind == "sentence":
            assert other in text and text.replace(other, " ").split() == summary.split()
        else:
            assert text != summary and len(text) > len(summary)
            assert text.endswith(".") and "approved the budget" in text  # spliced inside a sentence, before its stop
    assert kinds == {"sentence", "detail"}


def test_hallucinated_rows_are_held_out_with_their_summedits_domain() -> None:
    row = Example("summedits/news/abc123", "hallucinated:news:detail", "A summary on Monday.", 0, "A source.")
    assert cv_group(row) == cv_group(Example("summedits/news/x", "summedits:news", "A summary.", 1, "A source."))


def test_held_out_models_leave_out_each_domains_test_part(monkeypatch) -> None:
    from scorer.training import train

    seen: dict[str, list[str]] = {}

    def fake_fit(name, examples, rows):
        class F:
            classifier = f"model-{len(seen)}"
        seen[F.classifier] = [e.group for e in examples]
        return F

    monkeypatch.setattr(train, "fit_classifier", fake_fit)
    base = [Example("summedits/news/e1", "summedits:news", "s", 1, "r")]
    test_part = [Example(f"summedits/{d}/t{i}", f"summedits:{d}", "s", i % 2, "r")
                 for d in ("news", "podcast") for i in range(2)]
    models = train.held_out_models("summary", base, [{}], test_part, [{}] * len(test_part))
    assert sorted(models) == ["summedits:news", "summedits:podcast"]
    assert seen[models["summedits:news"]] == ["summedits/news/e1", "summedits/podcast/t0", "summedits/podcast/t1"]
    assert seen[models["summedits:podcast"]] == ["summedits/news/e1", "summedits/news/t0", "summedits/news/t1"]


def test_summedits_rows_are_scored_by_their_domains_held_out_model(monkeypatch) -> None:
    import numpy as np

    from scorer.evaluation import classifier as ev

    class Const:
        def __init__(self, p: float) -> None:
            self.p = p

        def predict(self, rows):
            return np.full(len(rows), self.p)

    rows = [Example("summedits/news/a", "summedits:news", "s", 1, "r"),
            Example("summedits/news/a", "hallucinated:news:detail", "s", 0, "r"),
            Example("summedits/podcast/b", "summedits:podcast", "s", 1, "r"),
            Example("bbc/x", "spun:word:0.8", "s", 0, "r")]
    monkeypatch.setattr(ev, "predict", lambda model, examples: model.predict(examples))
    p = ev.predict_held_out("summary", {"summary": Const(0.9)}, rows, {"summary": {"summedits:news": Const(0.1)}})
    assert p.tolist() == [0.1, 0.1, 0.9, 0.9]


@pytest.mark.parametrize("module", ["scorer.training.spin_model", "scorer.training.build_spin"])
def test_builders_print_help_without_building(module, capsys):
    import importlib

    models = sorted((p.name, p.stat().st_mtime_ns) for p in (REPO / "models" / "spin").iterdir())
    with pytest.raises(SystemExit) as exit_:
        importlib.import_module(module).main(["--help"])
    assert exit_.value.code == 0 and "usage: python -m " + module in capsys.readouterr().out
    assert sorted((p.name, p.stat().st_mtime_ns) for p in (REPO / "models" / "spin").iterdir()) == models
