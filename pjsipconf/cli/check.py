"""`pjsipconf check`: every problem Asterisk would hit, before deployment.

Exit codes: 0 no error (with --strict: no warning either), 1 findings that fail, 2 the check
could not run (missing config dir, bad settings, unknown rule id, unreachable realtime database).
"""

from __future__ import annotations

import os
from typing import Mapping

import click

from pjsipconf.check import ALL_RULES, UnknownRuleError, check_settings, exit_code, run_checks
from pjsipconf.check.formats import FORMATS, Report, render, summary_line
from pjsipconf.check.types import summarize
from pjsipconf.cli.common import (
    ToolError,
    asterisk_version_option,
    config_dir_option,
    open_settings,
    realtime_url_option,
    resolve_version,
    settings_option,
)
from pjsipconf.model.build import build_snapshot
from pjsipconf.model.types import Snapshot


def default_format(environ: Mapping[str, str]) -> str:
    """github inside GitHub Actions (annotations on the pull request), text elsewhere."""
    return "github" if environ.get("GITHUB_ACTIONS", "").lower() == "true" else "text"


def _rule_list(values: tuple[str, ...]) -> tuple[str, ...] | None:
    """`--select S402,S403 --select H5` -> ("S402", "S403", "H5"); None when the flag is absent."""
    if not values:
        return None
    return tuple(item.strip() for value in values for item in value.split(",") if item.strip())


def _unavailable_sources(snapshot: Snapshot) -> list[str]:
    return [f"{source.name}: {source.error}" for source in snapshot.sources if source.kind == "realtime" and not source.ok]


@click.command()
@config_dir_option
@click.option("--format", "output_format", type=click.Choice(FORMATS), default=None,
              help="Output format (default: github when GITHUB_ACTIONS=true, else text).")
@click.option("--output", "output_path", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to FILE instead of standard output.")
@click.option("--select", "select", multiple=True, metavar="IDS",
              help="Run only these rules: ids, names or id prefixes, comma-separated (e.g. L,S402,short-password).")
@click.option("--ignore", "ignore", multiple=True, metavar="IDS", help="Skip these rules (same forms as --select).")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
@settings_option
@realtime_url_option
@asterisk_version_option
def check(
    config_dir: str,
    output_format: str | None,
    output_path: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    strict: bool,
    settings_path: str | None,
    asterisk_version: str | None,
    realtime_urls: dict[str, str],
) -> None:
    """Check the configuration in CONFIG_DIR the way Asterisk would load it, and audit it."""
    settings = open_settings(settings_path, config_dir)
    try:
        options = check_settings(settings, select=_rule_list(select), ignore=_rule_list(ignore))
    except UnknownRuleError as exc:
        where = settings.path or "command line"
        raise ToolError(f"{where}: {exc}") from None
    version = resolve_version(asterisk_version, settings)
    snapshot = build_snapshot(config_dir, settings=settings, asterisk_version=version,
                              realtime_urls=realtime_urls)
    unavailable = _unavailable_sources(snapshot)
    if unavailable:
        raise ToolError("cannot check realtime objects: " + "; ".join(unavailable))
    findings = run_checks(snapshot, options)
    fmt = output_format or default_format(os.environ)
    document = render(findings, fmt, Report(rules=ALL_RULES, config_dir=snapshot.config_dir))
    if output_path is None:
        click.echo(document, nl=False)
    else:
        _write(output_path, document)
        click.echo(summary_line(summarize(findings)), err=True)
    raise SystemExit(exit_code(findings, strict=strict))


def _write(path: str, document: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(document)
    except OSError as exc:
        raise ToolError(f"{path}: cannot write the report: {exc.strerror or exc}") from None
