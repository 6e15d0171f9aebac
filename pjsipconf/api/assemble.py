"""Wiring shared by `build`, `serve` and the WSGI entry point: settings -> builder -> documents."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from pjsipconf.api.documents import BuildOptions, Documents, build_documents, with_extra
from pjsipconf.api.envelope import now_timestamp
from pjsipconf.api.health import health_fields
from pjsipconf.api.live import LiveView, SnapshotBuilder, big_heap_work, check_usable
from pjsipconf.api.static import Progress, WriteReport, load_manifest, write_static
from pjsipconf.model.types import Snapshot
from pjsipconf.settings import Settings, load_settings


@dataclass(frozen=True)
class ServeOptions:
    """`serve` flags; None means "as the settings file says"."""

    config_dir: str
    settings_path: str | None = None
    asterisk_version: str | None = None
    show_secrets: bool | None = None
    watch: bool = True
    out_dir: str | None = None
    cli_prefix: str | None = None
    token: str | None = None
    debounce: float | None = None
    settings: Settings | None = field(default=None, compare=False)


def snapshot_builder(config_dir: str, settings: Settings, asterisk_version: str | None) -> SnapshotBuilder:
    from pjsipconf.model.build import build_snapshot

    def build() -> Snapshot:
        return build_snapshot(config_dir, settings=settings, asterisk_version=asterisk_version)

    return build


def findings_for(settings: Settings) -> Callable[[Snapshot], Sequence[Any]]:
    from pjsipconf.check import run_checks

    return lambda snapshot: run_checks(snapshot, settings)


def build_static(
    config_dir: str,
    out_dir: str,
    *,
    settings: Settings,
    asterisk_version: str | None = None,
    show_secrets: bool = False,
    progress: Progress | None = None,
) -> WriteReport:
    """`pjsipconf build`: one Snapshot, its documents, written to out_dir (only what changed)."""
    with big_heap_work():
        return _build_static(config_dir, out_dir, settings, asterisk_version, show_secrets, progress)


def _build_static(
    config_dir: str,
    out_dir: str,
    settings: Settings,
    asterisk_version: str | None,
    show_secrets: bool,
    progress: Progress | None,
) -> WriteReport:
    snapshot = snapshot_builder(config_dir, settings, asterisk_version)()
    check_usable(snapshot)
    manifest = load_manifest(out_dir)
    now = now_timestamp()
    documents = build_documents(
        snapshot,
        previous=manifest.baseline,
        options=BuildOptions(show_secrets=show_secrets),
        findings=findings_for(settings)(snapshot),
        now=now,
    )
    documents = with_static_health(documents, snapshot)
    return write_static(documents, out_dir, timestamp=now, manifest=manifest, progress=progress)


def with_static_health(documents: Documents, snapshot: Snapshot) -> Documents:
    fields = health_fields(snapshot, documents, runtime_enabled=False, last_error=None, watching=False)
    return with_extra(documents, "health", fields)


def _runtime_refresher(options: ServeOptions, settings: Settings, view_holder: list[LiveView]) -> Any:
    """The runtime bridge's background refresher, when `--cli` or `[runtime] enabled` asks for one."""
    section = settings.section("runtime")
    prefix = options.cli_prefix or (str(section.get("cli", "asterisk -rx")) if section.get("enabled") else None)
    if not prefix:
        return None
    from pjsipconf.sources.runtime.bridge import RuntimeBridge, RuntimeRefresher

    bridge = RuntimeBridge(
        prefix,
        timeout=float(section.get("timeout", 5.0)),
        min_interval=float(section.get("min_interval", 5.0)),
        keep_for=float(section.get("keep_for", 600.0)),
    )
    return RuntimeRefresher(bridge, on_update=lambda state: view_holder[0].wake() if view_holder else None)


def start_live_view(options: ServeOptions) -> LiveView:
    """Build the first view (synchronously), then start the watcher, the runtime bridge and the worker."""
    settings = options.settings or load_settings(options.settings_path, config_dir=options.config_dir)
    server = settings.section("server")
    realtime = settings.section("realtime")
    show_secrets = options.show_secrets if options.show_secrets is not None else bool(server.get("show_secrets"))
    holder: list[LiveView] = []
    refresher = _runtime_refresher(options, settings, holder)
    view = LiveView(
        snapshot_builder(options.config_dir, settings, options.asterisk_version),
        options=BuildOptions(show_secrets=show_secrets),
        findings=findings_for(settings),
        runtime_latest=refresher.latest if refresher is not None else None,
        out_dir=os.path.abspath(options.out_dir) if options.out_dir else None,
        debounce=options.debounce if options.debounce is not None else float(server.get("debounce", 0.2)),
        reread_interval=float(realtime.get("reread_interval", 30.0)),
        token=options.token or str(server.get("token") or "") or None,
    )
    holder.append(view)
    view.start()  # first, so that the first static write (--out) happens in the background
    view.rebuild()
    if options.watch:
        from pjsipconf.api.watch import ConfigWatcher

        watcher = ConfigWatcher(view, options.config_dir)
        watcher.start()
        view.on_stop.append(watcher.stop)
    if refresher is not None:
        refresher.start()
        view.on_stop.append(refresher.stop)
    return view
