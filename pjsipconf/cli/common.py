"""Options and helpers shared by the subcommands."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Callable, Iterable

import click

from pjsipconf.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from pjsipconf.sources.runtime import RuntimeBridge

DEFAULT_CONFIG_DIR = "/etc/asterisk"

# Exit codes of every command: 0 fine, 1 findings (check), 2 the tool could not run.
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class ToolError(click.ClickException):
    """Anything that stops a command from running: printed as one line, exit code 2."""

    exit_code = EXIT_USAGE


def config_dir_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--config-dir",
        "config_dir",
        default=DEFAULT_CONFIG_DIR,
        show_default=True,
        type=click.Path(file_okay=False),
        help="Asterisk configuration directory (pjsip.conf and its includes, sorcery.conf, ...).",
    )(func)


def asterisk_version_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--asterisk-version",
        type=click.Choice(["22", "23"]),
        default=None,
        help="Asterisk version family whose option table applies (default: settings, else 22).",
    )(func)


def settings_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--settings",
        "settings_path",
        type=click.Path(dir_okay=False),
        default=None,
        help="pjsipconf settings file (default: pjsipconf.ini in the config directory).",
    )(func)


def open_settings(settings_path: str | None, config_dir: str) -> Settings:
    """Load settings or stop with exit code 2 and a clear message."""
    if not os.path.isdir(config_dir):
        raise ToolError(f"config directory not found: {config_dir}")
    try:
        return load_settings(settings_path, config_dir=config_dir)
    except SettingsError as exc:
        raise ToolError(str(exc)) from None


def resolve_version(flag: str | None, settings: Settings) -> str:
    return flag or str(settings.section("general").get("asterisk_version", "22"))


def cli_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--cli PREFIX`: ask a running Asterisk for registered contacts and device states."""
    return click.option(
        "--cli",
        "cli_prefix",
        default=None,
        metavar="PREFIX",
        help=(
            "Command prefix that runs an Asterisk CLI command, e.g. 'asterisk -rx', "
            "'ssh pbx1 asterisk -rx', 'docker exec asterisk asterisk -rx' (the command is appended "
            "as one argument). Turns the runtime bridge on (default: settings [runtime])."
        ),
    )(func)


def open_runtime_bridge(settings: Settings, cli_prefix: str | None) -> RuntimeBridge | None:
    """The runtime bridge the settings and `--cli` ask for, or None when runtime is off.

    `--cli` turns it on with its prefix; otherwise `[runtime] enabled = yes` with `[runtime] cli`.
    Timeout, min_interval and keep_for come from `[runtime]`. A prefix that cannot be split
    (unbalanced quotes, empty) stops the command with exit code 2, naming where it came from.
    """
    from pjsipconf.sources.runtime import bridge_from_settings

    where = "--cli" if cli_prefix is not None else f"{settings.path or 'settings'}: [runtime] cli"
    try:
        return bridge_from_settings(settings.section("runtime"), cli_prefix)
    except ValueError as exc:
        raise ToolError(f"{where}: {exc}") from None


# `--realtime-url NAME=URL`: reach a realtime database that Asterisk's files do not locate (ODBC
# DSNs) or that should be read elsewhere (a replica). Taken by every command that builds a Snapshot.
def realtime_url_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--realtime-url NAME=URL` (repeatable): the database extconfig.conf calls NAME is at URL."""
    return click.option(
        "--realtime-url",
        "realtime_urls",
        multiple=True,
        metavar="NAME=URL",
        callback=_parse_realtime_urls,
        help="Realtime database NAME (as extconfig.conf names it) is at this SQLAlchemy URL; "
             "overrides the [realtime] section of the settings file. Repeatable.",
    )(func)


def _parse_realtime_urls(_ctx: click.Context, _param: click.Parameter, values: Iterable[str]) -> dict[str, str]:
    return parse_realtime_urls(values)


def parse_realtime_urls(values: Iterable[str]) -> dict[str, str]:
    """NAME=URL pairs -> {NAME: URL}; a pair without '=' or a name is a usage error."""
    urls: dict[str, str] = {}
    for value in values:
        name, equals, url = value.partition("=")
        if not equals or not name.strip() or not url.strip():
            raise click.BadParameter(f"'{value}' is not NAME=URL (e.g. asterisk=postgresql://asterisk@db/asterisk)")
        urls[name.strip()] = url.strip()
    return urls
