"""`pjsipconf build OUTDIR`: the HTTP API as static files (plus browse pages and an nginx snippet)."""

from __future__ import annotations

import sys
from typing import Any, Callable

import click

from pjsipconf.cli.common import (
    ToolError,
    asterisk_version_option,
    cli_option,
    config_dir_option,
    open_runtime_bridge,
    open_settings,
    realtime_url_option,
    resolve_version,
    settings_option,
)


@click.command()
@config_dir_option
@asterisk_version_option
@settings_option
@realtime_url_option
@cli_option
@click.option("--show-secrets", is_flag=True, default=None,
              help="Publish passwords and credentials instead of ******** (default: settings [server] show_secrets).")
@click.argument("out_dir", type=click.Path(file_okay=False))
def build(
    config_dir: str,
    asterisk_version: str | None,
    settings_path: str | None,
    realtime_urls: dict[str, str],
    cli_prefix: str | None,
    show_secrets: bool | None,
    out_dir: str,
) -> None:
    """Write every API document to OUT_DIR so that a plain web server serves the API.

    Only files whose content changed are rewritten (atomically), files of deleted objects are
    removed. OUT_DIR/_nginx/pjsipconf.conf maps the API's URLs onto the files for nginx.
    """
    from pjsipconf.api.assemble import build_static
    from pjsipconf.api.live import InvalidConfiguration

    settings = open_settings(settings_path, config_dir)
    bridge = open_runtime_bridge(settings, cli_prefix)
    secrets = show_secrets if show_secrets is not None else bool(settings.section("server").get("show_secrets"))
    try:
        with _progress() as progress:
            report = build_static(
                config_dir,
                out_dir,
                settings=settings,
                asterisk_version=resolve_version(asterisk_version, settings),
                show_secrets=secrets,
                progress=progress,
                realtime_urls=realtime_urls,
                runtime=bridge,
            )
    except (InvalidConfiguration, OSError, ValueError) as exc:
        raise ToolError(str(exc)) from None
    click.echo(
        f"{out_dir}: {len(report.written)} files written, {len(report.removed)} removed, "
        f"{report.unchanged} unchanged"
    )


class _progress:
    """A progress bar on stderr when it is a terminal; nothing (None) otherwise."""

    def __enter__(self) -> Callable[[int, int], None] | None:
        self._bar: Any = None
        if not sys.stderr.isatty():
            return None
        self._done = 0

        def update(done: int, total: int) -> None:
            if self._bar is None:
                self._bar = click.progressbar(length=total, label="writing", file=sys.stderr)
                self._bar.__enter__()
            self._bar.update(done - self._done)
            self._done = done

        return update

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
