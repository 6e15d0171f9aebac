"""Realtime vs pjsip.conf: the same N extensions (endpoint + aor + auth) loaded from each.

    python bench/realtime.py [N] [--postgres URL]   (default 10000; server default: local postgres)

The file configuration comes from bench/generate.py; `realtime import` writes its objects into a
fresh SQLite file and a fresh PostgreSQL database; sorcery.conf then maps endpoint/aor/auth to them.
Measured in one run, best of a few each: reading the sources (parse + raw objects for the file,
the streamed SELECTs for realtime) and the whole build (build_snapshot). Target (issue #5):
realtime within 2x of the file path.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Callable

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

from pjsipconf.conf import parse  # noqa: E402
from pjsipconf.model.build import build_snapshot  # noqa: E402
from pjsipconf.model.config_wizard import CategoryIndex, ConfigCriteria, raw_object  # noqa: E402
from pjsipconf.schema import load_schema  # noqa: E402
from pjsipconf.sources.realtime import RealtimeLoader  # noqa: E402
from pjsipconf.sources.realtime.importer import import_config  # noqa: E402
from pjsipconf.sources.sorcery import default_wizard, read_sorcery  # noqa: E402

RUNS = 3
TARGET = 2.0
TYPES = {"endpoint": "ps_endpoints", "aor": "ps_aors", "auth": "ps_auths"}
SORCERY = "[res_pjsip]\n" + "".join(f"{t}=realtime,{table}\n" for t, table in TYPES.items())


def best_of(runs: int, action: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def file_sources(config_dir: Path) -> int:
    """What the config wizard does for the three types: parse pjsip.conf, pick the categories."""
    schema = load_schema("22")
    index = CategoryIndex(parse(str(config_dir / "pjsip.conf"), config_dir=str(config_dir)).categories)
    objects = [raw_object(category, t) for t in TYPES
               for category in index.select(ConfigCriteria.from_wizard(default_wizard(schema, t)), schema.types[t])]
    return len(objects)


def realtime_sources(config_dir: Path, urls: dict[str, str]) -> int:
    schema = load_schema("22")
    mapping, _ = read_sorcery(str(config_dir), schema)
    loader = RealtimeLoader(str(config_dir), urls=urls, schema=schema)
    try:
        results = [loader.load(t, mapping.wizards[t][0]) for t in TYPES]
    finally:
        loader.close()
    assert all(r.source.ok for r in results), [r.source.error for r in results]
    return sum(len(r.objects) for r in results)


def realtime_dir(root: Path, file_dir: Path, driver: str, extra: dict[str, str]) -> Path:
    """Transports and globals stay in pjsip.conf; endpoints, aors and auths come from the database."""
    root.mkdir()
    shutil.copy(file_dir / "pjsip.transports.conf", root)
    (root / "pjsip.conf").write_text("[global]\ntype=global\nuser_agent=FPBX-bench\n#include pjsip.transports.conf\n")
    (root / "sorcery.conf").write_text(SORCERY)
    (root / "extconfig.conf").write_text("[settings]\n" + "".join(f"{t} => {driver},asterisk\n" for t in TYPES.values()))
    for name, content in extra.items():
        (root / name).write_text(content)
    return root


def build_objects(config_dir: Path, urls: dict[str, str]) -> int:
    snapshot = build_snapshot(str(config_dir), realtime_urls=urls)
    return sum(len(snapshot.of_type(t)) for t in TYPES)


def measure(label: str, sources: Callable[[], int], build: Callable[[], int]) -> tuple[float, float]:
    count = sources()
    built = build()
    read_time, build_time = best_of(RUNS, sources), best_of(RUNS, build)
    print(f"{label:<22} sources {read_time * 1000:8.0f} ms   build {build_time * 1000:8.0f} ms   "
          f"({count} raw objects, {built} built)")
    return read_time, build_time


def main(n: int, server: str) -> None:
    dbname = f"pjsipconf_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {dbname}"))
    pg_url = make_url(server).set(database=dbname).render_as_string(hide_password=False)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            root = Path(scratch)
            file_dir = generate(root / "files", n).parent
            sqlite_url = f"sqlite:///{root / 'rt.sqlite3'}"
            for url in (sqlite_url, pg_url):
                start = time.perf_counter()
                report = import_config(str(file_dir), url, schema=load_schema("22"))
                print(f"import into {make_url(url).get_backend_name():<10}: {sum(report.written.values())} rows "
                      f"in {time.perf_counter() - start:.1f} s ({len(report.notes)} notes)")
            sqlite_dir = realtime_dir(root / "sqlite", file_dir, "sqlite3",
                                      {"res_config_sqlite3.conf": f"[asterisk]\ndbfile => {root / 'rt.sqlite3'}\n"})
            pg_dir = realtime_dir(root / "pg", file_dir, "pgsql", {})
            pg_urls = {"asterisk": pg_url}
            print(f"extensions: {n} (endpoint + aor + auth each), best of {RUNS}")
            file_read, file_build = measure("pjsip.conf", lambda: file_sources(file_dir), lambda: build_objects(file_dir, {}))
            for label, directory, urls in (("realtime sqlite3", sqlite_dir, {}), ("realtime postgresql", pg_dir, pg_urls)):
                read, build = measure(label, lambda: realtime_sources(directory, urls), lambda: build_objects(directory, urls))
                print(f"  ratio vs pjsip.conf: sources {read / file_read:.2f}, build {build / file_build:.2f} "
                      f"(target <= {TARGET}) -> {'OK' if build / file_build <= TARGET else 'TOO SLOW'}")
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)"))
        admin.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=10000)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                        help="admin URL of the PostgreSQL server (a scratch database is created and dropped)")
    args = parser.parse_args()
    main(args.n, args.postgres)
