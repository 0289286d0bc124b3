"""Spin family: synonym-substitution artefacts ("tortured phrases") with likely originals.

An article spinner swaps words for dictionary synonyms without regard for
context: ``said`` becomes ``claimed``, ``Secretary General`` becomes
``Assistant General``. The detector inverts that. For each word or short
phrase that has WordNet synonyms (compiled by ``scorer.training.build_spin``
into ``models/spin/``), a bigram language model (Google n-gram counts mixed
with counts of genuine training news) compares the candidate original with
the observed word in its left *and* right context::

    evidence = LM(candidate | left, right) - LM(observed | left, right)
               - discount * (log P(candidate) - log P(observed)) - relation cost

A logistic span model (``SPAN_FEATURES``, fitted by ``scorer.training.spin_model``
on genuine val articles and their training-spinner copies) turns each
hypothesis into log-odds. A continuous document prior, the document's rate
of suspicious spans relative to genuine text (shrunk for short texts), is
added with a learned weight: no all-or-nothing gate. The threshold keeps
genuine val under its budget of findings per 1,000 words. Filler insertions
(``and also``, ``will certainly``) are tested by deleting the filler.

All (previous, word) and (word, next) pairs of a block of documents are looked
up at once (``extract_many``): the bigram table is a sorted ``uint64`` array of
``id(a) << 32 | id(b)`` searched with one ``np.searchsorted``. Resources are plain numpy arrays and
gzipped text (no pickles), loaded lazily once per process.
"""
from __future__ import annotations

import gzip
import json
import re
import warnings
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path
from typing import Literal, NamedTuple

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from scorer import trigram
from scorer.data import REPO
from scorer.document import Document
from scorer.errors import ModelError
from scorer.report import FamilyResult, Finding

MODEL_DIR = REPO / "models" / "spin"

#: Rule id -> what it flags (the finding codes; also SARIF rule ids and configuration keys).
RULES: dict[str, str] = {
    "spin.substitution": "a word or phrase that reads like a spinner's synonym swap; the suggestion is the likely original",
    "spin.lexicon": "a tortured phrase from the external list given with --lexicon; the suggestion is its expected text",
    "spin.science_pair": "in scientific text only: a word that real spinners put for another in papers (word pairs "
    "learned from half of the Problematic Paper Screener list) where the original fits the neighbours at least as "
    "well; the suggestion is that original",
}

FEATURES: dict[str, str] = {
    "spin.finding_density": "flagged substitutions per 100 words",
    "spin.posterior_mean": "expected substituted spans per 100 words (sum of span posteriors)",
    "spin.prior": "log suspicious-span rate relative to genuine text (the learned document prior)",
    "spin.evidence_mean": "mean best log-likelihood gain of a synonym over the word that is there",
    "spin.strong_evidence_rate": "spans per 100 words whose substitution odds exceed 1",
    "spin.strict_density": "words per 100 in an unattested context where a synonym's context is attested",
    "spin.unseen_bigram_rate": "share of adjacent common-word pairs never seen in genuine or Google bigrams "
    "(a baseline: the higher, the less each suspicious word counts)",
    "spin.lexicon_density": "external-list tortured phrases per 100 words",
    "spin.weak_share": "share of words with synonyms that sit in an unattested word pair "
    "(a baseline: the higher, the less each suspicious word counts)",
    "spin.context_density": "expected substituted spans per 100 words from context alone (no document prior)",
    "spin.top_context_odds": "mean context-only log-odds of the document's most suspicious 2% of words",
    "spin.weak_odds_sum": "sum per 100 words of context-only log-odds above -2 (accumulates weak evidence)",
    "spin.weak_pair_rate": "share of all adjacent word pairs inside a sentence unseen in both bigram tables "
    "(a baseline: the higher, the less each suspicious word counts)",
    "spin.novelty": "how unfamiliar the text is to the bigram tables where no spinner can reach (log unattested rate "
    "of pairs of words without synonyms, relative to genuine text): a new topic or era, not spin",
    "spin.original_elsewhere": "suspicious words per 100 whose likely original occurs elsewhere in the document "
    "(a spinner swaps occurrences one by one and leaves the others)",
    "spin.common_pair_pmi": "mean association (PMI) of adjacent pairs of common words where one has synonyms: a swap "
    "for a frequent synonym breaks collocations (trade deficit -> trade want) without leaving a rare word behind",
    "spin.lm_fit": "mean association (PMI, nats) of each word with its one or two predecessors under a general "
                   "English trigram model (CMU Sphinx): swapped words fit their neighbours less well",
    "spin.lm_swappable_fit": "the same mean over the words with synonyms, the only ones a spinner swaps",
    "spin.lm_worst_fit": "mean association of the document's worst-fitting tenth of words under the trigram model: "
                         "a light spinner's few swaps are most of it",
    "spin.lm_synonym_llr": "evidence that words were swapped for synonyms (a log-likelihood ratio, from how much better "
                           "each word's best synonym fits the trigram model there)",
    "spin.lm_phrase_llr": "the same evidence from multi-word phrases a thesaurus puts in (monetary unit for euro): how "
                          "much better each phrase's likely original fits the trigram model there",
}


# ``register`` shadows ``BaseModel.register`` (ABCMeta's, never used on a config): the name is the stable
# configuration key, so the class is defined with pydantic's shadowing warning silenced.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message='Field name "register"', category=UserWarning)

    class SpinConfig(BaseModel):
        """Thresholds of the spin detector; defaults are set on genuine train/val only."""

        model_config = ConfigDict(frozen=True, extra="forbid")

        threshold: float | None = Field(
            None, description="span-model log-odds above which a span is flagged; None: the value set on genuine val "
            "so that genuine text keeps under one finding per 1,000 words (models/spin/span_model.json)"
        )
        prior_alpha: float = Field(0.5, gt=0.0, description="Beta prior pseudo-count for substituted words")
        prior_beta: float = Field(40.0, gt=0.0, description="Beta prior pseudo-count for genuine words")
        em_steps: int = Field(4, ge=0, le=20, description="EM steps for the document prior (a feature only)")
        lexicon: Path | None = Field(None, description="Problematic Paper Screener CSV of known tortured phrases")
        register: Literal["auto", "news", "science"] = Field(
            "auto", description="where the learned scientific word pairs (rule spin.science_pair) apply: 'auto' where "
            "the text reads as scientific (register_score >= REGISTER_THRESHOLD), 'science' always, 'news' never. "
            "They add findings only; no feature changes"
        )


# ---------------------------------------------------------------- resources

_MIX = 0.5  # weight of the Google counts where both sources know the words
_MU_NEWS = 2.0  # Dirichlet pseudo-count of the news bigram model
_N_GENERIC = 60  # most frequent words: never offered as originals (be, have, do, ...)
#: Share of a synonym's general-frequency advantage that is *not* credited.
_FREQ_DISCOUNT = 0.7
#: Log-cost of the padding hypothesis (a spinner inserts a filler adverb).
_FILLER_COST = 2.0
#: Google unigram count above which a word is "common" for the unseen-pair rate.
_COMMON = 50_000_000
_NO_KEY = np.uint64(2**64 - 1)
#: A word is *unfamiliar* when Google's share predicts at least ``_UNFAMILIAR_MIN`` news occurrences and the
#: news counts hold at most 1/``_UNFAMILIAR_RATIO`` of that (``newsletter``, ``podcast``, ``template``).
_UNFAMILIAR_MIN = 20.0
_UNFAMILIAR_RATIO = 10.0

#: US -> UK spelling rules (regex on a whole lower-case word, replacement). Applied to every vocabulary
#: word; a pair counts only where both spellings are in the vocabulary (see ``spelling_variants``).
_VARIANT_RULES: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(a), b) for a, b in (
    (r"^([a-z]{3,})or(s|ed|ing|ite|ites|able|ably|ful|fully|hood|hoods|less|er|ers|ism|ist|ists)?$", r"\1our\2"),
    (r"^([a-z]{3,})iz(e|es|ed|ing|ation|ations|er|ers|able)$", r"\1is\2"),
    (r"^([a-z]{2,})yz(e|es|ed|ing|er|ers)$", r"\1ys\2"),
    (r"^([a-z]*(?:cent|theat|met|lit|fib|calib|somb|spect|lust|sab|mit|meag))er(s|ed)?$", r"\1re\2"),
    (r"^([a-z]{2,})ense(s)?$", r"\1ence\2"),
    (r"^([a-z]{2,}[^aeiou][ea]|fue|due)l(ed|ing|er|ers)$", r"\1ll\2"),
    (r"^([a-z]{3,})og(s)?$", r"\1ogue\2"),
    (r"^program(s)?$", r"programme\1"),
    (r"^([a-z]*)dgment(s)?$", r"\1dgement\2"),
))
#: Endings of every word a rule applies to (a fast ``str.endswith`` prefilter over the vocabulary).
_VARIANT_ENDINGS: tuple[str, ...] = (
    *(f"or{e}" for e in ("", "s", "ed", "ing", "ite", "ites", "able", "ably", "ful", "fully", "hood", "hoods", "less",
                         "er", "ers", "ism", "ist", "ists")),
    *(f"iz{e}" for e in ("e", "es", "ed", "ing", "ation", "ations", "er", "ers", "able")),
    *(f"yz{e}" for e in ("e", "es", "ed", "ing", "er", "ers")),
    *(f"{c}er{e}" for c in "tbg" for e in ("", "s", "ed")),
    "ense", "enses", *(f"{v}l{e}" for v in "ea" for e in ("ed", "ing", "er", "ers")),
    "og", "ogs", "program", "programs", "dgment", "dgments",
)
#: Spelling pairs no rule covers (US, UK).
_VARIANT_PAIRS: tuple[tuple[str, str], ...] = (
    ("gray", "grey"), ("aging", "ageing"), ("jewelry", "jewellery"), ("pajamas", "pyjamas"),
    ("skeptic", "sceptic"), ("skeptical", "sceptical"), ("skepticism", "scepticism"), ("mustache", "moustache"),
    ("maneuver", "manoeuvre"), ("maneuvers", "manoeuvres"), ("artifact", "artefact"), ("artifacts", "artefacts"),
    ("aluminum", "aluminium"), ("fulfill", "fulfil"), ("enroll", "enrol"), ("plow", "plough"), ("mold", "mould"),
    ("pediatric", "paediatric"), ("fetus", "foetus"), ("anemia", "anaemia"), ("leukemia", "leukaemia"),
    ("esthetic", "aesthetic"), ("encyclopedia", "encyclopaedia"), ("orthopedic", "orthopaedic"),
    ("cozy", "cosy"), ("draft", "draught"), ("installment", "instalment"), ("willful", "wilful"),
)


def _find_sorted(keys: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each query would sit in the sorted, non-empty ``keys`` (clipped to the last), and whether it is there."""
    at = np.minimum(np.searchsorted(keys, q), len(keys) - 1)
    return at, keys[at] == q


class _Model:
    """Compiled counts and synonym map (see ``scorer.training.build_spin``).

    Every per-word array has one extra trailing zero entry, so that id ``-1``
    (a word outside the vocabulary) reads as "never seen".
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        with np.load(root / "spin_arrays.npz", allow_pickle=False) as z:
            arr = {k: z[k] for k in z.files if not k.startswith("sug_")}
        with gzip.open(root / "vocab.txt.gz", "rt", encoding="utf-8") as f:
            self.words: list[str] = f.read().split("\n")[:-1]
        self.vocab: dict[str, int] = {w: k for k, w in enumerate(self.words)}
        V = len(self.words)
        self.uni_news = np.append(arr["uni_news"].astype(np.float64), 0.0)
        #: id -> id of its spelling twin attested more often in news (itself for most words); a text's
        #: words are looked up through it, so ``traveled`` reads the counts of ``travelled``
        self.canon = np.arange(V + 1, dtype=np.int64)
        self.canon[V] = -1
        variants = spelling_variants(self.vocab, self.uni_news, arr["uni_google"])
        for a, b in variants:
            self.canon[a] = b
            self.vocab[self.words[a]] = b
        self.uni_google = np.append(arr["uni_google"].astype(np.float64), 0.0)
        self.big_keys = np.cumsum(arr["big_keys_delta"], dtype=np.uint64)
        self.big_news = arr["big_news"].astype(np.float64)
        self.big_google = arr["big_google"].astype(np.float64)
        ptr = arr["sub_ptr"]
        self.sub_start = np.append(ptr[:-1], 0)
        self.sub_len = np.append(np.diff(ptr), 0)
        self.sub_cand = self.canon[arr["sub_cand"].astype(np.int64)]
        self.sub_cost = arr["sub_cost"].astype(np.float64)
        #: log(1 + how many words list the id as a one-step candidate original): a uniform spinner turns a word
        #: with a long synonym list into any one given synonym rarely (a suggestion ranker feature)
        self.fanout = np.log1p(np.bincount(self.sub_cand[self.sub_cand >= 0], minlength=V + 1)[: V + 1].astype(np.float64))
        self.n_total = float(self.uni_news.sum())
        self.g_total = float(self.uni_google.sum())
        self.g_cap = float(self.big_google[self.big_google > 0].min())
        pn = (self.uni_news + 0.5) / self.n_total
        self.log_uni = np.where(self.uni_google > 0, np.log(_MIX * self.uni_google / self.g_total + (1 - _MIX) * pn), np.log(pn))
        generic = np.argsort(-self.uni_google[:V])[:_N_GENERIC]
        self.generic = np.zeros(V + 1, dtype=bool)
        self.generic[generic] = True
        self.generic[self.vocab.get("said", V)] = False
        self.common = self.uni_google >= _COMMON
        #: words far more frequent in general (Google) text than in the 2004 news counts: their pairs are
        #: unattested because the corpus is old and small, not because of a swap (see ``_Context``)
        expected = self.uni_google / self.g_total * self.n_total
        self.unfamiliar = (expected >= _UNFAMILIAR_MIN) & (self.uni_news * _UNFAMILIAR_RATIO <= expected) & (self.sub_len == 0)
        #: vocabulary words seen at least 20 times in the news counts (the name test of ``_skippable``, as a set)
        known = set(map(self.words.__getitem__, np.flatnonzero(self.uni_news[:V] >= 20).tolist()))
        self.news_known = frozenset(known | {self.words[a] for a, b in variants if self.words[b] in known})
        self.start_id = self.vocab["<s>"]
        with gzip.open(root / "phrase_subs.tsv.gz", "rt", encoding="utf-8") as f:
            self.phrase_raw: dict[str, str] = dict(line.split("\t", 1) for line in f.read().splitlines())
        #: first word -> most words of a phrase entry starting with it; and the sorted keys
        #: ``id(w0) << 32 | id(w1)`` of the first two words of every entry (a prefilter). One pass: every entry
        #: holds a space (phrases only).
        self.phrase_first: dict[str, int] = {}
        pair_keys: list[int] = []
        get = self.vocab.get
        for form in self.phrase_raw:
            parts = form.split(" ")
            first, n = parts[0], len(parts)
            if self.phrase_first.get(first, 0) < n:
                self.phrase_first[first] = n
            a, b = get(first), get(parts[1])
            if a is not None and b is not None:
                pair_keys.append(a << 32 | b)
        self.phrase_pairs = np.unique(np.array(pair_keys, dtype=np.int64))
        self.phrase_len = np.zeros(V + 1, dtype=np.int64)
        for first, k in self.phrase_first.items():
            if first in self.vocab:
                self.phrase_len[self.vocab[first]] = k
        #: per word id (unknown words -1, the last slot): a filler adverb of ``fillers.txt`` (all of them are in
        #: the vocabulary)
        fillers = (root / "fillers.txt").read_text(encoding="utf-8").split()
        self.is_filler = np.zeros(V + 1, dtype=bool)
        self.is_filler[[self.vocab[w] for w in fillers if w in self.vocab]] = True
        self._phrase_cache: dict[str, tuple] = {}
        path = root / "span_model.json"
        span = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        if span is None or tuple(span["features"]) != SPAN_FEATURES:  # only while training it
            span = {"mean": [0.0] * len(SPAN_FEATURES), "scale": [1.0] * len(SPAN_FEATURES),
                    "coef": [0.0] * len(SPAN_FEATURES), "intercept": -1.0, "threshold": float("inf")}
            self.span_missing = True
        else:
            self.span_missing = False
        self.span_mean = np.array(span["mean"])
        self.span_scale = np.array(span["scale"])
        self.span_coef = np.array(span["coef"])
        self.span_intercept = float(span["intercept"])
        self.span_threshold = float(span["threshold"])
        self.sub_pairs = np.sort(np.repeat(np.arange(V, dtype=np.int64), np.diff(ptr)) << 32 | self.sub_cand)
        path = root / "suggest_model.json"
        sug = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        self.suggest_coef = suggest_weights(sug)
        self.stage2 = span.get("stage2") or {"cut": -1.0, "r0": 1.0, "pseudo_words": 300.0, "coef": [1.0, 0.0], "intercept": 0.0}
        self.name_share = name_shares(root / CASE_FILE, V)

    #: the wider candidate lists of ``suggest`` (~10 MB of ``spin_arrays.npz``), read on first use (``__getattr__``)
    _SUGGESTION_LISTS = frozenset({"sug_start", "sug_len", "sug_cand", "sug_cost", "sug_thes", "sug_rel",
                                   "sug_start_sorted"})

    def __getattr__(self, name: str):
        """Load the ``sug_*`` lists on their first use: only flagged words are ranked (``suggest``), so
        start-up skips ~0.06 s of decompression. Called only for attributes not yet set."""
        if name not in _Model._SUGGESTION_LISTS:
            raise AttributeError(name)
        self._load_suggestion_lists()
        return self.__dict__[name]

    def _load_suggestion_lists(self) -> None:
        """Wider candidate originals than ``sub_*``, ranked only for flagged words (see ``suggest``)."""
        with np.load(self.root / "spin_arrays.npz", allow_pickle=False) as z:
            arr = {k: z[k] for k in z.files if k.startswith("sug_")}
        if "sug_ptr" in arr:
            sp = arr["sug_ptr"]
            self.sug_start = np.append(sp[:-1], 0)
            self.sug_len = np.append(np.diff(sp), 0)
            # int32 ids and float32 costs (exact: the costs are stored as float16): ~1.3M entries, half the memory
            self.sug_cand = self.canon[arr["sug_cand"].astype(np.int64)].astype(np.int32)
            self.sug_cost = arr["sug_cost"].astype(np.float32)
            #: Aiksaurus link of each candidate (a general thesaurus): 0 none, 1 also in WordNet, 2 Aiksaurus only
            self.sug_thes = arr["sug_thes"] if "sug_thes" in arr else np.zeros(len(self.sug_cand), np.uint8)
            #: WordNet relation kinds of each candidate (bits: 1 same synset, 2 more general (hypernym ancestor),
            #: 4 more specific, 8 co-hyponym; ``build_spin.REL_*``); read by the ranker's training spinner
            #: ``spinner.spin_general``, not by the ranker (relation-kind features lost on the dev metric)
            self.sug_rel = arr["sug_rel"] if "sug_rel" in arr else np.zeros(len(self.sug_cand), np.uint8)
        else:
            self.sug_start = self.sub_start
            self.sug_len = self.sub_len
            self.sug_cand = self.sub_cand
            self.sug_cost = self.sub_cost
            self.sug_thes = np.zeros(len(self.sub_cand), np.uint8)
            self.sug_rel = np.zeros(len(self.sub_cand), np.uint8)
        self.sug_start_sorted = self.sug_start[:-1]  # non-decreasing: entry index -> form by ``searchsorted``

    @property
    def stem_ids(self) -> np.ndarray:
        """id -> id of its crude stem (``_stem``), built on the first suggestion, not at load."""
        got = getattr(self, "_stem_ids", None)
        if got is None:
            index: dict[str, int] = {}
            got = np.fromiter((index.setdefault(_stem(w), len(index)) for w in self.words), dtype=np.int64,
                              count=len(self.words))
            got = self._stem_ids = np.append(got, -1)
        return got

    @property
    def context_lift(self) -> np.ndarray:
        """id -> smoothed log-lift of each ``CONTEXT_CLASSES`` context (``context_lifts``), shape (V + 1, k);
        read from ``CONTEXT_FILE`` on the first suggestion, not at load. Zeros where the file is missing."""
        got = getattr(self, "_context_lift", None)
        if got is None:
            got = self._context_lift = load_context_lifts(self.root / CONTEXT_FILE, len(self.words))
        return got

    @property
    def skip_tables(self) -> dict[int, tuple]:
        """Per ``SKIP_GAPS`` gap, the pairs that many words apart in genuine train news (``SKIP_FILE``,
        ``load_skip``); read on the first suggestion, not at load."""
        got = getattr(self, "_skip_tables", None)
        if got is None:
            got = self._skip_tables = load_skip(self.root / SKIP_FILE, SKIP_GAPS, len(self.words) + 1)
        return got

    @property
    def reverse_index(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The ``sug_*`` map inverted: per listed word, (start, length) into the entry indices of the forms
        that list it. Built on the first suggestion (one stable integer sort, ~0.02 s), not at load."""
        got = getattr(self, "_reverse_index", None)
        if got is None:
            order = np.argsort(self.sug_cand, kind="stable")
            counts = np.bincount(self.sug_cand, minlength=len(self.sug_len))
            got = self._reverse_index = (np.cumsum(counts) - counts, counts, order)
        return got

    def reverse_candidates(self, o: int, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` forms most frequent in news (generic words excluded) whose ``sug_*`` list holds ``o``,
        and their entry indices."""
        start, counts, order = self.reverse_index
        e = order[start[o] : start[o] + counts[o]]
        owner = np.searchsorted(self.sug_start_sorted, e, side="right") - 1
        keep = ~self.generic[owner]
        owner, e = owner[keep], e[keep]
        top = np.argsort(-self.uni_news[owner], kind="stable")[:k]
        return owner[top], e[top]

    @property
    def neighbours(self) -> Neighbours:
        """The ``NEIGHBOUR_FILE`` table (``load_neighbours``), read on the first suggestion, not at load."""
        got = getattr(self, "_neighbours", None)
        if got is None:
            got = self._neighbours = load_neighbours(self.root / NEIGHBOUR_FILE, self.canon)
        return got

    def neighbour_sim(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Similarity of ``b[k]`` as a neighbour of ``a[k]`` (0 where it is not one)."""
        keys, sims = self.neighbours.keys, self.neighbours.sims
        if len(keys) == 0:
            return np.zeros(len(a))
        at, found = _find_sorted(keys, a.astype(np.int64) << 32 | b.astype(np.int64))
        return np.where(found, sims[at], 0.0)

    def phrase_fit_alone(self, lm: trigram.TrigramLM, forms: dict[str, list[int]]
                         ) -> dict[str, tuple[tuple[list[int], ...], list[float], float]]:
        """Per phrase-entry form (with its words' local ids in the trigram model): its candidates as local ids (those
        with every word in the model), each one's log-probability on its own, and the form's. Cached per form; the
        forms not seen before are scored together (``_runs_logp``)."""
        cache = self.__dict__.setdefault("_phrase_alone", {})
        new = [f for f in forms if f not in cache]
        if new:
            local = lm.local
            cands = [tuple(c for c in ([int(local[x]) if x >= 0 else -1 for x in cids]
                                       for _, cids, _ in self.phrase_candidates(f)) if min(c) >= 0) for f in new]
            runs = [run for f, cs in zip(new, cands) for run in (forms[f], *cs)]
            scores = _runs_logp(lm, runs).tolist()
            at = 0
            for f, cs in zip(new, cands):
                cache[f] = (cs, scores[at + 1 : at + 1 + len(cs)], scores[at])
                at += 1 + len(cs)
        return cache

    def has_sub_pair(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Whether ``b[k]`` is in the one-step candidate map of ``a[k]``."""
        return _find_sorted(self.sub_pairs, a.astype(np.int64) << 32 | b)[1]

    def phrase_candidates(self, form: str) -> tuple[tuple[str, tuple[int, ...], float], ...]:
        """(candidate, its word ids, cost) of a phrase entry, parsed on first use."""
        got = self._phrase_cache.get(form)
        if got is None:
            out = []
            for item in self.phrase_raw[form].split("\t"):
                cand, cost = item.rsplit("|", 1)
                ids = tuple(self.vocab.get(w, -1) for w in cand.split(" "))
                if ids[0] >= 0 and not self.generic[ids[0]]:
                    out.append((cand, ids, float(cost)))
            got = self._phrase_cache[form] = tuple(out)
        return got


_SUFFIX = re.compile(r"(?:ing|ed|es|s|er|est|ly)$")


def _stem(word: str) -> str:
    """A crude stem: ``profits``, ``profited``, ``profiting`` -> ``profit`` (enough to find another inflection)."""
    if len(word) <= 3:
        return word
    return _SUFFIX.sub("", word).rstrip("e") if len(word) > 4 else word.rstrip("e")


def spelling_variants(vocab: dict[str, int], news: np.ndarray, google: np.ndarray) -> list[tuple[int, int]]:
    """(id, id of its twin) for US/UK spelling pairs both in the vocabulary, the less attested first
    (news count, then Google count).

    The news counts come from 2004 BBC text: a US spelling there is rare though the word is common,
    so without this ``traveled`` or ``labeling`` sit in unattested pairs and look like swaps.
    """
    pairs = [(vocab[a], vocab[b]) for a, b in _VARIANT_PAIRS if a in vocab and b in vocab]
    ends = _VARIANT_ENDINGS
    for w in [w for w in vocab if w.endswith(ends)]:
        k = vocab[w]
        for rx, rep in _VARIANT_RULES:
            if rx.match(w):
                uk = rx.sub(rep, w)
                if uk != w and uk in vocab:
                    pairs.append((k, vocab[uk]))
    out = {}
    for a, b in pairs:
        lo, hi = (a, b) if (news[a], google[a]) < (news[b], google[b]) else (b, a)
        if lo not in out and hi not in out:
            out[lo] = hi
    return [(lo, hi) for lo, hi in out.items() if hi not in out]


@lru_cache(maxsize=1)
def model() -> _Model:
    """Load the compiled resources once per process."""
    try:
        return _Model(MODEL_DIR)
    except FileNotFoundError as exc:  # pragma: no cover - build step missing
        raise ModelError(f"{MODEL_DIR} incomplete: run python -m scorer.training.build_spin") from exc


# ---------------------------------------------------------------- language model


def lookup(m: _Model, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """News and Google counts of the pairs (a[k], b[k]) in one vectorised search."""
    valid = (a >= 0) & (b >= 0)
    keys = np.where(valid, (a.astype(np.uint64) << np.uint64(32)) | b.astype(np.uint64), _NO_KEY)
    # searching in key order keeps consecutive binary searches on the same cache lines (~25% faster)
    order = np.argsort(keys)
    idx = np.empty(len(keys), dtype=np.intp)
    idx[order] = np.searchsorted(m.big_keys, keys[order])
    np.minimum(idx, len(m.big_keys) - 1, out=idx)
    hit = (m.big_keys[idx] == keys) & valid
    return np.where(hit, m.big_news[idx], 0.0), np.where(hit, m.big_google[idx], 0.0)


def logp(m: _Model, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """log P(b | a) from a news + Google bigram mixture, and whether the pair is attested."""
    return logp_of_counts(m, a, b, *lookup(m, a, b))


def logp_of_counts(m: _Model, a: np.ndarray, b: np.ndarray, nb: np.ndarray, gbc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``logp`` from the pair counts ``lookup`` gave (news ``nb``, Google ``gbc``)."""
    ca, cb = m.uni_news[a], m.uni_news[b]
    pn = (nb + _MU_NEWS * (cb + 0.5) / m.n_total) / (ca + _MU_NEWS)
    ga, gb = m.uni_google[a], m.uni_google[b]
    c = np.where(gbc > 0, gbc, np.minimum(0.5 * m.g_cap, ga * gb / m.g_total))
    pg = c / np.where(ga > 0, ga, 1.0)
    lp = np.where((ga > 0) & (gb > 0), np.log(_MIX * pg + (1 - _MIX) * pn), np.log(pn))
    return lp, nb + (gbc > 0)


# ---------------------------------------------------------------- detection


#: Columns of the per-span feature matrix the span model weighs (see ``scorer.training.spin_model``).
SPAN_FEATURES: tuple[str, ...] = (
    "d_context",  # log P(candidate in context) - log P(observed in context), both sides
    "d_min_side",  # the weaker side's gain (both neighbours should prefer the candidate)
    "d_unigram",  # log P(candidate) - log P(observed): general frequency advantage
    "cost",  # relation cost of the candidate (synonym < similar < hypernym)
    "observed_unattested",  # how many of the observed word's two pairs are unattested (0-2)
    "candidate_attested",  # both of the candidate's pairs are attested
    "candidate_support",  # log(1 + count) of the candidate's weaker pair
    "observed_logfreq",  # log P(observed word)
    "is_filler",
    "is_phrase",
    "sentence_start",
    "log_candidates",  # log number of candidate originals (many synonyms: more chance of a spurious fit)
    "d_max_side",  # the stronger side's gain
    "observed_pmi_min",  # weaker side's log P(observed | neighbour) - log P(observed)
    "context_x_attested",  # d_context where the candidate's pairs are attested (interaction)
    "context_x_unattested",  # d_context where both observed pairs are unattested (interaction)
    "doc_weak_rate",  # share of the document's words in an unattested pair: a soft, learned document prior
    "doc_unseen_common",  # share of adjacent common-word pairs unseen (spun text has many)
    "name_like",  # capitalised inside a sentence, times the word's capitalised share in news (``name_shares``)
)


class _Spans:
    """Scored hypotheses: word span [i, j), ranking evidence, suggested original, span features."""

    __slots__ = ("i", "j", "evidence", "original", "x")

    def __init__(self) -> None:
        self.i: list[np.ndarray] = []
        self.j: list[np.ndarray] = []
        self.evidence: list[np.ndarray] = []
        self.original: list[list[str]] = []
        self.x: list[np.ndarray] = []

    def add(self, i, j, evidence, original, x: np.ndarray) -> None:
        self.i.append(np.asarray(i, dtype=np.int64))
        self.j.append(np.asarray(j, dtype=np.int64))
        self.evidence.append(np.asarray(evidence, dtype=np.float64))
        self.original.append(list(original))
        self.x.append(np.asarray(x, dtype=np.float64).reshape(len(self.i[-1]), len(SPAN_FEATURES)))

    def arrays(self, doc: tuple[float, float]):
        cat = lambda xs, dt: np.concatenate(xs) if xs else np.zeros(0, dtype=dt)  # noqa: E731
        x = np.concatenate(self.x) if self.x else np.zeros((0, len(SPAN_FEATURES)))
        x[:, _COL["context_x_attested"]] = x[:, 0] * x[:, 5]
        x[:, _COL["context_x_unattested"]] = x[:, 0] * (x[:, 4] >= 2)
        x[:, _COL["doc_weak_rate"]] = doc[0]
        x[:, _COL["doc_unseen_common"]] = doc[1]
        return (
            cat(self.i, np.int64), cat(self.j, np.int64), cat(self.evidence, np.float64),
            [o for os in self.original for o in os], x,
        )


def span_matrix(d_left, d_right, d_uni, cost, obs_unatt, cand_att_l, cand_att_r, obs_logfreq,
                filler: bool, phrase: bool, first, n_cands=None, obs_pmi=None) -> np.ndarray:
    """Stack the per-span features in ``SPAN_FEATURES`` order."""
    d_left = np.asarray(d_left, dtype=np.float64)
    n = len(d_left)
    cl, cr = np.asarray(cand_att_l, dtype=np.float64), np.asarray(cand_att_r, dtype=np.float64)
    x = np.zeros((n, len(SPAN_FEATURES)))  # interactions, document and name columns: filled in by score_spans
    # column by column into one preallocated matrix (cheaper than column_stack for small n)
    np.add(d_left, d_right, out=x[:, 0])
    np.minimum(d_left, d_right, out=x[:, 1])
    x[:, 2] = d_uni
    x[:, 3] = cost
    x[:, 4] = obs_unatt
    x[:, 5] = (cl > 0) & (cr > 0)
    np.log1p(np.minimum(cl, cr), out=x[:, 6])
    x[:, 7] = obs_logfreq
    x[:, 8] = float(filler)
    x[:, 9] = float(phrase)
    x[:, 10] = first
    if n_cands is not None:
        np.log(np.asarray(n_cands, dtype=np.float64), out=x[:, 11])
    np.maximum(d_left, d_right, out=x[:, 12])
    if obs_pmi is not None:
        x[:, 13] = obs_pmi
    return x


class _Context:
    """Word ids and the observed pairs of a document, computed once."""

    def __init__(self, doc: Document, m: _Model, observe: bool = True) -> None:
        """``observe=False`` leaves the observed pairs to ``observe`` (``contexts`` looks up a block's at once)."""
        self.doc = doc  # the suggestion ranker reads the punctuation around a few flagged words
        low = doc.lower
        n = len(low)
        get = m.vocab.get
        self.n = n
        self.ids = np.fromiter(map(get, low, repeat(-1, n)), dtype=np.int64, count=n)
        sent = np.asarray(doc.word_sentence, dtype=np.int64)
        self.first = np.ones(n, dtype=bool)
        self.first[1:] = sent[1:] != sent[:-1]
        self.last = np.ones(n, dtype=bool)
        self.last[:-1] = self.first[1:]
        self.left = np.empty(n, dtype=np.int64)
        self.left[1:] = self.ids[:-1]
        self.left[self.first] = m.start_id
        self.right = np.full(n, -1, dtype=np.int64)
        self.right[:-1] = self.ids[1:]
        self.right[self.last] = -1
        if observe:
            self.observe(m, *logp(m, self.left, self.ids))

    def observe(self, m: _Model, lp_left: np.ndarray, att_left: np.ndarray) -> None:
        """Take the observed log P(w | left) and its attestation (``logp(m, self.left, self.ids)``); the right
        side is the next word's left side."""
        n = self.n
        self.lp_left, self.att_left = lp_left, att_left
        # a pair with an unfamiliar word is unknown, not evidence: count it as attested
        unf = m.unfamiliar
        self.att_left = np.where(unf[self.ids] | unf[self.left], np.maximum(self.att_left, 1.0), self.att_left)
        self.lp_right = np.zeros(n)
        self.att_right = np.zeros(n)
        self.lp_right[:-1] = np.where(self.last[:-1], 0.0, self.lp_left[1:])
        self.att_right[:-1] = np.where(self.last[:-1], 1.0, self.att_left[1:])
        self.has_right = ~self.last
        #: words in at least one unattested pair: the only places a swap is looked for
        self.weak = (self.att_left == 0) | (self.has_right & (self.att_right == 0))
        #: words with synonyms: the only ones a one-word swap can produce
        self.has_synonyms = m.sub_len[self.ids] > 0


def contexts(docs: list[Document], m: _Model) -> list[_Context]:
    """The ``_Context`` of each document, the observed pairs of all of them looked up in one ``logp`` call."""
    ctxs = [_Context(doc, m, observe=False) for doc in docs]
    if ctxs:
        lp, att = logp(m, np.concatenate([c.left for c in ctxs]), np.concatenate([c.ids for c in ctxs]))
        cut = np.cumsum([0] + [c.n for c in ctxs]).tolist()
        for c, a, b in zip(ctxs, cut, cut[1:]):
            c.observe(m, lp[a:b], att[a:b])
    return ctxs


def _skippable(doc: Document, m: _Model, i: int, first: bool) -> bool:
    """Numbers, acronyms and names: spinners leave them alone, and WordNet's senses mislead."""
    w = doc.words[i]
    if not w.isalpha():
        return True
    if w.isupper() and len(w) <= 5:
        return True
    return not first and w[:1].isupper() and m.uni_news[m.vocab.get(w.lower(), -1)] < 20


def _unskipped(doc: Document, m: _Model, ctx: _Context, pos: np.ndarray) -> np.ndarray:
    """``pos`` without the words ``_skippable`` drops (same test, inlined for speed)."""
    words = doc.words
    first = ctx.first
    known = m.news_known  # uni_news[id] >= 20; words outside the vocabulary read as 0
    text = doc.text
    sentences, word_sentence = doc.sentences, doc.word_sentence
    keep = []
    for i in pos.tolist():
        w = words[i]
        if not w.isalpha() or (len(w) <= 5 and w.isupper()):
            continue
        if w[:1].isupper():
            if not first[i] and w.lower() not in known:
                continue
            s, e = sentences[word_sentence[i]]
            # a speaker label or heading ("Sally: ..."); most sentences hold no colon, so the word's
            # offsets (a regex pass over its sentence) are found only where one is
            if text.find(":", s, e + 1) >= 0 and text[(end := doc.word_span(i)[1]) : end + 1] == ":":
                continue
        keep.append(i)
    return np.array(keep, dtype=np.int64)


class _Block(NamedTuple):
    """Documents' per-word arrays end to end, so that a pass costs its numpy calls once for all of them (the
    single-word hypotheses, the trigram model). A document's first word starts a sentence and its last ends one, so
    no history or window reaches into the next."""

    ctxs: list[_Context]
    starts: np.ndarray  # where each document begins, and the total length last
    ids: np.ndarray
    first: np.ndarray
    last: np.ndarray
    has_synonyms: np.ndarray
    weak: np.ndarray
    left: np.ndarray
    right: np.ndarray
    has_right: np.ndarray
    lp_left: np.ndarray
    lp_right: np.ndarray
    att_left: np.ndarray
    att_right: np.ndarray

    @classmethod
    def of(cls, ctxs: list[_Context]) -> _Block:
        starts = np.cumsum([0] + [c.n for c in ctxs])
        return cls(ctxs, starts, *(np.concatenate([getattr(c, name) for c in ctxs]) for name in cls._fields[2:]))

    def split(self, pos: np.ndarray) -> list[slice]:
        """For sorted positions ``pos``, the slice of them that falls in each document."""
        cut = np.searchsorted(pos, self.starts).tolist()
        return [slice(a, b) for a, b in zip(cut, cut[1:])]

    def unskipped(self, m: _Model, pos: np.ndarray) -> np.ndarray:
        """``_unskipped`` of sorted positions ``pos``, document by document."""
        return np.concatenate([self.starts[k] + _unskipped(c.doc, m, c, pos[part] - self.starts[k])
                               for k, (c, part) in enumerate(zip(self.ctxs, self.split(pos)))])


def _list_entries(starts: np.ndarray, lens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every entry of ragged lists stored flat (list k: ``lens[k]`` entries from ``starts[k]``): the list each entry
    belongs to, and its index in the flat array, lists in order."""
    group = np.repeat(np.arange(len(lens)), lens)
    return group, starts[group] + np.arange(int(lens.sum())) - (np.cumsum(lens) - lens)[group]


def single_word_spans(block: _Block, m: _Model, outs: list[_Spans]):
    """Score every single word with one-word synonyms against all its candidates at once, for every document of
    ``block`` (their spans go to ``outs``, one per document).

    A generator (see ``score_spans``): yields its bigram queries ``(a, b)``, receives their
    ``logp``, adds its spans and returns their number; returns at once when there is nothing to ask.
    """
    ids = block.ids
    pos = np.flatnonzero(block.has_synonyms & block.weak)
    pos = block.unskipped(m, pos)
    if len(pos) == 0:
        return 0
    lens = m.sub_len[ids[pos]]
    grp, cidx = _list_entries(m.sub_start[ids[pos]], lens)
    cand = m.sub_cand[cidx]
    p = pos[grp]
    left, right, has_right = block.left[p], block.right[p], block.has_right[p]
    k = len(cand)
    lp, att = yield np.concatenate([left, cand]), np.concatenate([cand, right])
    lpl, lpr = lp[:k], np.where(has_right, lp[k:], 0.0)
    attl, attr = att[:k], np.where(has_right, att[k:], 1.0)
    obs = block.lp_left + block.lp_right - _FREQ_DISCOUNT * m.log_uni[ids]
    ev = lpl + lpr - _FREQ_DISCOUNT * m.log_uni[cand] - m.sub_cost[cidx] - obs[p]
    # never the word itself: a US/UK spelling twin shares its id and may be listed as its synonym
    ev = np.where(m.generic[cand] | (cand == ids[p]), -1e9, ev)
    order = np.lexsort((-ev, grp))
    best = order[np.cumsum(lens) - lens]
    keep = ev[best] > -1e8
    best, pos = best[keep], pos[keep]
    if len(pos) == 0:
        return 0
    c = cand[best]
    x = span_matrix(
        lpl[best] - block.lp_left[pos], lpr[best] - block.lp_right[pos], m.log_uni[c] - m.log_uni[ids[pos]],
        m.sub_cost[cidx[best]],
        (block.att_left[pos] == 0) * 1.0 + (block.has_right[pos] & (block.att_right[pos] == 0)),
        attl[best], attr[best], m.log_uni[ids[pos]], False, False, block.first[pos],
        n_cands=lens[keep],
        obs_pmi=np.minimum(
            block.lp_left[pos] - m.log_uni[ids[pos]],
            np.where(block.has_right[pos], block.lp_right[pos] - m.log_uni[block.right[pos]], 0.0),
        ),
    )
    words = m.words
    originals = [words[k] for k in c.tolist()]
    for k, part in enumerate(block.split(pos)):
        if part.start < part.stop:
            local = pos[part] - block.starts[k]
            outs[k].add(local, local + 1, ev[best][part], originals[part], x[part])
    return len(pos)


def _phrase_starts(m: _Model, ctx: _Context) -> list[tuple[int, int]]:
    """(start, length) of the word runs worth looking up as phrase entries, by start then longest first.

    A run qualifies when its first word begins a phrase entry at least that long, no
    sentence starts inside it, and one of its words sits in an unattested pair (cheap prefilter).
    """
    n = ctx.n
    if n < 2:
        return []
    lens = m.phrase_len[ctx.ids]  # phrase entries are all multi-word (at most 3 words)
    weak, first, ids = ctx.weak, ctx.first, ctx.ids
    base = (lens[:-1] >= 2) & ~first[1:]
    # vocabulary words hold no space, so an entry can only match where its first two words' ids do
    # (or where the second word is outside the vocabulary)
    pairs = m.phrase_pairs
    cand = np.flatnonzero(base & (ids[1:] >= 0))
    if len(cand):
        _, found = _find_sorted(pairs, (ids[cand] << 32) | ids[cand + 1])
        base[cand[~found]] = False
    weak2 = weak[:-1] | weak[1:]
    ok2 = base & weak2
    starts = np.flatnonzero(ok2)
    if n >= 3:
        ok3 = base[:-1] & (lens[:-2] >= 3) & ~first[2:] & (weak2[:-1] | weak[2:])
        three = np.flatnonzero(ok3)
        if len(three):
            starts = np.concatenate([starts, three])
            k = np.concatenate([np.full(len(starts) - len(three), 2), np.full(len(three), 3)])
            order = np.lexsort((-k, starts))
            return list(zip(starts[order].tolist(), k[order].tolist()))
    return [(i, 2) for i in starts.tolist()]


#: A run of words that is a phrase entry's form: (start, end, the form, its candidate originals).
PhraseForm = tuple[int, int, str, tuple[tuple[str, tuple[int, ...], float], ...]]


def phrase_forms(m: _Model, ctx: _Context) -> list[PhraseForm]:
    """The document's runs of words that are a multi-word entry's form (``took a seat``): (start, end, the form, its
    candidate originals as ``_Model.phrase_candidates`` gives them), by start then longest first; found once per
    context, for the span model (``phrase_spans``) and the trigram model (``phrase_gains``)."""
    got = ctx.__dict__.get("_phrase_forms")
    if got is None:
        low, raw = ctx.doc.lower, m.phrase_raw
        got = ctx._phrase_forms = []
        for i, k in _phrase_starts(m, ctx):
            form = " ".join(low[i : i + k])
            if form in raw:
                got.append((i, i + k, form, m.phrase_candidates(form)))
    return got


def phrase_spans(doc: Document, m: _Model, ctx: _Context, out: _Spans):
    """Score multi-word observed forms (``took a seat``) and multi-word candidates (``called for``).

    A generator like ``single_word_spans``.
    """
    hyps = [(i, j, cand, cids, cost) for i, j, _, cands in phrase_forms(m, ctx) for cand, cids, cost in cands]
    if not hyps:
        return 0
    a: list[int] = []
    b: list[int] = []
    seg: list[int] = []
    obs_seen: dict[tuple[int, int], int] = {}
    edge: dict[tuple[int, int], tuple[int, list[int]]] = {}  # (i, j) -> left id, [right id] or []
    left, right, has_right, ids = ctx.left, ctx.right, ctx.has_right, ctx.ids
    for i, j, _, cids, _ in hyps:
        e = edge.get((i, j))
        if e is None:
            e = edge[(i, j)] = (int(left[i]), [int(right[j - 1])] if has_right[j - 1] else [])
        seq = [e[0], *cids, *e[1]]
        seg.append(len(a))
        a.extend(seq[:-1])
        b.extend(seq[1:])
    for (i, j), (l0, r) in edge.items():  # observed forms, in order of first hypothesis
        obs_seen[(i, j)] = len(seg)
        seq = [l0, *ids[i:j].tolist(), *r]
        seg.append(len(a))
        a.extend(seq[:-1])
        b.extend(seq[1:])
    lp, att = yield np.array(a, dtype=np.int64), np.array(b, dtype=np.int64)
    starts = np.array(seg)  # every sequence holds at least one pair
    sums = np.add.reduceat(lp, starts).tolist()
    att_min = np.minimum.reduceat(att, starts).tolist()
    unattested = np.add.reduceat((att == 0).astype(np.int64), starts).tolist()
    log_uni = m.log_uni
    first_lu = log_uni[ids[[h[0] for h in hyps]]].tolist()
    cand_lu = log_uni[[h[3][0] for h in hyps]].tolist()
    best: dict[tuple[int, int], tuple[float, int]] = {}
    for h, (i, j, _, _, cost) in enumerate(hyps):
        obs = sums[obs_seen[(i, j)]] - _FREQ_DISCOUNT * first_lu[h]
        e = sums[h] - _FREQ_DISCOUNT * cand_lu[h] - cost - obs
        got = best.get((i, j))
        if got is None or e > got[0]:
            best[(i, j)] = (e, h)
    rows = []
    first = ctx.first
    for (i, j), (e, h) in best.items():
        o = obs_seen[(i, j)]
        d = sums[h] - sums[o]
        rows.append((d / 2, d / 2, cand_lu[h] - first_lu[h], hyps[h][4],
                     float(min(2, unattested[o])), att_min[h], att_min[h], first_lu[h], float(first[i])))
    r = np.array(rows, dtype=np.float64)
    x = span_matrix(r[:, 0], r[:, 1], r[:, 2], r[:, 3], r[:, 4], r[:, 5], r[:, 6], r[:, 7], False, True, r[:, 8])
    keys = list(best)
    out.add([i for i, _ in keys], [j for _, j in keys], [best[k][0] for k in keys],
            [hyps[best[k][1]][2] for k in keys], x)
    return len(keys)


def filler_spans(doc: Document, m: _Model, ctx: _Context, out: _Spans):
    """``left filler right`` vs ``left right``: evidence that a filler adverb was inserted.

    A generator like ``single_word_spans``.
    """
    pos = np.flatnonzero(m.is_filler[ctx.ids])
    pos = pos[pos > 0]
    if len(pos) == 0:
        return 0
    pos = pos[~ctx.first[pos] & ctx.has_right[pos]]
    if len(pos) == 0:
        return 0
    lp, att = yield ctx.left[pos], ctx.right[pos]
    ev = lp - ctx.lp_left[pos] - ctx.lp_right[pos] - _FILLER_COST
    d = lp - ctx.lp_left[pos] - ctx.lp_right[pos]
    x = span_matrix(d / 2, d / 2, -m.log_uni[ctx.ids[pos]], _FILLER_COST,
                    (ctx.att_left[pos] == 0) * 1.0 + (ctx.att_right[pos] == 0), att, att,
                    m.log_uni[ctx.ids[pos]], True, False, ctx.first[pos - 1])
    out.add(pos - 1, pos + 1, ev, [doc.words[i - 1] for i in pos.tolist()], x)
    return len(pos)


def posteriors(evidence: np.ndarray, n: int, config: SpinConfig) -> tuple[np.ndarray, float]:
    """Posterior of substitution per span under a document prior fitted by EM (a feature)."""
    a, b = config.prior_alpha, config.prior_beta
    rho = a / (a + b)
    post = np.zeros(len(evidence))
    for _ in range(max(1, config.em_steps)):
        logit = np.clip(evidence + np.log(rho / (1 - rho)), -30, 30)
        post = 1.0 / (1.0 + np.exp(-logit))
        rho = (post.sum() + a) / (n + a + b)
    return post, float(rho)


def span_logits(m: _Model, x: np.ndarray) -> np.ndarray:
    """Stage 1: log-odds that each span is a substitution, from its own context features."""
    if m.span_missing:
        raise ModelError("models/spin/span_model.json missing or stale: run python -m scorer.training.spin_model")
    if len(x) == 0:
        return np.zeros(0)
    return ((x - m.span_mean) / m.span_scale) @ m.span_coef + m.span_intercept


def document_rate(m: _Model, logits: np.ndarray, n_words: int) -> float:
    """Log of the document's suspicious-span rate relative to genuine text, shrunk for short texts.

    Suspicious spans are those with stage-1 log-odds above ``cut``; the rate per
    100 words is shrunk towards the genuine median ``r0`` with ``pseudo_words``.
    """
    p = m.stage2
    hits = float((logits > p["cut"]).sum())
    rate = (hits + p["r0"] * p["pseudo_words"] / 100.0) / ((n_words + p["pseudo_words"]) / 100.0)
    return float(np.log(rate / p["r0"]))


def novelty_counts(m: _Model, ctx: _Context) -> tuple[float, float]:
    """(unattested, all) adjacent in-sentence pairs of two words that have no one-step synonyms."""
    if ctx.n < 2:
        return 0.0, 0.0
    has = ctx.has_synonyms
    pairs = ~ctx.first[1:] & ~has[1:] & ~has[:-1]
    return float(((ctx.att_left[1:] == 0) & pairs).sum()), float(pairs.sum())


def novelty(m: _Model, ctx: _Context) -> float:
    """Log of the document's unattested rate among pairs of two words *without* synonyms, relative to genuine text.

    A one-word synonym spinner cannot touch such pairs (genuine val 0.263, its training-spinner
    copies 0.267), so their unattested rate measures how unfamiliar the text is to the bigram
    tables (a new topic, era or register), not how spun it is. Shrunk towards ``p0`` with
    ``novelty_pairs`` pseudo-pairs; 0 for a model without the calibration.
    """
    p = m.stage2
    p0 = p.get("novelty_p0")
    if not p0:
        return 0.0
    unseen, total = novelty_counts(m, ctx)
    k = p["novelty_pairs"]
    return float(np.log((unseen + p0 * k) / (total + k) / p0))


def posterior_logits(m: _Model, logits: np.ndarray, n_words: int, nov: float = 0.0) -> tuple[np.ndarray, float]:
    """Stage 2: span log-odds with a learned, continuous document prior (no all-or-nothing gate).

    The prior is the suspicious-span log-rate ``r`` less ``novelty_beta`` times the document's
    ``novelty``: unfamiliar genuine text (modern or non-BBC news) raises ``r`` without being spun.
    """
    p = m.stage2
    r = document_rate(m, logits, n_words)
    prior = r - p.get("novelty_beta", 0.0) * nov
    return p["coef"][0] * logits + p["coef"][1] * prior + p["intercept"], r


#: Fallback suggestion ranking (no ``suggest_model.json``): weight of the relation cost and share of
#: general frequency not credited.
_SUGGEST_COST_WEIGHT = 3.0
_SUGGEST_FREQ_DISCOUNT = 0.7

#: Columns of the suggestion ranker (a pairwise logistic ranker fitted by
#: ``scorer.training.spin_model.fit_suggestions`` on spinner copies where the original is known).
SUGGEST_FEATURES: tuple[str, ...] = (
    "lp_left",  # log P(candidate | left word)
    "lp_right",  # log P(right word | candidate) (0 at a sentence end)
    "log_freq",  # log P(candidate), general (Google/news mixture)
    "log_news_freq",  # log(1 + news count): spinners' victims are everyday news words
    "cost",  # thesaurus relation cost (synset < similar < hypernym < two steps)
    "left_attested",  # the pair (left, candidate) is attested
    "right_attested",  # the pair (candidate, right) is attested
    "left_support",  # log(1 + attestation count) of (left, candidate)
    "right_support",  # log(1 + attestation count) of (candidate, right)
    "one_step",  # the candidate is in the observed word's one-step (detection) map
    "reverse",  # the observed word is in the candidate's one-step map (candidate -> observed direction)
    "in_document",  # the candidate occurs elsewhere in the document (spinners miss some occurrences)
    "cost_x_one_step",  # interaction: cost matters differently inside the one-step map
    "thesaurus",  # the pair shares an Aiksaurus meaning group (a general thesaurus, as real spinners use)
    "thesaurus_only",  # linked by Aiksaurus but not within two WordNet steps
    "fanout",  # log(1 + words whose one-step map lists the candidate): a spinner picks any one of them
    "in_document_count",  # log(1 + occurrences of the candidate in the document)
    "in_document_stem",  # another inflection of the candidate occurs in the document, the form itself does not
    "in_document_pair",  # the candidate follows the same left word, or precedes the same right word, elsewhere in the document
    "reverse_only",  # a word of the document whose own candidates list the observed word, not in the observed word's list
    "left_unknown",  # the left neighbour is outside the news counts (a name): log P(c | left) is only frequency
    "right_unknown",  # the same for the right neighbour
    # class-based context (``CONTEXT_CLASSES``): where the neighbour is a class the bigram tables cannot know (a
    # name) or no word at all (a sentence end), how much more often than usual the candidate stands in that class
    # of context in genuine train news (``context_lifts``); 0 where the context does not apply
    "cand_after_name",  # left word is name-like x log-lift of the candidate after a name (``Stoltenberg said.``)
    "cand_after_quote",  # a closing quote a few words before (``QUOTE_WINDOW``) x lift there (``," she said``)
    "cand_before_end",  # the word ends its sentence x lift before a sentence end (``she said.``)
    "cand_before_comma",  # a comma follows x lift before a comma
    "cand_before_quote",  # a closing quote follows x lift before a closing quote (``said."`` / ``said,"``)
    "cand_before_name",  # the next word is name-like x lift before a name (``," said Smith``)
    # genuine train news alone (the bigram features above mix in Google counts and smooth little): how well the
    # candidate fits its neighbours, and the words two and three places away, in the register of the originals
    "news_left",  # log P_news(candidate | left word), Dirichlet-smoothed with ``NEWS_MU``
    "news_right",  # log P_news(right word | candidate)
    "skip2_left",  # log P(candidate two words after the word two places left), ``SKIP_MU`` (0 outside the sentence)
    "skip2_right",  # log P(the word two places right, two words after the candidate)
    "skip3_left",  # the same three places away
    "skip3_right",
    # the general English trigram model (``scorer.trigram``): the candidate after the two words before it, and the
    # two words after it given the candidate; ``UNKNOWN_LP`` for candidates outside the model
    "lm_left",
    "lm_right",
    # distributional neighbours (``NEIGHBOUR_FILE``): real spinners draw on general thesauri, whose pairs no
    # dictionary relation may reach (``soldiers`` for ``troops``, ``supporters`` for ``allies``)
    "neighbour",  # cosine similarity of the observed word's and the candidate's contexts (0: not neighbours)
    "neighbour_only",  # the candidate is offered only as a neighbour (no dictionary or thesaurus relation)
)

#: The context classes of the ``cand_*`` ranker features, in column order (``context_flags``).
CONTEXT_CLASSES: tuple[str, ...] = ("after_name", "after_quote", "before_end", "before_comma", "before_quote",
                                     "before_name")
_SUG_CONTEXT = SUGGEST_FEATURES.index("cand_after_name")
#: Compiled per-word counts of each context class (``scorer.training.build_spin.build_context``).
CONTEXT_FILE = "context_classes.npz"
#: Per vocabulary id, how often BBC train writes the word in lower case and capitalised inside a sentence
#: (``build_spin --case``): how much of a name a capitalised word is (``name_shares``).
CASE_FILE = "case_counts.npz"
#: Pseudo-count of the capitalised share: a word seldom or never seen inside a sentence reads as mostly a name.
NAME_PRIOR = 0.8
#: Compiled counts of word pairs a few places apart in a sentence (``scorer.training.build_spin.build_skip``).
SKIP_FILE = "skip_pairs.npz"
#: Per vocabulary id, the words used among the most similar neighbours in a general English model's bigrams
#: (``python -m scorer.training.build_lm --neighbours``): candidate originals no dictionary relation reaches.
NEIGHBOUR_FILE = "neighbours.npz"
#: Gaps of the pair tables (2: ``a _ b``, 3: ``a _ _ b``); the ``skip{gap}_*`` ranker features.
SKIP_GAPS: tuple[int, ...] = (2, 3)
#: Dirichlet pseudo-counts of the news-only context features (``news_*``, ``skip*``); chosen on the dev
#: metric from {0.5, 2, 10, 50, 100, 200, 1000} (news) and {30, 100, 300} (skip): flat from 50 to 300.
NEWS_MU = 100.0
SKIP_MU = 100.0
_SUG_NEWS = SUGGEST_FEATURES.index("news_left")
_SUG_LM = SUGGEST_FEATURES.index("lm_left")
_SUG_NEIGHBOUR = SUGGEST_FEATURES.index("neighbour")
#: Pseudo-count of the lift's shrinkage towards 0 (a word seen a few times says little).
CONTEXT_PSEUDO = 30.0
#: ``after_quote``: a closing quote in one of this many gaps before the word, inside its sentence.
QUOTE_WINDOW = 3
_CLOSING_AFTER = re.compile(r'[,.!?;:]?["\u201d]\s')  # a closing quote between the previous word and this one
_END_AFTER = re.compile(r'["\u201d\')\]]?[.!?]')  # the sentence ends right after the word
_COMMA_AFTER = re.compile(r'["\u201d]?,')
_QUOTE_AFTER = re.compile(r'[,.!?;:]?["\u201d]')


def name_like(word: str, initial: bool, known: frozenset[str]) -> bool:
    """A capitalised word that is not ``I``; at a sentence start only where news rarely has it lower-cased
    (``Stoltenberg``, not ``The``). ``known``: ``_Model.news_known``."""
    return word[:1].isupper() and word.isalpha() and word != "I" and (not initial or word.lower() not in known)


def context_flags(doc: Document, known: frozenset[str], pos, first, last, spans=None) -> np.ndarray:
    """Which ``CONTEXT_CLASSES`` apply at each word position ``pos`` (bool, one row per position).

    ``first``/``last``: per-word sentence-start and sentence-end flags (``_Context.first``/``.last``);
    ``spans``: all word offsets where the caller has them, else ``doc.word_span`` per word (a few flagged
    words). The same test builds the tables (``build_spin.context_counts``) and ranks at run time.
    """
    text, words = doc.text, doc.words
    span = spans.__getitem__ if spans is not None else doc.word_span
    n = len(words)
    out = np.zeros((len(pos), len(CONTEXT_CLASSES)), dtype=bool)
    for r, i in enumerate(pos):
        start, end = span(i)
        after = text[end : end + 3]
        j = i  # a closing quote in one of the last ``QUOTE_WINDOW`` gaps of the sentence: ``," the minister said``
        while j > i - QUOTE_WINDOW and not first[j]:
            prev = span(j - 1)
            if _CLOSING_AFTER.search(text, prev[1], start) is not None:
                out[r, 1] = True
                break
            j, start = j - 1, prev[0]
        if not first[i]:
            out[r, 0] = name_like(words[i - 1], bool(first[i - 1]), known)
        if last[i]:
            out[r, 2] = _END_AFTER.match(after) is not None
        elif i + 1 < n:
            out[r, 3] = _COMMA_AFTER.match(after) is not None
            out[r, 5] = name_like(words[i + 1], False, known)
        out[r, 4] = _QUOTE_AFTER.match(after) is not None
    return out


def context_lifts(counts: np.ndarray, total: np.ndarray, pseudo: float = CONTEXT_PSEUDO) -> np.ndarray:
    """Smoothed log-lift per word and class: log(rate of the class after/before the word / overall rate),
    the word's rate shrunk towards the overall one by ``pseudo`` occurrences (0 for unseen words).

    ``counts``: (V, k) occurrences of each word in each class; ``total``: (V,) occurrences of the word.
    """
    counts = np.asarray(counts, dtype=np.float64)
    total = np.asarray(total, dtype=np.float64)
    rate = (counts.sum(axis=0) + 0.5) / (total.sum() + 1.0)
    return np.log((counts + pseudo * rate) / (total[:, None] + pseudo) / rate)


def name_shares(path: Path, n_words: int) -> np.ndarray:
    """id -> share of the word's uses inside a sentence that are capitalised (``CASE_FILE``), with ``NAME_PRIOR``;
    1 for id -1 (a word outside the vocabulary) and for every word where the file is missing.

    ``Russian`` and ``Brown`` read about 1: names. ``Assistant`` (0.09), ``Company`` (0.05) and ``Results`` (0.02)
    are ordinary words capitalised as a title or heading, which spinners swap as readily as any other word.
    """
    if not path.exists():
        return np.ones(n_words + 1)
    with np.load(path, allow_pickle=False) as z:
        low, cap = z["lower"].astype(np.float64), z["capitalised"].astype(np.float64)
    return np.append((cap + NAME_PRIOR) / (low + cap + 1.0), 1.0)


def load_context_lifts(path: Path, n_words: int) -> np.ndarray:
    """``context_lifts`` of the compiled tables, one row per vocabulary id plus a zero row for id -1."""
    if not path.exists():
        return np.zeros((n_words + 1, len(CONTEXT_CLASSES)))
    with np.load(path, allow_pickle=False) as z:
        counts = np.column_stack([z[c] for c in CONTEXT_CLASSES])
        total = z["total"]
    return np.vstack([context_lifts(counts, total, CONTEXT_PSEUDO), np.zeros((1, len(CONTEXT_CLASSES)))])


def suggest_weights(sug: dict | None) -> np.ndarray | None:
    """Ranker weights in ``SUGGEST_FEATURES`` order from ``suggest_model.json``; features the file lacks (an
    older model) weigh 0. None without a file or with a feature this code does not know."""
    if sug is None or not set(sug["features"]) <= set(SUGGEST_FEATURES):
        return None
    w = dict(zip(sug["features"], sug["coef"]))
    return np.array([float(w.get(f, 0.0)) for f in SUGGEST_FEATURES])


def _doc_pairs(ctx: _Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether each pair (a[k], b[k]) occurs as adjacent words in the document."""
    ids = ctx.ids
    keys = np.unique(ids[:-1] << 32 | (ids[1:] & 0xFFFFFFFF)) if len(ids) > 1 else np.zeros(1, np.int64)
    return _find_sorted(keys, a.astype(np.int64) << 32 | (b.astype(np.int64) & 0xFFFFFFFF))[1]


class Neighbours(NamedTuple):
    """Each id's distributional neighbours, most similar first (``start``/``length`` into ``cand``), and every
    (id, neighbour) pair as a sorted key ``id << 32 | neighbour`` with its similarity (``sims``), for lookups."""

    start: np.ndarray
    length: np.ndarray
    cand: np.ndarray
    keys: np.ndarray
    sims: np.ndarray


def load_neighbours(path: Path, canon: np.ndarray) -> Neighbours:
    """``NEIGHBOUR_FILE`` (``build_lm.neighbour_table``) over ``len(canon)`` ids (the last one -1), neighbours read
    through ``canon`` as the text's words are; empty where the file is missing."""
    n = len(canon)
    ptr, cand, sim = np.zeros(1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.float32)
    if path.exists():
        with np.load(path, allow_pickle=False) as z:
            ptr, cand = z["ptr"], canon[z["cand"].astype(np.int64)].astype(np.int32)
            sim = (z["sim"] / np.float32(255.0)).astype(np.float32)
    start, length = np.zeros(n, np.int64), np.zeros(n, np.int64)
    start[: len(ptr) - 1], length[: len(ptr) - 1] = ptr[:-1], np.diff(ptr)
    keys = np.repeat(np.arange(n, dtype=np.int64), length) << 32 | cand.astype(np.int64)
    order = np.argsort(keys, kind="stable")
    return Neighbours(start, length, cand, keys[order], sim[order])


def load_skip(path: Path, gaps: tuple[int, ...], n: int) -> dict[int, tuple]:
    """The compiled pair tables (``build_spin.skip_counts``) per gap: sorted keys, counts, per-id totals as the
    first and as the second word (``n`` ids, the last one -1), and the number of pairs. Empty where missing."""
    out = {}
    z = np.load(path, allow_pickle=False) if path.exists() else None
    for gap in gaps:
        if z is not None and f"count_{gap}" in z.files:
            keys = np.cumsum(z[f"keys_delta_{gap}"], dtype=np.uint64)
            counts = z[f"count_{gap}"].astype(np.float64)
        else:
            keys, counts = np.zeros(0, np.uint64), np.zeros(0)
        first = np.bincount((keys >> np.uint64(32)).astype(np.int64), counts, minlength=n)[:n]
        second = np.bincount((keys & np.uint64(0xFFFFFFFF)).astype(np.int64), counts, minlength=n)[:n]
        out[gap] = (keys, counts, first, second, max(1.0, float(counts.sum())))
    if z is not None:
        z.close()
    return out


def skip_logp(table: tuple, a: np.ndarray, b: np.ndarray, mu: float = SKIP_MU) -> np.ndarray:
    """log P(b a fixed number of words after a) from one ``load_skip`` table, Dirichlet-smoothed towards b's
    rate with ``mu`` (a and b valid ids)."""
    keys, counts, first, second, total = table
    q = (a.astype(np.uint64) << np.uint64(32)) | b.astype(np.uint64)
    n = np.zeros(len(q))
    if len(keys) and len(q):
        # searching in key order keeps consecutive binary searches on the same cache lines (as ``lookup``)
        order = np.argsort(q)
        at = np.empty(len(q), dtype=np.intp)
        at[order] = np.searchsorted(keys, q[order])
        np.minimum(at, len(keys) - 1, out=at)
        n = np.where(keys[at] == q, counts[at], 0.0)
    return np.log((n + mu * (second[b] + 0.5) / total) / (first[a] + mu))


def _in_sentence(ctx: _Context, p: np.ndarray, off: int) -> tuple[np.ndarray, np.ndarray]:
    """Word ids ``off`` places from positions ``p`` and whether that word is known and in the same sentence."""
    sent = np.cumsum(ctx.first)
    q = np.clip(p + off, 0, max(0, ctx.n - 1))
    ids = ctx.ids[q] if ctx.n else np.full(len(p), -1)
    ok = (p + off >= 0) & (p + off < ctx.n) & (sent[q] == sent[p]) & (ids >= 0)
    return np.where(ok, ids, 0), ok


def news_context(m: _Model, ctx: _Context, p: np.ndarray, cand: np.ndarray, nb_l: np.ndarray,
                 nb_r: np.ndarray) -> np.ndarray:
    """The ``news_*`` and ``skip*`` ranker columns of candidates ``cand`` at positions ``p``; ``nb_l``/``nb_r``:
    news counts of the pairs (left word, candidate) and (candidate, right word) (``lookup``)."""
    x = np.zeros((len(cand), 2 + 2 * len(SKIP_GAPS)))
    un = m.uni_news
    left, right, hr = ctx.left[p], ctx.right[p], ctx.has_right[p]
    x[:, 0] = np.log((nb_l + NEWS_MU * (un[cand] + 0.5) / m.n_total) / (un[left] + NEWS_MU))
    x[:, 1] = np.where(hr, np.log((nb_r + NEWS_MU * (un[right] + 0.5) / m.n_total) / (un[cand] + NEWS_MU)), 0.0)
    tables, k = m.skip_tables, len(cand)
    for g, gap in enumerate(SKIP_GAPS):
        a, ok_a = _in_sentence(ctx, p, -gap)
        b, ok_b = _in_sentence(ctx, p, gap)
        lp = skip_logp(tables[gap], np.concatenate([a, cand]), np.concatenate([cand, b]))  # one search per gap
        x[:, 2 + 2 * g] = np.where(ok_a, lp[:k], 0.0)
        x[:, 3 + 2 * g] = np.where(ok_b, lp[k:], 0.0)
    return x


def suggestion_features(m: _Model, ctx: _Context, p: np.ndarray, obs: np.ndarray, cand: np.ndarray,
                        cost: np.ndarray, thes: np.ndarray | None = None,
                        source: np.ndarray | None = None) -> np.ndarray:
    """``SUGGEST_FEATURES`` of candidate originals ``cand`` for the words at positions ``p`` (one row each).

    ``thes``: the candidates' Aiksaurus flags (``_Model.sug_thes``: 0, 1, 2; none when omitted);
    ``source``: where each candidate comes from (``candidate_originals``: own list, reverse map only, neighbour
    table only; all from the own list when omitted).
    """
    k = len(cand)
    a, b = np.concatenate([ctx.left[p], cand]), np.concatenate([cand, ctx.right[p]])
    nb, gbc = lookup(m, a, b)
    lp, att = logp_of_counts(m, a, b, nb, gbc)
    hr = ctx.has_right[p]
    x = np.zeros((k, len(SUGGEST_FEATURES)))
    x[:, 0] = lp[:k]
    x[:, 1] = np.where(hr, lp[k:], 0.0)
    x[:, 2] = m.log_uni[cand]
    x[:, 3] = np.log1p(m.uni_news[cand])
    x[:, 4] = cost
    x[:, 5] = att[:k] > 0
    x[:, 6] = np.where(hr, att[k:] > 0, 1.0)
    x[:, 7] = np.log1p(att[:k])
    x[:, 8] = np.where(hr, np.log1p(att[k:]), 0.0)
    x[:, 9] = m.has_sub_pair(obs, cand)
    x[:, 10] = m.has_sub_pair(cand, obs)
    x[:, 11] = np.isin(cand, ctx.ids)
    x[:, 12] = x[:, 4] * x[:, 9]
    if thes is not None:
        x[:, 13] = thes > 0
        x[:, 14] = thes == 2
    x[:, 15] = m.fanout[cand]
    ids = np.sort(ctx.ids)
    x[:, 16] = np.log1p(np.searchsorted(ids, cand, side="right") - np.searchsorted(ids, cand, side="left"))
    st = m.stem_ids
    doc_stems = st[ctx.ids]
    doc_stems = doc_stems[doc_stems >= 0]
    x[:, 17] = np.isin(st[cand], doc_stems) & (x[:, 11] == 0)
    x[:, 18] = _doc_pairs(ctx, ctx.left[p], cand) | (_doc_pairs(ctx, cand, ctx.right[p]) & hr)
    if source is not None:
        x[:, 19] = source == _REVERSE_ONLY
    x[:, 20] = (m.uni_news[ctx.left[p]] == 0) * x[:, 3]
    x[:, 21] = (hr & (m.uni_news[ctx.right[p]] == 0)) * x[:, 3]
    if k:
        up, inv = np.unique(p, return_inverse=True)
        flags = context_flags(ctx.doc, m.news_known, up.tolist(), ctx.first, ctx.last)[inv]
        x[:, _SUG_CONTEXT : _SUG_CONTEXT + len(CONTEXT_CLASSES)] = flags * m.context_lift[cand]
    x[:, _SUG_NEWS : _SUG_NEWS + 2 + 2 * len(SKIP_GAPS)] = news_context(m, ctx, p, cand, nb[:k], nb[k:])
    lm = trigram.model()
    if lm is not None and k:
        x[:, _SUG_LM], x[:, _SUG_LM + 1] = trigram.window_logp(lm, ctx.ids, ctx.first, ctx.last, p, cand)
    x[:, _SUG_NEIGHBOUR] = m.neighbour_sim(obs, cand)
    if source is not None:
        x[:, _SUG_NEIGHBOUR + 1] = source == _NEIGHBOUR_ONLY
    return x


#: Reverse candidates (words whose ``sug_*`` list holds the observed word) offered from anywhere, most
#: frequent in news first; 0: only those in the document.
_REVERSE_MAX = 10
#: The observed word's most similar distributional neighbours offered as candidates (``NEIGHBOUR_FILE``), with
#: this cost; 0: none.
NEIGHBOUR_CANDIDATES = 10
NEIGHBOUR_COST = 2.0
#: Where a candidate comes from (the last of ``candidate_originals``' rows): the observed word's own list, the
#: reverse map only, the neighbour table only.
_OWN_LIST, _REVERSE_ONLY, _NEIGHBOUR_ONLY = 0, 1, 2


def _add_reverse(m: _Model, rows: tuple, g: np.ndarray, c: np.ndarray, e: np.ndarray) -> tuple:
    """``rows`` (group, candidate, cost, Aiksaurus flag, source) plus the reverse candidates ``c`` of groups
    ``g`` (``sug_*`` entry ``e`` lists the observed word under ``c``) not yet among them; still grouped in order."""
    new = _not_in(rows, g, c)
    if not new.any():
        return rows
    e = e[new]
    return _merged(rows, (g[new], c[new], m.sug_cost[e], m.sug_thes[e], np.full(len(e), _REVERSE_ONLY, np.uint8)))


def _not_in(rows: tuple, g: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Which (group, candidate) pairs ``rows`` does not hold yet."""
    return ~np.isin(g.astype(np.int64) << 32 | c, rows[0].astype(np.int64) << 32 | rows[1])


def _merged(rows: tuple, extra: tuple) -> tuple:
    """``rows`` and ``extra`` in one set of rows, still grouped by position in order."""
    joined = [np.concatenate([a, b]) for a, b in zip(rows, extra)]
    order = np.argsort(joined[0], kind="stable")
    return tuple(a[order] for a in joined)


def _add_neighbours(m: _Model, rows: tuple, ids: np.ndarray) -> tuple:
    """``rows`` plus the ``NEIGHBOUR_CANDIDATES`` nearest neighbours of each observed word (``ids``) not among them."""
    nb = m.neighbours
    g, e = _list_entries(nb.start[ids], np.minimum(nb.length[ids], NEIGHBOUR_CANDIDATES))
    c = nb.cand[e]
    new = _not_in(rows, g, c)
    if not new.any():
        return rows
    g, c = g[new], c[new]
    return _merged(rows, (g, c, np.full(len(c), NEIGHBOUR_COST, np.float32), np.zeros(len(c), np.uint8),
                          np.full(len(c), _NEIGHBOUR_ONLY, np.uint8)))


def candidate_originals(m: _Model, ctx: _Context, pos: np.ndarray):
    """Candidate originals of the words at ``pos``: (group, candidate id, cost, Aiksaurus flag, source).

    The word's own ``sug_*`` list, plus the words of the document whose ``sug_*`` list holds the
    word: a spinner turns an original into one of *its* synonyms, and the thesaurus relation is
    not symmetric after the caps and frequency floors of the build (``troops`` lists ``force``;
    ``force`` keeps other words). Then, up to ``_REVERSE_MAX`` of the words most frequent in news
    whose list holds the word, wherever they are; then the word's ``NEIGHBOUR_CANDIDATES`` nearest
    distributional neighbours. Generic words and the word itself are dropped. ``source`` says where
    a candidate came from (``_OWN_LIST``, ``_REVERSE_ONLY``, ``_NEIGHBOUR_ONLY``). Rows are grouped by
    position, in order.
    """
    ids = ctx.ids[pos]
    grp, cidx = _list_entries(m.sug_start[ids], m.sug_len[ids])
    cand = m.sug_cand[cidx].astype(np.int64)
    rows = (grp, cand, m.sug_cost[cidx], m.sug_thes[cidx], np.full(len(cand), _OWN_LIST, np.uint8))
    present = np.unique(ctx.ids)
    present = present[(present >= 0) & ~m.generic[present]]
    plen = m.sug_len[present]
    if len(pos) and plen.sum():
        # the candidate lists of the document's words, gathered once, searched for the observed words
        of, e = _list_entries(m.sug_start[present], plen)
        owner = present[of]
        listed = m.sug_cand[e].astype(np.int64)
        hit = np.isin(listed, ids) & (owner != listed)
        if hit.any():
            owner, listed, e = owner[hit], listed[hit], e[hit]
            g2, h2 = np.nonzero(ids[:, None] == listed[None, :])  # every position of that observed word
            rows = _add_reverse(m, rows, g2, owner[h2], e[h2])
    if _REVERSE_MAX and len(pos):
        got = [m.reverse_candidates(int(o), _REVERSE_MAX) if o >= 0 else (np.zeros(0, np.int64),) * 2
               for o in ids.tolist()]
        g3 = np.repeat(np.arange(len(pos)), [len(c) for c, _ in got])
        c3 = np.concatenate([c for c, _ in got]).astype(np.int64)
        e3 = np.concatenate([e for _, e in got]).astype(np.int64)
        rows = _add_reverse(m, rows, g3, c3, e3)
    if NEIGHBOUR_CANDIDATES and len(pos):
        rows = _add_neighbours(m, rows, ids)
    grp, cand = rows[0], rows[1]
    keep = ~m.generic[cand] & (cand != ids[grp])  # never the word itself or its spelling twin
    return tuple(a[keep] for a in rows)


def suggest(m: _Model, ctx: _Context, pos: np.ndarray) -> list[str | None]:
    """Likely originals of the flagged single words at ``pos``, ranked over ``candidate_originals``.

    With ``suggest_model.json``: the learned ranker over ``SUGGEST_FEATURES``;
    without: ``LM(c | left) + LM(right | c) - discount * log P(c) - weight * cost``.
    One vectorised lookup for all flagged words. None where a word has no candidate.
    """
    if len(pos) == 0:
        return []
    ids = ctx.ids[pos]
    grp, cand, cost, thes, rev = candidate_originals(m, ctx, pos)
    if len(cand) == 0:
        return [None] * len(pos)
    p = pos[grp]
    if m.suggest_coef is not None:
        sc = suggestion_features(m, ctx, p, ids[grp], cand, cost, thes, rev) @ m.suggest_coef
    else:
        k = len(cand)
        lp, _ = logp(m, np.concatenate([ctx.left[p], cand]), np.concatenate([cand, ctx.right[p]]))
        sc = lp[:k] + np.where(ctx.has_right[p], lp[k:], 0.0) - _SUGGEST_FREQ_DISCOUNT * m.log_uni[cand]
        sc = sc - _SUGGEST_COST_WEIGHT * cost
    order = np.lexsort((-sc, grp))
    lens = np.bincount(grp, minlength=len(pos))
    first = np.cumsum(lens) - lens
    out: list[str | None] = [None] * len(pos)
    for g in np.flatnonzero(lens > 0).tolist():
        out[g] = m.words[int(cand[order[first[g]]])]
    return out


def _non_overlapping(i: np.ndarray, j: np.ndarray, ev: np.ndarray, keep: np.ndarray) -> list[int]:
    """Flagged spans, strongest first, without overlaps, in text order."""
    taken: set[int] = set()
    out = []
    for k in sorted(np.flatnonzero(keep).tolist(), key=lambda k: -ev[k]):
        span = range(int(i[k]), int(j[k]))
        if any(t in taken for t in span):
            continue
        taken.update(span)
        out.append(k)
    return sorted(out, key=lambda k: i[k])


def _match_case(original: str, observed: str) -> str:
    if observed.isupper() and len(observed) > 1:
        return original.upper()
    if observed[:1].isupper():
        return original[:1].upper() + original[1:]
    return original


def _run_merged(m: _Model, gens: list) -> None:
    """Answer the bigram queries of the span generators with one ``logp`` call (one sorted search), in order."""
    live, a, b, cut = [], [], [], [0]
    for g in gens:
        try:
            qa, qb = next(g)
        except StopIteration:
            continue
        live.append(g)
        a.append(qa)
        b.append(qb)
        cut.append(cut[-1] + len(qa))
    if not live:
        return
    lp, att = logp(m, np.concatenate(a), np.concatenate(b))
    for k, g in enumerate(live):
        try:
            g.send((lp[cut[k] : cut[k + 1]], att[cut[k] : cut[k + 1]]))
        except StopIteration:
            continue
        raise RuntimeError("span generator asked twice")  # pragma: no cover


def score_spans(doc: Document, m: _Model | None = None):
    """All scored hypotheses of a document: (i, j, evidence, originals, features), and the context."""
    return score_spans_many([doc], m)[0]


def score_spans_many(docs: list[Document], m: _Model | None = None) -> list:
    """``score_spans`` of each document, the bigram queries of all of them answered together (``_run_merged``)."""
    m = m or model()
    ctxs = contexts(docs, m)
    spans = [_Spans() for _ in docs]
    nonempty = [k for k, ctx in enumerate(ctxs) if ctx.n]
    gens = ([single_word_spans(_Block.of([ctxs[k] for k in nonempty]), m, [spans[k] for k in nonempty])]
            if nonempty else [])
    gens += [gen(docs[k], m, ctxs[k], spans[k]) for k in nonempty for gen in (phrase_spans, filler_spans)]
    _run_merged(m, gens)
    out = []
    for doc, ctx, found in zip(docs, ctxs, spans):
        (si, sj, ev, orig, x) = found.arrays((float(ctx.weak.mean()) if ctx.n else 0.0, unseen_bigram_rate(ctx, m)))
        if len(si):
            words = doc.words
            capitalised = ~ctx.first[si] & np.array([words[i][:1].isupper() for i in si.tolist()], dtype=bool)
            x[:, _COL["name_like"]] = capitalised * m.name_share[ctx.ids[si]]
        out.append(((si, sj, ev, orig, x), ctx))
    return out


_COL = {name: k for k, name in enumerate(SPAN_FEATURES)}


def substitution_message(text: str, suggestion: str | None, context_gain: float) -> str:
    """Why a span was flagged, in terms a reader can check.

    Where a synonym fits the neighbouring words better, say so with the gain; where it does not
    (the span was flagged because the whole document reads as spun), say that instead of
    claiming the context prefers the original.
    """
    original = f"; likely original: '{suggestion}'" if suggestion else ""
    if context_gain > 0:
        return (f"'{text}' reads like a synonym swap: a synonym fits the neighbouring words better "
                f"(log-likelihood +{context_gain:.1f}){original}")
    return f"'{text}' reads like a synonym swap in a document that reads as spun throughout{original}"


def extract(doc: Document, config: SpinConfig = SpinConfig()) -> FamilyResult:
    """Spin features and findings of one document."""
    return extract_many([doc], config)[0]


def extract_many(docs: list[Document], config: SpinConfig = SpinConfig()) -> list[FamilyResult]:
    """``extract`` of each document, the model lookups of all of them made together.

    At a document's size the lookups cost mostly numpy's overhead per call, not work per word: a block of
    documents shares it (``scorer.pipeline.BLOCK``). The results are those of one document at a time (tested).
    """
    m = model()
    scored = score_spans_many(docs, m)
    sciences = [is_science(doc, config) for doc in docs]
    lm_features = lm_fit_features_many([ctx for _, ctx in scored], sciences, m)
    return [_result(doc, config, m, spans, ctx, science, lm)
            for doc, (spans, ctx), science, lm in zip(docs, scored, sciences, lm_features)]


def _result(doc: Document, config: SpinConfig, m: _Model, spans: tuple, ctx: _Context, science: bool,
            lm_features: dict[str, float]) -> FamilyResult:
    """Findings and features of one document from its scored spans and its trigram-model features."""
    si, sj, ev, orig, x = spans
    l1 = span_logits(m, x)
    nov = novelty(m, ctx)
    logit, doc_rate = posterior_logits(m, l1, ctx.n, nov)
    threshold = m.span_threshold if config.threshold is None else config.threshold
    findings: list[Finding] = []
    elsewhere = original_elsewhere_rate(m, ctx, si, sj, orig, l1, x)  # before suggestions replace ``orig``
    flagged = _non_overlapping(si, sj, logit, logit >= threshold)
    single = single_words(si, sj, x)
    one = [k for k in flagged if single[k]]
    for k, s in zip(one, suggest(m, ctx, si[one])):
        if s is not None:
            orig[k] = s
    for k in flagged:
        start = doc.word_span(si[k])[0]
        end = doc.word_span(sj[k] - 1)[1]
        text = doc.text[start:end]
        sugg = _match_case(orig[k], text) if orig[k].lower() != text.lower() else None
        findings.append(
            Finding(
                family="spin",
                code="spin.substitution",
                start=start,
                end=end,
                text=text,
                message=substitution_message(text, sugg, float(x[k, 0])),
                suggestion=sugg,
                severity="warning",
            )
        )
    n_found = len(findings)
    lex: list[Finding] = []
    if config.lexicon is not None:
        from scorer.lexicon import load_lexicon

        lex = load_lexicon(config.lexicon).findings(doc)
        findings = sorted(findings + lex, key=lambda f: (f.start, f.end))
    if science:  # findings only, after every feature input; words a finding covers are left to it
        findings = science_findings(doc, m, ctx, findings)
    n_words = max(1, ctx.n)
    post, _ = posteriors(logit, len(logit), config)
    has = ctx.has_synonyms
    top = np.sort(l1)[::-1][: max(1, ctx.n // 50)]
    rho = doc_rate
    strict = (x[:, _COL["observed_unattested"]] >= 2) & (x[:, _COL["candidate_attested"]] > 0) if len(x) else np.zeros(0, bool)
    features = {
        "spin.finding_density": 100.0 * n_found / n_words,
        "spin.posterior_mean": float(post.sum()) / n_words * 100.0,
        "spin.prior": rho,
        "spin.evidence_mean": float(np.maximum(ev, -10.0).mean()) if len(ev) else 0.0,
        "spin.strong_evidence_rate": 100.0 * float((logit > 0).sum()) / n_words,
        "spin.strict_density": 100.0 * float(strict.sum()) / n_words,
        "spin.unseen_bigram_rate": unseen_bigram_rate(ctx, m),
        "spin.lexicon_density": 100.0 * len(lex) / n_words,
        "spin.weak_share": float((ctx.weak & has).sum() / has.sum()) if has.any() else 0.0,
        "spin.context_density": 100.0 * float((1.0 / (1.0 + np.exp(-l1))).sum()) / n_words,
        "spin.top_context_odds": float(np.clip(top.mean(), -20.0, 20.0)) if len(top) else -20.0,
        "spin.weak_odds_sum": 100.0 * float(np.clip(l1 + _WEAK_ODDS, 0.0, 20.0).sum()) / n_words,
        "spin.weak_pair_rate": weak_pair_rate(ctx),
        "spin.novelty": nov,
        "spin.original_elsewhere": elsewhere,
        "spin.common_pair_pmi": common_pair_pmi(ctx, m),
        **lm_features,
    }
    return FamilyResult(features, findings)


def lm_fit_features(ctx: _Context, science: bool = False, m: _Model | None = None) -> dict[str, float]:
    """``spin.lm_fit``, ``spin.lm_swappable_fit``, ``spin.lm_worst_fit`` (``scorer.trigram.fit_features``) and
    ``spin.lm_synonym_llr`` (``synonym_llr``) from one pass of the trigram model; typical of genuine text where its
    tables are missing, and in scientific register (``is_science``): a general English model finds technical prose
    ill-fitting throughout, and the classifier, trained on news, took that for spin (genuine SummEdits scitldr
    abstracts labelled reliable: 88% before these features, 41% with them, 17 documents)."""
    return lm_fit_features_many([ctx], [science], m)[0]


def lm_fit_features_many(ctxs: list[_Context], sciences: list[bool], m: _Model | None = None,
                         ) -> list[dict[str, float]]:
    """``lm_fit_features`` of each document, the trigram model run once over all of them (``_Block``)."""
    m = m or model()
    lm = trigram.model()
    live = [k for k, (c, science) in enumerate(zip(ctxs, sciences)) if lm is not None and c.n and not science]
    out: list[dict[str, float] | None] = [None] * len(ctxs)
    if live:
        block = _Block.of([ctxs[k] for k in live])
        pos, pmi, swappable, gains = _trigram_pass(m, lm, block)
        phrase = phrase_gains(m, lm, [ctxs[k] for k in live])
        for k, scored, syn, ph in zip(live, block.split(pos), block.split(swappable), phrase):
            fit, swappable_fit, worst = trigram.fit_features(pmi[scored], block.has_synonyms[pos[scored]])
            out[k] = {"spin.lm_fit": fit, "spin.lm_swappable_fit": swappable_fit, "spin.lm_worst_fit": worst,
                      "spin.lm_synonym_llr": synonym_llr(gains[syn]), "spin.lm_phrase_llr": synonym_llr(ph)}
    return [features or _typical_lm_features(m, c) for features, c in zip(out, ctxs)]


def _trigram_pass(m: _Model, lm: trigram.TrigramLM, block: _Block) -> tuple[np.ndarray, ...]:
    """One pass of the trigram model over a block: the scored words' positions and PMI (``trigram.word_pmi``), and
    the words with synonyms with their gains (``synonym_gains``)."""
    words = trigram.word_fit(lm, block.ids, block.first)
    pos, pmi = trigram.word_pmi(lm, words)
    return (pos, pmi, *synonym_gains(m, block, lm, words, pos, pmi))


def _typical_lm_features(m: _Model, ctx: _Context) -> dict[str, float]:
    """The trigram-model features where the model stands aside: genuine text's typical values."""
    fit, swappable, worst = trigram.fit_features(np.zeros(0), np.zeros(0, dtype=bool))
    return {"spin.lm_fit": fit, "spin.lm_swappable_fit": swappable, "spin.lm_worst_fit": worst,
            "spin.lm_synonym_llr": TYPICAL_LLR_PER_WORD * int(ctx.has_synonyms.sum()),
            "spin.lm_phrase_llr": TYPICAL_PHRASE_LLR_PER_FORM * len(phrase_forms(m, ctx))}


#: Per phrase-entry form, ``spin.lm_phrase_llr`` of genuine BBC fit and val articles (517, 2,736 forms; session 21):
#: what the feature reads where the trigram model stands aside.
TYPICAL_PHRASE_LLR_PER_FORM = 0.027


def _runs_logp(lm: trigram.TrigramLM, runs: list[list[int]], skip: list[int] | None = None) -> np.ndarray:
    """log P of each run of words under the trigram model, every word given the (at most two) words before it in its
    run, in one score call (local ids, all known). The first ``skip[k]`` words of run ``k`` are only history."""
    lens = np.fromiter(map(len, runs), dtype=np.int64, count=len(runs))
    tok = np.fromiter(chain.from_iterable(runs), dtype=np.int64, count=int(lens.sum()))
    seg = np.repeat(np.arange(len(runs)), lens)
    pos = np.arange(len(tok))
    at = pos - (np.cumsum(lens) - lens)[seg]  # place in its run
    h1 = np.where(at >= 1, tok[np.maximum(pos - 1, 0)], -1)
    h2 = np.where(at >= 2, tok[np.maximum(pos - 2, 0)], -1)
    keep = at >= (np.asarray(skip)[seg] if skip is not None else 0)
    return np.bincount(seg[keep], weights=lm.score(h2[keep], h1[keep], tok[keep]), minlength=len(runs))


def phrase_gains(m: _Model, lm: trigram.TrigramLM, ctxs: list[_Context]) -> list[np.ndarray]:
    """Per document, how much better each phrase-entry form's best candidate original fits the trigram model there
    (``phrase_forms``; forms or candidates with a word outside the model are left out).

    A thesaurus spinner puts in multi-word phrases (``monetary unit`` for euro, ``court of law`` for tribunal) that
    the single-word gains never look at. Fit as for one word (``synonym_gain``), over a run of words: how much the
    two words before raise the run's probability over its probability on its own (log P(run | two before) - log
    P(run), the second cached per form: ``_Model.phrase_fit_alone``), plus log P of the (at most) two words after
    it, inside the sentence. One ``TrigramLM.score`` call for the block (``_runs_logp``).
    """
    runs: list[list[int]] = []  # each observed run and each candidate, in its context
    skip: list[int] = []  # the context words before it, history only
    # per candidate: the runs of the observed words and of the candidate; the difference of the two on their own;
    # the form's index over the block
    hyp_obs: list[int] = []
    hyp_cand: list[int] = []
    hyp_alone: list[float] = []
    hyp_form: list[int] = []
    n_forms: list[int] = []  # forms per document

    def run(words: list[int], history: int) -> int:
        runs.append(words)
        skip.append(history)
        return len(runs) - 1

    local = lm.local
    qs = [local[ctx.ids].tolist() for ctx in ctxs]
    known: dict[str, list[int]] = {}  # each form with every word in the model, as its words' local ids
    for ctx, q in zip(ctxs, qs):
        for i, j, form, _ in phrase_forms(m, ctx):
            if min(q[i:j]) >= 0:
                known[form] = q[i:j]
    alone = m.phrase_fit_alone(lm, known)
    for ctx, q in zip(ctxs, qs):
        sent = ctx.doc.word_sentence  # a sentence's words share its index (``ctx.first`` marks where it changes)
        n, f = ctx.n, 0
        base = sum(n_forms)  # index of the document's first form over the block
        for i, j, form, _ in phrase_forms(m, ctx):
            obs = q[i:j]
            if min(obs) < 0:
                continue
            cands, cand_alone, obs_alone = alone[form]
            if cands:
                def ok(p: int) -> bool:  # a word of the same sentence, known to the model
                    return 0 <= p < n and sent[p] == sent[i] and q[p] >= 0

                left = [q[i - 2], q[i - 1]] if ok(i - 1) and ok(i - 2) else [q[i - 1]] if ok(i - 1) else []
                right = [q[j], q[j + 1]] if ok(j) and ok(j + 1) else [q[j]] if ok(j) else []
                k = len(left)
                hyp_obs += [run(left + obs + right, k)] * len(cands)
                hyp_cand += [run(left + c + right, k) for c in cands]
                hyp_alone += [obs_alone - a for a in cand_alone]
                hyp_form += [base + f] * len(cands)
            f += 1
        n_forms.append(f)
    out = [np.zeros(0) for _ in ctxs]
    if not hyp_form:
        return out
    total = _runs_logp(lm, runs, skip)
    gain = total[hyp_cand] - total[hyp_obs] + np.asarray(hyp_alone)
    offset = np.r_[0, np.cumsum(n_forms)]
    best = np.full(int(offset[-1]), -np.inf)
    np.maximum.at(best, np.asarray(hyp_form), gain)
    for d in range(len(ctxs)):
        g = best[offset[d] : offset[d + 1]]
        out[d] = g[np.isfinite(g)]
    return out


#: ``spin.lm_synonym_llr`` sums, over a document's words with synonyms, log((1 - s) + s * r(gain)): the
#: log-likelihood ratio of "a spinner swapped a share s of these words" against "none", where r is how much likelier
#: the word's synonym gain is at a swapped word than at a genuine one. log r is NO_GAIN_LOG_RATIO below a gain of 0
#: (or where the word is not looked at) and GAIN_LOG_RATIO[0] + GAIN_LOG_RATIO[1] * gain from 0 up to GAIN_CLIP
#: nats: fitted on BBC fit articles and their training-spinner copies by ``python -m scorer.training.synonym_gain``
#: (session 18; the binned log ratios lie close to that line).
SWAP_SHARE = 0.05
GAIN_LOG_RATIO = (-0.02, 0.47)
NO_GAIN_LOG_RATIO = -1.16
GAIN_CLIP = 10.0
#: Per word with synonyms, ``spin.lm_synonym_llr`` of the 211 BBC val articles (the mean of each one's: -0.0079):
#: what the feature reads where the trigram model stands aside (scientific register, tables missing).
TYPICAL_LLR_PER_WORD = -0.008
#: Only words that fit badly themselves, or after which the next word fits badly (PMI below this, nats), are given
#: candidates: a swap leaves one or the other, and it halves the lookups. On training-spinner copies of BBC val
#: articles the gains separated a little better with the filter than without (session 18).
SYNONYM_GAIN_MAX_FIT = 0.0


def synonym_gains(m: _Model, block: _Block, lm: trigram.TrigramLM, words: trigram.WordFit, pos: np.ndarray,
                  pmi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The block's words with synonyms (known to the model), and how much better each one's best synonym fits the
    trigram model there (``trigram.synonym_gain``: PMI with the two words before, plus the two words after); -inf for
    the words not looked at (they fit well, the span model's skip rules drop them, or no synonym is known to it).

    The question the issue asks of every word: is one of its synonyms far more usual here than the word that is
    there? A genuine writer's words are usually the best fit among their synonyms; a spinner's are not.
    """
    n = len(block.ids)
    own = np.full(n + 1, np.inf)  # each word's PMI with its history; inf where not scored
    own[pos] = pmi
    fit = np.minimum(own[:n], np.where(block.last, np.inf, own[1:]))  # the worse of its own and the next word's
    swappable = np.flatnonzero(block.has_synonyms & (words.q >= 0))
    gains = np.full(len(swappable), -np.inf)
    cand_pos = block.unskipped(m, swappable[fit[swappable] < SYNONYM_GAIN_MAX_FIT])
    if len(cand_pos):
        ids = block.ids[cand_pos]
        group, entry = _list_entries(m.sub_start[ids], m.sub_len[ids])
        cand = m.sub_cand[entry]
        local = lm.local[cand]
        keep = ~m.generic[cand] & (cand != ids[group]) & (local >= 0)  # never the word itself or its spelling twin
        if keep.any():
            gains[np.searchsorted(swappable, cand_pos)] = trigram.synonym_gain(lm, words, cand_pos, group[keep],
                                                                                local[keep])
    return swappable, gains


def word_synonym_gains(doc: Document) -> tuple[np.ndarray, np.ndarray]:
    """``synonym_gains`` of a document on its own (training and tests); empty without the trigram tables."""
    m, lm = model(), trigram.model()
    ctx = _Context(doc, m)
    if lm is None or ctx.n == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0)
    _, _, swappable, gains = _trigram_pass(m, lm, _Block.of([ctx]))
    return swappable, gains


def synonym_llr(gains: np.ndarray) -> float:
    """``spin.lm_synonym_llr`` from the gains of a document's words with synonyms (-inf: not looked at).

    A sum, not a mean: a light spinner's few swaps are evidence that adds up over a document rather than a shift of
    its average. Measured against the mean gain in its place (session 18, full retrains): BBC test spun copies
    labelled unreliable 93.1% -> 94.0%, evaluation spinner frequent@0.1 0.820 -> 0.829 (docs/spin.md).
    """
    a, b = GAIN_LOG_RATIO
    log_ratio = np.where(gains >= 0, a + b * np.minimum(gains, GAIN_CLIP), NO_GAIN_LOG_RATIO)
    return float(np.log1p(SWAP_SHARE * np.expm1(log_ratio)).sum())


#: Offset of the weak-evidence sum: spans with context-only log-odds above ``-_WEAK_ODDS`` count.
_WEAK_ODDS = 2.0
#: Context-only log-odds above which a single word counts as suspicious for ``original_elsewhere_rate``.
_ELSEWHERE_ODDS = -1.0


def single_words(si: np.ndarray, sj: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Which spans are one word and neither a filler nor a phrase entry: those a one-word original replaces."""
    return (sj - si == 1) & (x[:, _COL["is_filler"]] == 0) & (x[:, _COL["is_phrase"]] == 0)


def original_elsewhere_rate(m: _Model, ctx: _Context, si: np.ndarray, sj: np.ndarray, orig: list[str],
                            l1: np.ndarray, x: np.ndarray) -> float:
    """Per 100 words: suspicious single words whose best-fitting original occurs elsewhere in the document.

    A spinner swaps occurrences one at a time, so the original often survives nearby ("the
    minister ... the curate"); a writer who varies words does so far less often (measured in
    docs/spin.md).
    """
    if len(si) == 0:
        return 0.0
    suspicious = single_words(si, sj, x) & (l1 > _ELSEWHERE_ODDS)
    present = set(ctx.ids.tolist())
    present.discard(-1)  # words outside the vocabulary
    get = m.vocab.get
    hits = sum(get(orig[k], -1) in present for k in np.flatnonzero(suspicious).tolist())
    return 100.0 * hits / max(1, ctx.n)


def weak_pair_rate(ctx: _Context) -> float:
    """Share of adjacent in-sentence word pairs unattested in both tables (spun text has more)."""
    if ctx.n < 2:
        return 0.0
    inside = ~ctx.first[1:]
    total = int(inside.sum())
    return float(((ctx.att_left[1:] == 0) & inside).sum() / total) if total else 0.0


#: Mean PMI of the pairs :func:`common_pair_pmi` reads, pooled over genuine val articles (26,314 pairs; per
#: article median 3.93, sd 0.30), and the pseudo-pairs that shrink a short text's mean towards it.
PAIR_PMI_GENUINE = 3.95
PAIR_PMI_PSEUDO = 50.0


def common_pair_pmi(ctx: _Context, m: _Model) -> float:
    """Mean log P(b | a) / P(b) over adjacent in-sentence pairs of common words, one of which has synonyms.

    Spinners that pick frequent synonyms leave no rare word behind, but the swapped word rarely keeps
    its neighbour's collocation (``current account deficit`` -> ``current news want``). Pairs no
    synonym swap can touch are left out. Alone it separates 300 BBC test articles from the evaluation
    spinner's ``frequent`` style at rate 0.3 with AUC 0.88, and 2022-23 news (SummEdits sources) keeps
    the BBC mean (3.90 vs 3.89): the collocations of common words change little with the topic or era.
    Shrunk towards ``PAIR_PMI_GENUINE`` with ``PAIR_PMI_PSEUDO`` pairs.
    """
    if ctx.n < 2:
        return PAIR_PMI_GENUINE
    has = ctx.has_synonyms
    touched = has.copy()
    touched[1:] |= has[:-1]
    pairs = ~ctx.first & m.common[ctx.ids] & m.common[ctx.left] & touched  # the first word is always ``first``
    total = float(ctx.lp_left[pairs].sum() - m.log_uni[ctx.ids[pairs]].sum())
    return (total + PAIR_PMI_GENUINE * PAIR_PMI_PSEUDO) / (float(pairs.sum()) + PAIR_PMI_PSEUDO)


def unseen_bigram_rate(ctx: _Context, m: _Model) -> float:
    """Share of adjacent pairs of common words absent from both bigram tables."""
    if ctx.n < 2:
        return 0.0
    both = ~ctx.first[1:] & m.common[ctx.ids[1:]] & m.common[ctx.ids[:-1]]
    total = int(both.sum())
    return float(((ctx.att_left[1:] == 0) & both).sum() / total) if total else 0.0


# ---------------------------------------------------------------- scientific register (rule spin.science_pair)

#: Words of academic writing that news rarely uses (weight 1) and words both use, common in papers (weight
#: ``_WEAK_MARKER``). Chosen by hand, then checked on BBC train counts (a strong marker is rare there).
_STRONG_MARKERS = frozenset("""
    propose proposes proposing method methods methodology algorithm algorithms dataset datasets experiments
    experimental empirical empirically evaluate evaluated evaluation baseline baselines state-of-the-art demonstrate
    demonstrates hypothesis hypotheses parameter parameters theoretical theorem theorems lemma accuracy benchmark
    benchmarks neural optimization optimisation simulation simulations formulation respectively furthermore moreover
    thereby herein et al fig eq equation equations estimation estimator quantitative qualitative sampling metric
    metrics outperform outperforms framework frameworks architectures tasks convergence variables coefficient
    coefficients correlation statistically stochastic gradient probabilistic distributions inference classification
    classifier regression clustering supervised unsupervised representation representations analyses techniques
""".split())
_WEAK_MARKERS = frozenset("""
    paper papers proposed approach approaches model models results performance system systems learning training
    analysis data show shows shown technique network networks task prediction predictions significantly distribution
    novel experiment architecture outperformed improves improve improved efficient efficiency
""".split())
_WEAK_MARKER = 0.25
#: word -> weight of its register evidence (one dict lookup per word)
REGISTER_MARKERS: dict[str, float] = {**{w: 1.0 for w in _STRONG_MARKERS}, **{w: _WEAK_MARKER for w in _WEAK_MARKERS}}
#: Numbered citations (``[12]``, ``[3, 4]``, ``[5-7]``): one strong marker each.
_CITATION = re.compile(r"\[\d+(?:\s*[,\u2013-]\s*\d+)*\]")
#: Register evidence per word above which a text counts as scientific (BBC news stays under 0.015,
#: SummEdits' scientific abstracts over 0.021; docs/spin.md), and the least evidence in absolute terms.
REGISTER_THRESHOLD = 0.02
REGISTER_MIN = 1.0
#: A learned pair is used when its word's prior (log-odds of spinner output vs legitimate use in the PPS
#: train half's expected texts) reaches ``SCIENCE_PRIOR``, and the original's bigram fit to the neighbours
#: beats the observed word's by at least ``SCIENCE_GAIN`` (set on the two sentence frames, train half only).
SCIENCE_PRIOR = 0.5
#: A hint for a reviewer, not a defect: genuine abstracts get 16-28 of these per 1,000 words (ordinary
#: scientific words that spinners also produce), so by default they neither fail a gate nor read as warnings.
SCIENCE_SEVERITY = "info"
SCIENCE_GAIN = 0.0
#: Originals tried per word (the most frequent pairs first).
SCIENCE_MAX_ORIGINALS = 5
#: Longest run of adjacent flagged words whose originals are chosen together (5**3 combinations at most).
_JOINT_MAX = 3


def register_evidence(doc: Document) -> float:
    """Academic-register marker weight of the document (markers plus numbered citations)."""
    get = REGISTER_MARKERS.get
    units = sum(map(get, doc.lower, repeat(0.0)))
    if "[" in doc.text:
        units += len(_CITATION.findall(doc.text))
    return float(units)


def register_score(doc: Document) -> float:
    """Academic-register marker weight per word: 0 for most news, 0.02-0.2 for scientific abstracts."""
    return register_evidence(doc) / max(1, len(doc.words))


def is_science(doc: Document, config: SpinConfig = SpinConfig()) -> bool:
    """Whether the learned scientific pairs apply to this document (``SpinConfig.register``)."""
    if config.register != "auto":
        return config.register == "science"
    units = register_evidence(doc)
    return units >= REGISTER_MIN and units >= REGISTER_THRESHOLD * len(doc.words)


class SciencePairs:
    """The compiled pair table: observed word -> candidate originals, for words whose prior passes."""

    def __init__(self, path: Path) -> None:
        originals: dict[str, list[str]] = {}
        self.prior: dict[str, float] = {}
        lines = path.read_text(encoding="utf-8").splitlines()[1:]
        for line in lines:
            observed, original, _count, _out, _exp, prior = line.split("\t")
            self.prior[observed] = float(prior)
            if float(prior) >= SCIENCE_PRIOR:
                originals.setdefault(observed, []).append(original)
        #: observed -> originals, most frequent pair first (at most ``SCIENCE_MAX_ORIGINALS``)
        self.originals: dict[str, tuple[str, ...]] = {w: tuple(o[:SCIENCE_MAX_ORIGINALS]) for w, o in originals.items()}


@lru_cache(maxsize=1)
def science_pairs() -> SciencePairs:
    """Load ``models/spin/science_pairs.tsv`` once per process (built by ``scorer.training.build_science``)."""
    try:
        return SciencePairs(MODEL_DIR / "science_pairs.tsv")
    except FileNotFoundError as exc:  # pragma: no cover - build step missing
        raise ModelError(f"{MODEL_DIR} incomplete: run python -m scorer.training.build_science") from exc


def science_candidates(doc: Document, m: _Model, ctx: _Context, table: SciencePairs) -> list[tuple[int, str, float]]:
    """(word index, best original, context gain) of each word whose learned original fits its neighbours.

    Capitalised words inside a sentence are skipped: on the cross-fitted train half that leaves the recall as
    it was and cuts the counterparts flagged from 4.6% to 3.4% (docs/spin.md).

    gain = [log P(o | left) - log P(w | left)] + [log P(right | o) - log P(right | w)] in the spin
    detector's news + Google bigram model (right side only inside the sentence); kept where >= ``SCIENCE_GAIN``.
    """
    words, first = doc.words, ctx.first
    pos, cand = [], []
    for i, w in enumerate(doc.lower):
        origs = table.originals.get(w)
        if origs is None or (words[i][0].isupper() and (not first[i] or (len(w) > 1 and words[i].isupper()))):
            continue  # names, terms and acronyms (capitalised inside a sentence, or all capitals) are not swaps
        for o in origs:
            pos.append(i)
            cand.append(o)
    if not pos:
        return []
    p = np.array(pos, dtype=np.int64)
    get = m.vocab.get
    o_ids = np.fromiter((get(o, -1) for o in cand), dtype=np.int64, count=len(cand))
    left, right = ctx.left[p], ctx.right[p]
    has_right = right >= 0
    lp, _ = logp(m, np.r_[left, o_ids], np.r_[o_ids, right])
    k = len(p)
    # the observed word's own log P(w | left) and log P(right | w) are already the context's
    gain = lp[:k] - ctx.lp_left[p] + np.where(has_right, lp[k:] - ctx.lp_right[p], 0.0)
    best: dict[int, tuple[float, str]] = {}
    for i, o, g in zip(pos, cand, gain.tolist()):
        if i not in best or g > best[i][0]:
            best[i] = (g, o)
    return [(i, o, g) for i, (g, o) in best.items() if g >= SCIENCE_GAIN]


def joint_originals(m: _Model, ctx: _Context, first: int, options: list[tuple[str, ...]]) -> tuple[str, ...]:
    """The originals of adjacent flagged words ``first, first + 1, ...`` chosen together: the combination whose
    chain of bigrams, from the left neighbour to the right one, is most probable (``counterfeit consciousness``
    -> ``artificial intelligence``, where each word alone would pick what fits the *spun* neighbour)."""
    from itertools import product

    combos = list(product(*options))
    get = m.vocab.get
    ids = np.array([[get(o, -1) for o in c] for c in combos], dtype=np.int64)
    k = len(options)
    left = np.full((len(combos), 1), ctx.left[first], dtype=np.int64)
    chain = np.hstack([left, ids])
    a, b = chain[:, :-1].ravel(), chain[:, 1:].ravel()
    right = ctx.right[first + k - 1]
    if right >= 0:
        a = np.r_[a, ids[:, -1]]
        b = np.r_[b, np.full(len(combos), right, dtype=np.int64)]
    lp, _ = logp(m, a, b)
    total = lp[: len(combos) * k].reshape(len(combos), k).sum(1)
    if right >= 0:
        total += lp[len(combos) * k :]
    return combos[int(np.argmax(total))]


def science_message(text: str, original: str, gain: float) -> str:
    """Why a word was flagged by the scientific pairs."""
    return (f"'{text}' reads like a tortured phrase of scientific writing: spinners put it for '{original}' "
            f"(pairs learned from real spinner output), and '{original}' fits the neighbouring words at least as "
            f"well (log-likelihood {gain:+.1f})")


def science_findings(doc: Document, m: _Model, ctx: _Context, findings: list[Finding]) -> list[Finding]:
    """``findings`` plus ``spin.science_pair`` findings on words no finding covers, sorted by position.

    Adjacent flagged words of one sentence form one finding (``counterfeit consciousness`` ->
    ``artificial intelligence``): the suggestion is the span with each word replaced by its original.
    """
    hits = science_candidates(doc, m, ctx, science_pairs())
    if not hits:
        return findings
    taken = [(f.start, f.end) for f in findings]
    free = []
    for i, o, g in sorted(hits):
        s, e = doc.word_span(i)
        if not any(a < e and s < b for a, b in taken):
            free.append((i, s, e, o, g))
    groups: list[list[tuple[int, int, int, str, float]]] = []
    for h in free:
        if groups and groups[-1][-1][0] == h[0] - 1 and doc.word_sentence[h[0]] == doc.word_sentence[h[0] - 1]:
            groups[-1].append(h)
        else:
            groups.append([h])
    new = []
    table = science_pairs()
    for g in groups:
        start, end = g[0][1], g[-1][2]
        text = doc.text[start:end]
        if 1 < len(g) <= _JOINT_MAX:
            chosen = joint_originals(m, ctx, g[0][0], [table.originals[doc.lower[h[0]]] for h in g])
            g = [(i, s, e, o, gain) for (i, s, e, _o, gain), o in zip(g, chosen)]
        parts, at = [], start
        for _i, s, e, o, _g in g:
            parts += [doc.text[at:s], _match_case(o, doc.text[s:e])]
            at = e
        sugg = "".join(parts)
        original = " ".join(h[3] for h in g)
        new.append(Finding(family="spin", code="spin.science_pair", start=start, end=end, text=text,
                           message=science_message(text, original, min(h[4] for h in g)), suggestion=sugg,
                           severity=SCIENCE_SEVERITY))
    return sorted(findings + new, key=lambda f: (f.start, f.end))
