"""Wiring shared by `build`, `serve` and the WSGI entry point: settings -> builder -> documents."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from pjsipconf.api.documents import BuildOptions, Documents, build_documents, with_extra
from pjsipconf.api.envelope import now_timestamp
from pjsipconf.api.health import health_fields
from pjsipconf.api.live import FindingsOf, LiveView, SnapshotBuilder, big_heap_work, check_usable
from pjsipconf.api.static import Progress, WriteReport, load_manifest, write_static
from pjsipconf.model.contacts import merge_runtime
from pjsipconf.model.types import Snapshot
from pjsipconf.settings import FollowedSettings, Settings, load_settings

if TYPE_CHECKING:
    from pjsipconf.sources.runtime import RuntimeBridge


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
    realtime_urls: Mapping[str, str] = field(default_factory=dict)
    token: str | None = None
    debounce: float | None = None
    settings: Settings | None = field(default=None, compare=False)


SettingsOf = Callable[[], Settings]  # the settings to use now (FollowedSettings.current re-reads an edited file)


def snapshot_builder(
    config_dir: str, settings_of: SettingsOf, asterisk_version: str | None, realtime_urls: Mapping[str, str] | None = None
) -> SnapshotBuilder:
    """A builder for repeated builds of one directory: each reuses the objects of the last one
    whose lines did not change (a one-line edit re-types one object, not all of them)."""
    from pjsipconf.model.build import build_snapshot
    from pjsipconf.model.reuse import BuildMemo

    memo = BuildMemo()

    def build() -> Snapshot:
        return build_snapshot(
            config_dir, settings=settings_of(), asterisk_version=asterisk_version, realtime_urls=realtime_urls,
            memo=memo,
        )

    return build


def findings_for(settings_of: SettingsOf) -> FindingsOf:
    """The checks of a snapshot under the settings of the moment; `stop` says when to give up."""
    from pjsipconf.check import run_checks

    def findings(snapshot: Snapshot, stop: Callable[[], bool]) -> Sequence[Any]:
        return run_checks(snapshot, settings_of(), stop=stop)

    return findings


def build_static(
    config_dir: str,
    out_dir: str,
    *,
    settings: Settings,
    asterisk_version: str | None = None,
    show_secrets: bool = False,
    progress: Progress | None = None,
    realtime_urls: Mapping[str, str] | None = None,
    runtime: RuntimeBridge | None = None,
) -> WriteReport:
    """`pjsipconf build`: one Snapshot (with runtime state when a bridge is given), its documents,
    written to out_dir (only what changed)."""
    with big_heap_work():
        snapshot = snapshot_builder(config_dir, lambda: settings, asterisk_version, realtime_urls)()
        check_usable(snapshot)
        if runtime is not None:
            snapshot = merge_runtime(snapshot, runtime.fetch())
        return _write_static(snapshot, out_dir, settings, show_secrets, progress)


def _write_static(
    snapshot: Snapshot, out_dir: str, settings: Settings, show_secrets: bool, progress: Progress | None
) -> WriteReport:
    from pjsipconf.check import run_checks

    manifest = load_manifest(out_dir)
    now = now_timestamp()
    documents = build_documents(
        snapshot,
        previous=manifest.baseline,
        options=BuildOptions(show_secrets=show_secrets),
        findings=run_checks(snapshot, settings),
        now=now,
    )
    documents = with_static_health(documents, snapshot)
    return write_static(documents, out_dir, timestamp=now, manifest=manifest, progress=progress)


def with_static_health(documents: Documents, snapshot: Snapshot) -> Documents:
    fields = health_fields(
        snapshot, documents, runtime_enabled=snapshot.runtime is not None, last_error=None, watching=False
    )
    return with_extra(documents, "health", fields)


def _runtime_refresher(options: ServeOptions, settings: Settings, view_holder: list[LiveView]) -> Any:
    """The runtime bridge's background refresher, when `--cli` or `[runtime] enabled` asks for one."""
    from pjsipconf.sources.runtime import RuntimeRefresher, bridge_from_settings

    bridge = bridge_from_settings(settings.section("runtime"), options.cli_prefix)
    if bridge is None:
        return None
    return RuntimeRefresher(bridge, on_update=lambda state: view_holder[0].wake() if view_holder else None)


def start_live_view(options: ServeOptions) -> LiveView:
    """Build the first view (synchronously), then start the watcher, the runtime bridge and the worker.

    Builds and checks follow edits of the settings file; its [server] and [runtime] sections
    apply as they were at start."""
    settings = options.settings or load_settings(options.settings_path, config_dir=options.config_dir)
    followed = FollowedSettings(options.settings_path, options.config_dir, settings)
    server = settings.section("server")
    realtime = settings.section("realtime")
    show_secrets = options.show_secrets if options.show_secrets is not None else bool(server.get("show_secrets"))
    holder: list[LiveView] = []
    refresher = _runtime_refresher(options, settings, holder)
    view = LiveView(
        snapshot_builder(options.config_dir, followed.current, options.asterisk_version, options.realtime_urls),
        options=BuildOptions(show_secrets=show_secrets),
        findings=findings_for(followed.current),
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

        watcher = ConfigWatcher(view, options.config_dir, also=(followed.path,))
        watcher.start()
        view.on_stop.append(watcher.stop)
    if refresher is not None:
        refresher.start()
        view.on_stop.append(refresher.stop)
    return view
