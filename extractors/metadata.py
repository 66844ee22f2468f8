"""Document metadata: the header block, type, signer and recipients of a text.

One pure function, :func:`find_metadata`, turns a cleaned
:class:`~extractors.model.Document` into a :class:`~extractors.model.DocMeta`.
The rules live in ``extractors/data/metadata.yaml`` (one row per pattern,
with examples); this module only sequences them.

What it reads, for an administrative document (Nghị định 30/2020/NĐ-CP):

* the issuing body ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI" -> "UBND tỉnh Quảng
  Ngãi"), else the issuer code of the symbol ("707/UBND-KT" + the province);
* Số/ký hiệu ("Số: 846 /UBND-TH" -> "846/UBND-TH", "Số: /TB-UBND" keeps
  the blank number), or a portal's "Theo Công văn 707/UBND-KT ngày ...";
* place and date ("Bắc Giang, ngày  tháng 3 năm 2024" -> "2024-03");
* type and trích yếu ("THÔNG BÁO" then its subject line, or "V/v ...");
* the signature ("TL. CHỦ TỊCH / KT. CHÁNH VĂN PHÒNG / PHÓ CHÁNH VĂN
  PHÒNG / Phạm Văn Đà") and the Nơi nhận list.

For news it reads the publication date and the directive reported
("Phó Chủ tịch UBND tỉnh Bắc Ninh Phạm Văn Thịnh vừa ký Công văn ...").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache

from extractors import dates
from extractors.dates import DateForm, iso
from extractors.gazetteer import local_unit
from extractors.legal_refs import doc_type_for_code, doc_type_names
from extractors.model import DocKind, DocMeta, Document, Signer
from extractors.prefilter import line_finditer, line_led, required_literals, skip_start
from extractors.rules import PatternTable, Row, pattern_table
from extractors.textnorm import all_caps, fold

TABLE = "metadata.yaml"
_HEAD = 400  # rows with window "head" must start in the first _HEAD chars
_TAIL = 200  # rows with window "tail" must end in the last _TAIL chars
_MAX_REQUIRED = 4  # required literals a row is checked for before its search
_SIGNATURE_LINES = 12  # how far up from the end a signature block may start

_DATE_NUM = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?")
_DATE_WORDS = re.compile(r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# read in this order by parse_date: (pattern, day, month, year groups)
_HEADER_DATE = (
    DateForm(_DATE_ISO, 3, 2, 1),
    DateForm(_DATE_WORDS, 1, 2, 3),
    DateForm(_DATE_NUM, 1, 2, 3),
)
_TINH = re.compile(r"\btỉnh ([^\W\d_]+(?: [^\W\d_]+){0,3})")


@dataclass(frozen=True, slots=True)
class _Rules:
    """The table compiled once, grouped by label, plus derived lookups."""

    by_label: dict[str, tuple[tuple[Row, re.Pattern[str]], ...]]
    by_id: dict[str, re.Pattern[str]]
    person: re.Pattern[str]
    provinces: dict[str, str]  # fold(name) -> canonical name
    cities: frozenset[str]  # centrally-run cities ("UBND thành phố X")
    type_names: dict[str, str]  # fold("QUYẾT ĐỊNH") -> "Quyết định" (doc_types.yaml)
    issuer_codes: dict[str, str]  # "VPCP" -> "Văn phòng Chính phủ"
    local_codes: dict[str, str]  # "UBND" -> "UBND": bodies named with the province
    places: re.Pattern[str]  # :func:`_places_rx` of the provinces, skipping (skip_start)
    # each label's patterns compiled to skip to where their matches start
    # (:func:`~extractors.prefilter.skip_start`; the same matches): for finditer
    scanning: dict[str, tuple[re.Pattern[str], ...]]
    # each label's rows' required literals (prefilter.required_literals; None: none
    # worth a look): a text with none of a row's has no match of it
    required: dict[str, tuple[tuple[str, ...] | None, ...]]
    # each label's rows that open with "^" under MULTILINE (prefilter.line_led): tried
    # at each line's start only (prefilter.line_finditer; the same matches)
    line_led: dict[str, tuple[bool, ...]]

    def rows(self, label: str) -> tuple[tuple[Row, re.Pattern[str]], ...]:
        return self.by_label.get(label, ())


# Who signs a copy, not the document: the Official Gazette, a web portal.
_REPUBLISHER = re.compile(r"công\s+báo|cổng\s+thông\s+tin|cổng\s+ttđt", re.IGNORECASE)


def _names(fragment: str) -> list[str]:
    """The alternatives of a gazetteer fragment: 'Hà[ ]Nội|Huế' -> ['Hà Nội', 'Huế']."""
    return [n.strip().replace("[ ]", " ") for n in fragment.split("|") if n.strip()]


def _build(table: PatternTable) -> _Rules:
    by_label: dict[str, list[tuple[Row, re.Pattern[str]]]] = {}
    for row in table.rows:
        by_label.setdefault(row.label, []).append((row, table.compiled(row)))
    issuers: dict[str, str] = {}
    local: dict[str, str] = {}
    for r, rx in by_label.get("ISSUER", ()):
        for code in [r.data["code"], *r.data.get("aliases", [])]:
            (local if "place" in rx.groupindex else issuers)[code] = r.data["name"]
    provinces = {fold(n): n for n in _names(table.fragments["province"])}
    return _Rules(
        by_label={k: tuple(v) for k, v in by_label.items()},
        by_id={r.id: rx for rows in by_label.values() for r, rx in rows},
        person=re.compile(table.expand("{person}"), re.VERBOSE),
        provinces=provinces,
        cities=frozenset(_names(table.fragments["city"])),
        type_names={fold(n): n for n in doc_type_names()},
        issuer_codes=issuers,
        local_codes=local,
        places=skip_start(_places_rx(tuple(provinces))),
        scanning={k: tuple(skip_start(rx) for _r, rx in v) for k, v in by_label.items()},
        required={k: tuple(_required(rx) for _r, rx in v) for k, v in by_label.items()},
        line_led={k: tuple(line_led(rx) for _r, rx in v) for k, v in by_label.items()},
    )


def _required(rx: re.Pattern[str]) -> tuple[str, ...] | None:
    """A row's required literals, when few enough to look for each (more
    ``in`` scans cost more than the search they would save)."""
    got = required_literals(rx)
    return got if got is not None and len(got) <= _MAX_REQUIRED else None


@cache
def _default_rules() -> _Rules:
    return _build(pattern_table(TABLE))


def _first(rules: _Rules, label: str, text: str) -> tuple[Row, re.Match[str]] | tuple[None, None]:
    """The first row of ``label`` that fires (honouring its ``window``)."""
    rows = zip(
        rules.rows(label),
        rules.scanning.get(label, ()),
        rules.required.get(label, ()),
        rules.line_led.get(label, ()),
        strict=True,
    )
    for (row, plain), rx, required, led in rows:
        if required is not None and not any(lit in text for lit in required):
            continue  # the row matches nowhere in this text
        for m in line_finditer(plain, text) if led else rx.finditer(text):
            window = row.data.get("window")
            if window == "head" and m.start() > _HEAD:
                break
            if window == "tail" and m.end() < len(text) - _TAIL:
                continue
            return row, m
    return None, None


# ---- dates -------------------------------------------------------------------


def parse_date(s: str, *, year: int | None = None) -> str | None:
    """ISO form of a date we already found; ``year`` fills a missing year.

    Example:
        >>> parse_date("ngày 25 tháng 9 năm 2020"), parse_date("28/02/2023")
        ('2020-09-25', '2023-02-28')
        >>> parse_date("21/ 5", year=2019), parse_date("31/02/2023")
        ('2019-05-21', None)
    """
    return dates.parse_date(s, _HEADER_DATE, year=year, lenient=True)


def _context_year(text: str) -> int | None:
    """The most frequent year of the full dates in a text (latest on a tie)."""
    years = Counter(int(m[3]) for m in _DATE_NUM.finditer(text) if m[3])
    years.update(int(m[3]) for m in _DATE_WORDS.finditer(text))
    return max(years, key=lambda y: (years[y], y)) if years else None


# ---- names -------------------------------------------------------------------


_CITY_LEAD = re.compile(r"^(?:tp\.?|thanh pho|tinh) ?")  # folded


def _province(rules: _Rules, name: str | None) -> str | None:
    """Canonical province for any casing: "QUẢNG NGÃI" -> "Quảng Ngãi".

    A city prefix is dropped: "TP. Hồ Chí Minh" -> "Hồ Chí Minh".
    """
    if not name:
        return None
    key = _CITY_LEAD.sub("", fold(" ".join(name.split())))
    return rules.provinces.get(key)


def _local_body(rules: _Rules, body: str, province: str) -> str:
    level = "thành phố" if province in rules.cities else "tỉnh"
    return f"{body} {level} {province}"


def _issuer_in(rules: _Rules, text: str, *, last: bool = False) -> str | None:
    """The canonical issuing body named in ``text`` (first, or last, named).

    Example: "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI" -> "UBND tỉnh Quảng Ngãi".
    """
    found: list[tuple[int, int, str]] = []
    for row, rx in rules.rows("ISSUER"):
        for m in rx.finditer(text):
            name = row.data["name"]
            if "place" in rx.groupindex:
                name = _local_body(rules, name, _province(rules, m["place"]) or m["place"])
            found.append((m.start(), -(m.end() - m.start()), name))
    if not found:
        return None
    found.sort()
    if last:
        top = max(s for s, _, _ in found)
        return min(f for f in found if f[0] == top)[2]
    return found[0][2]


def _symbol_codes(rules: _Rules, symbol: str) -> tuple[str | None, str | None]:
    """(type code, issuer code) of a symbol.

    Example: "1944/QĐ-TTg" -> ("QĐ", "TTg"); "707/UBND-KT" -> (None, "UBND"),
    a Công văn, whose symbol has no type code.
    """
    parts = symbol.rsplit("/", 1)[-1].split("-")
    if doc_type_for_code(parts[0]):
        return parts[0], parts[1] if len(parts) > 1 else None
    return None, parts[0] or None


def _title_case(caps: str, rules: _Rules) -> str:
    """Sentence-case a title line: "PHÓ CHÁNH VĂN PHÒNG" -> "Phó Chánh Văn phòng"."""
    parts = []
    for part in (p.strip() for p in caps.split(",")):
        words = part.lower().split()
        if not words:
            continue
        words[0] = words[0].capitalize()
        if words[0] == "Phó" and len(words) > 1:
            words[1] = words[1].capitalize()
        text = " ".join(words)
        for row, rx in rules.rows("TITLE"):
            text = rx.sub(row.data["name"], text)
        parts.append(text)
    return ", ".join(parts)


# ---- the header's two columns (Nghị định 30/2020/NĐ-CP, Phụ lục I) ------------
#
# Left: cơ quan chủ quản (optional) over cơ quan ban hành, then "Số: ...";
# right: the Quốc hiệu, the motto, then "<địa danh>, ngày ... tháng ... năm ...".
# A text copy or an OCR'd scan often prints both columns on one line
# ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI ..." / "Số: 2307 /QĐ-UBND Sơn La, ngày ...").

# Where the right column starts on a folded line: a piece of the Quốc hiệu or
# the motto, as a text copy breaks them ("CỘNG" / "HÒA XÃ HỘI CHỦ NGHĨA ...")
# and as OCR reads them ("CONG HOAYXA HOI", "CỘNG |HOÀ", "Doc lap").
_RIGHT_COLUMN = skip_start(
    r"\bc[o0]ng\s*\|?\s*h[o0]a|\bh[o0]a\s+xa\s+h[o0]i|\bxa\s+h[o0]i\s+chu|\bh[o0]i\s+chu\s+ngh"
    r"|\bchu\s+nghia\s+v|\bd[o0]c\s+l[a4]p\b|\btu\s+d[o0]\s*-|\bhanh\s+phuc"
)
_LONE_CONG = re.compile(r"[\W_]*CỘNG[\W_]*")  # "CỘNG" alone, the rest of the Quốc hiệu below
# A body's head word (issue 12's list of agency heads; the table of issuers
# and the agency gazetteer give canonical names to the bodies they know).
_BODY_HEAD = re.compile(
    r"(?:Ủy|Uỷ)\s+ban|UBND|HĐND|Hội\s+đồng|Bộ|Sở|Ban|Tổng\s+cục|Cục|Chi\s+cục|Vụ|Phòng|Trung\s+tâm"
    r"|Viện|Trường|Bệnh\s+viện|Đài|Báo|Kho\s+bạc|Công\s+an|Văn\s+phòng|Thanh\s+tra|Thành\s+đoàn"
    r"|Tỉnh\s+đoàn|Hội|Liên\s+đoàn|Liên\s+minh|Mặt\s+trận|Quỹ|Tổng\s+công\s+ty|Tập\s+đoàn|Công\s+ty"
    r"|Ngân\s+hàng|Kiểm\s+toán|Tòa\s+án|Viện\s+kiểm\s+sát|Thủ\s+tướng|Chính\s+phủ|Quốc\s+hội"
    r"|Tỉnh\s+ủy|Thành\s+ủy|Huyện\s+ủy|Đảng\s+ủy|Bảo\s+hiểm|Thuế|Chủ\s+tịch",
    re.IGNORECASE,
)
# A unit named in a body's name ("Cục Thuế TP Hà Nội", "UBND huyện Mộ Đức").
_UNIT_WORD = re.compile(
    r"\b(?:tỉnh|thành\s+phố|tp\b|huyện|quận|thị\s+xã|xã|phường|khu\s+vực)", re.IGNORECASE
)
_HEADER_LINES = 14  # the header block lies in the first lines


@cache
def _places_rx(provinces: tuple[str, ...]) -> re.Pattern[str]:
    """Folded "<province>, ngày": where a place-date line starts."""
    names = sorted(provinces, key=len, reverse=True)
    alts = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
    return re.compile(rf"(?:\b(?:tp\.?|thanh\s+pho)\s*)?\b(?:{alts})\s*,?\s*ngay\b")


def _right_start(rules: _Rules, line: str) -> int:
    """Where the right column begins on a header line (len(line) if it does not)."""
    if _LONE_CONG.fullmatch(line):
        return 0
    folded = fold(line)
    cut = len(line)
    m = _RIGHT_COLUMN.search(folded)
    if m is not None:
        cut = m.start()
    # every place-date match ends in "ngay": most lines have none
    m = rules.places.search(folded) if "ngay" in folded else None
    if m is not None and m.start() < cut:
        cut = m.start()
    return cut


def split_columns(rules: _Rules, text: str) -> str:
    """The header's lines with each column on its own line.

    Example:
        >>> t = ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\n"
        ...      "Số: 2307 /QĐ-UBND Sơn La, ngày 11 tháng 9 năm 2025")
        >>> print(split_columns(_default_rules(), t))
        ỦY BAN NHÂN DÂN
        CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
        Số: 2307 /QĐ-UBND
        Sơn La, ngày 11 tháng 9 năm 2025
    """
    out = []
    for line in text.split("\n"):
        cut = _right_start(rules, line)
        left, right = line[:cut].rstrip(" |\t"), line[cut:]
        out.extend([left, right] if left.strip(" |-—_–") and right else [line])
    return "\n".join(out)


def _left_column(rules: _Rules, text: str, end: int) -> list[str]:
    """The left column's lines above ``end`` (the "Số:" line), nearest last."""
    lines = text[:end].split("\n")[-_HEADER_LINES:]
    left: list[str] = []
    for line in lines:
        part = " ".join(line[: _right_start(rules, line)].replace("|", " ").split())
        if _NUMBER_LINE.match(part):
            break  # the issuer is named above "Số:"
        if sum(c.isalpha() for c in part) >= 2:
            left.append(part.strip(" -—_–*:;"))
    return left


_NUMBER_LINE = re.compile(r"Số\s*:")


# Heads of bodies whose names are productive (any "Trung tâm ...", "Cục ...");
# the others (Thủ tướng, Chính phủ, the ministries, the UBND) are named by
# the table of issuers or the agency gazetteer, never spelled out from a line.
_OPEN_HEAD = re.compile(
    r"(?:Sở|Ban|Tổng\s+cục|Cục|Chi\s+cục|Vụ|Phòng|Trung\s+tâm|Viện|Trường|Bệnh\s+viện|Đài|Báo"
    r"|Kho\s+bạc|Công\s+an|Văn\s+phòng|Thanh\s+tra|Thành\s+đoàn|Tỉnh\s+đoàn|Hội|Liên\s+đoàn"
    r"|Liên\s+minh|Quỹ|Tổng\s+công\s+ty|Tập\s+đoàn|Công\s+ty|Ngân\s+hàng|Bảo\s+hiểm|Thuế)\b",
    re.IGNORECASE,
)
# A council or committee head that needs its unit ("ỦY BAN NHÂN DÂN" / "TỈNH X").
_UNIT_HEAD = re.compile(r"(?:uy\s+ban\s+nhan\s+dan|ubnd|hoi\s+dong\s+nhan\s+dan|hdnd)\b")


def _lead(name: str) -> list[str]:
    """The first word of a body's name, "Ủy ban nhân dân" written "UBND"."""
    folded = re.sub(
        r"^(?:uy ban nhan dan|hoi dong nhan dan)",
        lambda m: "".join(w[0] for w in m.group().split()),
        fold(" ".join(name.split())),
    )
    return folded.split()[:1]


_UNIT_CAPS = re.compile(
    r"\b(huyện|quận|thị xã|xã|phường|tỉnh|thành phố) ((?:[^\W\d_a-z]{2,}[ ]?)+)$"
)


def _place_case(name: str) -> str:
    """A unit's name written in capitals in the header, as a name:
    "UBND huyện MAI CHÂU" -> "UBND huyện Mai Châu"."""
    m = _UNIT_CAPS.search(name)
    if m is None or not m[2].isupper():
        return name
    return name[: m.start(2)] + " ".join(w.capitalize() for w in m[2].split())


_NOT_ALNUM = re.compile(r"[\W_]")


def _squeezed(s: str) -> str:
    return _NOT_ALNUM.sub("", fold(s))


@cache
def _squeezed_name(name: str) -> str:
    """:func:`_squeezed` of a table row's name, once per name."""
    return _squeezed(name)


# A header line that names a part of the body above it, not a body of its own.
_ROLE_NAMES = {
    "ban thuong truc": "Ban Thường trực",
    "thuong truc": "Thường trực",
    "ban thuong vu": "Ban Thường vụ",
    "ban chap hanh": "Ban Chấp hành",
}
_ROLE_BODY = re.compile("|".join(re.escape(k) for k in _ROLE_NAMES))


def _named_body(rules: _Rules, name: str, parent: str, *, known: bool = False) -> str | None:
    """The canonical body a header line (or lines) names, qualified by its
    parent where it names no unit itself ("SỞ Y TẾ" under "UBND TỈNH X");
    ``known``: only a body the table or the gazetteer names."""
    from extractors.agencies import canonical_agency  # the agency gazetteer

    head = _BODY_HEAD.match(name)
    folded = fold(name)
    role = _ROLE_BODY.fullmatch(folded.strip(" .:-"))
    if role is not None:
        # "BAN THƯỜNG TRỰC" under "ỦY BAN MTTQ VIỆT NAM / XÃ PHÚ LỘC": the standing
        # committee of the body above it
        above = _named_body(rules, parent, "") if parent else None
        return f"{_ROLE_NAMES[role.group()]} {above}" if above else None
    if _UNIT_HEAD.match(folded) and not _UNIT_WORD.search(name):
        return None  # "ỦY BAN NHÂN DÂN": the line below names its unit
    squeezed = _squeezed(name)
    for row, rx in rules.rows("ISSUER"):
        m = rx.match(name)
        if m is not None and m.end() >= len(name) - 1:
            if "place" in rx.groupindex:
                place = _province(rules, m["place"]) or m["place"]
                return _local_body(rules, row.data["name"], place)
            return str(row.data["name"])
        if "place" not in rx.groupindex and squeezed == _squeezed_name(row.data["name"]):
            return str(row.data["name"])  # OCR lost a space or the accents ("CHÍNHPHỦ")
    if head is None and not name.isascii():
        return None  # (a line OCR read without its accents may still name a known body)
    up = _issuer_in(rules, parent, last=True) if parent else None
    _, pm = _first(rules, "ISSUER", up or "")
    local = pm is not None and "place" in pm.re.groupindex
    province = _province(rules, pm["place"]) if pm is not None and local else None
    canonical = canonical_agency(name, province=province)
    if canonical is not None and _lead(canonical) == _lead(name):
        if parent and fold(canonical).startswith("phong ") and not _UNIT_WORD.search(name):
            # "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" under "UBND HUYỆN HIỆP HÒA": the district's office
            district = local_unit(_named_body(rules, parent, ""))
            if district is not None:
                return f"{_place_case(canonical)} {district}"
        return _place_case(canonical)  # the body the line begins with, not one inside it
    words = name.split()
    if known or head is None or not all_caps(name, min_letters=4) or not _OPEN_HEAD.match(name):
        return None
    if fold(head.group()) == "van phong" and len(words) <= 2:
        return f"Văn phòng {up}" if up else None  # "VĂN PHÒNG" under "UBND TỈNH X"
    n = len(_OPEN_HEAD.match(name).group().split())  # type: ignore[union-attr]
    if len(words) <= n:
        return None
    # written as Nghị định 30/2020/NĐ-CP writes a body: the head, then its
    # name with a capital ("TRUNG TÂM PHỤC VỤ ..." -> "Trung tâm Phục vụ ...")
    rest = [w.lower() for w in words[n:]]
    heads = [words[0].capitalize(), *(w.lower() for w in words[1:n])]
    own = " ".join([*heads, rest[0].capitalize(), *rest[1:]])
    if province and not _UNIT_WORD.search(name):
        own = _local_body(rules, own, province)
    return own


# "(Chủ tịch) UBND huyện Mộ Đức (đã) ban hành Công văn số 1423/UBND-NC".
_SAID_ISSUER = re.compile(
    r"(?:Chủ\s+tịch\s+)?(?:UBND|Ủy\s+ban\s+nhân\s+dân)\s+(?P<unit>huyện|thị\s+xã|quận|xã|phường"
    r"|thị\s+trấn)\s+(?P<name>[A-ZĐ]\w*(?:\s+[A-ZĐ]\w*){0,3})\s+(?:đã\s+|vừa\s+)?ban\s+hành\s+"
    r"[^.\n]{0,40}?số\s+"
)


def _said_issuer(text: str, number_symbol: str) -> str | None:
    """A local People's Committee the text says issued ``number_symbol``."""
    for m in _SAID_ISSUER.finditer(text, 0, 5000):
        if text.startswith(number_symbol, m.end()):
            return f"UBND {' '.join(m['unit'].split())} {' '.join(m['name'].split())}"
    return None


def header_issuer(rules: _Rules, text: str, end: int) -> str | None:
    """The cơ quan ban hành: the lowest left-column line(s) above ``end`` that
    name a body; the lines above them name its cơ quan chủ quản.

    Example:
        >>> t = "BỘ TÀI CHÍNH CỘNG HÒA XÃ HỘI\\nTỔNG CỤC THUẾ Độc lập\\nSố: 1"
        >>> header_issuer(_default_rules(), t, t.index("Số"))
        'Tổng cục Thuế'
    """
    left = _left_column(rules, text, end)
    for k in range(len(left) - 1, max(len(left) - 4, -1), -1):
        if k > 0 and _named_body(rules, left[k - 1], "", known=True) is None:
            # a name broken over two lines ("VĂN" / "PHÒNG CHÍNH PHỦ", "VĂN PHÒNG" / "CHÍNH PHỦ")
            whole = _named_body(rules, " ".join(left[k - 1 :]), "", known=True)
            if whole is not None:
                return whole
        body = _named_body(rules, " ".join(left[k:]), " ".join(left[max(0, k - 2) : k]))
        if body is not None:
            return body
    return None


# ---- signature and recipients -------------------------------------------------


def _is_caps(line: str) -> bool:
    """A capitals line of a signature block ("KT. CHỦ TỊCH"), not a list item."""
    return all_caps(line, min_letters=1) and len(line) <= 80 and line[0] not in "-+•"


def _lines(text: str) -> list[str]:
    """Non-empty lines without table pipes and emphasis stars."""
    out = (ln.strip().strip("|*").strip() for ln in text.splitlines())
    return [ln for ln in out if ln]


def find_signer(text: str, *, rules: _Rules | None = None) -> Signer | None:
    """Signer from the signature block that ends an administrative text.

    Example:
        >>> block = "TL. CHỦ TỊCH\\nKT. CHÁNH VĂN PHÒNG\\nPHÓ CHÁNH VĂN PHÒNG\\n\\nPhạm Văn Đà"
        >>> find_signer("Nơi nhận: ...\\n" + block)
        Signer(name='Phạm Văn Đà', title='Phó Chánh Văn phòng', authority=('TL.', 'KT.'))
    """
    rules = rules or _default_rules()
    lines = _lines(text)
    found = _signer_before(lines, len(lines), rules)
    if found is not None:
        return found
    # a text that goes on after its signature: a Quyết định with the Kế hoạch it
    # issues, a Phụ lục, a form; the block ends right before that part begins.
    # A block whose name a scan lost (under the seal) counts when no block
    # before a part has a name.
    unnamed: Signer | None = None
    for k, line in enumerate(lines):
        if k <= 10:
            continue
        if _APPENDIX.match(line) or _NOTE_START.match(line) or _MOTTO.match(line):
            ends = [k]
            if _MOTTO.match(line) or _ATTACHED.match(line):
                # the part's own header or heading comes first: walk back over
                # its lines in capitals ("BỘ KHOA HỌC VÀ CÔNG NGHỆ", "BẢNG TIÊU CHÍ ...")
                e = k
                while e > 0 and _is_caps(lines[e - 1]) and k - e < 4:
                    e -= 1
                    ends.append(e)
            for e in ends:
                found = _signer_before(lines, e, rules)
                if found is not None and found.name is not None:
                    return found
                if found is not None and unnamed is None and found.authority and found.title:
                    unnamed = found
    return unnamed


_MOTTO = re.compile(r"CỘNG\s+HÒA\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA")
_ATTACHED = re.compile(r"\s*\((?:Ban\s+hành\s+)?[Kk]èm\s+theo")


# Notes printed after the signature ("[1]" alone on its line, "¹ Các Nghị quyết: ...").
_NOTE_START = re.compile(r"(?:\[\d{1,3}\]|[¹²³⁴⁵⁶⁷⁸⁹]+)(?:\s|$)")


# Where an attached part begins: its heading in capitals, or "(Ban hành kèm theo ...".
_APPENDIX = re.compile(
    r"(?:PHỤ\s+LỤC|KẾ\s+HOẠCH|QUY\s+CHẾ|QUY\s+ĐỊNH|CHƯƠNG\s+TRÌNH|DANH\s+MỤC|ĐỀ\s+ÁN|PHƯƠNG\s+ÁN"
    r"|BIỂU|BẢNG|MẪU\s+SỐ|Phụ\s+lục(?:\s+[IVX\d]|\s*$)|\s*\(Ban\s+hành\s+kèm\s+theo|\s*\(Kèm\s+theo)"
)


def _signer_before(lines: list[str], end: int, rules: _Rules) -> Signer | None:
    """The signature block that ends at line ``end`` (exclusive), if any."""
    mark = rules.by_id["metadata.signature.signed_mark.v1"]
    tail = [ln for ln in lines[max(0, end - _SIGNATURE_LINES) : end] if not mark.match(ln)]
    name = _take_name(tail, rules)
    noise = 0
    # On a scan the seal and the signature over the name are read as a short
    # line or two of marks ("“ẤN bự ằng Hà"); the title lines above still tell
    # the block, when they name an authority.
    while (
        name is None
        and noise < 2
        and tail
        and not _is_caps(tail[-1])
        and len(tail[-1]) <= 40
        and not tail[-1].startswith(("-", "+"))
    ):
        tail.pop()
        noise += 1
        name = _take_name(tail, rules)
    block: list[str] = []
    while tail and _is_caps(tail[-1]):
        block.insert(0, tail.pop())
    if not block:
        return None
    auth_rx = rules.by_id["metadata.signature.authority.v1"]
    authority: list[str] = []
    title_lines: list[str] = []
    continues = False  # an authority line ending in "," or bare "KT." goes on
    signs_for = ""  # the head the last authority line names ("KT. THỦ TƯỚNG")
    for line in block:
        m = auth_rx.match(line)
        if m:
            authority.append(m["authority"] + ".")
            title_lines = []
            continues = not m["rest"] or line.endswith(",") or bool(_NAME_GOES_ON.search(line))
            signs_for = m["rest"]
        elif continues:
            # "TM. ỦY BAN NHÂN" / "DÂN": the body's name wrapped, not a title
            continues = line.endswith(",") or bool(_NAME_GOES_ON.search(line))
        else:
            title_lines.append(line)
    if not authority and len(title_lines) >= 2:
        head = _deputy_head(title_lines[-2], title_lines[-1])
        if head is not None:
            authority, title_lines = ["KT."], [f"PHÓ {head}"]
    elif authority[-1:] == ["KT."] and not title_lines and signs_for:
        # the deputy's line lost under the seal: "KT. THỦ TƯỚNG" signs as "PHÓ THỦ TƯỚNG"
        head = _deputy_head(signs_for, signs_for)
        if head is not None:
            title_lines = [f"PHÓ {head}"]
    if not authority and (name is None or noise):
        return None
    title = _title_case(" ".join(title_lines), rules) if title_lines else None
    return Signer(name=name, title=title, authority=tuple(authority))


# An authority line that stops inside its body's name ("TM. ỦY BAN NHÂN", "TM. ỦY BAN").
# ("KT. TRƯỞNG BAN" is whole: the head of a board.)
_NAME_GOES_ON = re.compile(r"(?<![\w])(?:ỦY|UỶ|(?<!TRƯỞNG )BAN|NHÂN|HỘI|ĐỒNG|MẶT|TRẬN)[\s*]*$")


def _take_name(tail: list[str], rules: _Rules) -> str | None:
    """The signer's name from the end of ``tail`` (its lines taken off), or None."""
    name = None
    if (
        len(tail) >= 2
        and (len(tail[-2].split()) == 1 or len(tail[-1].split()) == 1)
        and len(f"{tail[-2]} {tail[-1]}".split()) <= 4
        and not _is_caps(tail[-2])
        and rules.person.fullmatch(f"{tail[-2]} {tail[-1]}")
    ):
        # a name broken over two lines ("Phạm" / "Mạnh Cường", "Lê Tấn" / "Cận")
        name = f"{tail[-2]} {tail[-1]}"
        del tail[-2:]
    elif tail and rules.person.fullmatch(tail[-1]) and not _is_caps(tail[-1]):
        name = tail.pop()
    return name


# A deputy signs for the head: "KT. CHỦ TỊCH" over "PHÓ CHỦ TỊCH", "KT. THỦ
# TƯỚNG" over "PHÓ THỦ TƯỚNG" (Nghị định 30/2020/NĐ-CP, Phụ lục I). On a scan
# the seal over these lines costs the mark and the first words ("C TỊCH" /
# "TỊCH", "THỦ TƯỚNG" / "VÀ TƯỚNG"); two title lines that end in the same
# head's last word, with no authority read, are that block. Only heads whose
# deputy is "PHÓ" + the head and whose last word names no other title.
_DEPUTY_HEADS = {"TỊCH": "CHỦ TỊCH", "TƯỚNG": "THỦ TƯỚNG"}


def _deputy_head(first: str, second: str) -> str | None:
    """The head a two-line block signs for (see above), or None.

    Example:
        >>> _deputy_head("C TỊCH", "TỊCH"), _deputy_head("THỦ TƯỚNG", "VÀ TƯỚNG")
        ('CHỦ TỊCH', 'THỦ TƯỚNG')
        >>> _deputy_head("CHỦ TỊCH", "CHÁNH VĂN PHÒNG") is None
        True
    """
    last = [line.split()[-1].strip(".,:;") if line.split() else "" for line in (first, second)]
    if last[0] != last[1]:
        return None
    return _DEPUTY_HEADS.get(last[0])


def find_recipients(text: str, *, rules: _Rules | None = None) -> tuple[str, ...]:
    """The Nơi nhận items, without "Lưu: VT ..." ("- Như trên;" -> "Như trên").

    A "+" sub-item is joined to its parent: "- Văn phòng UBND tỉnh:" /
    "+ LĐVP, TH" -> "Văn phòng UBND tỉnh: LĐVP, TH".
    """
    rules = rules or _default_rules()
    start = rules.by_id["metadata.kind.noi_nhan.v1"].search(text)
    if start is None:
        return ()
    archive = rules.by_id["metadata.recipient.archive.v1"]
    auth_rx = rules.by_id["metadata.signature.authority.v1"]
    items: list[list[str]] = []  # [text, kind]: kind "item" | "parent" | "sub"
    for line in _lines(text[start.end() :]):
        if _is_caps(line) or auth_rx.match(line):
            break
        is_sub = bool(re.match(r"-?\s*\+", line))
        if line[0] in "-+•":
            body = line.lstrip("-+• ").strip()
            if is_sub and items and items[-1][1] in ("parent", "sub"):
                parent = next(t for t, k in reversed(items) if k == "parent")
                items.append([f"{parent} {body}", "sub"])
            else:
                items.append([body, "parent" if body.endswith(":") else "item"])
        elif items:  # a wrapped line; "Lê V" + "ăn Thành" is one broken word
            prev = items[-1][0]
            glue = "" if line[0].islower() and len(prev.split()[-1]) == 1 else " "
            items[-1][0] = prev + glue + line
    out = []
    for i, (item, kind) in enumerate(items):
        if kind == "parent" and i + 1 < len(items) and items[i + 1][1] == "sub":
            continue
        item = item.rstrip(" ;,.:")
        if item and not archive.match(item) and not re.search(r":\s*Lưu\b", item):
            out.append(item)
    return tuple(out)


# ---- the document -------------------------------------------------------------


def _subject(rules: _Rules, text: str, title_end: int | None) -> str | None:
    """Trích yếu: the lines after the type title, else a "V/v ..." line."""
    stop = rules.by_id["metadata.subject.stop.v1"]
    place_date = rules.by_id["metadata.place_date.v1"]
    if title_end is not None:
        lines = text[title_end:].lstrip("\n").split("\n")
    else:
        _, m = _first(rules, "SUBJECT", text[:1500])
        if m is None:
            return None
        lines = text[m.start() :].split("\n")
    taken: list[str] = []
    for line in lines[:4]:
        line = line.strip().strip("|").strip()
        if not line or stop.match(line) or place_date.search(line):
            break
        if taken and all_caps(taken[0]) and not all_caps(line):
            break  # a trích yếu in capitals ends where the body's first sentence begins
        taken.append(line)
    return " ".join(taken).rstrip(" .") or None


_CLAUSE_CUT = re.compile(r"[,;.:\n]\s*")


def _subject_body(text: str, pos: int) -> str | None:
    """The agency that is the subject of the clause ending at ``pos``:
    "Để hoàn thiện dự thảo, Cục Lâm nghiệp và Kiểm lâm " -> that Cục."""
    from extractors.agencies import canonical_agency  # the agency gazetteer

    start = max(0, pos - 200)
    for m in _CLAUSE_CUT.finditer(text, start, pos):
        start = m.end()
    clause = " ".join(text[start:pos].split())
    return canonical_agency(clause) if clause else None


def _news_title(rules: _Rules, text: str) -> str | None:
    """The first heading line of an article (short, no final full stop)."""
    lines = _lines(text[:3000])
    _, m = _first(rules, "NEWS_DATE", text[:3000])
    if m is not None:  # the heading sits just above the date line
        before = _lines(text[: m.start()])
        lines = [ln for ln in reversed(before) if not _is_caps(ln)][:1] or lines
    for line in lines[:1]:
        if len(line) <= 200 and not line.endswith("."):
            return line
    return None


def _official(
    rules: _Rules,
    doc: Document,
    found: dict[str, tuple[Row, re.Match[str]] | tuple[None, None]],
    province: str | None,
) -> DocMeta:
    """The fields of an administrative document (see :func:`find_metadata`)."""
    text, head = doc.text, doc.text[:1500]
    own_row, own = found["NUMBER"]
    off_row, off = found["KIND_OFFICIAL"]
    _, pd = found["PLACE_DATE"]
    _, news_date = found["NEWS_DATE"]
    groups = own.groupdict() if own is not None else {}
    number = re.sub(r"\s+", "", own["symbol"]).rstrip(".,;") if own is not None else None
    type_code, issuer_code = _symbol_codes(rules, number) if number else (None, None)

    # type: the title line ("THÔNG BÁO"), the word before the number, the code
    doc_type = title_end = None
    for _row, rx in rules.rows("DOC_TYPE"):
        for m in rx.finditer(head):
            if name := rules.type_names.get(fold(m["title"])):
                doc_type, title_end = name, m.end()
                break
        if doc_type:
            break
    # the generic "Văn bản" names no type: the symbol decides
    if groups.get("type") and fold(groups["type"]) != "van ban":
        doc_type = doc_type or " ".join(groups["type"].split())
    # a letter's subject line ("V/v ...") with no type title: a Công văn,
    # whatever its symbol's code reads as ("2191/CT-CS": CT is the Cục Thuế)
    letter = doc_type is None and _first(rules, "SUBJECT", head)[1] is not None
    if doc_type is None and number:
        doc_type = (
            "Công văn" if letter else (doc_type_for_code(type_code) if type_code else "Công văn")
        )
    if doc_type is None and letter:
        doc_type = "Công văn"
    if doc_type is None and off_row is not None:
        doc_type = off_row.data.get("doc_type")
    if doc_type is None and rules.by_id["metadata.kind.kinh_gui.v1"].search(text[:200]):
        doc_type = "Công văn"  # a letter copied from its "Kính gửi:" on, without its header

    # issuer: the header above "Số:"/quốc hiệu, "của <body>", the symbol's code
    cut = min(
        (
            m.start()
            for r, m in ((own_row, own), (off_row, off))
            if m is not None and r is not None and r.data.get("header")
        ),
        default=0,
    )
    # the header's left column names the cơ quan ban hành above "Số:" (its
    # parent above it); else the last body named above the header's marks
    issuer = None
    if own is not None and own_row is not None and own_row.data.get("header"):
        if own.start() < 1500:
            issuer = header_issuer(rules, text, own.start())
    elif off is not None and off_row is not None and off_row.data.get("header"):
        line_end = text.find("\n", text.find("\n", off.end()) + 1)
        issuer = header_issuer(rules, text, line_end if line_end > 0 else len(text))
    if issuer is None and cut:
        issuer = _issuer_in(rules, " ".join(text[:cut].split()), last=True)
    if issuer is None and not cut:
        # a header of the issuer's name alone (a Thư ngỏ, a Giấy mời): the
        # lines in capitals the text opens with
        caps = re.match(r"(?:[ \t]*[^\n]+\n+){1,3}", text)
        lines = caps.group().split("\n") if caps else []
        end = 0
        for line in lines:
            bare = line.strip(" |*")
            if not all_caps(bare, min_letters=6) or fold(bare) in rules.type_names:
                break
            end = text.index(line, end) + len(line)
        issuer = header_issuer(rules, text, end) if end else None
    if issuer is None and (cable := _CABLE_ISSUER.search(head)) is not None:
        issuer = _issuer_in(rules, cable["body"])  # "THỦ TƯỚNG CHÍNH PHỦ điện:"
    if issuer is None and own is None:
        # a header moved below the title in a copy ("NGHỊ QUYẾT ... / HỘI ĐỒNG NHÂN DÂN
        # TỈNH HẬU GIANG / KHÓA IX KỲ HỌP THỨ SÁU / Căn cứ ..."): the first line in
        # capitals above the preamble that names a body
        for line in _lines(text[: _preamble_start(text)])[:15]:
            bare = line.strip(" |*#")
            if all_caps(bare, min_letters=6) and not _MOTTO.match(bare):
                issuer = _named_body(rules, bare, "", known=True)
                if issuer is not None:
                    break
    if issuer is None and groups.get("issuer"):
        issuer = _issuer_in(rules, groups["issuer"])
    if issuer is None and issuer_code in rules.local_codes and number:
        # "Chủ tịch UBND huyện Mộ Đức ban hành Công văn số 1423/UBND-NC": the body the
        # text says issued this very number
        issuer = _said_issuer(text, number)
    if issuer is None and issuer_code in rules.local_codes:
        # "19/CT-UBND", "171/TB-VP": the province's own body
        body = rules.local_codes[issuer_code]
        issuer = _local_body(rules, body, province) if province else None
    elif issuer is None and issuer_code:
        issuer = rules.issuer_codes.get(issuer_code)
    if (
        issuer is None
        and off is not None
        and off_row is not None
        and off_row.data.get("issuer") == "subject"
    ):  # "Cục X trân trọng đề nghị Quý cơ quan ... góp ý": X issues
        issuer = _subject_body(text, off.start())
    elif (
        issuer is None and off is not None and off_row is not None and off_row.data.get("doc_type")
    ):  # a Q&A answer: the body the question (above "Trả lời:") addresses last
        issuer = _issuer_in(rules, " ".join(text[: off.start()].split()), last=True)

    # date: the place-date line, the number's date, the effective date, posting
    issue_date = None
    if pd is not None:
        month, day = pd["month"], pd["day"]
        issue_date = iso(
            int(pd["year"]),
            int(month) if month else None,
            int(day) if day and month else None,
            lenient=True,
        )
    if issue_date is None and (groups.get("date") or groups.get("date_after")):
        issue_date = parse_date(
            groups.get("date") or groups["date_after"], year=_context_year(text)
        )
    if issue_date is None and (dm := _first(rules, "DATE", text)[1]):
        if "month" in dm.re.groupindex:  # a digest of several days: the month
            issue_date = iso(int(dm["year"]), int(dm["month"]), lenient=True)
        else:
            issue_date = parse_date(dm["date"])
    if issue_date is None and news_date is not None:
        issue_date = parse_date(news_date["date"])
    signed = (doc.get("signature_time") or "")[:10]
    if _REPUBLISHER.search(doc.get("signature_org") or ""):
        signed = ""  # the Official Gazette's or a portal's copy, signed when it was published
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", signed) and (
        issue_date is None or (len(issue_date) < 10 and signed.startswith(issue_date))
    ):
        # an e-office file dated by its signature: the day left blank in the text
        # ("ngày   tháng 3 năm 2024") or not readable (a handwritten day on a scan)
        issue_date = signed

    subject = _subject(rules, text, title_end) or groups.get("subject")
    signer = find_signer(text, rules=rules)
    if signer is None and (d := _first(rules, "DIRECTIVE", head)[1]) and "name" in d.re.groupindex:
        # a portal reproduction: "Chủ tịch UBND Thành phố X vừa ký ban hành ..."
        signer = Signer(name=d["name"], title=" ".join(f"{d['title']} {d['body']}".split()))
    return DocMeta(
        kind=DocKind.OFFICIAL,
        doc_type=doc_type,
        number_symbol=number,
        issuer=doc.get("issuer") or issuer,
        issue_date=issue_date,
        title=f"{doc_type} {number}" if doc_type and number else doc_type,
        subject=subject.rstrip(" .") if subject else None,
        signer=signer,
        recipients=find_recipients(text, rules=rules),
    )


# a cable's formula: the sender in capitals, then "điện:" ("THỦ TƯỚNG CHÍNH PHỦ điện:")
_CABLE_ISSUER = re.compile(r"(?P<body>[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ ,\-]{4,80}?)[ \t*]*điện[ \t*]*:")
_PREAMBLE = re.compile(r"^[ \t*]*(?:Căn\s+cứ|Thực\s+hiện|Kính\s+gửi)", re.MULTILINE)


def _type_title_first(rules: _Rules, text: str) -> bool:
    """A copy that opens with its type's title in capitals ("NGHỊ QUYẾT", "KẾ HOẠCH"),
    its header moved or lost, then the grounds ("Căn cứ ...") within a few lines."""
    lines = [ln.strip(" |*#") for ln in _lines(text[:2000])]
    lines = [ln for ln in lines if ln]
    if not lines or not all_caps(lines[0], min_letters=5) or fold(lines[0]) not in rules.type_names:
        return False
    return _PREAMBLE.search(text, 0, 2000) is not None


def _preamble_start(text: str) -> int:
    m = _PREAMBLE.search(text, 0, 3000)
    return m.start() if m else min(len(text), 1500)


# The type of the document an article's lead says its speaker issued: "Bộ Y tế vừa có
# văn bản ...", "... ban hành Chỉ thị 972 ...", "UBND TPHCM có thông báo ...".
_ISSUED_TYPE = re.compile(
    r"(?P<type>[Cc]ông[ \t]+văn|[Vv]ăn[ \t]+bản|[Cc]hỉ[ \t]+thị"
    r"|[Cc]ông[ \t]+điện|[Tt]hông[ \t]+báo|[Qq]uyết[ \t]+định|[Kk]ế[ \t]+hoạch)(?![\w])"
)
_TYPE_NAMES = {"văn bản": "Công văn"}
_ISSUING_VERB = re.compile(r"(?:có|ban[ \t]+hành)[ \t]*$")


def _speaker_type(text: str, m: re.Match[str]) -> str | None:
    """The type of the document the article's speaker (``m``, its SPEAKER match) "có"
    (has issued) or "ban hành" (issued), read right after that verb: a letter ("văn
    bản") is a Công văn."""
    t = _ISSUED_TYPE.search(text, m.start("body"), min(len(text), m.end() + 40))
    if t is None or not _ISSUING_VERB.search(text[max(0, t.start() - 12) : t.start()]):
        return None
    name = " ".join(t["type"].lower().split())
    return _TYPE_NAMES.get(name) or name[0].upper() + name[1:]


def _speaker(rules: _Rules, doc: Document, m: re.Match[str]) -> str | None:
    """The body whose directive an article reports (``m``: its first directive verb's
    subject, in the article's lead): "UBND tỉnh yêu cầu" -> "UBND tỉnh <province>"."""
    body = " ".join(m["body"].split())
    if named := _issuer_in(rules, body):
        return named
    if _LOCAL_UNIT.match(body):
        return _PEOPLES_COMMITTEE.sub("UBND ", body, count=1)
    if fold(body).startswith(("uy ban", "ubnd")):
        given = doc.get("province")  # a sidecar may write "Thành phố Hồ Chí Minh"
        province = (_province(rules, given) or given) if given else None
        province = province or _province(rules, body.split(" ", 2)[-1])
        return _local_body(rules, "UBND", province) if province else None
    return "Thủ tướng Chính phủ" if fold(body) == "thu tuong" else None


_PEOPLES_COMMITTEE = re.compile(r"^Ủy ban nhân dân ")
# a People's Committee named with its district, commune or ward ("UBND phường Dĩ An")
_LOCAL_UNIT = re.compile(
    r"(?:Ủy ban nhân dân|UBND) (?:xã|phường|huyện|quận|thị xã|thị trấn|đặc khu) \S"
)


def _news(rules: _Rules, doc: Document, news_date: re.Match[str] | None) -> DocMeta:
    """The fields of an article: its date and the directive it reports."""
    published = doc.get("published")
    if published is None and news_date is not None:
        published = parse_date(news_date["date"])
    meta = DocMeta(kind=DocKind.NEWS, issue_date=published, title=_news_title(rules, doc.text))
    _, d = _first(rules, "DIRECTIVE", doc.text)
    if d is None:
        _, lead = _first(rules, "SPEAKER", doc.text[:1200])
        if lead is None:
            return meta
        issuer = _speaker(rules, doc, lead)
        return replace(meta, issuer=issuer, doc_type=_speaker_type(doc.text, lead))
    signer = Signer(name=d["name"], title=d["title"]) if "name" in d.re.groupindex else None
    return replace(meta, doc_type=d["type"], issuer=_issuer_in(rules, d["body"]), signer=signer)


def _jurisdiction(
    rules: _Rules, text: str, kind: DocKind, issuer: str | None, province: str | None
) -> str | None:
    """The issuer's province; None for a central body; else the place or a
    province line; for an article, the province it names most ("tỉnh X")."""
    _, m = _first(rules, "ISSUER", issuer or "")
    if m is not None and "place" in m.re.groupindex:
        return _province(rules, m["place"])
    if issuer is not None:
        return None
    if province is None and kind is not DocKind.OFFICIAL:
        named = Counter(
            p for m in _TINH.finditer(text) if (p := _province(rules, _lead_province(rules, m[1])))
        )
        return named.most_common(1)[0][0] if named else None
    return province


def _lead_province(rules: _Rules, words: str) -> str | None:
    """The province at the start of "tỉnh Bắc Ninh được giao" -> "Bắc Ninh"."""
    parts = words.split()
    for n in range(min(4, len(parts)), 0, -1):
        cand = " ".join(parts[:n])
        if fold(cand) in rules.provinces:
            return cand
    return None


def _press(url: str | None) -> bool:
    """Whether ``url`` is a newspaper's page rather than a government site's.

    Example:
        >>> _press("https://kinhtedothi.vn/x.html"), _press("https://quangtri.gov.vn/x")
        (True, False)
    """
    if not url:
        return False
    host = re.sub(r"^[a-z]+://", "", url.strip().lower()).split("/")[0].split(":")[0]
    return not (host.endswith(".gov.vn") or host in ("chinhphu.vn", "vanban.chinhphu.vn"))


def find_metadata(doc: Document, *, table: PatternTable | None = None) -> DocMeta:
    """Metadata of one cleaned document.

    ``doc.get("published")`` (a news item's date), ``doc.get("province")``
    (the jurisdiction, when the text never names it), ``doc.get("title")``
    and ``doc.get("issuer")`` win over the text.

    Example:
        >>> t = "Số: /TB-UBND\\nBắc Giang, ngày\\ntháng 3 năm 2024\\nTHÔNG BÁO\\nKết luận ..."
        >>> m = find_metadata(Document(id="t", source="t", text=t))
        >>> (str(m.kind), m.doc_type, m.number_symbol, m.issuer, m.issue_date, m.place)
        ('official', 'Thông báo', '/TB-UBND', 'UBND tỉnh Bắc Giang', '2024-03', 'Bắc Giang')
    """
    rules = _build(table) if table is not None else _default_rules()
    text = doc.text
    found = {
        "NUMBER": _first(rules, "NUMBER", text),
        "PLACE_DATE": _first(rules, "PLACE_DATE", split_columns(rules, text[:1500])),
        "KIND_OFFICIAL": _first(rules, "KIND_OFFICIAL", text),
        "NEWS_DATE": _first(rules, "NEWS_DATE", text[:3000]),
    }
    news_date = found["NEWS_DATE"][1]
    number_row, number = found["NUMBER"]
    if number is not None and number_row is not None and not number_row.data.get("header"):
        # "UBND tỉnh vừa ban hành Công văn số ...": a government portal
        # reproducing the letter, or a newspaper reporting it
        number = None if _press(doc.get("url")) else number
    official = number or found["PLACE_DATE"][1] or found["KIND_OFFICIAL"][1]
    if official or _type_title_first(rules, text):
        kind = DocKind.OFFICIAL
    elif (
        doc.get("published")
        or news_date
        or _press(doc.get("url"))
        or _first(rules, "KIND_NEWS", text)[1]
    ):
        kind = DocKind.NEWS
    elif doc.get("title"):  # a page with a headline and no mark of an issued document
        kind = DocKind.NEWS
    else:
        kind = DocKind.OTHER

    # the place, and a province the layout names ("Quảng Trị" alone on a line)
    pd = found["PLACE_DATE"][1]
    place = pd["place"] if pd is not None else None
    line_province = next((p for ln in _lines(text[:300])[:5] if (p := _province(rules, ln))), None)
    given = doc.get("province")  # a sidecar may write "Tỉnh Sơn La": the province's name
    province = (_province(rules, given) or given if given else None) or _province(rules, place)
    province = province or line_province

    if kind is DocKind.OFFICIAL:
        meta = _official(rules, doc, found, province)
    elif kind is DocKind.NEWS:
        meta = _news(rules, doc, news_date)
    else:
        meta = DocMeta()
    if not doc.get("province"):
        province = _jurisdiction(rules, text, kind, meta.issuer, province)
    if kind is DocKind.OFFICIAL:
        meta = _portal_fields(text, meta)
    return replace(meta, place=place, province=province, title=doc.get("title") or meta.title)


# A legal portal's copy opens with the document's properties, one per line:
# "Số hiệu: 17899/BTC-VP", "Ngày ban hành: 18/11/2025".
_PROPERTY_NUMBER = re.compile(
    r"^[ \t*]*Số[ \t]+hiệu[ \t*]*:[ \t*]*(\d[\w./-]*/[\w./-]*\w)", re.MULTILINE
)
_PROPERTY_DATE = re.compile(
    r"^[ \t*]*Ngày[ \t]+ban[ \t]+hành[ \t*]*:[ \t*]*(\d{1,2}/\d{1,2}/\d{4})", re.MULTILINE
)


def _portal_fields(text: str, meta: DocMeta) -> DocMeta:
    """The number and the issue date a legal portal's property lines give, where the
    copy has no header to read them from."""
    head = text[:800]
    if meta.number_symbol is None and (m := _PROPERTY_NUMBER.search(head)):
        meta = replace(meta, number_symbol=m.group(1))
    if meta.issue_date is None and (m := _PROPERTY_DATE.search(head)):
        meta = replace(meta, issue_date=parse_date(m.group(1)))
    if meta.number_symbol is None and meta.doc_type:
        # a copy without its header whose appendix names it: "(Kèm theo Nghị quyết số
        # 394/NQ-CP ngày 03 tháng 12 năm 2025 của Chính phủ)"
        kind = r"[ \t\n]+".join(re.escape(w) for w in meta.doc_type.split())
        cap = re.search(
            rf"\([ \t*]*(?:Ban[ \t\n]+hành[ \t\n]+)?[Kk]èm[ \t\n]+theo[ \t\n]+(?i:{kind})[ \t\n]+số"
            r"[ \t\n]+(\d+/[\w./-]*\w)"
            r"(?:[ \t\n]+ngày[ \t\n]+([^()\n]{6,30}?\d{4}))?",
            text,
        )
        if cap is not None:
            date = parse_date(cap.group(2)) if cap.group(2) else None
            meta = replace(meta, number_symbol=cap.group(1), issue_date=meta.issue_date or date)
    return meta
