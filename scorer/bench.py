"""Benchmark: documents per second, memory, start-up, and textstat as yardstick.

    python -m scorer.bench [--n 1000] [--words 600] [--json]

Runs in one process pinned to one core, timing CPU seconds of this process
(robust to other load on a shared machine): N distinct 600-word documents cut from the
BBC corpus (windows at different offsets, so no cache can help), scored
without and with a reference; textstat's eight main formulas on the same
documents in the same run give the yardstick ratio. Start-up (import and
model load) is measured in a fresh interpreter.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from scorer.evaluation.readability import TEXTSTAT_FORMULAS, offline_textstat

CHUNK = 256


def corpus_words() -> list[str]:
    """All genuine articles' words in one list (whitespace tokens, paragraphs kept as '\\n')."""
    from scorer.data import genuine_articles

    words: list[str] = []
    for a in genuine_articles():
        for para in a.text.split("\n"):
            words.extend(para.split())
            words.append("\n")
    return words


def documents(n: int, words: int = 600, stride: int = 7, shift: int = 0) -> Iterator[str]:
    """``n`` distinct documents of ``words`` words: windows at offsets ``i * stride + shift`` (wrapping).

    With ``shift = words // 2`` the i-th window overlaps the second half of the
    i-th unshifted one: a reference that shares half its text with the document
    and goes on about other things, as a source does.
    """
    corpus = corpus_words()
    total = len(corpus) - words - 1
    for i in range(n):
        start = (i * stride + (i * stride) // total + shift) % total
        toks = corpus[start : start + words * 2]
        out, count = [], 0
        for t in toks:
            out.append(t)
            count += t != "\n"
            if count >= words:
                break
        yield " ".join(out).replace(" \n ", "\n")


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB.

    Read from ``VmHWM`` on Linux: ``getrusage``'s ``ru_maxrss`` survives
    ``exec``, so a benchmark started from a large process (a notebook kernel)
    would report its parent's peak instead of its own.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def chunks(n: int, words: int, shift: int = 0) -> Iterator[list[str]]:
    """The ``n`` documents in lists of at most ``CHUNK``, so memory stays flat at any N."""
    gen = documents(n, words, shift=shift)
    done = 0
    while done < n:
        chunk = [next(gen) for _ in range(min(CHUNK, n - done))]
        done += len(chunk)
        yield chunk


def timed(n: int, batches: Iterable[tuple[list[str], ...]], work: Callable[..., object]) -> dict[str, float]:
    """CPU seconds spent in ``work(*batch)`` alone over all batches: cutting the documents is not timed."""
    elapsed = 0.0
    for batch in batches:
        started = time.process_time()
        work(*batch)
        elapsed += time.process_time() - started
    return {"docs_per_second": n / elapsed, "seconds": elapsed}


def time_scorer(n: int, words: int, with_reference: bool, shared: bool = False) -> dict[str, float]:
    """Score ``n`` documents in chunks; with a reference, each against the window half a document on.

    ``shared``: every document of a chunk against one reference (the first of those windows), as when
    many candidate copies are checked against one source; the source is then prepared once.
    """
    from scorer.pipeline import score_many

    if not with_reference:
        return timed(n, zip(chunks(n, words)), score_many)
    pick = (lambda refs: [refs[0]] * len(refs)) if shared else (lambda refs: refs)
    return timed(n, zip(chunks(n, words), chunks(n, words, shift=words // 2)),
                 lambda chunk, refs: score_many(chunk, references=pick(refs)))


def time_textstat(n: int, words: int) -> dict[str, float]:
    """The yardstick: textstat's eight main formulas on the same documents."""
    textstat = offline_textstat()
    fns = [getattr(textstat, f) for f in TEXTSTAT_FORMULAS]

    def work(chunk: list[str]) -> None:
        for doc in chunk:
            for f in fns:
                f(doc)

    return timed(n, zip(chunks(n, words)), work)


def time_families(n: int, words: int) -> dict[str, float]:
    """Readability + quality alone (Document build included), the like-for-like textstat comparison."""
    from scorer import quality, readability
    from scorer.config import DEFAULT
    from scorer.document import Document

    def work(chunk: list[str]) -> None:
        for doc in chunk:
            d = Document(doc)
            readability.extract(d, DEFAULT.readability)
            quality.extract(d, DEFAULT.quality)

    return timed(n, zip(chunks(n, words)), work)


def startup_seconds() -> dict[str, float]:
    """Fresh interpreter: import, then model load including every lazily loaded table (best of three).

    "Ready" means the first short document with a reference has been scored, so
    the classifiers, the spin tables, the syllable table and the consistency
    tables are all in memory.
    """
    code = (
        "import time;t=time.perf_counter();import scorer;i=time.perf_counter()-t;"
        "scorer.score('The council met on Wednesday in Brussels.', reference='The council met on Wednesday.');"
        "print(i, time.perf_counter()-t)"
    )
    best = (1e9, 1e9)
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
        best = min(best, (float(out[0]), float(out[1])), key=lambda x: x[1])
    return {"import_seconds": best[0], "ready_seconds": best[1]}


def warm_up(words: int) -> None:
    """Load the models and every lazily loaded table outside the timed part (start-up is timed on its own)."""
    from scorer.features import MODES
    from scorer.model import default_classifier
    from scorer.pipeline import score_many

    for mode in MODES:
        default_classifier(mode)
    doc, ref = next(documents(1, words, stride=1, shift=10 * words)), next(documents(1, words, stride=1, shift=11 * words))
    score_many([doc], references=[ref])
    score_many([doc])


def run(n: int = 1000, words: int = 600, yardstick: bool = True) -> dict[str, Any]:
    """The whole benchmark; returns the figures (also printed by ``main``)."""
    warm_up(words)
    result: dict[str, Any] = {"n": n, "words": words, "cpu_count_used": 1}
    result["startup"] = startup_seconds()
    result["no_reference"] = time_scorer(n, words, False)
    result["with_reference"] = time_scorer(n, words, True)
    result["with_shared_reference"] = time_scorer(n, words, True, shared=True)
    result["readability_quality_only"] = time_families(n, words)
    result["peak_rss_mb_scorer_only"] = peak_rss_mb()  # before textstat and its tables are loaded
    if yardstick:
        result["textstat_eight_formulas"] = time_textstat(n, words)
        ts = result["textstat_eight_formulas"]["docs_per_second"]
        result["ratio_vs_textstat"] = {
            "full_scorer_no_reference": result["no_reference"]["docs_per_second"] / ts,
            "full_scorer_with_reference": result["with_reference"]["docs_per_second"] / ts,
            "readability_quality_only": result["readability_quality_only"]["docs_per_second"] / ts,
        }
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def sweep(ns: list[int], words: int = 600) -> dict[str, Any]:
    """Cost per document at several N in one process: linear cost means a flat line.

    ``linearity`` is the CPU time per document at the largest N divided by that
    at the smallest (1.0 = exactly linear); peak RSS is read after each N.
    """
    warm_up(words)
    rows = []
    for n in sorted(ns):
        no_ref = time_scorer(n, words, False)
        with_ref = time_scorer(n, words, True)
        rows.append({"n": n, "no_reference_docs_per_second": no_ref["docs_per_second"],
                     "with_reference_docs_per_second": with_ref["docs_per_second"], "peak_rss_mb": peak_rss_mb()})
    first, last = rows[0], rows[-1]
    return {
        "words": words,
        "rows": rows,
        "linearity": {
            "no_reference": first["no_reference_docs_per_second"] / last["no_reference_docs_per_second"],
            "with_reference": first["with_reference_docs_per_second"] / last["with_reference_docs_per_second"],
        },
    }


def print_run(result: dict[str, Any]) -> None:
    print(f"documents: {result['n']} x {result['words']} words, one core")
    print(f"start-up: import {result['startup']['import_seconds']:.2f} s, ready to score (models and tables loaded) {result['startup']['ready_seconds']:.2f} s")
    for k in ("no_reference", "with_reference", "with_shared_reference", "readability_quality_only",
              "textstat_eight_formulas"):
        if k in result:
            print(f"{k:>28}: {result[k]['docs_per_second']:8.1f} docs/s")
    for k, v in result.get("ratio_vs_textstat", {}).items():
        print(f"ratio vs textstat, {k}: {v:.2f}x")
    print(f"peak RSS: {result['peak_rss_mb']:.0f} MB ({result['peak_rss_mb_scorer_only']:.0f} MB before textstat was loaded)")


def print_sweep(result: dict[str, Any]) -> None:
    print(f"{'N':>8} {'no ref docs/s':>14} {'with ref docs/s':>16} {'peak RSS MB':>12}")
    for r in result["rows"]:
        print(f"{r['n']:>8} {r['no_reference_docs_per_second']:>14.1f} {r['with_reference_docs_per_second']:>16.1f} {r['peak_rss_mb']:>12.0f}")
    lin = result["linearity"]
    print(f"time per document, largest N / smallest N: no reference {lin['no_reference']:.2f}, with reference {lin['with_reference']:.2f} (1.00 = linear)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m scorer.bench", description="Benchmark the scorer against textstat.")
    ap.add_argument("--n", type=int, nargs="+", default=[1000],
                    help="distinct documents (100 to 100,000); several values run a sweep that shows cost is linear in N")
    ap.add_argument("--words", type=int, default=600)
    ap.add_argument("--no-yardstick", action="store_true", help="skip textstat (for very large N)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if any(not 1 <= n <= 1_000_000 for n in args.n):
        ap.error("--n must be between 1 and 1,000,000")
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    if len(args.n) > 1:
        result = sweep(args.n, args.words)
        print(json.dumps(result, indent=2)) if args.json else print_sweep(result)
        return 0
    result = run(args.n[0], args.words, not args.no_yardstick)
    print(json.dumps(result, indent=2)) if args.json else print_run(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
