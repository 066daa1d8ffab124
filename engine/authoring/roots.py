"""Finding the project tree a rule file belongs to, and swapping one rule file into a tree.

Authors compare an edited copy of a rule file with the bundled one. The edited file may sit in
a scratch copy of the whole tree (``/tmp/x/rules/tx/2025/fhsp.yaml``) or alone anywhere: alone,
it stands in for the file with the same id and catalog year in the other side's tree, so
``extends`` and ``goal`` references resolve exactly as they would once it ships.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from engine.errors import AuthoringError, Diagnostic
from engine.knowledge import Knowledge, build_knowledge
from engine.loader import Loaded, LoadedTree, load_ruleset, load_tree
from engine.model import RequirementSet

__all__ = ["Side", "find_root", "load_side", "load_sides"]


def find_root(path: Path) -> Path | None:
    """The nearest folder at or above ``path`` holding both ``rules/`` and ``catalogs/``."""
    start = path.resolve()
    for folder in (start, *start.parents):
        if (folder / "rules").is_dir() and (folder / "catalogs").is_dir():
            return folder
    return None


class Side:
    """One version of a rule set: the file, its loaded set and the knowledge it lives in."""

    def __init__(self, path: Path, loaded: Loaded[RequirementSet], knowledge: Knowledge) -> None:
        self.path = path
        self.loaded = loaded
        self.knowledge = knowledge

    @property
    def key(self) -> tuple[str, int]:
        """The rule set's id and catalog year."""
        return (self.loaded.model.id, self.loaded.model.catalog_year)

    def merged(self) -> RequirementSet:
        """The set with ``extends`` resolved, as the audit runs it."""
        rset_id, year = self.key
        for version in self.knowledge.rulesets.get(rset_id, []):
            if version.catalog_year == year:
                return version
        return self.loaded.model  # pragma: no cover - build_knowledge keeps every loaded set


def _swap(tree: LoadedTree, loaded: Loaded[RequirementSet]) -> LoadedTree:
    key = (loaded.model.id, loaded.model.catalog_year)
    kept = [r for r in tree.rulesets if (r.model.id, r.model.catalog_year) != key]
    return replace(tree, rulesets=[*kept, loaded], diagnostics=list(tree.diagnostics))


def load_side(path: Path, host: Path | None = None) -> Side:
    """Load the rule file ``path`` with the tree it sits in, else inside ``host``'s tree.

    Raises
    ------
    AuthoringError
        The file or its tree is invalid, or the file sits in no tree and no host is given.
    """
    root = find_root(path)
    if root is not None:
        loaded = load_ruleset(path, root)
        tree = load_tree(root)
        return Side(path, loaded, build_knowledge(_swap(tree, loaded)))
    host_root = find_root(host) if host is not None else None
    if host_root is None:
        message = (
            "the file is in no folder with rules/ and catalogs/, so its references cannot resolve"
        )
        raise AuthoringError([Diagnostic(str(path), 1, 1, message, "no-tree")])
    loaded = load_ruleset(path)
    return Side(path, loaded, build_knowledge(_swap(load_tree(host_root), loaded)))


def load_sides(old: Path, new: Path) -> tuple[Side, Side]:
    """Both versions; a file outside any tree borrows the other's tree."""
    old_side = load_side(old, host=new)
    new_side = load_side(new, host=old)
    if old_side.key[0] != new_side.key[0]:
        message = (
            f"the files are different rule sets ({old_side.key[0]!r} and {new_side.key[0]!r}); "
            "compare two versions of one set"
        )
        raise AuthoringError([Diagnostic(str(new), 1, 1, message, "different-sets")])
    return old_side, new_side
