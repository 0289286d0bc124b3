"""The hash table the trigram model's lookups use: every key found with its values, no other, saved and loaded."""
from __future__ import annotations

import numpy as np

from scorer import keytable


def test_key_table_finds_every_key_and_no_other():
    rng = np.random.default_rng(1)
    keys = np.unique(rng.integers(0, 2**40, 20_000))
    values = rng.integers(0, 256, (len(keys), 2)).astype(np.uint8)
    others = np.setdiff1d(rng.integers(0, 2**40, 20_000), keys)
    for bits, fingerprint in ((15, True), (16, True)):  # 61% full (keys in the stash too) and 31% full
        table = keytable.KeyTable.build(keys, values, bits, fingerprint)
        found, codes = table.get(keys)
        assert found.all() and (codes == values).all()
        assert len(table) == len(keys)
        found, codes = table.get(others)
        assert not found.any() and not codes.any()
        mixed = np.concatenate([others[:500], keys[::7], others[500:1000]])  # hits (stash ones too) among misses
        found, codes = table.get(mixed)
        assert found.tolist() == np.isin(mixed, keys).tolist()
        assert (codes[found] == values[np.searchsorted(keys, mixed[found])]).all() and not codes[~found].any()
        # only misses whose home a stash key shares are searched in the stash
        assert table.overflow.sum() <= len(table.stash_keys)
    assert len(keytable.KeyTable.build(keys, values, 15, True).stash_keys) > 0


def test_saved_tables_load_memory_mapped_and_equal(tmp_path):
    keys = np.arange(0, 3_000_000, 7, dtype=np.int64)
    values = (keys % 251).astype(np.uint8)[:, None]
    table = keytable.KeyTable.build(keys, values, keytable.table_bits(len(keys)), fingerprint=False)
    keytable.save(tmp_path / "t", table.arrays("x"))
    loaded = keytable.KeyTable.from_arrays(keytable.load(tmp_path / "t"), "x")
    assert type(loaded.slots) is np.ndarray  # a plain view of the map, not np.memmap (slow to index)
    assert np.shares_memory(loaded.slots, loaded.slots) and not loaded.slots.flags.owndata
    found, got = loaded.get(keys[::1000])
    assert found.all() and (got == values[::1000]).all()
    assert not loaded.get(keys[:10] + 1)[0].any()


def test_table_bits_keeps_tables_at_most_the_fill_asked():
    assert keytable.table_bits(1_941_785) == 22 and keytable.table_bits(1_614_338) == 21
    assert all(n / 2 ** keytable.table_bits(n) <= 0.8 for n in (1, 10, 1000, 123_457))


def test_wide_keys_need_fingerprints():
    import pytest

    with pytest.raises(ValueError, match="fingerprint=True"):
        keytable.KeyTable.build(np.array([1, 2**33]), np.zeros((2, 1), np.uint8), 4, fingerprint=False)
