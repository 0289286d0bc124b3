"""Topic coherence of swapped words: a spin feature the bigram evidence cannot see.

A spinner replaces a word with a dictionary synonym of the wrong sense ("policy"
-> "insurance", "head" -> "nous"). Where the swap keeps both adjacent word pairs
plausible, ``scorer.spin``'s bigram model sees nothing; but the swapped word
still fits the *topic* of the document worse than one of its own synonyms (the
original) would. With word vectors from co-occurrence in genuine news, the
word-level gap is::

    gap(w) = max_c cos(v_c, centroid - v_w) - cos(v_w, centroid - v_w)

over the one-step candidate originals ``c`` of ``w`` (``spin``'s ``sub_*`` map),
where ``centroid`` sums the vectors of the document's content words. A logistic
model combines the gap with the word's best context-only span log-odds, and the
document feature is the mean of the top 5% of those word log-odds.

Everything comes from what ``spin.extract`` already has (word ids, spans and
their stage-1 log-odds): no second pass over the text. The vectors and the
logistic weights are compiled by ``scorer.training.build_topic`` into
``models/spin/topic_vectors.npz`` and loaded lazily once per process.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from scorer.data import REPO
from scorer.errors import ModelError

if TYPE_CHECKING:  # pragma: no cover - typing only (spin imports this module)
    from scorer.spin import _Context, _Model

TOPIC_FILE = REPO / "models" / "spin" / "topic_vectors.npz"

#: Context-only log-odds of a word no span covers (and the floor of those that are covered).
NO_SPAN_ODDS = -8.0
#: The document feature averages the top ``1 / TOP_DIVISOR`` (5%) of the word log-odds, at least one word.
TOP_DIVISOR = 20
#: Feature bound: the other spin log-odds features are clipped the same way.
CLIP = 20.0

FEATURES: dict[str, str] = {
    "spin.topic_odds": "mean log-odds of the document's most suspicious 5% of words when each word's fit to the "
    "document's topic (word vectors) is weighed against its synonyms' along with its context-only span odds",
}


class Topic:
    """Compiled word vectors and the word-level weights, indexed for one spin model.

    ``row[id]`` is the vector row of a vocabulary id (the last row, all zeros, for words without a
    vector). The one-step candidate originals of each word (``spin``'s ``sub_*`` map) that have a
    vector and differ from the word itself are filtered once here, not per document, into
    fixed-width rows (``slot``, ``pad_rows``, ``pad_dot``).
    """

    def __init__(self, arr: dict[str, np.ndarray], m: "_Model", path: Path = TOPIC_FILE) -> None:
        V = len(m.words)
        if int(arr["vocab_size"][0]) != V:
            raise ModelError(f"{path} was built for another spin vocabulary: run python -m scorer.training.build_topic")
        ids = arr["ids"].astype(np.int64)
        R = len(ids)
        self.vectors = np.zeros((R + 1, arr["vectors"].shape[1]), dtype=np.float32)
        self.vectors[:R] = arr["vectors"]
        self.vectors[:R] *= np.float32(1.0 / float(arr["scale"][0]))  # int8 components in units of 1/scale
        self.row = np.full(V + 1, R, dtype=np.int64)  # id -1 (outside the vocabulary) reads the last entry
        self.row[ids] = np.arange(R)
        self.has = self.row < R
        self.coef = arr["coef"].astype(np.float64)  # (span odds weight, gap weight, intercept)
        owner = np.repeat(np.arange(V + 1), m.sub_len)
        cand = m.sub_cand[: len(owner)]
        keep = (cand >= 0) & self.has[cand] & (cand != owner) & self.has[owner]
        clen = np.bincount(owner[keep], minlength=V + 1)
        #: ids that get a gap: a vector and at least one candidate with one
        words = np.flatnonzero(clen)
        self.slot = np.full(V + 1, -1, dtype=np.int64)  # id -> its row in ``pad_rows`` (-1: no gap)
        self.slot[words] = np.arange(len(words))
        # one padded row per scorable word: its own vector row, then its candidates' rows, then the zero row;
        # ``pad_dot`` holds v_w . v_w, then each v_c . v_w, then a large value so that padding never wins
        width = 1 + int(clen.max()) if len(words) else 1
        self.pad_rows = np.full((len(words), width), R, dtype=np.int64)
        self.pad_dot = np.full((len(words), width), 1e9, dtype=np.float32)
        k_owner, k_cand = self.slot[owner[keep]], self.row[cand[keep]]
        col = 1 + np.arange(len(k_owner)) - np.repeat(np.cumsum(clen[words]) - clen[words], clen[words])
        self.pad_rows[:, 0] = self.row[words]
        self.pad_rows[k_owner, col] = k_cand
        vw = self.vectors[self.row[words]]
        self.pad_dot[:, 0] = np.einsum("ij,ij->i", vw, vw)
        self.pad_dot[k_owner, col] = np.einsum("ij,ij->i", self.vectors[k_cand], vw[k_owner])
        #: the word log-odds of a document with nothing to score: no span evidence and no topic gap
        self.neutral = float(self.coef[0] * NO_SPAN_ODDS + self.coef[2])


@lru_cache(maxsize=2)
def load(m: "_Model") -> Topic:
    """The compiled topic tables for spin model ``m``, once per process."""
    try:
        with np.load(TOPIC_FILE, allow_pickle=False) as z:
            arr = {k: z[k] for k in z.files}
    except FileNotFoundError as exc:  # pragma: no cover - build step missing
        raise ModelError(f"{TOPIC_FILE} missing: run python -m scorer.training.build_topic") from exc
    return Topic(arr, m)


def word_gaps(ids: np.ndarray, m: "_Model", t: Topic) -> np.ndarray:
    """Per word: how much better its best candidate original fits the document's topic (NaN where none).

    Content words are the non-generic words with a vector; the topic of word ``w`` is the sum
    of the other content words' vectors (the centroid minus ``w`` itself, so that a word does not
    vote for its own fit).
    """
    out = np.full(len(ids), np.nan)
    pos, gap = scored_gaps(ids, t)
    out[pos] = gap
    return out


def scored_gaps(ids: np.ndarray, t: Topic) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the words that have a gap (``Topic.slot`` >= 0) and their gaps, all candidates at once.

    A text with fewer than two content words has no topic: no gaps. Every cosine needs one dot
    product with the centroid ``c``: ``cos(v, c - v_w) = (v . c - v . v_w) / |c - v_w|``, with each
    ``v . v_w`` precomputed (``Topic.pad_dot``); so the rows of the words and of all their
    candidates (``Topic.pad_rows``, fixed width: no per-document index arithmetic) are gathered and
    multiplied by ``c`` in one go.
    """
    slot = t.slot[ids]
    pos = (slot >= 0).nonzero()[0]
    vec = t.vectors
    r = t.row[ids]
    rc = r[r < len(vec) - 1]
    if len(pos) == 0 or len(rc) < 2:  # a lone content word has no topic to fit
        return pos[:0], np.zeros(0, dtype=np.float32)
    cent = np.ones(len(rc), dtype=np.float32) @ np.take(vec, rc, axis=0)
    s = slot[pos]
    rows = t.pad_rows[s]
    d = (np.take(vec, rows.ravel(), axis=0) @ cent).reshape(rows.shape)
    e = d - t.pad_dot[s]  # column 0: v_w . (c - v_w); the others: v_cand . (c - v_w)
    own = e[:, 0]
    norm = np.sqrt(np.maximum(cent @ cent - d[:, 0] - own, 0.0))  # |c - v_w|^2 = c.c - 2 v_w.c + v_w.v_w
    norm += 1e-9
    return pos, (e[:, 1:].max(1) - own) / norm


def span_odds(n: int, si: np.ndarray, sj: np.ndarray, l1: np.ndarray) -> np.ndarray:
    """Per word: the highest context-only log-odds of a span covering it (``NO_SPAN_ODDS`` where none)."""
    best = np.full(n, NO_SPAN_ODDS)
    if len(si):
        lens = sj - si
        ends = np.cumsum(lens)
        at = np.repeat(si - (ends - lens), lens) + np.arange(int(ends[-1]))
        np.maximum.at(best, at, np.repeat(l1, lens))
    return best


def word_odds(ids: np.ndarray, m: "_Model", t: Topic, si: np.ndarray, sj: np.ndarray,
              l1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the words that have a topic gap, and their combined log-odds of being a swap."""
    pos, gap = scored_gaps(ids, t)
    if len(pos) == 0:
        return pos, np.zeros(0)
    a, b, c = t.coef
    z = span_odds(len(ids), si, sj, l1)[pos]
    z *= a
    z += b * gap
    z += c
    return pos, z


def document_odds(z: np.ndarray, neutral: float) -> float:
    """Mean of the top ``1 / TOP_DIVISOR`` of the word log-odds (``neutral`` for a text with none), bounded."""
    if len(z) == 0:
        return min(CLIP, max(-CLIP, neutral))
    k = max(1, len(z) // TOP_DIVISOR)
    top = np.partition(z, len(z) - k)[len(z) - k:] if k > 1 else z.max(keepdims=True)
    return min(CLIP, max(-CLIP, float(top.sum()) / k))


def topic_features(ctx: "_Context", m: "_Model", si: np.ndarray, sj: np.ndarray, l1: np.ndarray) -> dict[str, float]:
    """The ``FEATURES`` of one document from ``spin.extract``'s context, spans and stage-1 log-odds."""
    t = load(m)
    _, z = word_odds(ctx.ids, m, t, si, sj, l1)
    return {"spin.topic_odds": document_odds(z, t.neutral)}
