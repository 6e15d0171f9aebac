"""Random configurations through every stage: parse, model, check, documents, views and the CLI.

Each seed is one generated directory (tests/pipeline/generate.py). No stage may raise, and the
stages must agree with each other: what the model rejects, check reports as an error; what it
loads, check does not; every loaded object renders the same way in every view.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from pjsipconf.api.contract import COLLECTIONS
from pjsipconf.api.documents import BuildOptions, build_documents
from pjsipconf.api.web import FixedView, create_app
from pjsipconf.check import exit_code, run_checks
from pjsipconf.check.formats import FORMATS
from pjsipconf.check.types import Finding
from pjsipconf.cli import cli
from pjsipconf.conf import MemoryReader, parse
from pjsipconf.model.build import build_snapshot
from pjsipconf.model.reuse import BuildMemo
from pjsipconf.model.types import Snapshot
from pjsipconf.model.views import (
    asterisk_json,
    asterisk_view,
    dump_json,
    explain_view,
    text_table,
)
from pjsipconf.schema import group_lines, load_schema
from tests.pipeline.generate import MAIN_FILE, generate_config, write_config

ETC = "/etc/asterisk"
SEEDS = range(1, 61)
CLI_SEEDS = range(1, 4)
NOW = "2026-01-01T00:00:00Z"
SCHEMA = load_schema("22")


def memory_reader(files: dict[str, str]) -> MemoryReader:
    return MemoryReader({f"{ETC}/{name}": text.encode("utf-8") for name, text in files.items()})


def build_from(files: dict[str, str]) -> Snapshot:
    return build_snapshot(ETC, reader=memory_reader(files))


def assert_rejections_reported(snapshot: Snapshot, findings: tuple[Finding, ...]) -> None:
    errors = {(f.object_type, f.object_id) for f in findings if f.severity == "error"}
    for rejection in snapshot.rejected:
        if rejection.type == "*" or rejection.source is None or rejection.source.kind != "file":
            continue
        assert (rejection.type, rejection.id) in errors, f"rejected but no error finding: {rejection}"


def assert_loaded_objects_clean(snapshot: Snapshot, findings: tuple[Finding, ...]) -> None:
    """An error finding is about an object Asterisk did not load, or about a refused section of
    an id another wizard serves (and then it says so)."""
    for finding in findings:
        if finding.severity == "error" and finding.object_type is not None:
            served = snapshot.get(finding.object_type, finding.object_id or "")
            assert served is None or "uses the one from" in finding.message, f"loaded object has an error finding: {finding}"


def assert_objects_render(snapshot: Snapshot) -> None:
    for objects in snapshot.objects.values():
        for obj in objects.values():
            rendered = obj.rendered()
            assert rendered == group_lines(obj.objectset()), f"{obj.type} {obj.id}"
            for name in rendered:
                obj.where(name)
            assert text_table(obj, explain=True).startswith(f"{obj.type}: {obj.id}")


def assert_provenance_names_real_lines(files: dict[str, str], snapshot: Snapshot) -> None:
    """Every header line and every line `where` names is in its file, and says what it is said to."""
    lines = {f"{ETC}/{name}": text.split("\n") for name, text in files.items()}
    for objects in snapshot.objects.values():
        for obj in objects.values():
            assert "[" in lines[obj.source.detail][obj.line - 1], f"{obj.type} {obj.id} header line {obj.line}"
            for name in obj.rendered():
                for var in obj.where(name).variables:
                    text = lines[var.source.detail][var.line - 1]
                    assert var.name.strip().lower() in text.lower(), f"{obj.type} {obj.id} {name}: {var}"


def assert_findings_point_into_files(files: dict[str, str], findings: tuple[Finding, ...]) -> None:
    line_counts = {name: text.count("\n") + 1 for name, text in files.items()}
    for finding in findings:
        if finding.line:
            assert finding.line <= line_counts[finding.file], finding


def assert_missing_references_reported(snapshot: Snapshot, findings: tuple[Finding, ...]) -> None:
    """An endpoint naming an aor, auth or transport that did not load has an R301 finding, and only then."""
    reported = {f.object_id for f in findings if f.rule == "R301" and f.object_type == "endpoint"}
    for endpoint_id, endpoint in snapshot.of_type("endpoint").items():
        rendered = endpoint.rendered()
        missing = [
            name
            for option, type_ in (("aors", "aor"), ("auth", "auth"), ("outbound_auth", "auth"), ("transport", "transport"))
            for name in str(rendered.get(option) or "").split(",")
            if name.strip() and snapshot.get(type_, name.strip()) is None
        ]
        assert bool(missing) == (endpoint_id in reported), f"endpoint {endpoint_id}: missing {missing}"


def assert_views_round_trip(snapshot: Snapshot) -> None:
    for view in (asterisk_view(snapshot), explain_view(snapshot)):
        assert json.loads(dump_json(view)) == view
    assert asterisk_json(snapshot) == dump_json(asterisk_view(snapshot))
    counts = {type_: len(objects) for type_, objects in snapshot.objects.items()}
    assert {t: len(o) for t, o in asterisk_view(snapshot)["objects"].items()} == counts


def run_pipeline(files: dict[str, str]) -> tuple[Snapshot, tuple[Finding, ...]]:
    snapshot = build_from(files)
    findings = run_checks(snapshot)
    documents = build_documents(snapshot, options=BuildOptions(), findings=findings, now=NOW)
    for by_id in documents.details.values():
        for document in by_id.values():  # explain views are deferred: this renders them
            json.loads(document.result)
    for document in (*documents.lists.values(), *documents.extras.values()):
        json.loads(document.result)
    assert_rejections_reported(snapshot, findings)
    assert_loaded_objects_clean(snapshot, findings)
    assert_objects_render(snapshot)
    assert_provenance_names_real_lines(files, snapshot)
    assert_findings_point_into_files(files, findings)
    assert_missing_references_reported(snapshot, findings)
    assert_views_round_trip(snapshot)
    return snapshot, findings


@pytest.mark.parametrize("seed", SEEDS)
def test_random_configuration_through_every_stage(seed: int) -> None:
    files = generate_config(seed, SCHEMA)
    config = parse(f"{ETC}/{MAIN_FILE}", reader=memory_reader(files))
    assert config.exists
    run_pipeline(files)


def test_generator_is_deterministic_and_messy() -> None:
    assert generate_config(7, SCHEMA) == generate_config(7, SCHEMA)
    snapshots = [build_from(generate_config(seed, SCHEMA)) for seed in range(1, 31)]
    causes = {rejection.cause for snapshot in snapshots for rejection in snapshot.rejected}
    assert {"option", "duplicate"} <= causes
    assert sum(len(objects) for snapshot in snapshots for objects in snapshot.objects.values()) > 50


@pytest.mark.parametrize("seed", CLI_SEEDS)
def test_cli_agrees_with_the_pipeline(seed: int, tmp_path: Path) -> None:
    config_dir = write_config(tmp_path, generate_config(seed, SCHEMA))
    snapshot = build_snapshot(str(config_dir))
    findings = run_checks(snapshot)
    runner = CliRunner()
    shown = runner.invoke(cli, ["show", "--config-dir", str(config_dir)], catch_exceptions=False)
    assert shown.exit_code == 0
    assert json.loads(shown.stdout) == asterisk_view(snapshot)
    for args in (["--format", "text"], ["--view", "explain"], ["--view", "explain", "--format", "text"]):
        assert runner.invoke(cli, ["show", "--config-dir", str(config_dir), *args], catch_exceptions=False).exit_code == 0
    for fmt in FORMATS:
        result = runner.invoke(cli, ["check", "--config-dir", str(config_dir), "--format", fmt], catch_exceptions=False)
        assert result.exit_code == exit_code(findings), fmt
        assert result.exit_code == (1 if any(f.severity == "error" for f in findings) else 0)
        if fmt in ("json", "sarif"):
            json.loads(result.stdout)
        if fmt == "junit":
            ElementTree.fromstring(result.stdout)


@pytest.mark.parametrize("seed", range(1, 6))
def test_every_object_is_served_by_its_url(seed: int) -> None:
    snapshot = build_from(generate_config(seed, SCHEMA))
    client = create_app(FixedView(build_documents(snapshot, now=NOW))).test_client()
    for type_, collection in COLLECTIONS.items():
        if type_ == "contact":
            continue
        listed = json.loads(client.get(f"/pjsip/{collection}").data)["result"]["list"]
        assert len(listed) == len(snapshot.of_type(type_))
        for object_id in snapshot.of_type(type_):
            for view in ("api", "asterisk", "explain"):
                response = client.get(f"/pjsip/{collection}/{quote(object_id, safe='')}?view={view}")
                assert response.status_code == 200, (type_, object_id, view)


def _without_tm_update(result: bytes) -> object:
    data = json.loads(result)
    for item in data.get("list", [data]) if isinstance(data, dict) else []:
        if isinstance(item, dict):
            item.pop("tm_update", None)
    return data


@pytest.mark.parametrize("seed", range(1, 11))
def test_incremental_documents_equal_a_fresh_build(seed: int) -> None:
    before = build_from(generate_config(seed, SCHEMA))
    after = build_from(generate_config(seed + 1000, SCHEMA))
    first = build_documents(before, now=NOW)
    again = build_documents(before, previous=first.baseline(), now="2026-01-02T00:00:00Z")
    assert again.built_at == first.built_at
    incremental = build_documents(after, previous=first.baseline(), now="2026-01-02T00:00:00Z")
    fresh = build_documents(after, now="2026-01-02T00:00:00Z")
    assert incremental.details.keys() == fresh.details.keys()
    for key, by_id in fresh.details.items():
        assert incremental.details[key].keys() == by_id.keys()
        for object_id, document in by_id.items():
            assert _without_tm_update(incremental.details[key][object_id].result) == _without_tm_update(document.result)
    for key, document in fresh.lists.items():
        assert _without_tm_update(incremental.lists[key].result) == _without_tm_update(document.result)


def _edited(rng: random.Random, files: dict[str, str]) -> dict[str, str]:
    """`files` with a few lines changed, removed or added (most objects stay as they were)."""
    name = rng.choice(sorted(files))
    lines = files[name].split("\n")
    for _ in range(rng.randint(1, 6)):
        index = rng.randrange(len(lines))
        if "=" in lines[index] and rng.random() < 0.5:
            lines[index] = lines[index].split("=")[0] + "=" + rng.choice(("yes", "no", "1", "ulaw", "bogus", ""))
        elif rng.random() < 0.5:
            del lines[index]
        else:
            lines.insert(index, rng.choice(("context=other", "max_contacts=2", "allow=!all,g722", "nosuch=1")))
    return {**files, name: "\n".join(lines) + "\n"}


def _everything(snapshot: Snapshot) -> tuple[object, ...]:
    rejected = sorted((r.type, r.id, r.cause, r.message, r.line or 0) for r in snapshot.rejected)
    return asterisk_view(snapshot), explain_view(snapshot), rejected, snapshot.warnings, run_checks(snapshot)


@pytest.mark.parametrize("seed", range(1, 6))
def test_rebuilds_with_a_memo_equal_fresh_builds(seed: int) -> None:
    rng = random.Random(seed)
    memo = BuildMemo()
    versions = [generate_config(seed, SCHEMA)]
    versions += [_edited(rng, versions[-1]) for _ in range(3)]
    versions += [generate_config(seed + 1000, SCHEMA), versions[0]]
    for files in versions:
        reused = build_snapshot(ETC, reader=memory_reader(files), memo=memo)
        assert _everything(reused) == _everything(build_from(files))
