"""Loading the trained classifiers, checked against their manifest.

Models are skops files (never pickle). Before a model is used we check its
SHA-256 against ``models/manifest.json``, that the manifest's ordered feature
ids equal the code's, and that the file holds only the types the manifest
trusts. Any mismatch is a :class:`~scorer.errors.ModelError` with a message
that says what to do.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from scorer.errors import ModelError
from scorer.features import feature_ids
from scorer.paths import MODELS

#: Manifest layouts this code can read. Version 1 is the first.
SUPPORTED_SCHEMAS = (1,)
MANIFEST = "manifest.json"
RETRAIN = "retrain with `python -m scorer.training.train`"


def model_dir() -> Path:
    """Where the classifiers live: $SCORER_MODEL_DIR, else the project's models/."""
    env = os.environ.get("SCORER_MODEL_DIR")
    return Path(env) if env else MODELS


#: The feature that counts a text's words (:meth:`Classifier.evidence`).
WORD_COUNT = "readability.word_count"


@dataclass(frozen=True)
class Classifier:
    """A fitted model (a scikit-learn pipeline or its :class:`LinearModel` view) with its feature ids."""

    name: str
    feature_ids: tuple[str, ...]
    pipeline: Any
    #: median of each feature over reliable training documents, for explanations.
    typical: dict[str, float] = field(default_factory=dict)
    #: lowest and highest value of each feature over the training rows (manifest ``feature_range``).
    #: Inputs are clipped to them: a linear model extrapolates, and one value no training document
    #: had (a 1,000-letter "word", a reading grade of 5,000) would otherwise outweigh all the others.
    bounds: tuple[np.ndarray, np.ndarray] | None = None

    def matrix(self, rows: list[dict[str, float]]) -> np.ndarray:
        """Feature dicts to the model's column order, clipped to the training range."""
        try:
            x = np.array([[r[f] for f in self.feature_ids] for r in rows], dtype=float)
        except KeyError as exc:
            raise ModelError(f"model '{self.name}' needs feature {exc.args[0]!r}, which was not computed") from None
        return x if self.bounds is None else np.clip(x, *self.bounds)

    def predict(self, rows: list[dict[str, float]]) -> np.ndarray:
        """Probability that each document is reliable."""
        return self.explain(rows)[0]

    def evidence(self, rows: list[dict[str, float]]) -> np.ndarray:
        """Per row, the share of its log-odds a text keeps: its words over the fewest of any text this
        model learned from (manifest ``feature_range``), at most 1.

        A text shorter than all of them carries less evidence than the model assumes (its spin
        rates rest on a handful of words), so its score moves toward 0.5 and keeps its label:
        "Hello" is not 99.99% reliable. 1 for models without a word count or a training range.
        """
        fewest = self.fewest_words
        if fewest is None:
            return np.ones(len(rows))
        return np.clip(np.array([r[WORD_COUNT] for r in rows], dtype=float) / fewest, 0.0, 1.0)

    @property
    def fewest_words(self) -> float | None:
        """The word count of the shortest text the model learned from (None: no word count or no range)."""
        if self.bounds is None or WORD_COUNT not in self.feature_ids:
            return None
        fewest = float(self.bounds[0][self.feature_ids.index(WORD_COUNT)])
        return fewest if fewest > 0 else None

    def log_odds(self, rows: list[dict[str, float]]) -> np.ndarray:
        """The model's log-odds of each row before :meth:`evidence` scales them."""
        return self._unscaled(rows)[0]

    def explain(self, rows: list[dict[str, float]]) -> tuple[np.ndarray, np.ndarray]:
        """Probabilities and each feature's additive share of the log-odds, for many rows at once."""
        probs, contrib, _, _ = self.scored(rows)
        return probs, contrib

    def scored(self, rows: list[dict[str, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`explain`'s probabilities and shares, with each row's :meth:`evidence` and its log-odds before
        that scaling: everything a report needs, from one pass over the rows."""
        z, contrib, probs = self._unscaled(rows)
        k = self.evidence(rows)
        short = k < 1.0
        if short.any():
            probs = np.where(short, 1.0 / (1.0 + np.exp(-z * k)), probs)
            contrib = contrib * k[:, None]
        return probs, contrib, k, z

    def contributions(self, row: dict[str, float]) -> dict[str, float]:
        """Each feature's additive share of the log-odds (linear models only)."""
        return {f: float(c) for f, c in zip(self.feature_ids, self.explain([row])[1][0])}

    def _unscaled(self, rows: list[dict[str, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Log-odds, per-feature contributions and probabilities, before :meth:`evidence` scales them."""
        x = self.matrix(rows)
        pipe = self.pipeline
        if isinstance(pipe, LinearModel):
            contrib = pipe.standardise(x) * pipe.coef
            z = contrib.sum(axis=1) + pipe.intercept
            return z, contrib, 1.0 / (1.0 + np.exp(-z))
        return pipe.decision_function(x), pipe[:-1].transform(x) * pipe[-1].coef_[0], pipe.predict_proba(x)[:, 1]


@dataclass(frozen=True)
class LinearModel:
    """Standardise-then-logistic model read straight from a skops file.

    Importing skops pulls in all of scikit-learn and takes about a second,
    which would blow the start-up budget. Our classifiers are a
    ``Pipeline(StandardScaler, LogisticRegression)``, so we read their arrays
    from the skops archive ourselves (JSON schema + ``.npy`` files loaded with
    ``allow_pickle=False``), accepting only those classes. Tests check the
    predictions equal ``skops.io.load(...).predict_proba``.
    """

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def standardise(self, x: np.ndarray) -> np.ndarray:
        return (x - self.mean) / self.scale

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        # Row-wise sum, not a matrix product: a row's score must not depend on its batch (BLAS may reorder sums).
        z = (self.standardise(x) * self.coef).sum(axis=1) + self.intercept
        p = 1.0 / (1.0 + np.exp(-z))
        return np.column_stack([1 - p, p])


_FAST_CLASSES = {
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing._data.StandardScaler",
    "sklearn.linear_model._logistic.LogisticRegression",
}


def read_linear_skops(path: Path) -> LinearModel:
    """Read a skops Pipeline(StandardScaler, LogisticRegression) without importing skops."""
    import io
    import zipfile

    try:
        zf = zipfile.ZipFile(path)
        schema = json.loads(zf.read("schema.json"))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError):
        raise ModelError(f"{path.name} is not a skops archive; {RETRAIN}") from None
    with zf:

        def value(node: dict) -> Any:
            loader = node["__loader__"]
            if loader == "JsonNode":
                return json.loads(node["content"])
            if loader == "NdArrayNode" and node.get("type") == "numpy":
                return np.load(io.BytesIO(zf.read(node["file"])), allow_pickle=False)
            if loader in ("ListNode", "TupleNode"):
                return [value(n) for n in node["content"]]
            if loader == "DictNode":
                return {k: value(v) for k, v in node["content"].items()}
            if loader == "ObjectNode":
                cls = f"{node['__module__']}.{node['__class__']}"
                if cls not in _FAST_CLASSES:
                    raise ModelError(f"{path.name}: {cls} is not a linear pipeline class")
                return value(node["content"])
            return None  # types, dtypes and other attributes we do not need

        pipe = value(schema)
    steps = [step for _, step in pipe["steps"]]
    if len(steps) != 2 or "mean_" not in steps[0] or "coef_" not in steps[1]:
        raise ModelError(f"{path.name}: expected Pipeline(StandardScaler, LogisticRegression)")
    scaler, logit = steps
    if list(logit["classes_"]) != [0, 1]:
        raise ModelError(f"{path.name}: classes must be [0, 1], got {list(logit['classes_'])}")
    return LinearModel(
        np.asarray(scaler["mean_"], float),
        np.asarray(scaler["scale_"], float),
        np.asarray(logit["coef_"], float)[0],
        float(np.asarray(logit["intercept_"])[0]),
    )


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_manifest(directory: Path | None = None) -> dict[str, Any]:
    path = (directory or model_dir()) / MANIFEST
    if not path.is_file():
        raise ModelError(f"no model manifest at {path}; {RETRAIN}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"unreadable model manifest {path}: {exc}") from None
    if manifest.get("schema_version") not in SUPPORTED_SCHEMAS:
        raise ModelError(
            f"model manifest schema {manifest.get('schema_version')!r} is not one of {SUPPORTED_SCHEMAS}; {RETRAIN}"
        )
    return manifest


def feature_bounds(entry: dict[str, Any], ids: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray] | None:
    """The manifest entry's training range of each feature, in ``ids`` order; None for manifests without one."""
    ranges = entry.get("feature_range")
    if ranges is None:
        return None
    try:
        lo, hi = np.array([[float(ranges[f][0]), float(ranges[f][1])] for f in ids]).T
    except (KeyError, IndexError, TypeError, ValueError):
        raise ModelError(f"manifest entry '{entry.get('file')}' has a malformed feature_range; {RETRAIN}") from None
    if not (lo <= hi).all():
        raise ModelError(f"manifest entry '{entry.get('file')}' has a feature_range with low > high; {RETRAIN}")
    return lo, hi


def load_classifier(mode: str | bool, directory: Path | None = None, *, full: bool = False) -> Classifier:
    """Load and verify the classifier for one mode (``noref``, ``ref``, ``summary``; True/False = ref/noref).

    By default a linear pipeline is read by :func:`read_linear_skops` (fast);
    ``full=True`` loads it with ``skops.io.load`` after checking its types.
    """
    directory = directory or model_dir()
    manifest = read_manifest(directory)
    expected = feature_ids(mode)
    name = {True: "ref", False: "noref"}[mode] if isinstance(mode, bool) else mode
    entry = manifest.get("models", {}).get(name)
    if entry is None:
        raise ModelError(f"manifest has no '{name}' model; {RETRAIN}")
    if tuple(entry["feature_ids"]) != expected:
        missing = sorted(set(expected) - set(entry["feature_ids"]))
        extra = sorted(set(entry["feature_ids"]) - set(expected))
        raise ModelError(
            f"model '{name}' was trained on other features than this code computes "
            f"(missing {missing[:3]}, unknown {extra[:3]}, or another order); {RETRAIN}"
        )
    path = directory / entry["file"]
    if not path.is_file():
        raise ModelError(f"model file {path} is missing; {RETRAIN}")
    if sha256(path) != entry["sha256"]:
        raise ModelError(f"model file {path} does not match its manifest checksum; {RETRAIN}")
    typical = {k: float(v) for k, v in entry.get("typical_reliable", {}).items()}
    bounds = feature_bounds(entry, expected)
    if not full:
        return Classifier(name, expected, read_linear_skops(path), typical, bounds)
    import skops.io as sio

    untrusted = sio.get_untrusted_types(file=path)
    unexpected = sorted(set(untrusted) - set(entry.get("trusted_types", [])))
    if unexpected:
        raise ModelError(f"model file {path} holds types the manifest does not trust: {unexpected}")
    return Classifier(name, expected, sio.load(path, trusted=untrusted), typical, bounds)


@lru_cache(maxsize=8)
def default_classifier(mode: str | bool) -> Classifier:
    """The shipped classifier for a mode, loaded once per process."""
    return load_classifier(mode)
