"""On every golden case: each object Asterisk refused has an error finding at the line Asterisk
named (the physical line, naming Asterisk's where the two differ: the 2nd+ file of a glob
#include), each whole-file failure an error finding for the file, and no loaded object an error."""

from __future__ import annotations

import pytest

from pjsipconf.check import CheckSettings, run_checks
from pjsipconf.model.build import build_snapshot
from tests.conftest import golden_cases, load_expected

CASES = golden_cases()


def _findings(case: str, golden_input):
    snapshot = build_snapshot(str(golden_input(case)))
    return run_checks(snapshot, CheckSettings())


@pytest.mark.parametrize("case", CASES)
def test_every_refusal_has_an_error_at_the_line_asterisk_names(case: str, golden_input) -> None:
    errors = [f for f in _findings(case, golden_input) if f.severity == "error"]
    for entry in load_expected(case)["not_loaded"]:
        if entry["type"] == "*":
            matching = [f for f in errors if f.file == entry["file"] and f.object_id is None]
        else:
            matching = [f for f in errors if (f.object_type, f.object_id) == (entry["type"], entry["id"])]
        if entry["line"] is not None:
            named = f"names this line {entry['line']})"
            matching = [f for f in matching if f.file == entry["file"] and (f.line == entry["line"] or named in f.message)]
        assert matching, f"no error finding for {entry['type']} {entry['id']} at {entry['file']}:{entry['line']}"


@pytest.mark.parametrize("case", CASES)
def test_no_loaded_object_has_an_error(case: str, golden_input) -> None:
    expected = load_expected(case)
    loaded = {(t, i) for t, objects in expected["objects"].items() for i in objects}
    # An id can be both: Asterisk refuses a first section and loads a later one of that name.
    loaded -= {(entry["type"], entry["id"]) for entry in expected["not_loaded"]}
    wrong = [f for f in _findings(case, golden_input) if f.severity == "error" and (f.object_type, f.object_id) in loaded]
    assert wrong == []
