"""The flow allocator against networkx and brute force, and on hand-made traps."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.allocate import Allocation, FlowLeaf, FlowRow, allocate
from tests.conftest import catalog, course, req, row, ruleset, run, student
from tests.depth import deep_settings
from tests.strategies import FlowInstance, flow_instances


def network(rows: Sequence[FlowRow], leaves: Sequence[FlowLeaf]) -> nx.DiGraph:
    """The allocator's network, ``source -> row -> [limit] -> leaf -> sink``, in networkx."""
    graph = nx.DiGraph()
    graph.add_nodes_from(["s", "t"])
    for li, leaf in enumerate(leaves):
        graph.add_edge(("leaf", li), "t", capacity=leaf.demand)
        for k, cap in enumerate(leaf.limits):
            graph.add_edge(("limit", li, k), ("leaf", li), capacity=cap)
    for r in rows:
        graph.add_edge("s", ("row", r.key), capacity=r.units)
        for li, k in r.edges.items():
            target = ("leaf", li) if k < 0 else ("limit", li, k)
            graph.add_edge(("row", r.key), target, capacity=r.units)
    return graph


def max_flow(rows: Sequence[FlowRow], leaves: Sequence[FlowLeaf]) -> int:
    return int(nx.maximum_flow_value(network(rows, leaves), "s", "t"))


def check_valid(inst: FlowInstance, alloc: Allocation) -> None:
    """What every allocation must satisfy, optimal or not."""
    by_key = {r.key: r for r in inst.rows}
    fed: dict[int, list[int]] = {}
    for li, used in alloc.used.items():
        leaf = inst.leaves[li]
        assert sum(used.values()) <= leaf.demand
        assert sum(used.values()) == alloc.totals[2][li]
        through_limit = [0] * len(leaf.limits)
        for key, units in used.items():
            r = by_key[key]
            assert li in r.edges, f"row {key} feeds leaf {li} it has no edge to"
            assert 0 < units <= r.units
            fed.setdefault(key, []).append(li)
            if r.edges[li] >= 0:
                through_limit[r.edges[li]] += units
        for k, cap in enumerate(leaf.limits):
            assert through_limit[k] <= cap, f"limit {k} of leaf {li} exceeded"
    for key, leaves in fed.items():
        assert len(leaves) == 1, f"row {key} split between leaves {leaves}"
    assert len(alloc.totals) == 3
    for li in range(len(inst.leaves)):
        assert 0 <= alloc.totals[0][li] <= alloc.totals[1][li] <= alloc.totals[2][li]
        assert alloc.totals[2][li] == sum(alloc.used.get(li, {}).values())
    for phase in range(3):
        from_rows = sum(
            units
            for used in alloc.used.values()
            for key, units in used.items()
            if by_key[key].phase <= phase
        )
        assert sum(alloc.totals[phase]) == from_rows


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------


@deep_settings(600, deadline=None)
@given(inst=st.booleans().flatmap(lambda limits: flow_instances(equal_units=True, limits=limits)))
def test_equal_rows_reach_the_maximum_flow(inst: FlowInstance) -> None:
    # With and without limits.
    alloc = allocate(inst.rows, inst.leaves)
    check_valid(inst, alloc)
    for phase in range(3):
        rows = [r for r in inst.rows if r.phase <= phase]
        # Completed rows count as much as they can, then in progress, then planned.
        assert sum(alloc.totals[phase]) == max_flow(rows, inst.leaves), phase


@deep_settings(300, deadline=None)
@given(inst=flow_instances(equal_units=False, limits=True))
def test_mixed_rows_stay_whole_and_within_the_maximum_flow(inst: FlowInstance) -> None:
    alloc = allocate(inst.rows, inst.leaves)
    check_valid(inst, alloc)
    assert sum(alloc.totals[2]) <= max_flow(inst.rows, inst.leaves)


def best_whole_row_score(inst: FlowInstance) -> tuple[int, int, int]:
    """Brute force: every way to give each row to one of its leaves (or none)."""
    best = (0, 0, 0)
    choices = [[None, *r.edges] for r in inst.rows]
    for pick in itertools.product(*choices):
        per_phase = [0, 0, 0]
        for li, leaf in enumerate(inst.leaves):
            mine = [r for r, c in zip(inst.rows, pick, strict=True) if c == li]
            for phase in range(3):
                free = 0
                groups = [0] * len(leaf.limits)
                for r in mine:
                    if r.phase > phase:
                        continue
                    if r.edges[li] < 0:
                        free += r.units
                    else:
                        groups[r.edges[li]] += r.units
                capped = sum(min(g, cap) for g, cap in zip(groups, leaf.limits, strict=True))
                per_phase[phase] += min(leaf.demand, free + capped)
        best = max(best, (per_phase[0], per_phase[2], per_phase[1]))
    return best


@deep_settings(200, deadline=None)
@given(inst=flow_instances(equal_units=False, limits=True, max_rows=5, max_leaves=3))
def test_mixed_rows_reach_the_best_whole_row_allocation(inst: FlowInstance) -> None:
    alloc = allocate(inst.rows, inst.leaves)
    check_valid(inst, alloc)
    assert alloc.score()[:3] == best_whole_row_score(inst)


# --------------------------------------------------------------------------------------------
# Hand examples
# --------------------------------------------------------------------------------------------


def leaves(*demands: int) -> list[FlowLeaf]:
    return [FlowLeaf(d) for d in demands]


def test_flow_escapes_the_greedy_trap() -> None:
    # Row 0 could serve either leaf; row 1 only leaf 0. Taking rows in order, a greedy walk
    # gives row 0 to leaf 0 and strands row 1.
    rows = [
        FlowRow(key=0, units=100, phase=0, edges={0: -1, 1: -1}),
        FlowRow(key=1, units=100, phase=0, edges={0: -1}),
    ]
    alloc = allocate(rows, leaves(100, 100))
    assert alloc.used == {0: {1: 100}, 1: {0: 100}}
    assert alloc.totals[0] == [100, 100]


def test_a_limit_caps_what_a_leaf_takes() -> None:
    # "3 credits, at most 1 of them from the limited group": three limited rows give 1 credit.
    capped = FlowLeaf(demand=300, limits=(100,))
    rows = [FlowRow(key=k, units=100, phase=0, edges={0: 0}) for k in range(3)]
    alloc = allocate(rows, [capped])
    assert alloc.totals[2] == [100]
    assert sum(len(u) for u in alloc.used.values()) == 1


def test_a_limit_leaves_room_for_other_rows() -> None:
    capped = FlowLeaf(demand=200, limits=(100,))
    rows = [
        FlowRow(key=0, units=100, phase=0, edges={0: 0}),
        FlowRow(key=1, units=100, phase=0, edges={0: 0}),
        FlowRow(key=2, units=100, phase=0, edges={0: -1}),
    ]
    alloc = allocate(rows, [capped])
    assert alloc.totals[2] == [200]
    assert 2 in alloc.used[0]


def test_completed_rows_are_used_before_in_progress_ones() -> None:
    rows = [
        FlowRow(key=7, units=100, phase=0, edges={0: -1}),
        FlowRow(key=3, units=100, phase=1, edges={0: -1}),
        FlowRow(key=5, units=100, phase=2, edges={0: -1}),
    ]
    alloc = allocate(rows, leaves(100))
    assert alloc.used == {0: {7: 100}}
    assert alloc.totals == [[100], [100], [100]]


def test_an_in_progress_row_moves_a_completed_one_rather_than_displace_it() -> None:
    # The completed row can serve either leaf; the in-progress row only leaf 0.
    rows = [
        FlowRow(key=0, units=100, phase=0, edges={0: -1, 1: -1}),
        FlowRow(key=1, units=100, phase=1, edges={0: -1}),
    ]
    alloc = allocate(rows, leaves(100, 100))
    assert sum(alloc.totals[0]) == 100
    assert sum(alloc.totals[1]) == 200


def test_a_split_row_goes_whole_to_the_leaf_that_keeps_most() -> None:
    # Fractionally, row 1 gives 50 to leaf 0 and 50 to leaf 1; whole, it must pick one.
    rows = [
        FlowRow(key=0, units=50, phase=0, edges={0: -1}),
        FlowRow(key=1, units=100, phase=0, edges={0: -1, 1: -1}),
    ]
    alloc = allocate(rows, leaves(100, 100))
    assert alloc.used == {0: {0: 50}, 1: {1: 100}}
    assert sum(alloc.totals[2]) == 150


def test_a_catch_all_leaf_takes_what_the_others_leave() -> None:
    # Leaf 1 accepts every row (like "electives"); leaf 0 only row 1.
    rows = [
        FlowRow(key=0, units=100, phase=0, edges={0: -1, 1: -1}),
        FlowRow(key=1, units=100, phase=0, edges={1: -1}),
    ]
    alloc = allocate(rows, leaves(100, 100))
    assert alloc.used == {0: {0: 100}, 1: {1: 100}}


def test_no_rows_no_allocation() -> None:
    alloc = allocate([], leaves(100, 50))
    assert alloc.used == {}
    assert alloc.totals == [[0, 0], [0, 0], [0, 0]]


# --------------------------------------------------------------------------------------------
# Rows moved by later augmenting paths
# --------------------------------------------------------------------------------------------


def test_phase_totals_are_flows_and_rows_may_move_later() -> None:
    # Row 0 (completed) first goes to leaf 0; row 2 (in progress) fits only leaf 0 and pushes
    # row 0 over to leaf 1. totals[p] is the flow into each leaf when phase p ended (how much
    # completed work can count at once), and the final rows may sit elsewhere: the audit reads
    # each requirement's amounts from the rows it finally holds.
    rows = [
        FlowRow(key=0, units=100, phase=0, edges={0: -1, 1: -1}),
        FlowRow(key=1, units=100, phase=0, edges={1: -1}),
        FlowRow(key=2, units=100, phase=1, edges={0: -1}),
    ]
    alloc = allocate(rows, leaves(100, 200))
    assert alloc.used == {0: {2: 100}, 1: {0: 100, 1: 100}}
    assert sum(alloc.totals[0]) == 200
    assert alloc.totals[1] == [100, 200]


def test_a_requirement_is_not_met_by_an_in_progress_course() -> None:
    cat = catalog(course("X"), course("Y"), course("Z"), course("W"))
    rset = ruleset(
        {
            "a": {"credits": 1, "from": {"course": ["X", "Y"]}},
            "b": {"credits": 2, "from": {"course": ["X", "Z", "W"]}},
        }
    )
    goal = run(cat, rset, student(row("X"), row("Z"), row("Y", status="in_progress")))
    # The allocation gives Y (in progress) to a and X, Z (completed) to b: each requirement's
    # status must agree with the rows it shows.
    assert [x.course for x in req(goal, "a").applied] == ["Y"]
    assert req(goal, "a").status == "in_progress"
    assert req(goal, "b").status == "met"


def test_running_out_of_solves_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.allocate as allocate_module

    # Two leaves of half a row each: the flow splits the row and the search needs a second
    # solve to resolve it; with a budget of one it stops and says so.
    monkeypatch.setattr(allocate_module, "MAX_SOLVES", 1)
    rows = [FlowRow(key=0, units=100, phase=0, edges={0: -1, 1: -1})]
    alloc = allocate(rows, leaves(50, 50))
    assert alloc.exhausted
    assert sum(len(u) for u in alloc.used.values()) == 1  # still one leaf per row
    monkeypatch.undo()
    assert not allocate(rows, leaves(50, 50)).exhausted


def test_an_allocation_carries_the_weight_of_the_rows_it_uses() -> None:
    # Weights (grade points) rank allocations that count the same credits: here the flow is
    # unique, and its weight is units x weight over the rows used (row 2 is left over).
    rows = [
        FlowRow(key=0, units=50, phase=0, edges={0: -1, 1: -1}, weight=100),
        FlowRow(key=1, units=100, phase=0, edges={0: -1}, weight=400),
        FlowRow(key=2, units=100, phase=0, edges={0: -1, 1: -1}, weight=200),
    ]
    alloc = allocate(rows, leaves(100, 50))
    assert alloc.score()[:3] == (150, 150, 150)
    assert alloc.used[0] == {1: 100}
    assert alloc.weight == 100 * 400 + 50 * 100
