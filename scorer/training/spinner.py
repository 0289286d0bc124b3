"""Synthetic article spinners: training data for the spin family and the classifier.

Two deliberately different spinners:

* :func:`spin` (training): WordNet *synset* synonyms, chosen uniformly, in
  styles ``word`` (one-word synonyms), ``multiword`` (multi-word lemmas allowed,
  ``sit down`` -> ``take a seat``) and ``padding`` (``word`` plus filler adverbs
  after function words, ``and`` -> ``and also``).
* :func:`spin_eval` (evaluation only): a thesaurus-like source (synonyms plus
  similar-to, hypernym and hyponym lemmas) chosen by *frequency weight*, in
  styles ``frequent`` and ``thesaurus``. The document-level AUC is measured on
  this one, so the detector is never scored on the spinner it was tuned with.

Both are deterministic for a given ``seed`` and keep a record of every
substitution with its span in the spun text and the original wording.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

from scorer.document import Document

STYLES: tuple[str, ...] = ("word", "multiword", "padding")
#: Styles of the classifier's spun copies: ``STYLES`` (those the span model was fitted with) and ``common``,
#: one-word synset synonyms chosen in proportion to their frequency (a spinner that prefers plausible words).
CLASSIFIER_STYLES: tuple[str, ...] = (*STYLES, "common")
EVAL_STYLES: tuple[str, ...] = ("frequent", "thesaurus")
#: Filler adverbs the padding style inserts after these words.
PADDING = {"and": ("also",), "will": ("certainly",), "would": ("certainly",), "have": ("actually",), "has": ("actually",)}


@dataclass(frozen=True)
class Substitution:
    """One replacement: ``text`` is at ``start:end`` of the spun text."""

    start: int
    end: int
    text: str
    original: str


@dataclass(frozen=True)
class SpunText:
    text: str
    substitutions: tuple[Substitution, ...]


@lru_cache(maxsize=1)
def _vocab() -> frozenset[str]:
    import wordfreq

    return frozenset(wordfreq.top_n_list("en", 60_000))


@lru_cache(maxsize=1)
def _stop() -> frozenset[str]:
    import wordfreq

    return frozenset(wordfreq.top_n_list("en", 120))


@lru_cache(maxsize=2)
def _table(thesaurus: bool) -> dict[str, tuple[str, ...]]:
    """Surface word -> replacement surface forms in the same inflection."""
    from scorer.training.build_spin import THESAURUS_POINTERS, read_wordnet, realize, surface_forms

    synsets, index = read_wordnet()
    vocab = set(_vocab())
    out: dict[str, tuple[str, ...]] = {}
    for form, analyses in surface_forms(vocab).items():
        if " " in form:
            continue
        reps: list[str] = []
        for lemma, pos, tag in analyses:
            for sid in index.get((lemma, pos), ())[:3]:
                reach = [sid]
                if thesaurus:
                    reach += [t for sym, t in synsets[sid].related if sym in THESAURUS_POINTERS][:6]
                for tid in reach:
                    for other in synsets[tid].lemmas:
                        if other != lemma:
                            reps.extend(r for r in realize(other, pos, tag, vocab) if r != form and r not in reps)
        if reps:
            out[form] = tuple(reps)
    return out


@lru_cache(maxsize=200_000)
def _zipf(w: str) -> float:
    import wordfreq

    return wordfreq.zipf_frequency(w, "en")


def _eligible(word: str, low: str, sentence_start: bool) -> bool:
    if not low.isalpha() or low in _stop():
        return False
    return sentence_start or not word[:1].isupper()


def _case_like(rep: str, word: str) -> str:
    if word.isupper() and len(word) > 1:
        return rep.upper()
    if word[:1].isupper():
        return rep[:1].upper() + rep[1:]
    return rep


def _rewrite(text: str, choose, rate: float, seed: int, padding: bool) -> SpunText:
    """Walk the words once, replacing chosen ones, and rebuild text and spans."""
    rng = random.Random(seed)
    doc = Document(text)
    parts: list[str] = []
    subs: list[Substitution] = []
    pos = 0
    out_len = 0
    for i, (s, e) in enumerate(doc.word_spans):
        word, low = doc.words[i], doc.lower[i]
        start_of_sentence = i == 0 or doc.word_sentence[i - 1] != doc.word_sentence[i]
        rep = None
        if padding and low in PADDING and rng.random() < rate:
            rep = word + " " + rng.choice(PADDING[low])
        elif _eligible(word, low, start_of_sentence) and rng.random() < rate:
            r = choose(low, rng)
            if r is not None:
                rep = _case_like(r, word)
        if rep is None:
            continue
        parts.append(text[pos:s])
        out_len += s - pos
        subs.append(Substitution(out_len, out_len + len(rep), rep, word))
        parts.append(rep)
        out_len += len(rep)
        pos = e
    parts.append(text[pos:])
    return SpunText("".join(parts), tuple(subs))


def spin(text: str, *, rate: float, style: str, seed: int) -> SpunText:
    """Training spinner: WordNet synset synonyms at ``rate`` of eligible words, uniformly (``common``: in
    proportion to their frequency)."""
    if style not in CLASSIFIER_STYLES:
        raise ValueError(f"unknown style {style!r}; expected one of {CLASSIFIER_STYLES}")
    table = _table(False)
    multi = style == "multiword"
    common = style == "common"

    def choose(low: str, rng: random.Random) -> str | None:
        reps = table.get(low)
        if not reps:
            return None
        if not multi:
            reps = tuple(r for r in reps if " " not in r) or None
            if reps is None:
                return None
        if common:
            return rng.choices(reps, [10 ** _zipf(r) for r in reps])[0]
        return rng.choice(reps)

    return _rewrite(text, choose, rate, seed, padding=style == "padding")


def spin_eval(text: str, *, rate: float, style: str, seed: int) -> SpunText:
    """Evaluation spinner: thesaurus relations, choice weighted by word frequency."""
    if style not in EVAL_STYLES:
        raise ValueError(f"unknown style {style!r}; expected one of {EVAL_STYLES}")
    table = _table(True)
    sharp = 2.0 if style == "frequent" else 0.5

    def choose(low: str, rng: random.Random) -> str | None:
        reps = table.get(low)
        if not reps:
            return None
        weights = [10 ** (sharp * _zipf(r) / 2) for r in reps]
        return rng.choices(reps, weights)[0]

    return _rewrite(text, choose, rate, seed, padding=False)


def inverse_table(owners, listed) -> dict[str, tuple[str, ...]]:
    """Listed word -> the words whose list holds it (parallel arrays of spin vocabulary ids), in list order."""
    from scorer import spin as detector

    words = detector.model().words
    inv: dict[str, list[str]] = {}
    for o, c in zip(owners.tolist(), listed.tolist()):
        inv.setdefault(words[c], []).append(words[o])
    return {k: tuple(v) for k, v in inv.items()}


def spin_from_table(text: str, table: dict[str, tuple[str, ...]], *, rate: float, seed: int) -> SpunText:
    """A word replaced by one of the forms ``table`` gives for it, chosen uniformly (the ranker's training spinners)."""

    def choose(low: str, rng: random.Random) -> str | None:
        reps = table.get(low)
        return rng.choice(reps) if reps else None

    return _rewrite(text, choose, rate, seed, padding=False)


@lru_cache(maxsize=1)
def _inverse_suggestions() -> dict[str, tuple[str, ...]]:
    """Original word -> the surface forms whose compiled suggestion candidates list it (``scorer.spin``)."""
    import numpy as np

    from scorer import spin as detector

    m = detector.model()
    return inverse_table(np.repeat(np.arange(len(m.sug_len)), m.sug_len), m.sug_cand)


def spin_wide(text: str, *, rate: float, seed: int) -> SpunText:
    """Ranker-training spinner: any surface form whose suggestion candidates hold the word, chosen uniformly.

    It inverts the detector's own wide candidate map, so every relation the suggestion
    ranker can propose (one step, two steps, hypernyms) occurs as a true original; the
    ranker then learns how far to trust context and frequency rather than one relation type.
    Used only to fit the suggestion ranker (``scorer.training.spin_model.fit_suggestions``).
    """
    return spin_from_table(text, _inverse_suggestions(), rate=rate, seed=seed)


@lru_cache(maxsize=1)
def _inverse_general() -> dict[str, tuple[str, ...]]:
    """General word -> the surface forms whose suggestion candidates list it as a hypernym ancestor."""
    import numpy as np

    from scorer import spin as detector

    m = detector.model()
    up = (m.sug_rel & 2) > 0
    return inverse_table(np.repeat(np.arange(len(m.sug_len)), m.sug_len)[up], m.sug_cand[up])


def spin_general(text: str, *, rate: float, seed: int) -> SpunText:
    """Ranker-training spinner: a word is replaced by a more specific form (a troponym or hyponym).

    Real spinners' thesauri list troponyms of a common word (``said`` -> ``claimed``), so the
    original is often the more general word; ``spin_wide`` rarely produces that direction.
    Uniform choice; used only to fit the suggestion ranker.
    """
    return spin_from_table(text, _inverse_general(), rate=rate, seed=seed)
