"""render_json: the JSON text of render_dict, from cached default entries (what `show` prints)."""

from __future__ import annotations

import json

import pytest

from pjsipconf.schema import TypeSchema
from tests.schema.helpers import SCHEMA, build


def _state(type_name: str, *lines: tuple[str, str]) -> dict:
    """The diff state objects hold (render_json sees only what differs from the defaults)."""
    return SCHEMA.types[type_name].diff(build(type_name, *lines))


CASES = {
    "defaults": ("endpoint", ()),
    "a few own values": ("endpoint", (("context", "ctx"), ("allow", "!all,ulaw"), ("callerid", 'Zoë "Z" <1>'))),
    "set_var prints names of its own": ("endpoint", (("set_var", "ZZZ=1"), ("set_var", "AAA=2"), ("context", "c"))),
    "one field printed under two names": ("endpoint", (("direct_media_method", "update"),)),
    "accumulated list": ("transport", (("local_net", "10.0.0.0/8"), ("local_net", "192.168.0.0/16"))),
    "identify matches": ("identify", (("match", "10.0.0.1,10.0.0.2"), ("endpoint", "e"))),
    "phoneprov free fields": ("phoneprov", (("MAC", "001122334455"), ("PROFILE", "polycom"))),
    "extended fields": ("endpoint", (("@pbx_id", "42"),)),
    "only the extended field": ("aor", (("@note", "ü"),)),
}


@pytest.mark.parametrize("type_name, lines", CASES.values(), ids=list(CASES))
def test_render_json_is_the_dumped_render_dict(type_name: str, lines: tuple[tuple[str, str], ...]) -> None:
    type_schema = SCHEMA.types[type_name]
    state = _state(type_name, *lines)
    assert type_schema.render_json(state) == json.dumps(type_schema.render_dict(state), ensure_ascii=False)


def test_an_ordinary_object_is_encoded_without_the_dict(monkeypatch: pytest.MonkeyPatch) -> None:
    state = _state("endpoint", ("context", "ctx"), ("allow", "!all,ulaw,alaw"), ("aors", "1001"))
    want = json.dumps(SCHEMA.types["endpoint"].render_dict(state), ensure_ascii=False)

    def refuse(self: TypeSchema, state: dict) -> dict:
        raise AssertionError("render_dict called")

    monkeypatch.setattr(TypeSchema, "render_dict", refuse)
    assert SCHEMA.types["endpoint"].render_json(state) == want


def _dumped(type_name: str, state: dict) -> str:
    return json.dumps(SCHEMA.types[type_name].render_dict(state), ensure_ascii=False)


def test_values_seen_before_print_as_their_own_object_says() -> None:
    """Encoded values are kept per (field, value): equal values of other objects, an object that
    changes another set of fields, and values equal in Python but printed apart all stay exact."""
    type_schema = SCHEMA.types["aor"]
    states = [
        _state("aor", ("qualify_timeout", "-0")),  # -0.0 == 0.0, yet it prints "-0.000000"
        _state("aor", ("qualify_timeout", "0")),
        _state("aor", ("qualify_timeout", "-0"), ("max_contacts", "1")),
        _state("aor", ("max_contacts", "1")),
        _state("aor", ("max_contacts", "1"), ("contact", "sip:a@example.com")),
        _state("aor", ("contact", "sip:a@example.com"), ("contact", "sip:b@example.com")),
        _state("aor", ("remove_existing", "yes"), ("max_contacts", "1")),
    ]
    encoded: dict = {}
    for _ in range(2):  # the second round is served from what the first one kept
        assert [type_schema.render_json(state, encoded) for state in states] == [_dumped("aor", s) for s in states]
    assert encoded  # the values were kept


def test_an_option_its_default_does_not_print_is_placed_by_name() -> None:
    """contact_user prints nothing by default, so the default layout has no place for it."""
    state = _state("endpoint", ("contact_user", "bob"), ("context", "c"))
    assert SCHEMA.types["endpoint"].render_json(state) == _dumped("endpoint", state)
