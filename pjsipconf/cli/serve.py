"""`pjsipconf serve`: the HTTP API from memory, rebuilt when the configuration changes."""

from __future__ import annotations

import logging
import signal
from types import FrameType

import click

from pjsipconf.cli.common import (
    ToolError,
    asterisk_version_option,
    cli_option,
    config_dir_option,
    open_settings,
    realtime_url_option,
    settings_option,
)


@click.command()
@config_dir_option
@asterisk_version_option
@settings_option
@click.option("--host", default=None, help="Address to listen on (default: settings, else 127.0.0.1).")
@click.option("--port", type=click.IntRange(0, 65535), default=None,
              help="Port (default: settings, else 8081; 0 picks a free one).")
@click.option("--token", default=None, help="Require `Authorization: Bearer TOKEN` on every request.")
@click.option("--show-secrets", is_flag=True, default=None, help="Serve passwords and credentials unredacted.")
@click.option("--no-watch", is_flag=True, help="Do not rebuild when the configuration changes.")
@click.option("--browse", is_flag=True, help="Also serve the HTML browse pages of `build` at / and /browse/ "
              "(outside the API contract, where unknown routes are JSON 404s).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Also keep the static files of `build` up to date in this directory.")
@cli_option
@realtime_url_option
@click.option("--threads", type=click.IntRange(1, 256), default=8, show_default=True, help="waitress worker threads.")
def serve(
    config_dir: str,
    asterisk_version: str | None,
    settings_path: str | None,
    host: str | None,
    port: int | None,
    token: str | None,
    show_secrets: bool | None,
    no_watch: bool,
    browse: bool,
    out_dir: str | None,
    cli_prefix: str | None,
    realtime_urls: dict[str, str],
    threads: int,
) -> None:
    """Serve the PJSIP API of CONFIG_DIR (waitress; the app factory is pjsipconf.api.web:create_app)."""
    from waitress import create_server

    from pjsipconf.api.assemble import ServeOptions, start_live_view
    from pjsipconf.api.web import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = open_settings(settings_path, config_dir)
    server_settings = settings.section("server")
    options = ServeOptions(
        config_dir=config_dir,
        settings_path=settings_path,
        asterisk_version=asterisk_version,
        show_secrets=show_secrets,
        watch=not no_watch,
        out_dir=out_dir,
        cli_prefix=cli_prefix,
        realtime_urls=realtime_urls,
        token=token,
        settings=settings,
    )
    try:
        view = start_live_view(options)
    except ValueError as exc:  # e.g. a badly quoted --cli prefix
        raise ToolError(str(exc)) from None
    app = create_app(view, token=view.token, browse=browse)
    listen_host = host or str(server_settings.get("host", "127.0.0.1"))
    listen_port = port if port is not None else int(server_settings.get("port", 8081))
    try:
        server = create_server(app, host=listen_host, port=listen_port, threads=threads, ident="pjsipconf")
    except OSError as exc:
        raise ToolError(f"cannot listen on {listen_host}:{listen_port}: {exc}") from None
    click.echo(f"serving http://{listen_host}:{server.effective_port}/ from {config_dir}", err=True)  # type: ignore[union-attr]
    _stop_on_signals()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        view.stop()


def _stop_on_signals() -> None:
    """SIGTERM (service managers, `kill`) stops as Ctrl-C does: the static output is finished and
    the watcher stopped. SIGINT too when the shell started us with it ignored (`serve &`)."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, interrupt)
