"""One rule's text out of a file that lists several, comments kept: seeding the console
from ``rules.yaml`` gives each rule its own text, and a comment there often records why a
rule is disabled."""

from __future__ import annotations

from typing import Any

from kernel.config_files import parse_yaml, to_plain


def is_comment_or_blank(line: str) -> bool:
    return not line.strip() or line.lstrip().startswith("#")


def split_rules(text: str, source: str) -> dict[str, str] | None:
    """Rule id → that item's lines of a top-level list of rules, dedented, with the comment
    lines just above it. None when the text is not such a list or an item's lines do not
    read back to the same rule (the caller then writes the rule out from its data)."""
    document = parse_yaml(text, source)
    if not isinstance(document, list) or not hasattr(document, "lc"):
        return None
    lines = text.splitlines(keepends=True)
    starts: list[int] = []
    for index in range(len(document)):
        line = document.lc.item(index)[0]
        # The comment lines directly above an item belong to it.
        while line > 0 and (not starts or line - 1 >= starts[-1] + 1) and lines[line - 1].lstrip().startswith("#"):
            line -= 1
        starts.append(line)
    if starts:
        starts[0] = 0  # a file's leading comments go with its first rule
    out: dict[str, str] = {}
    for index, item in enumerate(document):
        plain: Any = to_plain(item)
        if not isinstance(plain, dict) or "id" not in plain:
            return None
        column = document.lc.item(index)[1]
        end = starts[index + 1] if index + 1 < len(document) else len(lines)
        dedented = [dedent(line, column) for line in lines[starts[index] : end]]
        while dedented and not dedented[-1].strip():
            dedented.pop()
        item_text = "".join(dedented)
        if not item_text.endswith("\n"):
            item_text += "\n"
        if to_plain(parse_yaml(item_text, source)) != plain:
            return None
        out[str(plain["id"])] = item_text
    return out


def dedent(line: str, column: int) -> str:
    """``line`` moved ``column`` characters left: the item's ``- `` marker becomes spaces
    first, and a comment indented less than the item loses only its indentation."""
    dash = line.find("- ")
    if 0 <= dash < column and not line[:dash].strip():
        line = line[:dash] + " " * (column - dash) + line[column:]
    indent = len(line) - len(line.lstrip(" "))
    return line[min(indent, column) :]
