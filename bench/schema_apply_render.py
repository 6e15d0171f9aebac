"""Schema hot paths, run by hand: `.venv/bin/python bench/schema_apply_render.py [N]`.

Builds N endpoints (default 100,000) the way the model does (new_state, ~10 apply calls, finish,
diff) and renders 10,000 of them; prints time per object and the ratio render/build.
"""

from __future__ import annotations

import sys
import time

from pjsipconf.schema import ApplyContext, FinishContext, load_schema

LINES = (
    ("type", "endpoint"), ("context", "from-internal"), ("disallow", "all"), ("allow", "ulaw,alaw,g722"),
    ("auth", "{id}"), ("aors", "{id}"), ("callerid", '"User {id}" <{id}>'), ("direct_media", "no"),
    ("rtp_symmetric", "yes"), ("force_rport", "yes"), ("rewrite_contact", "yes"), ("dtmf_mode", "rfc4733"),
)


def main(count: int) -> None:
    endpoint = load_schema("22").types["endpoint"]
    context = FinishContext()
    started = time.perf_counter()
    diffs = []
    for number in range(count):
        object_id = str(1000 + number)
        state = endpoint.new_state()
        ctx = ApplyContext(object_id=object_id)
        for name, value in LINES:
            endpoint.apply(state, name, value.replace("{id}", object_id), ctx)
        endpoint.finish(state, object_id, context)
        diffs.append(endpoint.diff(state))
    built = time.perf_counter() - started
    rendered_count = min(10_000, count)
    started = time.perf_counter()
    for diff in diffs[:rendered_count]:
        endpoint.render(diff)
    rendered = time.perf_counter() - started
    print(f"build  {count} endpoints: {built:.2f}s ({built / count * 1e6:.1f} us/object, {len(LINES)} lines each)")
    print(f"render {rendered_count} endpoints: {rendered:.2f}s ({rendered / rendered_count * 1e6:.1f} us/object)")
    print(f"ratio render/build per object: {(rendered / rendered_count) / (built / count):.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
