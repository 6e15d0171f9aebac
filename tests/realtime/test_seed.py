"""fixtures/realtime/seed.sql in the tables `realtime init` creates, read back on every backend."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from pjsipconf.model.build import build_snapshot
from pjsipconf.model.views import asterisk_view
from pjsipconf.sources.realtime.importer import create_tables
from tests.conftest import ROOT
from tests.realtime.conftest import Db
from tests.realtime.helpers import realtime_config_dir

SEED = ROOT / "fixtures" / "realtime" / "seed.sql"
FAMILIES = {"endpoint": "ps_endpoints", "aor": "ps_aors", "auth": "ps_auths", "identify": "ps_endpoint_id_ips"}
# identify belongs in its module's section: in [res_pjsip] that module would decline to load.
SORCERY = ("[res_pjsip]\n" + "".join(f"{t}=realtime,{f}\n" for t, f in FAMILIES.items() if t != "identify")
           + "[res_pjsip_endpoint_identifier_ip]\nidentify=realtime,ps_endpoint_id_ips\n")
PJSIP = "[transport-udp]\ntype=transport\nprotocol=udp\nbind=127.0.0.1:5060\n"


def _seed(database: Db) -> None:
    create_tables(database.url)
    statements = [s.strip() for s in SEED.read_text().split(";\n") if s.strip().replace("\n", "").strip()]
    engine = create_engine(database.url)
    with engine.begin() as connection:
        if database.backend == "mariadb":
            connection.execute(text("SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')"))
        for statement in statements:
            sql = "\n".join(line for line in statement.splitlines() if not line.startswith("--"))
            connection.execute(text(sql))
    engine.dispose()


def test_seed_reads_back_on_every_backend(database: Db, tmp_path: Path) -> None:
    _seed(database)
    served = realtime_config_dir(tmp_path / "etc", database, FAMILIES.values(), sorcery=SORCERY, pjsip=PJSIP)
    snapshot = build_snapshot(str(served))
    objects = asterisk_view(snapshot)["objects"]
    assert sorted(objects["endpoint"]) == ["seed-100", "seed-trunk"] and sorted(objects["aor"]) == ["seed-100", "seed-trunk"]
    assert objects["endpoint"]["seed-100"]["allow"] == "(ulaw|alaw)"
    assert objects["aor"]["seed-trunk"]["qualify_timeout"] == "2.500000"
    assert objects["identify"]["seed-trunk"]["match"] == "192.0.2.10/255.255.255.255"
    decoded = "sip:trunk@192.0.2.10:5060;transport=udp"
    want = "sip:trunk@192.0.2.10:5060^3Btransport=udp" if database.driver == "sqlite3" else decoded
    assert objects["aor"]["seed-trunk"]["contact"] == want
    multirow = [p for p in snapshot.warnings if p.code == "realtime-multirow-null"]
    # With the full Alembic tables every row has some NULL column res_config_sqlite3 turns into ''.
    assert bool(multirow) == (database.driver == "sqlite3")
