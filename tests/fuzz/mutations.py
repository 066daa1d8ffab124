"""Malformed rule, catalog and career files made by mutating the bundled ones (issue 11).

Each :class:`Mutant` is the bundled tree with one or two files changed in one known way (a
wrong type, a misspelt key, a prerequisite cycle, an alias bomb, a stray byte, ...) and the
:class:`Expect` that names the file, the lines and the diagnostic codes an author must be shown.
Mutants are made from the files' text, located through PyYAML's node marks, so the rest of a
file stays byte-for-byte what was bundled and the expected line is known by construction, never
by asking the loader. :func:`generate` is deterministic for a seed; :mod:`tests.fuzz.filecheck`
runs the mutants.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from engine.careers.model import CareerFile, RouteDefaults
from engine.loader import CAREER_ROUTES_FILE
from engine.model import Catalog, RequirementSet
from engine.yamlsource import MAX_ALIASES, MAX_DEPTH, MAX_NODES, MAX_SOURCE_BYTES

ROOT = Path(__file__).resolve().parents[2]
SEED = 11

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Expect:
    """What an author must be shown: a diagnostic in ``file``, on one of ``lines``, of ``codes``.

    ``lines`` or ``codes`` of ``None`` accept any line or code; column and line are always >= 1.
    """

    file: str
    lines: frozenset[int] | None
    codes: frozenset[str] | None


@dataclass(frozen=True)
class Mutant:
    """The bundled tree with ``files`` (relative path -> new bytes) replaced or added."""

    name: str
    kind: str
    files: Mapping[str, bytes]
    expect: Expect
    note: str = ""


def _expect(
    file: str, lines: int | range | set[int] | None, *codes: str, any_code: bool = False
) -> Expect:
    if isinstance(lines, int):
        lines = {lines}
    return Expect(
        file,
        frozenset(lines) if lines is not None else None,
        None if any_code else frozenset(codes),
    )


# The bundled files and where their nodes are.


def bundled_files(root: Path = ROOT) -> dict[str, str]:
    """Every rule, catalog and career file (not ``*.tests.yaml``), by relative path, as text."""
    out: dict[str, str] = {}
    for folder in ("catalogs", "rules", "careers"):
        for path in sorted((root / folder).rglob("*.yaml")):
            if not path.name.endswith(".tests.yaml"):
                out[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
    return out


def model_for(file: str) -> type[BaseModel]:
    """The model ``load_tree`` validates a file with, from where it sits."""
    top, name = file.split("/")[0], file.rsplit("/", 1)[-1]
    if top == "catalogs":
        return Catalog
    if top == "careers":
        return RouteDefaults if name == CAREER_ROUTES_FILE else CareerFile
    return RequirementSet


@dataclass(frozen=True)
class Spot:
    """A value in a file: its document path, its key node (in a mapping), its parent node."""

    path: Path_
    value: yaml.Node
    key: yaml.ScalarNode | None
    parent: yaml.Node | None


@functools.lru_cache(maxsize=256)
def spots(text: str) -> list[Spot]:
    """Every value of the document, in file order, with PyYAML's marks (libyaml's, the same)."""
    root = yaml.compose(text, Loader=yaml.CSafeLoader)
    out: list[Spot] = []

    def walk(node: yaml.Node, path: Path_, key: yaml.ScalarNode | None, parent: Any) -> None:
        out.append(Spot(path, node, key, parent))
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                walk(v, (*path, str(k.value)), k, node)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i), None, node)

    walk(root, (), None, None)
    return out


def line_of(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _one_line(node: yaml.Node) -> bool:
    return bool(
        isinstance(node, yaml.ScalarNode)
        and node.style not in ("|", ">")
        and node.start_mark.line == node.end_mark.line
    )


def _content_end(node: yaml.Node, text: str) -> int:
    """Where a node's own text ends (block collections and scalars end past their newline)."""
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style:
        last = node.value[-1]
        return _content_end(last[1] if isinstance(last, tuple) else last, text)
    end = int(node.end_mark.index)
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        while end > node.start_mark.index and text[end - 1] in " \n\r":
            end -= 1
    return end


def _splice(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    end = text.find("\n", index)
    return len(text) if end < 0 else end


#: Mappings whose keys are data (requirement names, jurisdictions, grades), not model fields.
_DICT_FIELDS = {"requirements", "max_in_grade", "sets", "diplomas"}


def _is_model_mapping(file: str, spot: Spot) -> bool:
    if not isinstance(spot.value, yaml.MappingNode):
        return False
    if spot.path and spot.path[-1] in _DICT_FIELDS:
        return False
    return not (file.endswith(CAREER_ROUTES_FILE) and spot.path[:1] == ("routes",))


def _field_names() -> frozenset[str]:
    """Every key any authored model knows, so a misspelling is never another valid key."""
    names: set[str] = set()
    seen: set[type[BaseModel]] = set()

    def visit(tp: object) -> None:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp in seen:
                return
            seen.add(tp)
            for name, info in tp.model_fields.items():
                names.update((name, info.alias or name))
                visit(info.annotation)
            return
        for arg in getattr(tp, "__args__", ()) or ():
            visit(arg)
        for meta in getattr(tp, "__metadata__", ()) or ():
            visit(meta)
        origin = getattr(tp, "__origin__", None)
        if origin is not None:
            visit(origin)

    for model in (Catalog, RequirementSet, CareerFile, RouteDefaults):
        visit(model)
    return frozenset(names)


FIELD_NAMES = _field_names()


# Mutation kinds. Each takes the bundled files and a seeded random source and yields mutants.

Files = dict[str, str]
Rng = random.Random
Maker = Callable[[Files, Rng], Iterator[Mutant]]


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


def _pick(rng: Rng, items: list[Any], n: int) -> list[Any]:
    return rng.sample(items, min(n, len(items)))


def _of_kind(files: Files, top: str) -> list[str]:
    return [f for f in files if f.startswith(top + "/")]


def _spread(files: Files) -> list[str]:
    """A catalog, a rule file and a career file, round robin: every kind touches all three."""
    groups = [_of_kind(files, t) for t in ("catalogs", "rules", "careers")]
    out: list[str] = []
    for i in range(max(len(g) for g in groups)):
        out.extend(g[i] for g in groups if i < len(g))
    return out


def _numeric(spot: Spot) -> bool:
    return (
        isinstance(spot.value, yaml.ScalarNode)
        and spot.value.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
        and spot.key is not None
        and _one_line(spot.value)
        and spot.path[-2:] != ("source", "year")  # int | str: any short text is a valid year
    )


def wrong_type(files: Files, rng: Rng) -> Iterator[Mutant]:
    """A value of another type: a mapping for text, text for a number, a list for a mapping."""
    for n, file in enumerate(_spread(files)[:30]):
        text = files[file]
        all_spots = spots(text)
        variant = n % 3
        if variant == 0:
            choices = [
                s
                for s in all_spots
                if _one_line(s.value)
                and s.value.tag == "tag:yaml.org,2002:str"
                and (s.key is not None or isinstance(s.parent, yaml.SequenceNode))
                and s.path
            ]
            new, what = "{fuzz: 1}", "a mapping for text"
        elif variant == 1:
            choices = [s for s in all_spots if _numeric(s)]
            new, what = '"many"', "text for a number"
        else:
            choices = [
                s
                for s in all_spots
                if isinstance(s.value, yaml.MappingNode) and s.path and s.value.value
            ]
            new, what = "[1, 2]", "a list for a mapping"
        if not choices:
            continue
        spot = rng.choice(choices)
        start = int(spot.value.start_mark.index)
        mutated = _splice(text, start, _content_end(spot.value, text), new)
        yield Mutant(
            f"wrong-type/{file}:{line_of(spot.value)}",
            "wrong-type",
            {file: _utf8(mutated)},
            _expect(
                file,
                line_of(spot.value),
                "wrong-type",
                "unknown-key",
                "missing-operator",
                "missing-key",
                "invalid-value",
            ),
            f"{what} at {spot.path}",
        )


def _typo(word: str, rng: Rng) -> str | None:
    for _ in range(20):
        i = rng.randrange(len(word))
        how = rng.randrange(3)
        if how == 0 and len(word) > 3:
            typo = word[:i] + word[i + 1 :]
        elif how == 1 and i + 1 < len(word):
            typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        else:
            typo = word[:i] + word[i] + word[i:]
        if typo != word and typo not in FIELD_NAMES:
            return typo
    return None


def unknown_key(files: Files, rng: Rng) -> Iterator[Mutant]:
    """A model key misspelt (``min_grade`` -> ``min_grde``): unknown key, did you mean."""
    for file in _spread(files)[:24]:
        text = files[file]
        entries = [
            (s, k)
            for s in spots(text)
            if _is_model_mapping(file, s)
            for k, _ in s.value.value
            if isinstance(k, yaml.ScalarNode) and k.value in FIELD_NAMES
        ]
        spot, key = rng.choice(entries)
        typo = _typo(str(key.value), rng)
        if typo is None:
            continue
        mutated = _splice(text, key.start_mark.index, key.end_mark.index, typo)
        lines = range(line_of(spot.value), line_of(key) + 1)
        yield Mutant(
            f"unknown-key/{file}:{line_of(key)}",
            "unknown-key",
            {file: _utf8(mutated)},
            _expect(file, set(lines), "unknown-key", "missing-operator"),
            f"{key.value!r} -> {typo!r}",
        )


def _block_entries(text: str) -> list[tuple[Spot, yaml.ScalarNode, yaml.Node]]:
    """Entries of block mappings written on one line (``key: value``)."""
    out = []
    for s in spots(text):
        if isinstance(s.value, yaml.MappingNode) and not s.value.flow_style:
            for k, v in s.value.value:
                one_line = _one_line(v) or (
                    isinstance(v, yaml.MappingNode | yaml.SequenceNode)
                    and v.flow_style
                    and v.start_mark.line == v.end_mark.line
                )
                if (
                    isinstance(k, yaml.ScalarNode)
                    and one_line
                    and k.start_mark.line == (v.start_mark.line)
                ):
                    out.append((s, k, v))
    return out


def duplicate_key(files: Files, rng: Rng) -> Iterator[Mutant]:
    """A ``key: value`` line written twice in one mapping: YAML would silently keep the last."""
    for file in _pick(rng, _spread(files), 10):
        text = files[file]
        _, key, _ = rng.choice(_block_entries(text))
        start = _line_start(text, key.start_mark.index)
        end = _line_end(text, key.start_mark.index)
        copy = " " * (key.start_mark.index - start) + text[key.start_mark.index : end]
        mutated = text[: end + 1] + copy + "\n" + text[end + 1 :]
        yield Mutant(
            f"duplicate-key/{file}:{line_of(key) + 1}",
            "duplicate-key",
            {file: _utf8(mutated)},
            _expect(file, line_of(key) + 1, "duplicate-key"),
            f"{key.value!r} twice",
        )


def tab_indent(files: Files, rng: Rng) -> Iterator[Mutant]:
    """A line indented with a tab, which YAML forbids."""
    for file in _pick(rng, _spread(files), 8):
        text = files[file]
        keys = [k for _, k, _ in _block_entries(text) if k.start_mark.column >= 2]
        key = rng.choice(keys)
        start = _line_start(text, key.start_mark.index)
        indent = text[start : key.start_mark.index]
        tabbed = indent.replace("  ", "\t", 1)
        mutated = _splice(text, start, key.start_mark.index, tabbed)
        yield Mutant(
            f"tab/{file}:{line_of(key)}",
            "tab",
            {file: _utf8(mutated)},
            _expect(file, line_of(key), "yaml-syntax"),
            f"tab before {key.value!r}",
        )


def _text_positions(text: str, rng: Rng, n: int) -> list[tuple[int, int, int]]:
    """``n`` (index, line, column) places at the start or inside non-empty lines."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    out = []
    for _ in range(n):
        row = rng.choice([i for i, line in enumerate(lines) if line.strip()])
        column = rng.randrange(len(lines[row]) + 1)
        out.append((starts[row] + column, row + 1, column + 1))
    return out


def control_char(files: Files, rng: Rng) -> Iterator[Mutant]:
    """A NUL byte or another control character somewhere in a line."""
    chars = ["\x00", "\x00", "\x01", "\x08", "\x1b", "\x7f", "\x0b", "\x0c", "\ufffe"]
    for i, file in enumerate(_pick(rng, _spread(files), len(chars))):
        text = files[file]
        index, line, _ = _text_positions(text, rng, 1)[0]
        mutated = text[:index] + chars[i] + text[index:]
        yield Mutant(
            f"control-char/{file}:{line}",
            "control-char",
            {file: _utf8(mutated)},
            _expect(file, line, "encoding"),
            f"U+{ord(chars[i]):04X} at line {line}",
        )


def non_utf8(files: Files, rng: Rng) -> Iterator[Mutant]:
    """Bytes that are not UTF-8: stray, truncated, overlong, surrogate; Latin-1 and UTF-16 files."""
    bad = [b"\xff", b"\xfe", b"\xc3", b"\xe9", b"\x80", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf8\x88"]
    picked = _pick(rng, _spread(files), len(bad) + 3)
    for i, file in enumerate(picked[: len(bad)]):
        text = files[file]
        index, line, _ = _text_positions(text, rng, 1)[0]
        raw = _utf8(text[:index]) + bad[i] + b" " + _utf8(text[index:])
        yield Mutant(
            f"non-utf8/{file}:{line}",
            "non-utf8",
            {file: raw},
            _expect(file, line, "encoding"),
            f"{bad[i]!r} at line {line}",
        )
    latin = [f for f in files if any(ord(c) > 127 for c in files[f])]
    for file in _pick(rng, latin, 2):
        text = files[file]
        first = next(i for i, c in enumerate(text) if ord(c) > 127)
        line = text.count("\n", 0, first) + 1
        raw = text.encode("cp1252", errors="replace")
        yield Mutant(
            f"latin1/{file}:{line}",
            "non-utf8",
            {file: raw},
            _expect(file, line, "encoding"),
            "saved as Windows-1252",
        )
    for codec in ("utf-16", "utf-16-le"):
        file = picked[-1] if codec == "utf-16" else picked[-2]
        yield Mutant(
            f"{codec}/{file}",
            "non-utf8",
            {file: files[file].encode(codec)},
            _expect(file, 1, "encoding"),
            f"saved as {codec}",
        )


def empty_file(files: Files, rng: Rng) -> Iterator[Mutant]:
    """Nothing in the file: no bytes, blank lines, comments, a bare document marker, null."""
    bodies = [b"", b"\n\n   \n", b"# only a comment\n", b"---\n", b"--- \n...\n", b"~\n", b"null"]
    bodies += [b"\xef\xbb\xbf", b"\xef\xbb\xbf# bom and comment\n"]
    for body, file in zip(bodies, _pick(rng, _spread(files), len(bodies)), strict=False):
        yield Mutant(
            f"empty/{file}/{body[:12]!r}",
            "empty-file",
            {file: body},
            _expect(file, 1, "empty-file"),
            f"file is {body!r}",
        )


def truncated(files: Files, rng: Rng) -> Iterator[Mutant]:
    """A file cut off part way: inside a key, inside a quoted string, inside a UTF-8 sequence."""
    for file in _pick(rng, _spread(files), 8):
        text = files[file]
        keys = [k for _, k, _ in _block_entries(text) if len(k.value) >= 3 and not k.style]
        key = rng.choice(keys[len(keys) // 4 :])
        cut = key.start_mark.index + rng.randrange(1, len(key.value))
        yield Mutant(
            f"truncated/{file}:{line_of(key)}",
            "truncated",
            {file: _utf8(text[:cut])},
            _expect(file, {line_of(key), line_of(key) + 1}, any_code=True),
            f"cut inside key {key.value!r}",
        )
    quoted = [
        (f, s)
        for f in _spread(files)
        for s in spots(files[f])
        if isinstance(s.value, yaml.ScalarNode) and s.value.style in ('"', "'")
    ]
    for file, spot in _pick(rng, quoted, 3):
        text = files[file]
        cut = spot.value.start_mark.index + 1
        last = text[:cut].count("\n") + 1
        yield Mutant(
            f"truncated-string/{file}:{line_of(spot.value)}",
            "truncated",
            {file: _utf8(text[:cut])},
            _expect(file, {line_of(spot.value), last, last + 1}, "yaml-syntax"),
            "cut inside a quoted string",
        )
    multibyte = [f for f in files if any(ord(c) > 127 for c in files[f])]
    for file in _pick(rng, multibyte, 2):
        raw = _utf8(files[file])
        at = next(i for i, b in enumerate(raw) if b >= 0xC0)
        yield Mutant(
            f"truncated-utf8/{file}",
            "truncated",
            {file: raw[: at + 1]},
            _expect(file, raw.count(b"\n", 0, at) + 1, "encoding"),
            "cut inside a UTF-8 sequence",
        )


def huge_number(files: Files, rng: Rng) -> Iterator[Mutant]:
    """Numbers far out of range, infinite, not a number, or thousands of digits long."""
    values = [
        "1e400",
        "-1e400",
        ".nan",
        ".inf",
        "-.inf",
        "9" * 30,
        "-" + "9" * 30,
        "9" * 5000,
        "0x" + "F" * 40,
        "1_000_000_000_000_000",
        "1.8e308",
        "123456789012345678",
    ]
    numeric = [(f, s) for f in _spread(files) for s in spots(files[f]) if _numeric(s)]
    for value, (file, spot) in zip(values, _pick(rng, numeric, len(values)), strict=True):
        text = files[file]
        start, end = spot.value.start_mark.index, spot.value.end_mark.index
        yield Mutant(
            f"huge-number/{file}:{line_of(spot.value)}/{value[:12]}",
            "huge-number",
            {file: _utf8(_splice(text, start, end, value))},
            _expect(file, line_of(spot.value), "invalid-value", "wrong-type"),
            f"{spot.path} = {value[:20]}",
        )


def bad_year(files: Files, rng: Rng) -> Iterator[Mutant]:
    """A catalog year that is no year: five digits, too old, a range, a date, a fraction."""
    values = ["20255", "1999", "2025-26", "2025-01-15", "2025.5", "MMXXV", "-2025", "2101"]
    years = [(f, s) for f in _spread(files) for s in spots(files[f]) if s.path == ("catalog_year",)]
    for value, (file, spot) in zip(values, _pick(rng, years, len(values)), strict=True):
        start, end = spot.value.start_mark.index, spot.value.end_mark.index
        yield Mutant(
            f"bad-year/{file}/{value}",
            "bad-year",
            {file: _utf8(_splice(files[file], start, end, value))},
            _expect(file, line_of(spot.value), "invalid-value", "wrong-type"),
            f"catalog_year: {value}",
        )


def _refs(files: Files, top: str, last: str) -> list[tuple[str, Spot]]:
    """Scalar values whose key (or list's key) is ``last`` in files under ``top``."""
    out = []
    for f in _of_kind(files, top):
        for s in spots(files[f]):
            named = s.path and (s.path[-1] == last or (len(s.path) > 1 and s.path[-2] == last))
            if named and isinstance(s.value, yaml.ScalarNode) and _one_line(s.value):
                out.append((f, s))
    return out


def missing_reference(files: Files, rng: Rng) -> Iterator[Mutant]:
    """A reference to a course, requirement or rule set that does not exist."""
    cases = [
        ("rules", "course", "unknown-course"),
        ("rules", "goal", "unknown-ruleset"),
        ("rules", "extends", "unknown-ruleset"),
        ("rules", "within", "unknown-requirement"),
        ("rules", "over", "unknown-requirement"),
        ("rules", "requirement", "unknown-requirement"),
        ("catalogs", "corequisites", "unknown-course"),
    ]
    for top, key, code in cases:
        refs = _refs(files, top, key)
        if key == "course":  # a `course:` requirement; selectors' course lists are not checked
            refs = [
                (f, s)
                for f, s in refs
                if s.path[0] == "requirements" and s.path[-1] == "course" and "from" not in s.path
            ]
        for file, spot in _pick(rng, refs, 2):
            start, end = spot.value.start_mark.index, spot.value.end_mark.index
            missing = f"{spot.value.value}-zz9"
            lines: int | range = line_of(spot.value)
            if top == "catalogs":  # reported at the course that names it
                course = next(s for s in spots(files[file]) if s.path == spot.path[:2])
                lines = range(line_of(course.value), line_of(spot.value) + 1)
            yield Mutant(
                f"missing-ref/{file}:{line_of(spot.value)}/{key}",
                "missing-reference",
                {file: _utf8(_splice(files[file], start, end, missing))},
                _expect(file, lines, code),
                f"{key}: {missing}",
            )
    # A prerequisite names a missing course: reported at the course that names it.
    for file, spot in _pick(rng, _refs(files, "catalogs", "course"), 3):
        start, end = spot.value.start_mark.index, spot.value.end_mark.index
        course = next(
            s for s in spots(files[file]) if s.path == spot.path[:2] and s.path[0] == "courses"
        )
        yield Mutant(
            f"missing-ref/{file}:{line_of(spot.value)}/prerequisite",
            "missing-reference",
            {file: _utf8(_splice(files[file], start, end, f"{spot.value.value}-zz9"))},
            _expect(file, range(line_of(course.value), line_of(spot.value) + 1), "unknown-course"),
            f"prerequisite {spot.value.value}-zz9",
        )
    # A career route names a rule set that does not exist.
    for file, spot in _pick(rng, _refs(files, "careers", "sets"), 2):
        start, end = spot.value.start_mark.index, spot.value.end_mark.index
        yield Mutant(
            f"missing-ref/{file}:{line_of(spot.value)}/sets",
            "missing-reference",
            {file: _utf8(_splice(files[file], start, end, f"{spot.value.value}-zz9"))},
            _expect(file, None, any_code=True),
            f"sets: {spot.value.value}-zz9",
        )


def _courses(text: str) -> dict[str, Spot]:
    out = {}
    for s in spots(text):
        if len(s.path) == 2 and s.path[0] == "courses" and isinstance(s.value, yaml.MappingNode):
            ids = [v.value for k, v in s.value.value if k.value == "id"]
            if ids:
                out[str(ids[0])] = s
    return out


def _direct_prereqs(course: Spot) -> list[str]:
    found: list[str] = []

    def walk(node: yaml.Node) -> None:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == "course" and isinstance(v, yaml.ScalarNode):
                    found.append(str(v.value))
                walk(v)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)

    for k, v in course.value.value:
        if k.value == "prerequisites":
            walk(v)
    return found


def _add_prereq(text: str, course: Spot, on: str) -> tuple[str, int]:
    """Give ``course`` (which has none) the prerequisite ``on``; the new key's line."""
    last = course.value.value[-1]
    end = _line_end(text, _content_end(last[1], text) - 1)
    indent = " " * int(course.value.start_mark.column)
    new = f"\n{indent}prerequisites: {{course: {on}}}"
    return text[:end] + new + text[end:], text.count("\n", 0, end) + 2


def prerequisite_cycle(files: Files, rng: Rng) -> Iterator[Mutant]:
    """A course that (through others) requires itself: self, two-course and longer cycles."""
    for file in _of_kind(files, "catalogs"):
        text = files[file]
        courses = _courses(text)
        free = sorted(c for c, s in courses.items() if not _direct_prereqs(s))
        chains = []
        for cid, spot in sorted(courses.items()):
            for mid in _direct_prereqs(spot):
                if mid in courses and not _direct_prereqs(courses[mid]):
                    chains.append([cid, mid])
                for low in _direct_prereqs(courses.get(mid, spot)) if mid in courses else []:
                    if low in courses and not _direct_prereqs(courses[low]):
                        chains.append([cid, mid, low])
        picks = [[rng.choice(free)]]
        picks += _pick(rng, [c for c in chains if len(c) == 2], 1)
        picks += _pick(rng, [c for c in chains if len(c) == 3], 1)
        # Ten new courses that each need any of the others: millions of cycles.
        ids = [f"FZ{n}" for n in range(10)]
        node = _top_value(text, "courses")
        end = _line_end(text, _content_end(node, text) - 1)
        indent = " " * int(node.start_mark.column)
        dense = "".join(
            f"\n{indent}- {{id: {c}, title: Fuzz, subject: math, credits: 1, prerequisites:"
            f" {{any: [{', '.join(f'{{course: {o}}}' for o in ids if o != c)}]}}}}"
            for c in ids
        )
        first = text.count("\n", 0, end) + 2
        yield Mutant(
            f"dense-cycles/{file}",
            "prerequisite-cycle",
            {file: _utf8(text[:end] + dense + text[end:])},
            _expect(file, range(first, first + len(ids)), "prerequisite-cycle"),
            "ten courses that each need any of the others",
        )
        for chain in picks:
            mutated, line = _add_prereq(text, courses[chain[-1]], chain[0])
            members = [_courses(mutated)[c] for c in chain]
            lines = {line} | {
                line_of(node)
                for s in members
                for k, v in s.value.value
                if k.value == "prerequisites"
                for node in (k, v)
            }
            yield Mutant(
                f"prereq-cycle/{file}/{'-'.join(chain)}",
                "prerequisite-cycle",
                {file: _utf8(mutated)},
                _expect(file, lines, "prerequisite-cycle"),
                " -> ".join([*chain, chain[0]]),
            )


def _top_value(text: str, key: str) -> yaml.Node:
    return next(s.value for s in spots(text) if s.path == (key,))


def _set_top(text: str, key: str, value: str) -> tuple[str, int]:
    """Set a top-level scalar key (added after ``id`` when missing); its line."""
    found = [s for s in spots(text) if s.path == (key,)]
    if found:
        node = found[0].value
        return _splice(text, node.start_mark.index, node.end_mark.index, value), line_of(node)
    id_node = _top_value(text, "id")
    end = _line_end(text, id_node.start_mark.index)
    return text[:end] + f"\n{key}: {value}" + text[end:], line_of(id_node) + 1


def _append_requirement(text: str, name: str, body: str) -> tuple[str, int]:
    """Add a requirement at the end of ``requirements:``; the line its body starts on."""
    reqs = _top_value(text, "requirements")
    end = _line_end(text, _content_end(reqs, text) - 1)
    indent = " " * int(reqs.start_mark.column)
    new = f"\n{indent}{name}:\n{indent}  {body}"
    return text[:end] + new + text[end:], text.count("\n", 0, end) + 3


def rule_cycle(files: Files, rng: Rng) -> Iterator[Mutant]:
    """Rule sets that reach themselves: extends itself, a goal on itself, a requirement on itself,
    and two sets extending each other."""
    rules = [f for f in _of_kind(files, "rules") if "\nrequirements:" in files[f]]
    for file in _pick(rng, rules, 3):
        text = files[file]
        own = _top_value(text, "id").value
        mutated, line = _set_top(text, "extends", own)
        yield Mutant(
            f"extends-self/{file}",
            "rule-cycle",
            {file: _utf8(mutated)},
            _expect(file, line, "extends-cycle"),
            f"extends: {own}",
        )
    for file in _pick(rng, rules, 3):
        text = files[file]
        own = _top_value(text, "id").value
        mutated, line = _append_requirement(text, "fuzz-self", f"goal: {own}")
        yield Mutant(
            f"goal-self/{file}",
            "rule-cycle",
            {file: _utf8(mutated)},
            _expect(file, line, "goal-cycle"),
            f"goal: {own}",
        )
    for file in _pick(rng, rules, 3):
        text = files[file]
        mutated, line = _append_requirement(text, "fuzz-loop", "requirement: fuzz-loop")
        reqs = line_of(_top_value(text, "requirements"))
        yield Mutant(
            f"requirement-self/{file}",
            "rule-cycle",
            {file: _utf8(mutated)},
            _expect(file, {line, reqs - 1, reqs}, "reference-cycle"),
            "requirement: fuzz-loop inside fuzz-loop",
        )
    # A chain of extends deeper than Python's recursion limit.
    head = "title: Fuzz\nkind: graduation\njurisdiction: TX\ncatalog_year: 2025\n"
    head += "source: {citation: Fuzz chain, year: 2025}\n"
    chain = {
        f"rules/fz/2025/fz-{n:05d}.yaml": _utf8(
            f"id: fz-{n:05d}\n{head}extends: fz-{n + 1:05d}\nrequirements: {{}}\n"
            if n < 1099
            else f"id: fz-{n:05d}\n{head}requirements: {{}}\n"
        )
        for n in range(1100)
    }
    yield Mutant(
        "extends-chain/rules/fz/2025",
        "rule-cycle",
        chain,
        _expect("rules/fz/2025/fz-00032.yaml", 7, "extends-too-deep"),
        "1100 sets, each extending the next",
    )
    plain = [f for f in rules if "\nextends:" not in files[f]]
    first, second = _pick(rng, plain, 2)
    one, _ = _set_top(files[first], "extends", _top_value(files[second], "id").value)
    two, _ = _set_top(files[second], "extends", _top_value(files[first], "id").value)
    yield Mutant(
        f"extends-loop/{first}+{second}",
        "rule-cycle",
        {first: _utf8(one), second: _utf8(two)},
        _expect(first, None, "extends-cycle"),
        "two sets extend each other",
    )


def deep_nesting(files: Files, rng: Rng) -> Iterator[Mutant]:
    """Lists or mappings nested far past any real file: flow, block, and through an alias."""
    strings = [
        (f, s)
        for f in _spread(files)
        for s in spots(files[f])
        if _one_line(s.value) and s.key is not None and s.value.tag.endswith(":str")
    ]
    shapes = [
        "[" * 1000 + "]" * 1000,
        "{a: " * 200 + "1" + "}" * 200,
        "[" * 100_000,
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
    ]
    for shape, (file, spot) in zip(shapes, _pick(rng, strings, len(shapes)), strict=True):
        start, end = spot.value.start_mark.index, spot.value.end_mark.index
        yield Mutant(
            f"deep-flow/{file}:{line_of(spot.value)}/{len(shape)}",
            "deep-nesting",
            {file: _utf8(_splice(files[file], start, end, shape))},
            _expect(file, line_of(spot.value), "too-deep"),
            f"{shape[:8]}... nested {len(shape)} characters",
        )
    rules = [f for f in _of_kind(files, "rules") if "\nrequirements:" in files[f]]
    for depth in (40, 80):
        file = rng.choice(rules)
        text = files[file]
        reqs = _top_value(text, "requirements")
        indent = int(reqs.start_mark.column)
        body = [" " * indent + "fuzz-deep:"]
        for level in range(depth):
            body.append(" " * (indent + 2 + 2 * level) + "all:")
            body.append(" " * (indent + 2 + 2 * level) + "-")
        body.append(" " * (indent + 2 + 2 * depth) + "course: ALG1")
        body.append(" " * (indent + 2 + 2 * depth) + "min_grde: C")
        end = _line_end(text, _content_end(reqs, text) - 1)
        first = text.count("\n", 0, end) + 2
        mutated = text[:end] + "\n" + "\n".join(body) + text[end:]
        if depth < MAX_DEPTH // 2:  # deep but allowed: the typo at the bottom is still found
            expect = _expect(file, first + len(body) - 1, "unknown-key")
        else:
            expect = _expect(file, range(first, first + len(body)), "too-deep")
        yield Mutant(
            f"deep-block/{file}/{depth}",
            "deep-nesting",
            {file: _utf8(mutated)},
            expect,
            f"{depth} nested 'all' lists with a typo at the bottom",
        )
    file = rng.choice(rules)
    text = files[file]
    half = MAX_DEPTH // 2 + 2
    nest = "[" * half + "x" + "]" * half
    extra = f"\nfuzz-anchor: &deep {nest}\nfuzz-alias: {nest[:half]}*deep{nest[-half:]}\n"
    last = text.count("\n") + (0 if text.endswith("\n") else 1)
    yield Mutant(
        f"deep-alias/{file}",
        "deep-nesting",
        {file: _utf8(text.rstrip("\n") + extra)},
        _expect(file, {last + 2}, "too-deep"),
        "an alias makes a structure deeper than the limit",
    )


def _append(text: str, block: str) -> tuple[str, int]:
    """``block`` appended after the file's text; the line it starts on."""
    body = text.rstrip("\n") + "\n"
    return body + block, body.count("\n") + 1


def alias_bomb(files: Files, rng: Rng) -> Iterator[Mutant]:
    """Billion laughs and its cousins: expansion, alias count, merge keys, self-reference."""
    picked = _pick(rng, _spread(files), 12)
    for i, fan in enumerate((9, 5, 10, 3)):
        levels = 1
        while fan**levels <= MAX_NODES * 2:
            levels += 1
        lines = [f"lol0: &l0 [{', '.join(['lol'] * fan)}]"]
        for level in range(1, levels + 1):
            refs = ", ".join([f"*l{level - 1}"] * fan)
            lines.append(f"lol{level}: &l{level} [{refs}]")
        mutated, first = _append(files[picked[i]], "\n".join(lines) + "\n")
        yield Mutant(
            f"billion-laughs/{picked[i]}/{fan}x{levels}",
            "alias-bomb",
            {picked[i]: _utf8(mutated)},
            _expect(picked[i], range(first + 1, first + len(lines)), "alias-limit"),  # an alias
            f"{fan} aliases per level, {levels} levels",
        )
    # Small anchors at the top, the explosion inside a value the models read (a title).
    file = picked[4]
    text = files[file]
    target = next(s for s in spots(text) if s.path[-1:] == ("title",) and _one_line(s.value))
    head = "fuzz-a: &a [" + ", ".join(["x"] * 9) + "]\n"
    for name, below in (("b", "a"), ("c", "b"), ("d", "c")):
        head += f"fuzz-{name}: &{name} [" + ", ".join([f"*{below}"] * 9) + "]\n"
    start, end = target.value.start_mark.index, target.value.end_mark.index
    mutated = head + _splice(text, start, end, "[" + ", ".join(["*d"] * 40) + "]")
    yield Mutant(
        f"laughs-in-value/{file}",
        "alias-bomb",
        {file: _utf8(mutated)},
        _expect(file, line_of(target.value) + 4, "alias-limit"),
        "40 aliases of 6,561 values each as a title",
    )
    # More aliases than allowed, each small.
    file = picked[5]
    refs = "\n".join(f"fuzz-{n}: *one" for n in range(MAX_ALIASES + 1))
    mutated, first = _append(files[file], "fuzz-anchor: &one x\n" + refs + "\n")
    yield Mutant(
        f"many-aliases/{file}",
        "alias-bomb",
        {file: _utf8(mutated)},
        _expect(file, first + MAX_ALIASES + 1, "alias-limit"),
        f"{MAX_ALIASES + 1} aliases",
    )
    # One wide anchor repeated: few aliases, too many values.
    file = picked[6]
    wide = "[" + ", ".join(["0"] * 30_000) + "]"
    refs = "\n".join(f"fuzz-{n}: *wide" for n in range(8))
    mutated, first = _append(files[file], f"fuzz-wide: &wide {wide}\n{refs}\n")
    yield Mutant(
        f"wide-anchor/{file}",
        "alias-bomb",
        {file: _utf8(mutated)},
        _expect(file, range(first + 1, first + 9), "alias-limit"),
        "a 30,000-item list aliased 8 times",
    )
    # Merge keys that merge merges.
    file = picked[7]
    lines = ["fuzz-m0: &m0 {" + ", ".join(f"k{n}: v" for n in range(10)) + "}"]
    for level in range(1, 7):
        merged = ", ".join([f"*m{level - 1}"] * 10)
        keys = ", ".join(f"l{level}k{n}: v" for n in range(10))
        lines.append(f"fuzz-m{level}: &m{level} {{<<: [{merged}], {keys}}}")
    mutated, first = _append(files[file], "\n".join(lines) + "\n")
    yield Mutant(
        f"merge-bomb/{file}",
        "alias-bomb",
        {file: _utf8(mutated)},
        _expect(file, range(first + 1, first + len(lines)), "alias-limit", "unknown-key"),
        "merge keys nested 6 deep",
    )
    # Self-reference, directly and through a merge.
    for n, block in enumerate(("fuzz-r: &r [1, *r]\n", "fuzz-r: &r {a: 1, <<: *r}\n")):
        file = picked[8 + n]
        mutated, first = _append(files[file], block)
        yield Mutant(
            f"self-alias/{file}/{n}",
            "alias-bomb",
            {file: _utf8(mutated)},
            _expect(file, first, "alias-limit", "yaml-syntax"),
            block.strip(),
        )
    # An alias with no anchor, and an alias used as a key.
    file = picked[10]
    mutated, first = _append(files[file], "fuzz: *nowhere\n")
    yield Mutant(
        f"undefined-alias/{file}",
        "alias-bomb",
        {file: _utf8(mutated)},
        _expect(file, first, "yaml-syntax"),
        "*nowhere",
    )
    file = picked[11]
    mutated, first = _append(files[file], "fuzz: &k [a, b]\n? *k\n: value\n")
    yield Mutant(
        f"alias-key/{file}",
        "alias-bomb",
        {file: _utf8(mutated)},
        _expect(file, first + 1, "bad-key"),
        "a list used as a key through an alias",
    )


def structure(files: Files, rng: Rng) -> Iterator[Mutant]:
    """Tags, extra documents, keys that are not text, a top level that is not a mapping,
    a required key removed, an unknown operator, two operators in one node."""
    picked = iter(_pick(rng, _spread(files), 40))
    tags = [
        ("!!python/object/apply:os.system ['echo pwned']", "bad-tag"),
        ("!!python/name:os.system", "bad-tag"),
        ("!!binary aGVsbG8=", "bad-tag"),
        ("!!set {a, b}", "bad-tag"),
        ("!custom value", "bad-tag"),
    ]
    for tagged, code in tags:
        file = next(picked)
        spot = rng.choice([s for s in spots(files[file]) if s.key and _one_line(s.value)])
        start, end = spot.value.start_mark.index, spot.value.end_mark.index
        yield Mutant(
            f"tag/{file}:{line_of(spot.value)}/{tagged.split()[0]}",
            "structure",
            {file: _utf8(_splice(files[file], start, end, tagged))},
            _expect(file, line_of(spot.value), code),
            tagged,
        )
    for block, code, offset in (
        ("---\nid: second\n", "yaml-syntax", 0),
        ("yes: 1\n", "bad-key", 0),
        ("1: x\n", "bad-key", 0),
        ("null: x\n", "bad-key", 0),
        ("[a, b]: c\n", "bad-key", 0),
        ("fuzz: [unclosed\n", "yaml-syntax", 1),
        ("fuzz: 'unclosed\n", "yaml-syntax", 1),
        ("  - stray item\n", "yaml-syntax", 0),
    ):
        file = next(picked)
        mutated, first = _append(files[file], block)
        yield Mutant(
            f"append/{file}/{block.split(':')[0].strip()[:8]}",
            "structure",
            {file: _utf8(mutated)},
            _expect(file, {first, first + offset}, code),
            block.strip(),
        )
    for body in ("- a list\n- not a mapping\n", "just text\n", "42\n"):
        file = next(picked)
        yield Mutant(
            f"not-a-mapping/{file}/{body[:6]}",
            "structure",
            {file: body.encode()},
            _expect(file, 1, "not-a-mapping"),
            body.strip(),
        )
    for key in ("id", "source"):
        file = next(f for f in picked if f"\n{key}:" in files[f])
        text = files[file]
        entry = next(s for s in spots(text) if s.path == (key,))
        assert entry.key is not None
        start = _line_start(text, entry.key.start_mark.index)
        end = _line_end(text, _content_end(entry.value, text) - 1) + 1
        mutated = text[:start] + text[end:]
        root = yaml.compose(mutated, Loader=yaml.CSafeLoader)
        yield Mutant(
            f"missing-key/{file}/{key}",
            "structure",
            {file: _utf8(mutated)},
            _expect(file, line_of(root), "missing-key"),
            f"top-level {key!r} removed",
        )
    rules = [f for f in _of_kind(files, "rules") if "\nrequirements:" in files[f]]
    for body, code, hint in (
        ("coarse: ALG1", "missing-operator", "did you mean 'course'"),
        ("course: ALG1\n    credits: 1\n    from: {subject: math}", "unknown-key", "already"),
        ("{}", "missing-operator", ""),
        ("n_of: 3\n    of: [{course: ALG1}]", "invalid-value", "n_of is 3"),
        ("credits: 2", "missing-key", ""),
    ):
        file = rng.choice(rules)
        mutated, line = _append_requirement(files[file], "fuzz-op", body)
        yield Mutant(
            f"operator/{file}/{body.split(':')[0][:8]}",
            "structure",
            {file: _utf8(mutated)},
            _expect(file, {line - 1, line, line + 1}, code),
            f"requirement {body!r}: {hint}",
        )


def oversize(files: Files, rng: Rng) -> Iterator[Mutant]:
    """Too much: a line of 100,000 characters, a 10,000-character key, a key YAML cannot read,
    too many courses or requirements, too many values, a file over the size limit."""
    picked = iter(_pick(rng, _spread(files), 10))
    file = next(picked)
    spot = rng.choice([s for s in spots(files[file]) if s.path[-1:] == ("title",)])
    start, end = spot.value.start_mark.index, spot.value.end_mark.index
    yield Mutant(
        f"long-line/{file}:{line_of(spot.value)}",
        "oversize",
        {file: _utf8(_splice(files[file], start, end, "x" * 100_000))},
        _expect(file, line_of(spot.value), "invalid-value"),
        "a 100,000-character title",
    )
    for length in (1000, 10_000):
        file = next(picked)
        mutated, first = _append(files[file], "k" * length + ": 1\n")
        yield Mutant(
            f"long-key/{file}/{length}",
            "oversize",
            {file: _utf8(mutated)},
            _expect(file, first, "unknown-key", "yaml-syntax", "missing-operator"),
            f"a {length}-character key",
        )
    catalog = rng.choice(_of_kind(files, "catalogs"))
    courses = "".join(
        f"  - {{id: FZ{n}, title: Fuzz, subject: math, credits: 1}}\n" for n in range(5001)
    )
    text = files[catalog]
    node = _top_value(text, "courses")
    start = _line_start(text, node.start_mark.index)
    mutated = text[:start] + courses + text[_line_end(text, _content_end(node, text) - 1) + 1 :]
    yield Mutant(
        f"too-many-courses/{catalog}",
        "oversize",
        {catalog: _utf8(mutated)},
        _expect(catalog, {line_of(node) - 1, line_of(node)}, "invalid-value"),
        "5001 courses (at most 5000)",
    )
    file = next(f for f in _spread(files) if f.startswith("rules/") and f not in files.get("", ""))
    reqs = "".join(f"  fz{n}: {{course: ALG1}}\n" for n in range(201))
    text = files[file]
    node = _top_value(text, "requirements")
    start = _line_start(text, node.start_mark.index)
    mutated = text[:start] + reqs + text[_line_end(text, _content_end(node, text) - 1) + 1 :]
    yield Mutant(
        f"too-many-requirements/{file}",
        "oversize",
        {file: _utf8(mutated)},
        _expect(file, {line_of(node) - 1, line_of(node)}, "invalid-value"),
        "201 requirements (at most 200)",
    )
    file = next(picked)
    mutated, first = _append(files[file], "fuzz: [" + "0," * (MAX_NODES + 10) + "0]\n")
    yield Mutant(
        f"too-many-values/{file}",
        "oversize",
        {file: _utf8(mutated)},
        _expect(file, first, "too-large"),
        f"{MAX_NODES + 10} values in one list",
    )
    file = next(picked)
    keys = "".join(f"fuzz{n}: 1\n" for n in range(20_000))  # each one a did-you-mean
    mutated, first = _append(files[file], keys)
    yield Mutant(
        f"many-mistakes/{file}",
        "oversize",
        {file: _utf8(mutated)},
        _expect(file, first, "unknown-key", "missing-operator"),
        "20,000 unknown keys",
    )
    file = next(picked)
    padding = ("# " + "x" * 98 + "\n") * (MAX_SOURCE_BYTES // 100 + 10)
    yield Mutant(
        f"too-big-file/{file}",
        "oversize",
        {file: _utf8(files[file] + padding)},
        _expect(file, 1, "too-large"),
        "a file over 2 MB",
    )


def line_endings(files: Files, rng: Rng) -> Iterator[Mutant]:
    """Windows and old-Mac line endings: positions must still be the author's lines."""
    for ending in ("\r\n", "\r"):
        for file in _pick(rng, _spread(files), 2):
            text = files[file]
            entries = [(s, k) for s, k, _ in _block_entries(text) if _is_model_mapping(file, s)]
            entries = [(s, k) for s, k in entries if k.value in FIELD_NAMES]
            spot, key = rng.choice(entries)
            typo = _typo(str(key.value), rng) or "fuzz"
            mutated = _splice(text, key.start_mark.index, key.end_mark.index, typo)
            lines = set(range(line_of(spot.value), line_of(key) + 1))
            yield Mutant(
                f"line-endings/{ending!r}/{file}:{line_of(key)}",
                "line-endings",
                {file: _utf8(mutated.replace("\n", ending))},
                _expect(file, lines, "unknown-key", "missing-operator"),
                f"{key.value!r} -> {typo!r} with {ending!r} line ends",
            )
        file = rng.choice(_spread(files))
        text = files[file]
        index, line, _ = _text_positions(text, rng, 1)[0]
        for bad, code in (("\x00", "encoding"), ("\udcff", "encoding")):
            mutated = (text[:index] + bad + text[index:]).replace("\n", ending)
            raw = mutated.encode("utf-8", errors="surrogateescape")
            yield Mutant(
                f"line-endings-bytes/{ending!r}/{file}:{line}/{ord(bad):x}",
                "line-endings",
                {file: raw},
                _expect(file, line, code),
                f"{bad!r} at line {line} with {ending!r} line ends",
            )


def duplicates(files: Files, rng: Rng) -> Iterator[Mutant]:
    """A course written twice in a catalog; a rule set defined by two files."""
    for file in _of_kind(files, "catalogs")[:3]:
        text = files[file]
        courses = list(_courses(text).values())
        course = rng.choice(courses[:-1])
        start = _line_start(text, course.value.start_mark.index)
        end = _line_end(text, _content_end(course.value, text) - 1) + 1
        mutated = text[:end] + text[start:end] + text[end:]
        line = text.count("\n", 0, end) + 1
        yield Mutant(
            f"duplicate-course/{file}:{line}",
            "duplicates",
            {file: _utf8(mutated)},
            _expect(file, line, "duplicate-course"),
            "a course block copied below itself",
        )
    rules = _of_kind(files, "rules")
    for file in _pick(rng, rules, 2):
        copy = file.replace(".yaml", "-copy.yaml")
        id_line = line_of(_top_value(files[file], "id"))
        yield Mutant(
            f"duplicate-ruleset/{copy}",
            "duplicates",
            {copy: _utf8(files[file])},
            _expect(copy, id_line, "duplicate-ruleset"),
            f"{file} copied to {copy}",
        )


KINDS: dict[str, Maker] = {
    "wrong-type": wrong_type,
    "unknown-key": unknown_key,
    "duplicate-key": duplicate_key,
    "tab": tab_indent,
    "control-char": control_char,
    "non-utf8": non_utf8,
    "empty-file": empty_file,
    "truncated": truncated,
    "huge-number": huge_number,
    "bad-year": bad_year,
    "missing-reference": missing_reference,
    "prerequisite-cycle": prerequisite_cycle,
    "rule-cycle": rule_cycle,
    "deep-nesting": deep_nesting,
    "alias-bomb": alias_bomb,
    "structure": structure,
    "oversize": oversize,
    "line-endings": line_endings,
    "duplicates": duplicates,
}


def generate(seed: int = SEED, root: Path = ROOT) -> list[Mutant]:
    """Every mutant of the bundled files under ``root``; the same list for the same seed."""
    files = bundled_files(root)
    out: list[Mutant] = []
    for kind, make in KINDS.items():
        rng = random.Random(f"{seed}/{kind}")
        out.extend(make(files, rng))
    seen: dict[str, int] = {}
    for i, mutant in enumerate(out):  # two picks may land on one line: keep names unique
        seen[mutant.name] = seen.get(mutant.name, 0) + 1
        if seen[mutant.name] > 1:
            out[i] = replace(mutant, name=f"{mutant.name}#{seen[mutant.name]}")
    return out
