"""The package's entry points: the console script, `python -m pjsipconf`, `--version`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pjsipconf import __version__
from pjsipconf.templating import templates_dir


def test_python_dash_m_prints_the_version() -> None:
    result = subprocess.run([sys.executable, "-m", "pjsipconf", "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.strip() == f"pjsipconf, version {__version__}"


def test_console_script_lists_every_command() -> None:
    script = Path(sys.executable).with_name("pjsipconf")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for command in ("show", "check", "build", "serve", "realtime"):
        assert f"  {command} " in result.stdout


def test_templates_are_found_from_a_checkout() -> None:
    assert (templates_dir() / "check" / "report.html").is_file()
    assert (templates_dir() / "browse" / "index.html").is_file()


def test_a_configuration_without_realtime_never_loads_sqlalchemy() -> None:
    """SQLAlchemy takes a third of a second to import: `check` in a pre-commit hook should not pay it."""
    config_dir = Path(__file__).resolve().parents[1] / "fixtures" / "golden" / "v22_freepbx_tree" / "input"
    program = (
        "import sys; from pjsipconf.cli import main; "
        f"sys.argv = ['pjsipconf', 'check', '--config-dir', {str(config_dir)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('sqlalchemy' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


def test_the_readmes_settings_example_loads(tmp_path: Path) -> None:
    import re

    from pjsipconf.settings import load_settings

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    example = re.search(r"### Settings \(`pjsipconf.ini`\).*?```ini\n(.*?)```", readme, re.S)
    assert example is not None
    (tmp_path / "pjsipconf.ini").write_text(example.group(1))
    settings = load_settings(str(tmp_path / "pjsipconf.ini"))
    assert settings.section("general")["main_file"] == "pjsip.conf" and settings.section("server")["debounce"] == 0.2
