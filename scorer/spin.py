"""Spin family: synonym-substitution artefacts ("tortured phrases") with likely originals.

An article spinner swaps words for dictionary synonyms without regard for
context: ``said`` becomes ``claimed``, ``Secretary General`` becomes
``Assistant General``. The detector inverts that. For each word or short
phrase that has WordNet synonyms (compiled by ``scorer.training.build_spin``
into ``models/spin/``), it asks a small bigram language model whether one of
those synonyms would be far more usual *in this context* than the word that
is there::

    evidence = LM(candidate | left, right) - LM(observed | left, right) - cost

``LM`` mixes Google n-gram counts (symspellpy's lists) and counts from the
genuine training news. Evidence is turned into a posterior with a per-document
prior: a document where many words look substituted is more likely spun
(empirical Bayes, a few EM steps), so the same evidence is flagged in a spun
document and left alone in genuine text. Flagged spans become ``spin.substitution``
findings whose ``suggestion`` is the best candidate. ``spin.lexicon`` findings
come from an optional external phrase list (``SpinConfig.lexicon``, the Problematic
Paper Screener format, see :mod:`scorer.lexicon`).

Resources load lazily, once per process.
"""
from __future__ import annotations

import math
import pickle
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from scorer.data import REPO
from scorer.document import Document
from scorer.errors import ModelError
from scorer.report import FamilyResult, Finding

RESOURCES = REPO / "models" / "spin" / "resources.pkl"

FEATURES: dict[str, str] = {
    "spin.finding_density": "flagged substitutions per 100 words",
    "spin.posterior_mean": "mean posterior that a word with synonyms was substituted",
    "spin.prior": "estimated share of substitutable words that were substituted (document prior)",
    "spin.evidence_mean": "mean best log-likelihood gain of a synonym over the word that is there",
    "spin.strong_evidence_rate": "share of substitutable words where a synonym is e^4 times more likely",
    "spin.strict_density": "words per 100 in an unattested context where a synonym's context is attested",
    "spin.unseen_bigram_rate": "share of adjacent common-word pairs never seen in genuine text",
    "spin.lexicon_density": "external-list tortured phrases per 100 words",
}


class SpinConfig(BaseModel):
    """Thresholds of the spin detector; defaults are tuned on genuine train/val only."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    threshold: float = Field(0.5, gt=0.0, lt=1.0, description="posterior above which a span is flagged")
    min_evidence: float = Field(5.0, description="least log-likelihood gain (nats) a flagged span needs")
    prior_alpha: float = Field(0.5, gt=0.0, description="Beta prior pseudo-count for substituted words")
    prior_beta: float = Field(40.0, gt=0.0, description="Beta prior pseudo-count for genuine words")
    em_steps: int = Field(4, ge=0, le=20, description="EM steps for the document prior")
    gate_density: float = Field(30.0, ge=0.0, description="strict candidates per 1,000 words above which a document is read as spun")
    solo_evidence: float = Field(14.0, description="evidence a strict candidate needs to be flagged in a document under the gate")
    lexicon: Path | None = Field(None, description="Problematic Paper Screener CSV of known tortured phrases")


# ---------------------------------------------------------------- resources


class _Model:
    """Compiled counts and synonym map (see ``scorer.training.build_spin``)."""

    __slots__ = ("fillers", "subs", "nu", "nb", "gu", "gb", "n_total", "g_total", "g_cap", "max_len", "generic")

    def __init__(self, res: dict) -> None:
        self.subs: dict[str, tuple[tuple[str, float], ...]] = res["subs"]
        self.fillers: frozenset[str] = frozenset(res["fillers"])
        self.nu: dict[str, int] = res["news_uni"]
        self.nb: dict[str, int] = res["news_big"]
        self.gu: dict[str, int] = res["g_uni"]
        self.gb: dict[str, int] = res["g_big"]
        self.n_total = float(sum(self.nu.values()))
        self.g_total = float(sum(self.gu.values()))
        #: counts under this are missing from the Google bigram list
        self.g_cap = float(min(self.gb.values())) if self.gb else 1.0
        self.max_len = max((k.count(" ") + 1 for k in self.subs), default=1)
        #: the most frequent words (be, have, do, ...) are never offered as originals:
        #: they are WordNet hypernyms of everything and spinners leave them alone.
        self.generic = frozenset(sorted(self.gu, key=self.gu.get, reverse=True)[:_N_GENERIC]) - {"said"}


_N_GENERIC = 60


@lru_cache(maxsize=1)
def model() -> _Model:
    """Load the compiled resources once per process."""
    try:
        with open(RESOURCES, "rb") as f:
            return _Model(pickle.load(f))
    except FileNotFoundError as exc:  # pragma: no cover - build step missing
        raise ModelError(f"{RESOURCES} missing: run python -m scorer.training.build_spin") from exc


# ---------------------------------------------------------------- language model

_MIX = 0.5  # weight of the Google counts where both sources know the words
_MU_NEWS = 2.0  # Dirichlet pseudo-count of the news bigram model


def logp(m: _Model, a: str, b: str) -> float:
    """log P(b | a) from a mixture of news and Google bigram counts."""
    ca = m.nu.get(a, 0)
    cb = m.nu.get(b, 0)
    pn = (m.nb.get(a + " " + b, 0) + _MU_NEWS * (cb + 0.5) / m.n_total) / (ca + _MU_NEWS)
    ga = m.gu.get(a)
    gb = m.gu.get(b)
    if ga is None or gb is None:
        return math.log(pn)
    c = m.gb.get(a + " " + b)
    if c is None:
        c = min(0.5 * m.g_cap, ga * gb / m.g_total)
    pg = c / ga
    return math.log(_MIX * pg + (1 - _MIX) * pn)


def logp_uni(m: _Model, w: str) -> float:
    """log P(w) from the same mixture (phrases: first word only; the rest is in the bigrams)."""
    pn = (m.nu.get(w, 0) + 0.5) / m.n_total
    g = m.gu.get(w)
    if g is None:
        return math.log(pn)
    return math.log(_MIX * g / m.g_total + (1 - _MIX) * pn)


def phrase_score(m: _Model, left: str | None, words: list[str], right: str | None) -> float:
    """log P(words | left) + log P(right | words) under the bigram model."""
    s = 0.0
    prev = left
    for w in words:
        if prev is not None:
            s += logp(m, prev, w)
        prev = w
    if right is not None:
        s += logp(m, prev, right)
    return s


# ---------------------------------------------------------------- detection


#: Share of a synonym's general-frequency advantage that is *not* credited: the
#: detector asks which word fits the context, not which word is more common.
_FREQ_DISCOUNT = 0.7


def _skip_word(word: str, low: str, sentence_start: bool, m: _Model) -> bool:
    """Numbers, acronyms and names: spinners leave them alone, and WordNet's senses mislead."""
    if any(ch.isdigit() for ch in word):
        return True
    if word.isupper() and len(word) <= 5:
        return True
    if not sentence_start and word[:1].isupper() and m.nu.get(low, 0) < 20:
        return True
    return False


class _Candidate:
    """A span with its best-explaining original; ``strict`` when the span's
    context bigrams are unattested while the original's are attested."""

    __slots__ = ("i", "j", "evidence", "original", "strict")

    def __init__(self, i: int, j: int, evidence: float, original: str, strict: str = "") -> None:
        self.i, self.j, self.evidence, self.original, self.strict = i, j, evidence, original, strict


def attested(m: _Model, a: str, b: str) -> int:
    """How often ``a b`` was seen: genuine news count, +1 if in the Google bigram list."""
    k = a + " " + b
    return m.nb.get(k, 0) + (1 if k in m.gb else 0)


def candidates(doc: Document, m: _Model) -> tuple[list[_Candidate], int]:
    """Best-explaining synonym for every substitutable span, and how many spans were scored."""
    low = doc.lower
    sent = doc.word_sentence
    n = len(low)
    out: list[_Candidate] = []
    scored = 0
    subs = m.subs
    for i in range(n):
        left = low[i - 1] if i > 0 and sent[i - 1] == sent[i] else "<s>"
        for k in range(min(m.max_len, n - i), 0, -1):
            j = i + k
            if sent[j - 1] != sent[i]:
                continue
            key = low[i] if k == 1 else " ".join(low[i:j])
            cands = subs.get(key)
            if cands is None:
                continue
            right = low[j] if j < n and sent[j] == sent[i] else None
            if k == 1 and _skip_word(doc.words[i], low[i], i == 0 or sent[i - 1] != sent[i], m):
                continue
            words = key.split(" ")
            base = phrase_score(m, left, words, right) - _FREQ_DISCOUNT * logp_uni(m, words[0])
            unattested = right is not None and not attested(m, left, words[0]) and not attested(m, words[-1], right)
            best, best_s, strict, strict_n = -1e9, "", "", 0
            for cand, cost in cands:
                cw = cand.split(" ")
                if cw[0] in m.generic:
                    continue
                e = phrase_score(m, left, cw, right) - _FREQ_DISCOUNT * logp_uni(m, cw[0]) - base - cost
                if e > best:
                    best, best_s = e, cand
                if unattested:
                    support = min(attested(m, left, cw[0]), attested(m, cw[-1], right))
                    if support > strict_n:
                        strict, strict_n = cand, support
            if not best_s:
                continue
            scored += 1
            out.append(_Candidate(i, j, best, strict or best_s, strict))
        if low[i] in m.fillers and left != "<s>" and i + 1 < n and sent[i + 1] == sent[i]:
            right = low[i + 1]
            e = filler_evidence(m, left, low[i], right)
            strict = doc.words[i - 1] if not attested(m, low[i], right) and attested(m, left, right) else ""
            scored += 1
            out.append(_Candidate(i - 1, i + 1, e, doc.words[i - 1], strict))
    return out, scored


#: Log-cost of the padding hypothesis (a spinner inserts a filler adverb).
_FILLER_COST = 2.0


def filler_evidence(m: _Model, left: str, filler: str, right: str | None) -> float:
    """How much more likely ``left right`` is than ``left filler right`` (``and also Russia``)."""
    if right is None:
        return -1e9
    return logp(m, left, right) - logp(m, left, filler) - logp(m, filler, right) - _FILLER_COST


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -30 else 0.0


def posteriors(evidence: list[float], config: SpinConfig) -> tuple[list[float], float]:
    """Posterior of substitution per span under a document prior fitted by EM."""
    n = len(evidence)
    a, b = config.prior_alpha, config.prior_beta
    rho = a / (a + b)
    post = [0.0] * n
    for _ in range(max(1, config.em_steps)):
        logit = math.log(rho / (1 - rho))
        post = [_sigmoid(e + logit) for e in evidence]
        rho = (sum(post) + a) / (n + a + b)
    return post, rho


def strict_density(cands: list[_Candidate], n_words: int) -> float:
    """Strict (attestation-test) candidates per 1,000 words."""
    return 1000.0 * sum(1 for c in cands if c.strict) / max(1, n_words)


def _select(
    cands: list[_Candidate], post: list[float], config: SpinConfig, n_words: int
) -> list[tuple[_Candidate, float]]:
    """Flagged spans, strongest first, without overlaps.

    A document whose strict-candidate density passes ``gate_density`` is
    treated as spun: its strict candidates and every span with enough
    language-model evidence are flagged. Elsewhere only spans that pass
    both tests with ``solo_evidence`` are flagged (genuine text has rare
    collocations too, but seldom many of them).
    """
    if strict_density(cands, n_words) >= config.gate_density:
        keep = [
            (c, p) for c, p in zip(cands, post)
            if c.strict or (p >= config.threshold and c.evidence >= config.min_evidence)
        ]
    else:
        keep = [(c, p) for c, p in zip(cands, post) if c.strict and c.evidence >= config.solo_evidence]
    keep.sort(key=lambda cp: -cp[0].evidence)
    taken: set[int] = set()
    out = []
    for c, p in keep:
        span = range(c.i, c.j)
        if any(t in taken for t in span):
            continue
        taken.update(span)
        out.append((c, p))
    out.sort(key=lambda cp: cp[0].i)
    return out


def _match_case(original: str, observed: str) -> str:
    if observed.isupper() and len(observed) > 1:
        return original.upper()
    if observed[:1].isupper():
        return original[:1].upper() + original[1:]
    return original


def extract(doc: Document, config: SpinConfig = SpinConfig()) -> FamilyResult:
    """Spin features and findings of one document."""
    m = model()
    cands, scored = candidates(doc, m)
    ev = [c.evidence for c in cands]
    post, rho = posteriors(ev, config)
    findings: list[Finding] = []
    for c, p in _select(cands, post, config, len(doc.words)):
        start = doc.word_spans[c.i][0]
        end = doc.word_spans[c.j - 1][1]
        text = doc.text[start:end]
        sugg = _match_case(c.original, text)
        findings.append(
            Finding(
                family="spin",
                code="spin.substitution",
                start=start,
                end=end,
                text=text,
                message=f"'{text}' reads like a synonym swap: '{sugg}' is far more usual here "
                f"(log-likelihood gain {c.evidence:.1f}" + (", context unattested)" if c.strict else ")"),
                suggestion=sugg,
                severity="warning",
            )
        )
    lex = []
    if config.lexicon is not None:
        from scorer.lexicon import load_lexicon

        lex = load_lexicon(config.lexicon).findings(doc)
        findings.extend(lex)
        findings.sort(key=lambda f: (f.start, f.end))
    n_words = max(1, len(doc.words))
    features = {
        "spin.finding_density": 100.0 * (len(findings) - len(lex)) / n_words,
        "spin.posterior_mean": sum(post) / len(post) if post else 0.0,
        "spin.prior": rho,
        "spin.evidence_mean": sum(max(-10.0, e) for e in ev) / len(ev) if ev else 0.0,
        "spin.strong_evidence_rate": sum(e > 4.0 for e in ev) / len(ev) if ev else 0.0,
        "spin.strict_density": strict_density(cands, n_words) / 10.0,
        "spin.unseen_bigram_rate": unseen_bigram_rate(doc, m),
        "spin.lexicon_density": 100.0 * len(lex) / n_words,
    }
    return FamilyResult(features, findings)


def unseen_bigram_rate(doc: Document, m: _Model) -> float:
    """Share of adjacent pairs of common words absent from both bigram lists."""
    low = doc.lower
    sent = doc.word_sentence
    seen = total = 0
    gu, nu, gb, nb = m.gu, m.nu, m.gb, m.nb
    for i in range(1, len(low)):
        if sent[i] != sent[i - 1]:
            continue
        a, b = low[i - 1], low[i]
        if gu.get(a, 0) < 50_000_000 or gu.get(b, 0) < 50_000_000:
            continue
        total += 1
        key = a + " " + b
        if key in gb or key in nb:
            seen += 1
    return (total - seen) / total if total else 0.0
