"""Cross references resolved by the model, both ways."""

from __future__ import annotations

from pathlib import Path

from pjsipconf.model.build import build_snapshot
from pjsipconf.model.references import names_in
from tests.conftest import DEMO_DIR

CONFIG = """
[t-udp]
type=transport
bind=127.0.0.1:5060

[a1]
type=auth
username=a1
password=Secret-one-1234

[r1]
type=aor

[e1]
type=endpoint
aors = r1, missing-aor ,r1
auth=a1
outbound_auth=a1
transport=t-gone

[i1]
type=identify
endpoint=e1
match=192.0.2.1

[reg]
type=registration
server_uri=sip:192.0.2.1
client_uri=sip:me@192.0.2.1
outbound_auth=a1
transport=t-udp
"""


def test_references_resolve_both_ways(tmp_path: Path) -> None:
    (tmp_path / "pjsip.conf").write_text(CONFIG)
    refs = build_snapshot(str(tmp_path)).references
    got = [(r.option, r.target_type, r.target_id, r.resolved) for r in refs.of("endpoint", "e1")]
    assert got == [
        ("aors", "aor", "r1", True), ("aors", "aor", "missing-aor", False),
        ("auth", "auth", "a1", True), ("outbound_auth", "auth", "a1", True),
        ("transport", "transport", "t-gone", False),
    ]
    users = [(r.type, r.id, r.option) for r in refs.users_of("auth", "a1")]
    assert users == [("endpoint", "e1", "auth"), ("endpoint", "e1", "outbound_auth"), ("registration", "reg", "outbound_auth")]
    assert [(r.type, r.id) for r in refs.users_of("endpoint", "e1")] == [("identify", "i1")]
    dangling = sorted((r.id, r.target_id) for r in refs.dangling())
    assert dangling == [("e1", "missing-aor"), ("e1", "t-gone")]
    transport_line = next(r for r in refs.of("endpoint", "e1") if r.option == "transport").variable
    assert transport_line is not None and transport_line.line == 19


def test_reference_lines_come_through_templates() -> None:
    refs = build_snapshot(str(DEMO_DIR)).references
    transport = next(r for r in refs.of("endpoint", "1001") if r.option == "transport")
    assert transport.resolved and transport.variable is not None
    assert (transport.variable.source.name, transport.variable.section) == ("pjsip.templates.conf", "phone-endpoint")


def test_names_are_split_as_res_pjsip_splits_them() -> None:
    assert names_in(" a, b ,,a ", True) == ["a", "b"]
    assert names_in("t, x", False) == ["t, x"]
    assert names_in(["o1", "o2"], True) == ["o1", "o2"]
    assert names_in(None, True) == []


def test_render_option_equals_the_full_rendering(golden_input) -> None:
    """render_option (used for references) gives what rendered() gives, for every printed option."""
    from tests.conftest import golden_cases

    for case in golden_cases():
        snapshot = build_snapshot(str(golden_input(case)))
        for objects in snapshot.objects.values():
            for obj in objects.values():
                rendered = obj.rendered()
                for spec in obj.schema.options:
                    if spec.rendered and not spec.regex and spec.name in rendered:
                        assert obj.schema.render_option(obj.state, spec.name) == rendered[spec.name], (obj.id, spec.name)


def test_reference_lines_are_those_where_reports() -> None:
    snapshot = build_snapshot(str(DEMO_DIR))
    for (type_, id_), refs in snapshot.references.outgoing.items():
        obj = snapshot.get(type_, id_)
        for ref in refs:
            lines = obj.where(ref.option).variables  # type: ignore[union-attr]
            assert ref.variable == (lines[-1] if lines else None)
