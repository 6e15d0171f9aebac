"""The HTML browse pages: an index of object types and a page per type linking to each object's
JSON. Written by the static build and served by the Flask app alike."""

from __future__ import annotations

from typing import Iterator
from urllib.parse import quote

from pjsipconf.api.contract import COLLECTIONS
from pjsipconf.api.documents import Documents
from pjsipconf.templating import environment


def _collection_rows(documents: Documents) -> list[dict[str, object]]:
    return [
        {"type": type_, "collection": collection, "count": len(documents.ids(collection))}
        for type_, collection in COLLECTIONS.items()
    ]


def render_browse(documents: Documents) -> Iterator[tuple[str, bytes]]:
    """The HTML index of object types and one page per type linking to each object's JSON."""
    env = environment()
    rows = _collection_rows(documents)
    # The pages carry no build time, so that they change only when the set of objects does.
    index = env.get_template("browse/index.html").render(collections=rows)
    yield "index.html", index.encode("utf-8")
    page = env.get_template("browse/collection.html")
    for row in rows:
        collection = str(row["collection"])
        objects = [{"id": oid, "href": quote(oid, safe="")} for oid in documents.ids(collection)]
        html = page.render(type=row["type"], collection=collection, objects=objects)
        yield f"browse/{collection}.html", html.encode("utf-8")
