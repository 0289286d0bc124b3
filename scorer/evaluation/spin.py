"""Target numbers of the spin detector: ``python -m scorer.evaluation.spin``.

Measures, with nothing tuned on the seeds or the test split:

* seed coverage against ``seeds/annotations.json`` (share of annotated
  substitutions overlapped by a spin finding) and suggestion accuracy;
* findings per 1,000 words on genuine held-out news (``genuine_split('test')``);
* document-level ROC AUC of ``spin.finding_density`` and ``spin.strict_density``,
  genuine test vs the same articles through the *evaluation* spinner
  (``scorer.training.spinner.spin_eval``, not the training spinner);
* unlisted tortured phrases: the PPS list split by hash, held-out phrases in
  a sentence frame with no list loaded, vs their expected (correct) text; with ``--pps`` also in
  real abstracts (a context not developed on), the register's open rates, the scientific pairs'
  false alarms on genuine abstracts and the news findings per 1,000 words;
* suggestion accuracy on spinner copies of genuine val (``--suggestions``);
* the trade-off of a prior-free threshold for lone tortured phrases (``--tortured-curve``);
* findings per 1,000 words on SummEdits source documents per domain and split (``--summedits``);
* speed: mean milliseconds per document over >= 1,000 genuine documents.
"""
from __future__ import annotations

import hashlib
import json
import sys
import time

import numpy as np

from scorer import spin
from scorer.data import REPO, data_dir, genuine_articles, genuine_split
from scorer.document import Document

SEED_NAMES = ("000_af59524d5182ebbf", "004_cf2c634dce9aa4a7")
EVAL_RATES = (0.05, 0.1, 0.2, 0.3, 0.5)
#: Sentence frames for the tortured-phrase test (the phrase goes in the slot).
FRAMES = (
    "In this paper we propose a new method based on {} for the proposed system.",
    "The results show that {} improves the performance of the model.",
)


def _progress(items, desc: str):
    """``items`` with a progress bar on an interactive terminal (these reports run for tens of seconds)."""
    from tqdm import tqdm

    return tqdm(items, desc=desc, leave=False, disable=not sys.stderr.isatty())


def _seed_matches(config: spin.SpinConfig):
    """Per seed: its Document, its findings, and each annotated substitution with the first finding over it (or None)."""
    ann = json.loads((REPO / "seeds" / "annotations.json").read_text(encoding="utf-8"))
    for name in SEED_NAMES:
        doc = Document((REPO / "seeds" / f"{name}.txt").read_text(encoding="utf-8"))
        found = spin.extract(doc, config).findings
        matches = [(a, next((f for f in found if f.start < a["end"] and f.end > a["start"]), None))
                   for a in ann if a["seed"] == name]
        yield name, doc, found, matches


def _right(hit, annotation: dict) -> bool:
    """The finding's suggestion is the annotated original (case-insensitive)."""
    return (hit.suggestion or "").lower() == annotation["original"].lower()


def seed_coverage(config: spin.SpinConfig = spin.SpinConfig()) -> dict:
    """Share of annotated seed substitutions covered by a finding, and right suggestions."""
    total = covered = right = 0
    per_seed = {}
    for name, _, found, matches in _seed_matches(config):
        c = sum(hit is not None for _, hit in matches)
        r = sum(_right(hit, a) for a, hit in matches if hit is not None)
        per_seed[name] = {"annotated": len(matches), "covered": c, "suggestion_right": r, "findings": len(found)}
        total, covered, right = total + len(matches), covered + c, right + r
    return {
        "annotated": total,
        "coverage": covered / total if total else 0.0,
        "suggestion_accuracy": right / covered if covered else 0.0,
        "per_seed": per_seed,
    }


#: How many examples of each kind the breakdown lists.
EXAMPLES = 12


def seed_suggestion_breakdown(config: spin.SpinConfig = spin.SpinConfig()) -> dict:
    """Covered seed substitutions by what their suggestion got: right, or why not.

    ``multiword``: the annotated original or the observed text is more than one word (a phrase
    the single-word ranker does not rank); ``span``: the finding covers other words than the
    annotation; ``none``: no suggestion; ``unreached``: the original is not among the word's
    candidates (``spin.candidate_originals``); ``ranked_lower``: it is, and another ranked first.
    Shows whether more right suggestions need more candidates or a better ranking.
    """
    m = spin.model()
    counts = dict.fromkeys(("right", "multiword", "span", "none", "unreached", "ranked_lower"), 0)
    examples: dict[str, list[str]] = {k: [] for k in counts if k != "right"}
    for _, doc, _, matches in _seed_matches(config):
        ctx = spin._Context(doc, m)
        at = {s: i for i, (s, _) in enumerate(doc.word_spans)}
        for a, hit in matches:
            if hit is None:
                continue
            original, observed = a["original"].lower(), doc.text[a["start"]:a["end"]]
            if _right(hit, a):
                kind = "right"
            elif " " in original or " " in observed.strip():
                kind = "multiword"
            elif (hit.start, hit.end) != (a["start"], a["end"]) or hit.start not in at:
                kind = "span"
            elif hit.suggestion is None:
                kind = "none"
            else:
                o = m.vocab.get(original, -1)
                reach = o >= 0 and int(m.canon[o]) in spin.candidate_originals(m, ctx, np.array([at[hit.start]]))[1].tolist()
                kind = "ranked_lower" if reach else "unreached"
            counts[kind] += 1
            if kind != "right":
                examples[kind].append(f"{observed} -> {a['original']} (suggested: {hit.suggestion})")
    covered = sum(counts.values())
    return {"covered": covered, **counts, "right_share": counts["right"] / covered if covered else 0.0,
            "examples": {k: v[:EXAMPLES] for k, v in examples.items()}}


def spinner_suggestions(config: spin.SpinConfig = spin.SpinConfig(), rate: float = 0.15) -> dict:
    """Suggestion accuracy on spinner copies of genuine val (the spinners know the true originals).

    One copy per article at ``rate``: training spinner (styles in turn) and evaluation spinner.
    Accuracy = share of covered substitutions whose suggestion equals the original (case-insensitive).
    """
    from scorer.training.spinner import EVAL_STYLES, STYLES, spin as spin_train, spin_eval

    out = {}
    for name, fn, styles in (("training", spin_train, STYLES), ("evaluation", spin_eval, EVAL_STYLES)):
        total = covered = right = 0
        for k, a in enumerate(genuine_split("val")):
            sp = fn(a.text, rate=rate, style=styles[k % len(styles)], seed=1000 + k)
            found = spin.extract(Document(sp.text), config).findings
            for s in sp.substitutions:
                total += 1
                hit = next((f for f in found if f.start < s.end and f.end > s.start), None)
                if hit is not None:
                    covered += 1
                    right += (hit.suggestion or "").lower() == s.original.lower()
        out[name] = {"substitutions": total, "covered": covered / max(1, total), "suggestion_accuracy": right / max(1, covered)}
    return out


def suggestion_ranking(rate: float = 0.15, articles=None) -> dict:
    """Suggestion accuracy over *every* one-word substitution of spinner copies, flagged or not.

    Detection covers few substitutions at ``rate`` (the spinner-copy accuracy of ``spinner_suggestions``
    rests on a few hundred), so this ranks the candidates of each substituted word directly with
    ``spin.suggest``: ``reach`` = share whose original is a candidate, ``accuracy`` = share whose
    suggestion is the original. Default articles: genuine val odd positions (the ranker fits on the even ones).
    Spinners: training (``word``), evaluation (``frequent``, ``thesaurus``).
    """
    from scorer.training.spinner import spin as spin_train, spin_eval

    arts = genuine_split("val")[1::2] if articles is None else articles
    m = spin.model()
    out = {}
    for name, fn, style in (("training:word", spin_train, "word"), ("evaluation:frequent", spin_eval, "frequent"),
                            ("evaluation:thesaurus", spin_eval, "thesaurus")):
        total = reach = right = 0
        for k, a in enumerate(arts):
            sp = fn(a.text, rate=rate, style=style, seed=3000 + k)
            doc = Document(sp.text)
            ctx = spin._Context(doc, m)
            at = {s: i for i, (s, _) in enumerate(doc.word_spans)}
            pos, orig = [], []
            for s in sp.substitutions:
                i = at.get(s.start)
                if i is None or doc.word_spans[i][1] != s.end or " " in s.original or ctx.ids[i] < 0:
                    continue
                pos.append(i)
                orig.append(s.original.lower())
            if not pos:
                continue
            p = np.array(pos, dtype=np.int64)
            got = spin.suggest(m, ctx, p)
            for i, o, g in zip(pos, orig, got):
                o_id = m.canon[m.vocab.get(o, -1)] if o in m.vocab else -2
                total += 1
                reach += bool((spin.candidate_originals(m, ctx, np.array([i]))[1] == o_id).any())
                right += (g or "").lower() == o
        out[name] = {"substitutions": total, "reach": round(reach / max(1, total), 4),
                     "accuracy": round(right / max(1, total), 4),
                     "accuracy_reached": round(right / max(1, reach), 4)}
    return out


def genuine_false_positives(config: spin.SpinConfig = spin.SpinConfig(), split: str = "test") -> dict:
    """Spin findings per 1,000 words on genuine held-out news."""
    words = found = 0
    for a in _progress(genuine_split(split), f"genuine {split} articles"):
        doc = Document(a.text)
        words += len(doc.words)
        found += len(spin.extract(doc, config).findings)
    return {"split": split, "words": words, "findings": found, "per_1000_words": 1000.0 * found / max(1, words)}


def summedits_false_positives(config: spin.SpinConfig = spin.SpinConfig()) -> dict[str, dict]:
    """Spin findings per 1,000 words on SummEdits source documents, per ``domain:split``.

    ``news:test`` is the held-out check (never tuned on); the other parts are the out-of-domain dev set
    (``scorer.training.spin_model.ood_dev_texts``).
    """
    from scorer.training.datasets import summedits_sources

    out = {part: _findings_rate(texts, config) for part, texts in summedits_sources().items()}
    for domain in sorted({p.split(":")[0] for p in out}):  # both splits together
        parts = [v for p, v in out.items() if p.split(":")[0] == domain]
        words, found = sum(v["words"] for v in parts), sum(v["findings"] for v in parts)
        out[f"{domain}:all"] = {"docs": sum(v["docs"] for v in parts), "words": words, "findings": found,
                                "per_1000_words": round(1000.0 * found / max(1, words), 2)}
    return out


def onestop_false_positives(config: spin.SpinConfig = spin.SpinConfig()) -> dict[str, dict]:
    """Spin findings per 1,000 words on OneStopEnglish, per level: news of another outlet (Guardian-based articles
    rewritten for learners), never trained or tuned on."""
    from scorer.evaluation.readability import LEVELS, load_onestop

    texts = load_onestop()
    return {folder: _findings_rate([t for _, lvl, t in texts if lvl == level], config)
            for folder, level in LEVELS.items()}


def _findings_rate(texts: list[str], config: spin.SpinConfig) -> dict:
    """Documents, words, spin findings, and findings per 1,000 words over ``texts``."""
    words = found = 0
    for text in texts:
        doc = Document(text)
        words += len(doc.words)
        found += len(spin.extract(doc, config).findings)
    return {"docs": len(texts), "words": words, "findings": found,
            "per_1000_words": round(1000.0 * found / max(1, words), 2)}


def _auc(neg: list[float], pos: list[float]) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score([0] * len(neg) + [1] * len(pos), list(neg) + list(pos)))


def classifier_auc(neg: np.ndarray, pos: np.ndarray) -> float:
    """ROC AUC of a logistic regression over all spin features, 5-fold cross-validated by article."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import GroupKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x = np.r_[neg, pos]
    y = np.r_[np.zeros(len(neg)), np.ones(len(pos))]
    groups = np.r_[np.arange(len(neg)), np.arange(len(pos))]
    clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    p = cross_val_predict(clf, x, y, cv=GroupKFold(5), groups=groups, method="decision_function")
    return float(roc_auc_score(y, p))


def document_auc(config: spin.SpinConfig = spin.SpinConfig(), limit: int | None = None) -> dict:
    """Genuine test vs evaluation-spinner copies, per rate and style: classifier AUC and best single feature."""
    from scorer.training.spinner import EVAL_STYLES, spin_eval

    arts = genuine_split("test")[:limit]
    feats = [f for f in spin.FEATURES if f != "spin.lexicon_density"]

    def row(text: str) -> list[float]:
        fs = spin.extract(Document(text), config).features
        return [fs[f] for f in feats]

    gen = np.array([row(a.text) for a in _progress(arts, "genuine test articles")])
    out: dict = {}
    settings = [(rate, style) for rate in EVAL_RATES for style in EVAL_STYLES]
    for rate, style in _progress(settings, "evaluation spinner (rate, style)"):
        spun = np.array([row(spin_eval(a.text, rate=rate, style=style, seed=k).text) for k, a in enumerate(arts)])
        single = {f: _auc(gen[:, k], spun[:, k]) for k, f in enumerate(feats)}
        best = max(single, key=single.get)
        out[f"{style}@{rate}"] = {"classifier": classifier_auc(gen, spun), "best_feature": best, "best_feature_auc": single[best]}
    return out


def heldout_pps() -> list[tuple[str, str]]:
    """The held-out half of the single-phrase PPS rows (split by a hash of the phrase; the scientific
    pairs of ``spin.science_pair`` are built from the other half only)."""
    from scorer.training.build_science import is_heldout, pps_rows

    return [r for r in pps_rows() if is_heldout(r[0])]


def _overlapped(text: str, lo: int, hi: int, config: spin.SpinConfig) -> bool:
    """Whether a spin finding overlaps ``text[lo:hi]``."""
    return any(f.start < hi and f.end > lo for f in spin.extract(Document(text), config).findings)


def _corrected(text: str, lo: int, hi: int, findings) -> str:
    """``text[lo:hi]`` with each finding inside it replaced by its suggestion (the phrase as the detector
    would restore it)."""
    out, at = [], lo
    for f in sorted(findings, key=lambda f: f.start):
        if f.start >= at and f.end <= hi and f.suggestion is not None:
            out += [text[at:f.start], f.suggestion]
            at = f.end
    return "".join(out) + text[at:hi]


def tortured_phrases(config: spin.SpinConfig = spin.SpinConfig(), limit: int | None = None) -> dict:
    """Share of held-out tortured phrases flagged in sentence context, vs their correct counterparts.

    A phrase counts as flagged when a finding overlaps it in either of the two ``FRAMES`` (the frames the
    scientific pairs' thresholds were set on); ``per_frame`` gives each frame alone. ``suggestion_right``: share of
    the phrases flagged in the first frame that the suggestions restore to the expected text exactly.
    """
    rows = heldout_pps()[:limit]
    hits = {"tortured": np.zeros((len(rows), len(FRAMES)), bool), "expected": np.zeros((len(rows), len(FRAMES)), bool)}
    right = 0
    for k, pair in enumerate(_progress(rows, "held-out tortured phrases")):
        for which, phrase in zip(hits, pair):
            for j, frame in enumerate(FRAMES):
                text = frame.format(phrase)
                lo = text.index(phrase)
                found = [f for f in spin.extract(Document(text), config).findings if f.start < lo + len(phrase) and f.end > lo]
                hits[which][k, j] = bool(found)
                if which == "tortured" and j == 0 and found:
                    right += _corrected(text, lo, lo + len(phrase), found).lower() == pair[1].lower()
    n = max(1, len(rows))
    flagged = int(hits["tortured"][:, 0].sum())
    return {"phrases": len(rows), "tortured_flagged": float(hits["tortured"].any(1).sum()) / n,
            "expected_flagged": float(hits["expected"].any(1).sum()) / n,
            "suggestion_right": right / max(1, flagged),
            "per_frame": [{"tortured_flagged": float(hits["tortured"][:, j].mean()) if len(rows) else 0.0,
                           "expected_flagged": float(hits["expected"][:, j].mean()) if len(rows) else 0.0}
                          for j in range(len(FRAMES))]}


#: Words after which the abstract context puts the phrase (it replaces the next word, a noun or adjective).
_SLOT_AFTER = frozenset({"the", "a", "an", "our", "this", "these", "their", "its"})


def abstract_slots(text: str) -> list[tuple[int, int]]:
    """Character spans of the lower-case word after a determiner, inside one sentence, in ``text``."""
    doc = Document(text)
    low, words, sent = doc.lower, doc.words, doc.word_sentence
    return [doc.word_span(i + 1) for i in range(len(low) - 1)
            if low[i] in _SLOT_AFTER and sent[i + 1] == sent[i] and words[i + 1].isalpha() and words[i + 1].islower()]


def tortured_in_abstracts(config: spin.SpinConfig = spin.SpinConfig(), limit: int | None = None,
                          part: str = "scitldr:test") -> dict:
    """The third context (not developed on): each held-out phrase, and separately its counterpart, put into a
    real scientific abstract (SummEdits ``scitldr`` sources) in place of the word after a determiner.

    Row ``k`` goes into abstract ``k % A`` at its slot ``(k // A) % slots``; the whole abstract is the document
    (its register decided as in use). Flagged: a finding overlaps the inserted phrase.
    """
    from scorer.training.datasets import summedits_sources

    abstracts = summedits_sources()[part]
    slots = [abstract_slots(a) for a in abstracts]
    rows = heldout_pps()[:limit]
    got = {"tortured": 0, "expected": 0}
    for k, pair in enumerate(rows):
        a = k % len(abstracts)
        s, e = slots[a][(k // len(abstracts)) % len(slots[a])]
        for which, phrase in zip(got, pair):
            text = abstracts[a][:s] + phrase + abstracts[a][e:]
            got[which] += _overlapped(text, s, s + len(phrase), config)
    n = max(1, len(rows))
    return {"phrases": len(rows), "abstracts": len(abstracts), "tortured_flagged": got["tortured"] / n,
            "expected_flagged": got["expected"] / n}


def register_open_rates(config: spin.SpinConfig = spin.SpinConfig()) -> dict:
    """Share of documents on which the scientific register opens (``spin.is_science``), per source."""
    from scorer.training.datasets import summedits_sources

    src = summedits_sources()
    rows = heldout_pps()
    parts: dict[str, list[str]] = {
        "frames:tortured": [f.format(t) for t, _ in rows for f in FRAMES],
        "frames:expected": [f.format(e) for _, e in rows for f in FRAMES],
    }
    for split in ("val", "test"):
        arts = genuine_split(split)
        parts[f"bbc:{split}"] = [a.text for a in arts]
        parts[f"bbc:{split}:tech"] = [a.text for a in arts if a.topic == "tech"]
    parts.update({f"summedits:{k}": v for k, v in src.items()})
    out = {}
    for name, texts in parts.items():
        opened = [spin.is_science(Document(t), config) for t in texts]
        out[name] = {"docs": len(texts), "open": round(sum(opened) / max(1, len(texts)), 4)}
    return out


def science_findings_rate(part: str = "scitldr:test") -> dict:
    """``spin.science_pair`` findings per 1,000 words on genuine scientific abstracts (false alarms in science)."""
    from scorer.training.datasets import summedits_sources

    words = found = 0
    for text in summedits_sources()[part]:
        doc = Document(text)
        words += len(doc.words)
        found += sum(f.code == "spin.science_pair" for f in spin.extract(doc).findings)
    return {"part": part, "words": words, "science_findings": found, "per_1000_words": round(1000.0 * found / max(1, words), 2)}


def pps_report(limit: int | None = None) -> dict:
    """The unlisted tortured-phrase target with the default (``register='auto'``) detector, and its costs."""
    news = summedits_false_positives()["news:test"]
    return {
        "frames": tortured_phrases(limit=limit),
        "abstracts": tortured_in_abstracts(limit=limit),
        "register_open": register_open_rates(),
        "science_false_alarms": {p: science_findings_rate(p) for p in ("scitldr:test", "scitldr:evaluation")},
        "news_per_1000_words": {"bbc:test": round(genuine_false_positives()["per_1000_words"], 3),
                                "summedits:news:test": news["per_1000_words"]},
    }


def _best_stage1(text: str, lo: int, hi: int) -> float:
    """Highest stage-1 (context-only, no document prior) log-odds of a span overlapping ``text[lo:hi]``."""
    m = spin.model()
    doc = Document(text)
    (si, sj, _ev, _orig, x), _ctx = spin.score_spans(doc, m)
    l1 = spin.span_logits(m, x)
    hits = [l1[k] for k in range(len(si)) if doc.word_spans[si[k]][0] < hi and doc.word_spans[sj[k] - 1][1] > lo]
    return float(max(hits)) if hits else -99.0


def tortured_tradeoff(thresholds=(-1.0, 0.0, 1.0, 2.0, 3.0), limit: int = 600) -> list[dict]:
    """A prior-free rule (flag any span whose stage-1 log-odds reach a threshold) traded off three ways.

    Per threshold: share of held-out tortured phrases flagged in a frame, share of their
    correct counterparts flagged, and the extra findings per 1,000 words it would allow on genuine val.
    """
    rows = heldout_pps()[:limit]

    def best(phrase: str) -> float:
        return max(_best_stage1(f.format(phrase), f.format(phrase).index(phrase), f.format(phrase).index(phrase) + len(phrase))
                   for f in FRAMES)

    t = np.array([best(a) for a, _ in rows])
    e = np.array([best(b) for _, b in rows])
    m = spin.model()
    words, gen = 0, []
    for a in genuine_split("val"):
        doc = Document(a.text)
        (_si, _sj, _ev, _orig, x), ctx = spin.score_spans(doc, m)
        gen.append(spin.span_logits(m, x))
        words += ctx.n
    g = np.concatenate(gen)
    return [{"threshold": th, "tortured_flagged": float((t >= th).mean()), "expected_flagged": float((e >= th).mean()),
             "genuine_val_per_1000_words": 1000.0 * float((g >= th).sum()) / words} for th in thresholds]


def speed_documents(n_docs: int = 1000, words: int = 600) -> list[Document]:
    """``n_docs`` distinct genuine documents of about ``words`` words (consecutive articles joined)."""
    arts = genuine_articles()
    out = []
    for k in range(n_docs):
        text = ""
        j = k
        while len(text.split()) < words:
            text += arts[j % len(arts)].text + "\n\n"
            j += 1
        out.append(Document(" ".join(text.split(" ")[:words])))
    return out


def speed(n_docs: int = 1000, config: spin.SpinConfig = spin.SpinConfig()) -> dict:
    """Mean milliseconds of spin analysis per ~600-word document (Document built outside the timer).

    As the pipeline runs it: ``spin.extract_many`` over blocks of ``scorer.pipeline.BLOCK`` documents
    (``cpu_ms_per_doc``, process CPU time, the one to compare on a shared machine; ``ms_per_doc`` wall time).
    ``one_at_a_time_cpu_ms_per_doc``: ``spin.extract`` on each document alone, in the same run.
    """
    from scorer.pipeline import BLOCK

    spin.model.cache_clear()
    t0 = time.perf_counter()
    spin.model()
    load = time.perf_counter() - t0
    docs = speed_documents(n_docs)
    for d in docs:
        d.lower  # the shared pass, not the spin family's cost
    spin.extract_many(docs[:BLOCK], config)  # warm-up: lazily parsed phrase entries, numpy dispatch caches
    t0, c0 = time.perf_counter(), time.process_time()
    for k in range(0, len(docs), BLOCK):
        spin.extract_many(docs[k : k + BLOCK], config)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    c1 = time.process_time()
    for d in docs:
        spin.extract(d, config)
    one = time.process_time() - c1
    words = sum(len(d.words) for d in docs)
    return {"docs": len(docs), "mean_words": words / len(docs), "block": BLOCK, "ms_per_doc": 1000 * dt / len(docs),
            "cpu_ms_per_doc": 1000 * cpu / len(docs), "one_at_a_time_cpu_ms_per_doc": 1000 * one / len(docs),
            "load_s": load}


def evaluate(quick: bool = False) -> dict:
    """All target numbers in one dict (for the notebook)."""
    return {
        "seeds": seed_coverage(),
        "genuine": genuine_false_positives(),
        "auc": document_auc(limit=150 if quick else 400),
        "tortured": tortured_phrases(limit=600 if quick else None),
        "speed": speed(),
    }


#: ``python -m scorer.evaluation.spin`` options: flag -> (what it prints, function); no flag prints ``evaluate``.
_REPORTS = {
    "speed": ("speed on >= 1,000 distinct genuine documents", speed),
    "pps": ("the unlisted tortured-phrase target in full", pps_report),
    "tortured_curve": ("the prior-free threshold's trade-off for lone tortured phrases", tortured_tradeoff),
    "summedits": ("findings per 1,000 words on SummEdits sources, per domain and split", summedits_false_positives),
    "onestop": ("findings per 1,000 words on OneStopEnglish, per level (another outlet)", onestop_false_positives),
    "suggestions": ("suggestion accuracy on spinner copies of genuine val", spinner_suggestions),
    "ranking": ("suggestion ranking over every one-word substitution of spinner copies", suggestion_ranking),
    "seed_suggestions": ("why covered seed substitutions get a wrong suggestion", seed_suggestion_breakdown),
}


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m scorer.evaluation.spin", description=__doc__.split("\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true", help="the default report on fewer documents")
    for key, (what, _) in _REPORTS.items():
        group.add_argument("--" + key.replace("_", "-"), dest=key, action="store_true", help=f"only {what}")
    args = parser.parse_args(argv)
    chosen = [fn for key, (_, fn) in _REPORTS.items() if getattr(args, key)]
    result = chosen[0]() if chosen else evaluate(quick=args.quick)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
