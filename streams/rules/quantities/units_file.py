"""The unit-classes file (units.yaml): read through ``kernel.config_files``, checked with
pydantic models, every problem reported as ``file:line: reason``."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationInfo,
    field_validator,
    model_validator,
)

from kernel.config_files import Located, key_line, locate, parse_yaml, read_text, validate_model
from kernel.errors import ConfigError
from streams.rules.quantities.lexicon import LEXICON
from streams.rules.quantities.tokens import folded_tokens
from streams.rules.quantities.units import UnitClasses

DEFAULT_UNITS_PATH = Path(__file__).with_name("units.yaml")
UNIT_ID_RE = re.compile(r"[a-z][a-z0-9_]{0,31}")
_UNITS_REQUIRED = "'units' must be a non-empty mapping of unit id → class"


def _entry(value: Any) -> str:
    """A word or prefix as written: a string with at least one letter, digit or symbol."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"entry {value!r} is not a non-empty string")
    if not folded_tokens(value):
        raise ValueError(f"entry {value!r} has no letters")
    return value.strip()


def _unit_word(word: str) -> str:
    tokens = folded_tokens(word)
    if any(token[0].isdigit() for token in tokens):
        raise ValueError(f"word {word!r} contains digits")
    if tokens[0] in LEXICON:
        raise ValueError(f"word {word!r} is a number word")
    return word


Entry = Annotated[str, BeforeValidator(_entry)]
UnitWord = Annotated[str, BeforeValidator(_entry), AfterValidator(_unit_word)]


class UnitClassSpec(BaseModel):
    """One unit class as written: the words that name it, the symbols written before a number."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # None when absent: reported by the loader at the line of the unit's id
    words: list[UnitWord] | None = None
    prefixes: list[Entry] = []

    @field_validator("words", "prefixes", mode="before")
    @classmethod
    def _non_empty_list(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, list) or (info.field_name == "words" and not value):
            raise ValueError(f"'{info.field_name}' must be a non-empty list")
        return value


class UnitsFile(BaseModel):
    """The file's top level; each unit class is checked on its own (see ``load_unit_classes``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Any = 1
    units: dict[str, Any] | None = None

    @model_validator(mode="before")
    @classmethod
    def _mapping(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError("expected a mapping with a 'units' key")
        return data

    @field_validator("version")
    @classmethod
    def _version(cls, value: Any) -> Any:
        if value != 1:
            raise ValueError(f"unsupported version {value!r} (expected 1)")
        return value

    @field_validator("units", mode="before")
    @classmethod
    def _units_mapping(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError(_UNITS_REQUIRED)
        return value


def _read(path: Path) -> Located:
    try:
        text = read_text(path)
    except ConfigError as exc:
        raise ConfigError(f"cannot read unit classes: {exc.reason}", path=str(path)) from None
    return locate(parse_yaml(text, str(path)), str(path))


def load_unit_classes(path: Path | None = None) -> UnitClasses:
    """Load unit classes from YAML (default: the packaged ``units.yaml``).

    Raises :class:`kernel.errors.ConfigError` naming the file, the line and the reason when
    the file cannot be read or is not a valid unit-class file."""
    path = Path(path) if path is not None else DEFAULT_UNITS_PATH
    located = _read(path)
    document = validate_model(UnitsFile, located)
    if not document.units:
        line = key_line(located.node, ("units",)) if "units" in located.data else located.line_of(())
        raise ConfigError(_UNITS_REQUIRED, path=located.path, line=line)

    words: dict[str, tuple[str, ...]] = {}
    prefixes: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}  # folded word → unit id, to refuse a word in two classes
    for unit, raw in document.units.items():
        spec = _unit_spec(located, unit, raw)
        assert spec.words is not None  # checked by _unit_spec
        for index, word in enumerate(spec.words):
            folded = " ".join(folded_tokens(word))
            if owner.get(folded, unit) != unit:
                reason = f"unit {unit!r}: word {word!r} is already in unit {owner[folded]!r}"
                raise ConfigError(reason, path=located.path, line=located.line_of(("units", unit, "words", index)))
            owner[folded] = unit
        words[unit] = tuple(spec.words)
        if "prefixes" in raw:
            prefixes[unit] = tuple(spec.prefixes)
    return UnitClasses(words=words, prefixes=prefixes, source=str(path))


def _unit_spec(located: Located, unit: str, raw: Any) -> UnitClassSpec:
    """One unit class, checked; problems about the class as a whole name its id's line."""
    at = ("units", unit)
    if not UNIT_ID_RE.fullmatch(unit):
        reason = f"invalid unit id {unit!r} (lowercase letters, digits, _; up to 32)"
        raise ConfigError(reason, path=located.path, line=key_line(located.node, at))
    if not isinstance(raw, dict):
        raise ConfigError(
            f"unit {unit!r}: expected a mapping with 'words'", path=located.path, line=key_line(located.node, at)
        )
    spec = validate_model(UnitClassSpec, located, at)
    if spec.words is None:
        raise ConfigError(f"unit {unit!r}: 'words' is missing", path=located.path, line=key_line(located.node, at))
    return spec


@lru_cache(maxsize=1)
def default_unit_classes() -> UnitClasses:
    """The packaged unit classes, loaded once per process."""
    return load_unit_classes()
