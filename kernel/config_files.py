"""The one door to configuration files: YAML in, a validated value out, every problem as
``file:line: reason``.

Rules, entities, feeds, channels and unit classes are all read here, under the same limits:
a file size cap, one budget of values per document (an "alias bomb" — aliases of aliases —
would otherwise expand without end), and a nesting depth cap. Rules and entities are then
checked against their published JSON schemas; the other files against pydantic models with
``validate_model``, which turns a validation error into the line that holds the bad value.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from kernel.errors import ConfigError

Path_ = tuple[str | int, ...]
ModelT = TypeVar("ModelT", bound=BaseModel)
T = TypeVar("T")

# Limits shared by every configuration document.
MAX_YAML_BYTES = 16 * 1024 * 1024
# Aliases may repeat a node; expanded, a document may hold at most this many values more
# than ALIAS_EXPANSION times its distinct nodes ("alias bombs" — aliases of aliases — stop
# at once, a 10k-rule file with shared anchors does not).
MIN_YAML_VALUES = 20_000
ALIAS_EXPANSION = 4
MAX_YAML_DEPTH = 100
_INT64 = 2**63 - 1


class YamlTooLarge(ValueError):
    """A document over the value budget or the depth cap."""


@dataclass(frozen=True)
class Issue:
    """One problem: where (file and line when known) and why."""

    reason: str
    path: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        if self.path and self.line:
            return f"{self.path}:{self.line}: {self.reason}"
        if self.path:
            return f"{self.path}: {self.reason}"
        return self.reason


@dataclass
class Located:
    """A loaded document plus the file it came from; ``line_of`` finds a value's line."""

    data: Any  # plain Python data (dict/list/str/...)
    node: Any  # the ruamel node (carries line numbers)
    path: str
    base: Path_ = ()  # where ``data`` sits inside ``node``

    def line_of(self, path: Path_) -> int | None:
        return line_of(self.node, self.base + tuple(path))


def line_of(node: Any, path: Path_) -> int | None:
    """1-based line of the value at ``path`` inside a ruamel document (the closest known)."""
    line: int | None = None
    current = node
    for key in path:
        if isinstance(current, CommentedMap) and key in current:
            try:
                line = current.lc.value(key)[0] + 1
            except (KeyError, TypeError, AttributeError):
                line = current.lc.line + 1
            child = current[key]
        elif isinstance(current, CommentedSeq) and isinstance(key, int) and 0 <= key < len(current):
            try:
                line = current.lc.item(key)[0] + 1
            except (KeyError, TypeError, AttributeError):
                line = current.lc.line + 1
            child = current[key]
        else:
            break
        current = child
    else:
        if isinstance(current, (CommentedMap, CommentedSeq)) and current.lc.line is not None:
            line = current.lc.line + 1 if line is None else line
    if line is None and isinstance(node, (CommentedMap, CommentedSeq)):
        line = node.lc.line + 1
    return line


def key_line(node: Any, path: Path_) -> int | None:
    """1-based line of the *key* at the end of ``path`` (for "unknown key" errors)."""
    parent = node
    for key in path[:-1]:
        try:
            parent = parent[key]
        except (KeyError, IndexError, TypeError):
            return line_of(node, path[:-1])
    if isinstance(parent, CommentedMap) and path and path[-1] in parent:
        try:
            key_row: int = parent.lc.key(path[-1])[0]  # ruamel's LineCol is untyped
            return key_row + 1
        except (KeyError, TypeError, AttributeError):
            pass
    return line_of(node, path)


def distinct_nodes(node: Any) -> int:
    """How many distinct mappings, sequences and scalars ``node`` holds, counting a node
    that aliases repeat once (linear in the document's size, whatever its aliases)."""
    seen: set[int] = set()
    count = 0
    pending = [node]
    while pending:
        value = pending.pop()
        count += 1
        if isinstance(value, (dict, list)):
            if id(value) in seen:
                continue
            seen.add(id(value))
            pending.extend(value.values() if isinstance(value, dict) else value)
    return count


def value_budget(node: Any) -> int:
    """The most values ``node`` may expand to (see ALIAS_EXPANSION)."""
    return MIN_YAML_VALUES + ALIAS_EXPANSION * distinct_nodes(node)


def to_plain(node: Any, *, max_values: int | None = None, max_depth: int = MAX_YAML_DEPTH) -> Any:
    """Plain Python values (dict, list, str, int, float, bool, None) from ruamel's
    round-trip types, which JSON encoders and schema checks do not all accept.

    Aliases are expanded; the whole expansion of one call counts against ``max_values``
    (default: ``value_budget(node)``) and nesting against ``max_depth`` (YamlTooLarge)."""
    limit = value_budget(node) if max_values is None else max_values
    budget = [limit]

    def plain(value: Any, depth: int) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            raise YamlTooLarge(f"the YAML expands to more than {limit:,} values (aliases?)")
        if depth > max_depth:
            raise YamlTooLarge(f"the YAML is nested more than {max_depth} levels deep")
        if isinstance(value, dict):
            return {str(k): plain(v, depth + 1) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v, depth + 1) for v in value]
        if isinstance(value, bool):
            return bool(value)
        if isinstance(value, int):
            # beyond 64 bits no encoder takes it; as a float the schema still judges it
            return int(value) if -_INT64 <= value <= _INT64 else float(value)
        if isinstance(value, float):
            return float(value)
        if isinstance(value, str):
            return str(value)
        return value

    return plain(node, 0)


def parse_yaml(text: str, path: str) -> Any:
    """The ruamel round-trip document of YAML ``text`` (read from ``path``, for errors);
    syntax errors and duplicate keys name the line."""
    if len(text) > MAX_YAML_BYTES:
        raise ConfigError(f"larger than {MAX_YAML_BYTES // (1024 * 1024)} MB", path=path)
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        return yaml.load(StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = " ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
        raise ConfigError(f"invalid YAML: {reason}", path=path, line=line) from None
    except YAMLError as exc:
        raise ConfigError(f"invalid YAML: {exc}", path=path) from None
    except RecursionError:
        raise ConfigError(f"the YAML is nested more than {MAX_YAML_DEPTH} levels deep", path=path) from None


def read_text(path: Path) -> str:
    """A configuration file's UTF-8 text; ConfigError (file: reason) when it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            raise ConfigError(f"larger than {MAX_YAML_BYTES // (1024 * 1024)} MB", path=str(path))
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("no such file", path=str(path)) from None
    except IsADirectoryError:
        raise ConfigError("is a directory, not a file", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text ({exc.reason})", path=str(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=str(path)) from None


def read_yaml(path: Path) -> Any:
    """The ruamel round-trip document of a YAML file; syntax errors name the line."""
    return parse_yaml(read_text(Path(path)), str(path))


def locate(node: Any, path: str) -> Located:
    """A parsed document with its plain values (under the shared limits)."""
    try:
        return Located(to_plain(node), node, path)
    except YamlTooLarge as exc:
        raise ConfigError(str(exc), path=path, line=1) from None


def detached(build: Callable[[], T]) -> T:
    """What ``build`` returns, copied once everything else it made is freed.

    Values taken from ruamel's round-trip tree are made among its nodes, and the interpreter
    cannot give that memory back while they live: 10k rules held 144 MB of a worker's memory
    read that way and 70 MB compiled from this copy; 10k feeds +58 MB and +30 MB
    (docs/performance.md). The copy is a pickle written and read in this process, of our own
    plain values, once ``build``'s frame and its tree are gone: new objects, densely
    allocated where the tree was."""
    blob = pickle.dumps(build(), protocol=pickle.HIGHEST_PROTOCOL)
    return cast(T, pickle.loads(blob))


def plain_values(text: str, path: str) -> Any:
    """The plain values of YAML ``text``, with nothing of the parse tree left in memory
    (``detached``). No lines are kept: a caller that finds a problem reads the text again
    with ``locate`` to name the line."""
    return detached(lambda: locate(parse_yaml(text, path), path).data)


def validate_plain(model: type[ModelT], data: Any, text: str, path: str) -> ModelT:
    """``data`` (the ``plain_values`` of ``text``) as ``model``; when it is invalid, ``text``
    is read again with its lines, for the ConfigError at the first invalid value's line."""
    try:
        return model.model_validate(data)
    except ValidationError:
        pass
    return validate_model(model, locate(parse_yaml(text, path), path))


def load_document(path: Path) -> Located:
    """A YAML file as plain values, with the lines of every value kept."""
    return locate(read_yaml(path), str(path))


# The ids of feeds and channels: used as they are in metric labels, Redis keys and logs.
CONFIG_ID = re.compile(r"^[a-z0-9_-]{1,64}$")


def checked_id(value: str, what: str) -> str:
    """``value`` when it is a valid id; else ValueError naming ``what`` ("feed id", …)."""
    if not CONFIG_ID.match(value):
        raise ValueError(f"{what} {value!r} must match [a-z0-9_-]{{1,64}}")
    return value


def dotted(path: Sequence[str | int]) -> str:
    """``feeds[2].poll.min`` for the path ("feeds", 2, "poll", "min")."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def validation_issues(exc: ValidationError, located: Located, at: Path_ = ()) -> list[Issue]:
    """One Issue per pydantic error, at the line of the value it is about."""
    issues = []
    for error in exc.errors():
        loc = tuple(at) + tuple(p for p in error["loc"] if isinstance(p, (str, int)))
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden" and loc:
            message = f"unknown key {loc[-1]!r}"
            line = key_line(located.node, located.base + loc)
            loc = loc[:-1]
        else:
            line = located.line_of(loc)
        where = dotted(loc)
        issues.append(Issue(f"{where}: {message}" if where else message, located.path, line))
    return issues


def validate_model(model: type[ModelT], located: Located, at: Path_ = ()) -> ModelT:
    """``located``'s data (or the part at ``at``) as ``model``; ConfigError at the line of
    the first invalid value."""
    data: Any = located.data
    for part in at:
        data = data[part]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = validation_issues(exc, located, at)[0]
        raise ConfigError(first.reason, path=first.path, line=first.line) from None
