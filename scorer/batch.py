"""Scoring a whole corpus: stream records in, score them in chunks, write rows out in order.

Input is a folder of text files, a JSONL file or a CSV file; it is read one
record at a time and scored in chunks of ``chunk_size`` records, with at most
a few chunks in flight, so memory stays flat however large the corpus is.
Rows are written in input order. A record that cannot be scored (bad
encoding, empty, too long, invalid JSON) becomes one line in the errors file
with its id and the reason, and every other record is still scored.
``resume=True`` skips the ids already present in the output or errors file.

The scoring of one chunk, :func:`score_chunk`, is a pure module-level
function shared by the in-process path, the local process pool (``jobs``)
and Dask (:mod:`scorer.distributed`), so all three give identical rows.
"""
from __future__ import annotations

import csv
import json
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path
from typing import IO, Any, Literal

from scorer.config import DEFAULT, Config
from scorer.errors import ConfigError, InputError, ScorerError
from scorer.io import document_text, read_document
from scorer.pipeline import check_text, score_many
from scorer.report import Report
from scorer.sources import source_of

#: Records scored per call of the scoring function: large enough to amortise the classifier call.
CHUNK_SIZE = 256
#: Chunks in flight per worker: enough to keep workers busy, few enough to bound memory.
CHUNKS_PER_WORKER = 2

OutputFormat = Literal["jsonl", "csv"]
InputFormat = Literal["folder", "jsonl", "csv"]
ScoreFn = Callable[[Sequence[str], Sequence["str | None"]], Sequence[Report]]

#: Scalar columns of a CSV output row, in order (the JSONL row also has features, findings, reasons).
CSV_FIELDS: tuple[str, ...] = (
    "id", "source", "url", "score", "label", "has_reference", "model", "out_of_scope", "n_findings",
    "readability_findings", "quality_findings", "spin_findings", "consistency_findings", "top_reason",
)
FINDING_FAMILIES: tuple[str, ...] = ("readability", "quality", "spin", "consistency")


@dataclass(frozen=True, slots=True)
class Columns:
    """Names of the input fields (JSONL keys or CSV header names)."""

    text: str = "text"
    id: str = "id"
    url: str = "url"
    source: str = "source"
    reference: str = "reference"


@dataclass(frozen=True, slots=True)
class Record:
    """One document to score; ``source`` is already resolved (None when unknown)."""

    id: str
    text: str
    reference: str | None = None
    url: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Failed:
    """A record that cannot be scored, and why (one line)."""

    id: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "reason": self.reason}


Item = Record | Failed


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What a batch run did."""

    read: int
    scored: int
    failed: int
    skipped: int
    seconds: float
    output: str
    errors: str

    @property
    def docs_per_second(self) -> float:
        return self.scored / self.seconds if self.seconds > 0 else 0.0


# --------------------------------------------------------------------------- reading


def input_format(path: Path) -> InputFormat:
    """Folder, JSONL or CSV, from what the path is."""
    if path.is_dir():
        return "folder"
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if not path.exists():
        raise ConfigError(f"{path}: no such file or folder")
    raise ConfigError(f"{path}: cannot tell the input format from '{suffix}' (use a folder, .jsonl or .csv)")


def read_items(path: str | Path, columns: Columns = Columns(), fmt: InputFormat | None = None) -> Iterator[Item]:
    """Stream the records of a folder, JSONL or CSV file, bad ones as :class:`Failed`."""
    p = Path(path)
    fmt = fmt or input_format(p)
    if fmt == "folder":
        return _read_folder(p)
    if fmt == "jsonl":
        return _read_jsonl(p, columns)
    return _read_csv(p, columns)


def _walk(root: Path) -> Iterator[Path]:
    """Regular files under ``root`` in sorted order, one directory listing at a time (no hidden files)."""
    with os.scandir(root) as it:
        entries = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path))
        elif entry.is_file():
            yield Path(entry.path)


def _read_folder(root: Path) -> Iterator[Item]:
    """Files as records; a file's source is its top-level subfolder (``reuters.com/a.txt``), if any."""
    for path in _walk(root):
        rel = path.relative_to(root)
        rid = rel.as_posix()
        try:
            text = read_document(path)
        except InputError as exc:
            yield Failed(rid, str(exc).removeprefix(f"{path}: "))
            continue
        source = source_of({"source": rel.parts[0]}).source if len(rel.parts) > 1 else None
        yield Record(rid, text, source=source)


def _read_jsonl(path: Path, columns: Columns) -> Iterator[Item]:
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            where = f"line {n}"
            try:
                line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield Failed(where, f"not valid UTF-8 (byte {exc.start})")
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Failed(where, f"invalid JSON: {exc.msg} (column {exc.colno})")
                continue
            if not isinstance(obj, dict):
                yield Failed(where, f"a JSON object was expected, not {type(obj).__name__}")
                continue
            yield _item(obj, where, columns)


def _read_csv(path: Path, columns: Columns) -> Iterator[Item]:
    csv.field_size_limit(sys.maxsize)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=delimiter)
        if reader.fieldnames is None or columns.text not in reader.fieldnames:
            raise ConfigError(
                f"{path}: no '{columns.text}' column (columns: {', '.join(reader.fieldnames or [])}); "
                "name the text column with --text-column"
            )
        for n, row in enumerate(reader, 1):
            yield _item(row, f"row {n}", columns)


def _clean(value: Any) -> str | None:
    """A non-empty string field, else None (CSV gives '' for a missing value)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value if isinstance(value, str) else str(value)


def _is_valid_unicode(text: str) -> bool:
    """False when text holds lone surrogates (undecodable bytes or bad JSON escapes)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _item(fields: dict[str, Any], where: str, columns: Columns) -> Item:
    """A record from one JSONL object or CSV row; ``where`` (line/row) is the id when it has none."""
    rid = _clean(fields.get(columns.id)) or where
    if not _is_valid_unicode(rid):
        rid = where
    text = fields.get(columns.text)
    if text is None:
        return Failed(rid, f"no '{columns.text}' field")
    if not isinstance(text, str):
        return Failed(rid, f"'{columns.text}' must be a string, not {type(text).__name__}")
    reference = _clean(fields.get(columns.reference))
    for name, value in ((columns.text, text), (columns.reference, reference)):
        if value is not None and not _is_valid_unicode(value):
            return Failed(rid, f"'{name}' is not valid UTF-8")
    text, reference = document_text(text), None if reference is None else document_text(reference)
    url = _clean(fields.get(columns.url))
    key = source_of(fields, source_field=columns.source, url_field=columns.url)
    return Record(rid, text, reference, url if url and _is_valid_unicode(url) else None, key.source)


def validate(item: Item, config: Config = DEFAULT) -> Item:
    """The record itself, or :class:`Failed` if the scorer would refuse it (empty, too long, NUL)."""
    if isinstance(item, Failed):
        return item
    try:
        check_text(item.text, config)
        if item.reference is not None:
            check_text(item.reference, config, "reference")
    except InputError as exc:
        return Failed(item.id, str(exc))
    return item


# --------------------------------------------------------------------------- scoring


def default_score_fn(texts: Sequence[str], references: Sequence[str | None], config: Config = DEFAULT) -> list[Report]:
    """The real scorer: one batched :func:`scorer.score_many` call."""
    return score_many(texts, references=references, config=config)


def result_row(record: Record, report: Report) -> dict[str, Any]:
    """The output row of one scored record (JSONL keeps everything; CSV keeps :data:`CSV_FIELDS`)."""
    counts = {fam: 0 for fam in FINDING_FAMILIES}
    for f in report.findings:
        counts[f.family] = counts.get(f.family, 0) + 1
    return {
        "id": record.id,
        "source": record.source,
        "url": record.url,
        "score": report.score,
        "label": report.label,
        "has_reference": report.has_reference,
        "model": report.model,
        "out_of_scope": report.out_of_scope,
        "n_findings": len(report.findings),
        **{f"{fam}_findings": counts[fam] for fam in FINDING_FAMILIES},
        "top_reason": report.reasons[0].message if report.reasons else "",
        "features": dict(report.features),
        "findings": [f.to_dict() for f in report.findings],
        "reasons": [r.to_dict() for r in report.reasons],
    }


def _score_one(record: Record, score_fn: ScoreFn) -> dict[str, Any] | Failed:
    try:
        return result_row(record, score_fn([record.text], [record.reference])[0])
    except ScorerError as exc:
        if isinstance(exc, InputError):
            return Failed(record.id, str(exc))
        raise
    except Exception as exc:  # a bug on one odd document must not lose the rest of the corpus
        return Failed(record.id, f"internal error: {type(exc).__name__}: {exc}")


def score_chunk(
    items: Sequence[Item], score_fn: ScoreFn | None = None, config: Config = DEFAULT
) -> list[dict[str, Any] | Failed]:
    """Score one chunk: a row per record, :class:`Failed` per bad record, in the same order.

    The chunk is scored in one call; if that call fails on some record, the
    chunk is re-scored one record at a time so only the bad one is lost.
    Model and configuration errors are not per record: they propagate.
    """
    fn = score_fn or partial(default_score_fn, config=config)
    checked = [validate(it, config) for it in items]
    records = [it for it in checked if isinstance(it, Record)]
    rows: list[dict[str, Any] | Failed]
    try:
        reports = fn([r.text for r in records], [r.reference for r in records]) if records else []
        rows = [result_row(r, rep) for r, rep in zip(records, reports, strict=True)]
    except ScorerError as exc:
        if not isinstance(exc, InputError):
            raise
        rows = [_score_one(r, fn) for r in records]
    except Exception:
        rows = [_score_one(r, fn) for r in records]
    by_id = iter(rows)
    return [next(by_id) if isinstance(it, Record) else it for it in checked]


def chunked(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Consecutive lists of ``size`` items (the last may be shorter), lazily."""
    if size < 1:
        raise ConfigError(f"chunk size must be at least 1, not {size}")
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


#: A short text whose scoring loads every lazy resource (model, lexicons) once.
WARM_UP_TEXT = "The council met in Brussels on Wednesday. The minister said that talks would go on."


def warm_up(config: Config = DEFAULT) -> None:
    """Load the model and every family's resources now, not inside the first chunk.

    Called in the parent before forking, so pool workers inherit them; raises
    :class:`~scorer.errors.ModelError` at once when the model is unusable.
    """
    score_many([WARM_UP_TEXT], config=config)


def _warm_worker(load_model: bool) -> None:
    """Pool initializer: make sure each worker has loaded the scorer once, not per chunk."""
    if load_model:
        try:
            warm_up()
        except ScorerError:
            pass  # reported by the first chunk, in the parent, with its real message


def ordered_results(submit: Callable[[list[Item]], Any], chunks: Iterable[list[Item]], window: int) -> Iterator[list]:
    """Results of ``submit(chunk).result()`` in chunk order, with at most ``window`` chunks in flight."""
    pending: deque = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield _result(pending.popleft())
    while pending:
        yield _result(pending.popleft())


def _result(future: Any) -> list:
    return future.get() if hasattr(future, "get") and not hasattr(future, "result") else future.result()


@contextmanager
def local_pool(jobs: int, load_model: bool = True) -> Iterator[Any]:
    """A pool of ``jobs`` forked worker processes (None for ``jobs <= 1``).

    Fork: workers inherit the imported modules and a model already loaded in
    the parent, and user scripts need no ``__main__`` guard. Create the pool
    before starting other threads (progress bars, Dask clients).
    """
    if jobs <= 1:
        yield None
        return
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(jobs, initializer=_warm_worker, initargs=(load_model,)) as pool:
        yield pool


def scored_chunks(
    chunks: Iterable[list[Item]],
    *,
    jobs: int = 1,
    score_fn: ScoreFn | None = None,
    config: Config = DEFAULT,
    client: Any = None,
    pool: Any = None,
) -> Iterator[list[dict[str, Any] | Failed]]:
    """Score chunks in order: in this process, on a local ``pool`` (or ``jobs`` processes), or on a Dask client."""
    task = partial(score_chunk, score_fn=score_fn, config=config)
    if client is not None:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        window = CHUNKS_PER_WORKER * workers + 1
        yield from ordered_results(lambda c: client.submit(task, c, pure=False), chunks, window)
    elif pool is not None:
        window = CHUNKS_PER_WORKER * pool._processes  # noqa: SLF001 (Pool has no public size)
        yield from ordered_results(lambda c: pool.apply_async(task, (c,)), chunks, window)
    elif jobs > 1:
        with local_pool(jobs, score_fn is None) as own:
            yield from scored_chunks(chunks, score_fn=score_fn, config=config, pool=own)
    else:
        yield from (task(c) for c in chunks)


# --------------------------------------------------------------------------- writing and resuming


def output_format(path: Path) -> OutputFormat:
    return "csv" if path.suffix.lower() in (".csv", ".tsv") else "jsonl"


def default_errors_path(output: Path) -> Path:
    """``out.jsonl`` -> ``out.errors.jsonl``."""
    return output.with_name(f"{output.stem}.errors.jsonl")


def _drop_partial_line(path: Path) -> None:
    """Cut a last line left half-written by an interrupted run."""
    with open(path, "rb+") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        if size == 0:
            return
        fh.seek(size - 1)
        if fh.read(1) == b"\n":
            return
        pos = size
        while pos > 0:
            step = min(65536, pos)
            fh.seek(pos - step)
            block = fh.read(step)
            cut = block.rfind(b"\n")
            if cut >= 0:
                fh.truncate(pos - step + cut + 1)
                return
            pos -= step
        fh.truncate(0)


def written_ids(path: Path, fmt: OutputFormat) -> set[str]:
    """Ids already in an output or errors file (after dropping a half-written last line)."""
    if not path.is_file():
        return set()
    _drop_partial_line(path)
    ids: set[str] = set()
    with open(path, encoding="utf-8", newline="") as fh:
        if fmt == "csv":
            csv.field_size_limit(sys.maxsize)
            ids.update(row["id"] for row in csv.DictReader(fh) if row.get("id"))
        else:
            for line in fh:
                try:
                    ids.add(str(json.loads(line)["id"]))
                except (json.JSONDecodeError, KeyError, TypeError):
                    continue
    return ids


class RowWriter:
    """Appends rows to a JSONL or CSV file, flushing per chunk so a crash loses at most one chunk."""

    def __init__(self, path: Path, fmt: OutputFormat, append: bool) -> None:
        new = not (append and path.is_file() and path.stat().st_size > 0)
        self.fmt = fmt
        self.fh: IO[str] = open(path, "a" if append else "w", encoding="utf-8", newline="")
        self.csv = csv.DictWriter(self.fh, CSV_FIELDS, extrasaction="ignore") if fmt == "csv" else None
        if self.csv is not None and new:
            self.csv.writeheader()

    def write(self, row: dict[str, Any]) -> None:
        if self.csv is not None:
            self.csv.writerow(row)
        else:
            self.fh.write(json.dumps(row, ensure_ascii=False) + "\n")

    def flush(self) -> None:
        self.fh.flush()

    def close(self) -> None:
        self.fh.close()


# --------------------------------------------------------------------------- the run


@dataclass
class _Counts:
    read: int = 0
    skipped: int = 0
    scored: int = 0
    failed: int = 0
    done: set[str] = field(default_factory=set)


def run_batch(
    input: str | Path,
    output: str | Path,
    *,
    columns: Columns = Columns(),
    errors: str | Path | None = None,
    output_fmt: OutputFormat | None = None,
    jobs: int = 1,
    chunk_size: int = CHUNK_SIZE,
    resume: bool = False,
    config: Config = DEFAULT,
    score_fn: ScoreFn | None = None,
    client: Any = None,
    progress: bool | None = None,
) -> BatchSummary:
    """Score every record of ``input`` into ``output`` (rows in input order) and ``errors``.

    ``score_fn`` replaces the real scorer (for tests and experiments); it must
    be a picklable module-level function when ``jobs > 1`` or with ``client``.
    ``progress`` defaults to a bar only when stderr is a terminal.
    """
    from tqdm import tqdm

    start = time.perf_counter()
    src, out = Path(input), Path(output)
    fmt = output_fmt or output_format(out)
    err_path = Path(errors) if errors else default_errors_path(out)
    if out.resolve() == err_path.resolve():
        raise ConfigError("the output and the errors file must differ")
    items = read_items(src, columns)  # checks the input format before anything is written
    if score_fn is None and client is None:
        warm_up(config)  # fail fast on a bad model; forked workers inherit what it loaded
    counts = _Counts()
    if resume:
        counts.done = written_ids(out, fmt) | written_ids(err_path, "jsonl")

    def todo() -> Iterator[Item]:
        for it in items:
            counts.read += 1
            if it.id in counts.done:
                counts.skipped += 1
                continue
            yield it

    rows_out = RowWriter(out, fmt, append=resume)
    errs_out = RowWriter(err_path, "jsonl", append=resume)
    show = sys.stderr.isatty() if progress is None else progress
    try:
        with local_pool(jobs if client is None else 1, score_fn is None) as pool, tqdm(
            unit="doc", disable=not show, desc="scoring", dynamic_ncols=True
        ) as bar:
            chunks = chunked(todo(), chunk_size)
            for rows in scored_chunks(chunks, score_fn=score_fn, config=config, client=client, pool=pool):
                for row in rows:
                    if isinstance(row, Failed):
                        counts.failed += 1
                        errs_out.write(row.to_dict())
                    else:
                        counts.scored += 1
                        rows_out.write(row)
                rows_out.flush()
                errs_out.flush()
                bar.update(len(rows))
    finally:
        rows_out.close()
        errs_out.close()
    return BatchSummary(
        counts.read, counts.scored, counts.failed, counts.skipped, time.perf_counter() - start, str(out), str(err_path)
    )


def read_rows(path: str | Path) -> Iterator[dict[str, Any]]:
    """Stream the rows of a ``scorer batch`` output (JSONL or CSV)."""
    p = Path(path)
    if output_format(p) == "csv":
        csv.field_size_limit(sys.maxsize)
        with open(p, encoding="utf-8-sig", newline="") as fh:
            yield from csv.DictReader(fh, delimiter="\t" if p.suffix.lower() == ".tsv" else ",")
        return
    with open(p, encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{p}: line {n}: invalid JSON ({exc.msg})") from None
