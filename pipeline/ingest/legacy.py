"""Legacy Vietnamese encodings: TCVN3 (ABC), VNI-Windows, VISCII and Windows-1258 to Unicode.

Offices still hold text typed before Unicode. It reaches vndoc two ways:

* as **bytes** (a .txt saved by an old editor): :func:`decode_bytes` decodes
  each line with the encoding whose result reads best as Vietnamese;
* as **surface characters** (a DOCX run in ``.VnTime``, a PDF text layer, an
  HTML page declared windows-1252, a UTF-8 file pasted from such a
  document): the font's byte codes arrive as the Latin-1/cp1252 characters
  at those codes, "Céng hßa" for "Cộng hòa". :func:`convert_text` converts
  them back, line by line, so a Unicode body under a TCVN3 header converts
  only the header.

Detection is a score, not a guess from one character: a span is converted
with each encoding, and the conversion wins when its words are valid
Vietnamese syllables (``pipeline/ingest/data/vi_syllables.txt``) clearly more often
than the span's words as they stand. Lines without any character typical of a
legacy encoding are never touched, which keeps the common case (Unicode
text) one set lookup per character.

The tables are data (``pipeline/ingest/data/legacy_encodings.tsv``, built and
documented by ``pipeline/ingest/data/make_legacy_tables.py``); every letter
round-trips (tested). TCVN3 (table VN3) has no uppercase toned letters:
headings were typed with the lowercase bytes in an uppercase font
(``.VnTimeH``), so a converted word whose Latin letters are all uppercase
("CéNG" -> "CỘNG") is uppercased whole, as is every converted word of a
line that is otherwise all uppercase.

Example:
    >>> convert_text("Céng hßa x· héi chñ nghÜa ViÖt Nam")
    ('Cộng hòa xã hội chủ nghĩa Việt Nam', ('tcvn3',))
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from extractors.textnorm import normalize

__all__ = [
    "ENCODINGS",
    "convert_run",
    "convert_span",
    "convert_text",
    "decode",
    "decode_bytes",
    "encode",
    "font_encoding",
    "syllables",
]

DATA = Path(__file__).resolve().parent / "data"
ENCODINGS = ("tcvn3", "vni", "viscii", "cp1258")
_TABLE_ENCODINGS = ("tcvn3", "vni", "viscii")
# What a PDF text layer shows for some .VnTime bytes: 0xAD (ư) is the soft
# hyphen's slot and comes out as U+2212 MINUS SIGN, 0xB7 (ã) as U+2219.
_PDF_SURFACES = {"tcvn3": {"\u2212": 0xAD, "\u2219": 0xB7}}
_VI_LETTERS = frozenset(
    unicodedata.normalize("NFC", b + t)
    for b in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
    for t in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
) | frozenset("đĐ")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class _Table:
    name: str
    decode: dict[str, str]  # surface sequence (1-2 chars) -> Unicode letter
    encode: dict[str, bytes]  # Unicode letter -> legacy bytes
    pattern: re.Pattern[str]  # the surface sequences, longest first
    suspects: frozenset[str]  # surface chars that are not Vietnamese letters


def _surfaces(byte: int, encoding: str) -> set[str]:
    """The characters one legacy byte shows as: Latin-1, and cp1252 where it
    differs (not for VISCII, whose letters at 0x80-0x9F would turn Windows
    quotes and dashes into letters)."""
    out = {bytes([byte]).decode("latin-1")}
    if encoding == "viscii":
        return out
    try:
        out.add(bytes([byte]).decode("cp1252"))
    except UnicodeDecodeError:
        pass
    return out


@cache
def _tables() -> dict[str, _Table]:
    rows: list[list[str]] = []
    for line in (DATA / "legacy_encodings.tsv").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    out: dict[str, _Table] = {}
    for col, name in enumerate(_TABLE_ENCODINGS, start=1):
        dec: dict[str, str] = {}
        enc: dict[str, bytes] = {}
        for row in rows:
            letter = row[0]
            for form in row[col].split():
                flag = form[-1] if form[-1] in "^<" else ""
                raw = bytes.fromhex(form.rstrip("^<"))
                if flag != "<" and letter not in enc:
                    enc[letter] = raw
                if flag == "^":
                    continue
                # Every surface spelling of these bytes decodes to the letter.
                seqs = [""]
                for b in raw:
                    seqs = [s + c for s in seqs for c in sorted(_surfaces(b, name))]
                for s in seqs:
                    if not (name == "viscii" and s == "\xa0"):  # NBSP in text is NBSP
                        dec.setdefault(s, letter)
        for ch, b in _PDF_SURFACES.get(name, {}).items():
            dec[ch] = dec[bytes([b]).decode("latin-1")]
        keys = sorted(dec, key=lambda s: (-len(s), s))
        pattern = re.compile("|".join(re.escape(k) for k in keys))
        suspects = frozenset(c for k in keys for c in k if not c.isascii() and c not in _VI_LETTERS)
        out[name] = _Table(name, dec, enc, pattern, suspects)
    return out


@cache
def _all_suspects() -> frozenset[str]:
    s: set[str] = set()
    for t in _tables().values():
        s |= t.suspects
    # Windows-1258 read as cp1252: the ngã byte, and Đ/đ (the other tone
    # bytes and Ă Ơ Ư are Vietnamese letters: see _CP1258_TONE).
    s |= {"Þ", "Ð", "ð"}
    return frozenset(s)


# Both are searched for whether a pair occurs; each is written from the pair's
# second character, rarer than the vowel before it, so that the engine skips
# to the next one in C (4x faster over a Unicode text); the lookbehind checks the pair.
# Windows-1258 read as cp1252: a tone byte (Ì ì Ò Þ ò) right after a vowel.
_CP1258_TONE = re.compile("[ÌìÒÞò](?<=[aeiouyAEIOUYâêôÂÊÔãõýÃÕÝ][ÌìÒÞò])")
# VNI: pairs Unicode Vietnamese never has: sắc (ù) after a vowel, ă/â/ê/ô
# written "aê", "aâ", "eâ", "oâ" (VNI's other mark bytes are suspects already).
_VNI_MARK = re.compile("[ùÙêÊâÂ](?<=[aeiouyAEIOUYôöÔÖ][ùÙ]|[aA][êÊ]|[aeoAEO][âÂ])")


@cache
def syllables() -> dict[str, int]:
    """Vietnamese syllables (lowercase, NFC) with their corpus counts."""
    out: dict[str, int] = {}
    for line in (DATA / "vi_syllables.txt").read_text("utf-8").splitlines():
        word, _, n = line.partition("\t")
        if word:
            out[word] = int(n or 0)
    return out


# --------------------------------------------------------------------------
# Encoding and decoding one table
# --------------------------------------------------------------------------


def _nfd_cp1258(ch: str) -> str:
    """A letter as Windows-1258 spells it: base (maybe with ^, breve, horn) + tone mark."""
    d = unicodedata.normalize("NFD", ch)
    tone = "".join(c for c in d if c in "\u0300\u0301\u0303\u0309\u0323")
    base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tone))
    return base + tone


_ASCII_FALLBACK = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-",
                                 "…": "...", "\xa0": " "})  # fmt: skip


def encode(text: str, encoding: str) -> bytes:
    """Unicode text in a legacy encoding (for tests and sample files).

    Punctuation outside the table takes its Windows (cp1252) byte, as it did
    in documents typed in these fonts, where that byte is free; VISCII, which
    uses every byte, gets ASCII quotes and dashes instead. Other characters
    the encoding lacks raise :class:`UnicodeEncodeError`.

    Example:
        >>> encode("Sở Tài chính", "tcvn3")
        b'S\\xeb T\\xb5i ch\\xddnh'
    """
    text = unicodedata.normalize("NFC", text)
    if encoding == "cp1258":
        return "".join(_nfd_cp1258(c) if not c.isascii() else c for c in text).encode("cp1258")
    table = _tables()[encoding]
    used = _used_bytes(encoding)
    out = bytearray()
    for i, ch in enumerate(text):
        b = table.encode.get(ch)
        if b is None:
            if ch.isascii():
                b = ch.encode("ascii")
            else:
                try:
                    b = ch.encode("cp1252")
                except UnicodeEncodeError:
                    b = b""
                if not b or b[0] in used:
                    b = (
                        ch.translate(_ASCII_FALLBACK).encode("ascii", errors="strict")
                        if (ch.translate(_ASCII_FALLBACK).isascii())
                        else b""
                    )
                if not b:
                    raise UnicodeEncodeError(encoding, text, i, i + 1, "not in the table")
        out += b
    return bytes(out)


@cache
def _used_bytes(encoding: str) -> frozenset[int]:
    table = _tables()[encoding]
    return frozenset(b for raw in table.encode.values() for b in raw) | frozenset(
        ord(c) for k in table.decode for c in k if ord(c) < 256
    )


_UY_BAN = re.compile(r"\bủy ban\b")


def _fix_case(text: str, converted: frozenset[int]) -> str:
    """Restore the case TCVN3 (VN3) can't store: its toned letters are all lowercase.

    ``converted`` holds the offsets of letters the table produced. A word
    whose Latin letters are uppercase past its first letter ("CéNG") is
    uppercased; so is every converted word of a heading line (all its words
    with converted letters capitalized, none with a lowercase Latin letter:
    "Bé Y TÕ" -> "BỘ Y TẾ"). A word starting with a converted letter is
    capitalized at the start of a line or sentence, and between two
    capitalized words ("Lê ánh Dương" -> "Lê Ánh Dương"); "ủy ban" names a
    body in official text and becomes "Ủy ban".
    """
    words = list(_WORD.finditer(text))
    conv_words = [m for m in words if any(i in converted for i in range(m.start(), m.end()))]
    if not conv_words:
        return text

    def latin(m: re.Match[str]) -> list[str]:
        return [c for c in m[0] if c.isascii()]

    heading = (
        len(conv_words) >= 2
        and all(m[0][0].isupper() or m.start() in converted for m in conv_words)
        and all(not any(c.islower() for c in latin(m)) for m in conv_words)
        and any(m[0][0].isupper() for m in conv_words)
    )
    out = list(text)
    for k, m in enumerate(words):
        if m not in conv_words:
            continue
        word = m[0]
        tail = [c for c in word[1:] if c.isascii()]
        if heading or (len(tail) >= 1 and all(c.isupper() for c in tail) and word[0].isupper()):
            out[m.start() : m.end()] = list(word.upper())
            continue
        if m.start() in converted and word[0].islower():
            before = text[: m.start()].rstrip()
            prev_cap = k > 0 and words[k - 1][0][0].isupper() and before.endswith(words[k - 1][0])
            next_cap = (
                k + 1 < len(words)
                and words[k + 1][0][0].isupper()
                and not text[m.end() : words[k + 1].start()].strip()
            )
            if not before or before[-1] in ".!?" or (prev_cap and next_cap):
                out[m.start()] = word[0].upper()
    return _UY_BAN.sub("Ủy ban", "".join(out))


def convert_span(text: str, encoding: str) -> str:
    """Convert surface characters of one encoding to Unicode (NFC), unconditionally.

    Example:
        >>> convert_span("Sôû Taøi chính", "vni")
        'Sở Tài chính'
    """
    if encoding == "cp1258":
        try:
            raw = text.encode("cp1252")
        except UnicodeEncodeError:
            raw = text.encode("latin-1", errors="ignore")
        return unicodedata.normalize("NFC", raw.decode("cp1258", errors="replace"))
    table = _tables()[encoding]
    if encoding != "tcvn3":
        out = table.pattern.sub(lambda m: table.decode[m[0]], text)
        return unicodedata.normalize("NFC", out)
    parts: list[str] = []
    converted: set[int] = set()
    pos = at = 0
    for m in table.pattern.finditer(text):
        parts.append(text[pos : m.start()])
        at += m.start() - pos
        letter = table.decode[m[0]]
        parts.append(letter)
        if letter.islower() and letter not in "ăâêôơưđ":  # these have VN3 capitals
            converted.add(at)
        at += len(letter)
        pos = m.end()
    parts.append(text[pos:])
    out = "".join(parts)
    if unicodedata.normalize("NFC", out) != out:  # stray combining marks (VN1 0xB0-0xB4)
        return unicodedata.normalize("NFC", out)
    return _fix_case(out, frozenset(converted))


def convert_run(text: str, encoding: str) -> str:
    """Convert a span a font name says is legacy, unless that reads worse.

    Example:
        >>> convert_run("Céng hßa", "tcvn3"), convert_run("Cộng hòa", "tcvn3")
        ('Cộng hòa', 'Cộng hòa')
    """
    converted = convert_span(text, encoding)
    return converted if _score(converted) >= _score(text) else text


def decode(data: bytes, encoding: str) -> str:
    """Decode legacy bytes to Unicode (NFC).

    Example:
        >>> decode(b"S\\xeb T\\xb5i ch\\xddnh", "tcvn3")
        'Sở Tài chính'
    """
    if encoding == "cp1258":
        return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
    if encoding == "viscii":  # one byte, one letter (0xA0 is Õ here, not NBSP)
        table = _viscii_bytes()
        return unicodedata.normalize("NFC", "".join(table[b] for b in data))
    # TCVN3 and VNI leave 0x80-0x9F to Windows punctuation (“ ” … –).
    return convert_span(_cp1252(data), encoding)


@cache
def _viscii_bytes() -> tuple[str, ...]:
    by_byte = [chr(b) for b in range(256)]
    for letter, raw in _tables()["viscii"].encode.items():
        by_byte[raw[0]] = letter
    return tuple(by_byte)


def _cp1252(data: bytes) -> str:
    """cp1252, with Latin-1 for its five undefined bytes."""
    return (
        "".join(
            bytes([b]).decode("cp1252", errors="ignore") or chr(b) if 0x80 <= b < 0xA0 else chr(b)
            for b in data
        )
        if any(0x80 <= b < 0xA0 for b in data)
        else data.decode("latin-1")
    )


# --------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------


def _score(text: str) -> float:
    """How Vietnamese a span reads: +1 per valid non-ASCII word (+0.5 more when
    the corpus uses it), -1 per invalid one, -1 per leftover legacy character."""
    sylls = syllables()
    suspects = _all_suspects()
    score = 0.0
    for m in _WORD.finditer(text):
        word = m[0]
        if word.isascii():
            continue
        n = sylls.get(normalize(word).lower())
        score += -1.0 if n is None else 1.5 if n else 1.0
    score -= sum(1 for c in text if c in suspects or c in "\u2212\u2219")
    return score


# A footnote number: "Chính phủ¹," or "¹ Các Nghị quyết" at a line's start.
# TCVN3 writes "ạ" with the same code point, mostly inside a word ("h¹n"),
# and a TCVN3 line holds other legacy characters besides.
# and a multiplication sign between numbers or spaces ("02 hội nghị/năm × 50").
_FOOTNOTE_MARK = re.compile(
    r"(?<=[\w.,;:)%\"”’])[¹²³⁰⁴-⁹]+(?![^\W\d_])|^[ \t]*[¹²³⁰⁴-⁹]+(?=[ \t])"
    r"|(?<=[\s\d])×(?=[\s\d])",
    re.M,
)

_FOOTNOTE_CHAR = re.compile("[¹²³⁰⁴-⁹×]")  # every match of _FOOTNOTE_MARK holds one


@cache
def _suspect_re() -> re.Pattern[str]:
    """One character class of the non-ASCII suspects: a search in C instead
    of a Python test of every character (a third of reading a text file)."""
    chars = sorted(c for c in _all_suspects() if not c.isascii())
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]")


def has_suspects(text: str) -> bool:
    """True when the text holds a character or pair typical of a legacy encoding
    (a footnote number after a Unicode word is not one).

    Example:
        >>> has_suspects("Chính phủ¹, Thủ tướng"), has_suspects("thêi h¹n")
        (False, True)
    """
    if text.isascii():
        return False
    if _FOOTNOTE_CHAR.search(text):  # else _FOOTNOTE_MARK has nothing to take
        text = _FOOTNOTE_MARK.sub("", text)
    return (
        bool(_suspect_re().search(text))
        or bool(_VNI_MARK.search(text))
        or bool(_CP1258_TONE.search(text))
    )


_UNICODE_VI = re.compile("[ĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9]")
_SUPERSCRIPT = re.compile("[\u00b9\u00b2\u00b3\u2070-\u2079]")


def _merge(span: str, converted: str) -> str:
    """Word by word, the better of the span and its conversion: a Unicode word
    on a legacy line ("Kính gửi: Së Tµi chÝnh") stays as it is, and so does a
    word with a letter no legacy encoding gives (ắ, ộ, ư: "Bộ¹;"), and a
    footnote mark ("¹", TCVN3's "ạ") among such words."""
    a, b = re.split(r"(\s+)", span), re.split(r"(\s+)", converted)
    if len(a) != len(b):
        return converted
    unicode_line = _UNICODE_VI.search(span) is not None
    return "".join(
        x
        if x == y
        or _UNICODE_VI.search(x)
        or (unicode_line and _unicode_word(x))
        or _score(x) > _score(y)
        else y
        for x, y in zip(a, b, strict=True)
    )


def _unicode_word(word: str) -> bool:
    """On a line with letters only Unicode has, a word that already reads as
    Vietnamese ("bè", not TCVN3's "ố"), that carries a footnote mark
    ("chính²", "70%¹⁰;"), or that has no letter ("×")."""
    if _SUPERSCRIPT.search(word):
        return True
    core = "".join(m[0] for m in _WORD.finditer(word))
    if not any(c.isalpha() for c in core):
        return True  # a sign ("×" is not TCVN3's "ì" here), a number
    return normalize(core).lower() in syllables()


def _candidates(span: str, encodings: Iterable[str]) -> tuple[float, dict[str, tuple[float, str]]]:
    """The span's own score and, per encoding that changes it, (score, converted)."""
    base = _score(span)
    out: dict[str, tuple[float, str]] = {}
    for enc in encodings:
        converted = _merge(span, convert_span(span, enc))
        if converted != span:
            out[enc] = (_score(converted), converted)
    return base, out


def _choose(
    base: float, cands: dict[str, tuple[float, str]], dominant: str | None, *, strict: bool = False
) -> tuple[str | None, str | None]:
    """The winning encoding: it must beat the span by a word (the dominant one:
    by anything, or match it when not ``strict``; it wins ties)."""
    best: tuple[float, str | None, str | None] = (0.0, None, None)
    for enc, (s, conv) in cands.items():
        gain = s - base
        if enc == dominant:
            ok = gain > 0 if strict else gain >= 0
            gain += 0.5
        else:
            ok = gain >= 1
        if ok and (best[1] is None or gain > best[0]):
            best = (gain, enc, conv)
    return best[1], best[2]


def best_encoding(
    span: str, *, candidates: Iterable[str] = ENCODINGS, prefer: str | None = None
) -> tuple[str | None, str]:
    """(encoding, converted) for the conversion that reads best, or (None, span).

    Example:
        >>> best_encoding("Sôû Taøi chính")
        ('vni', 'Sở Tài chính')
    """
    if not has_suspects(span):
        return None, span
    base, cands = _candidates(span, candidates)
    enc, conv = _choose(base, cands, prefer)
    return (enc, conv) if enc and conv is not None else (None, span)


# Letters only Unicode Vietnamese has (none is a legacy byte misread as cp1252), and the
# Latin-1 and cp1252 signs that are no Vietnamese letter, which legacy text shows in theirs.
_VIETNAMESE = re.compile("[\u1ea0-\u1ef9ơƠưƯăĂ]")
_LATIN1 = re.compile(
    "[\u00a1-\u00bf\u00c4-\u00c7\u00cb\u00ce-\u00d1\u00d6-\u00d8\u00db\u00dc\u00de\u00df"
    "\u00e4-\u00e7\u00eb\u00ee-\u00f1\u00f6-\u00f8\u00fb\u00fc\u00fe\u00ff"
    "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc]"
)
_PASTED_MIN = 3


def convert_text(text: str, *, hint: str | None = None) -> tuple[str, tuple[str, ...]]:
    """Convert the legacy lines of a text; returns (text, encodings used).

    Every line with a legacy-looking character is scored under each
    encoding. The encoding that wins most lines on its own becomes the
    document's dominant one, which then wins ties and needs no margin, so
    a line of acronyms ("L§VP") in a TCVN3 document converts too, and a
    line two encodings read equally well takes the document's. Then the
    other non-ASCII lines are converted with the dominant encoding where
    that strictly improves them ("Sè:" -> "Số:"). ``hint``
    (from a font name) is the dominant encoding from the start.

    Example:
        >>> convert_text("UBND TØNH B¾C GIANG\\nSở Tài chính")
        ('UBND TỈNH BẮC GIANG\\nSở Tài chính', ('tcvn3',))
    """
    if not hint and not has_suspects(text):
        return text, ()
    lines = text.split("\n")
    scored: dict[int, tuple[float, dict[str, tuple[float, str]]]] = {}
    wins: Counter[str] = Counter()
    for i, line in enumerate(lines):
        if not has_suspects(line):
            continue
        if _VIETNAMESE.search(line) and len(_LATIN1.findall(line)) < _PASTED_MIN:
            # a line already written with Vietnamese letters and a stray Latin-1 letter or
            # two is Unicode with OCR noise ("HUÌNNN", "tUƒT"); a pasted legacy part has more
            # ("Kính gửi: Së Tµi chÝnh chñ tr×")
            continue
        base, cands = _candidates(line, ENCODINGS)
        scored[i] = (base, cands)
        enc, _ = _choose(base, cands, None)
        if enc:
            wins[enc] += 1
    dominant = hint or (wins.most_common(1)[0][0] if wins else None)
    if dominant is None:
        return text, ()
    unicode_lines = sum(1 for i, line in enumerate(lines) if i not in scored and not line.isascii())
    if not hint and sum(wins.values()) * 15 <= unicode_lines:
        # a few odd lines (an OCR'd stamp: "— Nế GiÚz Ae") in a Unicode text
        # many times longer are OCR noise, not a legacy document
        return text, ()
    used: Counter[str] = Counter()
    for i, line in enumerate(lines):
        if i in scored:
            base, cands = scored[i]
            enc, conv = _choose(base, cands, dominant)
        elif not line.isascii():
            # No legacy-looking character, but in a legacy document letters such as
            # "è" (TCVN3 ố) are ambiguous: convert when it strictly reads better.
            base, cands = _candidates(line, (dominant,))
            enc, conv = _choose(base, cands, dominant, strict=True)
        else:
            continue
        if enc and conv is not None:
            lines[i] = conv
            used[enc] += 1
    return "\n".join(lines), tuple(e for e, _n in used.most_common())


# --------------------------------------------------------------------------
# Bytes (text files)
# --------------------------------------------------------------------------


def _mixed_line(raw: bytes, legacy_text: str) -> str | None:
    """The line with each space-separated word that is valid UTF-8 decoded as
    UTF-8, the others taken from ``legacy_text`` (the same line decoded)."""
    raw_words = raw.split(b" ")
    words = legacy_text.split(" ")
    if len(raw_words) != len(words):
        return None
    out = []
    for rw, w in zip(raw_words, words, strict=True):
        out.append(rw.decode("utf-8") if _utf8(rw) and not rw.isascii() else w)
    return " ".join(out)


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_bytes(data: bytes) -> tuple[str, str] | None:
    """Decode non-UTF-8 bytes line by line as UTF-8 or a legacy encoding.

    The encoding that reads the whole file best is the default for every
    line; a valid UTF-8 line stays UTF-8, and a line switches to another
    encoding only when it reads clearly better (two words) that way.
    Returns (text, label): the encoding ("tcvn3") or, for a mixed file,
    the names joined by "+" ("utf-8+tcvn3"); None when no legacy encoding
    reads as Vietnamese (the caller tries others).

    Example:
        >>> decode_bytes("Kính gửi: ".encode() + b"S\\xeb T\\xb5i ch\\xddnh")
        ('Kính gửi: Sở Tài chính', 'utf-8+tcvn3')
    """
    sample = b"\n".join(ln for ln in data[:200_000].split(b"\n") if not _utf8(ln))
    whole = {enc: _score(decode(sample, enc)) for enc in ENCODINGS}
    dominant = max(ENCODINGS, key=lambda e: whole[e])
    if whole[dominant] <= 0:
        return None
    used: Counter[str] = Counter()
    out: list[str] = []
    for raw in data.split(b"\n"):
        try:
            u: str | None = raw.decode("utf-8")
        except UnicodeDecodeError:
            u = None
        if u is not None and u.isascii():
            out.append(u)
            continue
        default = ("utf-8", u) if u is not None else (dominant, decode(raw, dominant))
        best_enc, best_text = default
        best_score = _score(best_text) + 2.0
        for enc in ENCODINGS:
            t = decode(raw, enc)
            s = _score(t)
            if s > best_score:
                best_enc, best_text, best_score = enc, t, s
        if u is None and best_enc != "utf-8":
            # UTF-8 words on a legacy line ("Kính gửi: Së Tµi chÝnh") keep UTF-8.
            mixed = _mixed_line(raw, best_text)
            if mixed is not None and _score(mixed) > _score(best_text):
                used["utf-8"] += 1
                best_text = mixed
        used[best_enc] += 1
        out.append(best_text)
    if not used or set(used) == {"utf-8"}:
        return None
    label = "+".join(sorted(used, key=lambda e: (e != "utf-8", -used[e])))
    return "\n".join(out), label


# --------------------------------------------------------------------------
# Font names (DOCX runs, PDF fonts, HTML font-family)
# --------------------------------------------------------------------------

_FONT_HINTS = (
    (re.compile(r"^vni[-_ ]", re.IGNORECASE), "vni"),  # VNI-Times, VNI-Helve
    (re.compile(r"^\.?vn[a-z]", re.IGNORECASE), "tcvn3"),  # .VnTime, .VnArialH, VnTime
    (re.compile(r"viscii|^vi[ -]", re.IGNORECASE), "viscii"),
)


def font_encoding(font: str | None) -> str | None:
    """The legacy encoding a font name implies, or None.

    Example:
        >>> font_encoding(".VnTimeH"), font_encoding("VNI-Times"), font_encoding("Times New Roman")
        ('tcvn3', 'vni', None)
    """
    if not font:
        return None
    name = font.split("+", 1)[-1].strip()  # PDF subset prefix "ABCDEF+.VnTime"
    for pattern, enc in _FONT_HINTS:
        if pattern.search(name):
            return enc
    return None
