"""pjsipconf's own settings file (`pjsipconf.ini`), read with configobj and checked by a configspec.

Found as `pjsipconf.ini` in the config directory, or given with `--settings`. Command-line flags
override it. A bad file raises `SettingsError` with a message naming the file and the key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from configobj import ConfigObj, ConfigObjError, flatten_errors
from validate import Validator

SETTINGS_FILENAME = "pjsipconf.ini"

# Each section belongs to one stage; the stage reads only its own section.
CONFIGSPEC = """
[general]
asterisk_version = option('22', '23', default='22')
main_file = string(default='pjsip.conf')
resolve_hosts = boolean(default=True)

[check]
select = force_list(default=list())
ignore = force_list(default=list())
min_password_length = integer(min=0, default=12)
[[severity]]
__many__ = option('error', 'warning', 'info', 'off')

[realtime]
# database name (as extconfig.conf names it) = SQLAlchemy URL
__many__ = string
reread_interval = float(min=0, default=30.0)

[runtime]
cli = string(default='asterisk -rx')
timeout = float(min=0.1, default=5.0)
min_interval = float(min=0, default=5.0)
keep_for = float(min=0, default=600.0)
enabled = boolean(default=False)

[server]
host = string(default='127.0.0.1')
port = integer(min=0, max=65535, default=8081)
token = string(default='')
show_secrets = boolean(default=False)
debounce = float(min=0, default=0.2)
"""


class SettingsError(Exception):
    """The settings file cannot be used; the message says which file and what is wrong."""


@dataclass(frozen=True)
class Settings:
    """Validated settings as plain dicts per section (flags are merged over these by the CLI)."""

    path: str | None
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        return self.sections.get(name, {})


def _spec() -> ConfigObj:
    return ConfigObj(CONFIGSPEC.splitlines(), list_values=False, _inspec=True)


def load_settings(path: str | None = None, *, config_dir: str | None = None) -> Settings:
    """Read `path`, else `<config_dir>/pjsipconf.ini` if present, else the defaults."""
    if path is None and config_dir is not None:
        candidate = os.path.join(config_dir, SETTINGS_FILENAME)
        path = candidate if os.path.isfile(candidate) else None
    if path is not None and not os.path.isfile(path):
        raise SettingsError(f"{path}: settings file not found")
    try:
        config = ConfigObj(path, configspec=_spec(), file_error=False, encoding="utf-8")
    except (ConfigObjError, UnicodeDecodeError, OSError) as exc:
        raise SettingsError(f"{path}: cannot read settings: {exc}") from None
    result = config.validate(Validator(), preserve_errors=True, copy=True)
    if result is not True:
        raise SettingsError(_describe_errors(path, config, result))
    sections = {name: dict(config[name]) for name in config.keys() if isinstance(config[name], dict)}
    return Settings(path=path, sections=sections)


def _describe_errors(path: str | None, config: ConfigObj, result: Any) -> str:
    messages = []
    for section_list, key, error in flatten_errors(config, result):
        where = "/".join(section_list + ([key] if key else []))
        reason = str(error) if error else "missing"
        messages.append(f"{path}: [{where}] {reason}")
    return "\n".join(messages)


class FollowedSettings:
    """Settings that follow their file: `current()` re-reads it once it changed (or appeared, or
    went away), so a server's next rebuild uses an edited pjsipconf.ini. The file is `path`, else
    `<config_dir>/pjsipconf.ini`; `first` is what was read at start. A bad file raises
    SettingsError from `current()`, which the server reports as a failed rebuild."""

    def __init__(self, path: str | None, config_dir: str, first: Settings) -> None:
        self._explicit = path
        self._config_dir = config_dir
        self.path = path or os.path.join(config_dir, SETTINGS_FILENAME)
        self._seen = self._signature()
        self._settings = first

    def current(self) -> Settings:
        signature = self._signature()
        if signature != self._seen:
            self._settings = load_settings(self._explicit, config_dir=self._config_dir)
            self._seen = signature  # only once read: a bad file keeps failing until it is fixed
        return self._settings

    def _signature(self) -> tuple[int, int, int] | None:
        try:
            stat = os.stat(self.path)
        except OSError:
            return None
        return (stat.st_ino, stat.st_mtime_ns, stat.st_size)

