"""Compile ``models/spin/topic_vectors.npz``: word vectors and word-level weights of ``scorer.spin_topic``.

Vectors: co-occurrence of the content words of genuine_split('train') (BBC only; the classifier trains on
fit + val, so this split keeps it clean) within +-``WINDOW`` words, positive PMI with context-distribution
smoothing ``ALPHA``, truncated SVD (``K`` dimensions, fixed start vector), rows ``u * sqrt(s)`` L2-normalised;
words seen fewer than ``MIN_COUNT`` times get none. Stored as rows of the words that have one, each component
as int8 in units of 1/``QUANT`` (``--float16``: float16), so the file stays small.

Weights: a logistic regression of "this word was swapped" on (best context-only span log-odds, topic gap),
fitted on training-spinner copies (``spinner.spin``, its three styles, rates 0.1-0.3) of the first
``FIT_ARTICLES`` train articles. Held-out word AUCs on val copies by the evaluation spinner are recorded.

Run after ``build_spin`` (ids are that vocabulary's) and ``spin_model`` (the span log-odds):
``python -m scorer.training.build_topic``. Deterministic: a rebuild gives the same bytes.
"""
from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np

from scorer import spin, spin_topic
from scorer.training.build_spin import OUT_DIR, write_npz

WINDOW = 10
ALPHA = 0.75
K = 64
MIN_COUNT = 2
FIT_ARTICLES = 300
FIT_RATES = (0.1, 0.2, 0.3)
FIT_SEED = 3
HELDOUT_ARTICLES = 120
#: int8 units per 1.0 of a unit vector's component (``spin_topic.Topic`` divides by it)
QUANT = 127


def id_streams(texts: list[str], m: "spin._Model") -> list[np.ndarray]:
    """Per text, the vocabulary ids (spelling twins merged) of its content words: generic and unknown words dropped."""
    from scorer.document import Document

    out = []
    for text in texts:
        ids = np.array([m.vocab.get(w, -1) for w in Document(text).lower], dtype=np.int64)
        ids = ids[ids >= 0]
        out.append(ids[~m.generic[ids]])
    return out


def cooccurrence(streams: list[np.ndarray], n: int, window: int = WINDOW):
    """Symmetric counts of word pairs at most ``window`` content words apart, as a CSR matrix."""
    import scipy.sparse as sp

    rows, cols = [], []
    for ids in streams:
        for k in range(1, window + 1):
            a, b = ids[:-k], ids[k:]
            rows += [a, b]
            cols += [b, a]
    r, c = np.concatenate(rows), np.concatenate(cols)
    return sp.coo_matrix((np.ones(len(r)), (r, c)), shape=(n, n)).tocsr()


def ppmi(counts, alpha: float = ALPHA):
    """Positive PMI with the context distribution raised to ``alpha`` (rare contexts count less)."""
    import scipy.sparse as sp

    total = counts.sum()
    rs = np.asarray(counts.sum(1)).ravel()
    cs = rs**alpha
    cs = cs / cs.sum()
    c = counts.tocoo()
    pmi = np.log(c.data / total / (rs[c.row] / total) / cs[c.col])
    keep = pmi > 0
    return sp.coo_matrix((pmi[keep], (c.row[keep], c.col[keep])), shape=counts.shape).tocsr()


def embed(p, k: int = K) -> np.ndarray:
    """Rows ``u * sqrt(s)`` of a rank-``k`` SVD, L2-normalised (a fixed ARPACK start vector: same vectors each run)."""
    from scipy.sparse.linalg import svds

    v0 = np.random.default_rng(0).standard_normal(min(p.shape))
    u, s, _ = svds(p, k=k, v0=v0)
    order = np.argsort(-s)
    vec = u[:, order] * np.sqrt(s[order])
    # a singular vector's sign is arbitrary: fix it (largest-magnitude entry positive) so builds agree
    vec *= np.sign(vec[np.abs(vec).argmax(0), np.arange(k)])
    norm = np.linalg.norm(vec, axis=1, keepdims=True)
    return np.where(norm > 0, vec / np.maximum(norm, 1e-12), 0.0)


def vector_table(streams: list[np.ndarray], n_vocab: int, k: int = K, min_count: int = MIN_COUNT,
                 float16: bool = False) -> dict:
    """The ``ids``/``vectors``/``scale`` arrays of the artifact (rows of the words seen ``min_count`` times; int8
    units of ``1 / scale``, or float16 with scale 1)."""
    counts = np.bincount(np.concatenate(streams), minlength=n_vocab + 1)
    vec = embed(ppmi(cooccurrence(streams, n_vocab + 1)), k)
    ids = np.flatnonzero((counts >= min_count) & (np.abs(vec).sum(1) > 0))
    rows = vec[ids].astype(np.float16) if float16 else np.rint(vec[ids] * QUANT).astype(np.int8)
    return {"ids": ids.astype(np.int32), "vectors": rows, "scale": np.array([1.0 if float16 else QUANT]),
            "vocab_size": np.array([n_vocab], dtype=np.int64)}


def word_rows(text: str, m: "spin._Model", t: spin_topic.Topic, starts: set[int] | None = None):
    """(span log-odds, gap) of the words that have a gap, and whether each was swapped (``starts``: their offsets)."""
    from scorer.document import Document

    d = Document(text)
    (si, sj, _, _, x), ctx = spin.score_spans(d, m)
    l1 = spin.span_logits(m, x)
    gap = spin_topic.word_gaps(ctx.ids, m, t)
    pos = np.flatnonzero(~np.isnan(gap))
    xs = np.c_[spin_topic.span_odds(ctx.n, si, sj, l1)[pos], gap[pos]]
    y = np.array([d.word_spans[i][0] in starts for i in pos.tolist()], dtype=bool) if starts is not None else None
    return xs, y


def spun_rows(articles, m, t, spinner_fn, styles, rates, seed: int):
    """Word rows of one spun copy per article (style and rate drawn from a seeded generator)."""
    rng = random.Random(seed)
    X, Y = [], []
    for k, a in enumerate(articles):
        s = spinner_fn(a.text, rate=rng.choice(rates), style=rng.choice(styles), seed=k)
        x, y = word_rows(s.text, m, t, {sub.start for sub in s.substitutions})
        X.append(x)
        Y.append(y)
    return np.concatenate(X), np.concatenate(Y)


def fit_word_model(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(span odds weight, gap weight, intercept) of the word-level logistic regression."""
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression().fit(x, y)
    return np.r_[lr.coef_[0], lr.intercept_].astype(np.float64)


def heldout_auc(m, t, coef: np.ndarray) -> dict[str, dict[str, float]]:
    """Word AUC on val copies by the evaluation spinner (rate 0.1): span odds alone and combined."""
    from sklearn.metrics import roc_auc_score

    from scorer.data import genuine_split
    from scorer.training import spinner

    out = {}
    arts = genuine_split("val")[:HELDOUT_ARTICLES]
    for style in spinner.EVAL_STYLES:
        x, y = spun_rows(arts, m, t, spinner.spin_eval, (style,), (0.1,), 0)
        z = x @ coef[:2] + coef[2]
        out[style] = {"words": int(len(y)), "span_odds": round(float(roc_auc_score(y, x[:, 0])), 4),
                      "combined": round(float(roc_auc_score(y, z)), 4)}
    return out


def build(out_dir: Path = OUT_DIR, k: int = K, min_count: int = MIN_COUNT, float16: bool = False) -> dict:
    """Compile the artifact and record it under ``topic`` in ``provenance.json`` (other keys kept)."""
    from scorer.data import genuine_split
    from scorer.training import spinner

    t0 = time.time()
    m = spin.model()
    train = genuine_split("train")
    streams = id_streams([a.text for a in train], m)
    arrays = vector_table(streams, len(m.words), k, min_count, float16)
    t = spin_topic.Topic({**arrays, "coef": np.zeros(3)}, m)
    x, y = spun_rows(train[:FIT_ARTICLES], m, t, spinner.spin, spinner.STYLES, FIT_RATES, FIT_SEED)
    coef = fit_word_model(x, y)
    arrays["coef"] = coef
    path = out_dir / spin_topic.TOPIC_FILE.name
    write_npz(path, arrays)
    t = spin_topic.Topic(arrays, m)
    entry = {
        "artifact": path.name,
        "built_by": "python -m scorer.training.build_topic" + (f" --k {k}" if k != K else "")
        + (f" --min-count {min_count}" if min_count != MIN_COUNT else "") + (" --float16" if float16 else ""),
        "source": f"genuine_split('train'): {len(train)} BBC articles (co-occurrence counts only, no text stored); "
        f"word weights on training-spinner copies of its first {FIT_ARTICLES}",
        "content": "ids: int32 vocabulary ids (vocab.txt.gz order, spelling twins merged) of the words with a vector; "
        "vectors: their unit vectors (int8 in units of 1/scale, or float16 where scale is 1); scale: float64; "
        "coef: float64 (span odds weight, topic gap weight, intercept) of the word-level logistic regression "
        "read by scorer.spin_topic; vocab_size: the spin vocabulary it indexes",
        "params": {"WINDOW": WINDOW, "ALPHA": ALPHA, "K": k, "MIN_COUNT": min_count, "FIT_ARTICLES": FIT_ARTICLES,
                   "FIT_RATES": list(FIT_RATES), "FIT_SEED": FIT_SEED, "NO_SPAN_ODDS": spin_topic.NO_SPAN_ODDS,
                   "STORAGE": "float16" if float16 else f"int8 / {QUANT}"},
        "words_with_vectors": int(len(arrays["ids"])),
        "fit_words": int(len(y)),
        "fit_swapped": int(y.sum()),
        "coef": [round(float(c), 6) for c in coef],
        "heldout_word_auc": heldout_auc(m, t, coef),
        "bytes": path.stat().st_size,
        "seconds": round(time.time() - t0, 1),
    }
    prov_path = out_dir / "provenance.json"
    prov = json.loads(prov_path.read_text(encoding="utf-8")) if prov_path.exists() else {}
    prov["topic"] = entry
    prov_path.write_text(json.dumps(prov, indent=2) + "\n")
    spin_topic.load.cache_clear()
    return entry


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--k", type=int, default=K, help="vector dimensions")
    ap.add_argument("--min-count", type=int, default=MIN_COUNT, help="occurrences a word needs for a vector")
    ap.add_argument("--float16", action="store_true", help="store float16 components instead of int8")
    ap.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (provenance.json there is updated)")
    args = ap.parse_args()
    print(json.dumps(build(args.out, args.k, args.min_count, args.float16), indent=2))
