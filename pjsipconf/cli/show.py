"""`pjsipconf show`: the effective objects, as Asterisk would print them."""

from __future__ import annotations

import json
import sys
from typing import Any, Iterable

import click

from pjsipconf.cli.common import (
    ToolError,
    asterisk_version_option,
    cli_option,
    config_dir_option,
    open_runtime_bridge,
    open_settings,
    realtime_url_option,
    resolve_version,
    settings_option,
)
from pjsipconf.model.build import build_snapshot
from pjsipconf.model.contacts import merge_runtime
from pjsipconf.model.types import Contact, Snapshot
from pjsipconf.model.views import asterisk_json_chunks, contacts_table, dump_json, explain_view, selected, text_table
from pjsipconf.schema import load_schema


@click.command()
@config_dir_option
@click.option("--view", type=click.Choice(["asterisk", "api", "explain"]), default="asterisk", show_default=True,
              help="asterisk: every option as `pjsip show` prints it; explain: plus where each value came from; "
                   "api: the HTTP API's documents.")
@click.option("--format", "output_format", type=click.Choice(["json", "text"]), default="json", show_default=True)
@asterisk_version_option
@settings_option
@realtime_url_option
@cli_option
@click.argument("object_type", required=False)
@click.argument("object_id", required=False)
def show(
    config_dir: str,
    view: str,
    output_format: str,
    asterisk_version: str | None,
    settings_path: str | None,
    realtime_urls: dict[str, str],
    cli_prefix: str | None,
    object_type: str | None,
    object_id: str | None,
) -> None:
    """Show the objects Asterisk would load from CONFIG_DIR: all, one TYPE, or one TYPE ID.

    TYPE `contact` lists the contacts (permanent ones, plus registered ones with --cli)."""
    settings = open_settings(settings_path, config_dir)
    version = resolve_version(asterisk_version, settings)
    if object_type is not None and load_schema(version).type_of(object_type) is None:
        known = ", ".join(sorted(load_schema(version).types))
        raise ToolError(f"unknown object type '{object_type}' (known: {known})")
    snapshot = build_snapshot(config_dir, settings=settings, asterisk_version=version,
                              realtime_urls=realtime_urls)
    for source in snapshot.sources:
        if not source.ok:
            click.echo(f"warning: {source.kind} source {source.name}: {source.error}", err=True)
    bridge = open_runtime_bridge(settings, cli_prefix)
    if bridge is not None:
        snapshot = merge_runtime(snapshot, bridge.fetch())
        if not snapshot.runtime or not snapshot.runtime.available:
            reason = snapshot.runtime.error if snapshot.runtime else "no answer"
            click.echo(f"warning: runtime state unavailable: {reason}", err=True)
    if object_type == "contact":
        _show_contacts(snapshot, object_id, output_format)
        return
    if object_id is not None and snapshot.get(object_type or "", object_id) is None:
        click.echo(f"Unable to find object {object_id}.", err=True)
        sys.exit(1)
    if output_format == "json":
        _echo_in_pieces(_json_pieces(snapshot, view, object_type, object_id))
    else:
        _print_text(snapshot, view, object_type, object_id)


def _json_pieces(snapshot: Snapshot, view: str, object_type: str | None, object_id: str | None) -> Iterable[str]:
    if view == "asterisk":
        return asterisk_json_chunks(snapshot, object_type, object_id)
    if view == "explain":
        return (dump_json(explain_view(snapshot, object_type, object_id)),)
    from pjsipconf.api.documents import api_view

    return (dump_json(api_view(snapshot, object_type, object_id)),)


def _echo_in_pieces(pieces: Iterable[str], flush_at: int = 1 << 20) -> None:
    """Print text as it is made, about a megabyte at a time (100,000 endpoints make 470 MB of it)."""
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= flush_at:
            click.echo("".join(buffer), nl=False)
            buffer, size = [], 0
    click.echo("".join(buffer))


def _print_text(snapshot: Snapshot, view: str, object_type: str | None, object_id: str | None) -> None:
    blocks = [text_table(obj, explain=view == "explain") for obj in selected(snapshot, object_type, object_id)]
    click.echo("\n\n".join(blocks) if blocks else "No objects found.")


def contact_record(contact: Contact) -> dict[str, Any]:
    """A contact as the golden `contacts` entries: what `pjsip show contacts` / `contact` print."""
    return {
        "aor": contact.aor, "uri": contact.uri, "id": contact.id, "kind": contact.kind,
        "hash": contact.hash, "status": contact.status, "rtt_ms": contact.rtt_ms, "details": dict(contact.details),
    }


def _show_contacts(snapshot: Snapshot, wanted: str | None, output_format: str) -> None:
    # Like `pjsip show contacts`: the listing leaves out contacts of aors its lookup refuses.
    contacts = [c for c in snapshot.contacts if wanted in (None, c.id, f"{c.aor}/{c.uri}") and (c.listed or wanted)]
    if wanted is not None and not contacts:
        click.echo(f"Unable to find object {wanted}.", err=True)
        sys.exit(1)
    if output_format == "json":
        click.echo(json.dumps({"contacts": [contact_record(c) for c in contacts]}, indent=2, ensure_ascii=False))
        return
    click.echo(contacts_table(contacts), nl=False)
