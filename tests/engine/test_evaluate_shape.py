"""What evaluation derives once per set, and the one-pass pools, equal what they replace.

``engine.evaluate`` keeps per-set facts (``CompiledSet.derived``) and builds every leaf's pool in
one pass over the rows; these properties hold them to the per-leaf definitions on random sets and
transcripts, so a speed-up can never change which rows a requirement sees.
"""

from __future__ import annotations

import copy

from hypothesis import given

from engine.evaluate import _SetEvaluator, _shape, evaluate_set
from engine.normalize import grade_rows, resolve_transcript
from engine.requirements import CountLeaf, CreditLeaf, Group, compile_set, consumes, leaves_of
from tests.conftest import catalog, course, row, ruleset, student
from tests.depth import deep_settings
from tests.strategies import Case, cases


@deep_settings(200, deadline=None)
@given(case=cases())
def test_one_pass_pools_equal_each_leafs_own_pool(case: Case) -> None:
    cset = compile_set(case.ruleset, case.catalog)
    resolved, _ = resolve_transcript(case.student, case.catalog)
    graded = grade_rows(resolved, cset.grading)
    fast = _SetEvaluator(cset, graded, case.student.experiences, {})
    accepts = fast.accepts
    slow = _SetEvaluator(cset, graded, case.student.experiences, {})  # per leaf, no pass first
    for leaf in cset.leaves:
        if isinstance(leaf, CreditLeaf | CountLeaf):
            assert [r.index for r in fast.pool(leaf)] == [r.index for r in slow.pool(leaf)]
    assert list(accepts) == [id(leaf) for leaf in cset.flow_leaves]
    for leaf in cset.flow_leaves:
        assert accepts[id(leaf)] is fast.pool(leaf)


@deep_settings(100, deadline=None)
@given(case=cases())
def test_a_group_without_choice_has_its_consuming_leaves_as_its_only_option(case: Case) -> None:
    cset = compile_set(case.ruleset, case.catalog)
    shape = _shape(cset)
    assert _shape(cset) is shape  # built once per set

    def groups(node: object) -> list[Group]:
        if isinstance(node, Group):
            return [node, *(g for child in node.children for g in groups(child))]
        return []

    for root in cset.requirements.values():
        for group in groups(root):
            ops = {g.op for g in groups(group)}
            if ops == {"all"}:
                expected = frozenset(id(x) for x in leaves_of(group) if consumes(x))
                assert shape.fixed[id(group)] == expected
            else:
                assert id(group) not in shape.fixed
    # And evaluating twice (the second time from the kept facts) gives the same verdict.
    resolved, _ = resolve_transcript(case.student, case.catalog)
    graded = grade_rows(resolved, cset.grading)
    first = evaluate_set(cset, graded, case.student.experiences)
    again = evaluate_set(cset, graded, case.student.experiences)
    assert (first.status, first.consumed) == (again.status, again.consumed)


def test_a_copied_set_does_not_read_its_originals_kept_facts() -> None:
    # The kept facts name nodes by identity; a deep copy has new nodes, so it builds its own.
    cat = catalog(course("ENG1", subject="english"), course("ENG2", subject="english"))
    rset = ruleset({"english": {"credits": 2, "from": {"subject": "english"}}})
    cset = compile_set(rset, cat)
    resolved, _ = resolve_transcript(student(row("ENG1", "A"), row("ENG2", "B", 10)), cat)
    graded = grade_rows(resolved, cset.grading)
    assert evaluate_set(cset, graded, ()).status == "met"
    twin = copy.deepcopy(cset)
    assert evaluate_set(twin, graded, ()).status == "met"
    assert _shape(twin) is not _shape(cset)
