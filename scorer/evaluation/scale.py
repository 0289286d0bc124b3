"""Corpus-scale benchmark: documents per second and peak memory of ``scorer batch``.

``python -m scorer.evaluation.scale --n 10000`` synthesises ``n`` 600-word
documents from the BBC genuine articles (consecutive articles joined and cut
into 600-word windows, so every document is real news prose), then measures:

* docs/s of :func:`scorer.batch.run_batch` with ``jobs=1`` and ``jobs=2``, and
  on a Dask ``LocalCluster`` with two worker processes (cluster start-up
  timed apart), all wall-clock from first record read to last row written;
* peak RSS of a fresh ``jobs=1`` process scoring corpora of growing size
  (default ``n`` and ``10 n``): flat if the runner streams.

The corpus is written to a temporary JSONL file first; writing is not timed.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from scorer.report import Report

WORDS_PER_DOC = 600


def synthesise(n: int, words: int = WORDS_PER_DOC) -> Iterator[dict[str, str]]:
    """``n`` records of ``words`` words cut from the BBC articles in turn (cycling), lazily."""
    from scorer.data import genuine_articles

    articles = genuine_articles()
    k = 0
    pending: list[str] = []
    for i in range(n):
        while len(pending) < words:
            pending.extend(articles[k % len(articles)].text.split())
            k += 1
        text, pending = " ".join(pending[:words]), pending[words:]
        yield {"id": f"syn{i:07d}", "text": text, "url": f"https://www.outlet{i % 50}.com/{i}"}


def write_corpus(path: Path, n: int) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for rec in synthesise(n):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


def null_score(texts: Sequence[str], references: Sequence[str | None]) -> list[Report]:
    """No scoring at all: isolates the reading/writing path when measuring memory."""
    return [Report(0.5, "reliable", {}, has_reference=r is not None) for r in references]


def throughput(corpus: Path, out_dir: Path, *, jobs: int = 1, client: Any = None) -> dict[str, float]:
    from scorer.batch import run_batch

    out = out_dir / f"out_j{jobs}{'_dask' if client else ''}.jsonl"
    s = run_batch(corpus, out, jobs=jobs, client=client, progress=False)
    out.unlink()
    return {"docs": s.scored, "failed": s.failed, "seconds": round(s.seconds, 2), "docs_per_s": round(s.docs_per_second, 1)}


def dask_throughput(corpus: Path, out_dir: Path, workers: int = 2) -> dict[str, float]:
    from scorer.distributed import connect

    start = time.perf_counter()
    with connect("local", n_workers=workers) as client:
        client.run(_warm)  # load the model and resources on every worker before timing
        startup = time.perf_counter() - start
        result = throughput(corpus, out_dir, client=client)
    return {**result, "cluster_start_s": round(startup, 2), "workers": workers}


def _warm() -> None:
    from scorer.batch import warm_up

    warm_up()


def peak_rss(corpus: Path, out_dir: Path, scorer: str = "real") -> dict[str, float]:
    """Peak RSS (MiB) of a fresh process scoring ``corpus`` with jobs=1."""
    cmd = [sys.executable, "-m", "scorer.evaluation.scale", "--rss-child", str(corpus), "--out-dir", str(out_dir),
           "--scorer", scorer]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _current_rss_mib() -> float:
    """Resident memory now (Linux /proc; falls back to the peak elsewhere)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_child(corpus: Path, out_dir: Path, scorer: str) -> None:
    """Score ``corpus`` while a thread samples resident memory every 50 ms."""
    import resource
    import threading

    from scorer.batch import run_batch, warm_up

    if scorer == "real":
        warm_up()
    out = out_dir / f"rss_{corpus.stem}.jsonl"
    before = _current_rss_mib()
    samples: list[float] = [before]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.05):
            samples.append(_current_rss_mib())

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    s = run_batch(corpus, out, score_fn=null_score if scorer == "null" else None, progress=False)
    stop.set()
    thread.join()
    out.unlink()
    print(json.dumps({
        "docs": s.scored, "seconds": round(s.seconds, 1), "docs_per_s": round(s.docs_per_second, 1),
        "rss_before_run_mib": round(before, 1), "max_rss_during_run_mib": round(max(samples), 1),
        "rss_growth_mib": round(max(samples) - before, 1),
        "peak_rss_process_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


def benchmark(
    n: int = 10_000,
    rss_sizes: Sequence[int] | None = None,
    *,
    jobs: Sequence[int] = (1, 2),
    dask_workers: int = 2,
    rss_scorer: str = "real",
    work_dir: str | Path | None = None,
) -> dict[str, Any]:
    """All the measurements as a dict (for the notebook); sizes in documents, memory in MiB."""
    rss_sizes = tuple(rss_sizes) if rss_sizes is not None else (n, 10 * n)
    with tempfile.TemporaryDirectory(dir=work_dir) as tmp:
        d = Path(tmp)
        corpus = write_corpus(d / f"corpus_{n}.jsonl", n)
        result: dict[str, Any] = {"n": n, "words_per_doc": WORDS_PER_DOC, "cpus": os.cpu_count()}
        for j in jobs:
            result[f"jobs_{j}"] = throughput(corpus, d, jobs=j)
        if dask_workers:
            result["dask"] = dask_throughput(corpus, d, dask_workers)
        rss = {}
        for size in rss_sizes:
            path = corpus if size == n else write_corpus(d / f"corpus_{size}.jsonl", size)
            rss[size] = peak_rss(path, d, rss_scorer)
            if path != corpus:
                path.unlink()
        result["rss"] = {"scorer": rss_scorer, **{str(k): v for k, v in rss.items()}}
    return result


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m scorer.evaluation.scale", description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=10_000, help="documents for the throughput runs")
    p.add_argument("--rss", default=None, help="comma-separated corpus sizes for peak RSS (default: n,10n)")
    p.add_argument("--scorer", choices=("real", "null"), default="real",
                   help="scorer for the RSS runs: the real one, or none (I/O path only)")
    p.add_argument("--no-dask", action="store_true")
    p.add_argument("--json", metavar="PATH", help="also write the results here")
    p.add_argument("--rss-child", metavar="CORPUS", help=argparse.SUPPRESS)
    p.add_argument("--out-dir", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.rss_child:
        _rss_child(Path(args.rss_child), Path(args.out_dir), args.scorer)
        return 0
    sizes = [int(x) for x in args.rss.split(",")] if args.rss else None
    result = benchmark(args.n, sizes, dask_workers=0 if args.no_dask else 2, rss_scorer=args.scorer)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
