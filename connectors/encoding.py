"""Feed bodies → text, decoded once, never raising.

In order: a BOM; the XML auto-detection signatures (UTF-16/32, EBCDIC); the HTTP charset,
the XML declaration and UTF-8, each only if the whole body decodes with it; then UTF-8
with the bad bytes replaced when the body is UTF-8 but for a few bytes (one stray byte
must not turn an Arabic feed into mojibake); only then a guess for undeclared legacy
bytes: windows-1256 or ISO-8859-6 when they read as Arabic, charset-normalizer's answer
for other non-Latin scripts (Big5, EUC-JP, EUC-KR, GB2312, KOI8-R, Shift_JIS …), and
windows-1252 for Latin text, as feedparser would (short Latin texts are where detectors
disagree most).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

_XML_DECL_BYTES = re.compile(rb"^<\?xml[^>]{0,300}?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]{1,40})", re.IGNORECASE)
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
# Latin-1 defaults servers send when nobody configured a charset; an explicit XML
# declaration is more trustworthy than these.
_WEAK_CHARSETS = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252", "cp1252"}
_NON_ASCII_BYTES = bytes(range(128, 256))
_REPLACEMENT_UTF8 = "\ufffd".encode()
# Legacy multi-byte text forms a valid UTF-8 sequence now and then (at most one for every
# three invalid ones in Big5, GB2312, EUC and Shift_JIS samples); UTF-8 with a few bad
# bytes has hundreds of valid sequences for each bad one.
MIN_VALID_PER_INVALID = 4
# charset-normalizer reads a few chunks of this size, not the whole body.
DETECTION_SAMPLE_BYTES = 64 * 1024
# What detection may answer: the legacy encodings of non-Latin scripts that feeds still
# use undeclared. charset-normalizer also proposes rare code pages (cp1125, mac_cyrillic …)
# for line noise; those are not taken.
DETECTED_ENCODINGS = (
    "big5 big5hkscs gb2312 gbk gb18030 euc_jp euc_jis_2004 euc_jisx0213 shift_jis cp932 shift_jis_2004 "
    "shift_jisx0213 euc_kr cp949 koi8_r koi8_u cp1251 iso8859_5 cp866 cp1253 iso8859_7 cp1255 iso8859_8 "
    "tis_620 cp874 iso8859_11"
).split()

_BOMS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
_XML_SIGNATURES = (
    (b"\x00\x00\x00\x3c", "utf-32-be"),
    (b"\x3c\x00\x00\x00", "utf-32-le"),
    (b"\x00\x3c\x00\x3f", "utf-16-be"),
    (b"\x3c\x00\x3f\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp037"),  # "<?xm" in EBCDIC
)


def codec_name(name: str | None) -> str | None:
    """Python's canonical name of an encoding label, or None when it names none."""
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except (LookupError, ValueError):
        return None


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError, ValueError):
        return None


def mostly_utf8(body: bytes) -> str | None:
    """``body`` decoded as UTF-8 with its bad bytes replaced, when it is UTF-8 but for a
    few bytes; None when the bytes look like another encoding."""
    text = body.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - body.count(_REPLACEMENT_UTF8)
    # ASCII bytes decode to themselves (a bad byte never swallows one), so every other
    # character is a multi-byte sequence, valid or replaced.
    ascii_chars = len(body.translate(None, _NON_ASCII_BYTES))
    valid = len(text) - ascii_chars - invalid
    if valid and valid >= MIN_VALID_PER_INVALID * invalid:
        return text
    return None


def _arabic_code_page(body: bytes) -> str | None:
    """windows-1256 or ISO-8859-6 when the bytes read as Arabic in one of them. The article
    "ال" is the most frequent Arabic bigram and the two code pages place its lam
    differently, which separates them reliably."""
    best, best_score = None, 0
    for encoding in ("cp1256", "iso8859_6"):
        text = _strict(body, encoding)
        if text is None:
            continue
        non_ascii = sum(1 for ch in text if ord(ch) > 127)
        arabic = len(_ARABIC_LETTER.findall(text))
        if not non_ascii or arabic * 2 < non_ascii:
            continue
        score = text.count("ال") * 4 + arabic
        if text.count("ال") and score > best_score:
            best, best_score = encoding, score
    return codec_name(best)


def _is_latin_script(text: str) -> bool:
    """Whether most letters beyond ASCII in ``text`` are Latin ones."""
    letters = [ch for ch in text if ord(ch) > 127 and ch.isalpha()]
    latin = sum(1 for ch in letters if unicodedata.name(ch, "").startswith("LATIN"))
    return not letters or latin * 2 >= len(letters)


def _detected_non_latin(body: bytes) -> str | None:
    """charset-normalizer's encoding for ``body`` when it reads as a non-Latin script."""
    best = from_bytes(body[: DETECTION_SAMPLE_BYTES * 4], steps=4, chunk_size=DETECTION_SAMPLE_BYTES // 8).best()
    if best is None:
        return None
    encoding = codec_name(best.encoding)
    if encoding is None or encoding not in {codec_name(name) for name in DETECTED_ENCODINGS}:
        return None
    text = _strict(body, encoding)
    if text is None or _is_latin_script(text):
        return None
    return encoding


def guess_legacy_encoding(body: bytes) -> str:
    """The encoding of undeclared bytes that are not UTF-8: an Arabic code page, another
    non-Latin legacy encoding detected by charset-normalizer, else windows-1252."""
    return _arabic_code_page(body) or _detected_non_latin(body) or codecs.lookup("cp1252").name


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` of a feed body; never raises (undecodable bytes are replaced)."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace"), encoding
    for signature, encoding in _XML_SIGNATURES:
        if body.startswith(signature):
            return body.decode(encoding, errors="replace"), encoding
    header = codec_name((_CHARSET.search(content_type or "") or [None, None])[1])
    decl_match = _XML_DECL_BYTES.match(body.lstrip()[:400])
    declared = codec_name(decl_match.group(1).decode("ascii")) if decl_match else None
    if declared in ("utf-16", "utf-32"):  # a UTF-16 declaration in ASCII bytes is a lie
        declared = None
    candidates = []
    if header and not (declared and header in {codec_name(n) for n in _WEAK_CHARSETS}):
        candidates.append(header)
    candidates += [c for c in (declared, header, "utf-8") if c]
    for encoding in dict.fromkeys(candidates):
        text = _strict(body, encoding)
        if text is not None:
            return text, encoding
    text = mostly_utf8(body)
    if text is not None:
        return text, "utf-8"
    encoding = guess_legacy_encoding(body)
    return body.decode(encoding, errors="replace"), encoding
