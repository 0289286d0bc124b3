"""Scoring on a Dask cluster, with the same chunk function as the local batch runner.

Two ways in:

* :func:`score_bag` maps :func:`scorer.batch.score_chunk` over the partitions
  of a ``dask.bag`` of records (dicts or :class:`~scorer.batch.Record`), for
  corpora the workers read themselves (``db.read_text("s3://.../*.jsonl")``);
* ``scorer batch --dask ADDRESS`` (:func:`scorer.batch.run_batch` with a
  ``client``) streams a local file to the cluster in chunks and writes rows in
  input order, with the errors file and ``--resume`` as usual.

Both give exactly the rows of the single-process path, because the scoring
function is the same and it is deterministic. Workers need the ``scorer``
package and its ``models/`` installed (same versions as the client).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from scorer.batch import CHUNK_SIZE, Columns, Failed, Item, Record, ScoreFn, _item, chunked, score_chunk
from scorer.config import DEFAULT, Config


@contextmanager
def connect(address: str = "local", n_workers: int = 2, **cluster_kwargs: Any) -> Iterator[Any]:
    """A Dask client: on ``address`` (``tcp://host:8786``), or on a new local cluster for ``"local"``.

    The local cluster has ``n_workers`` worker *processes* with one thread
    each (the scorer is pure Python: threads would share one GIL).
    """
    from dask.distributed import Client, LocalCluster

    if address != "local":
        with Client(address) as client:
            yield client
        return
    kwargs = {"processes": True, "threads_per_worker": 1, "dashboard_address": None, **cluster_kwargs}
    with LocalCluster(n_workers=n_workers, **kwargs) as cluster, Client(cluster) as client:
        yield client


def _as_items(part: Iterable[Any], where: str, columns: Columns) -> list[Item]:
    """Records of one partition; a dict without an id is named by its place in the partition."""
    out: list[Item] = []
    for i, rec in enumerate(part):
        if isinstance(rec, (Record, Failed)):
            out.append(rec)
        elif isinstance(rec, Mapping):
            out.append(_item(dict(rec), f"{where} item {i}", columns))
        else:
            out.append(Failed(f"{where} item {i}", f"a record must be a dict, not {type(rec).__name__}"))
    return out


def score_partition(
    part: Iterable[Any],
    *,
    partition: int = 0,
    score_fn: ScoreFn | None = None,
    config: Config = DEFAULT,
    columns: Columns = Columns(),
    chunk_size: int = CHUNK_SIZE,
) -> list[dict[str, Any] | Failed]:
    """Score one partition, chunk by chunk, keeping its order."""
    items = _as_items(part, f"partition {partition}", columns)
    rows: list[dict[str, Any] | Failed] = []
    for chunk in chunked(items, chunk_size):
        rows.extend(score_chunk(chunk, score_fn, config))
    return rows


def score_bag(
    bag: Any,
    *,
    score_fn: ScoreFn | None = None,
    config: Config = DEFAULT,
    columns: Columns = Columns(),
    chunk_size: int = CHUNK_SIZE,
) -> Any:
    """A bag of output rows (dicts as ``scorer batch`` writes them) and :class:`Failed`, in the bag's order.

    ``bag`` holds records: dicts with the ``columns`` fields (``text``, and
    optionally ``id``, ``url``, ``source``, ``reference``), or
    :class:`~scorer.batch.Record` from :func:`scorer.batch.read_items`.
    """
    import dask.bag as db
    from dask import delayed

    parts = bag.to_delayed()
    scored = [
        delayed(score_partition, pure=True)(
            p, partition=i, score_fn=score_fn, config=config, columns=columns, chunk_size=chunk_size
        )
        for i, p in enumerate(parts)
    ]
    return db.from_delayed(scored)


def records_bag(path: str, *, columns: Columns = Columns(), partition_size: int = 4 * CHUNK_SIZE) -> Any:
    """A bag of the records of a local folder, JSONL or CSV (ids as ``scorer batch`` gives them).

    Partitions hold a multiple of the chunk size, so every chunk scored on
    the cluster is the chunk the local runner would score: identical batches,
    identical floating-point results. This reads the corpus on the client;
    for a corpus too large for that, build the bag on the workers
    (``db.read_text(...).map(json.loads)``) with an ``id`` in every record.
    """
    import dask.bag as db

    from scorer.batch import read_items

    return db.from_sequence(list(read_items(path, columns)), partition_size=partition_size)


def split(rows: Iterable[dict[str, Any] | Failed]) -> tuple[list[dict[str, Any]], list[Failed]]:
    """Scored rows and failures of a computed bag."""
    ok: list[dict[str, Any]] = []
    bad: list[Failed] = []
    for r in rows:
        (bad if isinstance(r, Failed) else ok).append(r)
    return ok, bad
