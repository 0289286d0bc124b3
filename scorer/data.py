"""Access to the shared data beside the checkout (``../shared/data``).

The data is read in place, never copied into the project. The location is
``$SCORER_SHARED`` if set, else ``../shared`` beside the repository. Splits
are by article and derived from a hash of the article's text, so every
module (spin, classifier, notebook) agrees on which articles are held out.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from scorer.errors import ScorerError

REPO = Path(__file__).resolve().parent.parent
#: Share of articles (by hash bucket out of 100) in each split:
#: ``train`` is what the feature families learn statistics from (e.g. the spin
#: detector's bigram counts), ``val`` sets the families' thresholds, ``fit``
#: trains the classifier on features the families did not learn from (with
#: ``val``), and ``test`` is held out from everything.
SPLITS = {"train": range(0, 45), "val": range(45, 55), "fit": range(55, 70), "test": range(70, 100)}


def shared_dir() -> Path:
    """The shared folder; raises a clear error when it is absent."""
    path = Path(os.environ.get("SCORER_SHARED", REPO.parent / "shared"))
    if not (path / "data").is_dir():
        raise ScorerError(f"shared data not found at {path}/data (set SCORER_SHARED)")
    return path


def data_dir() -> Path:
    return shared_dir() / "data"


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Article:
    """One genuine news article: ``id`` is ``topic/filename``."""

    id: str
    topic: str
    text: str

    @property
    def split(self) -> str:
        return split_of(self.text)


def split_of(text: str) -> str:
    """Deterministic split of an article by a hash of its normalised text."""
    bucket = int(hashlib.sha1(" ".join(text.split()).encode()).hexdigest(), 16) % 100
    return next(name for name, r in SPLITS.items() if bucket in r)


@lru_cache(maxsize=1)
def genuine_articles() -> tuple[Article, ...]:
    """BBC News articles, exact duplicates removed, sorted by id."""
    root = data_dir() / "genuine" / "bbc"
    seen: set[str] = set()
    out = []
    for path in sorted(root.glob("*/*.txt")):
        text = path.read_bytes().decode("utf-8", errors="replace")
        key = " ".join(text.split())
        if key in seen:
            continue
        seen.add(key)
        out.append(Article(f"{path.parent.name}/{path.name}", path.parent.name, text))
    return tuple(out)


def genuine_split(split: str) -> list[Article]:
    return [a for a in genuine_articles() if a.split == split]


def seed_paths() -> list[Path]:
    """The project's own copies of the two seed documents."""
    return sorted((REPO / "seeds").glob("*.txt"))
