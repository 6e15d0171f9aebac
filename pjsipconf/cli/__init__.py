"""The `pjsipconf` command: one click group, one module per subcommand."""

from __future__ import annotations

import click

from pjsipconf import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pjsipconf")
def cli() -> None:
    """Read, check and publish Asterisk PJSIP configuration without a running Asterisk."""


def _register() -> None:
    # Imported here so that `pjsipconf --version` stays fast.
    from pjsipconf.cli import show as show_module

    cli.add_command(show_module.show)
    from pjsipconf.cli import check as check_module; cli.add_command(check_module.check)
    from pjsipconf.cli import build as build_module; cli.add_command(build_module.build)
    from pjsipconf.cli import serve as serve_module; cli.add_command(serve_module.serve)
    from pjsipconf.cli import realtime as realtime_module; cli.add_command(realtime_module.realtime)


_register()


def main() -> None:
    cli.main(prog_name="pjsipconf")


if __name__ == "__main__":  # pragma: no cover
    main()
