"""Every output format of `pjsipconf check`, in one place: text, json, github, junit, sarif, html.

`render(findings, fmt, ...)` returns the whole document as a string. Paths in findings are
relative to the config directory; formats read by CI (github, sarif) show them relative to the
current directory instead, so annotations land on the files of the repository being checked.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import quote
from xml.etree import ElementTree as ET

from pjsipconf import __version__
from pjsipconf.secrets import REDACTED, SECRET_OPTIONS
from pjsipconf.check.types import FAMILIES, Finding, Rule, summarize

FORMATS = ("text", "json", "github", "junit", "sarif", "html")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
GITHUB_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
CONTEXT_LINES = 1  # lines shown around an offending line in the HTML report
# Reports end up as CI artifacts: the HTML excerpt never shows these options' values (as the API).
SECRET_LINE = re.compile(rf"^(\s*(?:{'|'.join(sorted(SECRET_OPTIONS))})\s*[+]?=>?\s*)(\S.*)$", re.IGNORECASE)


def _read_file_lines(path: str) -> list[str] | None:
    """The file's lines as Asterisk counts them: only "\n" ends a line (fgets), so a form feed or
    a lone "\r" stays inside its line; a "\r" before the "\n" is not shown."""
    try:
        with open(path, encoding="utf-8", errors="replace", newline="") as handle:
            text = handle.read()
    except OSError:
        return None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


@dataclass(frozen=True)
class Report:
    """What a format needs besides the findings."""

    rules: tuple[Rule, ...]
    config_dir: str = ""
    # Absolute path -> its lines (None when unreadable); the HTML report shows the offending lines.
    read_lines: Callable[[str], list[str] | None] = field(default=_read_file_lines, compare=False)
    cwd: str = field(default_factory=os.getcwd)

    def rule(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    def absolute(self, file: str) -> str:
        return os.path.join(self.config_dir, file) if self.config_dir else file

    def ci_path(self, file: str) -> str:
        """The file as CI tools want it: relative to the current directory when it lies below it."""
        path = os.path.normpath(self.absolute(file))
        if not os.path.isabs(path):
            return path
        relative = os.path.relpath(path, self.cwd)
        return path if relative.startswith("..") else relative


def render(findings: Iterable[Finding], fmt: str, report: Report) -> str:
    findings = tuple(findings)
    renderers: dict[str, Callable[[tuple[Finding, ...], Report], str]] = {
        "text": render_text, "json": render_json, "github": render_github,
        "junit": render_junit, "sarif": render_sarif, "html": render_html,
    }
    if fmt not in renderers:
        raise ValueError(f"unknown format {fmt!r}; one of: {', '.join(FORMATS)}")
    return renderers[fmt](findings, report)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 or word == "info" else "s")


def summary_line(counts: dict[str, int]) -> str:
    if not any(counts.values()):
        return "No problems found."
    return ", ".join(_plural(counts[s], s) for s in ("error", "warning", "info")) + "."


def render_text(findings: tuple[Finding, ...], report: Report) -> str:
    lines = [f"{f.file}:{f.line}:{f.column}: {f.rule} {f.severity}: {f.message}" for f in findings]
    lines.append(summary_line(summarize(findings)))
    return "\n".join(lines) + "\n"


def finding_dict(finding: Finding) -> dict[str, object]:
    """One finding in the JSON shape the CLI and the API share."""
    obj = None
    if finding.object_type is not None or finding.object_id is not None:
        obj = {"type": finding.object_type, "id": finding.object_id}
    return {
        "rule": finding.rule, "severity": finding.severity, "file": finding.file, "line": finding.line,
        "column": finding.column, "object": obj, "message": finding.message,
    }


def render_json(findings: tuple[Finding, ...], report: Report) -> str:
    document = {"findings": [finding_dict(f) for f in findings], "summary": summarize(findings)}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: tuple[Finding, ...], report: Report) -> str:
    """GitHub Actions workflow commands: one annotation per finding."""
    lines = []
    for finding in findings:
        rule = report.rule(finding.rule)
        title = f"{finding.rule} {rule.name}" if rule else finding.rule
        props = [f"file={_escape_property(report.ci_path(finding.file))}"]
        if finding.line > 0:
            props += [f"line={finding.line}", f"col={finding.column}"]
        props.append(f"title={_escape_property(title)}")
        lines.append(f"::{GITHUB_COMMANDS[finding.severity]} {','.join(props)}::{_escape_data(finding.message)}")
    return "".join(line + "\n" for line in lines)


# Characters XML 1.0 cannot hold even escaped (control characters, lone surrogates); a message
# quoting a config line may contain them, and ElementTree writes them as they are.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """`text` with every character XML cannot hold written as `\\xNN` (`\\uNNNN`)."""
    return XML_ILLEGAL.sub(lambda match: ascii(match.group())[1:-1], text)


def render_junit(findings: tuple[Finding, ...], report: Report) -> str:
    """JUnit XML: one testcase per finding; errors and warnings fail, info passes with its message.
    A clean run is one passing testcase (CI tools refuse a report without any)."""
    counts = summarize(findings)
    failures = counts["error"] + counts["warning"]
    tests = str(len(findings) or 1)
    suites = ET.Element("testsuites", name="pjsipconf check", tests=tests, failures=str(failures))
    suite = ET.SubElement(suites, "testsuite", name="pjsipconf check", tests=tests, failures=str(failures), errors="0")
    if not findings:
        ET.SubElement(suite, "testcase", classname="pjsipconf", name="no findings")
    for finding in findings:
        rule = report.rule(finding.rule)
        file, message = _xml_text(finding.file), _xml_text(finding.message)
        about = f" {finding.object_type or ''} {finding.object_id}" if finding.object_id is not None else ""
        name = f"{finding.rule} {rule.name if rule else ''} {file}:{finding.line}{_xml_text(about)}".replace("  ", " ")
        case = ET.SubElement(suite, "testcase", classname=file, name=name, file=file)
        case.set("line", str(finding.line))
        if finding.severity == "info":
            ET.SubElement(case, "system-out").text = message
            continue
        failure = ET.SubElement(case, "failure", type=finding.severity, message=message)
        failure.text = f"{file}:{finding.line}:{finding.column}: {finding.rule} {finding.severity}: {message}"
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def sarif_rule(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        "help": {
            "text": f"{rule.fix}\n\nExample:\n{rule.example}",
            "markdown": f"{rule.fix}\n\nExample:\n\n```ini\n{rule.example}\n```",
        },
        "defaultConfiguration": {"level": SARIF_LEVELS[rule.severity]},
        "properties": {"tags": [FAMILIES[rule.family].split(":")[0]]},
    }


SARIF_ROOT = "%SRCROOT%"  # the base of relative URIs: the directory `check` ran in


def _sarif_artifact(file: str, report: Report) -> dict[str, str]:
    """A file as a SARIF artifact location: a percent-encoded URI relative to the directory
    `check` ran in (uriBaseId), or an absolute file:// URI for a file outside it."""
    path = report.ci_path(file)
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(path.replace(os.sep, "/"), safe="/"), "uriBaseId": SARIF_ROOT}


def _sarif_location(finding: Finding, report: Report) -> dict[str, object]:
    physical: dict[str, object] = {"artifactLocation": _sarif_artifact(finding.file, report)}
    if finding.line > 0:
        physical["region"] = {"startLine": finding.line, "startColumn": max(finding.column, 1)}
    location: dict[str, object] = {"physicalLocation": physical}
    if finding.object_id is not None:
        logical: dict[str, object] = {"name": finding.object_id}
        if finding.object_type:
            logical["kind"] = "object"
            logical["fullyQualifiedName"] = f"{finding.object_type}/{finding.object_id}"
        location["logicalLocations"] = [logical]
    return location


def render_sarif(findings: tuple[Finding, ...], report: Report) -> str:
    index = {rule.id: position for position, rule in enumerate(report.rules)}
    results = []
    for finding in findings:
        result: dict[str, object] = {
            "ruleId": finding.rule,
            "level": SARIF_LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [_sarif_location(finding, report)],
        }
        if finding.rule in index:
            result["ruleIndex"] = index[finding.rule]
        results.append(result)
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "pjsipconf",
                        "version": __version__,
                        "rules": [sarif_rule(rule) for rule in report.rules],
                    }
                },
                "originalUriBaseIds": {SARIF_ROOT: {"uri": Path(report.cwd).as_uri().rstrip("/") + "/"}},
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class ShownLine:
    number: int
    text: str
    offending: bool


@dataclass(frozen=True)
class ShownFinding:
    finding: Finding
    rule_name: str
    lines: tuple[ShownLine, ...]


def masked(text: str) -> str:
    """A config line with a secret's value replaced by ********."""
    return SECRET_LINE.sub(lambda match: match.group(1) + REDACTED, text)


def _excerpt(lines: list[str] | None, line: int) -> tuple[ShownLine, ...]:
    if not lines or line < 1 or line > len(lines):
        return ()
    first, last = max(1, line - CONTEXT_LINES), min(len(lines), line + CONTEXT_LINES)
    return tuple(ShownLine(n, masked(lines[n - 1]), n == line) for n in range(first, last + 1))


def _grouped(findings: tuple[Finding, ...], report: Report) -> list[tuple[str, list[ShownFinding]]]:
    groups: dict[str, list[ShownFinding]] = {}
    cache: dict[str, list[str] | None] = {}
    for finding in findings:
        if finding.file not in cache:
            cache[finding.file] = report.read_lines(report.absolute(finding.file)) if report.config_dir else None
        rule = report.rule(finding.rule)
        shown = ShownFinding(finding, rule.name if rule else "", _excerpt(cache[finding.file], finding.line))
        groups.setdefault(finding.file, []).append(shown)
    return list(groups.items())


def render_html(findings: tuple[Finding, ...], report: Report) -> str:
    from pjsipconf.templating import environment

    template = environment().get_template("check/report.html")
    return template.render(
        version=__version__,
        config_dir=report.config_dir,
        summary=summarize(findings),
        summary_text=summary_line(summarize(findings)),
        groups=_grouped(findings, report),
        rules=report.rules,
    )
