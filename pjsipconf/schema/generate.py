"""Generate the versioned option tables from Asterisk's reference facts plus hand-maintained overrides.

    python -m pjsipconf.schema.generate <pjsip_options.json> <out-dir> [--overrides FILE] [--columns ASTERISK.md]

writes `asterisk-<family>.json` for every family listed in the overrides' `versions`. Each option
gets its value kind (from its C handler or option type), kind parameters, registered default,
whether it accumulates, alias/deprecation facts, and whether `pjsip show` prints it. With
`--columns`, the realtime table of each type and the DB column type of each option are read from
the appendix tables of ASTERISK.md ("### <type>  (realtime table `ps_x`)" and its last column).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from typing import Any

DATA_DIR = os.path.join(os.path.dirname(__file__), "data")
DEFAULT_OVERRIDES = os.path.join(DATA_DIR, "overrides.json")
SCHEMA_FORMAT = 1


class GenerateError(Exception):
    """The reference or the overrides cannot be turned into a table (message names the option)."""


def _kind_of(type_name: str, option_name: str, option: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """The kind spec {kind, params} for one reference option."""
    handler = option.get("config_handler")
    if handler == "dtls_handler":
        spec = overrides["dtls_options"].get(option_name)
    elif handler:
        spec = overrides["handlers"].get(handler)
    else:
        spec = overrides["opt_types"].get(option.get("opt_type"))
    if spec is None:
        raise GenerateError(f"{type_name}/{option_name}: no kind for handler {handler!r} / {option.get('opt_type')!r}")
    return {"kind": spec["kind"], "params": dict(spec.get("params", {}))}


_TYPE_HEADING = re.compile(r"^### ([a-z_-]+)(?:\s+\(realtime table `([a-z_]+)`\))?\s*$")
_OPTION_ROW = re.compile(r"^\| `([^`]+)` \|.*\| ([^|]*) \|\s*$")


def read_columns(path: str) -> dict[str, dict[str, Any]]:
    """type -> {"table": realtime table or None, "columns": {option: DB column type}} from the
    ASTERISK.md appendix (rows whose last cell is empty or "(no column)" have no column)."""
    out: dict[str, dict[str, Any]] = {}
    current: dict[str, Any] | None = None
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            heading = _TYPE_HEADING.match(line)
            if heading:
                current = out.setdefault(heading.group(1), {"table": heading.group(2), "columns": {}})
                continue
            if line.startswith("## "):
                current = None
            row = _OPTION_ROW.match(line) if current is not None else None
            if row and current is not None:
                column = row.group(2).strip()
                if column and column not in ("(no column)", "–"):
                    current["columns"][row.group(1)] = column
    return out


def _option_entry(type_name: str, name: str, option: dict[str, Any], overrides: dict[str, Any],
                  version_options: dict[str, Any], columns: dict[str, str]) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": name, **_kind_of(type_name, name, option, overrides), "db_column": columns.get(name)}
    applied = option.get("default_applied") and option.get("default") not in (None, "")
    entry.update(
        default=option["default"] if applied else None,
        rendered_default=option.get("rendered_default"),
        multi=bool(option.get("multi")),
        alias_of=option.get("alias_of"),
        deprecated=bool(option.get("deprecated")),
        replaced_by=option.get("replaced_by"),
        rendered=bool(option.get("rendered_in_objectset")),
        regex=bool(option.get("regex")),
        field=option.get("alias_of") or name,
        render_field=None,
        enum_values=list(option.get("enum") or []),
        documented=bool(option.get("documented")),
        doc=option.get("doc") or option.get("default_note") or "",
    )
    for source in (overrides["options"].get(f"{type_name}/{name}"), version_options.get(f"{type_name}/{name}")):
        if not source:
            continue
        for key, value in source.items():
            if key == "params":
                entry["params"].update(value)
            elif key != "note":
                entry[key] = value
    return entry


def build_table(reference: dict[str, Any], overrides: dict[str, Any], family: str,
                columns: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The option table of one version family."""
    version = overrides["versions"][family]
    types: dict[str, Any] = {}
    for type_name, type_ref in sorted(reference["types"].items()):
        wizard = type_ref.get("sorcery_wizard") or {}
        type_columns = (columns or {}).get(type_name, {"table": None, "columns": {}})
        options = [
            _option_entry(type_name, name, option, overrides, version.get("options", {}), type_columns["columns"])
            for name, option in type_ref["options"].items()
        ]
        types[type_name] = {
            "name": type_name,
            "realtime_table": type_columns["table"],
            "default_wizard": [wizard.get("wizard", "config"), wizard.get("data", "")],
            "config_file": type_ref.get("config_file"),
            "source": type_ref.get("source"),
            "options": options,
        }
    return {
        "format": SCHEMA_FORMAT,
        "family": family,
        "asterisk_version": version["asterisk_version"],
        "update_last_match": version["update_last_match"],
        "generated_from": {"reference": reference.get("git_describe"), "commit": reference.get("commit")},
        "formats": overrides["formats"],
        "formats_outside_all": overrides["formats_outside_all"],
        "extended": overrides["extended"],
        "types": types,
    }


def generate(reference_path: str, out_dir: str, overrides_path: str = DEFAULT_OVERRIDES,
             columns_path: str | None = None) -> list[str]:
    """Write one table per version family; returns the written paths."""
    try:
        with open(reference_path, encoding="utf-8") as handle:
            reference = json.load(handle)
        with open(overrides_path, encoding="utf-8") as handle:
            overrides = json.load(handle)
        columns = read_columns(columns_path) if columns_path else None
    except (OSError, json.JSONDecodeError) as exc:
        raise GenerateError(f"cannot read input: {exc}") from None
    os.makedirs(out_dir, exist_ok=True)
    written = []
    for family in sorted(overrides["versions"]):
        path = os.path.join(out_dir, f"asterisk-{family}.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(build_table(reference, overrides, family, columns), handle, indent=1, sort_keys=True)
            handle.write("\n")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pjsipconf.schema.generate", description=__doc__.splitlines()[0])
    parser.add_argument("reference", help="pjsip_options.json")
    parser.add_argument("out_dir", help="directory for asterisk-<family>.json")
    parser.add_argument("--overrides", default=DEFAULT_OVERRIDES, help="hand-maintained overrides (default: the packaged one)")
    parser.add_argument("--columns", help="ASTERISK.md, for realtime tables and DB column types")
    args = parser.parse_args(argv)
    try:
        for path in generate(args.reference, args.out_dir, args.overrides, args.columns):
            print(path)
    except GenerateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
