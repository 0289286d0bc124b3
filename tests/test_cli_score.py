"""`scorer score` as a user runs it: the installed command, output and exit codes."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import SEEDS


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scorer", *args], capture_output=True, text=True, timeout=120)


def test_score_seeds_text_and_json(tmp_path: Path) -> None:
    res = run("score", *map(str, SEEDS))
    assert res.returncode == 0, res.stderr
    for seed in SEEDS:
        assert f"{seed}: unreliable (score 0." in res.stdout
    res = run("score", str(SEEDS[0]), "--reference", str(SEEDS[1]), "--format", "json")
    data = json.loads(res.stdout)
    assert data[0]["path"] == str(SEEDS[0]) and data[0]["has_reference"] is True
    assert any(k.startswith("consistency.") for k in data[0]["features"])


def test_bad_files_are_reported_and_batch_continues(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "binary.bin").write_bytes(b"\x00\x01\x02PNG")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 cr\xe8me".encode("latin-1"))
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.seek(50 * 1024 * 1024)
        fh.write(b"x")
    files = [str(tmp_path / n) for n in ("empty.txt", "binary.bin", "latin1.txt", "big.txt", "missing.txt")]
    res = run("score", *files, str(SEEDS[0]), "--format", "json")
    assert res.returncode == 3
    assert "Traceback" not in res.stderr
    errors = [line for line in res.stderr.splitlines() if line.startswith("scorer: error:")]
    assert len(errors) == 5
    assert any("empty file" in e for e in errors) and any("binary file" in e for e in errors)
    assert any("not valid UTF-8" in e for e in errors) and any("too large" in e for e in errors)
    assert any("no such file" in e for e in errors)
    data = json.loads(res.stdout)
    assert [d["path"] for d in data][-1] == str(SEEDS[0]) and "score" in data[-1]


def test_standard_input_is_read_for_dash() -> None:
    seed = SEEDS[0].read_text(encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "scorer", "score", "-", "--format", "json"], input=seed,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    from_file = json.loads(run("score", str(SEEDS[0]), "--format", "json").stdout)[0]
    assert json.loads(res.stdout)[0]["score"] == from_file["score"]
    empty = subprocess.run([sys.executable, "-m", "scorer", "score", "-"], input="  \n", capture_output=True,
                           text=True, timeout=120)
    assert empty.returncode == 3 and "<stdin>: empty file" in empty.stderr
    twice = run("score", "-", "--reference", "-")
    assert twice.returncode == 2 and "read only once" in twice.stderr and "Traceback" not in twice.stderr


def test_html_format_is_one_page_with_the_findings_marked(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text(" ")
    res = run("score", str(SEEDS[0]), str(tmp_path / "empty.txt"), "--reference", str(SEEDS[1]), "--format", "html")
    assert res.returncode == 3 and "empty file" in res.stderr  # the other document is still on the page
    page = res.stdout
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>") and page.count("<h2>") == 2
    assert f"<h2>{SEEDS[0]}</h2>" in page and '<b class="unreliable">unreliable</b>' in page
    assert 'title="consistency.title_mismatch: the reference calls Jens Stoltenberg' in page  # a marked span
    assert "<th>evidence in the reference</th>" in page and "not scored: " in page


def test_usage_error_exit_code() -> None:
    res = run("score", "--format", "xml", str(SEEDS[0]))
    assert res.returncode == 2 and "invalid choice" in res.stderr


def test_lexicon_option(shared, tmp_path: Path) -> None:
    doc = tmp_path / "paper.txt"
    doc.write_text("We trained a counterfeit consciousness model on the data set. It worked well in every test.")
    pps = shared / "data" / "spin" / "pps_tortured_2025-07.csv"
    res = run("score", str(doc), "--lexicon", str(pps), "--format", "json")
    assert res.returncode == 0, res.stderr
    found = [f for f in json.loads(res.stdout)[0]["findings"] if f["code"] == "spin.lexicon"]
    assert [f["text"].lower() for f in found] == ["counterfeit consciousness"]
    assert found[0]["suggestion"].lower() == "artificial intelligence"
    res = run("score", str(doc), "--lexicon", str(tmp_path / "nope.csv"))
    assert res.returncode == 2 and "no such file" in res.stderr


def test_register_option_turns_the_scientific_pairs_on_and_off(tmp_path: Path) -> None:
    doc = tmp_path / "paper.txt"
    doc.write_text("In this paper we propose a new method based on profound learning for the proposed system.")
    codes = {}
    for register in ("auto", "news"):
        res = run("score", str(doc), "--register", register, "--format", "json")
        assert res.returncode == 0, res.stderr
        codes[register] = [(f["text"], f["suggestion"]) for f in json.loads(res.stdout)[0]["findings"]
                           if f["code"] == "spin.science_pair"]
    assert codes["auto"] == [("profound", "deep")]
    assert codes["news"] == []
    res = run("score", str(doc), "--register", "physics")
    assert res.returncode == 2 and "invalid choice" in res.stderr


def test_an_html_page_is_scored_by_its_text(tmp_path: Path) -> None:
    body = "".join(f"<p>{line}</p>\n" for line in SEEDS[1].read_text(encoding="utf-8").splitlines() if line.strip())
    page = tmp_path / "page.html"
    page.write_text(f"<!doctype html><html><head><script>var a = 1;</script></head><body>{body}</body></html>",
                    encoding="utf-8")
    res = run("score", str(page), "--format", "json")
    assert res.returncode == 0, res.stderr
    (data,) = json.loads(res.stdout)
    assert data["label"] == "unreliable" and data["path"] == str(page)
    found = [f for f in data["findings"] if f["code"] == "spin.substitution"]
    assert any(f["text"] == "Assistant" and f["suggestion"] == "Secretary" for f in found)
    assert not any("<" in f["text"] or "var a" in f["text"] for f in data["findings"])


def test_text_output_quotes_long_findings_on_one_shortened_line(tmp_path: Path) -> None:
    doc = tmp_path / "short.txt"
    doc.write_text("The council met on Wednesday in Brussels.\n\nIt said little about the talks that followed.\n",
                   encoding="utf-8")
    res = run("score", str(doc))
    assert res.returncode == 0, res.stderr
    (line,) = [x for x in res.stdout.splitlines() if "quality.too_short" in x]
    assert "'The council met on Wednesday in Brussels. It said little ab…'" in line
