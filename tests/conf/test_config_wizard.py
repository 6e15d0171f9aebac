"""Which parsed categories the sorcery config wizard turns into objects (res_sorcery_config.c)."""

from __future__ import annotations

import pytest

from pjsipconf.conf import MemoryReader
from pjsipconf.model.build import build_snapshot
from pjsipconf.model.types import Snapshot


def _snapshot(config: str) -> Snapshot:
    reader = MemoryReader({"/etc/asterisk/pjsip.conf": config.encode()})
    return build_snapshot("/etc/asterisk", reader=reader)


@pytest.mark.parametrize(
    ("lines", "taken"),
    [
        ("user_agent=UA\nmax_forwards=42", True),
        ("type=global\nUser_Agent=UA", True),  # taken by its type= line, not by its name
        ("User_Agent=UA", False),  # the sorcery field container matches names case-sensitively
        ("user_agent=UA\n@extra=1", True),  # sorcery registers `^@` as a field of every type
        ("user_agent=UA\nDebug=1", False),
    ],
)
def test_explicit_name_needs_registered_field_names(lines: str, taken: bool) -> None:
    snapshot = _snapshot(f"[global]\n{lines}\n")
    assert (snapshot.get("global", "global") is not None) is taken


def test_empty_section_names_get_ids_of_their_own() -> None:
    # ast_sorcery_alloc gives an empty id a UUID: two [] aors are no duplicate object.
    snapshot = _snapshot("[]\ntype=aor\nmax_contacts=1\n[]\ntype=aor\nmax_contacts=2\n")
    aors = snapshot.of_type("aor")
    assert sorted(str(aor.value("max_contacts")) for aor in aors.values()) == ["1", "2"]
    assert all(len(object_id) == 36 for object_id in aors)
    assert not snapshot.rejected
    assert list(_snapshot("[]\ntype=aor\nmax_contacts=1\n[]\ntype=aor\nmax_contacts=2\n").of_type("aor")) == list(aors)


def test_empty_section_names_of_a_file_included_twice_get_ids_of_their_own() -> None:
    reader = MemoryReader({"/etc/asterisk/pjsip.conf": b"#include e.conf\n#include e.conf\n[z]\ntype=aor\n",
                           "/etc/asterisk/e.conf": b"[]\ntype=aor\n"})
    snapshot = build_snapshot("/etc/asterisk", reader=reader)
    assert len(snapshot.of_type("aor")) == 3 and not snapshot.rejected


def test_append_rewrites_the_first_equal_line_and_a_later_one_still_wins() -> None:
    # ast_variable_update: the FIRST `context` whose value equals the last one's is rewritten.
    snapshot = _snapshot("[t](!)\ncontext=from\n[e](t)\ntype=endpoint\ncontext=from\ncontext+=-internal\n")
    endpoint = snapshot.get("endpoint", "e")
    assert endpoint is not None
    assert str(endpoint.value("context")) == "from"


@pytest.mark.parametrize("version, context, match", [
    ("22", "from", ["1.1.1.1/255.255.255.255", "3.3.3.3/255.255.255.255", "2.2.2.2/255.255.255.255", "1.1.1.1/255.255.255.255"]),
    ("23", "from-internal", ["1.1.1.1/255.255.255.255", "2.2.2.2/255.255.255.255", "1.1.1.1/255.255.255.255", "3.3.3.3/255.255.255.255"]),
])
def test_append_rewrites_the_first_matching_line_in_22_the_last_in_23(version: str, context: str, match: list) -> None:
    text = ("[t](!)\ncontext=from\n[e](t)\ntype=endpoint\ncontext=from\ncontext+=-internal\n"
            "[i]\ntype=identify\nendpoint=e\nmatch=1.1.1.1\nmatch=2.2.2.2\nmatch=1.1.1.1\nmatch+=,3.3.3.3\n")
    reader = MemoryReader({"/etc/asterisk/pjsip.conf": text.encode()})
    snapshot = build_snapshot("/etc/asterisk", reader=reader, asterisk_version=version)
    assert str(snapshot.get("endpoint", "e").value("context")) == context  # type: ignore[union-attr]
    assert snapshot.get("identify", "i").value("match") == match  # type: ignore[union-attr]
