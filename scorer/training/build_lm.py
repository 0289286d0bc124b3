"""Compile CMU Sphinx's general English trigram model into the spin family's tables.

    python -m scorer.training.build_lm [--out models/spin]

The bigram tables of ``build_spin`` come from 2004-05 BBC News and the top Google
bigrams: small, and old. ``pocketsphinx`` (a PyPI wheel, BSD licence) ships a
pruned trigram language model of general US English (``en-us.lm.bin``: 72,547
words, 2.05M bigrams, 1.67M trigrams, Katz back-off). Its fit to a text is
independent evidence of word swaps: a spinner's synonym rarely fits its
neighbours the way the original did. Measured on cached classifier rows
(session 17): the document's mean trigram PMI alone separates the held-out
evaluation spinner's frequent-synonym copies at rate 0.3 with AUC 0.94; our
whole classifier got 0.923.

This reads the binary trie file directly (``sphinx_lm_convert`` and the Python
binding's ``write`` crash on it), keeps the n-grams whose words are all in the
spin vocabulary, renumbers them densely and writes them as hash tables to ``trigram_lm/``; the
build needs ``pip install pocketsphinx``, scoring does not. Layout of the trie
(little-endian, sphinxbase ``ngram_model_trie``): header, order, counts, a
16-bit quantiser's centre tables (bigram prob and back-off, trigram prob),
unigram records (prob, back-off, first bigram), bit-packed bigram records
(history word, quantised prob and back-off, first trigram) grouped by the
predicted word, bit-packed trigram records (oldest word, quantised prob)
grouped by their bigram, then the word strings. Scores are in the units of
a log base 1.0001.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import struct
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scorer import keytable
from scorer.keytable import KeyTable
from scorer.spin import MODEL_DIR
from scorer.training.build_spin import record_provenance

HEADER = b"Trie Language Model"
#: Natural log of the model's log base (1.0001): its scores times this are nats.
NATS = math.log(1.0001)
#: A directory of uncompressed ``.npy`` arrays: memory-mapped at load, so start-up reads nothing until a lookup
#: touches a page (a compressed archive took 0.39 s to inflate, most of the 1 s start-up budget).
OUT_NAME = "trigram_lm"
QUANT_BINS = 1 << 16


@dataclass(frozen=True)
class TrieLM:
    """A trigram model as flat arrays, scores in nats; word ids index ``words``.

    Bigram k: P(``b_word`` | ``b_hist``), with the back-off weight of that history pair.
    Trigram k: P(``t_word`` | ``t_h2`` ``t_h1``)."""

    words: list[str]
    uni_lp: np.ndarray
    uni_bo: np.ndarray
    b_hist: np.ndarray
    b_word: np.ndarray
    b_lp: np.ndarray
    b_bo: np.ndarray
    t_h2: np.ndarray
    t_h1: np.ndarray
    t_word: np.ndarray
    t_lp: np.ndarray


def _bits(n: int) -> int:
    return int(n).bit_length()


def _fields(mem: np.ndarray, offsets: np.ndarray, nbits: int) -> np.ndarray:
    """Little-endian bit fields of ``nbits`` (at most 32) starting at the bit ``offsets``."""
    byte = offsets >> 3
    v = np.zeros(len(offsets), dtype=np.uint64)
    for k in range(5):
        v |= mem[byte + k].astype(np.uint64) << np.uint64(8 * k)
    return ((v >> (offsets & 7).astype(np.uint64)) & np.uint64((1 << nbits) - 1)).astype(np.int64)


def read_trie(path: Path) -> TrieLM:
    """Every n-gram of a sphinxbase trie-format trigram model."""
    data = path.read_bytes()
    if not data.startswith(HEADER):
        raise ValueError(f"{path}: not a sphinxbase trie language model")
    p = len(HEADER)
    order = data[p]
    p += 1
    if order != 3:
        raise ValueError(f"{path}: a {order}-gram model; only trigram models are read")
    n1, n2, n3 = struct.unpack_from("<3I", data, p)
    p += 12 + 4  # counts, then a retired quantiser-type word
    centres = np.frombuffer(data, dtype="<f4", count=3 * QUANT_BINS, offset=p).astype(np.float64) * NATS
    p += 3 * QUANT_BINS * 4
    b_prob_bins, b_bo_bins, t_prob_bins = centres[:QUANT_BINS], centres[QUANT_BINS:2 * QUANT_BINS], centres[2 * QUANT_BINS:]
    uni = np.frombuffer(data, dtype=np.dtype([("lp", "<f4"), ("bo", "<f4"), ("next", "<u4")]), count=n1 + 1, offset=p)
    p += 12 * (n1 + 1)
    word_bits, next_bits = _bits(n1), _bits(n3)
    mid_total, long_total = word_bits + 32 + next_bits, word_bits + 16
    mid_size = ((1 + n2) * mid_total + 7) // 8 + 8
    long_size = ((1 + n3) * long_total + 7) // 8 + 8
    pad = np.zeros(8, np.uint8)
    mid = np.concatenate([np.frombuffer(data, np.uint8, mid_size, p), pad])
    p += mid_size
    long = np.concatenate([np.frombuffer(data, np.uint8, long_size, p), pad])
    p += long_size
    (k,) = struct.unpack_from("<i", data, p)
    words = data[p + 4 : p + 4 + k].decode("utf-8").split("\0")[:n1]
    # bigram records [next[w], next[w + 1]) predict word w; the last one's end is the count actually stored
    first = uni["next"].astype(np.int64)
    b_word = np.repeat(np.arange(n1), np.diff(first))
    nb = len(b_word)
    off = np.arange(nb + 1, dtype=np.int64) * mid_total
    codes = _fields(mid, off[:nb] + word_bits, 32)
    b_next = _fields(mid, off + word_bits + 32, next_bits)
    parent = np.repeat(np.arange(nb), np.diff(b_next))
    b_hist = _fields(mid, off[:nb], word_bits)
    off3 = np.arange(len(parent), dtype=np.int64) * long_total
    return TrieLM(
        words=words,
        uni_lp=uni["lp"][:n1].astype(np.float64) * NATS,
        uni_bo=uni["bo"][:n1].astype(np.float64) * NATS,
        b_hist=b_hist,
        b_word=b_word,
        b_lp=b_prob_bins[codes >> 16],
        b_bo=b_bo_bins[codes & 0xFFFF],
        t_h2=_fields(long, off3, word_bits),
        t_h1=b_hist[parent],
        t_word=b_word[parent],
        t_lp=t_prob_bins[_fields(long, off3 + word_bits, 16)],
    )


def _unique_best(keys: np.ndarray, lp: np.ndarray) -> np.ndarray:
    """Indices of one row per key: the most probable (two model words can share a spin id, as spelling twins)."""
    order = np.lexsort((-lp, keys))
    k = keys[order]
    keep = np.ones(len(k), dtype=bool)
    keep[1:] = k[1:] != k[:-1]
    return order[keep]


def _local_ngrams(words: list[np.ndarray], n_local: int, lp: np.ndarray, *values: np.ndarray) -> tuple:
    """The n-grams whose words (local ids, oldest first) are all in the spin vocabulary, keyed in base ``n_local``,
    one per key (the most probable, ``lp``): their keys, ``lp`` and ``values``."""
    keep = np.logical_and.reduce([w >= 0 for w in words])
    keys = np.zeros(int(keep.sum()), dtype=np.int64)
    for w in words:
        keys = keys * n_local + w[keep]
    pick = _unique_best(keys, lp[keep])
    return (keys[pick], lp[keep][pick], *(v[keep][pick] for v in values))


def compile_tables(lm: TrieLM, vocab: dict[str, int], n_vocab: int) -> dict[str, np.ndarray]:
    """The model restricted to the spin vocabulary, with dense local ids (so bigram keys fit 32 bits).

    ``local[spin id]`` is the word's local id, -1 outside the model (the last slot, for spin id -1, too).
    Keys: bigram ``h1 * L + w`` (exact in 32 bits), trigram ``(h2 * L + h1) * L + w`` (a fingerprint), in
    ``KeyTable`` s.
    """
    spin_of = np.array([vocab.get(w, -1) for w in lm.words], dtype=np.int64)
    ok = spin_of >= 0
    spin_ids = np.unique(spin_of[ok])
    n_local = len(spin_ids)
    if n_local ** 2 >= 2 ** 32:
        raise ValueError(f"{n_local} shared words: bigram keys would not fit 32 bits")
    local = np.full(n_vocab + 1, -1, dtype=np.int32)
    local[spin_ids] = np.arange(n_local, dtype=np.int32)
    lm_local = np.where(ok, local[np.maximum(spin_of, 0)], -1).astype(np.int64)
    # unigrams: the most probable model word of each local id
    uni_lp = np.full(n_local, -np.inf)
    uni_bo = np.zeros(n_local)
    rows = np.flatnonzero(ok)
    rows = rows[np.argsort(lm.uni_lp[rows], kind="stable")]  # later (more probable) writes win
    uni_lp[lm_local[rows]] = lm.uni_lp[rows]
    uni_bo[lm_local[rows]] = lm.uni_bo[rows]
    bkeys, b_lp, b_bo = _local_ngrams([lm_local[lm.b_hist], lm_local[lm.b_word]], n_local, lm.b_lp, lm.b_bo)
    tkeys, t_lp = _local_ngrams([lm_local[lm.t_h2], lm_local[lm.t_h1], lm_local[lm.t_word]], n_local, lm.t_lp)
    big_lp, big_lp_bins = quantise(b_lp)
    big_bo, big_bo_bins = quantise(b_bo)
    tri_lp, tri_lp_bins = quantise(t_lp)
    # at most 80% full: 1.9M bigrams in 2**22 slots (46% full, 48 keys in the stash), 1.6M trigrams in 2**21 (77%,
    # about 32,000 in the stash, searched only on a miss)
    bigrams = KeyTable.build(bkeys, np.stack([big_lp, big_bo], axis=1), keytable.table_bits(len(bkeys)), fingerprint=False)
    trigrams = KeyTable.build(tkeys, tri_lp[:, None], keytable.table_bits(len(tkeys)), fingerprint=True)
    return {
        "local": local,
        "uni_lp": uni_lp.astype(np.float32),
        "uni_bo": uni_bo.astype(np.float32),
        **bigrams.arrays("big"), **trigrams.arrays("tri"),
        "big_lp_bins": big_lp_bins, "big_bo_bins": big_bo_bins, "tri_lp_bins": tri_lp_bins,
    }


def quantise(values: np.ndarray, levels: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """uint8 codes on a uniform grid from the 0.1th percentile to the maximum (lower values take the lowest
    level), and the grid. A step of about 0.07 nats keeps every score within half of it
    where it matters, near the top (equal-count bins, as sphinxbase's own quantiser, put the most probable
    0.4% of bigrams, 0 to -1.4 nats, in one bin)."""
    lo, hi = float(np.percentile(values, 0.1)), float(values.max())
    grid = np.linspace(lo, hi, levels)
    codes = np.rint((np.clip(values, lo, hi) - lo) / (hi - lo) * (levels - 1)).astype(np.uint8)
    return codes, grid.astype(np.float32)


def model_file() -> Path:
    """``en-us.lm.bin`` of the installed pocketsphinx wheel (found without importing its extension)."""
    import importlib.util

    spec = importlib.util.find_spec("pocketsphinx")
    if spec is None or spec.origin is None:
        raise SystemExit("pocketsphinx is not installed: pip install pocketsphinx (needed to build, not to score)")
    return Path(spec.origin).parent / "model" / "en-us" / "en-us.lm.bin"


def build(out_dir: Path = MODEL_DIR) -> dict:
    """Write ``trigram_lm/`` and its ``trigram_lm`` entry in ``provenance.json`` (other keys kept)."""
    from importlib.metadata import version

    from scorer import spin

    t0 = time.time()
    src = model_file()
    lm = read_trie(src)
    m = spin.model()
    arrays = compile_tables(lm, m.vocab, len(m.words))
    keytable.save(out_dir / OUT_NAME, arrays)
    info = {
        "artifact": OUT_NAME,
        "built_by": "python -m scorer.training.build_lm",
        "source": f"pocketsphinx {version('pocketsphinx')} (PyPI), model/en-us/en-us.lm.bin: CMU Sphinx general US "
                  "English trigram model; Copyright (c) 1999-2016 Carnegie Mellon University, BSD 2-clause licence "
                  "(see NOTICE.trigram_lm)",
        "source_sha256": hashlib.sha256(src.read_bytes()).hexdigest(),
        "model_counts": {"unigrams": len(lm.words), "bigrams": int(len(lm.b_word)), "trigrams": int(len(lm.t_word))},
        "kept": {"words": int((arrays["local"] >= 0).sum()),
                 "bigrams": len(KeyTable.from_arrays(arrays, "big")), "trigrams": len(KeyTable.from_arrays(arrays, "tri"))},
        "kept_rule": "n-grams whose words are all in the spin vocabulary (vocab.txt.gz, spelling twins merged, the "
                     "most probable kept); scores in nats, as uint8 codes on a uniform grid of 256 levels; stored as hash tables "
                     "(scorer.keytable.KeyTable: linear probing, a window of 8 slots, 32-bit keys for bigrams and "
                     "32-bit fingerprints for trigrams)",
        "seconds": round(time.time() - t0, 1),
    }
    return record_provenance(out_dir, "trigram_lm", info)


#: Distributional neighbours (``build_neighbours``): per word, at most this many, each at least this similar.
NEIGHBOURS_MAX = 20
NEIGHBOURS_MIN_SIM = 0.15
#: Words that get neighbours, and words that may be one: as frequent as the suggestion candidates of
#: ``build_spin`` (``SUGGEST_MIN_ZIPF``) for neighbours; any word a spinner may have produced for the others.
NEIGHBOUR_MIN_ZIPF = 3.5
OBSERVED_MIN_ZIPF = 2.5


def context_vectors(lm: TrieLM):
    """Each model word as its positive PMI with the words stored before it and after it (one column per
    neighbour and side), rows scaled to unit length: words used among the same neighbours get close vectors."""
    import scipy.sparse as sp

    n = len(lm.words)
    pmi = lm.b_lp - lm.uni_lp[lm.b_word]  # log P(w | h) / P(w) of every stored bigram (h, w)
    keep = pmi > 0
    h, w, v = lm.b_hist[keep], lm.b_word[keep], pmi[keep]
    mat = sp.csr_matrix((np.r_[v, v], (np.r_[w, h], np.r_[h, n + w])), shape=(n, 2 * n))
    norm = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel())
    return sp.diags(1.0 / np.maximum(norm, 1e-12)) @ mat


_ENDINGS = (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("d", ""), ("ing", ""),
            ("ing", "e"))


def _base_forms(word: str) -> set[str]:
    """The word, its crude stem (``spin._stem``) and the word without each inflection ending it may have:
    two words sharing one are inflections of each other (``soldier``, ``soldiers``; ``ally``, ``allies``)."""
    from scorer.spin import _stem

    out = {word, _stem(word)}
    out.update(word[: -len(end)] + rep for end, rep in _ENDINGS if word.endswith(end) and len(word) > len(end) + 2)
    return out


def neighbour_table(lm: TrieLM, vocab: dict[str, int], n_vocab: int, zipf) -> dict[str, np.ndarray]:
    """Per spin vocabulary id, its nearest words by ``context_vectors`` cosine (ragged: ``ptr``, ``cand``, and
    ``sim`` as uint8 codes of similarity x 255), most similar first; another inflection of the word (a shared crude
    stem or base form: ``_base_forms``) is not its neighbour. Ids are those of ``vocab`` (spelling twins map to
    the twin spin reads)."""
    vec = context_vectors(lm)
    ids = np.array([vocab.get(w, -1) for w in lm.words], dtype=np.int64)
    alpha = np.array([w.isalpha() and w.islower() for w in lm.words])
    z = np.array([zipf(w) if a else 0.0 for w, a in zip(lm.words, alpha)])
    rows = np.flatnonzero(alpha & (ids >= 0) & (z >= OBSERVED_MIN_ZIPF))
    cols = np.flatnonzero(alpha & (ids >= 0) & (z >= NEIGHBOUR_MIN_ZIPF))
    forms = [_base_forms(w) for w in lm.words]
    right = vec[cols].T.tocsc()
    found: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for a in range(0, len(rows), 2000):
        chunk = rows[a : a + 2000]
        sim = (vec[chunk] @ right).toarray()
        top = np.argsort(-sim, axis=1)[:, : NEIGHBOURS_MAX + 4]
        for r, word in enumerate(chunk.tolist()):
            k = top[r]
            k = k[(sim[r, k] >= NEIGHBOURS_MIN_SIM) & (ids[cols[k]] != ids[word])]
            k = k[[forms[word].isdisjoint(forms[c]) for c in cols[k].tolist()]]
            _, first = np.unique(ids[cols[k]], return_index=True)  # two spellings of one word: the closer one
            k = k[np.sort(first)][:NEIGHBOURS_MAX]
            if len(k):
                found.setdefault(int(ids[word]), (ids[cols[k]], sim[r, k]))
    lens = np.zeros(n_vocab, dtype=np.int64)
    for i, (c, _) in found.items():
        lens[i] = len(c)
    ptr = np.r_[0, np.cumsum(lens)]
    cand = np.zeros(ptr[-1], dtype=np.int32)
    sim8 = np.zeros(ptr[-1], dtype=np.uint8)
    for i, (c, v) in found.items():
        cand[ptr[i] : ptr[i + 1]] = c
        sim8[ptr[i] : ptr[i + 1]] = np.rint(np.clip(v, 0.0, 1.0) * 255)
    return {"ptr": ptr, "cand": cand, "sim": sim8}


def build_neighbours(out_dir: Path = MODEL_DIR) -> dict:
    """Write ``neighbours.npz`` (``scorer.spin.NEIGHBOUR_FILE``) and its ``neighbours`` provenance entry."""
    from importlib.metadata import version

    import wordfreq

    from scorer import spin

    t0 = time.time()
    src = model_file()
    lm = read_trie(src)
    m = spin.model()
    table = neighbour_table(lm, m.vocab, len(m.words), lambda w: wordfreq.zipf_frequency(w, "en"))
    np.savez_compressed(out_dir / spin.NEIGHBOUR_FILE, **table)
    info = {
        "artifact": spin.NEIGHBOUR_FILE,
        "built_by": "python -m scorer.training.build_lm --neighbours",
        "source": f"pocketsphinx {version('pocketsphinx')} (PyPI), model/en-us/en-us.lm.bin (see trigram_lm)",
        "source_sha256": hashlib.sha256(src.read_bytes()).hexdigest(),
        "content": "per spin vocabulary id (vocab.txt.gz order): up to NEIGHBOURS_MAX words of zipf >= "
                   "NEIGHBOUR_MIN_ZIPF (wordfreq) with the most similar contexts in the model's bigrams (cosine of "
                   "positive-PMI vectors over the words before and after), similarity >= NEIGHBOURS_MIN_SIM, other "
                   "inflections of the word left out; for lower-case words of zipf >= OBSERVED_MIN_ZIPF. Arrays ptr "
                   "(int64), cand (int32 ids), sim (uint8, similarity x 255). No text stored.",
        "params": {"NEIGHBOURS_MAX": NEIGHBOURS_MAX, "NEIGHBOURS_MIN_SIM": NEIGHBOURS_MIN_SIM,
                   "NEIGHBOUR_MIN_ZIPF": NEIGHBOUR_MIN_ZIPF, "OBSERVED_MIN_ZIPF": OBSERVED_MIN_ZIPF},
        "sizes": {"words_with_neighbours": int((np.diff(table["ptr"]) > 0).sum()), "pairs": int(len(table["cand"]))},
        "seconds": round(time.time() - t0, 1),
    }
    return record_provenance(out_dir, "neighbours", info)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=MODEL_DIR)
    ap.add_argument("--neighbours", action="store_true",
                    help="only the distributional neighbours of the suggestion candidates (neighbours.npz)")
    args = ap.parse_args()
    print(json.dumps(build_neighbours(args.out) if args.neighbours else build(args.out), indent=2))


if __name__ == "__main__":
    main()
