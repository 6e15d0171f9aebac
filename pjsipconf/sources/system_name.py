"""asterisk.conf's system name: the `reg_server` this Asterisk stamps on the registrations it
stores, and the one it lists (and prunes at boot) among those a shared realtime table holds.

main/options.c reads the first non-template `[options]` category (any case); of its
`systemname` and `autosystemname` lines the last one read wins. `autosystemname=yes` takes the
host name of the machine Asterisk runs on: pjsipconf can only take its own, which is right when
it runs on the PBX. No asterisk.conf (or an invalid one) leaves the name empty, as Asterisk's
built-in defaults do.
"""

from __future__ import annotations

import socket

from pjsipconf.conf.reader import Reader
from pjsipconf.schema.cstr import ast_true, c_buffer
from pjsipconf.sources.realtime.files import first_category, read_optional_conf

ASTERISK_CONF = "asterisk.conf"
_SYSTEM_NAME_SIZE = 128  # char system_name[128] in main/options.c


def read_system_name(config_dir: str, *, reader: Reader | None = None) -> str:
    """The system name asterisk.conf in `config_dir` sets; "" when it sets none."""
    config = read_optional_conf(config_dir, ASTERISK_CONF, reader=reader)
    if config is None or config.invalid:
        return ""
    name = ""
    options = first_category(config.categories, "options")
    for var in options.variables if options is not None else ():
        option = var.name.lower()
        if option == "systemname":
            name = c_buffer(var.value, _SYSTEM_NAME_SIZE)
        elif option == "autosystemname" and ast_true(var.value):
            name = c_buffer(socket.gethostname(), _SYSTEM_NAME_SIZE)
    return name
