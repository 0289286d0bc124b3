"""Fit the spin detector's span model: ``python -m scorer.training.spin_model``.

Each candidate span (a word or phrase with a likelier synonym, or a filler
adverb) has a few context features (``scorer.spin.SPAN_FEATURES``). A logistic
regression learns which of them mark a substitution from genuine articles of
the first half of ``genuine_split('val')`` and the same articles run through
the *training* spinner (``scorer.training.spinner.spin``, all styles, several
rates). The flagging threshold is then set on the untouched genuine articles
of the second half of val, so that genuine text keeps under ``BUDGET`` findings
per 1,000 words. Nothing is fitted on the seeds, the ``fit`` or ``test`` split,
or the evaluation spinner. The bigram counts come from ``train``, so val text
is as new to the detector as any other text.

Writes ``models/spin/span_model.json`` (weights, scaling, threshold, provenance).
"""
from __future__ import annotations

import json
import time
from functools import lru_cache

import numpy as np

from scorer import spin
from scorer.data import genuine_split
from scorer.document import Document
from scorer.training.spinner import inverse_table, spin_from_table

RATES = (0.05, 0.15, 0.3, 0.5)
#: Findings per 1,000 genuine words allowed at the threshold (target: at most 1 on test).
BUDGET = 0.7
#: The same budget on the out-of-domain genuine dev documents (``ood_dev_texts``): newer or other
#: English raises the rate of unfamiliar word pairs, so a threshold set on BBC val alone let 2022-23
#: news through at 2.4 findings per 1,000 words. Half the target leaves room for text further afield.
OOD_BUDGET = 0.5
OUT = spin.MODEL_DIR / "span_model.json"
#: Stage-1 log-odds above which a span counts as suspicious for the document rate.
STAGE2_CUT = -1.0
#: Genuine-rate pseudo-words that shrink the document rate of short texts.
PSEUDO_WORDS = 300.0
#: Candidate weights of the document prior (log-rate) in the span log-odds.
PRIOR_WEIGHTS = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 12.0, 16.0, 20.0, 24.0)
#: Candidate weights of the document novelty subtracted from the prior (``spin.novelty``).
NOVELTY_BETAS = (0.0, 0.25, 0.5, 0.75, 1.0)
#: Pseudo-pairs that shrink the novelty of short texts.
NOVELTY_PAIRS = 100.0
#: Recall on training-spinner copies a (weight, novelty) pair may give up to lower out-of-domain findings.
RECALL_SLACK = 0.01


def labelled_spans(text: str, subs=()) -> tuple[np.ndarray, np.ndarray, int, tuple[float, float]]:  # noqa: D401
    """Span features of ``text``, whether each span overlaps a recorded substitution, word count, novelty counts."""
    doc = Document(text)
    m = spin.model()
    (si, sj, _ev, _orig, x), ctx = spin.score_spans(doc, m)
    y = np.zeros(len(si), dtype=bool)
    if subs and len(si):
        starts = np.array([doc.word_spans[i][0] for i in si])
        ends = np.array([doc.word_spans[j - 1][1] for j in sj])
        for s in subs:
            y |= (starts < s.end) & (ends > s.start)
    return x, y, ctx.n, spin.novelty_counts(m, ctx)


def training_set(articles) -> tuple[list[np.ndarray], list[np.ndarray], list[int], list[tuple[float, float]]]:
    """Per document: span features, labels, word count and novelty counts, for genuine articles and
    training-spinner copies (interleaved: genuine at even, spun at odd positions)."""
    from scorer.training.spinner import STYLES, spin as spin_text

    xs, ys, ns, vs = [], [], [], []
    for k, a in enumerate(articles):
        x, y, n, v = labelled_spans(a.text)
        xs.append(x), ys.append(y), ns.append(n), vs.append(v)
        style = STYLES[k % len(STYLES)]
        rate = RATES[(k // len(STYLES)) % len(RATES)]
        out = spin_text(a.text, rate=rate, style=style, seed=k)
        x, y, n, v = labelled_spans(out.text, out.substitutions)
        xs.append(x), ys.append(y), ns.append(n), vs.append(v)
    return xs, ys, ns, vs


def ood_dev_texts() -> list[str]:
    """Genuine out-of-domain development documents: SummEdits source documents of every domain but news,
    and the ``evaluation``-split sources of news (its ``test`` split stays held out). Read from ../shared."""
    from scorer.training.datasets import summedits_sources

    texts: dict[str, None] = {}
    for part, docs in summedits_sources().items():
        if part != "news:test":
            texts.update(dict.fromkeys(docs))
    return list(texts)


def _novelty(v: tuple[float, float], p0: float) -> float:
    """``spin.novelty`` from its counts."""
    return float(np.log((v[0] + p0 * NOVELTY_PAIRS) / (v[1] + NOVELTY_PAIRS) / p0))


def threshold_for(logits_per_doc: list[np.ndarray], words: int, budget: float = BUDGET) -> float:
    """Smallest log-odds threshold keeping genuine findings under ``budget`` per 1,000 words."""
    allowed = int(budget * words / 1000)
    scores = np.sort(np.concatenate(logits_per_doc))[::-1]
    return float(scores[allowed]) + 1e-6 if allowed < len(scores) else float(scores[-1])


def fit() -> dict:
    from sklearn.linear_model import LogisticRegression

    from scorer.training.spinner import STYLES

    t0 = time.time()
    val = genuine_split("val")
    fit_half = val[0::2]
    xs, ys, ns, _ = training_set(fit_half)
    x, y = np.concatenate(xs), np.concatenate(ys)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=1.0, max_iter=2000).fit((x - mean) / scale, y)
    span = {
        "features": list(spin.SPAN_FEATURES),
        "mean": mean.tolist(),
        "scale": scale.tolist(),
        "coef": clf.coef_[0].tolist(),
        "intercept": float(clf.intercept_[0]),
        "threshold": 0.0,
    }
    OUT.write_text(json.dumps(span) + "\n")
    spin.model.cache_clear()
    m = spin.model()
    # stage 2: the document's rate of suspicious spans, relative to genuine text, as a learned prior
    l1 = [spin.span_logits(m, xd) for xd in xs]
    gen = [100.0 * (l > STAGE2_CUT).sum() / max(1, n) for l, n in zip(l1[0::2], ns[0::2])]
    stage2 = {"cut": STAGE2_CUT, "r0": float(max(0.1, np.median(gen))), "pseudo_words": PSEUDO_WORDS,
              "coef": [1.0, 0.0], "intercept": 0.0}
    m.stage2 = stage2
    z = np.column_stack([np.concatenate(l1), np.concatenate([np.full(len(l), spin.document_rate(m, l, n)) for l, n in zip(l1, ns)])])
    clf2 = LogisticRegression(C=1.0, max_iter=2000).fit(z, y)
    stage2["coef"] = clf2.coef_[0].tolist()
    stage2["intercept"] = float(clf2.intercept_[0])
    span["stage2"] = stage2
    OUT.write_text(json.dumps(span) + "\n")
    spin.model.cache_clear()
    m = spin.model()
    # the prior's weight, its novelty discount and the threshold: recall on training-spinner copies of val
    # at the budget on all genuine val articles (the weight fitted on log-loss is too timid for a budget);
    # among pairs within RECALL_SLACK of the best recall, the fewest findings on out-of-domain genuine text
    xt, yt, nt, vt = training_set(val)
    p0 = float(np.median([u / max(1.0, t) for u, t in vt[0::2]]))
    l1 = [spin.span_logits(m, xd) for xd in xt]
    rates = [spin.document_rate(m, l, n) for l, n in zip(l1, nt)]
    novs = [_novelty(v, p0) for v in vt]
    ood = [labelled_spans(t) for t in ood_dev_texts()]
    ood_l1 = [spin.span_logits(m, x) for x, *_ in ood]
    ood_r = [spin.document_rate(m, l, n) for l, (_, _, n, _) in zip(ood_l1, ood)]
    ood_nov = [_novelty(v, p0) for *_, v in ood]
    ood_words = sum(n for _, _, n, _ in ood)
    words = sum(nt[0::2])
    def posts(ls, rs, vs, w: float, beta: float) -> list[np.ndarray]:
        """Stage-2 span log-odds of each document for prior weight ``w`` and novelty discount ``beta``."""
        return [stage2["coef"][0] * l + w * (r - beta * v) + stage2["intercept"] for l, r, v in zip(ls, rs, vs)]

    def recall_at(post: list[np.ndarray], thr: float) -> float:
        """Share of the training-spinner copies' substitution spans at or over ``thr``."""
        return float(np.concatenate([p[y] >= thr for p, y in zip(post[1::2], yt[1::2])]).mean())

    def ood_rate(post: list[np.ndarray], thr: float) -> float:
        """Out-of-domain dev spans at or over ``thr`` per 1,000 words."""
        return 1000.0 * sum(int((p >= thr).sum()) for p in post) / ood_words

    grid = []
    for beta in NOVELTY_BETAS:
        for w in PRIOR_WEIGHTS:
            post = posts(l1, rates, novs, w, beta)
            thr = threshold_for(post[0::2], words)
            grid.append((recall_at(post, thr), ood_rate(posts(ood_l1, ood_r, ood_nov, w, beta), thr), w, beta, thr))
    top = max(g[0] for g in grid)
    best = min((g for g in grid if g[0] >= top - RECALL_SLACK), key=lambda g: (g[1], -g[0]))
    ood_post = posts(ood_l1, ood_r, ood_nov, best[2], best[3])
    ood_threshold = threshold_for(ood_post, ood_words, OOD_BUDGET)
    if ood_threshold > best[4]:  # the out-of-domain budget binds: raise the threshold, recount
        recall = recall_at(posts(l1, rates, novs, best[2], best[3]), ood_threshold)
        best = (recall, ood_rate(ood_post, ood_threshold), best[2], best[3], ood_threshold)
    stage2["coef"][1] = best[2]
    stage2["novelty_beta"] = best[3]
    stage2["novelty_p0"] = p0
    stage2["novelty_pairs"] = NOVELTY_PAIRS
    span["threshold"] = best[4]
    span["recall_training_spinner"] = round(best[0], 4)
    span["ood_dev_spans_per_1000_words"] = round(best[1], 3)
    span["provenance"] = {
        "built_by": "python -m scorer.training.spin_model",
        "fit": f"{len(fit_half)} genuine_split('val') articles (even positions) + their training-spinner copies "
        f"(styles {list(STYLES)}, rates {list(RATES)})",
        "threshold": f"all {len(val)} genuine val articles, {words} words, budget {BUDGET} per 1,000; prior weight "
        f"from {list(PRIOR_WEIGHTS)} and novelty discount from {list(NOVELTY_BETAS)}: within {RECALL_SLACK} of the "
        f"best recall on their training-spinner copies, fewest spans over the threshold on {len(ood)} out-of-domain "
        f"genuine documents ({ood_words} words: SummEdits sources, all domains but news, plus news 'evaluation' split); "
        f"then raised where needed to keep those documents under {OOD_BUDGET} findings per 1,000 words",
        "spans": int(len(y)),
        "positives": int(y.sum()),
        "seconds": round(time.time() - t0, 1),
    }
    OUT.write_text(json.dumps(span, indent=1) + "\n")
    spin.model.cache_clear()
    return span


def posterior_logits_of(texts) -> tuple[list[np.ndarray], int]:
    """Span log-odds (with the document prior, exactly as ``spin.extract`` flags them) of each text, and the word count."""
    m = spin.model()
    out, words = [], 0
    for text in texts:
        (_si, _sj, _ev, _orig, x), ctx = spin.score_spans(Document(text), m)
        logit, _ = spin.posterior_logits(m, spin.span_logits(m, x), ctx.n, spin.novelty(m, ctx))
        out.append(logit)
        words += ctx.n
    return out, words


def retune_threshold() -> dict:
    """Set only the flagging threshold of the committed span model, from both budgets on today's features.

    The smallest threshold that keeps genuine val under ``BUDGET`` and the out-of-domain dev
    documents under ``OOD_BUDGET`` findings per 1,000 words. The weights stay as they are: a full
    refit with the present span features picks a weaker document prior (see docs/spin.md).
    """
    span = json.loads(OUT.read_text())
    val_post, val_words = posterior_logits_of(a.text for a in genuine_split("val"))
    ood_post, ood_words = posterior_logits_of(ood_dev_texts())
    val_thr = threshold_for(val_post, val_words, BUDGET)
    ood_thr = threshold_for(ood_post, ood_words, OOD_BUDGET)
    span["threshold"] = max(val_thr, ood_thr)
    span["ood_dev_spans_per_1000_words"] = round(
        1000.0 * sum(int((p >= span["threshold"]).sum()) for p in ood_post) / ood_words, 3)
    span["provenance"]["threshold_retuned"] = (
        f"python -m scorer.training.spin_model --threshold: max of {val_thr:.3f} (genuine val, {val_words} words, "
        f"budget {BUDGET} per 1,000) and {ood_thr:.3f} (out-of-domain dev, {ood_words} words, budget {OOD_BUDGET})")
    OUT.write_text(json.dumps(span, indent=1) + "\n")
    spin.model.cache_clear()
    return span


SUGGEST_OUT = spin.MODEL_DIR / "suggest_model.json"
#: Substitution rate of the spinner copies the suggestion ranker learns from.
SUGGEST_RATE = 0.15
#: Weight of each spinner's candidate groups in the ranker fit (0: not generated): the training spinner
#: (word/multiword), ``spinner.spin_wide`` (inverse of the whole ``sug_*`` map), ``spinner.spin_general``
#: (a word swapped for a more specific one, ``said`` -> ``claimed``: the original is the more general word)
#: and ``spin_thesaurus`` (uniform over Aiksaurus links). Chosen on the dev metric (``--ranking``, val odd
#: positions): adding ``spin_general`` at 0.75 with ``spin_wide`` at 0.25 raised all three spinners' accuracy.
#: ``spin_neighbour`` (a word swapped for a distributional neighbour) lowered them at every weight tried
#: (0.25 / 0.5 / 1.0: training 78.1 -> 76.8 / 75.4 / 74.0%, frequent 52.8 -> 50.4 / 49.3 / 47.0%, seeds 94 -> 85-87
#: right): the ranker learns the neighbour columns from the dictionary spinners' originals alone.
SOURCE_WEIGHTS: dict[str, float] = {"training": 1.0, "wide": 0.25, "general": 0.75, "thesaurus": 0.0, "neighbour": 0.0}


def suggestion_groups(text: str, subs) -> list[tuple[np.ndarray, int]]:
    """Per single-word substitution with a candidate list: (candidate features, index of the true original)."""
    m = spin.model()
    doc = Document(text)
    ctx = spin._Context(doc, m)
    at = {s: i for i, (s, _) in enumerate(doc.word_spans)}
    out = []
    for s in subs:
        i = at.get(s.start)
        if i is None or doc.word_spans[i][1] != s.end or " " in s.original:
            continue
        o = int(ctx.ids[i])
        if o < 0:
            continue
        _, cand, cost, thes, rev = spin.candidate_originals(m, ctx, np.array([i]))
        hit = np.flatnonzero(cand == m.vocab.get(s.original.lower(), -2))
        if len(cand) < 2 or len(hit) == 0:
            continue
        p = np.full(len(cand), i)
        out.append((spin.suggestion_features(m, ctx, p, np.full(len(cand), o), cand, cost, thes, rev), int(hit[0])))
    return out


@lru_cache(maxsize=1)
def _inverse_thesaurus() -> dict[str, tuple[str, ...]]:
    """Original word -> the surface forms whose suggestion candidates list it through an Aiksaurus link."""
    m = spin.model()
    linked = m.sug_thes > 0
    return inverse_table(np.repeat(np.arange(len(m.sug_len)), m.sug_len)[linked], m.sug_cand[linked])


def spin_thesaurus(text: str, *, rate: float, seed: int):
    """Ranker-training spinner over a general thesaurus: a word is replaced by a form Aiksaurus links it to.

    Real spinners draw from general thesauri (``partnership`` -> ``alliance`` is no WordNet
    relation), so the ranker also sees originals reached that way; uniform choice, like ``spin_wide``.
    """
    return spin_from_table(text, _inverse_thesaurus(), rate=rate, seed=seed)


@lru_cache(maxsize=1)
def _inverse_neighbours() -> dict[str, tuple[str, ...]]:
    """Original word -> the words that list it among their ``spin.NEIGHBOUR_CANDIDATES`` nearest neighbours."""
    m = spin.model()
    nb = m.neighbours
    owner, e = spin._list_entries(nb.start, np.minimum(nb.length, spin.NEIGHBOUR_CANDIDATES))
    keep = ~m.generic[nb.cand[e]]
    return inverse_table(owner[keep], nb.cand[e][keep])


def spin_neighbour(text: str, *, rate: float, seed: int):
    """Ranker-training spinner over distributional neighbours: a word is replaced by a word that lists it among its
    nearest neighbours (``spin.NEIGHBOUR_FILE``). A stand-in for the general thesauri of real spinners, whose pairs
    (``troops`` -> ``soldiers``) are often no dictionary relation: the ranker sees originals reached only that way."""
    return spin_from_table(text, _inverse_neighbours(), rate=rate, seed=seed)


def ranker_groups(articles, offset: int = 0) -> list[tuple[np.ndarray, int, float]]:
    """Candidate groups (features, index of the true original, fit weight) from one copy per article of each
    spinner with a positive ``SOURCE_WEIGHTS`` entry (training spinner styles word/multiword in turn)."""
    from scorer.training.spinner import spin as spin_text, spin_general, spin_wide

    spinners = {
        "training": lambda t, k: spin_text(t, rate=SUGGEST_RATE, style=("word", "multiword")[k % 2], seed=5000 + offset + k),
        "wide": lambda t, k: spin_wide(t, rate=SUGGEST_RATE, seed=7000 + offset + k),
        "thesaurus": lambda t, k: spin_thesaurus(t, rate=SUGGEST_RATE, seed=9000 + offset + k),
        "general": lambda t, k: spin_general(t, rate=SUGGEST_RATE, seed=11000 + offset + k),
        "neighbour": lambda t, k: spin_neighbour(t, rate=SUGGEST_RATE, seed=13000 + offset + k),
    }
    groups = []
    for k, a in enumerate(articles):
        for name, make in spinners.items():
            w = SOURCE_WEIGHTS.get(name, 0.0)
            if w > 0:
                sp = make(a.text, k)
                groups += [(x, t, w) for x, t in suggestion_groups(sp.text, sp.substitutions)]
    return groups


def ranker_accuracy(groups, coef: np.ndarray) -> float:
    """Share of groups whose top-scored candidate is the true original (unweighted)."""
    return float(np.mean([int(np.argmax(x @ coef)) == t for x, t, *_ in groups])) if groups else 0.0


def fit_suggestions(c: float = 1.0) -> dict:
    """Pairwise logistic ranker: the true original against every other candidate (no intercept)."""
    from sklearn.linear_model import LogisticRegression

    t0 = time.time()
    val = genuine_split("val")
    fit_g, check_g = ranker_groups(val[0::2]), ranker_groups(val[1::2], offset=1)
    diff = np.concatenate([x[t] - np.delete(x, t, axis=0) for x, t, _ in fit_g])
    weight = np.concatenate([np.full(len(x) - 1, w) for x, _, w in fit_g])
    z = np.r_[diff, -diff]
    y = np.r_[np.ones(len(diff)), np.zeros(len(diff))]
    scale = z.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=c, fit_intercept=False, max_iter=5000).fit(z / scale, y, sample_weight=np.r_[weight, weight])
    coef = clf.coef_[0] / scale
    out = {
        "features": list(spin.SUGGEST_FEATURES),
        "coef": coef.tolist(),
        "accuracy_fit": round(ranker_accuracy(fit_g, coef), 4),
        "accuracy_check": round(ranker_accuracy(check_g, coef), 4),
        "provenance": {
            "built_by": "python -m scorer.training.spin_model --suggestions",
            "fit": f"{len(fit_g)} candidate groups from genuine_split('val') even positions: copies at rate {SUGGEST_RATE} "
            f"by the spinners weighted {SOURCE_WEIGHTS}",
            "check": f"{len(check_g)} groups from the odd positions (accuracy among groups holding the original)",
            "seconds": round(time.time() - t0, 1),
        },
    }
    SUGGEST_OUT.write_text(json.dumps(out, indent=1) + "\n")
    spin.model.cache_clear()
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m scorer.training.spin_model",
                                     description="Fit the span model (default), the suggestion ranker, or only the "
                                     "threshold; each writes its file under models/spin/.")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--suggestions", action="store_true", help="fit the suggestion ranker (suggest_model.json)")
    group.add_argument("--threshold", action="store_true",
                       help="recompute only the flagging threshold of the committed span model")
    args = parser.parse_args(argv)
    if args.suggestions:
        print(json.dumps(fit_suggestions(), indent=1))
    elif args.threshold:
        print(json.dumps({k: v for k, v in retune_threshold().items() if k not in ("mean", "scale", "coef")}, indent=1))
    else:
        print(json.dumps(fit(), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
