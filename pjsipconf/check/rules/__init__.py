"""The rule families, one module each; `ALL_RULES` is every rule in id order."""

from __future__ import annotations

from pjsipconf.check.rules import drops, hygiene, load, references, security
from pjsipconf.check.types import Rule

ALL_RULES: tuple[Rule, ...] = tuple(
    sorted(
        load.RULES + drops.RULES + references.RULES + security.RULES + hygiene.RULES,
        key=lambda rule: rule.id,
    )
)
