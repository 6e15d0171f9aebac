"""docs/rules.md, generated from the rules' own metadata so the two cannot drift.

Regenerate with `python -m pjsipconf.check.docs > docs/rules.md`; a test compares the file with
`rules_markdown()`.
"""

from __future__ import annotations

import sys

from pjsipconf.check.rules import ALL_RULES
from pjsipconf.check.types import FAMILIES, Rule

INTRO = """\
# pjsipconf check: rules

`pjsipconf check` reports what Asterisk would do with a configuration before it is deployed.
Severities have one meaning:

- **error**: Asterisk would not load it: the object, the whole type, or the whole file is lost.
- **warning**: Asterisk loads it, but it is wrong or unsafe.
- **info**: advice.

Every rule has a stable id (a family letter and three digits) and a name; `--select`,
`--ignore`, the settings file and inline comments accept either, and `--select`/`--ignore` also
accept id prefixes (`S` for the whole security family, `L10` for L101-L109).

Settings (`pjsipconf.ini` in the config directory, or `--settings FILE`):

```ini
[check]
select = L, R, S402          # only these rules (default: all)
ignore = unused-object       # never these
min_password_length = 12     # S403
[[severity]]
R302 = off                   # error | warning | info | off
unused-template = info
```

Inline suppression: `; pjsipconf: ignore=ID[,ID]` at the end of a line silences findings on that
line; on a section header it silences them for the whole section (and for findings about the
object it defines). `ignore=all` silences every rule.

Exit code: 0 when there is no error (with `--strict`: no warning either), 1 otherwise, 2 when the
check could not run (missing config directory, bad settings file, unknown rule id, a realtime
database that cannot be read).

Retired ids are never reused: S401 (empty password) is gone because Asterisk refuses an auth
without password or digest; that is a load error (L107).
"""


def _rule_section(rule: Rule) -> str:
    return (
        f"### {rule.id} {rule.name}\n\n"
        f"Severity: **{rule.severity}**. {rule.summary}\n\n"
        f"**Why it matters.** {rule.why}\n\n"
        f"**Example.**\n\n```ini\n{rule.example}\n```\n\n"
        f"**Fix.** {rule.fix}\n"
    )


def rules_markdown(rules: tuple[Rule, ...] = ALL_RULES) -> str:
    parts = [INTRO, "## Rules at a glance\n", "| id | name | severity | summary |", "|---|---|---|---|"]
    parts += [f"| [{r.id}](#{r.id.lower()}-{r.name}) | {r.name} | {r.severity} | {r.summary} |" for r in rules]
    for letter, description in FAMILIES.items():
        family = [rule for rule in rules if rule.family == letter]
        if family:
            parts.append(f"\n## {letter}: {description}\n")
            parts.extend(_rule_section(rule) for rule in family)
    return "\n".join(parts).rstrip("\n") + "\n"


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.write(rules_markdown())
