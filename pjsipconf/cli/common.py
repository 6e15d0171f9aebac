"""Options and helpers shared by the subcommands."""

from __future__ import annotations

import os
from typing import Any, Callable

import click

from pjsipconf.settings import Settings, SettingsError, load_settings

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
