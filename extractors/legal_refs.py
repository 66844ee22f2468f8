"""Legal references: citations of laws, decrees, decisions and letters.

The grammar is the numbering of Nghị định 30/2020/NĐ-CP, kept as data in
``data/legal_refs.yaml``: normative "35/2022/NĐ-CP", administrative
"707/UBND-KT", Party "68-NQ/TW", plus pinpoints ("khoản 4 Điều 9"), attached
dates, named laws ("Luật Đầu tư năm 2020") and short forms that repeat an
earlier citation ("Nghị định 35"). Type words and symbol codes come from
``data/doc_types.yaml``, issuing bodies from ``data/issuers.yaml``.

Patterns run on the folded text (:func:`extractors.textnorm.fold`, one
character per character), so missing accents and typos such as "Chị thị"
still match and every offset is an offset into ``Document.text``.

Choices:
    * ``canonical`` is ``f"{type} {number}"`` ("Nghị định 35/2022/NĐ-CP").
      A named law is ``"Luật <name as in the gazetteer>"`` plus its year when
      the text gives one ("Luật Đầu tư 2020"; "Luật Đất đai" without one),
      even when the text also gives its number.
    * When the type word and the symbol code disagree, the word wins and the
      code is corrected ("Nghị định số 35/2022/QĐ-CP" -> "35/2022/NĐ-CP").
    * "văn bản số X" takes its type from the symbol code (/BC- Báo cáo,
      /TB- Thông báo, /QĐ- Quyết định ...), else Công văn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict

from extractors.dates import DateForm, parse_date
from extractors.model import Document, LegalRef, Pinpoint
from extractors.rules import (
    CompiledRule,
    fold_pattern,
    folded_rules,
    load_model,
    pattern_table,
    rule_family,
)
from extractors.spans import SpanSet, filter_spans
from extractors.textnorm import fold, normalize_query

TABLE = "legal_refs.yaml"


class DocType(BaseModel):
    """One row of ``doc_types.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    codes: list[str] = []
    aliases: list[str] = []
    normative: bool = False
    examples: list[str] = []


class DocTypeTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = ""
    rows: list[DocType]


class Issuer(BaseModel):
    """One row of ``issuers.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    codes: list[str]
    name: str
    numbered: bool = False
    examples: list[str] = []


class IssuerTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = ""
    rows: list[Issuer]


# -- shared helpers (the deadline extractor matches the same way) -----------


def _key(text: str) -> str:
    return " ".join(fold(text).split())


# The issue date attached to a citation (the rows' {date} fragment, folded):
# "28/5/2022", "16-8-2021", "09 tháng 9 năm 2020".
CITED_DATE = (
    DateForm(re.compile(r"(\d{1,2})\s?[/.-]\s?(\d{1,2})\s?[/.-]\s?(\d{4})"), 1, 2, 3, folded=True),
    DateForm(re.compile(r"(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})"), 1, 2, 3, folded=True),
)


# -- gazetteers --------------------------------------------------------------


@cache
def doc_types() -> tuple[DocType, ...]:
    """The rows of ``doc_types.yaml``, validated."""
    return tuple(load_model("doc_types.yaml", DocTypeTable).rows)


def __getattr__(name: str) -> Any:
    # DOC_TYPES loads lazily, so importing this module reads no file.
    if name == "DOC_TYPES":
        return doc_types()
    raise AttributeError(name)


def doc_type_names() -> list[str]:
    """Canonical type names ("Nghị định", "Công văn", ...) in table order."""
    return [row.name for row in doc_types()]


@cache
def _code_index() -> tuple[dict[str, str], dict[str, str]]:
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    for primary in (True, False):  # a code belongs to the row listing it first
        for row in doc_types():
            for code in row.codes[:1] if primary else row.codes[1:]:
                exact.setdefault(code, row.name)
                folded.setdefault(fold(code), row.name)
    return exact, folded


def doc_type_for_code(code: str) -> str | None:
    """The type a symbol code stands for, exact first, then accent-blind.

    Example:
        >>> doc_type_for_code("NĐ"), doc_type_for_code("QH15")
        ('Nghị định', None)
    """
    exact, folded = _code_index()
    return exact.get(code) or folded.get(fold(code))


@cache
def _type_by_word() -> dict[str, str]:
    out: dict[str, str] = {}
    for row in doc_types():
        for word in (row.name, *row.aliases):
            out.setdefault(_key(word), row.name)
    return out


@cache
def _type_words_longest_first() -> tuple[str, ...]:
    return tuple(sorted(_type_by_word(), key=len, reverse=True))


@cache
def _type_codes(type_name: str) -> tuple[str, ...]:
    for row in doc_types():
        if row.name == type_name:
            return tuple(row.codes)
    return ()


@cache
def _issuer_index() -> tuple[dict[str, Issuer], dict[str, Issuer]]:
    exact: dict[str, Issuer] = {}
    folded: dict[str, Issuer] = {}
    for row in load_model("issuers.yaml", IssuerTable).rows:
        for code in row.codes:
            exact.setdefault(code, row)
            folded.setdefault(fold(code), row)
    return exact, folded


def _issuer_row(code: str) -> Issuer | None:
    exact, folded = _issuer_index()
    row = exact.get(code) or folded.get(fold(code))
    if row is None and (m := re.fullmatch(r"(\D+)\d{1,3}", code)):
        stem = exact.get(m.group(1)) or folded.get(fold(m.group(1)))
        row = stem if stem is not None and stem.numbered else None
    return row


def issuer_for_code(code: str) -> str | None:
    """The issuing body a symbol code stands for.

    Example:
        >>> issuer_for_code("CP"), issuer_for_code("QH15")
        ('Chính phủ', 'Quốc hội')
    """
    row = _issuer_row(code)
    return row.name if row else None


def _canon_issuer_code(code: str) -> str:
    """Canonical spelling of a known issuer code ("hdnd" -> "HĐND")."""
    exact, folded = _issuer_index()
    if code in exact:
        return code
    row = folded.get(fold(code))
    if row is None:
        return code
    return next(c for c in row.codes if fold(c) == fold(code))


# -- symbols ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Symbol:
    """A parsed number-symbol ("35/2022/NĐ-CP": type code NĐ, issuer CP)."""

    number: str
    type_code: str | None
    issuer_code: str | None


_NORMATIVE = re.compile(r"(\d+(?:\.\d+)?/\d{4}/)(.+)")
# The Party Central Committee: its symbols read "27-NQ/TW", also when a text
# writes "27/NQ-TW" (a provincial committee's "26/CT-TU" is kept as written)
_PARTY_ISSUERS = frozenset({"TW", "TƯ"})
_PARTY = re.compile(r"(\d+)([- ])([^/]+)/(.+)")
_ADMIN = re.compile(r"(\d+/)(.+)")
# The spaces on either side of a symbol's separator ("35/2022/ QĐ - CP"): dropping
# them is re.sub(r"\s*([/:-])\s*", r"\1", s) with a literal replacement (a
# template costs a Python call per separator)
_SEP_SPACES = re.compile(r"\s+(?=[/:-])|(?<=[/:-])\s+")
_STANDARD_SEP_SPACES = re.compile(r"\s+(?=[:/])|(?<=[:/])\s+")  # a standard's "TCVN 5574 : 2018"


def _fix_code(code: str, type_name: str | None) -> str:
    """Make the type code agree with the type word: the word wins."""
    codes = _type_codes(type_name) if type_name else ()
    if not codes:
        return code
    for own in codes:
        if fold(own) == fold(code):
            return own  # "ND" -> "NĐ"
    return codes[0]  # "Nghị định ... /QĐ-CP" -> NĐ


def parse_symbol(raw: str, type_name: str | None = None) -> Symbol:
    """Parse and clean a symbol; ``type_name`` (the word) fixes the code.

    Example:
        >>> parse_symbol("35/2022/ QĐ-CP", "Nghị định").number
        '35/2022/NĐ-CP'
    """
    s = " ".join(_SEP_SPACES.sub("", raw).split())
    if m := _PARTY.fullmatch(s):
        number, sep, code, issuer = m.groups()
        party_code = None
        if doc_type_for_code(code):
            code = party_code = _fix_code(code, type_name)
        segs = issuer.split("-")
        segs[0] = _canon_issuer_code(segs[0])
        return Symbol(f"{number}{sep}{code}/{'-'.join(segs)}", party_code, segs[0])
    m = _NORMATIVE.fullmatch(s) or _ADMIN.fullmatch(s)
    if m is None:
        return Symbol(s, None, None)
    head, segs = m.group(1), m.group(2).split("-")
    type_code = None
    if doc_type_for_code(segs[0]) and (len(segs) > 1 or type_name):
        segs[0] = type_code = _fix_code(segs[0], type_name)
        rest = 1
    else:
        rest = 0
    if len(segs) > rest:
        segs[rest] = _canon_issuer_code(segs[rest])
    issuer = segs[rest] if len(segs) > rest else None
    if type_code and rest == 1 and len(segs) == 2 and issuer in _PARTY_ISSUERS and m.re is _ADMIN:
        return Symbol(f"{head[:-1]}-{type_code}/{issuer}", type_code, issuer)  # "27/NQ-TW"
    return Symbol(head + "-".join(segs), type_code, issuer)


# -- compiled rows --------------------------------------------------------------


@cache
def law_names() -> dict[str, str]:
    """Folded law name -> the gazetteer spelling ("dat dai" -> "Đất đai")."""
    frag = pattern_table(TABLE).fragments["law_name"]
    out: dict[str, str] = {}
    for line in frag.splitlines():
        name = line.split("#")[0].strip().lstrip("|").strip()
        if name and name not in ("(?:", ")"):
            name = name.replace("\\ ", " ")
            out[_key(name)] = name
    # initials stand for the name written after them: "PCTN  # Phòng, chống tham nhũng"
    for line in pattern_table(TABLE).fragments["law_abbrev"].splitlines():
        if "#" in line:
            abbrev, name = (part.strip().lstrip("|").strip() for part in line.split("#", 1))
            out[_key(abbrev.replace("\\ ", " "))] = name
    return out


# -- building one reference -----------------------------------------------------

_PIN_TOKEN = re.compile(
    r"(?P<item>\d{1,4}[a-z]?(?![a-z])|(?<![a-z])[a-z](?![a-z]))|(?P<range>\bden\b|\btoi\b|-)"
)


def _pin_value(m: re.Match[str], group: str, text: str) -> str | None:
    if m.group(group) is None:
        return None
    start, end = m.span(group)
    folded = m.group(group).split(" ", 1)[1]  # (match text) drop "dieu"/"khoan"/"diem"
    offset = end - len(folded)
    groups: list[str] = []
    ranged = False
    for tok in _PIN_TOKEN.finditer(folded):
        if tok.group("range"):
            ranged = bool(groups)
            continue
        value = text[offset + tok.start() : offset + tok.end()]
        if ranged:
            groups[-1] = f"{groups[-1]}-{value}"
            ranged = False
        else:
            groups.append(value)
    return ", ".join(groups) or None


_PIN_UNIT = re.compile(
    r"(?P<unit>điểm|khoản|điều)\s+(?P<values>[^\s].*?)(?=\s+(?:điểm|khoản|điều)\s|$)"
)


_PIN_TAIL = re.compile(r"(?:\s?,\s?(?:và)?|\s+(và|hoặc|đến|tới)|\s?(-))\s*$")
_PIN_SEP = re.compile(r"\s?,\s?(?:và\s+)?|\s+(?:và|hoặc)\s+")
_PIN_RANGE = re.compile(r"\s*(?:đến|tới)\s*|\s?-\s?")


def _pinpoint_chain(m: re.Match[str], text: str) -> tuple[Pinpoint, ...]:
    """Each pinpoint of a chain, in order ("khoản 4 Điều 14 và Điều 27" gives
    ("14", "4", None) and ("27", None, None)); () unless there are two or more.

    A point or clause belongs to the first article after it; an article list
    ("Điều 38, Điều 39", "Điều 3, 4") gives one pinpoint per article, a range
    ("Điều 5 đến Điều 7") one, and a clause list of one article ("khoản 1, khoản
    2 Điều 10", "khoản 1, 2 Điều 10") one per clause."""
    if m.groupdict().get("article") is None:
        return ()
    start = m.start()
    end = m.end("article")
    words = text[start:end].lower()
    out: list[Pinpoint] = []
    point: str | None = None
    clause: str | None = None
    range_from: str | None = None  # "Điều 7 đến" waits for its end
    for u in _PIN_UNIT.finditer(words):
        raw = u.group("values").strip()
        tail = _PIN_TAIL.search(raw)
        ranged = tail is not None and tail.group(1) in ("đến", "tới", "-")
        values = raw[: tail.start()] if tail else raw
        vs = start + u.start("values")
        items = [v for v in _PIN_SEP.split(text[vs : vs + len(values)]) if v]
        if u.group("unit") == "điểm":
            point = ", ".join(items)
        elif u.group("unit") == "khoản":
            # "khoản 3, khoản 4 Điều 8": the clauses before one article add up
            clause = ", ".join([*([clause] if clause else []), *items])
        else:
            if re.search(r"\s+(?:đến|tới)\s+|\s?-\s?", values):
                items = [_PIN_RANGE.sub("-", values)]  # "Điều 5 - 7", "Điều 5 đến 7"
            if range_from is not None and items:
                items[0] = f"{range_from}-{items[0]}"
                range_from = None
            if ranged and items:
                range_from = items.pop()
            for i, a in enumerate(items):
                if i == 0 and clause and "," in clause:
                    # "khoản 1, khoản 2 Điều 10": one pinpoint per clause of the article
                    for j, c in enumerate(v.strip() for v in clause.split(",")):
                        out.append(Pinpoint(a, c, point if j == 0 else None))
                    continue
                out.append(Pinpoint(a, clause if i == 0 else None, point if i == 0 else None))
            if items:
                point = clause = None
    return tuple(out) if len(out) > 1 else ()


def _type_from_word(word: str) -> str | None:
    key = _key(word)
    if key in _type_by_word():
        return _type_by_word()[key]
    # an abbreviation ("NĐ 31/2021/NĐ-CP"): upper case only
    return doc_type_for_code(word) if word.isupper() else None


def _build(
    rule: CompiledRule, m: re.Match[str], text: str, mt: str, prev_end: int
) -> LegalRef | None:
    data = rule.row.data
    groups = m.groupdict()
    type_word = groups.get("type")
    type_start = m.start("type") if type_word is not None else m.start()
    if data.get("require_capital") and not text[type_start].isupper():
        return None
    if data.get("law_capital") and not text[m.start("law")].isupper():
        return None  # "Luật này năm 2015": a name starts with a capital
    symbol_raw = text[m.start("symbol") : m.end("symbol")] if groups.get("symbol") else None
    infer = bool(data.get("infer_type"))
    if data.get("standard"):
        type_name: str | None = text[m.start("type") : m.end("type")].upper()
    elif infer:
        type_name = None
    else:
        type_name = _type_from_word(text[m.start("type") : m.end("type")])
        if type_name is None:
            return None
    sym = parse_symbol(symbol_raw, type_name) if symbol_raw and not data.get("standard") else None
    if (
        sym
        and not _NORMATIVE.fullmatch(sym.number)
        and not any(c.isupper() for c in symbol_raw or "")
    ):
        return None  # "số 5/ngày": an administrative or Party symbol is written in capitals
    if infer:
        if sym is None or (sym.type_code is None and data.get("require_type_code")):
            return None
        type_name = (sym.type_code and doc_type_for_code(sym.type_code)) or "Công văn"
        if sym.type_code is None:
            window = mt[max(prev_end, m.start() - 250) : m.start()]
            for cue in data.get("context", []):
                if re.search(_fold_re(cue["before"]), window):
                    type_name = cue["type"]
                    break
    if type_name is None:
        return None
    number = sym.number if sym else None
    if data.get("standard") and symbol_raw:
        number = _STANDARD_SEP_SPACES.sub("", " ".join(symbol_raw.split())).upper()
    ref_date = parse_date(groups["date"], CITED_DATE) if groups.get("date") else None
    issuer = data.get("issuer") or (
        issuer_for_code(sym.issuer_code) if sym and sym.issuer_code else None
    )
    if groups.get("law") and type_name == "Pháp lệnh":
        issuer = "Ủy ban Thường vụ Quốc hội"  # ordinances are the Standing Committee's
    if groups.get("law"):
        law_text = " ".join(text[m.start("law") : m.end("law")].split())
        name = law_names().get(_key(law_text), law_text)
        year = groups.get("year") or (ref_date or "")[:4] or (number or "/").split("/")[1][:4]
        canonical = f"{type_name} {name}" + (f" {year}" if year.isdigit() else "")
    else:
        canonical = f"{type_name} {number}"
    pins = _pinpoint_chain(m, text) if "article" in groups else ()
    article = _pin_value(m, "article", text) if "article" in groups else None
    return LegalRef(
        text=text[m.start() : m.end()],
        start=m.start(),
        end=m.end(),
        type=type_name,
        number=number,
        canonical=canonical,
        article=", ".join(dict.fromkeys(str(p.article) for p in pins)) if pins else article,
        clause=_pin_value(m, "clause", text) if "clause" in groups else None,
        point=_pin_value(m, "point", text) if "point" in groups else None,
        date=ref_date,
        issuer=issuer,
        rule_id=rule.row.id,
        pinpoints=pins,
    )


@cache
def _fold_re(pattern: str) -> re.Pattern[str]:
    return re.compile(fold_pattern(pattern), re.IGNORECASE)


def _short(
    rule: CompiledRule, m: re.Match[str], text: str, earlier: list[LegalRef]
) -> LegalRef | None:
    type_name = _type_from_word(text[m.start("type") : m.end("type")])
    short = re.sub(r"\s", "", m.group("short"))
    for ref in reversed(earlier):
        if ref.type != type_name or ref.number is None or ref.start >= m.start():
            continue
        if ref.number == short or ref.number.startswith((short + "/", short + "-")):
            return LegalRef(
                text=text[m.start() : m.end()],
                start=m.start(),
                end=m.end(),
                type=ref.type,
                number=ref.number,
                canonical=ref.canonical,
                article=_pin_value(m, "article", text),
                clause=_pin_value(m, "clause", text),
                point=_pin_value(m, "point", text),
                date=parse_date(m.group("date"), CITED_DATE) if m.group("date") else None,
                issuer=ref.issuer,
                rule_id=rule.row.id,
                pinpoints=_pinpoint_chain(m, text),
            )
    return None


def _number_only(rule: CompiledRule, m: re.Match[str], text: str) -> LegalRef | None:
    """ "Công văn số 3027": the type and the number, no symbol."""
    type_name = _type_from_word(text[m.start("type") : m.end("type")])
    if type_name is None:
        return None
    number = m.group("short")
    return LegalRef(
        text=text[m.start() : m.end()],
        start=m.start(),
        end=m.end(),
        type=type_name,
        number=number,
        canonical=f"{type_name} {number}",
        date=parse_date(m.group("date"), CITED_DATE) if m.group("date") else None,
        rule_id=rule.row.id,
    )


def find_legal_refs(doc: Document, *, own_number: str | None = None) -> list[LegalRef]:
    """Every citation in ``doc``, sorted by start and non-overlapping.

    Args:
        doc: the cleaned document.
        own_number: the document's own number-symbol, left out of the result.

    Returns:
        One ``LegalRef`` per mention (a repeated citation appears each time).

    Example:
        >>> text = "theo khoản 4 Điều 9 Nghị định số 35/2022/QĐ-CP ngày 28/5/2022"
        >>> [r.canonical for r in find_legal_refs(Document("t", "t", text))]
        ['Nghị định 35/2022/NĐ-CP']
    """
    text = doc.text
    mt = doc.match_text
    # run whole: their cores ("so", "/", digits) are all over most texts
    rules = list(zip(folded_rules(TABLE), rule_family(TABLE).finditer_whole(mt), strict=True))
    first = [(r, ms) for r, ms in rules if r.row.data.get("stage", 1) == 1]
    later = [r for r, _ms in rules if r.row.data.get("stage", 1) == 2]
    later_matches = [ms for r, ms in rules if r.row.data.get("stage", 1) == 2]
    found: list[LegalRef] = []
    for rule, matches in first:
        for m in matches:
            ref = _build(rule, m, text, mt, 0)
            if ref is not None:
                found.append(ref)
    accepted = filter_spans(found)
    taken = SpanSet()
    for r in accepted:
        taken.add(r.start, r.end)
    # Stage 2, in text order: list items chain on what precedes them.
    hits = sorted(
        ((m.start(), i, m) for i, ms in enumerate(later_matches) for m in ms),
        key=lambda h: (h[0], h[1]),
    )
    for _, i, m in hits:
        rule = later[i]
        if not taken.free(m.start(), m.end()):
            continue
        n_before = taken.before(m.start())
        prev = accepted[n_before - 1] if n_before else None
        if rule.row.data.get("short"):
            ref = _short(rule, m, text, accepted[:n_before][-50:])
        elif rule.row.data.get("number_only"):
            ref = _number_only(rule, m, text)
        else:
            gap = mt[prev.end : m.start()] if prev else ""
            chained = prev is not None and bool(_fold_re(rule.row.data["chain"]).search(gap))
            lead = _fold_re(rule.row.data["lead"]).search(mt[max(0, m.start() - 60) : m.start()])
            if not (chained or lead):
                continue
            ref = _build(rule, m, text, mt, prev.end if prev else 0)
            if ref is not None and chained and prev is not None:
                sym = parse_symbol(m.group("symbol"))
                if sym.type_code is None and prev.type not in ("TCVN", "QCVN"):
                    ref = _retype(ref, prev.type)
        if ref is not None:
            accepted.insert(taken.add(ref.start, ref.end), ref)
    accepted = _without_footnote_marks(_resolve_numbers(accepted), text)
    own = _number_key(own_number) if own_number else None
    return [r for r in accepted if own is None or r.number is None or _number_key(r.number) != own]


# A pre-2004 symbol: number, issuer code, "/", unit ("1132 TM/CSTNTN", "817 BNN/KH").
_LEGACY_SYMBOL = re.compile(r"(\d+)\s+([^\W\d_]{1,8})/([^\W_][\w&.]*(?:-[\w&.]+)*)")
# A normative number cited without its year: "Nghị định số 53/NĐ-CP".
_NO_YEAR = re.compile(r"(\d+)/([^\W\d_][\w&.]*-[\w&.-]+)")


def _resolve_numbers(refs: list[LegalRef]) -> list[LegalRef]:
    """Write a legacy symbol the modern way ("817 BNN/KH" -> "817/BNN-KH") and
    give a number cited without its year ("Nghị định số 53/NĐ-CP") the full
    number of the same instrument cited earlier ("53/2006/NĐ-CP")."""
    out: list[LegalRef] = []
    for r in refs:
        if r.number:
            legacy = _LEGACY_SYMBOL.fullmatch(r.number)
            if legacy:
                n, code, unit = legacy.groups()
                r = replace(r, number=f"{n}/{code.upper()}-{unit}")
                r = replace(r, canonical=f"{r.type} {r.number}")
            short = _NO_YEAR.fullmatch(r.number) if r.number else None
            if short:
                n, code = short.groups()
                full = next(
                    (
                        e
                        for e in out
                        if e.type == r.type and e.number and _with_year(e.number, n, code)
                    ),
                    None,
                )
                if full is not None:
                    r = replace(r, number=full.number, canonical=full.canonical)
        out.append(r)
    return out


def _with_year(number: str, n: str, code: str) -> bool:
    """Whether ``number`` is ``n/YYYY/code`` with a year of 19xx or 20xx (what
    ``re.fullmatch(rf"{n}/(?:19|20)\\d\\d/{re.escape(code)}", number)`` tells,
    without compiling a pattern for every pair).

    Example:
        >>> _with_year("53/2006/NĐ-CP", "53", "NĐ-CP"), _with_year("53/2006/NĐ-CP", "5", "NĐ-CP")
        (True, False)
    """
    head, tail = n + "/", "/" + code
    if len(number) != len(head) + 4 + len(tail):
        return False
    if not (number.startswith(head) and number.endswith(tail)):
        return False
    year = number[len(head) : len(head) + 4]
    return year[:2] in ("19", "20") and year[2:].isdecimal()


# A footnote's own line at the page's foot: its number, a space, then its text.
_FOOTNOTE_LINE = re.compile(r"^[ \t]*(\d{1,2})[ \t]+\S[^\n]{30,}$", re.MULTILINE)
# The last code of a symbol with digits glued on: "66-NQ/TW1", "42/2024/QH151".
_GLUED_MARK = re.compile(r"([^\W\d_]{2,8})(\d{1,3})$")
# Codes that never end in a number (the issuers of most symbols); "QH" takes the
# legislature's number, which is at most 16
_PLAIN_CODES = frozenset(
    "TW TU CP TTG BTC BNV BTP BYT BCT BXD BCA BQP NHNN BGDĐT BKHĐT BTNMT BLĐTBXH "
    "BNNPTNT BKHCN BVHTTDL BGTVT BTTTT BNG VPCP UBND HĐND UBTVQH".split()
)


def _without_footnote_marks(refs: list[LegalRef], text: str) -> list[LegalRef]:
    """Drop a footnote's number glued to a symbol's end ("Nghị quyết số 66-NQ/TW1"
    with footnote 1 at the page's foot is 66-NQ/TW; "42/2024/QH151" is QH15), where
    the document has that footnote. The span keeps the marker: it is in the text."""
    notes: set[int] | None = None  # read where a number may end in a mark (few do)
    out = []
    for r in refs:
        m = _GLUED_MARK.search(r.number or "")
        if m is not None and r.number:
            if notes is None:
                notes = {int(f.group(1)) for f in _FOOTNOTE_LINE.finditer(text)}
            if not notes:
                return refs
            code, digits = m.group(1).upper(), m.group(2)
            cut = 0
            if code == "QH":
                for k in (1, 2):
                    legit, mark = digits[:-k], digits[-k:]
                    if legit and int(legit) <= 16 < int(digits) and int(mark) in notes:
                        cut = k
                        break
            elif code in _PLAIN_CODES and int(digits) in notes:
                cut = len(digits)
            if cut:
                number = r.number[:-cut]
                r = replace(r, number=number, canonical=r.canonical.replace(r.number, number))
        out.append(r)
    return out


def _retype(ref: LegalRef, type_name: str) -> LegalRef:
    return replace(ref, type=type_name, canonical=f"{type_name} {ref.number}")


def _number_key(number: str) -> str:
    return fold(number).replace(" ", "")


# -- queries ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RefQuery:
    """What a user asked for: a type, a number prefix, or both.

    ``number_prefix`` is a symbol prefix ("35", "35/2022", "35/2022/NĐ-CP")
    or, for named laws, the law name ("Đầu tư", "Đầu tư 2020").
    """

    type: str | None
    number_prefix: str | None

    @property
    def required_digits(self) -> str | None:
        """Digits every matching canonical form contains ("35/2022" -> "35"),
        to skip most keys before :meth:`matches` looks at them."""
        if not self.number_prefix:
            return None
        m = re.search(r"\d+", self.number_prefix)
        return m.group(0) if m else None

    def matches(self, canonical: str) -> bool:
        """Whether a reference's canonical form answers this query.

        Example:
            >>> RefQuery("Nghị định", "35").matches("Nghị định 35/2022/NĐ-CP")
            True
            >>> RefQuery("Luật", "Đầu tư").matches("Luật Đầu tư công")
            False
        """
        key = _key(canonical)
        ctype, rest = None, key
        for name in _type_words_longest_first():
            if key == name or key.startswith(name + " "):
                ctype, rest = _type_by_word()[name], key[len(name) :].strip()
                break
        if self.type is not None and ctype != self.type:
            return False
        if self.number_prefix is None:
            return True
        prefix = _key(_SEP_SPACES.sub("", self.number_prefix))
        rest = _SEP_SPACES.sub("", rest)
        if not rest.startswith(prefix):
            return False
        tail = rest[len(prefix) :]
        return tail == "" or tail[0] in "/-:" or bool(re.match(r" \d", tail))


_ABBREVIATIONS = {
    "nd": "Nghị định",
    "qd": "Quyết định",
    "nq": "Nghị quyết",
    "tt": "Thông tư",
    "ttlt": "Thông tư liên tịch",
    "ct": "Chỉ thị",
    "cv": "Công văn",
    "kh": "Kế hoạch",
    "tb": "Thông báo",
    "kl": "Kết luận",
    "bc": "Báo cáo",
}


def parse_ref_query(q: str) -> RefQuery | None:
    """Turn loose user input into a :class:`RefQuery`, or None if it is no ref.

    Example:
        >>> parse_ref_query("ND 35/2022")
        RefQuery(type='Nghị định', number_prefix='35/2022')
        >>> parse_ref_query("Luật Đầu tư năm 2020")
        RefQuery(type='Luật', number_prefix='Đầu tư 2020')
    """
    text = normalize_query(q).strip(" .,;:")
    key = fold(text)  # same length as text: positions carry over
    type_name, pos = None, 0
    words = {**_ABBREVIATIONS, **_type_by_word()}
    for word in sorted(words, key=len, reverse=True):
        if (
            key == word
            or key.startswith(word + " ")
            or (len(word) <= 4 and re.match(rf"{word}\d", key))
        ):
            type_name, pos = words[word], len(word)
            break
    rest_key = key[pos:].lstrip()
    rest = text[len(text) - len(rest_key) :]
    if m := re.match(r"so\s*:?\s*(?=\d)", rest_key):
        rest, rest_key = rest[m.end() :], rest_key[m.end() :]
    if not rest:
        return RefQuery(type_name, None) if type_name else None
    if rest[0].isdigit():
        number = _SEP_SPACES.sub("", rest).split(" ")[0] if "/" in rest else rest.split(" ")[0]
        number = number.strip(".,;")
        if type_name and "/" in number:
            number = parse_symbol(number, type_name).number  # "QĐ-CP" after "Nghị định"
        return RefQuery(type_name, number)
    if type_name in ("Luật", "Bộ luật", "Pháp lệnh"):
        m = re.fullmatch(r"(.+?)(?:\s+(?:nam\s+)?((?:19|20)\d{2}))?", rest_key)
        if m is None:
            return None
        name = law_names().get(m.group(1), rest[: m.end(1)])
        return RefQuery(type_name, name + (f" {m.group(2)}" if m.group(2) else ""))
    return None


def canonical_ref_key(q: str) -> str | None:
    """The canonical form of a complete citation typed by a user, else None.

    Example:
        >>> canonical_ref_key("nghi dinh so 35/2022/ND-CP")
        'Nghị định 35/2022/NĐ-CP'
    """
    refs = find_legal_refs(Document("query", "query", normalize_query(q)))
    return refs[0].canonical if len(refs) == 1 else None
