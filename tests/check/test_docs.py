"""docs/rules.md and .pre-commit-hooks.yaml stay in step with the code."""

from __future__ import annotations

import yaml

from pjsipconf.check import ALL_RULES
from pjsipconf.check.docs import rules_markdown
from tests.conftest import ROOT


def test_rules_md_is_generated_from_the_rule_metadata() -> None:
    written = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert written == rules_markdown(), "regenerate: python -m pjsipconf.check.docs > docs/rules.md"


def test_every_rule_is_documented_with_why_example_and_fix() -> None:
    text = rules_markdown()
    for rule in ALL_RULES:
        section = text.split(f"### {rule.id} {rule.name}\n", 1)[1].split("\n### ", 1)[0]
        assert rule.why in section and rule.example in section and rule.fix in section


def test_pre_commit_hook_runs_the_check_command_on_the_whole_configuration() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "pjsipconf-check"
    assert hook["entry"] == "pjsipconf check" and hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert hook["args"] == ["--config-dir", "."]
