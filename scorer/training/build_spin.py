"""Compile the spin detector's resources into ``models/spin/``.

``python -m scorer.training.build_spin``

Sources (all offline): WordNet 3.0 data files at ``/usr/share/wordnet``
(synsets, exception lists), ``wordfreq`` (general word frequencies),
``symspellpy``'s unigram and bigram lists (Google n-gram counts), and word
and bigram counts from the genuine TRAIN split only (``genuine_split('train')``).
No source text is stored: only counts, the compiled synonym map and a
provenance file.

The compiled synonym map inverts what a spinner does. A spinner replaces a
word ``s`` by a WordNet synonym ``w`` in the same inflection; the detector
sees ``w`` and needs the candidate originals ``s``. WordNet synonymy is
symmetric inside a synset, so the candidates of a surface form are the other
members of its synsets, re-inflected like it (``claimed`` -> ``said``,
``took a seat`` -> ``sat down``).
"""
from __future__ import annotations

import json
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from scorer.data import REPO

WORDNET_DIR = Path("/usr/share/wordnet")
#: Aiksaurus thesaurus data (Debian ``libaiksaurus-1.2-data``, GPL-2+; a general thesaurus of Moby lineage):
#: read at build time only, for the suggestion candidates. The build runs without it (WordNet only).
AIKSAURUS_DIR = Path("/usr/share/aiksaurus")
OUT_DIR = REPO / "models" / "spin"
#: The compiled artifacts (no pickles: numpy arrays loaded with ``allow_pickle=False`` and gzipped text).
ARRAYS_FILE = "spin_arrays.npz"
VOCAB_FILE = "vocab.txt.gz"
PHRASES_FILE = "phrase_subs.tsv.gz"
FILLERS_FILE = "fillers.txt"
POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
#: WordNet relations a spinner's thesaurus folds into "synonyms", with the
#: log-penalty the detector gives a candidate reached through them: similar-to,
#: verb group, also-see, hypernym, hyponym.
THESAURUS_POINTERS = {"&": 0.5, "$": 0.5, "^": 1.0, "@": 1.0, "~": 1.5}
#: Cost of a verb's hypernym-of-hypernym (``claimed`` -> ``said``).
TWO_STEP_COST = 1.6
#: Fewest general-frequency zipf a candidate original needs (originals are ordinary news words).
MIN_ORIGINAL_ZIPF = 3.0
#: Fewest zipf for a surface form to be looked up at all.
MIN_SURFACE_ZIPF = 1.0
#: A candidate original may be at most this much rarer (zipf) than the word it would explain.
MAX_ZIPF_DROP = 0.5
#: Candidate originals kept per surface form (most frequent first).
MAX_CANDIDATES = 10
#: Suggestion-only candidates (``compile_suggestions``): relations two steps away, with their summed costs.
#: They are offered only as the suggested original of an already flagged word, never to detect one.
SUGGEST_EXTRA_COST = 0.5
#: Fewest zipf of a suggestion-only candidate (spinners' victims are ordinary news words).
SUGGEST_MIN_ZIPF = 3.5
#: Suggestion candidates kept per surface form (cheapest-and-most-frequent first).
SUGGEST_MAX = 40
#: Relation cost of a candidate found only through a shared Aiksaurus meaning group (a general
#: thesaurus: the kind of list real spinners draw from; ``partnership`` -> ``alliance``).
AIKSAURUS_COST = 1.0
#: Extra suggestion candidates kept per surface form from Aiksaurus (beyond ``SUGGEST_MAX``).
AIKSAURUS_MAX = 20
#: Longest surface phrase, in words.
MAX_PHRASE = 3
#: Genuine bigrams seen fewer times than this are not stored.
MIN_NEWS_BIGRAM = 1


@dataclass(frozen=True)
class Synset:
    """One WordNet synset: part of speech, lemmas (lower case, spaces), gloss."""

    pos: str
    lemmas: tuple[str, ...]
    gloss: str
    #: (pointer symbol, target synset id) for the relations a thesaurus folds in.
    related: tuple[tuple[str, int], ...] = ()


# ---------------------------------------------------------------- WordNet


@lru_cache(maxsize=1)
def read_wordnet(root: Path = WORDNET_DIR) -> tuple[tuple[Synset, ...], dict[tuple[str, str], tuple[int, ...]]]:
    """All synsets, and (lemma, pos) -> synset ids in WordNet's sense order.

    Reads the data and index files directly (NLTK's reader needs ``lexnames``,
    which the Debian packages lack).
    """
    synsets: list[Synset] = []
    by_offset: dict[tuple[str, int], int] = {}
    raw_ptrs: list[list[tuple[str, str, int]]] = []
    for pos, name in POS_FILES.items():
        with open(root / f"data.{name}", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("  "):
                    continue
                head, _, gloss = line.partition(" | ")
                parts = head.split()
                n = int(parts[3], 16)
                lemmas = []
                for k in range(n):
                    lem = parts[4 + 2 * k].lower()
                    lem = re.sub(r"\([a-z]+\)$", "", lem).replace("_", " ")
                    if lem not in lemmas:
                        lemmas.append(lem)
                k = 4 + 2 * n
                ptrs = []
                for _ in range(int(parts[k])):
                    sym, off, p = parts[k + 1], parts[k + 2], parts[k + 3]
                    k += 4
                    if sym in THESAURUS_POINTERS:
                        ptrs.append((sym, "a" if p == "s" else p, int(off)))
                by_offset[(pos, int(parts[0]))] = len(synsets)
                raw_ptrs.append(ptrs)
                synsets.append(Synset(pos, tuple(lemmas), gloss.strip()))
    synsets = [
        Synset(ss.pos, ss.lemmas, ss.gloss, tuple((sym, by_offset[(p, o)]) for sym, p, o in ptrs))
        for ss, ptrs in zip(synsets, raw_ptrs)
    ]
    index: dict[tuple[str, str], tuple[int, ...]] = {}
    for pos, name in POS_FILES.items():
        with open(root / f"index.{name}", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("  "):
                    continue
                parts = line.split()
                lemma = parts[0].replace("_", " ")
                n_sense = int(parts[2])
                offsets = parts[-n_sense:]
                index[(lemma, pos)] = tuple(by_offset[(pos, int(o))] for o in offsets)
    return tuple(synsets), index


@lru_cache(maxsize=1)
def exceptions(root: Path = WORDNET_DIR) -> dict[str, list[tuple[str, str]]]:
    """Irregular inflections: base -> [(pos, inflected form)] from the ``.exc`` files."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pos, name in POS_FILES.items():
        path = root / f"{name}.exc"
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split()
            if len(parts) >= 2:
                for base in parts[1:]:
                    out[base.replace("_", " ")].append((pos, parts[0].replace("_", " ")))
    return dict(out)


def read_aiksaurus(root: Path = AIKSAURUS_DIR) -> tuple[tuple[str, ...], ...]:
    """Aiksaurus meaning groups as tuples of lower-case entries (spaces for ``:``); empty without the data.

    ``words.dat``: NUL-terminated word, then its meaning ids (big-endian uint16) up to ``0xffff``;
    ``meanings.dat``: per meaning, word ids (uint16) up to ``0xffff``. Words are numbered in file order.
    """
    import numpy as np

    if not (root / "words.dat").exists():
        return ()
    raw = (root / "words.dat").read_bytes()
    words: list[str] = []
    i = 0
    while i < len(raw):
        j = raw.index(b"\0", i)
        words.append(raw[i:j].decode("latin-1").replace(":", " ").lower())
        i = j + 1
        while raw[i : i + 2] != b"\xff\xff":
            i += 2
        i += 2
    ids = np.frombuffer((root / "meanings.dat").read_bytes(), dtype=">u2").astype(np.int64)
    ends = np.flatnonzero(ids == 0xFFFF)
    groups = []
    for a, b in zip(np.r_[0, ends[:-1] + 1], ends):
        groups.append(tuple(dict.fromkeys(words[k] for k in ids[a:b].tolist())))
    return tuple(groups)


@lru_cache(maxsize=1)
def aiksaurus_neighbours(root: Path = AIKSAURUS_DIR) -> dict[str, dict[str, int]]:
    """Entry -> {one-word entry sharing an Aiksaurus meaning group with it: number of groups shared}.

    The count measures closeness: near-synonyms share several meanings (``ally``/``supporter``).
    """
    out: dict[str, Counter] = defaultdict(Counter)
    for g in read_aiksaurus(root):
        one = [w for w in g if " " not in w and w.isalpha()]
        for w in g:
            out[w].update(o for o in one if o != w)
    return {w: dict(v) for w, v in out.items()}


_VOWELS = set("aeiou")


def _double(word: str) -> bool:
    """Whether a final consonant doubles before -ed/-ing (stop -> stopped)."""
    return (
        len(word) >= 3
        and word[-1] not in _VOWELS | {"w", "x", "y"}
        and word[-2] in _VOWELS
        and word[-3] not in _VOWELS
    )


def inflect_word(word: str, pos: str, tag: str) -> list[str]:
    """Regular inflections of one word (several spellings; the vocabulary decides)."""
    if tag == "base":
        return [word]
    w = word
    if pos == "n" and tag == "pl":
        if w.endswith(("s", "x", "z", "ch", "sh")):
            return [w + "es"]
        if w.endswith("y") and len(w) > 1 and w[-2] not in _VOWELS:
            return [w[:-1] + "ies"]
        if w.endswith("man"):
            return [w[:-3] + "men", w + "s"]
        return [w + "s"]
    if pos == "v":
        if tag == "3sg":
            if w.endswith(("s", "x", "z", "ch", "sh", "o")):
                return [w + "es"]
            if w.endswith("y") and len(w) > 1 and w[-2] not in _VOWELS:
                return [w[:-1] + "ies"]
            return [w + "s"]
        if tag == "ed":
            if w.endswith("e"):
                return [w + "d"]
            if w.endswith("y") and len(w) > 1 and w[-2] not in _VOWELS:
                return [w[:-1] + "ied"]
            return [w + "ed", w + w[-1] + "ed"] if _double(w) else [w + "ed"]
        if tag == "ing":
            if w.endswith("ie"):
                return [w[:-2] + "ying"]
            if w.endswith("e") and not w.endswith(("ee", "ye", "oe")):
                return [w[:-1] + "ing"]
            return [w + "ing", w + w[-1] + "ing"] if _double(w) else [w + "ing"]
    if pos == "a" and tag in ("er", "est"):
        suf = tag
        if w.endswith("e"):
            return [w + suf[1:]]
        if w.endswith("y") and len(w) > 1 and w[-2] not in _VOWELS:
            return [w[:-1] + "i" + suf]
        return [w + suf, w + w[-1] + suf] if _double(w) else [w + suf]
    return []


TAGS = {"n": ("base", "pl"), "v": ("base", "3sg", "ed", "ing"), "a": ("base", "er", "est"), "r": ("base",)}


def realize(lemma: str, pos: str, tag: str, vocab: set[str]) -> list[str]:
    """Surface forms of ``lemma`` with inflection ``tag`` whose words are in ``vocab``."""
    words = lemma.split()
    head = 0 if pos == "v" else len(words) - 1
    forms = set()
    if tag == "base":
        forms.add(words[head])
    else:
        forms.update(inflect_word(words[head], pos, tag))
        for p, form in exceptions().get(words[head], ()):
            if p != pos:
                continue
            if pos == "v":
                t = "ing" if form.endswith("ing") else ("3sg" if form.endswith("s") and not form.endswith("ss") else "ed")
            elif pos == "n":
                t = "pl"
            else:
                t = "er" if form.endswith("er") else ("est" if form.endswith("est") else "base")
            if t == tag:
                forms.add(form)
    out = []
    for f in sorted(forms):  # sorted: set order varies with the string hash seed
        if f not in vocab:
            continue
        toks = words[:head] + [f] + words[head + 1 :]
        if all(t in vocab for t in toks):
            out.append(" ".join(toks))
    return out


# ---------------------------------------------------------------- counts


def tokens_of(text: str) -> list[list[str]]:
    """Lower-cased word tokens per sentence, via the shared Document pass."""
    from scorer.document import Document

    doc = Document(text)
    return [[doc.lower[i] for i in idx] for idx in doc.sentence_words]


def news_counts(texts) -> tuple[Counter, Counter]:
    """Unigram and bigram counts (bigram key ``"a b"``; ``<s>`` marks a sentence start)."""
    uni: Counter = Counter()
    big: Counter = Counter()
    for text in texts:
        for sent in tokens_of(text):
            uni.update(sent)
            uni["<s>"] += 1
            prev = "<s>"
            for t in sent:
                big[prev + " " + t] += 1
                prev = t
    return uni, big


def onestop_texts() -> list[str]:
    """OneStopEnglish news texts (all three levels): more genuine news English for the counts."""
    from scorer.data import data_dir

    out = []
    for path in sorted((data_dir() / "readability" / "onestopenglish").glob("*/*.txt")):
        raw = path.read_bytes()
        try:
            out.append(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            out.append(raw.decode("cp1252"))
    return out


def symspell_counts() -> tuple[dict[str, int], dict[str, int]]:
    """Google n-gram unigram and bigram counts shipped with symspellpy."""
    import symspellpy

    root = Path(symspellpy.__file__).parent
    uni: dict[str, int] = {}
    for line in (root / "frequency_dictionary_en_82_765.txt").read_text().splitlines():
        w, c = line.split()
        uni[w] = int(c)
    big: dict[str, int] = {}
    for line in (root / "frequency_bigramdictionary_en_243_342.txt").read_text().splitlines():
        a, b, c = line.split()
        big[a + " " + b] = int(c)
    return uni, big


# ---------------------------------------------------------------- compile


def build_vocab(news_uni: Counter) -> set[str]:
    import wordfreq

    vocab = set(wordfreq.top_n_list("en", 100_000))
    vocab.update(w for w, c in news_uni.items() if c >= 2 and w.isalpha())
    return vocab


def surface_forms(vocab: set[str]) -> dict[str, list[tuple[str, str, str]]]:
    """Every surface form (1-3 words) -> its analyses (lemma, pos, tag)."""
    synsets, index = read_wordnet()
    out: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for (lemma, pos) in index:
        if len(lemma.split()) > MAX_PHRASE:
            continue
        for tag in TAGS[pos]:
            for form in realize(lemma, pos, tag, vocab):
                out[form].append((lemma, pos, tag))
    return out


@lru_cache(maxsize=None)
def zipf(phrase: str) -> float:
    """Zipf frequency of a word or phrase (cached: the build asks for the same forms many times)."""
    import wordfreq

    return wordfreq.zipf_frequency(phrase, "en")


def compile_substitutions(vocab: set[str], news_uni: Counter) -> dict[str, tuple[tuple[str, float], ...]]:
    """surface form -> ((candidate original, cost in nats), ...), cheapest first.

    The cost grows with the distance of the relation (synonym < similar <
    hypernym < hyponym) and with the sense rank of the shared sense.
    """
    synsets, index = read_wordnet()
    forms = surface_forms(vocab)
    z = zipf
    out: dict[str, tuple[tuple[str, float], ...]] = {}
    for form, analyses in forms.items():
        if z(form) < MIN_SURFACE_ZIPF and news_uni.get(form, 0) == 0:
            continue
        cands: dict[str, float] = {}
        zf = z(form)
        for lemma, pos, tag in analyses:
            for rank, sid in enumerate(index.get((lemma, pos), ())):
                reach = [(sid, 0.0)] + [(t, THESAURUS_POINTERS[sym]) for sym, t in synsets[sid].related]
                if pos == "v":  # claim -> assert -> say: spinners' thesauri reach two levels up for verbs
                    reach += [(t2, TWO_STEP_COST) for sym, t in synsets[sid].related if sym == "@"
                              for sym2, t2 in synsets[t].related if sym2 == "@"]
                for tid, penalty in reach:
                    for other in synsets[tid].lemmas:
                        if other == lemma:
                            continue
                        for f2 in realize(other, pos, tag, vocab):
                            if f2 == form or z(f2) < max(MIN_ORIGINAL_ZIPF, zf - MAX_ZIPF_DROP):
                                continue
                            cost = penalty + 0.1 * min(rank, 5)
                            cands[f2] = min(cands.get(f2, 99.0), cost)
        if cands:
            best = sorted(cands, key=lambda c: cands[c] - z(c))[:MAX_CANDIDATES]
            out[form] = tuple((c, round(cands[c], 3)) for c in best)
    return out


#: Relation kinds of a suggestion candidate (bits of ``sug_rel``): same synset, a hypernym ancestor of the
#: observed word's synset (more general: ``claimed`` -> ``said``), a hyponym descendant (more specific),
#: a co-hyponym (a sibling under one hypernym). Real spinners' thesauri list troponyms and near synonyms
#: of a common word, so the original is often the more general one.
REL_SYNONYM, REL_GENERAL, REL_SPECIFIC, REL_SIBLING = 1, 2, 4, 8


def _path_kind(path: str) -> int:
    """``REL_*`` bit of a pointer path (``"@@"``: hypernym of hypernym); 0 for mixed paths."""
    if path and set(path) == {"@"}:
        return REL_GENERAL
    if path and set(path) == {"~"}:
        return REL_SPECIFIC
    return REL_SIBLING if path == "@~" else 0


def _reach_two(synsets, sid: int, pos: str) -> list[tuple[int, float, int]]:
    """Synsets within two thesaurus steps of ``sid`` (co-hyponyms included), with summed pointer costs
    and the ``REL_*`` kind of the path.

    Verbs also reach three hypernym levels up (``claim`` -> ``affirm`` -> ``declare`` -> ``say``).
    """
    one = [(t, THESAURUS_POINTERS[sym], sym) for sym, t in synsets[sid].related]
    out = [(t, c, _path_kind(sym)) for t, c, sym in one]
    for t, c, sym in one:
        out += [(t2, c + THESAURUS_POINTERS[sym2] + SUGGEST_EXTRA_COST, _path_kind(sym + sym2))
                for sym2, t2 in synsets[t].related if t2 != sid]
    if pos == "v":
        for sym, t in synsets[sid].related:
            if sym != "@":
                continue
            for sym2, t2 in synsets[t].related:
                if sym2 != "@":
                    continue
                out += [(t3, 3.0 + SUGGEST_EXTRA_COST, REL_GENERAL) for sym3, t3 in synsets[t2].related if sym3 == "@"]
    return out


def compile_suggestions(vocab: set[str], subs: dict) -> tuple[dict[str, tuple[tuple[str, float], ...]], dict[tuple[str, str], int],
                                                               dict[tuple[str, str], int]]:
    """One-word surface form -> a wider set of candidate originals, for the *suggestion* of a flagged word.

    Real spinners' thesauri link words WordNet puts two steps apart (``army`` ->
    ``military``, ``polite`` -> ``diplomatic``, ``claimed`` -> ``said``) or not at all
    (``partnership`` -> ``alliance``). Testing all of those for detection would multiply
    spurious fits; once a word is flagged, the context ranks them (``scorer.spin.suggest``).
    Sources: WordNet within two steps (``SUGGEST_MAX`` kept), then members of the form's
    lemmas' Aiksaurus meaning groups re-inflected like it (``AIKSAURUS_MAX`` more kept: most groups
    shared first, then most frequent).
    Also returns the (form, candidate) pairs linked by Aiksaurus (a ranker feature): 1 where WordNet
    links them too, 2 where only Aiksaurus does; and the WordNet relation kinds of each (form, candidate)
    pair (``REL_*`` bits, OR over all paths; a ranker feature).
    """
    synsets, index = read_wordnet()
    forms = surface_forms(vocab)
    thes = aiksaurus_neighbours()
    z = zipf
    out: dict[str, tuple[tuple[str, float], ...]] = {}
    linked: dict[tuple[str, str], int] = {}
    kinds: dict[tuple[str, str], int] = {}
    for form, analyses in forms.items():
        if " " in form or form not in subs:
            continue
        cands: dict[str, float] = {c: k for c, k in subs.get(form, ()) if " " not in c}
        for lemma, pos, tag in analyses:
            for rank, sid in enumerate(index.get((lemma, pos), ())[:6]):
                for tid, penalty, kind in [(sid, 0.0, REL_SYNONYM)] + _reach_two(synsets, sid, pos):
                    for other in synsets[tid].lemmas:
                        if other == lemma or " " in other:
                            continue
                        for f2 in realize(other, pos, tag, vocab):
                            if f2 == form or z(f2) < SUGGEST_MIN_ZIPF:
                                continue
                            cost = penalty + 0.1 * min(rank, 5)
                            cands[f2] = min(cands.get(f2, 99.0), cost)
                            if kind:
                                kinds[(form, f2)] = kinds.get((form, f2), 0) | kind
        best = sorted(cands, key=lambda c: (cands[c] - z(c), c))[:SUGGEST_MAX]
        extra: dict[str, int] = {}  # Aiksaurus-only candidate -> groups shared (closest first)
        for lemma, pos, tag in analyses:
            for other, shared in sorted(thes.get(lemma, {}).items()):
                for f2 in realize(other, pos, tag, vocab):
                    if f2 != form and z(f2) >= SUGGEST_MIN_ZIPF:
                        linked[(form, f2)] = 1 if f2 in cands else 2
                        if f2 not in best:
                            extra[f2] = max(extra.get(f2, 0), shared)
        best += sorted(extra, key=lambda c: (-extra[c], -z(c), c))[:AIKSAURUS_MAX]
        if best:
            out[form] = tuple((c, round(cands.get(c, AIKSAURUS_COST), 3)) for c in best)
    return out, linked, kinds


#: Least zipf frequency of an adverb that may be tested as a filler insertion.
MIN_FILLER_ZIPF = 4.3
#: Adverbs that change meaning when inserted: never tested as fillers.
NOT_FILLERS = frozenset({"not", "no", "never", "only", "again", "back", "up", "down", "out", "off", "away", "in", "on"})
#: Adverbs that are also prepositions or connectives (WordNet lists them as adverbs): they carry
#: structure, so deleting them is no test of padding; and chat spellings.
STRUCTURAL = frozenset(
    "across along alongside before below besides between beyond but by either hence however instead needs non "
    "once rather though throughout too twice within yet therefore bc kinda yeah".split()
)


def compile_fillers() -> list[str]:
    """Frequent one-word, adverb-only WordNet lemmas: what a spinner pads with (``and`` -> ``and also``)."""
    synsets, index = read_wordnet()
    other = {lemma for (lemma, pos) in index if pos != "r"}
    out = {lemma for (lemma, pos) in index if pos == "r" and " " not in lemma and lemma.isalpha() and lemma not in other}
    return sorted(w for w in out if w not in NOT_FILLERS | STRUCTURAL and zipf(w) >= MIN_FILLER_ZIPF)


def vocabulary(*sources) -> list[str]:
    """Sorted union of the words of all count tables and synonym entries (id = line number)."""
    words: set[str] = set()
    for src in sources:
        for key in src:
            words.update(key.split(" "))
    words.discard("")
    return sorted(words)


def bigram_table(vocab_id: dict[str, int], news_big: dict, g_big: dict):
    """Sorted uint64 keys ``id(a) << 32 | id(b)`` with parallel news and Google counts."""
    import numpy as np

    keys = {}
    for k in list(news_big) + list(g_big):
        a, b = k.split(" ")
        keys[k] = (vocab_id[a] << 32) | vocab_id[b]
    items = sorted(keys.items(), key=lambda kv: kv[1])
    big_keys = np.array([v for _, v in items], dtype=np.uint64)
    big_news = np.array([news_big.get(k, 0) for k, _ in items], dtype=np.uint32)
    big_google = np.array([g_big.get(k, 0) for k, _ in items], dtype=np.float32)
    return big_keys, big_news, big_google


def _csr(rows: dict[int, list[tuple[int, float]]], n: int):
    """Rows of (candidate id, cost) per vocabulary id as CSR arrays: pointers, candidate ids, costs."""
    import numpy as np

    ptr = np.zeros(n + 1, dtype=np.int64)
    cand_ids: list[int] = []
    costs: list[float] = []
    for v in range(n):
        row = rows.get(v, ())
        cand_ids.extend(c for c, _ in row)
        costs.extend(k for _, k in row)
        ptr[v + 1] = len(cand_ids)
    return ptr, np.array(cand_ids, dtype=np.int32), np.array(costs, dtype=np.float16)


def suggestion_csr(sugg: dict, vocab_id: dict[str, int], linked: dict[tuple[str, str], int] | None = None,
                   kinds: dict[tuple[str, str], int] | None = None):
    """One-word form -> suggestion candidates (one word each) as CSR arrays over the vocabulary.

    Also two parallel ``uint8`` arrays per candidate: the Aiksaurus flag (0 no link, 1 linked in
    Aiksaurus and WordNet, 2 in Aiksaurus only) and the WordNet relation kinds (``REL_*`` bits)
    (``compile_suggestions``).
    """
    linked = linked or {}
    kinds = kinds or {}
    import numpy as np

    kept = {vocab_id[f]: [(c, k) for c, k in cs if c in vocab_id] for f, cs in sugg.items() if f in vocab_id}
    rows = {v: [(vocab_id[c], k) for c, k in cs] for v, cs in kept.items()}
    words = {v: f for f, v in vocab_id.items()}
    flags = [linked.get((words[v], c), 0) for v in sorted(kept) for c, _ in kept[v]]
    rel = [kinds.get((words[v], c), 0) for v in sorted(kept) for c, _ in kept[v]]
    return (*_csr(rows, len(vocab_id)), np.array(flags, dtype=np.uint8), np.array(rel, dtype=np.uint8))


def split_subs(subs: dict, vocab_id: dict[str, int]):
    """One-word forms -> one-word originals as CSR arrays; phrase forms (``took a seat``) as TSV rows."""
    rows: dict[int, list[tuple[int, float]]] = {}
    phrases: dict[str, list[tuple[str, float]]] = {}
    for form, cands in subs.items():
        for cand, cost in cands:
            if " " in form:
                phrases.setdefault(form, []).append((cand, cost))
            elif " " in cand:
                continue  # one word spun from a phrase: rare, and costly to test everywhere
            else:
                rows.setdefault(vocab_id[form], []).append((vocab_id[cand], cost))
    return (*_csr(rows, len(vocab_id)), phrases)


def _gzip(text: str) -> bytes:
    """Gzip with a zero timestamp, so that a rebuild gives the same bytes."""
    import gzip

    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def write_resources(out_dir: Path, news_uni: Counter, news_big: dict, g_uni: dict, g_big: dict,
                    subs: dict, fillers: list[str], sugg: dict | None = None,
                    linked: dict[tuple[str, str], int] | None = None,
                    kinds: dict[tuple[str, str], int] | None = None) -> dict[str, int]:
    """Write the arrays (``.npz``), the vocabulary and the phrase entries (gzipped text)."""
    import numpy as np

    vocab = vocabulary(news_uni, g_uni, news_big, g_big, subs, {c for cs in subs.values() for c, _ in cs}, fillers)
    vocab_id = {w: k for k, w in enumerate(vocab)}
    big_keys, big_news, big_google = bigram_table(vocab_id, news_big, g_big)
    ptr, cand, cost, phrases = split_subs(subs, vocab_id)
    sug_ptr, sug_cand, sug_cost, sug_thes, sug_rel = suggestion_csr(sugg or {}, vocab_id, linked, kinds)
    uni_news = np.array([news_uni.get(w, 0) for w in vocab], dtype=np.uint32)
    uni_google = np.array([g_uni.get(w, 0) for w in vocab], dtype=np.float64)
    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out_dir / ARRAYS_FILE,
        uni_news=uni_news,
        uni_google=uni_google,
        # keys are stored as differences (small numbers compress well); load with cumsum
        big_keys_delta=np.diff(big_keys, prepend=np.uint64(0)),
        big_news=big_news,
        big_google=big_google,
        sub_ptr=ptr,
        sub_cand=cand,
        sub_cost=cost,
        sug_ptr=sug_ptr,
        sug_cand=sug_cand,
        sug_cost=sug_cost,
        sug_thes=sug_thes,
        sug_rel=sug_rel,
    )
    (out_dir / VOCAB_FILE).write_bytes(_gzip("\n".join(vocab) + "\n"))
    lines = (form + "\t" + "\t".join(f"{c}|{k:g}" for c, k in phrases[form]) + "\n" for form in sorted(phrases))
    (out_dir / PHRASES_FILE).write_bytes(_gzip("".join(lines)))
    (out_dir / FILLERS_FILE).write_text("\n".join(fillers) + "\n", encoding="utf-8")
    return {"vocab": len(vocab), "bigrams": int(len(big_keys)), "single_subs": int(len(cand)), "phrase_forms": len(phrases),
            "suggestion_subs": int(len(sug_cand)), "suggestion_thesaurus_links": int((sug_thes > 0).sum()),
            "suggestion_thesaurus_only": int((sug_thes == 2).sum()),
            "suggestion_more_general": int(((sug_rel & REL_GENERAL) > 0).sum())}


# ---------------------------------------------------------------- class-based context (suggestion ranker)


def context_counts(texts, vocab: dict[str, int], known: frozenset[str], n_words: int) -> dict[str, "np.ndarray"]:
    """Per vocabulary id: occurrences (``total``) and occurrences in each ``spin.CONTEXT_CLASSES`` context
    (after a name-like word, after a closing quote, before a sentence end, a comma, a closing quote), by the
    same test the ranker applies at run time (``spin.context_flags``). ``vocab``: lower-cased word -> id
    (``spin._Model.vocab``, spelling twins folded); ``known``: ``_Model.news_known``."""
    import numpy as np

    from scorer import spin
    from scorer.document import Document

    total = np.zeros(n_words, dtype=np.int64)
    counts = np.zeros((n_words, len(spin.CONTEXT_CLASSES)), dtype=np.int64)
    for text in texts:
        doc = Document(text)
        n = len(doc.words)
        if n == 0:
            continue
        sent = np.asarray(doc.word_sentence)
        first = np.ones(n, dtype=bool)
        first[1:] = sent[1:] != sent[:-1]
        last = np.ones(n, dtype=bool)
        last[:-1] = first[1:]
        ids = np.array([vocab.get(w, -1) for w in doc.lower], dtype=np.int64)
        keep = ids >= 0
        flags = spin.context_flags(doc, known, range(n), first, last, doc.word_spans)
        np.add.at(total, ids[keep], 1)
        np.add.at(counts, ids[keep], flags[keep].astype(np.int64))
    out = {"total": total.astype(np.uint32)}
    out.update({c: counts[:, k].astype(np.uint32) for k, c in enumerate(spin.CONTEXT_CLASSES)})
    return out


def write_npz(path: Path, arrays: dict[str, "np.ndarray"]) -> None:
    """An ``.npz`` with fixed entry timestamps and order (``np.savez`` stamps the current time), so that a
    rebuild gives the same bytes; loads with ``np.load(allow_pickle=False)``."""
    import io
    import zipfile

    import numpy as np

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue(), compresslevel=9)


def record_provenance(out_dir: Path, key: str, entry: dict) -> dict:
    """Write ``entry`` under ``key`` in ``out_dir``'s ``provenance.json``, the entries other builders wrote kept."""
    path = out_dir / "provenance.json"
    prov = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    prov[key] = entry
    path.write_text(json.dumps(prov, indent=2) + "\n", encoding="utf-8")
    return entry


def _train_table(out_dir: Path, key: str, artifact: str, flag: str, count, details) -> dict:
    """Count ``count(texts, model)`` over genuine_split('train') (BBC only) and the compiled vocabulary, write
    ``artifact``, and record it under ``key`` in ``provenance.json`` (other keys kept) with ``details(arrays)``."""
    from scorer import spin
    from scorer.data import genuine_split

    t0 = time.time()
    spin.model.cache_clear()
    m = spin.model()
    train = genuine_split("train")
    arrays = count([a.text for a in train], m)
    write_npz(out_dir / artifact, arrays)
    entry = {
        "artifact": artifact,
        "built_by": f"python -m scorer.training.build_spin --{flag}",
        "source": f"genuine_split('train'): {len(train)} BBC articles (counts only, no text stored)",
        **details(arrays),
        "seconds": round(time.time() - t0, 1),
    }
    record_provenance(out_dir, key, entry)
    spin.model.cache_clear()
    return entry


def build_context(out_dir: Path = OUT_DIR) -> dict:
    """``spin.CONTEXT_FILE``: per-word context-class counts (provenance key ``context_classes``)."""
    from scorer import spin

    return _train_table(
        out_dir, "context_classes", spin.CONTEXT_FILE, "context",
        lambda texts, m: context_counts(texts, m.vocab, m.news_known, len(m.words)),
        lambda arrays: {
            "content": "uint32 per vocabulary id (vocab.txt.gz order, spelling twins counted under the twin spin "
            "looks them up by): total occurrences and occurrences in each class " + ", ".join(spin.CONTEXT_CLASSES)
            + " (scorer.spin.context_flags); the ranker reads smoothed log-lifts (spin.context_lifts, pseudo-count "
            f"{spin.CONTEXT_PSEUDO:g})",
            "tokens": int(arrays["total"].sum()),
            "class_tokens": {c: int(arrays[c].sum()) for c in spin.CONTEXT_CLASSES},
        })


def case_counts(texts, vocab: dict[str, int], n: int) -> dict[str, "np.ndarray"]:
    """Per vocabulary id: how often the word is written in lower case (``lower``) and capitalised (``capitalised``)
    inside a sentence (not its first word), alphabetic tokens only. ``vocab``: lower-cased word -> id
    (``spin._Model.vocab``, spelling twins folded); unknown words are skipped."""
    import numpy as np

    from scorer.document import Document

    lower = np.zeros(n, dtype=np.uint32)
    capitalised = np.zeros(n, dtype=np.uint32)
    for text in texts:
        doc = Document(text)
        words, low, sent = doc.words, doc.lower, doc.word_sentence
        for i in range(1, len(words)):
            w = words[i]
            k = vocab.get(low[i], -1)
            if k < 0 or sent[i - 1] != sent[i] or not w.isalpha():
                continue
            if w.islower():
                lower[k] += 1
            elif w[0].isupper():
                capitalised[k] += 1
    return {"lower": lower, "capitalised": capitalised}


def build_case(out_dir: Path = OUT_DIR) -> dict:
    """``spin.CASE_FILE``: per-word lower-case and capitalised uses inside sentences (provenance key ``case_counts``)."""
    from scorer import spin

    return _train_table(
        out_dir, "case_counts", spin.CASE_FILE, "case",
        lambda texts, m: case_counts(texts, m.vocab, len(m.words)),
        lambda arrays: {
            "content": "uint32 per vocabulary id (vocab.txt.gz order, spelling twins counted under the twin spin "
            "looks them up by): occurrences inside a sentence in lower case and capitalised; the span feature "
            f"name_like reads the capitalised share (spin.name_shares, prior {spin.NAME_PRIOR:g})",
            "tokens": int(arrays["lower"].sum() + arrays["capitalised"].sum()),
        })


def skip_counts(texts, vocab: dict[str, int], gaps: tuple[int, ...]) -> dict[str, "np.ndarray"]:
    """Counts of word pairs ``gap`` places apart inside a sentence (2: ``a _ b``), per gap: sorted keys
    ``id(a) << 32 | id(b)`` stored as differences (``keys_delta_{gap}``, restored with ``cumsum``) and ``uint16``
    counts (``count_{gap}``, capped). ``vocab``: lower-cased word -> id (``spin._Model.vocab``, spelling twins
    folded); unknown words are skipped."""
    import numpy as np

    from scorer.document import Document

    keys: dict[int, list] = {gap: [np.zeros(0, dtype=np.int64)] for gap in gaps}
    for text in texts:
        doc = Document(text)
        for idx in doc.sentence_words:
            ids = np.array([vocab.get(doc.lower[i], -1) for i in idx], dtype=np.int64)
            for gap in gaps:
                a, b = ids[:-gap], ids[gap:]
                ok = (a >= 0) & (b >= 0)
                keys[gap].append(a[ok] << 32 | b[ok])
    out = {}
    for gap in gaps:
        uniq, counts = np.unique(np.concatenate(keys[gap]), return_counts=True)
        out[f"keys_delta_{gap}"] = np.diff(uniq, prepend=0).astype(np.uint64)
        out[f"count_{gap}"] = np.minimum(counts, np.iinfo(np.uint16).max).astype(np.uint16)
    return out


def build_skip(out_dir: Path = OUT_DIR) -> dict:
    """``spin.SKIP_FILE``: pairs a few words apart, ``spin.SKIP_GAPS`` (provenance key ``skip_pairs``)."""
    from scorer import spin

    return _train_table(
        out_dir, "skip_pairs", spin.SKIP_FILE, "skip",
        lambda texts, m: skip_counts(texts, m.vocab, spin.SKIP_GAPS),
        lambda arrays: {
            "content": f"per gap in {spin.SKIP_GAPS}: pairs of vocabulary ids that many places apart inside a "
            "sentence (vocab.txt.gz order, spelling twins folded), sorted keys id(a) << 32 | id(b) as uint64 "
            "differences (keys_delta_GAP), uint16 counts (count_GAP); the suggestion ranker's skip* features "
            "(scorer.spin.skip_logp)",
            "pairs": {g: int(len(arrays[f"count_{g}"])) for g in spin.SKIP_GAPS},
            "occurrences": {g: int(arrays[f"count_{g}"].sum(dtype="int64")) for g in spin.SKIP_GAPS},
        })


def build(out_dir: Path = OUT_DIR) -> dict:
    """Compile everything and write the artifacts and ``provenance.json``."""
    from scorer.data import genuine_split

    t0 = time.time()
    train = genuine_split("train")
    extra = onestop_texts()
    news_uni, news_big = news_counts([a.text for a in train] + extra)
    g_uni, g_big = symspell_counts()
    vocab = build_vocab(news_uni)
    subs = compile_substitutions(vocab, news_uni)
    news_big = {k: v for k, v in news_big.items() if v >= MIN_NEWS_BIGRAM}
    sugg, linked, kinds = compile_suggestions(vocab, subs)
    sizes = write_resources(out_dir, news_uni, news_big, g_uni, g_big, subs, compile_fillers(), sugg, linked, kinds)
    prov = {
        "artifacts": [ARRAYS_FILE, VOCAB_FILE, PHRASES_FILE, FILLERS_FILE],
        "formats": "npz of plain numeric arrays (np.load allow_pickle=False); gzipped UTF-8 text",
        "built_by": "python -m scorer.training.build_spin",
        "sources": {
            "wordnet": str(WORDNET_DIR) + " (WordNet 3.0, Debian wordnet-base)",
            "wordfreq": "wordfreq top 100k English words and zipf frequencies",
            "symspellpy": "frequency_dictionary_en_82_765.txt, frequency_bigramdictionary_en_243_342.txt",
            "genuine": f"unigram/bigram counts of genuine_split('train'): {len(train)} BBC articles (no text stored)",
            "onestopenglish": f"unigram/bigram counts of {len(extra)} OneStopEnglish texts, all levels (no text stored)",
            "aiksaurus": (str(AIKSAURUS_DIR) + " (Debian libaiksaurus-1.2-data 1.2.1+dev-0.12-7, GPL-2+; build time only, "
                          "suggestion candidates and their sug_thes flags)") if (AIKSAURUS_DIR / "words.dat").exists()
            else "absent at build time (no thesaurus candidates)",
        },
        "sizes": sizes,
        "params": {
            "MIN_ORIGINAL_ZIPF": MIN_ORIGINAL_ZIPF,
            "MIN_SURFACE_ZIPF": MIN_SURFACE_ZIPF,
            "MAX_CANDIDATES": MAX_CANDIDATES,
            "MAX_PHRASE": MAX_PHRASE,
            "MAX_ZIPF_DROP": MAX_ZIPF_DROP,
            "THESAURUS_POINTERS": THESAURUS_POINTERS,
            "MIN_NEWS_BIGRAM": MIN_NEWS_BIGRAM,
            "TWO_STEP_COST": TWO_STEP_COST,
            "SUGGEST_EXTRA_COST": SUGGEST_EXTRA_COST,
            "SUGGEST_MIN_ZIPF": SUGGEST_MIN_ZIPF,
            "SUGGEST_MAX": SUGGEST_MAX,
            "AIKSAURUS_COST": AIKSAURUS_COST,
            "AIKSAURUS_MAX": AIKSAURUS_MAX,
        },
        "seconds": round(time.time() - t0, 1),
    }
    path = out_dir / "provenance.json"
    if path.exists():  # keep the entries other builders write (fitted files, science_pairs, context_classes)
        old = json.loads(path.read_text(encoding="utf-8"))
        prov.update({k: v for k, v in old.items() if k not in prov and v})
    path.write_text(json.dumps(prov, indent=2) + "\n")
    if out_dir == OUT_DIR:  # the context, skip-pair and case tables count over the vocabulary just written
        prov["context_classes"] = build_context(out_dir)
        prov["skip_pairs"] = build_skip(out_dir)
        prov["case_counts"] = build_case(out_dir)
    return prov


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m scorer.training.build_spin",
                                     description="Compile the spin detector's resources into models/spin/ (all of them "
                                     "by default; the context, skip-pair and case tables last, over the vocabulary "
                                     "written).")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--context", action="store_true", help="only the context-class counts (context_classes.npz)")
    group.add_argument("--skip", action="store_true", help="only the skip-pair counts (skip_pairs.npz)")
    group.add_argument("--case", action="store_true", help="only the case counts (case_counts.npz)")
    args = parser.parse_args(argv)
    built = build_context() if args.context else build_skip() if args.skip else build_case() if args.case else build()
    print(json.dumps(built, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
