"""The model loader: skops artifacts checked against their manifest."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from scorer.errors import ModelError
from scorer.features import MODES, feature_ids
from scorer.model import load_classifier, read_linear_skops, read_manifest
from scorer.training.train import save_model

pytest.importorskip("skops")


def _write_model(directory: Path, with_reference: bool = False, pipeline=None) -> dict:
    """A small real model over the code's feature ids, with its manifest (schema 1)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    ids = feature_ids(with_reference)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, len(ids)))
    y = (x[:, 0] + 0.3 * rng.normal(size=60) > 0).astype(int)
    pipe = Pipeline([("scale", StandardScaler()), ("logit", LogisticRegression())]) if pipeline is None else pipeline
    pipe.fit(x, y)
    name = "ref" if with_reference else "noref"
    manifest = {"schema_version": 1, "models": {name: save_model(pipe, directory, name, ids)}}
    (directory / "manifest.json").write_text(json.dumps(manifest))
    return manifest


def test_fast_reader_matches_skops_load(tmp_path: Path) -> None:
    _write_model(tmp_path)
    fast = load_classifier(False, tmp_path)
    full = load_classifier(False, tmp_path, full=True)
    rows = [{f: float(v) for f, v in zip(fast.feature_ids, np.random.default_rng(i).normal(size=len(fast.feature_ids)))}
            for i in range(5)]
    np.testing.assert_allclose(fast.predict(rows), full.predict(rows), rtol=1e-12)
    assert fast.contributions(rows[0]) == pytest.approx(full.contributions(rows[0]))


def test_refuses_feature_list_mismatch(tmp_path: Path) -> None:
    manifest = _write_model(tmp_path)
    manifest["models"]["noref"]["feature_ids"] = manifest["models"]["noref"]["feature_ids"][::-1]
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="trained on other features than this code computes"):
        load_classifier(False, tmp_path)


def test_refuses_checksum_mismatch(tmp_path: Path) -> None:
    _write_model(tmp_path)
    with open(tmp_path / "classifier_noref.skops", "ab") as fh:
        fh.write(b"tampered")
    with pytest.raises(ModelError, match="does not match its manifest checksum"):
        load_classifier(False, tmp_path)


def test_refuses_untrusted_types(tmp_path: Path) -> None:
    from sklearn.ensemble import RandomForestClassifier

    _write_model(tmp_path, pipeline=RandomForestClassifier(n_estimators=2, random_state=0))
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    manifest["models"]["noref"]["trusted_types"] = []
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="not a linear pipeline class"):
        load_classifier(False, tmp_path)
    with pytest.raises(ModelError, match="types the manifest does not trust"):
        load_classifier(False, tmp_path, full=True)


def test_missing_manifest_and_unknown_schema(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no model manifest"):
        read_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text(json.dumps({"schema_version": 99}))
    with pytest.raises(ModelError, match="schema 99 is not one of"):
        read_manifest(tmp_path)


def test_shipped_models_load_and_match_code() -> None:
    for mode in MODES:
        clf = load_classifier(mode)
        assert clf.name == mode and clf.feature_ids == feature_ids(mode)


def test_linear_reader_rejects_non_skops(tmp_path: Path) -> None:
    bad = tmp_path / "x.skops"
    shutil.copy(Path(__file__), bad)
    with pytest.raises(ModelError, match="is not a skops archive"):
        read_linear_skops(bad)


def test_explain_matches_predict_and_contributions(tmp_path: Path) -> None:
    _write_model(tmp_path)
    clf = load_classifier(False, tmp_path)
    rows = [{f: float(v) for f, v in zip(clf.feature_ids, np.random.default_rng(i).normal(size=len(clf.feature_ids)))}
            for i in range(4)]
    probs, contrib = clf.explain(rows)
    np.testing.assert_array_equal(probs, clf.predict(rows))
    assert list(contrib[2]) == pytest.approx(list(clf.contributions(rows[2]).values()))


def test_features_are_clipped_to_the_training_range(tmp_path: Path) -> None:
    manifest = _write_model(tmp_path)
    ids = manifest["models"]["noref"]["feature_ids"]
    unclipped = load_classifier(False, tmp_path)  # a manifest without feature_range still loads: no clipping
    assert unclipped.bounds is None
    manifest["models"]["noref"]["feature_range"] = {f: [-2.0, 2.0] for f in ids}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    clipped = load_classifier(False, tmp_path)
    at_bound = {f: 0.0 for f in ids} | {ids[0]: 2.0}
    beyond = at_bound | {ids[0]: 5000.0}
    assert clipped.predict([beyond])[0] == clipped.predict([at_bound])[0]
    assert unclipped.predict([beyond])[0] > unclipped.predict([at_bound])[0]  # feature 0 drives the label
    assert clipped.contributions(beyond) == clipped.contributions(at_bound)
    np.testing.assert_allclose(clipped.explain([beyond])[1], clipped.explain([at_bound])[1])


def test_malformed_feature_range_is_a_model_error(tmp_path: Path) -> None:
    manifest = _write_model(tmp_path)
    ids = manifest["models"]["noref"]["feature_ids"]
    for bad in ({f: [1.0, -1.0] for f in ids}, {ids[0]: [0.0, 1.0]}):
        manifest["models"]["noref"]["feature_range"] = bad
        (tmp_path / "manifest.json").write_text(json.dumps(manifest))
        with pytest.raises(ModelError, match="feature_range"):
            load_classifier(False, tmp_path)


def test_shipped_models_clip_a_feature_no_training_document_had() -> None:
    import scorer

    text = "The council met on Wednesday in Brussels for four hours. " * 14 + "a" * 3000 + "."  # 141 words
    # the classifier's own reasons: the mean word length (25.8) would otherwise cap the score as out of scope
    report = scorer.score(text, config=scorer.Config(out_of_scope_rules=()))
    assert report.features["readability.coleman_liau_index"] > 100  # the raw value is reported as computed
    assert report.reasons and all(abs(r.contribution) < 10 for r in report.reasons)


def test_a_text_shorter_than_every_training_text_keeps_its_label_with_less_confidence() -> None:
    import scorer
    from scorer.model import WORD_COUNT, default_classifier

    model = default_classifier("noref")
    assert model.fewest_words == 123.0  # the shortest training article (manifest feature_range)
    report = scorer.score("Hello")
    raw = float(model.log_odds([report.features])[0])
    assert raw > 5  # the model alone would call one word almost surely reliable
    assert report.score == pytest.approx(1 / (1 + np.exp(-raw / 123)))
    assert report.label == "reliable" and 0.5 < report.score < 0.55
    first = report.reasons[0]
    assert first.feature == WORD_COUNT
    assert first.contribution == pytest.approx(raw / 123 - raw, abs=1e-3)
    assert first.message.startswith("too short to judge with full confidence: 1 word, fewer than the 123 ")
    long_report = scorer.score("The council met on Wednesday in Brussels for four hours. " * 20)
    assert all(r.feature != WORD_COUNT for r in long_report.reasons)


def test_evidence_scales_log_odds_and_contributions_below_the_fewest_training_words(tmp_path: Path) -> None:
    manifest = _write_model(tmp_path)
    ids = manifest["models"]["noref"]["feature_ids"]
    manifest["models"]["noref"]["feature_range"] = {f: [-1e9, 1e9] for f in ids} | {"readability.word_count": [1.0, 1e9]}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    clf = load_classifier(False, tmp_path)
    rows = [{f: 0.3 for f in ids} | {"readability.word_count": n} for n in (0.5, 1.0, 4.0)]  # a toy model's scale
    np.testing.assert_allclose(clf.evidence(rows), [0.5, 1.0, 1.0])
    probs, contrib = clf.explain(rows)
    z = clf.log_odds(rows)
    np.testing.assert_allclose(np.log(probs / (1 - probs)), z * [0.5, 1.0, 1.0])
    # rows 0 and 1 are the same after clipping (0.5 words reads as the range's 1.0): half the contributions
    assert clf.contributions(rows[0]) == pytest.approx({f: v / 2 for f, v in clf.contributions(rows[1]).items()})
