"""L1xx: what Asterisk refuses, one finding per cause, at the line Asterisk names."""

from __future__ import annotations

from tests.check.helpers import built_snapshot, findings_of, lines_of

ENDPOINT = "[6001]\ntype=endpoint\n"


def test_parse_error_rejects_the_whole_file() -> None:
    (finding,) = findings_of(built_snapshot("[6001\ntype=endpoint\n"), "L101")
    assert (finding.file, finding.line, finding.severity) == ("pjsip.conf", 1, "error")
    assert "whole file" in finding.message


def test_missing_include_in_the_top_level_file_is_fatal() -> None:
    snapshot = built_snapshot(ENDPOINT + "#include nothere.conf\n")
    (finding,) = findings_of(snapshot, "L102")
    assert lines_of([finding]) == [("pjsip.conf", 3)]
    assert "nothere.conf" in finding.message and "rejects the" in finding.message
    assert findings_of(snapshot, "L101") == []  # one finding per cause


def test_missing_include_inside_an_include_cuts_that_file_only() -> None:
    snapshot = built_snapshot(ENDPOINT + "#include extra.conf\n", **{"extra.conf": "#include gone.conf\n"})
    (finding,) = findings_of(snapshot, "L102")
    assert lines_of([finding]) == [("extra.conf", 1)]
    assert "gone.conf" in finding.message
    assert snapshot.get("endpoint", "6001") is not None


def test_an_include_cycle_is_an_error_because_asterisk_crashes_on_it() -> None:
    """Checked with Asterisk 22.10.1: a literal #include (or #tryinclude) cycle is a segmentation fault
    at startup, a glob that matches the including file is not (it only reads it again, 10 levels deep)."""
    snapshot = built_snapshot(ENDPOINT + "#include a.conf\n", **{"a.conf": "#tryinclude b.conf\n", "b.conf": "#include a.conf\n"})
    cycle = findings_of(snapshot, "L111")  # each #include line that closes the cycle
    assert sorted(lines_of(cycle)) == [("a.conf", 1), ("b.conf", 1)] and all("crashes" in f.message for f in cycle)
    snapshot = built_snapshot(ENDPOINT + "#tryinclude pjsi*.conf\n")
    assert findings_of(snapshot, "L111") == []
    assert [f.severity for f in findings_of(snapshot, "L104") if "Maximum Include level" in f.message] == ["warning"]


def test_an_apply_refusal_names_every_error_asterisk_logs() -> None:
    """auth_apply checks each UAS then each UAC algorithm and logs every failure."""
    snapshot = built_snapshot("[a]\ntype=auth\nusername=u\n")
    (finding,) = findings_of(snapshot, "L107")
    assert finding.message == ("a: No plain text or digest password found for algorithm MD5 in supported_algorithms_uas; "
                               "a: No plain text or digest password found for algorithm MD5 in supported_algorithms_uac; "
                               "Asterisk refuses auth 'a'")


def test_inheriting_from_a_missing_category_names_the_space_problem() -> None:
    snapshot = built_snapshot("[base](!)\ncontext=a\n[media](!)\nallow=ulaw\n[6001](base, media)\ntype=endpoint\n")
    (finding,) = findings_of(snapshot, "L103")
    assert lines_of([finding]) == [("pjsip.conf", 5)]
    assert "' media'" in finding.message and "(a,b)" in finding.message


def test_a_missing_category_without_blanks_gets_no_space_hint() -> None:
    # The hint once came with every L103: "'x' does not exist" always contains "' ".
    (finding,) = findings_of(built_snapshot("[6001](base)\ntype=endpoint\n"), "L103")
    assert "'base'" in finding.message and "(a,b)" not in finding.message
    (finding,) = findings_of(built_snapshot("[base](!)\n[6001](base )\ntype=endpoint\n"), "L103")
    assert "(a,b)" in finding.message


def test_lines_the_parser_skips_are_warnings() -> None:
    (finding,) = findings_of(built_snapshot(ENDPOINT + "context default\n"), "L104")
    assert (finding.line, finding.severity) == (3, "warning")


def test_every_bad_option_of_an_object_is_reported() -> None:
    snapshot = built_snapshot(ENDPOINT + "nosuch=1\ndtmf_mode=carrier\ncolour=blue\n")
    unknown = findings_of(snapshot, "L105")
    invalid = findings_of(snapshot, "L106")
    assert lines_of(unknown) == [("pjsip.conf", 3), ("pjsip.conf", 5)]
    assert lines_of(invalid) == [("pjsip.conf", 4)]
    assert all((f.object_type, f.object_id, f.severity) == ("endpoint", "6001", "error") for f in unknown + invalid)
    assert "rfc4733" in invalid[0].message  # says which values are valid


def test_unknown_option_names_the_type_it_belongs_to_and_the_closest_option() -> None:
    snapshot = built_snapshot(ENDPOINT + "max_contacts=1\n[6001]\ntype=aor\nmax_contact=1\n")
    by_type = {f.object_type: f.message for f in findings_of(snapshot, "L105")}
    assert "option of aor, not of endpoint" in by_type["endpoint"]
    assert "did you mean 'max_contacts'?" in by_type["aor"]


def test_a_bad_template_line_is_an_error_for_every_object_inheriting_it() -> None:
    snapshot = built_snapshot("[t](!)\ntype=endpoint\ncolour=blue\n[a](t)\n[b](t)\n[c]\ntype=endpoint\n")
    findings = findings_of(snapshot, "L105")
    assert [(f.object_id, f.line) for f in findings] == [("a", 3), ("b", 3)]
    assert "inherited from [t]" in findings[0].message


def test_glob_include_findings_are_at_the_physical_line_and_name_asterisks() -> None:
    snapshot = built_snapshot(
        "#include conf.d/*.conf\n",
        **{"conf.d__10-first.conf": "[a]\ntype=endpoint\n\n\n", "conf.d__20-second.conf": ENDPOINT + "\ndtmf_mode=bogus\n"},
    )
    (finding,) = findings_of(snapshot, "L106")
    assert finding.file == "conf.d/20-second.conf"
    assert finding.line == 4 and "names this line 9)" in finding.message  # 4 lines of 10-first.conf + 1


def test_apply_errors_point_at_the_section_header() -> None:
    snapshot = built_snapshot(ENDPOINT + "\n[t1]\ntype=transport\nprotocol=udp\n")
    (finding,) = findings_of(snapshot, "L107")
    assert (finding.line, finding.object_type, finding.object_id) == (4, "transport", "t1")
    assert "bind" in finding.message


def test_a_duplicate_id_is_an_error_for_every_object_of_the_type() -> None:
    snapshot = built_snapshot("[first]\ntype=endpoint\n[dup]\ntype=endpoint\n[dup]\ntype=endpoint\n[dup]\ntype=aor\n")
    findings = findings_of(snapshot, "L108")
    assert [(f.object_type, f.object_id, f.line) for f in findings] == [("endpoint", "first", 1), ("endpoint", "dup", 5)]
    assert "first at pjsip.conf:3" in findings[1].message
    assert "[dup] at pjsip.conf:3, pjsip.conf:5" in findings[0].message


def test_sorcery_wiring_that_asterisk_cannot_open_is_an_error() -> None:
    snapshot = built_snapshot(ENDPOINT, **{"sorcery.conf": "[res_pjsip]\nendpoint=realtime,ps_endpoints\n"})
    findings = findings_of(snapshot, "L110")
    assert findings and all(f.severity == "error" for f in findings)
    assert findings[0].file == "sorcery.conf"


def test_three_global_sections_lose_the_global_type() -> None:
    text = "".join(f"[g{n}]\ntype=global\n" for n in range(3))
    findings = findings_of(built_snapshot(text), "L109")
    assert [(f.object_type, f.object_id, f.severity) for f in findings] == [
        ("global", "g0", "error"), ("global", "g1", "error"), ("global", "g2", "error"),
    ]


def test_an_invalid_secret_is_not_shown() -> None:
    snapshot = built_snapshot("[a]\ntype=auth\nusername=u\nmd5_cred=abc123\n")
    (finding,) = findings_of(snapshot, "L106")
    assert "abc123" not in finding.message and "md5_cred" in finding.message


def test_a_short_invalid_secret_is_masked_without_mangling_the_message() -> None:
    # A one-character digest once turned every quote of the message into ********.
    (finding,) = findings_of(built_snapshot("[a]\ntype=auth\nusername=u\npassword_digest='\n"), "L106")
    assert finding.message.startswith("'********' is not a valid password_digest: ")
    assert finding.message.count("********") == 1 and "Asterisk refuses auth 'a'" in finding.message

