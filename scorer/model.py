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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from scorer.errors import ModelError
from scorer.features import feature_ids

#: Manifest layouts this code can read. Version 1 is the first.
SUPPORTED_SCHEMAS = (1,)
MANIFEST = "manifest.json"
RETRAIN = "retrain with `python -m scorer.training.train`"


def model_dir() -> Path:
    """Where the models live: $SCORER_MODEL_DIR, else the repository's models/."""
    env = os.environ.get("SCORER_MODEL_DIR")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "models"


@dataclass(frozen=True)
class Classifier:
    """A fitted scikit-learn pipeline with the feature ids it expects."""

    name: str
    feature_ids: tuple[str, ...]
    pipeline: Any

    def matrix(self, rows: list[dict[str, float]]) -> np.ndarray:
        """Feature dicts to the model's column order."""
        try:
            return np.array([[r[f] for f in self.feature_ids] for r in rows], dtype=float)
        except KeyError as exc:
            raise ModelError(f"model '{self.name}' needs feature {exc.args[0]!r}, which was not computed") from None

    def predict(self, rows: list[dict[str, float]]) -> np.ndarray:
        """Probability that each document is reliable."""
        return self.pipeline.predict_proba(self.matrix(rows))[:, 1]

    def contributions(self, row: dict[str, float]) -> dict[str, float]:
        """Each feature's additive share of the log-odds (linear models only)."""
        x = self.pipeline[:-1].transform(self.matrix([row]))[0]
        coef = self.pipeline[-1].coef_[0]
        return {f: float(c * v) for f, c, v in zip(self.feature_ids, coef, x)}


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


def load_classifier(with_reference: bool, directory: Path | None = None) -> Classifier:
    """Load and verify the classifier for one mode (with or without a reference)."""
    import skops.io as sio

    directory = directory or model_dir()
    manifest = read_manifest(directory)
    name = "ref" if with_reference else "noref"
    entry = manifest.get("models", {}).get(name)
    if entry is None:
        raise ModelError(f"manifest has no '{name}' model; {RETRAIN}")
    expected = feature_ids(with_reference)
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
    untrusted = sio.get_untrusted_types(file=path)
    unexpected = sorted(set(untrusted) - set(entry.get("trusted_types", [])))
    if unexpected:
        raise ModelError(f"model file {path} holds types the manifest does not trust: {unexpected}")
    pipeline = sio.load(path, trusted=untrusted)
    return Classifier(name, expected, pipeline)


@lru_cache(maxsize=2)
def default_classifier(with_reference: bool) -> Classifier:
    """The shipped classifier for a mode, loaded once per process."""
    return load_classifier(with_reference)
