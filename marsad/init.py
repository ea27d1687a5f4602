"""`marsad init DIR`: a commented starter configuration to edit, not a sample to run.

Writes ``feeds.yaml`` (placeholders and the format), ``rules/`` (one file per condition
kind, each rule with examples that hold), ``entities.yaml`` (common officials with their
Arabic spellings) and ``channels.yaml`` (a signed webhook and a Slack channel, secrets from
the environment). The files are package data of ``marsad/starter``; existing files are
never overwritten unless asked to.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import typer

from kernel.errors import ConfigError

STARTER = files("marsad.starter")


@dataclass(frozen=True)
class StarterFile:
    relative: str  # where it goes under DIR
    source: Traversable


def starter_files() -> list[StarterFile]:
    """Every file `marsad init` writes, in the order it writes them."""
    out = [StarterFile(name, STARTER / name) for name in ("feeds.yaml", "entities.yaml", "channels.yaml")]
    rules = sorted((f for f in (STARTER / "rules").iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
    out += [StarterFile(f"rules/{f.name}", f) for f in rules]
    return out


def write_starter(target: Path, *, force: bool = False) -> list[Path]:
    """Write the starter files under ``target``; refuses (ConfigError, nothing written)
    when any of them exists already, unless ``force``."""
    plan = [(target / f.relative, f) for f in starter_files()]
    existing = [path for path, _ in plan if path.exists()]
    if existing and not force:
        names = ", ".join(str(p.relative_to(target)) for p in existing)
        raise ConfigError(f"{target} already holds {names}; nothing was written (--force overwrites them)")
    for path, file in plan:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(file.source.read_text(encoding="utf-8"), encoding="utf-8")
    return [path for path, _ in plan]


def next_steps(target: Path) -> str:
    """What to do after `marsad init`, with the paths just written."""
    d = target
    return "\n".join(
        [
            f"wrote a starter configuration in {d}; next:",
            f"  1. edit {d / 'feeds.yaml'} (your feeds) and {d / 'channels.yaml'} (where alerts go)",
            f"  2. marsad rules validate {d / 'rules'}",
            "  3. export MARSAD_WEBHOOK_SECRET=$(openssl rand -hex 32) MARSAD_SLACK_WEBHOOK_URL=https://hooks.slack.com/…",
            f"  4. marsad run --feeds {d / 'feeds.yaml'} --rules {d / 'rules'} --channels {d / 'channels.yaml'}",
        ]
    )


def init(
    directory: Path = typer.Argument(..., metavar="DIR", help="Folder to write the starter files into."),
    force: bool = typer.Option(False, "--force", help="Overwrite starter files that already exist."),
) -> None:
    """Write a commented starter configuration: feeds, rules, entities and channels."""
    write_starter(directory, force=force)
    typer.echo(next_steps(directory))
