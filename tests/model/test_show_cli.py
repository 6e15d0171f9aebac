"""`pjsipconf show`: the JSON views, the text table, contacts, and its error exits."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from click.testing import CliRunner

from pjsipconf.cli import cli
from tests.conftest import DEMO_DIR, GOLDEN_DIR, ROOT, load_expected


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["show", *args])
    return result.exit_code, result.stdout, result.stderr


def test_asterisk_view_json_equals_golden(golden_input) -> None:
    code, out, _ = run("--config-dir", str(golden_input("v02_templates")))
    assert code == 0
    data = json.loads(out)
    assert data["asterisk_version"] == "22.10.1"
    assert data["objects"] == load_expected("v02_templates")["objects"]


def test_one_type_and_one_object(golden_input) -> None:
    config_dir = str(golden_input("v06_shared_name_trio"))
    code, out, _ = run("--config-dir", config_dir, "aor")
    assert code == 0 and list(json.loads(out)["objects"]) == ["aor"]
    code, out, _ = run("--config-dir", config_dir, "endpoint", "6001")
    assert code == 0 and list(json.loads(out)["objects"]["endpoint"]) == ["6001"]


def test_explain_names_file_line_template_and_default() -> None:
    code, out, _ = run("--config-dir", str(DEMO_DIR), "--view", "explain", "endpoint", "1001")
    assert code == 0
    endpoint = json.loads(out)["objects"]["endpoint"]["1001"]
    assert endpoint["templates"] == ["phone-endpoint"]
    context = endpoint["options"]["context"]
    assert context["value"] == "from-internal" and context["from"] == "file"
    (line,) = context["lines"]
    assert line == {"source": "file", "file": "pjsip.templates.conf", "line": 6, "section": "phone-endpoint",
                    "text": "context=from-internal"}
    assert endpoint["options"]["moh_suggest"] == {"value": "default", "from": "default",
                                                  "description": "Asterisk default"}
    allow_lines = [entry["text"] for entry in endpoint["options"]["allow"]["lines"]]
    assert allow_lines == ["disallow=all", "allow=ulaw,alaw,g722"]


def test_text_table_is_aligned_like_pjsip_show() -> None:
    code, out, _ = run("--config-dir", str(DEMO_DIR), "--format", "text", "aor", "1001")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "aor: 1001  (pjsip.endpoint.conf:9)"
    assert lines[1].startswith(" ParameterName        : ParameterValue")
    assert " max_contacts         : 1" in lines


def test_text_explain_shows_origins() -> None:
    code, out, _ = run("--config-dir", str(DEMO_DIR), "--format", "text", "--view", "explain", "aor", "1001")
    assert code == 0
    assert any("max_contacts" in line and "<- pjsip.templates.conf:20 [phone-aor]" in line for line in out.splitlines())


def test_unknown_type_and_missing_dir_exit_2(tmp_path: Path) -> None:
    code, _, err = run("--config-dir", str(DEMO_DIR), "endpoints")
    assert code == 2 and "unknown object type 'endpoints'" in err
    code, _, err = run("--config-dir", str(tmp_path / "nope"))
    assert code == 2 and "config directory not found" in err


def test_unknown_id_exits_1() -> None:
    code, _, err = run("--config-dir", str(DEMO_DIR), "endpoint", "9999")
    assert code == 1 and "Unable to find object 9999." in err


def test_contacts_merge_runtime_from_cli_prefix() -> None:
    case = GOLDEN_DIR / "v30_runtime_registered"
    prefix = f"{sys.executable} {ROOT / 'fixtures/runtime/replay.py'} {case / 'expected.json'}"
    code, out, _ = run("--config-dir", str(case / "input"), "--cli", prefix, "contact")
    assert code == 0
    got = [(c["id"], c["status"], c["rtt_ms"]) for c in json.loads(out)["contacts"]]
    want = [(c["id"], c["status"], c["rtt_ms"]) for c in load_expected("v30_runtime_registered")["contacts"]]
    assert sorted(got) == sorted(want)


def test_unreachable_asterisk_warns_and_still_shows() -> None:
    code, out, err = run("--config-dir", str(DEMO_DIR), "--cli", "false", "contact")
    assert code == 0
    assert "runtime state unavailable" in err
    assert {c["kind"] for c in json.loads(out)["contacts"]} == {"permanent"}


def test_realtime_objects_and_unreachable_database_warning(tmp_path: Path) -> None:
    code, out, _ = run("--config-dir", str(DEMO_DIR), "endpoint", "2001")
    assert code == 0 and json.loads(out)["objects"]["endpoint"]["2001"]["callerid"] == '"Mia Novak" <2001>'
    code, _, err = run("--config-dir", str(DEMO_DIR), "--realtime-url", f"demo=sqlite:///{tmp_path}/none/x.db",
                       "endpoint", "2001")
    assert code == 1
    assert "warning: realtime source ps_endpoints" in err and "Unable to find object 2001." in err


def test_main_file_setting_names_the_file_the_default_wizards_read(tmp_path: Path) -> None:
    (tmp_path / "pjsip.conf").write_text("[a]\ntype=endpoint\n")
    (tmp_path / "pbx.conf").write_text("[b]\ntype=endpoint\n")
    (tmp_path / "pjsipconf.ini").write_text("[general]\nmain_file = pbx.conf\n")
    code, out, _ = run("--config-dir", str(tmp_path))
    assert code == 0 and list(json.loads(out)["objects"]["endpoint"]) == ["b"]
