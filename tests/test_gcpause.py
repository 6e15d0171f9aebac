"""Pausing the cyclic collector around a build: the collector is back on afterwards, the build's
objects are not left for it to walk at the next allocation, and garbage cycles are still found."""

from __future__ import annotations

import gc
import weakref

from pjsipconf.gcpause import without_cyclic_gc


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_the_collector_is_off_inside_and_restored_after() -> None:
    assert gc.isenabled()
    with without_cyclic_gc():
        assert not gc.isenabled()
        with without_cyclic_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_what_the_block_made_goes_to_the_oldest_generation_unwalked() -> None:
    with without_cyclic_gc():
        kept = [[] for _ in range(50_000)]
    oldest = {id(obj) for obj in gc.get_objects(generation=2)}
    # Walked by a young collection, they would sit in the middle generation now.
    assert all(id(obj) in oldest for obj in kept)


def test_a_cycle_dropped_inside_is_still_collected() -> None:
    with without_cyclic_gc():
        first, second = _Node(), _Node()
        first.other, second.other = second, first
        alive = weakref.ref(first)
        del first, second
    assert alive() is not None  # only reference counting ran: the cycle is still there
    gc.collect()
    assert alive() is None


def test_cycles_left_by_builds_are_freed_within_a_round_of_builds() -> None:
    """big_heap_work freezes the heap after a build; a cycle frozen with it is freed by the full
    collection that runs every FULL_COLLECTION_EVERY builds."""
    from pjsipconf.api.live import FULL_COLLECTION_EVERY, big_heap_work

    with big_heap_work():
        node = _Node()
        node.other = node
        alive = weakref.ref(node)
        del node
    for _ in range(FULL_COLLECTION_EVERY):
        with big_heap_work():
            pass
    assert alive() is None
