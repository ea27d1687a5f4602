"""The XML safety layer in front of feedparser: no DTD reaches a parser that could expand
or fetch it.

The prolog (XML declaration, comments, processing instructions, DOCTYPE) is read by expat,
a real XML parser, which never expands an entity at its declaration and resolves no
external entity when given no handler for them. Its report of each declared entity
decides what happens to the references in the document:

- an internal entity whose value is plain text (or a single character) of bounded length
  is safe: its references are replaced by its value, written as character references,
  as long as the expanded text stays within a total budget;
- parameter entities, external (SYSTEM/PUBLIC) and unparsed entities, and entities whose
  value holds references or markup (the nested expansions of a billion-laughs bomb) are
  refused: their references stay in the text as the literal ``&name;``;
- HTML's named entities (``&nbsp;``, ``&copy;`` in RSS 0.91) become character references.

The DOCTYPE itself is then removed (its PUBLIC id is kept: feedparser tells RSS 0.91
Netscape from Userland by it), so the document handed on needs no DTD. Characters XML
forbids are removed first, so one stray control byte does not send the whole feed to the
loose parser, and the declared encoding becomes UTF-8 (the text is handed on as UTF-8).
CDATA sections and comments are left exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.entities import name2codepoint
from xml.parsers import expat

MAX_ENTITIES = 256
MAX_ENTITY_CHARS = 1024
# Total characters that entity references may add to a document: a bounded value
# referenced a million times must not become a gigabyte.
MAX_EXPANDED_CHARS = 1_000_000

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_DECL = re.compile(r"^(<\?xml[^>]{0,300}?encoding\s*=\s*)([\"'])([A-Za-z0-9._:-]{1,40})\2")
_ENTITY_DECL = re.compile(r"<!ENTITY", re.IGNORECASE)
_PUBLIC_ID = re.compile(r"PUBLIC\s+([\"'])([^\"'<>]{0,200})\1\s*(?:([\"'])([^\"'<>]{0,300})\3)?", re.IGNORECASE)
_ROOT_NAME = re.compile(r"<!DOCTYPE\s+([A-Za-z_][\w.:-]{0,63})", re.IGNORECASE)
_QUOTED_ID = re.compile(r"[^\"'<>]{0,300}")
_BODY_TOKEN = re.compile(r"&([A-Za-z_][A-Za-z0-9._-]{0,63});|<!\[CDATA\[|<!--")
_XML_PREDEFINED = {"amp", "lt", "gt", "quot", "apos"}


@dataclass
class Prolog:
    """What the safety layer needs to know about a document's prolog."""

    root: int  # index of the root element in the text (len(text) when there is none)
    doctype: tuple[int, int] | None = None  # [start, end) of the DOCTYPE declaration
    name: str | None = None  # the DOCTYPE's root element name
    public_id: str | None = None
    system_id: str | None = None
    safe: dict[str, str] = field(default_factory=dict)  # entity name → replacement text
    refused: int = 0  # entity declarations refused (or not understood)


class _RootReached(Exception):
    """Raised from expat's start-element handler: the prolog is read."""


def char_refs(value: str) -> str:
    """``value`` as XML text that is safe in content and in attribute values."""
    return "".join(ch if " " <= ch <= "~" and ch not in "&<>\"'" else f"&#{ord(ch)};" for ch in value)


def _safe_value(is_parameter: int, value: str | None, system_id: str | None, notation: str | None) -> str | None:
    if is_parameter or value is None or system_id or notation or len(value) > MAX_ENTITY_CHARS:
        return None
    if len(value) > 1 and ("&" in value or "<" in value):
        return None
    return value


def _read_with_expat(text: str) -> Prolog | None:
    """The prolog as expat reads it; None when expat cannot read it."""
    lead = len(text) - len(text.lstrip())  # expat refuses whitespace before the declaration
    data = text[lead:].encode("utf-8", errors="replace")
    parser = expat.ParserCreate(encoding="utf-8")  # the text is Unicode whatever it declares
    found: dict[str, int] = {}
    doctype: dict[str, str | None] = {}
    declared: dict[str, str | None] = {}

    def start_doctype(name: str, system_id: str | None, public_id: str | None, _internal: int) -> None:
        found["doctype_at"] = parser.CurrentByteIndex
        doctype.update(name=name, system_id=system_id, public_id=public_id)

    def end_doctype() -> None:
        found["doctype_end"] = parser.CurrentByteIndex + 1  # the index of its closing ">"

    def entity(
        name: str,
        is_parameter: int,
        value: str | None,
        _base: str | None,
        system_id: str | None,
        _public_id: str | None,
        notation: str | None,
    ) -> None:
        if len(declared) < MAX_ENTITIES * 4:
            declared.setdefault(name, _safe_value(is_parameter, value, system_id, notation))

    def start_element(_name: str, _attrs: object) -> None:
        found["root"] = parser.CurrentByteIndex
        raise _RootReached

    parser.StartDoctypeDeclHandler = start_doctype
    parser.EndDoctypeDeclHandler = end_doctype
    parser.EntityDeclHandler = entity
    parser.StartElementHandler = start_element
    try:
        parser.Parse(data, True)
    except _RootReached:
        pass
    except expat.ExpatError:
        if "root" not in found and ("doctype_at" in found) != ("doctype_end" in found):
            return None  # stopped inside the DOCTYPE: its extent is unknown
    if "root" not in found and "doctype_at" not in found:
        return None

    def index(byte_index: int) -> int:
        return lead + len(data[:byte_index].decode("utf-8", errors="replace"))

    if "doctype_at" not in found:
        return Prolog(root=index(found["root"]))
    end = index(found["doctype_end"])
    # Past a well-formed DOCTYPE, a prolog expat could not finish is scanned for its root.
    prolog = Prolog(root=index(found["root"]) if "root" in found else _prolog_end(text, end))
    start = text.rfind("<!DOCTYPE", 0, index(found["doctype_at"]) + 1)
    prolog.doctype = (start, end)
    prolog.name = doctype.get("name")
    prolog.public_id, prolog.system_id = doctype.get("public_id"), doctype.get("system_id")
    safe = {name: value for name, value in declared.items() if value is not None}
    prolog.safe = dict(list(safe.items())[:MAX_ENTITIES])
    prolog.refused = max(0, len(_ENTITY_DECL.findall(text, start, end)) - len(prolog.safe))
    return prolog


def _doctype_end(text: str, start: int) -> int:
    """End of a DOCTYPE declaration, honouring quotes and an internal subset in [...]."""
    depth, quote, pos, n = 0, "", start + 2, len(text)
    while pos < n:
        ch = text[pos]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(0, depth - 1)
        elif ch == ">" and depth == 0:
            return pos + 1
        pos += 1
    return n


def _next_declaration(text: str, pos: int) -> tuple[int, bool]:
    """From ``pos``, skip whitespace, processing instructions and comments: the index of
    what follows and whether it is a DOCTYPE declaration."""
    n = len(text)
    while pos < n:
        while pos < n and text[pos] in " \t\r\n":
            pos += 1
        if text.startswith("<?", pos):
            end = text.find("?>", pos)
            pos = n if end < 0 else end + 2
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos)
            pos = n if end < 0 else end + 3
        else:
            return pos, text[pos : pos + 9].upper() == "<!DOCTYPE"
    return n, False


def _prolog_end(text: str, pos: int) -> int:
    """Index of the root element, scanning from ``pos`` (past any DOCTYPE)."""
    pos, is_doctype = _next_declaration(text, pos)
    while is_doctype:
        pos, is_doctype = _next_declaration(text, _doctype_end(text, pos))
    return pos


def _read_lexically(text: str) -> Prolog:
    """The prolog of a document expat cannot read: a scan of declarations, comments and
    processing instructions at the top level (never inside a comment); every entity
    declaration is refused."""
    start, is_doctype = _next_declaration(text, 0)
    if not is_doctype:
        return Prolog(root=start)
    end = _doctype_end(text, start)
    declaration = text[start:end]
    name = _ROOT_NAME.match(declaration)
    public = _PUBLIC_ID.search(declaration.split("[", 1)[0])
    return Prolog(
        root=_prolog_end(text, end),
        doctype=(start, end),
        name=name.group(1) if name else None,
        public_id=public.group(2) if public else None,
        system_id=public.group(4) if public else None,
        refused=len(_ENTITY_DECL.findall(declaration)),
    )


def _kept_doctype(prolog: Prolog) -> str:
    """The DOCTYPE without its internal subset, when it names a PUBLIC id (RSS 0.91)."""
    if not (prolog.name and prolog.public_id and re.fullmatch(r"[\w.:-]{1,64}", prolog.name)):
        return ""
    if not (_QUOTED_ID.fullmatch(prolog.public_id) and _QUOTED_ID.fullmatch(prolog.system_id or "")):
        return ""
    system = f' "{prolog.system_id}"' if prolog.system_id else ""
    return f'<!DOCTYPE {prolog.name} PUBLIC "{prolog.public_id}"{system}>'


def _resolve_references(body: str, safe: dict[str, str], problems: list[str]) -> str:
    """Entity references in ``body`` (outside CDATA sections and comments) → text that
    needs no DTD: safe declared entities expanded, HTML's named ones as character
    references, every other one escaped so that it reads as the literal ``&name;``."""
    out: list[str] = []
    pos, budget, over_budget = 0, MAX_EXPANDED_CHARS, False
    while True:
        match = _BODY_TOKEN.search(body, pos)
        if match is None:
            break
        token = match.group(0)
        if token in ("<![CDATA[", "<!--"):
            end = body.find("]]>" if token == "<![CDATA[" else "-->", match.end())
            end = len(body) if end < 0 else end + 3
            out.append(body[pos:end])
            pos = end
            continue
        out.append(body[pos : match.start()])
        pos = match.end()
        name = match.group(1)
        if name in _XML_PREDEFINED:
            out.append(token)
        elif name in safe and len(safe[name]) <= budget:
            budget -= len(safe[name])
            out.append(char_refs(safe[name]))
        elif name in name2codepoint and name not in safe:
            out.append(f"&#{name2codepoint[name]};")
        else:
            over_budget = over_budget or name in safe
            out.append(f"&amp;{name};")
    out.append(body[pos:])
    if over_budget:
        problems.append(f"entity references beyond {MAX_EXPANDED_CHARS} expanded characters left unexpanded")
    return "".join(out)


def harden_xml(text: str) -> tuple[str, list[str]]:
    """``text`` made safe for an XML parser (see the module): ``(document, problems)``."""
    problems: list[str] = []
    text = text.lstrip("\ufeff")
    if _XML_ILLEGAL.search(text):
        text = _XML_ILLEGAL.sub("", text)
        problems.append("removed characters not allowed in XML")
    prolog = _read_with_expat(text) or _read_lexically(text)
    head = text[: prolog.root]
    if prolog.doctype is not None:
        start, end = prolog.doctype
        head = head[:start] + _kept_doctype(prolog) + head[end:]
        if prolog.refused:
            problems.append(f"dropped {prolog.refused} unsafe entity declaration(s)")
    head = _XML_DECL.sub(lambda m: f"{m.group(1)}{m.group(2)}utf-8{m.group(2)}", head, count=1)
    return head + _resolve_references(text[prolog.root :], prolog.safe, problems), problems
