"""Safe YAML parsing that remembers where every value came from.

Rule and catalog files are written by state staff, so a mistake must be reported at the author's
line and column, like a compiler would. pydantic only sees plain values and reports a ``loc`` (a
path of keys and indexes); this module keeps a :class:`SourceMap` from each such document path to
its position in the file, so :mod:`engine.loader` can turn a ``loc`` back into ``file:line:col``.

The files also come from outside, so parsing is deliberately narrow:

* PyYAML only tokenises (libyaml when present, for speed); nodes are composed here and turned into
  dicts, lists, strings, numbers, booleans and ``None`` from a whitelist of tags. No Python object
  is ever constructed and nothing is evaluated (``!!python/object`` is refused).
* Size, nesting depth, alias count and the expanded node count are all bounded, so a hostile file
  ("billion laughs", ``[[[[...``, megabytes of garbage) fails fast instead of hanging.
* Numbers are finite and shorter than :data:`MAX_DIGITS` digits (``.nan`` or ``1e999`` would
  slip past an unbounded field); anything that does go wrong inside an alias is reported at
  the alias, where the author wrote the expansion.
* Duplicate keys are errors: YAML silently keeps the last one, which would lose an author's rule.
* Dates stay text (``accessed: 2025-01-15`` is a string), because the models never want dates.
"""

from __future__ import annotations

import codecs
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Final, TypeAlias

import yaml
from yaml import events as ev
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from engine.errors import MAX_PROBLEMS, AuthoringError, Diagnostic, capped, show_key

#: A document path: mapping keys (str, or int where a model wants numeric keys) and list indexes.
DocPath: TypeAlias = tuple[str | int, ...]
#: 1-based (line, column).
Position: TypeAlias = tuple[int, int]
#: Turns (document, path) into a breadcrumb for a diagnostic; the document may be partial.
Describe: TypeAlias = Callable[[object, DocPath], str]

MAX_SOURCE_BYTES: Final = 2 * 1024 * 1024
MAX_DEPTH: Final = 64
MAX_ALIASES: Final = 100
#: Values after alias expansion; a 5000-course catalog (the model's maximum) needs ~140k.
MAX_NODES: Final = 200_000
#: No authored number needs more digits (years, credits, hours, scores); a longer one is a typo
#: or an attack, and JSON clients would round it. Models bound most fields more tightly.
MAX_DIGITS: Final = 15
MAX_NUMBER: Final = 10**MAX_DIGITS
#: Longer source lines are left out of diagnostics rather than dumped into a terminal.
_MAX_SHOWN_LINE: Final = 500

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
_TIMESTAMP, _MERGE, _SEQ, _MAP = (_TAG + t for t in ("timestamp", "merge", "seq", "map"))
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# What YAML 1.1 (and PyYAML's reader) accepts as printable; anything else is refused up front.
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
# Exponent forms YAML 1.1 leaves as text (no dot, or no exponent sign): pydantic would still
# read the text as a number, so they are numbers here, where the range checks see them.
_EXPONENT = re.compile(r"[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+")
_SAFE = SafeConstructor()
_CONSTRUCT: dict[str, Callable[[ScalarNode], object]] = {
    _INT: _SAFE.construct_yaml_int,
    _FLOAT: _SAFE.construct_yaml_float,
    _BOOL: _SAFE.construct_yaml_bool,
    _NULL: _SAFE.construct_yaml_null,
}
# Resolver.resolve is untyped in the stubs; this is its shape for scalars.
_resolve: Callable[[type[ScalarNode], str, tuple[bool, bool]], str] = Resolver().resolve
_USE_LIBYAML = yaml.__with_libyaml__


def format_path(path: DocPath) -> str:
    """Generic breadcrumb for a document path: ``requirements.math.all[2]``.

    >>> format_path(("requirements", "math", "all", 2))
    'requirements.math.all[2]'
    """
    out = ""
    for part in path:
        if isinstance(part, int) and out:
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass(frozen=True)
class SourceMap:
    """Positions of a parsed file's nodes, by document path, plus the file's text lines."""

    file: str
    lines: tuple[str, ...] = ()
    nodes: Mapping[DocPath, Position] = field(default_factory=dict, repr=False)
    keys: Mapping[DocPath, Position] = field(default_factory=dict, repr=False)
    #: Source text of values that YAML did not read as text (``02052`` is the number 1066).
    scalars: Mapping[DocPath, str] = field(default_factory=dict, repr=False)

    def position(self, path: DocPath) -> Position:
        """Where the value at ``path`` starts, or its nearest recorded ancestor; (1, 1) at worst."""
        for end in range(len(path), -1, -1):
            found = self.nodes.get(path[:end])
            if found is not None:
                return found
        return (1, 1)

    def key_position(self, path: DocPath) -> Position:
        """Where the key naming the value at ``path`` is written; else :meth:`position`."""
        return self.keys.get(path) or self.position(path)

    def line_text(self, line: int) -> str:
        """The text of 1-based ``line``, or ``""`` when there is no such line."""
        return self.lines[line - 1] if 1 <= line <= len(self.lines) else ""

    def diagnostic(
        self, position: Position, message: str, code: str, breadcrumb: str = ""
    ) -> Diagnostic:
        """A :class:`Diagnostic` at ``position`` of this file, quoting its source line."""
        line, column = position
        text = self.line_text(line)
        shown = text if len(text) <= _MAX_SHOWN_LINE else ""
        return Diagnostic(self.file, line, column, message, code, breadcrumb, shown)


# Composing: parser events -> small nodes, with bounds on depth, aliases and size.


@dataclass(slots=True)
class _Scalar:
    tag: str
    value: str
    pos: Position


@dataclass(slots=True)
class _Seq:
    tag: str
    pos: Position
    items: list[_Node] = field(default_factory=list)


@dataclass(slots=True)
class _Map:
    tag: str
    pos: Position
    entries: list[tuple[_Node, _Node]] = field(default_factory=list)


@dataclass(slots=True)
class _Alias:
    target: _Scalar | _Seq | _Map
    pos: Position


_Node: TypeAlias = _Scalar | _Seq | _Map | _Alias


class _FatalError(Exception):
    """A problem after which nothing more can be read from the file."""

    def __init__(self, code: str, message: str, position: Position) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.position = position


def _pos(mark: object) -> Position:
    return (int(getattr(mark, "line", 0)) + 1, int(getattr(mark, "column", 0)) + 1)


class _Composer:
    """Builds the node tree from parser events; counts what it builds and stops at the limits."""

    def __init__(self, events: Iterator[ev.Event]) -> None:
        self.events = events
        self.anchors: dict[str, _Scalar | _Seq | _Map] = {}
        self.aliases = 0
        self.values = 0
        self.depth = 0

    def document(self) -> _Node | None:
        next(self.events)  # stream start
        first = next(self.events)
        if isinstance(first, ev.StreamEndEvent):
            return None
        root = self.node(next(self.events), is_key=False)
        next(self.events)  # document end
        extra = next(self.events)
        if not isinstance(extra, ev.StreamEndEvent):
            message = "a file holds one YAML document, but a second one starts here"
            raise _FatalError("yaml-syntax", message, _pos(extra.start_mark))
        return root

    def node(self, event: ev.Event, *, is_key: bool) -> _Node:
        pos = _pos(event.start_mark)
        if isinstance(event, ev.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _FatalError("alias-limit", f"more than {MAX_ALIASES} aliases", pos)
            anchor = event.anchor or ""
            if anchor not in self.anchors:
                raise _FatalError("yaml-syntax", f"alias '*{anchor}' has no anchor above", pos)
            return _Alias(self.anchors[anchor], pos)
        if not is_key:
            self.values += 1
            if self.values > MAX_NODES:
                raise _FatalError("too-large", f"more than {MAX_NODES:,} values in one file", pos)
        node: _Scalar | _Seq | _Map
        if isinstance(event, ev.ScalarEvent):
            tag = event.tag
            if tag is None or tag == "!":
                tag = _resolve(ScalarNode, event.value, event.implicit)
                if tag == _STR and event.implicit[0] and _EXPONENT.fullmatch(event.value):
                    tag = _FLOAT  # YAML 1.2 reads 1e400 as a number; PyYAML's 1.1 as text
            node = _Scalar(tag, event.value, pos)
            self._anchor(event.anchor, node)
            return node
        if not isinstance(event, ev.SequenceStartEvent | ev.MappingStartEvent):
            raise _FatalError("yaml-syntax", f"unexpected {type(event).__name__}", pos)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _FatalError("too-deep", f"nested more than {MAX_DEPTH} levels deep", pos)
        implicit = event.tag is None or event.tag == "!"
        if isinstance(event, ev.SequenceStartEvent):
            node = _Seq(_SEQ if implicit else str(event.tag), pos)
            self._anchor(event.anchor, node)
            while not isinstance(item := next(self.events), ev.SequenceEndEvent):
                node.items.append(self.node(item, is_key=False))
        else:
            node = _Map(_MAP if implicit else str(event.tag), pos)
            self._anchor(event.anchor, node)
            while not isinstance(key_event := next(self.events), ev.MappingEndEvent):
                key = self.node(key_event, is_key=True)
                node.entries.append((key, self.node(next(self.events), is_key=False)))
        self.depth -= 1
        return node

    def _anchor(self, anchor: str | None, node: _Scalar | _Seq | _Map) -> None:
        if anchor is None:
            return
        if anchor in self.anchors:
            raise _FatalError("yaml-syntax", f"anchor '&{anchor}' is defined twice", node.pos)
        self.anchors[anchor] = node


# Building: nodes -> plain values, recording positions; problems are collected, not raised.


class _Builder:
    def __init__(self) -> None:
        self.nodes: dict[DocPath, Position] = {}
        self.keys: dict[DocPath, Position] = {}
        self.scalars: dict[DocPath, str] = {}
        self.problems: list[tuple[str, str, Position, DocPath]] = []
        self.count = 0
        self.active: set[int] = set()
        #: Where the alias being expanded is written (the outermost one), if any.
        self.via: Position | None = None

    def problem(self, code: str, message: str, pos: Position, path: DocPath) -> None:
        self.problems.append((code, message, pos, path))

    def spend(self, n: int, pos: Position) -> None:
        self.count += n
        if self.count > MAX_NODES:
            message = f"aliases expand the file to more than {MAX_NODES:,} values"
            raise _FatalError("alias-limit", message, pos)

    def build(self, node: _Node, path: DocPath) -> object:
        """Plain value of ``node``; a limit crossed inside an alias is reported at the alias."""
        outer = self.via
        if isinstance(node, _Alias) and outer is None:
            self.via = node.pos
        try:
            return self._build(node, path)
        finally:
            self.via = outer

    def _build(self, node: _Node, path: DocPath) -> object:
        at = self.via or node.pos
        self.spend(1, at)
        if len(path) > MAX_DEPTH:
            message = f"nested more than {MAX_DEPTH} levels deep"
            if self.via is not None:
                message += " (through this alias)"
            raise _FatalError("too-deep", message, at)
        self.nodes.setdefault(path, node.pos)
        if isinstance(node, _Alias):
            node = node.target
        if isinstance(node, _Scalar):
            value = self.scalar(node, path)
            if not isinstance(value, str):
                self.scalars.setdefault(path, node.value)
            return value
        if id(node) in self.active:
            message = "an alias refers to a list or mapping it is inside"
            raise _FatalError("alias-limit", message, at)
        self.active.add(id(node))
        try:
            if node.tag not in (_SEQ, _MAP):
                self.bad_tag(node.tag, node.pos, path)
                return None
            if isinstance(node, _Seq):
                return [self.build(item, (*path, i)) for i, item in enumerate(node.items)]
            return self.mapping(node, path)
        finally:
            self.active.discard(id(node))

    def bad_tag(self, tag: str, pos: Position, path: DocPath) -> None:
        shown = "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag
        self.problem("bad-tag", f"tag '{shown}' is not allowed: plain values only", pos, path)

    def scalar(self, node: _Scalar, path: DocPath) -> object:
        if node.tag in (_STR, _TIMESTAMP):
            return node.value
        if node.tag not in _CONSTRUCT:
            self.bad_tag(node.tag, node.pos, path)
            return None
        try:
            value = _CONSTRUCT[node.tag](ScalarNode(node.tag, node.value))
        except (ValueError, yaml.YAMLError):  # e.g. an integer of thousands of digits
            message = f"cannot read {node.value[:40]!r} as a number"
            self.problem("invalid-value", message, node.pos, path)
            return None
        if isinstance(value, float) and not math.isfinite(value):
            message = f"{node.value[:40]!r} is not a finite number"
            self.problem("invalid-value", message, node.pos, path)
            return None
        if (
            not isinstance(value, bool)
            and isinstance(value, int | float)
            and abs(value) >= MAX_NUMBER
        ):
            message = f"number {node.value[:40]} is out of range (at most {MAX_DIGITS} digits)"
            self.problem("invalid-value", message, node.pos, path)
            return None
        return value

    def mapping(self, node: _Map, path: DocPath) -> dict[str | int, object]:
        result: dict[str | int, object] = {}
        for key_node, value_node, explicit in self.entries(node, path):
            key = self.key(key_node, path)
            if key is None:
                continue
            if key in result:
                if explicit:
                    first = self.keys[(*path, key)][0]
                    message = f"key {show_key(key)} appears twice; first at line {first}"
                    self.problem("duplicate-key", message, key_node.pos, path)
                continue
            self.keys[(*path, key)] = key_node.pos
            result[key] = self.build(value_node, (*path, key))
        return result

    def entries(self, node: _Map, path: DocPath) -> list[tuple[_Node, _Node, bool]]:
        """The mapping's own entries, then those merged in with ``<<`` (which they override)."""
        own: list[tuple[_Node, _Node, bool]] = []
        merged: list[tuple[_Node, _Node, bool]] = []
        for key, value in node.entries:
            if not (isinstance(key, _Scalar) and key.tag == _MERGE):
                own.append((key, value, True))
                continue
            target = value.target if isinstance(value, _Alias) else value
            sources = target.items if isinstance(target, _Seq) else [target]
            for source in sources:
                source = source.target if isinstance(source, _Alias) else source
                if not isinstance(source, _Map):
                    message = "'<<' merges only mappings or a list of them"
                    self.problem("yaml-syntax", message, key.pos, path)
                    continue
                if id(source) in self.active:
                    raise _FatalError("alias-limit", "'<<' merges a mapping into itself", key.pos)
                self.active.add(id(source))
                try:
                    more = self.entries(source, path)
                finally:
                    self.active.discard(id(source))
                self.spend(len(more), key.pos)
                merged.extend((k, v, False) for k, v, _ in more)
        return own + merged

    def key(self, node: _Node, path: DocPath) -> str | int | None:
        target = node.target if isinstance(node, _Alias) else node
        if not isinstance(target, _Scalar):
            message = "a key must be plain text, not a list or mapping"
            self.problem("bad-key", message, node.pos, path)
            return None
        value = self.scalar(target, path)
        raw = target.value if len(target.value) <= 40 else target.value[:37] + "..."
        if value is None and target.tag != _NULL:
            return None  # a refused tag, already reported
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            reads = "true" if value else "false"
            message = f"key '{raw}' reads as {reads}; put it in quotes"
        elif value is None:
            message = f"key '{raw}' reads as null; put it in quotes" if raw else "empty key"
        elif isinstance(value, int) and path:
            return value
        else:
            message = f"key {raw} is a number; put it in quotes"
        self.problem("bad-key", message, node.pos, path)
        return None


def _position_of(text: str, index: int) -> Position:
    """1-based (line, column) of ``text[index]``, counting every line break YAML counts.

    ``\r`` alone (old Mac files), ``\u2028`` and ``\x85`` end lines for the parser too, so a
    position counted by ``\n`` only would point at the wrong line.
    """
    breaks = list(_LINE_BREAK.finditer(text, 0, index))
    line_start = breaks[-1].end() if breaks else 0
    return (len(breaks) + 1, index - line_start + 1)


def _decode(raw: bytes, file: str) -> str:
    """Strict UTF-8 (a leading BOM is allowed); a bad byte is reported at its line."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            message = "the file is UTF-16; save it as UTF-8"
            line, column = 1, 1
        else:
            message = (
                f"the file is not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded"
                " (save the file as UTF-8)"
            )
            # Decode what comes before the byte, so columns count characters like the parser's.
            before = raw[: exc.start].decode("utf-8", errors="replace")
            line, column = _position_of(before, len(before))
        lines = _LINE_BREAK.split(raw.decode("utf-8", errors="replace"))
        shown = lines[line - 1] if line <= len(lines) else ""
        diagnostic = Diagnostic(file, line, column, message, "encoding", source_line=shown)
        raise AuthoringError([diagnostic]) from None


def _syntax_message(exc: yaml.MarkedYAMLError, source: SourceMap) -> str:
    problem = exc.problem or "invalid YAML"
    line, column = _pos(exc.problem_mark)
    if source.line_text(line)[column - 1 : column] == "\t":
        problem += " (indent with spaces, not tabs)"
    context_line = _pos(exc.context_mark)[0] if exc.context_mark is not None else line
    if exc.context and context_line != line:
        problem += f" ({exc.context} at line {context_line})"
    return problem


def load_yaml(
    text: str | bytes, file: str, *, describe: Describe | None = None
) -> tuple[object, SourceMap]:
    """Parse one YAML document safely into plain values and a :class:`SourceMap`.

    Parameters
    ----------
    text
        The document; bytes must be UTF-8.
    file
        The name diagnostics give for the file (e.g. ``rules/tx/2025/fhsp.yaml``).
    describe
        Makes the breadcrumb of a problem from (partial document, path); dotted path by default.

    Raises
    ------
    AuthoringError
        With every problem found: ``yaml-syntax``, ``duplicate-key``, ``encoding``,
        ``empty-file``, ``not-a-mapping``, ``alias-limit``, ``too-deep``, ``too-large``,
        ``bad-key``, ``bad-tag``, ``invalid-value``; past :data:`MAX_PROBLEMS`, one
        ``too-many-errors`` counting the rest.

    Examples
    --------
    >>> data, source = load_yaml("id: fhsp\\nrequirements:\\n  math: {course: ALG1}\\n", "x.yaml")
    >>> data["requirements"]["math"]
    {'course': 'ALG1'}
    >>> source.position(("requirements", "math", "course")), source.key_position(("id",))
    ((3, 18), (1, 1))
    """
    describe = describe or (lambda data, path: format_path(path))
    if len(text) > MAX_SOURCE_BYTES:
        message = f"file is larger than {MAX_SOURCE_BYTES // (1024 * 1024)} MB"
        raise AuthoringError([SourceMap(file).diagnostic((1, 1), message, "too-large")])
    if isinstance(text, bytes):
        text = _decode(text, file)
    source = SourceMap(file, tuple(_LINE_BREAK.split(text)))

    def fail(code: str, message: str, position: Position) -> AuthoringError:
        return AuthoringError([source.diagnostic(position, message, code)])

    bad = _NON_PRINTABLE.search(text)
    if bad is not None:
        message = f"control character U+{ord(bad.group()):04X} is not allowed"
        raise fail("encoding", message, _position_of(text, bad.start()))

    loader = yaml.CSafeLoader if _USE_LIBYAML else yaml.SafeLoader
    try:
        root = _Composer(yaml.parse(text, Loader=loader)).document()
    except _FatalError as stop:
        raise fail(stop.code, stop.message, stop.position) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise fail("yaml-syntax", _syntax_message(exc, source), _pos(mark)) from None
    except yaml.YAMLError as exc:
        raise fail("yaml-syntax", str(exc).splitlines()[0], (1, 1)) from None
    if root is None or (isinstance(root, _Scalar) and root.tag == _NULL):
        raise fail("empty-file", "the file is empty", (1, 1))

    builder = _Builder()
    data: object = None
    stopped: _FatalError | None = None
    try:
        data = builder.build(root, ())
    except _FatalError as stop:
        stopped = stop
    diagnostics = [
        source.diagnostic(pos, message, code, describe(data, path))
        for code, message, pos, path in builder.problems
    ]
    if stopped is not None:
        diagnostics.append(source.diagnostic(stopped.position, stopped.message, stopped.code))
    elif not isinstance(data, dict) and not diagnostics:
        kind = "a list" if isinstance(data, list) else "a single value"
        message = f"the top level must be a mapping of keys to values, not {kind}"
        diagnostics.append(source.diagnostic(root.pos, message, "not-a-mapping"))
    if diagnostics:  # an aliased or merged block repeats its problems: report each once
        unique = {(d.line, d.column, d.code, d.message): d for d in reversed(diagnostics)}
        found = sorted(unique.values(), key=lambda d: (d.line, d.column))
        raise AuthoringError(capped(found, MAX_PROBLEMS + 1))  # 100,000 bad tags: one note
    return data, SourceMap(file, source.lines, builder.nodes, builder.keys, builder.scalars)


__all__ = [
    "MAX_ALIASES",
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_NODES",
    "MAX_PROBLEMS",
    "MAX_SOURCE_BYTES",
    "Describe",
    "DocPath",
    "Position",
    "SourceMap",
    "format_path",
    "load_yaml",
]
