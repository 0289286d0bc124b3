"""SummEdits evaluation of the consistency family: ``python -m scorer.evaluation.consistency``.

Summary = document, source = reference, label 1 = consistent. For each
domain: ROC AUC on the test part, and balanced accuracy with the threshold
chosen on that domain's own validation part (SummEdits ``evaluation``
split). The same numbers for a plain lexical-overlap baseline (share of the
summary's words found in the source), per edit type (each edit type's
inconsistent summaries against all consistent ones), and speed: pairs per
CPU second, building both Documents for every pair, on SummEdits news and
on ~600-word BBC article pairs (a corrupted article against its original).
"""
from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import balanced_accuracy_score, roc_auc_score

from scorer.consistency import ConsistencyConfig, extract
from scorer.data import data_dir
from scorer.document import Document

SCORE = "consistency.score"
EDIT_TYPES = ("entity_modification", "antonym_swap", "negation_insertion_removal", "hallucinated_fact_insertion")
_WORD = re.compile(r"\w+")


def load(domain: str) -> list[dict[str, Any]]:
    """Items of one SummEdits domain, with ``label`` as int and ``edit_types`` as a list."""
    path = data_dir() / "consistency" / "summedits" / f"summedits_{domain}.json"
    items = json.loads(path.read_text(encoding="utf-8"))
    for it in items:
        it["label"] = int(it["label"])
        et = it.get("edit_types") or []
        it["edit_types"] = json.loads(et.replace("'", '"')) if isinstance(et, str) else list(et)
    return items


def domains() -> list[str]:
    root = data_dir() / "consistency" / "summedits"
    return sorted(p.stem.removeprefix("summedits_") for p in root.glob("summedits_*.json"))


def overlap_baseline(summary: str, source: str) -> float:
    """Lexical-overlap baseline: share of the summary's word tokens that occur in the source."""
    src = set(_WORD.findall(source.lower()))
    words = _WORD.findall(summary.lower())
    return sum(w in src for w in words) / len(words) if words else 0.0


def best_threshold(y: np.ndarray, s: np.ndarray) -> float:
    """Threshold (predict consistent when score >= t) maximising balanced accuracy."""
    values = np.unique(s)
    cands = np.concatenate([[values[0] - 1e-9], (values[:-1] + values[1:]) / 2, [values[-1] + 1e-9]])
    best, best_t = -1.0, float(cands[0])
    for t in cands:
        ba = balanced_accuracy_score(y, s >= t) if len(set(y)) > 1 else 0.0
        if ba > best:
            best, best_t = ba, float(t)
    return best_t


def _metrics(y: np.ndarray, s: np.ndarray, t: float) -> dict[str, float]:
    if len(set(y.tolist())) < 2:
        return {"n": int(len(y)), "auc": float("nan"), "bacc": float("nan")}
    return {"n": int(len(y)), "auc": float(roc_auc_score(y, s)), "bacc": float(balanced_accuracy_score(y, s >= t))}


def evaluate_domain(domain: str, config: ConsistencyConfig | None = None) -> dict[str, Any]:
    """Scores, thresholds and metrics of one domain."""
    config = config or ConsistencyConfig()
    items = load(domain)
    refs: dict[str, Document] = {}
    ours, base = [], []
    for it in items:
        ref = refs.get(it["doc"])
        if ref is None:
            ref = refs[it["doc"]] = Document(it["doc"])
        ours.append(extract(Document(it["summary"]), ref, config).features[SCORE])
        base.append(overlap_baseline(it["summary"], it["doc"]))
    y = np.array([it["label"] for it in items])
    split = np.array([it["split"] for it in items])
    val, test = split == "evaluation", split == "test"
    out: dict[str, Any] = {"domain": domain, "n_val": int(val.sum()), "n_test": int(test.sum())}
    for name, s in (("consistency", np.array(ours)), ("overlap", np.array(base))):
        t = best_threshold(y[val], s[val])
        res = {"threshold": t, **_metrics(y[test], s[test], t)}
        per_type = {}
        for et in EDIT_TYPES:
            mask = test & ((y == 1) | np.array([et in it["edit_types"] and it["label"] == 0 for it in items]))
            if (mask & (y == 0)).sum():
                per_type[et] = _metrics(y[mask], s[mask], t)
        res["per_edit_type"] = per_type
        out[name] = res
    return out


def speed_summedits(domain: str = "news", config: ConsistencyConfig | None = None) -> float:
    """Pairs per CPU second, building the summary and source Documents for every pair."""
    config = config or ConsistencyConfig()
    items = load(domain)
    start = time.process_time()
    for it in items:
        extract(Document(it["summary"]), Document(it["doc"]), config)
    return len(items) / (time.process_time() - start)


def speed_articles(n: int = 200, config: ConsistencyConfig | None = None) -> dict[str, float]:
    """Pairs per CPU second on BBC test articles of 450-800 words: corrupted copy vs original, and unrelated."""
    from scorer.data import genuine_split
    from scorer.training.corrupt import corrupt

    config = config or ConsistencyConfig()
    arts = [a.text for a in genuine_split("test") if 450 <= len(a.text.split()) <= 800][:n]
    out = {"n": float(len(arts)), "words": float(np.mean([len(a.split()) for a in arts]))}
    corrupted = [corrupt(a, seed=i).text for i, a in enumerate(arts)]
    for name, pairs in (("corrupted_pairs_per_s", list(zip(corrupted, arts))),
                        ("unrelated_pairs_per_s", list(zip(arts, arts[1:] + arts[:1])))):
        start = time.process_time()
        for a, b in pairs:
            extract(Document(a), Document(b), config)
        out[name] = len(pairs) / (time.process_time() - start)
    return out


def speed_bench(n: int = 300, repeats: int = 3, config: ConsistencyConfig | None = None) -> dict[str, float]:
    """CPU ms per ~600-word pair of ``scorer.bench.documents`` (each against the previous one), best of ``repeats``.

    ``extract_ms``: ``extract`` alone, the document's ``lower`` already built (the
    other families build it); ``with_reference_ms``: plus building the reference
    Document, the part of the pipeline a reference adds (budget ~2.5 ms).
    """
    from scorer.bench import documents

    config = config or ConsistencyConfig()
    texts = list(documents(n))
    extract(Document(texts[0]), Document(texts[1]), config)
    ext, build = [], []
    for _ in range(repeats):
        docs = [Document(t) for t in texts]
        for d in docs:
            d.lower  # noqa: B018 - built by the document's own families in the pipeline
        start = time.process_time()
        refs = [Document(t) for t in texts]
        mid = time.process_time()
        for i, d in enumerate(docs):
            extract(d, refs[i - 1], config)
        end = time.process_time()
        build.append((mid - start) / n * 1e3)
        ext.append((end - mid) / n * 1e3)
    return {"extract_ms": min(ext), "with_reference_ms": min(e + b for e, b in zip(ext, build))}


def evaluate(domain_names: list[str] | None = None) -> dict[str, Any]:
    """Everything the notebook shows: per-domain metrics for us and the baseline, and speed."""
    names = domain_names or domains()
    return {
        "domains": {d: evaluate_domain(d) for d in names},
        "speed": {"summedits_news_pairs_per_s": speed_summedits("news"), **speed_articles()},
    }


def _fmt(x: float) -> str:
    return "  nan" if x != x else f"{x:5.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--domains", nargs="*", help="SummEdits domains (default: all)")
    ap.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = ap.parse_args(argv)
    res = evaluate(args.domains)
    print(f"{'domain':12s} {'n_test':>6s} | {'AUC':>5s} {'BAcc':>5s} | overlap {'AUC':>5s} {'BAcc':>5s}")
    for d, r in res["domains"].items():
        c, o = r["consistency"], r["overlap"]
        print(f"{d:12s} {r['n_test']:6d} | {_fmt(c['auc'])} {_fmt(c['bacc'])} |         {_fmt(o['auc'])} {_fmt(o['bacc'])}")
    print("\nper edit type (test part; AUC / BAcc at the domain threshold):")
    for d, r in res["domains"].items():
        parts = [f"{et.split('_')[0]}: {_fmt(m['auc'])}/{_fmt(m['bacc'])}" for et, m in r["consistency"]["per_edit_type"].items()]
        print(f"  {d:12s} " + "  ".join(parts))
    print("\nspeed (pairs per CPU second, both Documents built per pair):")
    for k, v in res["speed"].items():
        print(f"  {k}: {v:.0f}")
    if args.json:
        args.json.write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
