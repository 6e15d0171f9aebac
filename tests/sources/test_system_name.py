"""asterisk.conf's system name, read as main/options.c reads it."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from pjsipconf.sources.system_name import read_system_name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("", ""),
        ("[options]\nsystemname = pbx1\n", "pbx1"),
        ("[Options]\nSYSTEMNAME=pbx1\nsystemname=pbx2\n", "pbx2"),  # category and key in any case; the last wins
        ("[options]\nsystemname=pbx1\n[options]\nsystemname=pbx2\n", "pbx1"),  # only the first [options]
        ("[options](!)\nsystemname=tpl\n[options]\nsystemname=real\n", "real"),  # templates are skipped
        ("[directories]\nsystemname=pbx1\n", ""),
        ("[options]\nsystemname=" + "x" * 200 + "\n", "x" * 127),  # char system_name[128]
        ("[options]\nautosystemname=yes\n", socket.gethostname()),
        ("[options]\nautosystemname=yes\nsystemname=pbx1\n", "pbx1"),
        ("[options]\nsystemname=pbx1\nautosystemname=no\n", "pbx1"),
        ("[options](+)\nsystemname=pbx1\n", ""),  # an invalid file: Asterisk's built-in defaults
    ],
)
def test_system_name(tmp_path: Path, text: str, name: str) -> None:
    (tmp_path / "asterisk.conf").write_text(text)
    assert read_system_name(str(tmp_path)) == name


def test_no_asterisk_conf_means_no_name(tmp_path: Path) -> None:
    assert read_system_name(str(tmp_path)) == ""
