"""The rule families, one module each; `ALL_RULES` is every rule, family by family."""

from __future__ import annotations

from pjsipconf.check.rules import drops, hygiene, load, references, security
from pjsipconf.check.types import Rule

# Family order (L, D, R, S, H), ids ascending within a family.
ALL_RULES: tuple[Rule, ...] = load.RULES + drops.RULES + references.RULES + security.RULES + hygiene.RULES
