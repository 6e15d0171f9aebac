"""The expected.json shape of a parse, shared by the case test and `python -m tests.conf.casefile`.

A case is `cases/<name>/input/...` (files as Asterisk would read them; `@ROOT@` in them stands for
the copied `input/` directory) and `expected.json`:
`{"main": path of the top-level file under input/, "config_dir": directory under input/,
  "result": <render(parse)>}`.
A variable renders as [name, value, "file:line(logged) in section op"] where `(logged)`, `in
section` and `op` are only written when they differ from line, the category and `=`.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

from pjsipconf.conf import Category, ConfigFile, Variable, parse

CASES = Path(__file__).resolve().parent / "cases"


def render_variable(variable: Variable, category: Category) -> list[str]:
    where = f"{variable.source.name}:{variable.line}"
    if variable.logged_line != variable.line:
        where += f"({variable.logged_line})"
    if variable.section != category.name:
        where += f" in {variable.section}"
    if variable.operator != "=":
        where += f" {variable.operator}"
    return [variable.name, variable.value, where]


def render(config: ConfigFile, root: Path) -> dict[str, Any]:
    """A parse as plain JSON; paths under `root` are written with @ROOT@."""

    def rooted(text: str) -> str:
        return text.replace(str(root), "@ROOT@")

    return {
        "exists": config.exists,
        "invalid": config.invalid,
        "categories": [
            {
                "name": category.name,
                "at": f"{rooted(category.source.name)}:{category.line}",
                "template": category.is_template,
                "templates": list(category.templates),
                "inherited": category.inherited,
                "suppressed": sorted(category.suppressed),
                "variables": [[rooted(part) for part in render_variable(v, category)] for v in category.variables],
            }
            for category in config.categories
        ],
        "problems": [
            [problem.code, f"{rooted(problem.source.name)}:{problem.line}", problem.severity, problem.fatal]
            for problem in config.problems
        ],
        "files_read": [rooted(path) for path in config.files_read],
        "execs": [[execute.command, f"{execute.source.name}:{execute.line}"] for execute in config.execs],
        "suppressions": [
            [sorted(item.rules), f"{item.source.name}:{item.line}"] for item in config.suppressions
        ],
    }


def copy_case(case: Path, destination: Path) -> Path:
    """The case's input/ copied to `destination` with @ROOT@ replaced; returns the copy."""
    shutil.copytree(case / "input", destination, symlinks=True)
    for path in destination.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            if b"@ROOT@" in data:
                path.write_bytes(data.replace(b"@ROOT@", str(destination).encode()))
    return destination


def run_case(case: Path, destination: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(what the case expects, what the parser gives now)."""
    spec = json.loads((case / "expected.json").read_text())
    root = copy_case(case, destination)
    config = parse(
        str(root / spec.get("main", "pjsip.conf")), config_dir=str(root / spec.get("config_dir", "."))
    )
    return spec["result"], render(config, root)


def write_expected(case: Path, scratch: Path) -> None:
    """Regenerate a case's expected result (review the diff before committing it)."""
    spec_path = case / "expected.json"
    spec = json.loads(spec_path.read_text()) if spec_path.exists() else {}
    spec.setdefault("main", "pjsip.conf")
    spec.setdefault("config_dir", ".")
    spec["result"] = {}
    spec_path.write_text(json.dumps(spec))
    _, actual = run_case(case, scratch / case.name)
    spec["result"] = actual
    spec_path.write_text(json.dumps(spec, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        for name in sys.argv[1:]:
            write_expected(CASES / name, Path(scratch))
