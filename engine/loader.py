"""Rule, catalog and student files into models, with errors that point into the author's file.

pydantic validates plain data and reports each problem with a ``loc``. That ``loc`` is not quite a
path in the author's document: pydantic inserts the tag of every discriminated union it passes
through (``('requirements', 'math', 'all', 'all', 2, 'course', 'min_grade')``, where the second
``'all'`` and ``'course'`` are tags) and the member name of plain unions. This module walks the
model's type annotations along the ``loc`` to drop exactly those elements, finds the model that
owns a misspelt key (for a did-you-mean), and maps the result through the
:class:`~engine.yamlsource.SourceMap` to ``file:line:col``. Every error in a file is reported,
and :func:`load_tree` keeps going past broken files so one run shows everything to fix.

Student records arrive as JSON from portals, so their problems become
:class:`~engine.errors.FieldProblem` items (``loc``, ``msg``, ``type``) instead of file positions.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import NoneType, UnionType
from typing import Annotated, Any, Generic, Literal, NoReturn, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, Discriminator, Tag, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from engine.careers.model import CareerFile, RouteDefaults
from engine.errors import (
    MAX_PROBLEMS,
    TOO_MANY,
    AuthoringError,
    Diagnostic,
    FieldProblem,
    StudentDataError,
    did_you_mean,
    omitted_message,
    show_key,
)
from engine.model import ID_PATTERN, Catalog, RequirementSet
from engine.student import Student
from engine.yamlsource import (
    MAX_SOURCE_BYTES,
    Describe,
    DocPath,
    SourceMap,
    format_path,
    load_yaml,
)

M = TypeVar("M", covariant=True)
ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class Loaded(Generic[M]):
    """A validated model with the source map of the file it came from."""

    model: M
    source: SourceMap
    file: str


@dataclass(frozen=True)
class LoadedTree:
    """Everything under a project root that loaded, and every problem in what did not."""

    catalogs: list[Loaded[Catalog]] = field(default_factory=list)
    rulesets: list[Loaded[RequirementSet]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    careers: list[Loaded[CareerFile]] = field(default_factory=list)
    career_routes: list[Loaded[RouteDefaults]] = field(default_factory=list)


# From a pydantic loc to a document path, by walking the model's types.


@dataclass(frozen=True)
class _Tagged:
    """A discriminated union: pydantic puts the chosen member's tag into ``loc``."""

    members: Mapping[str, object]


@dataclass(frozen=True)
class _Location:
    path: DocPath
    owner: type[BaseModel] | None  # model whose keys the last path element was looked up in
    owner_tag: str | None  # the tag that chose ``owner`` from a discriminated union
    owner_tags: tuple[str, ...]  # all tags of that union (the operator keys)
    union_tags: tuple[str, ...]  # tags of a discriminated union at ``path`` itself
    leaf: object  # the annotation at ``path``
    is_key: bool  # the problem is the mapping key at ``path``, not its value


def _tagged_members(union: object) -> dict[str, object]:
    members: dict[str, object] = {}
    for arg in get_args(union):
        if get_origin(arg) is Annotated:
            base, *meta = get_args(arg)
            for item in meta:
                if isinstance(item, Tag):
                    members[item.tag] = base
    return members


def _is_discriminator(meta: object) -> bool:
    if isinstance(meta, Discriminator):
        return True
    return isinstance(meta, FieldInfo) and meta.discriminator is not None


def _unwrap(tp: object) -> object:
    """Strip ``Annotated`` and ``| None``; a discriminated union becomes :class:`_Tagged`."""
    while True:
        if isinstance(tp, _Tagged):
            return tp
        origin = get_origin(tp)
        if origin is Annotated:
            base, *meta = get_args(tp)
            if any(_is_discriminator(item) for item in meta):
                return _Tagged(_tagged_members(base))
            tp = base
            continue
        if origin is Union or origin is UnionType:
            members = [arg for arg in get_args(tp) if arg is not NoneType]
            if len(members) == 1:
                tp = members[0]
                continue
        return tp


def _field_type(model: type[BaseModel], key: object) -> object:
    for name, info in model.model_fields.items():
        if key in (info.alias or name, name):
            if info.discriminator is not None:
                return _Tagged(_tagged_members(_unwrap(info.annotation)))
            return info.annotation
    return None


def _allowed_keys(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _locate(model_cls: type[BaseModel], loc: tuple[int | str, ...]) -> _Location:
    path: list[str | int] = []
    tp: object = model_cls
    owner: type[BaseModel] | None = None
    owner_tag: str | None = None
    owner_tags: tuple[str, ...] = ()
    picked: str | None = None
    picked_from: tuple[str, ...] = ()
    is_key = False
    for part in loc:
        if part == "[key]":
            is_key = True
            continue
        tp = _unwrap(tp)
        if isinstance(tp, _Tagged):  # this element is the tag pydantic inserted
            picked, picked_from = str(part), tuple(tp.members)
            tp = tp.members.get(picked)
            continue
        origin, args = get_origin(tp), get_args(tp)
        if origin is Union or origin is UnionType:  # a plain union: pydantic names the member
            tp = None
            continue
        path.append(part)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            owner, owner_tag, owner_tags = tp, picked, picked_from if picked else ()
            picked = None
            tp = _field_type(tp, part)
        elif origin is dict and len(args) == 2:
            tp = args[1]
        elif origin in (tuple, list) and args:
            variadic = origin is list or (len(args) == 2 and args[1] is Ellipsis)
            fixed = isinstance(part, int) and 0 <= part < len(args)
            tp = args[0] if variadic else (args[part] if fixed and isinstance(part, int) else None)
        else:
            tp = None
    leaf = _unwrap(tp)
    tags = tuple(leaf.members) if isinstance(leaf, _Tagged) else ()
    return _Location(tuple(path), owner, owner_tag, owner_tags, tags, leaf, is_key)


def _existing(path: DocPath, data: object) -> DocPath:
    """The longest prefix of ``path`` present in ``data`` (validators may add list levels)."""
    node = data
    for end, part in enumerate(path):
        if isinstance(node, Mapping) and part in node:
            node = node[part]
            continue
        if isinstance(node, list | tuple) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            continue
        return path[:end]
    return path


# Short human messages.

#: pydantic's type-error kinds -> what the author should have written.
_EXPECTED: dict[str, str] = {
    kind: words
    for words, kinds in (
        ("text", "string_type string_unicode"),
        ("a whole number", "int_type int_parsing int_from_float"),
        ("a number", "float_type float_parsing"),
        ("true or false", "bool_type bool_parsing"),
        ("a mapping", "dict_type mapping_type model_type model_attributes_type"),
        ("a list", "list_type tuple_type iterable_type set_type"),
        ("nothing", "none_required"),
    )
    for kind in kinds.split()
}

_PATTERNS: dict[str, str] = {
    ID_PATTERN: "an id of letters, digits, '.', '_', ':' or '-' (e.g. 'ALG1')",
    r"^[a-z0-9][a-z0-9-]{0,63}$": "lower-case letters, digits and '-' (e.g. 'tx-fhsp')",
    r"^[a-z0-9][a-z0-9_-]{0,63}$": "lower-case letters, digits, '_' and '-' (e.g. 'math')",
    r"^[A-Z]{2,8}$": "2 to 8 capital letters (e.g. 'TX')",
    r"^\d{5}$": "a 5-digit SCED code (e.g. '02052')",
    r"^\d{5}([A-Z][0-9.]{4}\d{2})?$": "a 5-digit SCED code, optionally with its 7-character suffix",
    r"^[A-DF][+-]?$": "a letter grade such as 'C' or 'B+'",
    r"^\d{2}-\d{4}$": "a 2018 SOC code such as '29-1141'",
}

#: Constraint kinds -> (ctx key, wording); the ``{n}`` of the length kinds is counted.
_LIMITS: dict[str, tuple[str, str]] = {
    "greater_than": ("gt", "must be more than {n}, got {got}"),
    "greater_than_equal": ("ge", "must be at least {n}, got {got}"),
    "less_than": ("lt", "must be less than {n}, got {got}"),
    "less_than_equal": ("le", "must be at most {n}, got {got}"),
    "too_short": ("min_length", "needs at least {n} item{s}, got {actual_length}"),
    "too_long": ("max_length", "allows at most {n} item{s}, got {actual_length}"),
    "string_too_short": ("min_length", "must be at least {n} character{s}"),
    "string_too_long": ("max_length", "must be at most {n} character{s}"),
}


#: A message names at most this many of a field's allowed values.
_MAX_LISTED = 6


def _show(value: object) -> str:
    """A value as the author wrote it, briefly; never a Python class."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "an empty value"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return "a value of another kind"


@dataclass(frozen=True)
class _Issue:
    path: DocPath
    code: str
    message: str
    anchor: Literal["value", "key", "parent"] = "value"
    expected: str = ""
    got: str = ""
    omitted: int = 0  # a too-many-errors note: the problems it stands for


def _unknown_key(at: _Location, key: str | int) -> str:
    message = f"unknown key {show_key(key)}"
    if at.owner is None:
        return message
    if at.owner_tag is not None and key in at.owner_tags:
        return f"{message}: this node's operator is already '{at.owner_tag}' (one per node)"
    hint = did_you_mean(str(key), _allowed_keys(at.owner))
    return f"{message} (did you mean {hint!r}?)" if hint else message


def _missing_operator(message: str, at: _Location, value: object) -> str:
    if isinstance(value, Mapping):
        for key in value:
            hint = did_you_mean(str(key), at.union_tags)
            if hint:
                return f"{message} (did you mean {hint!r} instead of {show_key(key)}?)"
        return message
    if isinstance(value, str) and "course" in at.union_tags and re.fullmatch(ID_PATTERN, value):
        return f"{message}; got {_show(value)} (for one course write 'course: {value}')"
    return f"{message}; got {_show(value)}"


def _issue(
    err: ErrorDetails, at: _Location, data: object, written: Mapping[DocPath, str]
) -> _Issue:
    kind, value = err["type"], err.get("input")
    ctx: dict[str, Any] = err.get("ctx") or {}
    path = at.path
    last = path[-1] if path else ""
    if at.is_key or kind == "invalid_key":
        shown = show_key(last)
        if kind in ("invalid_key", "string_type"):
            return _Issue(path, "bad-key", f"key {shown} must be text; put it in quotes", "key")
        if kind in _EXPECTED:
            return _Issue(path, "bad-key", f"key {shown} must be {_EXPECTED[kind]}", "key")
        inner = _issue(err, replace(at, is_key=False), data, {})  # e.g. a pattern
        return _Issue(path, "bad-key", f"key {shown}: {inner.message}", "key")
    if kind == "extra_forbidden":
        return _Issue(path, "unknown-key", _unknown_key(at, last), "key")
    if kind == "missing":
        return _Issue(path, "missing-key", f"missing key {show_key(last)}", "parent")
    path = _existing(path, data)
    if kind == "missing-operator":
        return _Issue(path, "missing-operator", _missing_operator(err["msg"], at, value))
    got = _show(value)
    source_text = written.get(path, "")
    if source_text and source_text != got:  # e.g. YAML reads 02052 as 1066, yes as true
        got = f"{source_text[:40]} (read as {got})"
    if kind in _EXPECTED:
        expected = _EXPECTED[kind]
        message = f"expected {expected}, got {got}"
        if expected == "text" and isinstance(value, int | float):  # numbers and booleans
            message += "; put it in quotes"
        return _Issue(path, "wrong-type", message, "value", expected, got)
    if kind == "literal_error":
        options = [str(arg) for arg in get_args(at.leaf) if isinstance(arg, str)]
        expected = str(ctx.get("expected", "one of the listed values"))
        if len(options) > _MAX_LISTED:  # the schema lists them all; a message names a few
            shown = ", ".join(repr(o) for o in options[:_MAX_LISTED])
            expected = f"one of {len(options)} values ({shown}, ...)"
        message = f"expected {expected}, got {got}"
        hint = did_you_mean(value, options) if isinstance(value, str) and options else None
        return _Issue(
            path, "invalid-value", f"{message} (did you mean {hint!r}?)" if hint else message
        )
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        wanted = _PATTERNS.get(pattern, f"text matching {pattern}")
        return _Issue(path, "invalid-value", f"expected {wanted}, got {got}")
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return _Issue(path, "invalid-value", str(ctx["error"]))
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return _Issue(path, "invalid-value", "must not be empty")
    if kind in _LIMITS:
        name, template = _LIMITS[kind]
        n = ctx.get(name)
        n = int(n) if isinstance(n, float) and n.is_integer() else n
        words = {"actual_length": "", **ctx, "n": n, "s": "" if n == 1 else "s", "got": got}
        if words["actual_length"] is None and isinstance(value, Mapping | list | tuple):
            words["actual_length"] = len(value)  # pydantic leaves it out for a mapping
        return _Issue(path, "invalid-value", template.format(**words))
    return _Issue(path, "invalid-value", err["msg"].removeprefix("Value error, "))


def _issues(
    model_cls: type[BaseModel],
    exc: ValidationError,
    data: object,
    written: Mapping[DocPath, str] | None = None,
) -> list[_Issue]:
    """One issue per problem; ``written`` holds the source text of non-text scalars."""
    located = [(err, _locate(model_cls, err["loc"])) for err in exc.errors(include_url=False)]
    # Sets, not scans of lists: a file may hold 100,000 mistakes, and n^2 of them is a hang.
    parents = {at.path[:end] for _, at in located for end in range(len(at.path))}
    issues: list[_Issue] = []
    seen: set[_Issue] = set()
    merged: dict[DocPath, int] = {}
    for index, (err, at) in enumerate(located):
        if len(issues) >= MAX_PROBLEMS:  # past this, a message is noise and costs a did-you-mean
            count = len(located) - index
            issues.append(_Issue(at.path, TOO_MANY, omitted_message(count), omitted=count))
            break
        # A list whose items failed also reports "too short" (no valid items): noise.
        if err["type"] == "too_short" and at.path in parents:
            continue
        issue = _issue(err, at, data, written or {})
        if issue.code == "wrong-type" and issue.path in merged:  # plain union: one per member
            first = issues[merged[issue.path]]
            wanted = " or ".join(dict.fromkeys([*first.expected.split(" or "), issue.expected]))
            message = f"expected {wanted}, got {first.got}"
            issues[merged[issue.path]] = replace(first, message=message, expected=wanted)
            continue
        if issue.code == "wrong-type":
            merged[issue.path] = len(issues)
        if issue not in seen:
            seen.add(issue)
            issues.append(issue)
    return issues


# Breadcrumbs.


def _steps(path: DocPath) -> list[str]:
    out: list[str] = []
    for part in path:
        if isinstance(part, int) and out:
            out[-1] += f"[{part}]"
        else:
            out.append(str(part))
    return out


def _rules_crumb(data: object, path: DocPath) -> str:
    """``requirement 'math' > all[2] > any[0]``."""
    if len(path) >= 2 and path[0] == "requirements":
        return " > ".join([f"requirement {show_key(path[1])}", *_steps(path[2:])])
    return " > ".join(_steps(path))


def _catalog_crumb(data: object, path: DocPath) -> str:
    """``course 'ALG1' (courses[12]) > prerequisites > any[1]``."""
    if len(path) >= 2 and path[0] == "courses" and isinstance(path[1], int):
        head = f"courses[{path[1]}]"
        courses = data.get("courses") if isinstance(data, Mapping) else None
        if isinstance(courses, list) and 0 <= path[1] < len(courses):
            course = courses[path[1]]
            course_id = course.get("id") if isinstance(course, Mapping) else None
            if isinstance(course_id, str):
                head = f"course {course_id!r} ({head})"
        return " > ".join([head, *_steps(path[2:])])
    return " > ".join(_steps(path))


def _career_crumb(data: object, path: DocPath) -> str:
    """``career 'registered-nurse' (careers[0]) > routes[1]``."""
    if len(path) >= 2 and path[0] == "careers" and isinstance(path[1], int):
        head = f"careers[{path[1]}]"
        careers = data.get("careers") if isinstance(data, Mapping) else None
        if isinstance(careers, list) and 0 <= path[1] < len(careers):
            career = careers[path[1]]
            career_id = career.get("id") if isinstance(career, Mapping) else None
            if isinstance(career_id, str):
                head = f"career {career_id!r} ({head})"
        return " > ".join([head, *_steps(path[2:])])
    return " > ".join(_steps(path))


def _dotted_crumb(data: object, path: DocPath) -> str:
    return format_path(path)


def _describer(model_cls: type[BaseModel]) -> Describe:
    if issubclass(model_cls, RequirementSet):
        return _rules_crumb
    if issubclass(model_cls, Catalog):
        return _catalog_crumb
    if issubclass(model_cls, CareerFile):
        return _career_crumb
    return _dotted_crumb


# Authored files.


def parse_model(model_cls: type[ModelT], data: object, source: SourceMap) -> ModelT:
    """Validate ``data`` as ``model_cls``; every problem becomes a positioned :class:`Diagnostic`.

    Raises
    ------
    AuthoringError
        Listing every problem, each at the ``file:line:col`` of the offending key or value.
    """
    try:
        return model_cls.model_validate(data)
    except ValidationError as exc:
        issues = _issues(model_cls, exc, data, source.scalars)
    describe = _describer(model_cls)
    diagnostics: list[Diagnostic] = []
    for issue in issues:
        if issue.anchor == "key":
            position, where = source.key_position(issue.path), issue.path[:-1]
        elif issue.anchor == "parent":
            position, where = source.position(issue.path[:-1]), issue.path[:-1]
        else:
            position, where = source.position(issue.path), issue.path
        found = source.diagnostic(position, issue.message, issue.code, describe(data, where))
        diagnostics.append(replace(found, omitted=issue.omitted) if issue.omitted else found)
    raise AuthoringError(sorted(diagnostics, key=lambda d: (d.line, d.column)))


def _display_name(path: Path, root: Path | None) -> str:
    if root is not None:
        for candidate, base in ((path, root), (path.resolve(), root.resolve())):
            try:
                return candidate.relative_to(base).as_posix()
            except ValueError:
                continue
    return str(path)


def _read_limited(path: Path) -> bytes:
    """At most one byte more than the size limit, so a huge file is never read whole."""
    with path.open("rb") as handle:
        return handle.read(MAX_SOURCE_BYTES + 1)


def _load_file(model_cls: type[ModelT], path: Path, root: Path | None) -> Loaded[ModelT]:
    file = _display_name(path, root)
    try:
        raw = _read_limited(path)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        message = f"cannot read file: {reason}"
        raise AuthoringError([Diagnostic(file, 1, 1, message, "io-error")]) from None
    return load_text(model_cls, raw, file)


def load_text(model_cls: type[ModelT], raw: bytes, file: str) -> Loaded[ModelT]:
    """Validate a file's content given as bytes (an editor's buffer, an HTTP body)."""
    if len(raw) > MAX_SOURCE_BYTES:
        limit = MAX_SOURCE_BYTES // (1024 * 1024)
        message = f"file is larger than {limit} MB; split it into smaller files"
        raise AuthoringError([Diagnostic(file, 1, 1, message, "too-large")])
    data, source = load_yaml(raw, file, describe=_describer(model_cls))
    return Loaded(model=parse_model(model_cls, data, source), source=source, file=file)


def load_catalog(path: Path, root: Path | None = None) -> Loaded[Catalog]:
    """Load and validate one catalog file; ``root`` makes diagnostic file names relative."""
    return _load_file(Catalog, path, root)


def load_ruleset(path: Path, root: Path | None = None) -> Loaded[RequirementSet]:
    """Load and validate one requirement-set file; ``root`` makes diagnostic file names relative."""
    return _load_file(RequirementSet, path, root)


#: The file under ``careers/`` that holds the route defaults; every other one is a cluster.
CAREER_ROUTES_FILE = "routes.yaml"


def load_career_file(path: Path, root: Path | None = None) -> Loaded[CareerFile]:
    """Load and validate one ``careers/<cluster>.yaml`` file."""
    return _load_file(CareerFile, path, root)


def load_career_routes(path: Path, root: Path | None = None) -> Loaded[RouteDefaults]:
    """Load and validate ``careers/routes.yaml`` (which rule sets lead to each route)."""
    return _load_file(RouteDefaults, path, root)


def _yaml_files(folder: Path) -> list[Path]:
    found = (p for p in folder.rglob("*.yaml") if not p.name.endswith(".tests.yaml"))
    return sorted(p for p in found if p.is_file())


def discover(root: Path) -> tuple[list[Path], list[Path]]:
    """Catalog files under ``root/catalogs`` and rule files under ``root/rules``, sorted.

    Test-case files (``*.tests.yaml``) sit beside the rules they test and are left out.
    """
    return _yaml_files(root / "catalogs"), _yaml_files(root / "rules")


def load_tree(root: Path) -> LoadedTree:
    """Load every catalog and rule file under ``root``, collecting the problems of all of them."""
    catalog_paths, rule_paths = discover(root)
    tree = LoadedTree()
    loaders: list[tuple[list[Path], Callable[[Path, Path], Loaded[Any]], list[Any]]] = [
        (catalog_paths, load_catalog, tree.catalogs),
        (rule_paths, load_ruleset, tree.rulesets),
    ]
    career_paths = _yaml_files(root / "careers")
    routes = [p for p in career_paths if p.name == CAREER_ROUTES_FILE]
    clusters = [p for p in career_paths if p.name != CAREER_ROUTES_FILE]
    loaders.append((clusters, load_career_file, tree.careers))
    loaders.append((routes, load_career_routes, tree.career_routes))
    for paths, load, into in loaders:
        for path in paths:
            try:
                into.append(load(path, root))
            except AuthoringError as exc:
                tree.diagnostics.extend(exc.diagnostics)
    return tree


# Students.


def load_student(data: object, source: str = "student") -> Student:
    """Validate a student record (already parsed JSON).

    Raises
    ------
    StudentDataError
        With one :class:`FieldProblem` per problem; ``loc`` is the path in the record, e.g.
        ``('transcript', 3, 'grade')``.
    """
    try:
        return Student.model_validate(data)
    except ValidationError as exc:
        issues = _issues(Student, exc, data)
    raise StudentDataError([FieldProblem(i.path, i.message, i.code) for i in issues], source)


class _JSONError(ValueError):
    """What :mod:`json` accepts but a record must not have."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _JSONError(f"key {key!r} appears twice in one object")
        out[key] = value
    return out


def _no_constants(name: str) -> NoReturn:
    raise _JSONError(f"{name} is not a number JSON allows")


def load_student_file(path: Path) -> Student:
    """Read a student JSON file; every failure is a :class:`StudentDataError`, never a traceback."""
    source = str(path)

    def fail(message: str, kind: str) -> NoReturn:
        raise StudentDataError([FieldProblem((), message, kind)], source)

    try:
        raw = _read_limited(path)
    except OSError as exc:
        fail(f"cannot read file: {exc.strerror or type(exc).__name__}", "io-error")
    if len(raw) > MAX_SOURCE_BYTES:
        fail(f"file is larger than {MAX_SOURCE_BYTES // (1024 * 1024)} MB", "too-large")
    raw = raw.removeprefix(codecs.BOM_UTF8)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        fail(f"the file is not UTF-8: bad byte at line {line}, column {column}", "encoding")
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        fail(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", "invalid-json")
    except RecursionError:
        fail("invalid JSON: nested too deeply", "too-deep")
    except ValueError as exc:  # ours, or e.g. an integer of thousands of digits
        fail(f"invalid JSON: {exc}", "invalid-json")
    return load_student(data, source)


__all__ = [
    "CAREER_ROUTES_FILE",
    "MAX_PROBLEMS",
    "Loaded",
    "LoadedTree",
    "discover",
    "load_career_file",
    "load_career_routes",
    "load_catalog",
    "load_ruleset",
    "load_student",
    "load_student_file",
    "load_text",
    "load_tree",
    "parse_model",
]
