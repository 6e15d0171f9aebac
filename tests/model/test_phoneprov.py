"""res_phoneprov's part of provisioning: the profile each phone names, and the lines of a MAC.

The expected log lines are what Asterisk 22.10.1 printed for this configuration, in its order:
res_pjsip_phoneprov_provider hands the phones over sorted by id."""

from __future__ import annotations

from pathlib import Path

from pjsipconf.model.build import build_snapshot

PHONES = """
[udp]
type=transport
bind=127.0.0.1:5060
[ep1]
type=endpoint
transport=udp
auth=ep1-auth
[ep1-auth]
type=auth
username=ep1user
password=secret1

[c-missing]
type=phoneprov
MAC=00aa00000003
PROFILE=yealink
[a-ok]
type=phoneprov
MAC=00aa00000001
PROFILE=polycom
[b-case]
type=phoneprov
MAC=00aa00000002
PROFILE=Polycom
[d-line1]
type=phoneprov
MAC=00aa00000004
PROFILE=polycom
endpoint=ep1
[e-line1-again]
type=phoneprov
MAC=00aa00000004
PROFILE=polycom
[f-line2]
type=phoneprov
MAC=00aa00000004
PROFILE=polycom
LINE=2
[g-line-word]
type=phoneprov
MAC=00aa00000005
PROFILE=polycom
LINE=abc
USERNAME=gee
[h-line-zero]
type=phoneprov
MAC=00aa00000005
PROFILE=polycom
LINE=0
[i-mac-case]
type=phoneprov
MAC=00AA00000004
PROFILE=polycom
[j-nosuch-endpoint]
type=phoneprov
MAC=00aa00000009
PROFILE=nosuch
endpoint=nobody
"""


def _phoneprov_logs(config_dir: Path) -> list[str]:
    warnings = build_snapshot(str(config_dir)).warnings
    return [w.message for w in warnings if "phoneprov" in w.message]


def test_profiles_and_line_numbers_of_a_stock_install(tmp_path: Path) -> None:
    # No phoneprov.conf in the config dir: the sample's, whose only profile is [polycom].
    (tmp_path / "pjsip.conf").write_text(PHONES)
    assert _phoneprov_logs(tmp_path) == [
        "res_phoneprov.c: Could not look up profile 'Polycom' - skipping.",  # names are exact
        "res_phoneprov.c: Could not look up profile 'yealink' - skipping.",
        "res_phoneprov.c: Duplicate linenumber=1 for 00aa00000004",  # no LINE is line 1
        "res_phoneprov.c: Could not add extension 'e-line1-again' to user '00aa00000004'",
        "res_phoneprov.c: Duplicate linenumber=0 for 00aa00000005",  # LINE=abc reads as 0
        "res_phoneprov.c: Could not add extension 'h-line-zero' to user '00aa00000005'",
        # an endpoint that is not there stops the phone before its profile is looked up
        "res_pjsip_phoneprov_provider.c: phoneprov j-nosuch-endpoint contained invalid endpoint nobody.",
    ]


def test_profiles_come_from_phoneprov_conf(tmp_path: Path) -> None:
    (tmp_path / "pjsip.conf").write_text(PHONES)
    (tmp_path / "phoneprov.conf").write_text(
        "[general]\n\n[tpl](!)\nmime_type=text/xml\n\n[yealink]\nstatic_file=x\n\n[Polycom]\nstatic_file=y\n")
    logs = _phoneprov_logs(tmp_path)
    assert "res_phoneprov.c: Could not look up profile 'yealink' - skipping." not in logs
    assert logs.count("res_phoneprov.c: Could not look up profile 'polycom' - skipping.") == 7
    assert "res_phoneprov.c: Could not look up profile 'tpl' - skipping." not in logs
    (tmp_path / "pjsip.conf").write_text("[p]\ntype=phoneprov\nMAC=00aa00000001\nPROFILE=general\n")
    assert _phoneprov_logs(tmp_path) == ["res_phoneprov.c: Could not look up profile 'general' - skipping."]


def test_no_lookup_is_judged_when_res_phoneprov_has_no_profiles(tmp_path: Path) -> None:
    (tmp_path / "pjsip.conf").write_text("[p]\ntype=phoneprov\nMAC=00aa00000001\nPROFILE=any\n")
    (tmp_path / "phoneprov.conf").write_text("[general]\nserveriface=lo\n")
    assert _phoneprov_logs(tmp_path) == []
