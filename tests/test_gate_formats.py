"""Every output format over one synthetic run: schemas, escaping, caps, colour."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from scorer.gate.formats import RenderOptions, renderer
from scorer.gate.formats.github_format import annotation, escape_property, job_summary
from scorer.gate.results import CheckRun, DocumentResult, GateResult

SCHEMAS = Path(__file__).resolve().parent.parent / "scorer" / "gate" / "schemas"
SARIF_SCHEMA = Path(__file__).resolve().parent / "sarif-schema-2.1.0.json"


def finding(i: int, severity: str = "warning", fails: bool = False, **kw) -> GateResult:
    return GateResult(
        "spin.substitution", severity, f"swap number {i}", "spin", start=10 * i, end=10 * i + 5,
        line=i + 1, column=3, end_line=i + 1, end_column=8, text="claimed", suggestion="said",
        document_level=False, fails=fails, **kw,
    )


def make_run(n_findings: int = 3) -> CheckRun:
    score = GateResult("gate.score", "error", "document score 0.10 is below fail_under 0.50", value=0.1, bound=0.5, feature="score", fails=True)
    bad = DocumentResult(
        "docs/spun, 1:a.md", "failed", 0.1, "unreliable",
        results=(score, *[finding(i) for i in range(n_findings)], finding(99, "info", baselined=True)),
        features={"readability.flesch_reading_ease": 41.5}, suppressed=2,
    )
    good = DocumentResult("docs/good.txt", "passed", 0.93, "reliable", features={"readability.flesch_reading_ease": 60.0})
    broken = DocumentResult("docs/binary.txt", "error", error="docs/binary.txt: binary file, not text")
    skipped = DocumentResult("docs/code.md", "skipped", error="no prose to score")
    return CheckRun((bad, good, broken, skipped), fail_under=0.5, fail_on="error", baseline_path="baseline.json", seconds=0.2)


def render(name: str, run: CheckRun | None = None, **kw) -> str:
    return renderer(name)(run or make_run(), RenderOptions(exit_code=3, **kw))


def test_json_matches_its_schema():
    data = json.loads(render("json"))
    jsonschema.Draft202012Validator(json.loads((SCHEMAS / "check-v1.json").read_text())).validate(data)
    assert data["schema_version"] == 1 and data["exit_code"] == 3 and data["passed"] is False
    assert data["summary"]["failed"] == 1 and data["summary"]["errors"] == 1 and data["summary"]["suppressed"] == 2
    assert [d["status"] for d in data["documents"]] == ["failed", "passed", "error", "skipped"]
    assert data["documents"][0]["results"][1]["location"] == {
        "start": 0, "end": 5, "line": 1, "column": 3, "end_line": 1, "end_column": 8, "document_level": False
    }


def test_sarif_is_valid_and_every_result_is_located():
    data = json.loads(render("sarif"))
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(data)
    run = data["runs"][0]
    assert data["version"] == "2.1.0" and run["columnKind"] == "unicodeCodePoints"
    results = run["results"]
    assert len(results) == 5
    for r in results:
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == "docs/spun%2C%201%3Aa.md"
        assert loc["region"]["startLine"] >= 1
        assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert results[0]["level"] == "error" and results[-1]["level"] == "note"
    assert results[-1]["baselineState"] == "unchanged" and results[-1]["suppressions"][0]["kind"] == "external"
    inv = run["invocations"][0]
    assert inv["executionSuccessful"] is False and inv["exitCode"] == 3
    assert inv["toolExecutionNotifications"][0]["message"]["text"] == "docs/binary.txt: binary file, not text"


def test_junit_one_testcase_per_document():
    root = ET.fromstring(render("junit").split("\n", 1)[1])
    suite = root.find("testsuite")
    assert suite.attrib["tests"] == "4" and suite.attrib["failures"] == "1" and suite.attrib["errors"] == "1"
    cases = {c.attrib["name"]: c for c in suite.findall("testcase")}
    assert set(cases) == {"docs/spun, 1:a.md", "docs/good.txt", "docs/binary.txt", "docs/code.md"}
    failure = cases["docs/spun, 1:a.md"].find("failure")
    assert failure.attrib["type"] == "gate.score" and "below fail_under" in failure.text
    assert cases["docs/binary.txt"].find("error").attrib["message"].endswith("binary file, not text")
    assert cases["docs/code.md"].find("skipped") is not None
    assert len(list(cases["docs/good.txt"])) == 0


def test_junit_survives_control_characters():
    run = make_run()
    weird = DocumentResult("x\x0b.txt", "error", error="bad \x00 byte")
    text = render("junit", CheckRun((*run.documents, weird), 0.5, "error"))
    assert ET.fromstring(text.split("\n", 1)[1]) is not None


def test_github_annotations_are_escaped_and_capped():
    out = render("github", make_run(30), max_annotations=10).splitlines()
    errors = [l for l in out if l.startswith("::error ")]
    warnings = [l for l in out if l.startswith("::warning ")]
    notices = [l for l in out if l.startswith("::notice")]
    assert len(errors) == 2 and len(warnings) == 10  # score + input error; 30 warnings capped
    assert notices[-1].startswith("::notice title=scorer%3A annotations capped::20 more scorer results")
    assert errors[0].startswith("::error file=docs/binary.txt,title=scorer%3A input error::docs/binary.txt: binary")
    assert errors[1] == (
        "::error file=docs/spun%2C 1%3Aa.md,line=1,col=1,title=scorer gate.score::document score 0.10 is below fail_under 0.50"
    )
    assert warnings[0].startswith("::warning file=docs/spun%2C 1%3Aa.md,line=1,endLine=1,col=3,endColumn=8,")
    assert out[-1].startswith("gate FAILED: 4 documents")
    assert annotation("error", "50%\nnext") == "::error::50%25%0Anext"
    assert escape_property("a,b:c%") == "a%2Cb%3Ac%25"


def test_github_job_summary_lists_documents_worst_first():
    md = job_summary(make_run())
    assert md.startswith("## scorer check: ❌ failed")
    rows = [l for l in md.splitlines() if l.startswith("| `")]
    assert [r.split("`")[1] for r in rows] == ["docs/binary.txt", "docs/spun, 1:a.md", "docs/good.txt", "docs/code.md"]


@pytest.mark.parametrize("color", [False, True])
def test_text_worst_first_and_colour_only_when_asked(color):
    out = render("text", color=color)
    assert ("\x1b[" in out) is color
    lines = out.splitlines()
    assert "docs/binary.txt" in lines[0] and "ERROR" in lines[0]
    assert "docs/spun, 1:a.md" in lines[1] and "FAILED" in lines[1]
    assert "gate.score" in lines[2]
    assert "(baselined)" in out and "docs/good.txt" not in out
    assert "docs/good.txt" in render("text", verbose=True)
    assert "swap number" not in render("text", quiet=True)
