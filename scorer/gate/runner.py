"""The check itself: read, blank what is not prose, score in batches, judge, ratchet.

One unreadable file never stops the run: it becomes a document with status
``error`` and the rest are still checked. Scoring goes through
:func:`scorer.pipeline.score_many` in batches, so the classifier runs once per
batch; large runs are split over worker processes (forked after the model is
loaded, so no worker pays the import and load again).
"""
from __future__ import annotations

import math
import multiprocessing
import os
import stat
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

from scorer.config import Config
from scorer.errors import ConfigError, InputError, ModelError
from scorer.gate import baseline as _baseline
from scorer.gate import markup, suppress
from scorer.gate.evaluate import evaluate, validate_keys
from scorer.gate.paths import Target, collect, matches_any, reference_for, relative_to_root
from scorer.gate.results import CheckRun, DocumentResult
from scorer.gate.settings import Settings
from scorer.io import read_text_file
from scorer.pipeline import check_text, score_many
from scorer.report import Report

#: Below this many documents one process is faster than starting workers.
PARALLEL_MIN = 150
MAX_WORKERS = 8


@dataclass(frozen=True)
class CheckOptions:
    """What the command line adds to the settings for one run."""

    paths: tuple[str, ...]
    reference: Path | None = None
    reference_dir: Path | None = None
    baseline: Path | None = None
    update_baseline: bool = False
    jobs: int | None = None


@dataclass(frozen=True)
class _Job:
    index: int
    target: Target
    text: str
    scored: str
    directives: suppress.Directives
    ignores: frozenset[str]
    reference: str | None
    reference_name: str | None


def read_document(path: Path) -> str:
    """`scorer.io.read_text_file`, refusing what is not a regular file (a FIFO would block forever)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = None  # read_text_file says why
    if mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise InputError(f"{path}: not a regular file")
    try:
        return read_text_file(path)
    except InputError:
        raise
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from None


def path_ignores(target: Target, settings: Settings) -> frozenset[str]:
    rel = relative_to_root(target.path, settings.root)
    names: set[str] = set()
    for pattern, ignored in settings.gate.per_path_ignores.items():
        if matches_any(rel, (pattern,)):
            names.update(ignored)
    return frozenset(names)


def _reference(target: Target, options: CheckOptions, single: str | None, ref_name: str | None, settings: Settings):
    """(reference text, its name) of a document; a bad reference file is that document's input error."""
    if options.reference_dir is None:
        return single, ref_name
    ref = reference_for(target, options.reference_dir, settings.gate.extensions)
    if ref is None:
        return None, None
    text = read_document(ref)
    return markup.prose(text, ref.name), ref.as_posix()


def prepare(index: int, target: Target, options: CheckOptions, settings: Settings, single, ref_name) -> _Job | DocumentResult:
    """Read one file and get its prose and directives, or the document's error/skip record."""
    try:
        text = read_document(target.path)
        ignores = path_ignores(target, settings)
        directives = suppress.parse(text, target.path.name)
        if directives.skip_file or "all" in directives.file_ignores or "all" in ignores:
            why = "per_path_ignores" if "all" in ignores else "scorer: ignore-file comment"
            return DocumentResult(target.display, "skipped", error=f"skipped ({why})")
        scored = suppress.apply_blanks(markup.prose(text, target.path.name), directives)
        if not scored.strip():
            return DocumentResult(target.display, "skipped", error="no prose to score (only front matter, code or ignored text)")
        check_text(scored, settings.config, target.display)
        reference, reference_name = _reference(target, options, single, ref_name, settings)
        if reference is not None:
            check_text(reference, settings.config, f"reference {reference_name}")
    except InputError as exc:
        return DocumentResult(target.display, "error", error=str(exc))
    return _Job(index, target, text, scored, directives, ignores, reference, reference_name)


def _score_batch(batch: list[tuple[str, str | None]], config: Config) -> list[Report | str]:
    """Reports of a batch; if scoring the batch breaks, each document alone (a failure becomes its error)."""
    texts = [t for t, _ in batch]
    refs = [r for _, r in batch]
    try:
        return score_many(texts, references=None if all(r is None for r in refs) else refs, config=config)
    except (ModelError, ConfigError):
        raise  # the run cannot go on: exit 2 with its one-line message
    except Exception:  # noqa: BLE001 - one bad document must not lose the others' results
        if len(batch) == 1:
            exc = sys.exc_info()[1]
            return [f"internal error while scoring: {type(exc).__name__}: {exc}".splitlines()[0]]
        return [r for item in batch for r in _score_batch([item], config)]


def workers_for(n: int, jobs: int | None) -> int:
    """How many processes: the asked number, else one per CPU for large runs."""
    if jobs:
        return max(1, jobs)
    if n < PARALLEL_MIN or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cpus, MAX_WORKERS, n // (PARALLEL_MIN // 2)))


def score_all(items: list[tuple[str, str | None]], config: Config, batch_size: int, jobs: int | None) -> list[Report | str]:
    """Reports (or error messages) for (text, reference) pairs, in order; batches run in workers when it pays."""
    if not items:
        return []
    workers = workers_for(len(items), jobs)
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        from scorer.features import MODES
        from scorer.model import default_classifier

        # Score the first document here: every lazy resource (classifier, lexicons) is then loaded
        # once, before the fork, and shared by the workers; a ModelError surfaces here too.
        first = _score_batch(items[:1], config)
        if any(r is not None for _, r in items):
            for mode in MODES[1:]:  # the with-reference models
                default_classifier(mode)
        rest = items[1:]
        size = max(1, min(batch_size, math.ceil(len(rest) / (workers * 4))))
        batches = [rest[i : i + size] for i in range(0, len(rest), size)]
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                return first + [r for part in pool.map(_score_batch, batches, repeat(config)) for r in part]
        except BrokenProcessPool:  # a worker was killed (out of memory?): finish in this process
            return first + score_all(rest, config, batch_size, 1)
    return [r for i in range(0, len(items), batch_size) for r in _score_batch(items[i : i + batch_size], config)]


def _judge(job: _Job, report: Report, settings: Settings) -> DocumentResult:
    results, dropped = evaluate(report, job.text, job.directives, job.ignores, settings)
    return DocumentResult(
        path=job.target.display,
        status="failed" if any(r.fails for r in results) else "passed",
        score=report.score,
        label=report.label,
        reference=job.reference_name,
        results=tuple(results),
        features=dict(report.features),
        suppressed=dropped,
        model=report.model,
    )


def _single_reference(options: CheckOptions) -> tuple[str | None, str | None]:
    if options.reference is None:
        return None, None
    try:
        text = read_document(options.reference)
    except InputError as exc:
        raise ConfigError(f"--reference: {exc}") from None
    return markup.prose(text, options.reference.name), options.reference.as_posix()


def baseline_file(options: CheckOptions, settings: Settings) -> Path | None:
    if options.baseline is not None:
        return options.baseline
    return None if settings.gate.baseline is None else settings.resolve_path(settings.gate.baseline)


def run_check(options: CheckOptions, settings: Settings) -> CheckRun:
    """Check every document named by ``options.paths`` against ``settings``."""
    t0 = time.perf_counter()
    validate_keys(settings)
    if options.reference is not None and options.reference_dir is not None:
        raise ConfigError("use --reference or --reference-dir, not both")
    if options.reference_dir is not None and not options.reference_dir.is_dir():
        raise ConfigError(f"--reference-dir {options.reference_dir}: no such folder")
    if options.update_baseline and baseline_file(options, settings) is None:
        raise ConfigError("--update-baseline needs --baseline FILE (or `baseline` in the configuration)")
    bl_path = baseline_file(options, settings)
    old = _baseline.load(bl_path) if bl_path is not None else {}
    single, ref_name = _single_reference(options)

    targets, missing, warnings = collect(list(options.paths), settings.gate.extensions, settings.gate.exclude, settings.root)
    docs: list[DocumentResult | None] = [None] * len(targets)
    jobs: list[_Job] = []
    for i, target in enumerate(targets):
        item = prepare(i, target, options, settings, single, ref_name)
        if isinstance(item, DocumentResult):
            docs[i] = item
        else:
            jobs.append(item)
    reports = score_all([(j.scored, j.reference) for j in jobs], settings.config, settings.gate.batch_size, options.jobs or settings.gate.jobs or None)
    for job, report in zip(jobs, reports):
        if isinstance(report, str):
            docs[job.index] = DocumentResult(job.target.display, "error", error=f"{job.target.display}: {report}")
        else:
            docs[job.index] = _judge(job, report, settings)
    documents = [d for d in docs if d is not None] + [DocumentResult(p, "error", error=e) for p, e in missing]
    if bl_path is not None:
        if options.update_baseline:
            old = _baseline.update(bl_path, documents, old)
        tol = settings.gate.baseline_tolerance
        documents = [_baseline.apply(d, old.get(_baseline.key_of(d.path, bl_path)), tol) for d in documents]
    return CheckRun(
        documents=tuple(documents),
        fail_under=settings.fail_under,
        fail_on=settings.gate.fail_on,
        warnings=tuple(warnings),
        baseline_path=None if bl_path is None else bl_path.as_posix(),
        baseline_updated=options.update_baseline,
        seconds=time.perf_counter() - t0,
    )
