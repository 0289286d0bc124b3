"""Settings layers, provenance, validation errors, `scorer config --show` rendering."""
from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from scorer.errors import ConfigError
from scorer.gate.evaluate import validate_keys
from scorer.gate.settings import load_settings, parse_assignment
from scorer.gate.show import render_json, render_toml


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_files(tmp_path):
    (tmp_path / ".git").mkdir()
    s = load_settings(tmp_path)
    assert s.files == ()
    assert s.fail_under == s.config.threshold == 0.5
    assert s.gate.fail_on == "error"
    assert s.source_of("fail_on") == "default"


def test_layers_merge_and_remember_their_source(tmp_path):
    write(tmp_path / "pyproject.toml", """
[project]
name = "x"
[tool.scorer]
threshold = 0.4
fail-under = 0.6
fail_on = "warning"
[tool.scorer.thresholds]
"readability.flesch_reading_ease" = {min = 30}
""")
    write(tmp_path / "scorer.toml", """
fail_under = 0.7
[thresholds]
"readability.flesch_reading_ease" = {severity = "warning"}
""")
    sub = tmp_path / "docs" / "deep"
    sub.mkdir(parents=True)
    s = load_settings(sub, overrides={"fail_on": "info"})
    assert [label for label, _ in s.files] == ["pyproject.toml", "scorer.toml"]
    assert s.root == tmp_path.resolve()
    assert s.config.threshold == 0.4 and s.source_of("threshold") == "pyproject.toml"
    assert s.gate.fail_under == 0.7 and s.source_of("fail_under") == "scorer.toml"
    assert s.gate.fail_on == "info" and s.source_of("fail_on") == "command line"
    th = s.gate.thresholds["readability.flesch_reading_ease"]
    assert (th.min, th.severity) == (30, "warning")
    assert s.source_of("thresholds", "readability.flesch_reading_ease") == "pyproject.toml + scorer.toml"


def test_pyproject_without_tool_scorer_is_not_a_config(tmp_path):
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    (tmp_path / ".git").mkdir()
    assert load_settings(tmp_path).files == ()


def test_isolated_and_explicit_config(tmp_path):
    write(tmp_path / "scorer.toml", "fail_under = 0.9\n")
    other = write(tmp_path / "ci" / "gate.toml", "fail_under = 0.2\n")
    assert load_settings(tmp_path, isolated=True).fail_under == 0.5
    s = load_settings(tmp_path, config_file=other)
    assert s.fail_under == 0.2 and s.source_of("fail_under") == "gate.toml"
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_settings(tmp_path, config_file=tmp_path / "missing.toml")


@pytest.mark.parametrize(
    "text, message",
    [
        ("fail_under = [", "invalid TOML"),
        ("fail_undr = 0.5", "unknown key 'fail_undr'"),
        ("fail_under = 2", "fail_under: Input should be less than or equal to 1"),
        ("fail_on = 'fatal'", "fail_on: Input should be 'error', 'warning' or 'info'"),
        ("[thresholds]\n'readability.flesch_reading_ease' = {}", "a threshold needs min, max or both"),
        ("[spin]\nno_such_option = 1", "spin.no_such_option: Extra inputs are not permitted"),
        ("out_of_scope_rules = ['quality.not_englsh']", "unknown quality rule 'quality.not_englsh'"),
    ],
)
def test_malformed_config_is_one_line_config_error(tmp_path, text, message):
    path = write(tmp_path / "scorer.toml", text)
    with pytest.raises(ConfigError) as err:
        load_settings(tmp_path)
    assert message in str(err.value)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_unknown_threshold_key_is_rejected(tmp_path):
    write(tmp_path / "scorer.toml", "[thresholds]\n'readabilty.flesch' = {min = 1}\n")
    with pytest.raises(ConfigError, match="'readabilty.flesch' is not a feature id, family or rule id"):
        validate_keys(load_settings(tmp_path))


def test_family_and_gate_keys_are_accepted(tmp_path):
    write(tmp_path / "scorer.toml", "[thresholds]\nspin = {max = 3}\n[rules]\n'gate.score' = 'warning'\nquality = 'off'\n")
    validate_keys(load_settings(tmp_path))


def test_parse_assignment():
    assert parse_assignment("spin.threshold=0.7") == {"spin": {"threshold": 0.7}}
    assert parse_assignment("fail_on=warning") == {"fail_on": "warning"}
    assert parse_assignment("thresholds.readability.flesch_reading_ease.min=30") == {
        "thresholds": {"readability.flesch_reading_ease": {"min": 30}}
    }
    assert parse_assignment("per_path_ignores.archive/**=['spin']") == {"per_path_ignores": {"archive/**": ["spin"]}}
    with pytest.raises(ConfigError, match="KEY=VALUE"):
        parse_assignment("fail_on")


def test_show_is_valid_toml_with_sources(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.scorer]\nfail_under = 0.6\n[tool.scorer.thresholds]\nspin = {max = 3}\n")
    s = load_settings(tmp_path, overrides={"fail_on": "warning"})
    text = render_toml(s)
    data = tomllib.loads(text)
    assert data["fail_under"] == 0.6 and data["fail_on"] == "warning"
    assert data["thresholds"]["spin"] == {"max": 3.0, "severity": "error"}
    assert "fail_under = 0.6  # pyproject.toml" in text
    assert 'fail_on = "warning"  # command line' in text
    assert "threshold = 0.5  # default" in text
    shown = json.loads(render_json(s))["settings"]
    assert shown["fail_under"] == {"value": 0.6, "source": "pyproject.toml"}
    assert shown["thresholds.spin"]["source"] == "pyproject.toml"
