"""Batch runner: readers, per-record errors, order, --jobs, --resume, CLI."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from scorer.batch import (
    CSV_FIELDS,
    Columns,
    Failed,
    Record,
    chunked,
    ordered_results,
    read_items,
    read_rows,
    run_batch,
    score_chunk,
    written_ids,
)
from scorer.cli import main
from scorer.errors import ConfigError, InputError, ModelError
from tests.fakes import fake_score




def picky_score(texts, references):
    """Like fake_score, but refuses a whole batch holding 'BOOM' and crashes on 'CRASH'."""
    if any("CRASH" in t for t in texts):
        raise ValueError("family bug")
    if len(texts) > 1 and any("BOOM" in t for t in texts):
        raise InputError("text #1 is odd")
    if texts and "BOOM" in texts[0]:
        raise InputError("text is odd")
    return fake_score(texts, references)


def no_model(texts, references):
    raise ModelError("no model manifest; retrain")


def write_jsonl(path: Path, records: list) -> Path:
    with open(path, "wb") as fh:
        for r in records:
            fh.write(r if isinstance(r, bytes) else (json.dumps(r) + "\n").encode("utf-8"))
    return path


def corpus(n: int) -> list[dict]:
    return [{"id": f"d{i:03d}", "text": f"Document number {i}. " + "word " * (i % 13), "url": f"https://www.s{i % 3}.com/{i}"}
            for i in range(n)]


# --------------------------------------------------------------------------- readers


def test_jsonl_reader_reports_each_bad_line_and_keeps_the_rest(tmp_path):
    path = write_jsonl(tmp_path / "in.jsonl", [
        {"text": "No id here.", "url": "https://t.co/x", "final_url": "https://www.bbc.co.uk/news/1"},
        b"{not json\n",
        b'{"id": "enc", "text": "caf\xe9"}\n',
        b"\n",
        b"[1, 2]\n",
        {"id": 7, "body": "wrong field"},
        {"id": "num", "text": 42},
        b'{"id": "sur", "text": "bad \\ud800 escape"}\n',
        {"id": "ok", "text": "Fine.", "reference": "Ref.", "source": "Le Monde"},
    ])
    items = list(read_items(path))
    assert items == [
        Record("line 1", "No id here.", None, "https://t.co/x", "bbc.co.uk"),
        Failed("line 2", "invalid JSON: Expecting property name enclosed in double quotes (column 2)"),
        Failed("line 3", "not valid UTF-8 (byte 26)"),
        Failed("line 5", "a JSON object was expected, not list"),
        Failed("7", "no 'text' field"),
        Failed("num", "'text' must be a string, not int"),
        Failed("sur", "'text' is not valid UTF-8"),
        Record("ok", "Fine.", "Ref.", None, "Le Monde"),
    ]


def test_csv_reader_with_configured_columns(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(
        b"key,body,link,ref\n"
        b'a,"Two lines,\nwith a comma.",https://www.example.co.uk/x,\n'
        b"b,caf\xe9,,\n"
        b",No key.,,The reference.\n"
    )
    cols = Columns(text="body", id="key", url="link", reference="ref")
    assert list(read_items(path, cols)) == [
        Record("a", "Two lines,\nwith a comma.", None, "https://www.example.co.uk/x", "example.co.uk"),
        Failed("b", "'body' is not valid UTF-8"),
        Record("row 3", "No key.", "The reference.", None, None),
    ]
    with pytest.raises(ConfigError, match="no 'text' column"):
        list(read_items(path))


def test_folder_reader_sorted_with_sources_from_subfolders(tmp_path):
    (tmp_path / "reuters.com").mkdir()
    (tmp_path / "reuters.com" / "b.txt").write_text("Second.", encoding="utf-8")
    (tmp_path / "reuters.com" / "a.txt").write_text("First.", encoding="utf-8")
    (tmp_path / "top.txt").write_bytes(b"\xef\xbb\xbfTop level.")
    (tmp_path / "latin.txt").write_bytes(b"caf\xe9")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / ".hidden").write_text("skip me", encoding="utf-8")
    assert list(read_items(tmp_path)) == [
        Failed("empty.txt", "empty file: nothing to score"),
        Failed("latin.txt", "not valid UTF-8 (byte 3)"),
        Record("reuters.com/a.txt", "First.", source="reuters.com"),
        Record("reuters.com/b.txt", "Second.", source="reuters.com"),
        Record("top.txt", "Top level."),
    ]


def test_unknown_input_format(tmp_path):
    (tmp_path / "x.parquet").write_bytes(b"PAR1")
    with pytest.raises(ConfigError, match="cannot tell the input format"):
        read_items(tmp_path / "x.parquet")
    with pytest.raises(ConfigError, match="no such file"):
        read_items(tmp_path / "missing.txt")


# --------------------------------------------------------------------------- chunks


def test_score_chunk_isolates_bad_records():
    items = [Record("a", "Fine text."), Record("b", "   "), Record("c", "BOOM text"), Record("d", "CRASH"),
             Failed("e", "not valid UTF-8"), Record("f", "x" * 50, reference="")]
    rows = score_chunk(items, picky_score)
    assert [r.id if isinstance(r, Failed) else r["id"] for r in rows] == ["a", "b", "c", "d", "e", "f"]
    assert rows[1] == Failed("b", "text is empty: nothing to score")
    assert rows[2] == Failed("c", "text is odd")
    assert rows[3] == Failed("d", "internal error: ValueError: family bug")
    assert rows[4] == Failed("e", "not valid UTF-8")
    assert rows[5] == Failed("f", "reference is empty: nothing to score")
    assert rows[0]["score"] == 0.0 and rows[0]["label"] == "unreliable"


def test_score_chunk_propagates_model_errors():
    with pytest.raises(ModelError, match="retrain"):
        score_chunk([Record("a", "Fine text.")], no_model)


def test_rows_count_findings_per_family():
    (row,) = score_chunk([Record("a", "Some spin here.", url="https://x.com", source="x.com")], fake_score)
    assert row["spin_findings"] == 1 and row["n_findings"] == 1 and row["consistency_findings"] == 0
    assert row["findings"][0]["code"] == "spin.substitution" and row["source"] == "x.com"


def test_ordered_results_keeps_a_bounded_window():
    pulled = []

    def chunks():
        for i in range(10):
            pulled.append(i)
            yield [i]

    class Done:
        def __init__(self, c):
            self.c = c

        def result(self):
            return (self.c, len(pulled))

    got = list(ordered_results(Done, chunks(), window=3))
    assert [c for c, _ in got] == [[i] for i in range(10)]
    assert max(seen - c[0] for c, seen in got) <= 3  # never more than 3 chunks read ahead
    with pytest.raises(ConfigError):
        list(chunked([], 0))


# --------------------------------------------------------------------------- runs


def test_run_batch_writes_rows_in_input_order_and_errors_apart(tmp_path):
    recs = corpus(20)
    recs[5]["text"] = ""
    src = write_jsonl(tmp_path / "in.jsonl", recs[:12] + [b"{oops\n"] + recs[12:])
    out = tmp_path / "out.jsonl"
    s = run_batch(src, out, score_fn=fake_score, chunk_size=4)
    assert (s.read, s.scored, s.failed, s.skipped) == (21, 19, 2, 0)
    rows = list(read_rows(out))
    assert [r["id"] for r in rows] == [r["id"] for i, r in enumerate(recs) if i != 5]
    assert rows[0]["source"] == "s0.com" and rows[1]["url"] == "https://www.s1.com/1"
    errors = [json.loads(line) for line in (tmp_path / "out.errors.jsonl").read_text().splitlines()]
    assert errors == [{"id": "d005", "reason": "text is empty: nothing to score"},
                      {"id": "line 13", "reason": "invalid JSON: Expecting property name enclosed in double quotes (column 2)"}]


def test_csv_output(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", corpus(5))
    out = tmp_path / "out.csv"
    run_batch(src, out, score_fn=fake_score, errors=tmp_path / "errs.jsonl")
    with open(out, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames) == CSV_FIELDS
        rows = list(reader)
    assert [r["id"] for r in rows] == ["d000", "d001", "d002", "d003", "d004"]
    assert rows[2]["score"] == str(fake_score([corpus(5)[2]["text"]], [None])[0].score)
    assert (tmp_path / "errs.jsonl").read_text() == ""


def test_jobs_two_gives_the_same_file_as_jobs_one(tmp_path):
    recs = corpus(60)
    recs[10]["text"] = "\x00binary"
    src = write_jsonl(tmp_path / "in.jsonl", recs)
    one = run_batch(src, tmp_path / "one.jsonl", score_fn=fake_score, chunk_size=7)
    two = run_batch(src, tmp_path / "two.jsonl", score_fn=fake_score, chunk_size=7, jobs=2)
    assert (one.scored, one.failed) == (two.scored, two.failed) == (59, 1)
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    assert (tmp_path / "one.errors.jsonl").read_bytes() == (tmp_path / "two.errors.jsonl").read_bytes()


@pytest.mark.parametrize("suffix", ["jsonl", "csv"])
def test_resume_after_an_interrupted_run(tmp_path, suffix):
    recs = corpus(30)
    recs[3]["text"] = " "
    src = write_jsonl(tmp_path / "in.jsonl", recs)
    full = tmp_path / f"full.{suffix}"
    run_batch(src, full, score_fn=fake_score, chunk_size=4)
    # an interrupted run: 11 complete lines (CSV: header + 10 rows) and half of the next one
    part = tmp_path / f"part.{suffix}"
    lines = full.read_bytes().splitlines(keepends=True)
    part.write_bytes(b"".join(lines[:11]) + lines[11][:15])
    (tmp_path / "part.errors.jsonl").write_bytes((tmp_path / "full.errors.jsonl").read_bytes())
    s = run_batch(src, part, score_fn=fake_score, chunk_size=4, resume=True)
    rows_done = 11 if suffix == "jsonl" else 10
    assert s.skipped == rows_done + 1 and s.failed == 0  # + the record already in the errors file
    assert part.read_bytes() == full.read_bytes()
    assert len(written_ids(part, suffix)) == 29


def test_no_progress_bar_off_a_terminal(tmp_path, capsys):
    src = write_jsonl(tmp_path / "in.jsonl", corpus(3))
    run_batch(src, tmp_path / "out.jsonl", score_fn=fake_score)
    assert capsys.readouterr().err == ""
    run_batch(src, tmp_path / "out.jsonl", score_fn=fake_score, progress=True)
    assert "3doc" in capsys.readouterr().err.replace(" ", "")


def test_output_and_errors_must_differ(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", corpus(1))
    with pytest.raises(ConfigError, match="must differ"):
        run_batch(src, tmp_path / "o.jsonl", errors=tmp_path / "o.jsonl", score_fn=fake_score)


# --------------------------------------------------------------------------- CLI, end to end with the real model


def test_cli_batch_end_to_end(tmp_path, capsys, seed_texts):
    recs = [{"id": name, "text": text, "url": "https://www.example.com/a"} for name, text in seed_texts.items()]
    recs.append({"id": "empty", "text": ""})
    src = write_jsonl(tmp_path / "in.jsonl", recs)
    out = tmp_path / "out.csv"
    assert main(["batch", str(src), "-o", str(out), "--no-progress"]) == 3
    err = capsys.readouterr().err
    assert f"scored {len(seed_texts)}, failed 1" in err and "out.errors.jsonl" in err
    rows = list(read_rows(out))
    assert [r["id"] for r in rows] == list(seed_texts)
    assert all(0.0 <= float(r["score"]) <= 1.0 and r["model"] == "noref" for r in rows)
    assert main(["batch", str(src), "-o", str(out), "--resume"]) == 0  # nothing left to do
    assert "scored 0, failed 0, skipped 3" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["batch", str(src), "-o", str(out), "--jobs", "0"])
    assert exc.value.code == 2 and "must be at least 1, not 0" in capsys.readouterr().err


def test_cli_batch_folder_with_real_model(tmp_path, capsys):
    (tmp_path / "in" / "a.org").mkdir(parents=True)
    (tmp_path / "in" / "a.org" / "1.txt").write_text("The council met on Wednesday. It said little.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(tmp_path / "in"), "-o", str(out), "-j", "2"]) == 0
    (row,) = list(read_rows(out))
    assert row["id"] == "a.org/1.txt" and row["source"] == "a.org" and row["features"]


def test_folder_reader_reads_html_pages_by_their_text(tmp_path):
    (tmp_path / "page.html").write_text("<html><head><title>x</title></head><body><p>First &amp; last.</p>"
                                        "<p>Second.</p></body></html>", encoding="utf-8")
    (tmp_path / "blank.htm").write_text("<html><body><script>x()</script></body></html>", encoding="utf-8")
    assert list(read_items(tmp_path)) == [
        Failed("blank.htm", "the HTML page holds no text outside scripts, styles and page furniture"),
        Record("page.html", "First & last.\n\nSecond."),
    ]


def test_jsonl_fields_that_hold_whole_pages_are_read_by_their_text(tmp_path):
    import json

    rows = [{"id": "a", "text": "<!DOCTYPE html><html><body><nav>Menu</nav><p>Kept &amp; scored.</p></body></html>"},
            {"id": "b", "text": "A <b>tag</b> inside plain text stays as it is."}]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert [(r.id, r.text) for r in read_items(path)] == [
        ("a", "Kept & scored."), ("b", "A <b>tag</b> inside plain text stays as it is.")]


def test_a_record_that_is_not_english_prose_is_marked_in_its_row():
    from scorer.batch import score_chunk
    from tests.test_pipeline import GERMAN

    (row,) = score_chunk([Record("de", GERMAN)])
    assert row["out_of_scope"] == "quality.not_english" and row["score"] == 0.1 and row["spin_findings"] == 0
