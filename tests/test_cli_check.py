"""`scorer check` and `scorer config` end to end: the installed command as a subprocess.

Most tests run against a small stand-in model (a logistic regression on the
word count alone: under ~60 words scores low, longer text scores high), so exit
codes do not depend on the shipped classifier's state. The seeds/genuine test
uses the shipped model.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from scorer.data import REPO

SCORER = shutil.which("scorer") or pytest.fail("the `scorer` command is not installed (pip install -e .)")
SARIF_SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text())
CHECK_SCHEMA = json.loads((REPO / "scorer" / "gate" / "schemas" / "check-v1.json").read_text())

SENTENCES = [
    "The city council met on Tuesday evening to discuss the new budget for local schools.",
    "Members agreed that the plan needs more detail before a final vote next month.",
    "Officials said the cost of repairs to the old bridge had risen sharply this year.",
    "A spokesman for the transport department declined to comment on the figures.",
    "Residents who attended the meeting asked for more buses on the northern routes.",
    "The mayor promised to publish a full report before the end of the summer.",
]


def prose(words: int) -> str:
    out, n, i = [], 0, 0
    while n < words:
        s = SENTENCES[i % len(SENTENCES)]
        out.append(s)
        n += len(s.split())
        i += 1
    return " ".join(out[:3]) + "\n\n" + " ".join(out[3:]) + "\n"


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    """A valid model directory: documents pass when longer than 60 words (summaries: when no contradiction)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    from scorer.features import MODES, feature_ids
    from scorer.training.train import save_model

    out = tmp_path_factory.mktemp("models")
    entries = {}
    for name in MODES:
        ids = feature_ids(name)
        if "readability.word_count" not in ids:  # consistency-only models (summary, excerpt)
            column, values, good = "consistency.contradiction_count", np.linspace(0, 4, 201), lambda v: v < 0.5
        else:
            column, values, good = "readability.word_count", np.linspace(0, 400, 201), lambda v: v > 60
        x = np.zeros((len(values), len(ids)))
        x[:, ids.index(column)] = values
        pipe = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression(C=100.0))]).fit(x, good(values).astype(int))
        entries[name] = {**save_model(pipe, out, name, ids), "typical_reliable": {}}
    (out / "manifest.json").write_text(json.dumps({"schema_version": 1, "models": entries}), encoding="utf-8")
    return out


def run(args: list[str], cwd: Path, model: Path | None, env: dict | None = None) -> subprocess.CompletedProcess:
    e = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "SCORER_MODEL", "FORCE_COLOR", "NO_COLOR"))}
    if model is not None:
        e["SCORER_MODEL_DIR"] = str(model)
    e.update(env or {})
    return subprocess.run([SCORER, *args], cwd=cwd, env=e, capture_output=True, text=True, timeout=120)


def no_traceback(p: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in p.stderr and "Traceback" not in p.stdout, p.stderr


@pytest.fixture()
def project(tmp_path) -> Path:
    (tmp_path / ".git").mkdir()  # configuration search stops here
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text(prose(200), encoding="utf-8")
    (docs / "short.txt").write_text("Too short to trust. Only a few words here.\n", encoding="utf-8")
    code = "\n".join(f"    word{i} = {i}  # lots of words in a code block that must not count" for i in range(40))
    (docs / "page.md").write_text(
        f"---\ntitle: {'front matter words ' * 40}\n---\n# Heading\n\nA short note.\n\n```text\n{prose(300)}```\n\n{code}\n",
        encoding="utf-8",
    )
    refs = tmp_path / "refs"
    refs.mkdir()
    (refs / "good.txt").write_text(prose(200), encoding="utf-8")
    return tmp_path


def test_all_formats_in_one_run(project, model_dir):
    summary = project / "summary.md"
    p = run(
        ["check", "docs", "--reference-dir", "refs", "--format", "json", "--format", "sarif:out/r.sarif",
         "--format", "junit:out/r.xml", "--format", "github:out/gh.txt"],
        project, model_dir, {"GITHUB_STEP_SUMMARY": str(summary)},
    )
    no_traceback(p)
    assert p.returncode == 1, p.stderr
    data = json.loads(p.stdout)
    jsonschema.Draft202012Validator(CHECK_SCHEMA).validate(data)
    docs = {d["path"]: d for d in data["documents"]}
    assert {k: d["status"] for k, d in docs.items()} == {
        "docs/good.txt": "passed", "docs/page.md": "failed", "docs/short.txt": "failed"
    }
    assert docs["docs/good.txt"]["reference"] == "refs/good.txt" and "consistency.alignment_mean" in docs["docs/good.txt"]["features"]
    assert docs["docs/short.txt"]["reference"] is None
    assert docs["docs/page.md"]["features"]["readability.word_count"] <= 6  # front matter and code not scored
    assert docs["docs/short.txt"]["results"][0]["rule"] == "gate.score"
    assert data["exit_code"] == 1 and data["summary"]["failed"] == 2

    sarif = json.loads((project / "out/r.sarif").read_text())
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results if r["ruleId"] == "gate.score"} == {
        "docs/page.md", "docs/short.txt"
    }
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in results)

    suite = ET.parse(project / "out/r.xml").getroot().find("testsuite")
    assert [c.attrib["name"] for c in suite.findall("testcase")] == ["docs/good.txt", "docs/page.md", "docs/short.txt"]
    assert suite.attrib["failures"] == "2"

    gh = (project / "out/gh.txt").read_text().splitlines()
    assert any(l.startswith("::error file=docs/short.txt,line=1,col=1,title=scorer gate.score::") for l in gh)
    assert summary.read_text().startswith("## scorer check: ❌ failed")


def test_text_output_and_passing_exit_code(project, model_dir):
    p = run(["check", "docs/good.txt", "docs/short.txt", "--fail-under", "0.5"], project, model_dir)
    no_traceback(p)
    assert p.returncode == 1
    lines = p.stdout.splitlines()
    assert lines[0].startswith("docs/short.txt: FAILED score 0.")
    assert "\x1b[" not in p.stdout  # not a terminal: no colour
    assert lines[-1].startswith("gate FAILED: 2 documents, 1 failed, 1 passed")
    ok = run(["check", "docs/good.txt", "-v", "--color", "always"], project, model_dir)
    assert ok.returncode == 0 and "\x1b[32mpassed" in ok.stdout


def test_bad_inputs_are_one_line_errors_and_the_rest_is_checked(project, model_dir):
    d = project / "docs"
    (d / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (d / "latin1.txt").write_bytes("caf\xe9 cr\xe8me".encode("latin-1"))
    (d / "empty.md").write_text("  \n", encoding="utf-8")
    (d / "dangling.txt").symlink_to(project / "nowhere.txt")
    os.mkfifo(d / "pipe.txt")  # would block a naive reader forever
    with open(d / "huge.txt", "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    p = run(["check", "docs", "missing.md", "--format", "json"], project, model_dir)
    no_traceback(p)
    assert p.returncode == 3
    docs = {x["path"]: x for x in json.loads(p.stdout)["documents"]}
    assert docs["docs/good.txt"]["status"] == "passed" and docs["docs/short.txt"]["status"] == "failed"
    errors = {k: v["error"] for k, v in docs.items() if v["status"] == "error"}
    assert set(errors) == {"docs/binary.txt", "docs/latin1.txt", "docs/empty.md", "docs/dangling.txt", "docs/huge.txt", "docs/pipe.txt", "missing.md"}
    assert "binary file" in errors["docs/binary.txt"]
    assert "not valid UTF-8" in errors["docs/latin1.txt"]
    assert "empty" in errors["docs/empty.md"]
    assert "no such file" in errors["docs/dangling.txt"]
    assert "too large" in errors["docs/huge.txt"]
    assert "no such file" in errors["missing.md"]
    assert "not a regular file" in errors["docs/pipe.txt"]
    stderr = p.stderr.strip().splitlines()
    assert len(stderr) == 7 and all(l.startswith("scorer: error: ") for l in stderr)


@pytest.mark.parametrize(
    "setup, args, message",
    [
        ("scorer.toml:fail_under = [", [], "invalid TOML"),
        ("pyproject.toml:[tool.scorer]\nfail_on = 'fatal'", [], "fail_on: Input should be"),
        ("", ["--fail-under", "2"], "fail_under: Input should be less than or equal to 1"),
        ("", ["--format", "yaml"], "unknown format 'yaml'"),
        ("", ["--reference", "nope.txt"], "--reference: nope.txt: no such file"),
        ("scorer.toml:[thresholds]\n'readabilty.flesch' = {min = 1}", [], "is not a feature id, family or rule id"),
        ("", ["--reference", "refs/good.txt", "--reference-dir", "refs"], "not allowed with argument"),
    ],
)
def test_usage_and_config_errors_exit_2(project, model_dir, setup, args, message):
    if setup:
        name, _, text = setup.partition(":")
        (project / name).write_text(text, encoding="utf-8")
    p = run(["check", "docs/good.txt", *args], project, model_dir)
    no_traceback(p)
    assert p.returncode == 2, p.stdout
    assert len(p.stderr.strip().splitlines()) == 1 and message in p.stderr


def test_config_show_reports_sources(project, model_dir):
    (project / "pyproject.toml").write_text("[tool.scorer]\nfail_under = 0.6\nthreshold = 0.4\n", encoding="utf-8")
    (project / "scorer.toml").write_text("fail_under = 0.7\n", encoding="utf-8")
    p = run(["config", "--show", "--fail-on", "warning"], project / "docs", None)
    no_traceback(p)
    assert p.returncode == 0
    assert "threshold = 0.4  # pyproject.toml" in p.stdout
    assert "fail_under = 0.7  # scorer.toml" in p.stdout
    assert 'fail_on = "warning"  # command line' in p.stdout
    assert "max_chars = 2000000  # default" in p.stdout


def test_baseline_ratchet(project, model_dir):
    (project / "scorer.toml").write_text(
        "baseline = 'scorer-baseline.json'\n[thresholds]\n'readability.word_count' = {min = 30}\n", encoding="utf-8"
    )
    short = project / "docs" / "short.txt"
    first = run(["check", "docs/good.txt", "docs/short.txt", "--update-baseline"], project, model_dir)
    assert first.returncode == 0, first.stdout + first.stderr
    stored = json.loads((project / "scorer-baseline.json").read_text())
    assert set(stored["documents"]) == {"docs/good.txt", "docs/short.txt"}
    again = run(["check", "docs/good.txt", "docs/short.txt", "--format", "json"], project, model_dir)
    assert again.returncode == 0
    doc = next(d for d in json.loads(again.stdout)["documents"] if d["path"] == "docs/short.txt")
    assert doc["baseline"] == "unchanged" and all(r["baselined"] for r in doc["results"] if r["severity"] == "error")
    short.write_text("Even shorter now.\n", encoding="utf-8")  # fewer words: further below the threshold
    (project / "docs" / "new.txt").write_text("A new short file.\n", encoding="utf-8")
    worse = run(["check", "docs", "--format", "json"], project, model_dir)
    assert worse.returncode == 1
    state = {d["path"]: (d["status"], d["baseline"]) for d in json.loads(worse.stdout)["documents"]}
    assert state["docs/short.txt"] == ("failed", "worse")
    assert state["docs/new.txt"] == ("failed", "new")  # new documents must meet the bar
    assert state["docs/good.txt"] == ("passed", "unchanged")


def test_suppression_end_to_end(project, model_dir):
    (project / "scorer.toml").write_text("[per_path_ignores]\n'docs/short.txt' = ['score']\n", encoding="utf-8")
    (project / "docs" / "page.md").write_text("<!-- scorer: ignore-file -->\nNot checked.\n", encoding="utf-8")
    p = run(["check", "docs", "--reference", "refs/good.txt", "--format", "json"], project, model_dir)
    assert p.returncode == 0, p.stdout
    docs = json.loads(p.stdout)["documents"]
    assert {d["path"]: d["status"] for d in docs} == {
        "docs/good.txt": "passed", "docs/page.md": "skipped", "docs/short.txt": "passed"
    }
    assert [d["reference"] for d in docs if d["status"] != "skipped"] == ["refs/good.txt"] * 2


def test_seeds_fail_and_genuine_articles_pass(shared, tmp_path):
    """With the shipped model and default settings: both seeds fail, held-out BBC articles pass."""
    from scorer.data import genuine_split

    articles = genuine_split("test")[:150]
    folder = tmp_path / "genuine"
    folder.mkdir()
    for a in articles:
        (folder / a.id.replace("/", "_")).write_text(a.text, encoding="utf-8")
    seeds = sorted(str(p) for p in (REPO / "seeds").glob("*.txt"))
    p = run(["check", *seeds, str(folder), "--format", "json"], tmp_path, None)
    no_traceback(p)
    assert p.returncode != 2, f"model not usable: {p.stderr.strip()} (run python -m scorer.training.train)"
    docs = json.loads(p.stdout)["documents"]
    assert [d["status"] for d in docs[:2]] == ["failed", "failed"], [d["score"] for d in docs[:2]]
    genuine = docs[2:]
    passed = sum(d["status"] == "passed" for d in genuine)
    # The shipped classifier labels 93.6% of all held-out genuine articles reliable (models/manifest.json;
    # the target is 95%, not yet met): 90% guards against regressions without hiding that gap.
    assert len(genuine) == len(articles) and passed / len(genuine) >= 0.90, (
        f"{passed}/{len(genuine)} genuine articles passed; worst: "
        + str(sorted((d["score"], d["path"]) for d in genuine)[:3])
    )
