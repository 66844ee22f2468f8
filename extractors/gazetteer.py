"""The agency gazetteer: provinces, agency kinds and the 2025 reorganization.

Three tables in ``extractors/data`` are loaded once and validated with
pydantic (``extra="forbid"``):

* ``provinces.yaml`` - the 63 provinces before 1/7/2025, the 34 after,
  which merged into which (Nghị quyết 202/2025/QH15), and the district-level
  units of the 63 provinces;
* ``agencies.yaml`` - agency kinds, department and ministry names,
  abbreviations, central bodies;
* ``reorganization.yaml`` - department and ministry mergers of 2025.

Names are matched on :func:`extractors.textnorm.fold` text with one
compiled trie-shaped alternation per gazetteer (no loop of per-name regexes
over the text). This module also answers "what is this body called now?"
(:func:`current_name`) and the inverse (:func:`former_names`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from extractors.prefilter import skip_start
from extractors.rules import load_model
from extractors.textnorm import fold, normalize

# ----------------------------------------------------------------- tables


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Example(_Strict):
    """A text and the canonical agency names it must yield."""

    text: str
    expect: list[str]
    province: str | None = None


class RenameExample(_Strict):
    """A name and what :func:`current_name` must turn it into."""

    from_: str = Field(alias="from")
    to: str | None


class District(_Strict):
    name: str
    type: Literal["huyện", "thị xã", "thành phố", "quận"]


class ProvinceRow(_Strict):
    id: str
    name: str
    type: Literal["tỉnh", "thành phố"]
    current: bool = False
    until: str | None = None
    since: str | None = None
    successor: str | None = None
    effective: str | None = None
    legal_basis: str | None = None
    unit_name: str | None = None
    aliases: list[str] = []
    districts: list[District] = []
    examples: list[RenameExample] = []

    @property
    def unit(self) -> str:
        """How the unit is written after an agency kind: "tỉnh Bắc Ninh"."""
        return self.unit_name or f"{self.type} {self.name}"


class ProvinceTable(_Strict):
    description: str = ""
    legal_bases: dict[str, str]
    provinces: list[ProvinceRow]

    @model_validator(mode="after")
    def _check(self) -> ProvinceTable:
        ids = {p.id for p in self.provinces}
        for p in self.provinces:
            if p.successor is not None and p.successor not in ids:
                raise ValueError(f"row {p.id}: unknown successor {p.successor}")
            if p.legal_basis is not None and p.legal_basis not in self.legal_bases:
                raise ValueError(f"row {p.id}: unknown legal_basis {p.legal_basis}")
            if p.successor and p.successor != p.id and not (p.effective and p.legal_basis):
                raise ValueError(f"row {p.id}: a merger needs effective and legal_basis")
        return self


class AbbreviationRow(_Strict):
    id: str
    short: str
    long: str
    examples: list[Example] = []


class DepartmentRow(_Strict):
    id: str
    name: str
    levels: list[Literal["Sở", "Bộ", "Phòng"]]
    aliases: list[str] = []
    examples: list[Example] = []


class BodyRow(_Strict):
    id: str
    name: str
    kind: str
    aliases: list[str] = []
    examples: list[Example] = []


class LocalKindRow(_Strict):
    id: str
    kind: str
    canonical: str
    forms: list[str]
    unit: Literal["required", "optional", "none"]
    examples: list[Example] = []


class NameHeadRow(_Strict):
    """A head word that opens agency or organization names the table doesn't list."""

    id: str
    head: str
    kind: Literal["agency", "organization"]
    scope: Literal["province", "ministry", "national"] = "province"
    needs_name: bool = True
    examples: list[Example] = []


class ExclusionRow(_Strict):
    id: str
    before: str
    bodies: list[str]


class AgencyTable(_Strict):
    description: str = ""
    unit_words: dict[str, str]
    abbreviations: list[AbbreviationRow]
    departments: list[DepartmentRow]
    bodies: list[BodyRow]
    local_kinds: list[LocalKindRow]
    exclusions: list[ExclusionRow] = []
    person_titles: list[str] = []
    title_abbreviations: dict[str, str] = {}
    honorifics: list[str] = []
    surnames: list[str] = []
    name_breakers: list[str] = []
    organization_prefixes: list[str] = []
    newspaper_prefixes: list[str] = []
    newspapers: list[str] = []
    organization_stopwords: list[str] = []
    # state corporations staff and directives name by their letters alone
    enterprise_acronyms: dict[str, str] = {}
    name_heads: list[NameHeadRow] = []
    name_words: list[str] = []


class ReorgRow(_Strict):
    id: str
    level: Literal["Sở", "Bộ", "body", "district"]
    from_: list[str] = Field(alias="from")
    to: str | None
    effective: str
    legal_basis: str
    examples: list[RenameExample] = []


class ReorgTable(_Strict):
    description: str = ""
    rows: list[ReorgRow]


# --------------------------------------------------------- trie patterns

_TOKEN = re.compile(r"[a-z0-9&]+")
# Between two words of a name: spaces or line breaks, or a dash/comma/slash.
SEP = r"(?:\s*[-–,/]\s*|\s+)"


@lru_cache(maxsize=1 << 15)
def key(name: str) -> str:
    """The lookup key of a name: folded words joined by one space.

    Example:
        >>> key("Sở Kế hoạch\\nvà Đầu tư")
        'so ke hoach va dau tu'
    """
    return " ".join(_TOKEN.findall(fold(name)))


def trie_pattern(names: Iterable[str]) -> str:
    """One alternation, shaped as a word trie, matching any of ``names``.

    Longer names win: at every branch the longer continuation is tried
    first. The pattern works on folded text and ends on a word boundary.
    """
    trie: dict[str, Any] = {}
    for name in names:
        node = trie
        for tok in key(name).split():
            node = node.setdefault(tok, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        # The words that start with one character are one alternative: the
        # engine tries a branch per character instead of one per word, and
        # since only those words can match there, in their order, the
        # matches are the same (2x faster over the corpus).
        by_first: dict[str, list[str]] = {}
        for tok in sorted((k for k in node if k), key=lambda k: (-len(k), k)):
            child = node[tok]
            rest = re.escape(tok[1:])
            if any(k for k in child):
                rest += f"(?:{SEP}{emit(child)})" + ("?" if "" in child else "")
            by_first.setdefault(tok[0], []).append(rest)
        alts = [
            re.escape(ch) + (rests[0] if len(rests) == 1 else "(?:" + "|".join(rests) + ")")
            for ch, rests in by_first.items()
        ]
        return "(?:" + "|".join(alts) + ")"

    return r"(?<![\w&])" + emit(trie) + r"(?![\w&])"


# ---------------------------------------------------------- the gazetteer


@dataclass(frozen=True, slots=True)
class Head:
    """What a matched agency name is: a body, a local kind, a Sở or a Bộ."""

    rule_id: str
    kind: str
    name: str  # body name, department name, or the local kind's template
    needs_unit: Literal["required", "optional", "none"]


@dataclass(frozen=True, slots=True)
class Place:
    """A province (``district`` empty) or a district-level unit."""

    province: ProvinceRow
    district: District | None = None

    @property
    def unit(self) -> str:
        if self.district is None:
            return self.province.unit
        return f"{self.district.type} {self.district.name}"


_WORDS = re.compile(r"\w+")
# The unit word before a province's name ("tỉnh Bắc Giang", "TP. Hồ Chí Minh")
_UNIT_LEAD = re.compile(r"^(?:[Tt]ỉnh|TỈNH|[Tt]hành\s+phố|THÀNH\s+PHỐ|TP\.?)\s+")


@dataclass(frozen=True)
class Gazetteer:
    provinces: ProvinceTable
    agencies: AgencyTable
    reorg: ReorgTable
    heads: dict[str, Head]
    head_re: re.Pattern[str]
    depts: dict[str, DepartmentRow]
    dept_re: re.Pattern[str]
    province_keys: dict[str, ProvinceRow]
    district_keys: dict[str, list[Place]]
    place_re: re.Pattern[str]

    def province(self, name: str | None) -> ProvinceRow | None:
        """A province by name or alias, e.g. "Bắc Giang", "TP.HCM", "Tỉnh Sơn La".

        Example:
            >>> gazetteer().province("Tỉnh Sơn La").name
            'Sơn La'
        """
        if not name:
            return None
        k = key(_UNIT_LEAD.sub("", name.strip()))
        return self.province_keys.get(k)

    def districts(self, written: str) -> list[Place]:
        """The district-level units ``written`` names, spelt with their marks.

        The lookup key folds marks away, and district names that fold alike
        are other words or other places ("Chũ" and "chủ tịch", "Phù Yên" and
        "Phú Yên"): a name written with marks must have the unit's own (case
        and spacing aside). One typed without any marks matches on its fold
        when it has two words or more.

        Example:
            >>> [p.province.name for p in gazetteer().districts("Yên Lập")]
            ['Phú Thọ']
            >>> gazetteer().districts("Chủ")
            []
        """
        places = self.district_keys.get(key(written), [])
        words = _WORDS.findall(normalize(written).lower())
        if written.isascii() and len(words) >= 2:
            return places
        return [
            p for p in places if p.district and _WORDS.findall(p.district.name.lower()) == words
        ]

    def by_id(self, province_id: str) -> ProvinceRow:
        return next(p for p in self.provinces.provinces if p.id == province_id)

    def final(self, row: ProvinceRow) -> ProvinceRow:
        """The unit that holds ``row``'s territory today (follows chains)."""
        seen = set()
        while row.successor and row.successor != row.id and row.id not in seen:
            seen.add(row.id)
            row = self.by_id(row.successor)
        return row


def _ampersand(names: list[str]) -> list[str]:
    """The names written with "&" for "và", as staff and the press do ("Sở Nông
    nghiệp & Phát triển nông thôn"), and abbreviations with a hyphen for "&" ("TN-MT");
    a key the tables already have keeps its row."""
    out = [n.replace(" và ", " & ") for n in names if " và " in n]
    # an abbreviation's "&" written as a hyphen, as the press writes it ("Sở TN-MT",
    # "Sở KH-ĐT", "Bộ GD-ĐT", "Sở LĐ-TB-XH")
    out += [n.replace("&", "-") for n in names if "&" in n and " " not in n]
    return out


@cache
def gazetteer() -> Gazetteer:
    """The validated tables and their compiled patterns, built once."""
    provinces = load_model("provinces.yaml", ProvinceTable)
    agencies = load_model("agencies.yaml", AgencyTable)
    reorg = load_model("reorganization.yaml", ReorgTable)

    heads: dict[str, Head] = {}
    for b in agencies.bodies:
        for n in [b.name, *b.aliases]:
            heads[key(n)] = Head(b.id, b.kind, b.name, "none")
    depts: dict[str, DepartmentRow] = {}
    for d in agencies.departments:
        for n in [d.name, *d.aliases]:
            depts[key(n)] = d
    for b in agencies.bodies:
        for n in _ampersand([b.name, *b.aliases]):
            heads.setdefault(key(n), Head(b.id, b.kind, b.name, "none"))
    for d in agencies.departments:
        for n in _ampersand([d.name, *d.aliases]):
            depts.setdefault(key(n), d)
    for lk in agencies.local_kinds:
        if lk.id in ("local.so", "local.bo", "local.phong"):
            level = {"local.so": "Sở", "local.bo": "Bộ", "local.phong": "Phòng"}[lk.id]
            # a ministry is also named by its minister's title: "Bộ trưởng Công Thương"
            words = lk.forms if lk.id == "local.bo" else [level]
            for dk, d in depts.items():
                if level in d.levels:
                    for w in words:
                        heads.setdefault(f"{key(w)} {dk}", Head(lk.id, lk.kind, d.name, lk.unit))
            continue
        for n in lk.forms:
            heads.setdefault(key(n), Head(lk.id, lk.kind, lk.canonical, lk.unit))

    province_keys: dict[str, ProvinceRow] = {}
    district_keys: dict[str, list[Place]] = {}
    for p in provinces.provinces:  # rows before 2025 come first and win
        for n in [p.name, *p.aliases]:
            province_keys.setdefault(key(n), p)
        for dist in p.districts:
            district_keys.setdefault(key(dist.name), []).append(Place(p, dist))
    return Gazetteer(
        provinces=provinces,
        agencies=agencies,
        reorg=reorg,
        heads=heads,
        head_re=skip_start(trie_pattern(heads)),
        depts=depts,
        dept_re=skip_start(trie_pattern(depts)),
        province_keys=province_keys,
        district_keys=district_keys,
        # a numbered quận ("Quận 1") is looked up, not searched for: a bare number is no name
        place_re=skip_start(
            trie_pattern([*province_keys, *(k for k in district_keys if not k.isdigit())])
        ),
    )


# ------------------------------------------------------ reorganization

_UNIT_WORDS = r"tỉnh|thành phố|Thành phố|huyện|thị xã|quận"
_SPLIT = re.compile(rf"^(?P<head>.+?) (?P<unit>(?:{_UNIT_WORDS}) (?P<place>.+))$")
_PARTY = re.compile(r"^(?P<head>Tỉnh ủy|Thành ủy) (?P<place>.+)$")


@dataclass(frozen=True, slots=True)
class Parts:
    """A canonical name split as head + jurisdiction."""

    head: str  # "Sở Tài chính", "UBND", "Tỉnh ủy"
    place: Place | None  # None for central bodies
    unit: str | None  # "tỉnh Bắc Ninh" as written


def split_name(name: str) -> Parts | None:
    """Split a canonical agency name into its head and its jurisdiction.

    Example:
        >>> split_name("Sở Tài chính tỉnh Bắc Ninh").head
        'Sở Tài chính'
    """
    g = gazetteer()
    m = _PARTY.match(name)
    if m:
        prov = g.province(m["place"])
        return Parts(m["head"], Place(prov), prov.unit) if prov else None
    m = _SPLIT.match(name)
    if not m:
        known = key(name) in g.heads and g.heads[key(name)].needs_unit == "none"
        known = known or any(r.level == "body" and name in r.from_ for r in g.reorg.rows)
        return Parts(name, None, None) if known or _dept_head(name) else None
    unit_word = m["unit"][: len(m["unit"]) - len(m["place"]) - 1].lower()
    prov = g.province(m["place"])
    if prov is not None and unit_word in ("tỉnh", "thành phố"):
        if unit_word == prov.type or prov.unit_name:
            return Parts(m["head"], Place(prov), m["unit"])
    if unit_word not in ("huyện", "thị xã", "quận", "thành phố"):
        return None
    # A district-level unit (the level ended on 1/7/2025): its province if
    # the gazetteer knows it, else a placeholder.
    near = g.district_keys.get(key(m["place"]), [])
    prov = near[0].province if near else ProvinceRow(id="?", name="?", type="tỉnh")
    district = District.model_validate({"name": m["place"], "type": unit_word})
    return Parts(m["head"], Place(prov, district), m["unit"])


def _dept_head(head: str) -> bool:
    """Whether ``head`` is "Sở <department>" or "Bộ <department>"."""
    level, _, rest = head.partition(" ")
    dept = gazetteer().depts.get(key(rest))
    return dept is not None and level in dept.levels


def _rename_head(head: str) -> str:
    """Apply a department/ministry/body merger to a head ("Sở X" -> "Sở Y")."""
    g = gazetteer()
    for level in ("Sở", "Bộ"):
        if head.startswith(level + " "):
            dept = g.depts.get(key(head[len(level) + 1 :]))
            if dept is None:
                return head
            for row in g.reorg.rows:
                if row.level == level and dept.name in row.from_ and row.to:
                    return f"{level} {row.to}"
            return f"{level} {dept.name}"
    for row in g.reorg.rows:
        if row.level == "body" and head in row.from_ and row.to:
            return row.to
    return head


def current_name(name: str) -> str | None:
    """The body that holds ``name``'s mandate after the 2025 reorganization.

    Returns the name itself when nothing changed, and ``None`` for a
    district-level body (abolished on 1/7/2025) or an unknown name.

    Example:
        >>> current_name("Sở Kế hoạch và Đầu tư tỉnh Bắc Giang")
        'Sở Tài chính tỉnh Bắc Ninh'
        >>> current_name("UBND tỉnh Thừa Thiên Huế")
        'UBND thành phố Huế'
        >>> current_name("UBND huyện Gio Linh") is None
        True
    """
    parts = split_name(name)
    if parts is None:
        return None
    head = _rename_head(parts.head)
    if parts.place is None:
        return head
    if parts.place.district is not None:
        return None
    prov = gazetteer().final(parts.place.province)
    if head in ("Tỉnh ủy", "Thành ủy"):
        return f"{'Thành ủy' if prov.type == 'thành phố' else 'Tỉnh ủy'} {prov.name}"
    return f"{head} {prov.unit}"


def former_names(name: str) -> list[str]:
    """Names whose body ``name`` took over in 2025 (inverse of current_name).

    Example:
        >>> former_names("Sở Tài chính tỉnh Bắc Ninh")[:2]
        ['Sở Kế hoạch và Đầu tư tỉnh Bắc Giang', 'Sở Kế hoạch và Đầu tư tỉnh Bắc Ninh']
    """
    g = gazetteer()
    parts = split_name(name)
    if parts is None:
        return []
    heads = {parts.head}
    for level in ("Sở", "Bộ"):
        if parts.head.startswith(level + " "):
            target = parts.head[len(level) + 1 :]
            for row in g.reorg.rows:
                if row.level == level and row.to == target:
                    heads.update(f"{level} {d}" for d in row.from_)
    for row in g.reorg.rows:
        if row.level == "body" and row.to == parts.head:
            heads.update(row.from_)
    places: list[str | None] = [None]
    if parts.place is not None:
        if parts.place.district is not None:
            places = [parts.unit]
        else:
            target_row = parts.place.province
            rows = [
                p
                for p in g.provinces.provinces
                if g.final(p).id == g.final(target_row).id
                and (p.id == target_row.id or g.final(p).id == target_row.id)
            ]
            places = [p.name if parts.head in ("Tỉnh ủy", "Thành ủy") else p.unit for p in rows]
    out = set()
    for h in heads:
        for p in places:
            cand = h if p is None else f"{h} {p}"
            if h in ("Tỉnh ủy", "Thành ủy") and p is not None:
                prov = g.province(p)
                cand = f"{'Thành ủy' if prov and prov.type == 'thành phố' else 'Tỉnh ủy'} {p}"
            if cand != name and current_name(cand) == current_name(name):
                out.add(cand)
    return sorted(out)


# ------------------------------------------------------ jurisdiction

_CENTRAL = re.compile(r"^(?:van\s+phong\s+chinh\s+phu|chinh\s+phu|thu\s+tuong|quoc\s+hoi|bo\s)")
_HEADER_UBND = re.compile(r"(?:ubnd|uy\s+ban\s+nhan\s+dan)\s+(?:tinh|thanh\s+pho)\s+")


# A central body's header line, in capitals, past a signature stamp or OCR noise
# ("THỦ TƯỚNG CHÍNHPHỦ CỘNG HÒA XÃ HỘI ..."): the words may have lost their spaces.
_CENTRAL_LINE = re.compile(
    r"(?:thu\s*tuong\s*chinh\s*phu|van\s*phong\s*chinh\s*phu|chinh\s*phu|quoc\s*hoi"
    r"|bo\s+(?!chi\s+huy)[a-z]+|tong\s*cuc\s+[a-z]+)(?![a-z])"
)


def _central_header(head: str) -> bool:
    """Whether the header's first line in capitals names a central body."""
    for line in head.splitlines():
        words = line.strip(" \t*|-_—–.:;,'\"").split()
        if not words:
            continue
        caps = [w for w in words if any(c.isalpha() for c in w)]
        if len(caps) < 2 or not all(w.isupper() for w in caps[:3]):
            continue
        return _CENTRAL_LINE.match(fold(" ".join(words))) is not None  # the first header line
    return False


# A central body's canonical name: the Government and its offices, ministries and their
# directorates, national councils, committees and steering committees.
_CENTRAL_NAME = re.compile(
    r"(?:van\s+phong\s+chinh\s+phu|chinh\s+phu|thu\s+tuong|quoc\s+hoi|bo\s(?!chi\s+huy)"
    r"|tong\s+cuc\s|(?:ban\s+chi\s+dao|uy\s+ban|hoi\s+dong)\s+(?:quoc\s+gia|trung\s+uong))"
)
# a national body named anywhere in the name ("Thanh tra Chính phủ", "Ủy ban Thường vụ
# Quốc hội", "Tòa án nhân dân tối cao", "Ban Tuyên giáo Trung ương", "Bảo hiểm xã hội Việt
# Nam", "Kiểm toán Nhà nước"): a province's body always carries its unit
_NATIONAL_WORD = re.compile(
    r"\b(?:chinh\s+phu|quoc\s+hoi|toi\s+cao|trung\s+uong|chu\s+tich\s+nuoc)\b"
    r"|\b(?:viet\s+nam|nha\s+nuoc)$"
)
# a unit with its name ("tỉnh Bắc Ninh", "Quận 1"), never a word that folds alike ("xã hội",
# "quản lý")
_LOCAL_UNIT = re.compile(
    r"\b(?i:tỉnh|thành\s+phố|huyện|thị\s+xã|quận|xã|phường|đặc\s+khu)\s+[A-ZĐÀ-Ỹ0-9]"
)


def is_central_name(name: str) -> bool:
    """Whether a canonical agency name is a central body's (no jurisdiction in it).

    Example:
        >>> is_central_name("Ban Chỉ đạo quốc gia về tìm kiếm, quy tập hài cốt liệt sĩ")
        True
        >>> is_central_name("Thanh tra Chính phủ"), is_central_name("Tòa án nhân dân tối cao")
        (True, True)
        >>> is_central_name("Sở Y tế tỉnh Bắc Ninh")
        False
    """
    f = fold(name)
    national = _CENTRAL_NAME.match(f) is not None or _NATIONAL_WORD.search(f) is not None
    return national and _LOCAL_UNIT.search(name) is None


# A district's or a commune's own body as the issuer: "UBND huyện Châu Thành", "Phòng Giáo
# dục và Đào tạo thị xã Ba Đồn", "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã Phú Lộc".
_LOCAL_ISSUER = re.compile(
    r"^[^,;]+?\s+"
    r"(?P<unit>(?:huyện|thị\s+xã|quận|xã|phường|thị\s+trấn|đặc\s+khu)\s+[A-ZĐ]\w*(?:\s+[A-ZĐ]\w*)*)$"
)


def local_unit(issuer: str | None) -> str | None:
    """The district or commune an issuer is the body of ("huyện Châu Thành"), what
    a bare "huyện" or "xã" in its document means; None for any other issuer.

    Example:
        >>> local_unit("UBND xã Lương Minh")
        'xã Lương Minh'
        >>> local_unit("UBND tỉnh Bắc Ninh") is None
        True
    """
    m = _LOCAL_ISSUER.match(issuer or "")
    return m["unit"] if m else None


def infer_province(text: str, *, folded: str | None = None) -> str | None:
    """The province a document belongs to, from its own words.

    The header ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI") decides; otherwise the
    province named most often (with "tỉnh X", a place line "X, ngày" or a
    line of its own counting more). Central documents get None.

    Example:
        >>> infer_province("Bắc Giang, ngày 12 tháng 3 năm 2024")
        'Bắc Giang'
    """
    g = gazetteer()
    folded = folded if folded is not None else fold(text)
    head = " ".join(folded[:300].split()).lstrip("-| ")
    if _CENTRAL.match(head) or _central_header(text[:800]):
        return None
    for m in _HEADER_UBND.finditer(folded[:400]):
        pm = g.place_re.match(folded, m.end())
        if pm and key(pm.group()) in g.province_keys:
            return g.province_keys[key(pm.group())].name
    score: Counter[str] = Counter()
    for m in g.place_re.finditer(folded):
        prov = g.province_keys.get(key(m.group()))
        if prov is None or not text[m.start()].isupper():
            continue
        before = folded[max(0, m.start() - 12) : m.start()]
        after = folded[m.end() : m.end() + 8]
        w = 1
        if re.search(r"(?:tinh|thanh pho)\s+$", before):
            w = 2
        if re.match(r",?\s*ngay", after) or (
            (m.start() == 0 or folded[m.start() - 1] == "\n") and re.match(r"[ \t]*(\n|$)", after)
        ):
            w = 3
        score[prov.name] += w
    if not score:
        return None
    name, best = score.most_common(1)[0]
    return name if best >= 2 else None
