"""Dask: a real LocalCluster with two worker processes gives exactly the single-process rows."""
from __future__ import annotations

import json
import os

import pytest

pytest.importorskip("dask.distributed")

from scorer.batch import Failed, Record, chunked, read_items, run_batch, score_chunk  # noqa: E402
from scorer.distributed import connect, records_bag, score_bag, score_partition, split  # noqa: E402
from tests.fakes import fake_score

CHUNK = 16
BAD: list[str] = []  # ids of the records the corpus fixture spoils




@pytest.fixture(scope="module")
def client():
    with connect("local", n_workers=2) as c:
        yield c


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory, shared):
    """100 BBC articles with URLs, two references, and three bad records in between."""
    from scorer.data import genuine_articles

    recs = [{"id": a.id, "text": a.text, "url": f"https://www.outlet{i % 4}.com/{i}"}
            for i, a in enumerate(genuine_articles()[:100])]
    recs[7]["reference"] = recs[8]["text"]
    recs[20]["reference"] = recs[21]["text"]
    recs[30]["text"] = ""
    recs[40]["text"] = "\x00\x01"
    BAD[:] = [recs[30]["id"], recs[40]["id"]]
    path = tmp_path_factory.mktemp("dask") / "in.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for i, r in enumerate(recs):
            fh.write(json.dumps(r) + "\n")
            if i == 50:
                fh.write("{broken\n")
    return path


def test_cluster_has_two_worker_processes(client):
    pids = client.run(os.getpid)
    assert len(pids) == 2 and len(set(pids.values())) == 2 and os.getpid() not in pids.values()


def test_score_bag_equals_the_single_process_path(client, corpus_file):
    """The real scorer, on the cluster and here: identical rows, bad records identical too."""
    local = [row for chunk in chunked(read_items(corpus_file), CHUNK) for row in score_chunk(chunk)]
    bag = records_bag(str(corpus_file), partition_size=3 * CHUNK)
    assert bag.npartitions == 3  # 101 items: the work is really spread
    remote = score_bag(bag, chunk_size=CHUNK).compute()
    assert remote == local
    ok, bad = split(remote)
    assert len(ok) == 98 and sum(r["has_reference"] for r in ok) == 2
    assert [(f.id, f.reason.split(":")[0]) for f in bad] == [
        (BAD[0], "text is empty"), (BAD[1], "text contains NUL bytes"), ("line 52", "invalid JSON")
    ]


def test_run_batch_on_the_cluster_writes_the_same_files(client, corpus_file, tmp_path):
    here = run_batch(corpus_file, tmp_path / "here.jsonl", chunk_size=CHUNK)
    there = run_batch(corpus_file, tmp_path / "there.jsonl", chunk_size=CHUNK, client=client)
    assert (here.scored, here.failed) == (there.scored, there.failed) == (98, 3)
    assert (tmp_path / "here.jsonl").read_bytes() == (tmp_path / "there.jsonl").read_bytes()
    assert (tmp_path / "here.errors.jsonl").read_bytes() == (tmp_path / "there.errors.jsonl").read_bytes()


def test_score_bag_of_plain_dicts_with_an_injected_scorer(client):
    import dask.bag as db

    records = [{"text": f"text {i} " + "spin " * (i % 2)} for i in range(10)] + [{"id": "x", "text": " "}, "nope"]
    remote = score_bag(db.from_sequence(records, npartitions=2), score_fn=fake_score, chunk_size=4).compute()
    ids = [r.id if isinstance(r, Failed) else r["id"] for r in remote]
    assert ids == [f"partition 0 item {i}" for i in range(6)] + [f"partition 1 item {i}" for i in range(4)] + [
        "x", "partition 1 item 5"
    ]
    assert remote[-1] == Failed("partition 1 item 5", "a record must be a dict, not str")
    assert [r["spin_findings"] for r in remote[:4]] == [0, 1, 0, 1]
    local = score_partition(records[6:], partition=1, score_fn=fake_score, chunk_size=4)
    assert remote[6:] == local


def test_records_bag_keeps_reader_ids(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "a"}\n{"id": "b", "text": "b"}\n', encoding="utf-8")
    assert records_bag(str(path)).compute() == [Record("line 1", "a"), Record("b", "b")]
