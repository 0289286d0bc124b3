"""Integer keys to rows of small values in a hash table that numpy can probe for many keys at once.

Saved as plain ``.npy`` arrays (``arrays`` / ``from_arrays``) and memory-mapped by their users, so loading costs
nothing until a lookup touches a page.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

#: Keys are placed by linear probing from a multiplicative hash; a lookup compares the ``WINDOW`` slots from the
#: key's home at once. Keys displaced further go to a small sorted stash, searched only for queries the window
#: misses. One or two cache lines per query: about twice as fast as a binary search over sorted keys, which misses
#: the cache at every step (session 17, the trigram model's tables, 300 bench documents of 600 words: 0.27-0.34 ->
#: 0.14 ms per document).
WINDOW = 8
EMPTY = np.uint32(0xFFFFFFFF)
_HOME = np.uint64(0x9E3779B97F4A7C15)
_PRINT = np.uint64(0xD6E8FEB86659FD93)


def _home(keys: np.ndarray, bits: int) -> np.ndarray:
    return ((keys.astype(np.uint64) * _HOME) >> np.uint64(64 - bits)).astype(np.intp)


def _stored(keys: np.ndarray, fingerprint: bool) -> np.ndarray:
    """What a slot holds for a key: the key itself (it fits 32 bits) or a 32-bit fingerprint of it."""
    k = keys.astype(np.uint64)
    out = ((k * _PRINT) >> np.uint64(32)).astype(np.uint32) if fingerprint else k.astype(np.uint32)
    return np.where(out == EMPTY, EMPTY - np.uint32(1), out)


@dataclass(frozen=True)
class KeyTable:
    """Integer keys to rows of values. With ``fingerprint``, slots hold 32-bit fingerprints of wider keys: a key
    not in the table matches another's with probability 8 / 2**32 per lookup (tens of millions of lookups
    before one reads a wrong row)."""

    slots: np.ndarray  # uint32 per slot, EMPTY where free
    values: np.ndarray  # one row per slot
    stash_keys: np.ndarray  # sorted uint64 keys placed beyond the window
    stash_values: np.ndarray
    bits: int
    fingerprint: bool
    #: Per slot: whether a stash key has its home there. Only a missed key whose home is marked can be in the
    #: stash, so most misses skip its binary search (derived at load, not saved).
    overflow: np.ndarray = field(init=False, repr=False, compare=False)
    #: The ``WINDOW`` slots from each home, as a strided view of ``slots`` (no copy): one gather per lookup instead
    #: of building a (keys x WINDOW) index array first (about 25% faster per lookup, session 18).
    windows: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        overflow = np.zeros(len(self.slots), dtype=bool)
        overflow[_home(self.stash_keys, self.bits)] = True
        object.__setattr__(self, "overflow", overflow)
        object.__setattr__(self, "windows", sliding_window_view(self.slots, WINDOW))

    @classmethod
    def build(cls, keys: np.ndarray, values: np.ndarray, bits: int, fingerprint: bool) -> KeyTable:
        """Linear probing in home order: key k of that order lands at max(home_k, slot_(k-1) + 1).

        Without ``fingerprint`` the keys themselves are stored, so they (and the keys looked up) must be below
        2**32 - 2."""
        if not fingerprint and len(keys) and int(keys.max()) >= int(EMPTY) - 1:
            raise ValueError("keys of 32 bits or more need fingerprint=True")
        home = _home(keys, bits)
        order = np.argsort(home, kind="stable")
        h = home[order]
        slot = np.arange(len(h)) + np.maximum.accumulate(h - np.arange(len(h)))
        near = slot - h < WINDOW
        size = max(1 << bits, int(slot[near].max(initial=0)) + 1) + WINDOW
        slots = np.full(size, EMPTY, dtype=np.uint32)
        slots[slot[near]] = _stored(keys[order[near]], fingerprint)
        vals = np.zeros((size, values.shape[1]), dtype=values.dtype)
        vals[slot[near]] = values[order[near]]
        far = order[~near]
        far = far[np.argsort(keys[far], kind="stable")]
        return cls(slots, vals, keys[far].astype(np.uint64), values[far], bits, fingerprint)

    def __len__(self) -> int:
        """How many keys the table holds (in slots and in the stash)."""
        return int((self.slots != EMPTY).sum()) + len(self.stash_keys)

    def get(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Whether each integer key is in the table, and its values (a row of zeros where not)."""
        home = _home(q, self.bits)
        eq = self.windows[home] == _stored(q, self.fingerprint)[:, None]
        found = eq.any(axis=1)
        # values are read only for the keys found: most lookups miss (a candidate's pairs are mostly unseen), and
        # each read is another cache miss in a table of megabytes
        codes = np.zeros((len(q), self.values.shape[1]), dtype=self.values.dtype)
        hit_at = np.flatnonzero(found)
        codes[hit_at] = self.values[home[hit_at] + eq[hit_at].argmax(axis=1)]
        if len(self.stash_keys) and len(hit_at) < len(q):
            miss = np.flatnonzero(~found)
            miss = miss[self.overflow[home[miss]]]
            wanted = q[miss].astype(np.uint64)
            k = np.minimum(np.searchsorted(self.stash_keys, wanted), len(self.stash_keys) - 1)
            hit = self.stash_keys[k] == wanted
            found[miss[hit]] = True
            codes[miss[hit]] = self.stash_values[k[hit]]
        return found, codes

    def arrays(self, name: str) -> dict[str, np.ndarray]:
        return {f"{name}_slots": self.slots, f"{name}_values": self.values, f"{name}_stash_keys": self.stash_keys,
                f"{name}_stash_values": self.stash_values, f"{name}_bits": np.array(self.bits),
                f"{name}_fingerprint": np.array(self.fingerprint)}

    @classmethod
    def from_arrays(cls, a: dict[str, np.ndarray], name: str) -> KeyTable:
        return cls(a[f"{name}_slots"], a[f"{name}_values"], a[f"{name}_stash_keys"], a[f"{name}_stash_values"],
                   int(a[f"{name}_bits"].item()), bool(a[f"{name}_fingerprint"].item()))


def table_bits(n: int, fill: float = 0.8) -> int:
    """Slots of a table for ``n`` keys: the power of two that keeps it at most ``fill`` full."""
    return max(4, int(np.ceil(np.log2(max(n, 1) / fill))))


def save(folder, arrays: dict[str, np.ndarray]) -> None:
    """One ``NAME.npy`` per array in ``folder`` (created; its old ``.npy`` files removed first)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.npy"):
        old.unlink()
    for name, a in arrays.items():
        np.save(folder / f"{name}.npy", np.ascontiguousarray(a), allow_pickle=False)


def load(folder) -> dict[str, np.ndarray]:
    """The arrays ``save`` wrote, memory-mapped, as plain ndarray views (np.memmap's own indexing costs ~8 us a call)."""
    return {p.stem: np.load(p, mmap_mode="r", allow_pickle=False).view(np.ndarray) for p in folder.glob("*.npy")}
