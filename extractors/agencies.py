"""Agencies, organizations and people named in a document.

Agency names are found with the gazetteer (:mod:`extractors.gazetteer`) on
folded text and made canonical with their jurisdiction, which comes from the
text or from the document's province:

    "Sở Tài chính" in a Bắc Ninh document  -> "Sở Tài chính tỉnh Bắc Ninh"
    "Ban Quản lý các khu công nghiệp tỉnh"  -> "Ban Quản lý các KCN tỉnh Bắc Ninh"
    "Ủy ban nhân dân tỉnh"                  -> "UBND tỉnh Bắc Ninh"

Enumerations expand ("UBND các huyện, thị xã: Tân Yên, Việt Yên" gives
"UBND huyện Tân Yên" and "UBND thị xã Việt Yên"; "Các Bộ: Tư pháp, Tài
chính" gives two ministries). Collective groups ("các sở, ngành tỉnh",
"UBND các tỉnh, thành phố") are not agencies.

Public API: :func:`find_agencies`, :func:`find_agency_spans`,
:func:`canonical_agency`, :func:`match_agency_query`,
:func:`agency_aliases`, and (from the gazetteer) :func:`current_name`,
:func:`former_names`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache

from extractors.cues import task_cues
from extractors.gazetteer import (
    DepartmentRow,
    Gazetteer,
    Head,
    Place,
    current_name,
    former_names,
    gazetteer,
    infer_province,
    key,
    local_unit,
    split_name,
    trie_pattern,
)
from extractors.model import Agency, Document, Label, Organization, Person, Span
from extractors.names import REPORTING, find_named_bodies
from extractors.prefilter import fast_start, head_scan, skip_start
from extractors.rules import pattern_table
from extractors.spans import filter_spans
from extractors.textnorm import fold, normalize_query

__all__ = [
    "AgencyResult",
    "agency_aliases",
    "canonical_agency",
    "current_name",
    "find_agencies",
    "find_agency_spans",
    "former_names",
    "infer_province",
    "match_agency_query",
]


@dataclass(frozen=True, slots=True)
class AgencyResult:
    """Everything :func:`find_agencies` found, in order of first mention."""

    agencies: tuple[Agency, ...]
    organizations: tuple[Organization, ...]
    people: tuple[Person, ...]
    spans: tuple[Span, ...]  # one AGENCY span per mention, norm = canonical


# Unit words after an agency kind ("tỉnh", "thành phố", "TP.", "huyện" ...),
# at most twice: the sic "Ban Quản lý các KCN tỉnh tỉnh Bắc Ninh".
# "TP.Tân Uyên", "TX.Đức Phổ": the abbreviation's dot may touch the name
_UNIT = re.compile(
    r"\s+(?:(tp\.|tx\.)(?=[^\W\d_])|(tinh|thanh\s+pho|tp\.|tp|huyen|thi\s+xa|tx\.|quan"
    r"|(?<!tac\s)xa(?!\s+hoi)|phuong|thi\s+tran|dac\s+khu)(?![\w&]))"
)
# Unit words whose fold another word shares ("quận" / "quan", "tỉnh" / "tính", "xã" / "xa"):
# the text decides.
_FOLDED_TWINS = frozenset({"quan", "xa", "phuong", "tinh", "huyen"})
_UNIT_TYPE = {
    "tinh": "tỉnh",
    "thanh pho": "thành phố",
    "tp": "thành phố",
    "tp.": "thành phố",
    "huyen": "huyện",
    "thi xa": "thị xã",
    "tx.": "thị xã",
    "quan": "quận",
    "xa": "xã",
    "phuong": "phường",
    "thi tran": "thị trấn",
    "dac khu": "đặc khu",
}
# "HĐND và UBND tỉnh": a bare kind borrows the unit of the next one.
_COORD = re.compile(
    r"\s*(?:,|\s+va)\s+(?:(?:hdnd|hoi\s+dong\s+nhan\s+dan)\s*(?:,|\s+va)\s+)?"
    r"(?:ubnd|hdnd|uy\s+ban\s+nhan\s+dan|hoi\s+dong\s+nhan\s+dan)"
    r"(?=\s+(?:tinh|thanh\s+pho|xa|phuong|dac\s+khu)(?![\w&]))"
)
# "UBND các huyện, thị xã: Tân Yên, ..." or "(... )": districts listed by name.
_ENUM_UNITS = skip_start(  # faster here than fast_start: 0.023 -> 0.018 CPU s over the corpus
    re.compile(
        r"(?<![\w&])(?:ubnd|uy\s+ban\s+nhan\s+dan|hdnd|hoi\s+dong\s+nhan\s+dan"
        # "Sở Công Thương các tỉnh, thành phố: Quảng Ninh, Hải Phòng": that department of each
        r"|so\s+(?P<dept>[a-z][a-z ,-]{1,60}?))\s+cac\s+"
        r"(?P<units>(?:huyen|thi\s+xa|thanh\s+pho|quan|tinh)"
        r"(?:\s*,\s*(?:huyen|thi\s+xa|thanh\s+pho|quan|tinh))*)(?:\s+truc\s+thuoc\s+trung\s+uong)?"
        r"\s*(?P<open>[:(])"
    )
)
# "UBND các tỉnh Nghệ An, Hà Tĩnh và Quảng Bình", "UBND huyện Quang Bình, Bắc Quang":
# several places named after one unit word, with no colon (each must be a known place)
_ENUM_NAMED = skip_start(
    re.compile(
        r"(?<![\w&])(?:(?:ubnd|uy\s+ban\s+nhan\s+dan|hdnd|hoi\s+dong\s+nhan\s+dan"
        r"|so\s+(?P<dept>[a-z][a-z ,-]{1,60}?)|(?P<body>cuc\s+thue|cong\s+an|kho\s+bac\s+nha\s+nuoc"
        r"|bao\s+hiem\s+xa\s+hoi|cuc\s+hai\s+quan|cuc\s+thong\s+ke))\s+(?:cac\s+)?|(?P<bare>cac)\s+)"
        r"(?:(?P<unit>huyen|thi\s+xa|thanh\s+pho|quan|tinh)(?P<more>\s*[,/]\s*thanh\s+pho)?"
        r"[ \t]+(?=\w)|(?<=[a-z] )(?=[a-z]))"
    )
)
# "Các Bộ: Kế hoạch và Đầu tư, Tư pháp", "Các cơ quan: Xây dựng, Nội vụ".
_ENUM_DEPTS = fast_start(
    re.compile(r"(?<![\w&])cac\s+(?P<what>bo|so|co\s+quan)(?:\s*,\s*(?:co\s+quan|nganh))?\s*:\s*")
)
# "Các Bộ Quốc phòng, Công an", "các Sở Tài chính và Xây dựng": one head shared by the
# names after it, with no colon (read only when two or more names follow)
_ENUM_DEPTS_BARE = fast_start(re.compile(r"(?<![\w&])cac\s+(?P<what>bo|so)\s+(?=[a-z])"))
# Between two enumerated items: an optional "(văn bản số ...)", then "," or "và".
_ITEM_SEP = re.compile(r"\s*(?:\([^()\n]*\))?\s*(?:[,;]|va(?![\w&]))[ \t]*(?:\n[ \t]*)?")
_WORD_AT = re.compile(r"[^\W\d_][\w]*")
_CAP_WORDS = re.compile(r"\s+((?:[^\W\d_][\w]*)(?:[ \t]+[^\W\d_][\w]*){0,2})")


# Heads whose body is one of several in a province, told apart by a zone's
# proper name: "Ban Quản lý Khu kinh tế Đông Nam" (Nghệ An), "… Vũng Áng".
_NAMED_ZONE_HEADS = frozenset({"local.bql_kkt"})
# Rows read for their spans (an owner may be one) but left out of the
# document's list of agencies: a province's web portal.
_NOT_LISTED = frozenset({"local.cong_ttdt", "local.so.unplaced"})
# Heads that are common words in lower case ("thu thuế tỉnh").
_CAPITALIZED_HEADS = frozenset({"local.thue"})
_ZONE_WORDS = re.compile(r"[ \t]*\n?[ \t]*((?:[A-ZĐÀ-Ỹ][\w]*)(?:[ \t]+[A-ZĐÀ-Ỹ][\w]*){0,2})")


_NOT_ZONE = frozenset(
    {"va", "cac", "cua", "tinh", "thanh", "huyen", "quan", "xa", "phuong", "tai", "ve"}
)
_AND_ZONES = re.compile(r"\s+va\s+cac\s+(?:khu\s+cong\s+nghiep|kcn)(\s+tinh\b)?[ \t]*")


def _zone_name(
    g: Gazetteer, text: str, folded: str, pos: int, province: Place | None
) -> tuple[str, int] | None:
    """The zone's proper name right after a head ("Đông Nam"), when it is no
    place, with the province's industrial zones when the name goes on to them
    ("Dung Quất và các Khu công nghiệp Quảng Ngãi")."""
    zm = _ZONE_WORDS.match(text, pos)
    if zm is None or zm.start(1) == pos:
        return None
    if g.place_re.match(folded, zm.start(1)) or _UNIT.match(folded, zm.start(1) - 1):
        return None
    words = list(_WORD_AT.finditer(text, zm.start(1), zm.end(1)))
    while words and key(words[-1].group()) in _NOT_ZONE:
        words.pop()
    if not words or key(words[0].group()) in _NOT_ZONE:
        return None
    name, end = text[words[0].start() : words[-1].end()], words[-1].end()
    am = _AND_ZONES.match(folded, end)
    if am:
        pm = g.place_re.match(folded, am.end())
        prov = g.province_keys.get(key(pm.group())) if pm else None
        if pm is not None and prov is not None:
            return f"{name} và các Khu công nghiệp {prov.name}", pm.end()
        if province is None or not am.group(1):
            return None
        return f"{name} và các Khu công nghiệp {province.province.name}", am.end(1)
    return name, end


def _is_upper(text: str, i: int) -> bool:
    return i < len(text) and text[i].isupper()


def _name(place: Place) -> str:
    return place.district.name if place.district else place.province.name


_SPACES = re.compile(r"\s+")
_NO_SPACE = re.compile(r"(?=[^\W\d_])")
_CAP_WORDS_GLUED = re.compile(r"(?<=\.)((?:[^\W\d_][\w]*)(?:[ \t]+[^\W\d_][\w]*){0,2})")


def _resolve_place(
    g: Gazetteer,
    text: str,
    folded: str,
    pos: int,
    unit_word: str | None,
    province: Place | None,
    strict: bool,
    titled: bool = False,
) -> tuple[Place | None, str | None, int]:
    """Read a place name at ``pos``; return (place, unit string, end).

    ``titled``: an office title precedes the agency ("Chủ tịch UBND Thành
    phố Vũ Đại Thắng"), so unknown capitalised words that look like a
    person's full name are the officer, not a district.
    """
    m = _SPACES.match(folded, pos)
    if m is None and folded[pos - 1 : pos] == ".":
        m = _NO_SPACE.match(folded, pos)  # "TP.Tân Uyên"
    start = m.end() if m else pos
    pm = g.place_re.match(folded, start) if m else None
    if pm and (not strict or _is_upper(text, start)):
        k = key(pm.group())
        prov = g.province_keys.get(k)
        districts = g.districts(text[start : pm.end()])
        if province is not None:  # prefer the document's own districts
            districts = sorted(districts, key=lambda p: p.province.id != province.province.id)
        if unit_word in (None, "tỉnh") and prov is not None:
            return Place(prov), prov.unit, pm.end()
        if unit_word == "thành phố":
            if prov is not None and (prov.type == "thành phố"):
                return Place(prov), prov.unit, pm.end()
            if districts:
                return districts[0], f"thành phố {_name(districts[0])}", pm.end()
        if unit_word in ("huyện", "thị xã", "quận") and districts:
            d = districts[0]
            return d, f"{unit_word} {_name(d)}", pm.end()
    if unit_word in ("huyện", "thị xã", "quận", "thành phố", *_COMMUNE_UNITS) and m:
        # A district the gazetteer does not know, or a commune: its capitalized words.
        cm = _CAP_WORDS.match(text, pos) or _CAP_WORDS_GLUED.match(text, pos)
        words = list(_WORD_AT.finditer(text, cm.start(1), cm.end(1))) if cm else []
        while words and not words[-1].group()[0].isupper():
            words.pop()  # "UBND huyện Tây Trà phải": the name ends before "phải"
        if cm and words and all(w.group()[0].isupper() for w in words):
            name = " ".join(w.group() for w in words)
            if name.isupper():  # a header in capitals: "XÃ LƯƠNG MINH"
                name = " ".join(w.capitalize() for w in name.split())
            one_of_more = len(words) == 1 and words[-1].end() < cm.end(1)
            if not (titled and _looks_like_person(name)) and not one_of_more:
                return None, f"{unit_word} {name}", words[-1].end()
    return None, None, pos


# The units below a district, named only by their capitalised words ("UBND xã Lương Minh").
_COMMUNE_UNITS = ("xã", "phường", "thị trấn", "đặc khu")


def _looks_like_person(words: str) -> bool:
    """ "Vũ Đại Thắng": a family name then two or more given names."""
    parts = words.split()
    return len(parts) >= 3 and parts[0] in _surnames()


@cache
def _surnames() -> frozenset[str]:
    return frozenset(gazetteer().agencies.surnames)


# An office title right before an agency: "Chủ tịch UBND", "Phó Giám đốc Sở".
_TITLE_BEFORE = re.compile(
    r"(?:chu\s+tich|giam\s+doc|truong\s+ban|chanh\s+van\s+phong|bi\s+thu|thu\s+truong)\s+$"
)


def _place_follows(g: Gazetteer, text: str, folded: str, pos: int) -> bool:
    """Whether a known place's name, capitalised, starts after the spaces at ``pos``."""
    m = _SPACES.match(folded, pos)
    start = m.end() if m else pos
    return g.place_re.match(folded, start) is not None and _is_upper(text, start)


def _jurisdiction(
    g: Gazetteer,
    text: str,
    folded: str,
    pos: int,
    head: Head,
    province: Place | None,
    strict: bool,
    titled: bool = False,
    local: str | None = None,
) -> tuple[str | None, str | None, int]:
    """The jurisdiction after an agency kind: (unit, place name, end). ``local``:
    the issuer's own district or commune ("xã Lương Minh"), what its bare unit word
    means ("Công an xã")."""
    unit_word = None
    end = pos
    for _ in range(2):
        um = _UNIT.match(folded, end)
        if not um:
            break
        word = um.group(1) or um.group(2)
        if (
            word in _FOLDED_TWINS
            and not text.isascii()  # a question typed without marks: "ubnd tinh bac ninh"
            and text[um.end() - len(word) : um.end()].lower() != _UNIT_TYPE[word]
            and not _place_follows(g, text, folded, um.end())
        ):
            break  # "quan tâm", "tính toán": the fold of another word ("tinh Sơn La" is a typo)
        unit_word = _UNIT_TYPE[re.sub(r"\s+", " ", word)]
        end = um.end()
    place, unit, pend = _resolve_place(g, text, folded, end, unit_word, province, strict, titled)
    if unit is not None:
        name = place.province.name if place and place.district is None else None
        return unit, name, pend
    if local is not None and unit_word is not None and local.startswith(unit_word + " "):
        return local, None, end
    if head.rule_id == "local.dang_uy" and local is not None and unit_word is None:
        return local, None, end  # "Đảng ủy" in a commune's own document: that commune's
    if head.rule_id == "local.phong":
        # "Phòng TN&MT" (with a bare "huyện" or none) in the district's own document
        if local is not None and unit_word in (None, "huyện", "thị xã", "quận", "xã", "phường"):
            return local, None, end
        return None, None, pos
    if unit_word is None and head.needs_unit == "required":
        cm = _COORD.match(folded, pos)
        if cm:
            found = _jurisdiction(g, text, folded, cm.end(), head, province, strict, titled)
            return found[:2] + (pos,)
        return None, None, pos
    if province is None and unit_word is None and strict and head.rule_id == "local.so":
        # "Sở Y tế chủ trì ..." in a text that names no province anywhere: the department,
        # its province unknown (a name in owner position is still an owner)
        return _NO_PLACE, None, pos
    if province is None or unit_word not in (None, "tỉnh", "thành phố"):
        return None, None, pos
    if unit_word == "thành phố" and province.province.type != "thành phố":
        return None, None, pos
    return province.province.unit, province.province.name, end


_NO_PLACE = "\x00"  # a department whose province the text never gives
_DETERMINER_BEFORE = re.compile(r"(?:[Cc]ác|[Nn]hững)\s+$")


def _canonical(head: Head, unit: str | None, place_name: str | None) -> str | None:
    if head.rule_id == "local.bo" or head.needs_unit == "none":
        return f"Bộ {head.name}" if head.rule_id == "local.bo" else head.name
    if head.rule_id == "local.phong":  # a district's office; no province has one
        return f"Phòng {head.name} {unit}" if unit else f"Phòng {head.name}"
    if unit is None:
        return None
    if head.rule_id == "local.so":
        return f"Sở {head.name} {unit}" if unit != _NO_PLACE else f"Sở {head.name}"
    if "{place}" in head.name:
        if place_name == "Hồ Chí Minh":  # "Thành ủy Thành phố Hồ Chí Minh", as it is called
            place_name = "Thành phố Hồ Chí Minh"
        return head.name.format(place=place_name) if place_name else None
    return head.name.format(unit=unit)


def _excluded(g: Gazetteer, folded: str, start: int, head: Head) -> bool:
    before = folded[max(0, start - 24) : start]
    for ex in g.agencies.exclusions:
        if head.rule_id in ex.bodies and _exclusion_re(ex.before).search(before):
            return True
    return False


@cache
def _exclusion_re(before: str) -> re.Pattern[str]:
    """An exclusion's words right before a head ("Luật tổ\nchức Chính phủ")."""
    words = r"\s+".join(key(before).split())
    return re.compile(rf"(?<!\w){words}\s+$")


def _lower_office(text: str, m: re.Match[str], head: Head) -> bool:
    """A district's office written in lower case as news does ("phòng TN&MT"): its
    field written as a name, and not the end of "văn phòng"."""
    return (
        head.rule_id == "local.phong"
        and _is_upper(text, m.start() + 6)
        and not text[max(0, m.start() - 4) : m.start()].lower().endswith("văn ")
    )


def _main_spans(
    g: Gazetteer,
    text: str,
    folded: str,
    province: Place | None,
    strict: bool,
    local: str | None = None,
) -> list[Span]:
    spans = []
    for m in g.head_re.finditer(folded):
        head = g.heads[key(m.group())]
        if strict and not _is_upper(text, m.start()) and not _lower_office(text, m, head):
            continue
        if head.rule_id in _CAPITALIZED_HEADS and not _is_upper(text, m.start()):
            continue
        if _excluded(g, folded, m.start(), head):
            continue
        unit, place_name, end = (None, None, m.end())
        if head.needs_unit != "none":
            titled = bool(_TITLE_BEFORE.search(folded, max(0, m.start() - 20), m.start()))
            unit, place_name, end = _jurisdiction(
                g, text, folded, m.end(), head, province, strict, titled, local
            )
        if unit == _NO_PLACE and _DETERMINER_BEFORE.search(text, max(0, m.start() - 8), m.start()):
            continue  # "các Sở Xây dựng": a class of departments, read as a group
        norm = _canonical(head, unit, place_name)
        if head.rule_id in _NAMED_ZONE_HEADS:
            zone = _zone_name(g, text, folded, m.end(), province)
            if zone is not None:
                zname, end = zone
                norm = f"{head.name.format(unit='').strip()} {zname}"
                if " và các Khu công nghiệp " not in zname:
                    unit, place_name, end = _jurisdiction(
                        g, text, folded, end, head, province, strict
                    )
                    norm = f"{norm} {unit}" if unit else norm
        if norm:
            # a department whose province the text never gives owns its tasks but is no
            # listed body ("Sở Tư pháp" in a ministry's circular is every province's)
            rule = f"{head.rule_id}.unplaced" if unit == _NO_PLACE else head.rule_id
            spans.append(Span(m.start(), end, text[m.start() : end], Label.AGENCY, rule, norm))
    return spans


def _enum_unit_spans(g: Gazetteer, text: str, folded: str, province: Place | None) -> list[Span]:
    spans = []
    for m in _ENUM_UNITS.finditer(folded):
        dept = g.depts.get(key(m["dept"])) if m["dept"] else None
        if m["dept"] and dept is None:
            continue
        units = [_UNIT_TYPE[re.sub(r"\s+", " ", u.strip())] for u in m["units"].split(",")]
        party = dept is None and _PARTY_BEFORE.search(folded, max(0, m.start() - 60), m.start())
        # a list wrapped over lines goes on; a blank line or a new item ends it
        brk = r"\n[ \t]*(?:\n|[-+•*]|\d{1,2}[.)]|[a-zđ]\))|\n(?![^\n]*[,;.])"
        stop = re.compile(
            r"[;)]|" + brk + r"|\.(?:\s|$)" if m["open"] == "(" else r";|" + brk + r"|\.(?:\s|$)"
        )
        sm = stop.search(text, m.end())
        seg_end = sm.start() if sm else len(text)
        for start, item in _list_items(text, m.end(), seg_end):
            # "... và Lâm Đồng tiếp tục chỉ đạo": the last name, then the sentence goes on
            name, rest = _leading_name(item)
            if not name:
                continue
            unit = _enum_unit(g, name, units, province)
            if unit:
                norm, rule = _listed_body(folded, m.start(), dept, None, unit)
                spans.append(Span(start, start + len(name), name, Label.AGENCY, rule, norm))
            if unit and party and unit.startswith(("tỉnh ", "thành phố ")):
                # "Bí thư Tỉnh ủy, Thành ủy, Chủ tịch UBND các tỉnh, thành phố: ..." (party
                # is read only where no department heads the list)
                committee = "Tỉnh ủy" if unit.startswith("tỉnh ") else "Thành ủy"
                place = unit.removeprefix("tỉnh ").removeprefix("thành phố ")
                spans.append(
                    Span(
                        start,
                        start + len(name),
                        name,
                        Label.AGENCY,
                        "local.party.enum",
                        f"{committee} {place}",
                    )
                )
            if rest:
                break
    return spans


def _enum_named_spans(g: Gazetteer, text: str, folded: str, province: Place | None) -> list[Span]:
    spans: list[Span] = []
    for m in _ENUM_NAMED.finditer(folded):
        if not text[m.end()].isupper():
            continue
        dept = g.depts.get(key(m["dept"])) if m["dept"] else None
        if m["dept"] and dept is None:
            continue
        if m["unit"] is None and m["body"] is None:
            continue  # only a provincial body lists provinces with no unit word
        # "Cục Thuế Bình Định, Lâm Đồng, ...": that body of each province listed
        unit_type = _UNIT_TYPE[re.sub(r"\s+", " ", m["unit"])] if m["unit"] else "tỉnh, thành phố"
        body_name = " ".join(text[m.start("body") : m.end("body")].split()) if m["body"] else None
        if m["more"]:
            unit_type = "tỉnh, thành phố"  # "các tỉnh, thành phố Đà Nẵng, Quảng Ngãi"
        sm = _NAMED_LIST_END.search(text, m.end())
        found: list[tuple[int, str, str]] = []
        for start, item in _list_items(text, m.end(), sm.start() if sm else len(text)):
            item_type = unit_type
            own = _ITEM_UNIT.match(item)
            lead = ""
            if own is not None and found:  # "... và TX Đức Phổ": a unit of another kind
                k = " ".join(fold(own.group(1)).rstrip(".").split())
                item_type = _UNIT_TYPE.get(k) or _UNIT_TYPE[k + "."]
                lead, item = item[: own.end()], item[own.end() :]
            name, rest = _leading_name(item)
            unit = _named_place(g, name, item_type, province) if name else None
            if unit is None:
                break
            found.append((start, lead + name, unit))
            if rest:
                break
        if len(found) < 2:
            continue  # one place: the gazetteer's own span
        for start, name, unit in found:
            norm, rule = _listed_body(folded, m.start(), dept, body_name, unit)
            spans.append(Span(start, start + len(name), name, Label.AGENCY, rule, norm))
    return spans


def _listed_body(
    folded: str, head: int, dept: DepartmentRow | None, body: str | None, unit: str
) -> tuple[str, str]:
    """(canonical name, rule id) of the body a list head names, for one listed place."""
    if dept is not None:
        return f"Sở {dept.name} {unit}", "local.so.enum"
    if body is not None:
        return f"{body} {unit}", "local.body.enum"
    return f"{'HĐND' if folded[head] == 'h' else 'UBND'} {unit}", "local.ubnd.enum"


# (a line break ends the list only before a blank line or a list marker: a copy
# wraps a long list anywhere, "Cục Thuế Bình Định," / "Lâm Đồng, Tiền Giang, ...")
_NAMED_LIST_END = re.compile(
    r"[;:()]|\n[ \t]*\n|\n[ \t]*(?:[-+•*–]|\d{1,2}[.)]|[a-zđ]\))[ \t]|\.(?:\s|$)"
)
_ITEM_UNIT = re.compile(r"(TX\.?|TP\.?|thị\s+xã|thành\s+phố|huyện|quận|tỉnh)\s+(?=[A-ZĐ])")


def _named_place(g: Gazetteer, name: str, unit_type: str, province: Place | None) -> str | None:
    """ "tỉnh Hà Tĩnh" for ("Hà Tĩnh", "tỉnh"): only a place the gazetteer knows."""
    k = key(name)
    if unit_type in ("tỉnh", "thành phố", "tỉnh, thành phố") and k in g.province_keys:
        row = g.province_keys[k]
        if unit_type != "thành phố" or row.unit.startswith("thành phố"):
            return row.unit
    if unit_type == "tỉnh, thành phố":
        return None
    places = [p for p in g.districts(name) if p.district is not None]
    if province is not None:
        places = [p for p in places if p.province.id == province.province.id] or places
    for p in places:
        if p.district is not None and p.district.type == unit_type:
            return f"{unit_type} {name}"
    prov = g.province_keys.get(k)
    if places or unit_type == "tỉnh" or (prov is not None and prov.name.lower() == name.lower()):
        return None  # a place of another kind ("Quang Bình" is no "Quảng Bình")
    # a district the gazetteer does not list: two or more name words, none a body's head
    words = name.replace("-", " ").split()
    if len(words) >= 2 and not _BODY_WORD.match(name):
        return f"{unit_type} {name}"
    return None


_BODY_WORD = re.compile(
    r"(?:Sở|Phòng|Ban|Bộ|Cục|Chi|Trung|Công|Đài|Hội|Ủy|Uỷ|Văn|Thanh|Kho|Bảo|Viện|Trường|Bệnh"
    r"|Báo|Quỹ|Tổng|Liên|Mặt|Đoàn|Tỉnh|Huyện|Thành|Thị|Xã|Phường|Quận|UBND|HĐND|Đảng|Chủ|Giám"
    r"|Phó|Trưởng|Bí|Thủ|Đồng|Ông|Bà|Lãnh|Các|Những|Nhân|Người|Dự|Khu|Cụm)\b"
)


_ITEM_WORD = re.compile(r"[^\W\d_][\w-]*|\d+")
# The Party committees named before the People's Committees they enumerate with.
_PARTY_BEFORE = re.compile(r"tinh\s+uy(?:\s*,\s*thanh\s+uy)?\s*,?\s*(?:va\s+)?chu\s+tich\s+$")


def _leading_name(item: str) -> tuple[str, bool]:
    """The capitalised words an enumerated item opens with (at most five), and
    whether lower-case words go on after them: ("Lâm Đồng", True) for "Lâm
    Đồng tiếp tục chỉ đạo", ("Bà Rịa - Vũng Tàu", False); ("", False) when
    the item does not open with a name."""
    end = 0
    n = 0
    for w in _ITEM_WORD.finditer(item):
        if not w.group()[0].isupper() or n == 5 or item[end : w.start()].strip() not in "-–":
            return (item[:end], w.group()[0].islower()) if n else ("", False)
        end = w.end()
        n += 1
    return item[:end], False


def _list_items(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """The items of "A, B và C" between ``start`` and ``end``, with offsets."""
    out = []
    for im in re.finditer(r"[^,]+", text[start:end]):
        pos = start + im.start()
        for part in re.split(r"(\s+và\s+)", im.group()):
            name = part.strip()
            if name and name != "và" and not re.fullmatch(r"\s+và\s+", part):
                out.append((pos + part.index(name), name))
            pos += len(part)
    return out


def _enum_unit(g: Gazetteer, name: str, units: list[str], province: Place | None) -> str | None:
    k = key(name)
    if units == ["tỉnh"] or (units[0] == "tỉnh" and k in g.province_keys):
        prov = g.province_keys.get(k)
        return prov.unit if prov else None
    places = g.districts(name)
    if province is not None:
        places = [p for p in places if p.province.id == province.province.id] or places
    if places and places[0].district is not None and places[0].district.type in units:
        return f"{places[0].district.type} {name}"
    if len(units) == 1:
        return f"{units[0]} {name}"
    return f"{places[0].district.type} {name}" if places and places[0].district else None


_DEPT_SEP = re.compile(r"\s*[,;&–-]")


def _enum_dept_spans(g: Gazetteer, text: str, folded: str, province: Place | None) -> list[Span]:
    spans = []
    for m in _ENUM_DEPTS.finditer(folded):
        spans += _enum_depts_at(g, text, folded, province, m)
    for m in _ENUM_DEPTS_BARE.finditer(folded):
        found = _enum_depts_at(g, text, folded, province, m)
        if len(found) >= 2:
            spans += found
    return spans


def _enum_depts_at(
    g: Gazetteer, text: str, folded: str, province: Place | None, m: re.Match[str]
) -> list[Span]:
    """The departments named after one shared head ("Các Bộ: Tư pháp, Tài chính")."""
    spans: list[Span] = []
    level = "Bộ" if m["what"] == "bo" else "Sở"
    if level == "Sở" and province is None:
        return spans
    unit = province.province.unit if province else ""
    pos = m.end()
    while True:
        dm = g.dept_re.match(folded, pos)
        if dm and level not in g.depts[key(dm.group())].levels:
            # "Tài chính, Kế hoạch và Đầu tư" read as a district office's "Tài chính -
            # Kế hoạch": the department before the separator
            cut = _DEPT_SEP.search(folded, pos, dm.end())
            dm = g.dept_re.match(folded, pos, cut.start()) if cut else dm
        hm = g.head_re.match(folded, pos)
        if (
            dm
            and _is_upper(text, pos)
            and level in g.depts[key(dm.group())].levels
            # "Các Bộ: NNPTNT, TC, CT" in Nơi nhận: abbreviations are not expanded
            and any(c.islower() for c in text[pos : dm.end()])
            and not (hm and hm.end() > dm.end())
        ):
            dept = g.depts[key(dm.group())]
            norm = f"Bộ {dept.name}" if level == "Bộ" else f"Sở {dept.name} {unit}"
            spans.append(
                Span(
                    pos,
                    dm.end(),
                    text[pos : dm.end()],
                    Label.AGENCY,
                    f"local.{'bo' if level == 'Bộ' else 'so'}.enum",
                    norm,
                )
            )
            pos = dm.end()
        elif hm and _is_upper(text, pos):
            head = g.heads[key(hm.group())]
            pos = _jurisdiction(g, text, folded, hm.end(), head, province, True)[2]
        else:
            break
        sm = _ITEM_SEP.match(folded, pos)
        if not sm:
            break
        pos = sm.end()
    return spans


def _settled(spans: Iterable[Span]) -> list[Span]:
    """Keep the longest span where spans overlap, then the earliest
    (:func:`~extractors.spans.filter_spans`); the same span found twice
    counts once, and of two found over the same words the canonical name
    that sorts first wins."""
    spans = set(spans)
    party = [sp for sp in spans if sp.rule_id == "local.party.enum"]
    kept = filter_spans(sorted(spans - set(party), key=lambda s: s.norm or ""))
    if not party:
        return kept
    # a Party committee listed with its People's Committee ("Bí thư Tỉnh ủy, Chủ tịch
    # UBND các tỉnh: Gia Lai, ...") shares the place name's words with it
    at = {(sp.start, sp.end) for sp in kept if sp.rule_id == "local.ubnd.enum"}
    return sorted(
        [*kept, *(sp for sp in party if (sp.start, sp.end) in at)],
        key=lambda sp: (sp.start, sp.end, sp.norm or ""),
    )


def _place(province: str | None) -> Place | None:
    row = gazetteer().province(province)
    return Place(row) if row else None


def _spans(
    text: str,
    province: str | None,
    *,
    strict: bool,
    folded: str | None = None,
    local: str | None = None,
) -> list[Span]:
    g = gazetteer()
    folded = folded if folded is not None else fold(text)
    place = _place(province)
    spans = _main_spans(g, text, folded, place, strict, local)
    spans += _enum_unit_spans(g, text, folded, place)
    spans += _enum_named_spans(g, text, folded, place)
    spans += _enum_dept_spans(g, text, folded, place)
    return _settled(spans)


def find_agency_spans(text: str, *, province: str | None = None) -> list[Span]:
    """Every agency mention in ``text``, one AGENCY span each, sorted.

    ``norm`` is the canonical name. An enumeration gives one span per
    listed body, over the listed name.

    Example:
        >>> [s.norm for s in find_agency_spans("Giao Sở Công Thương chủ trì", province="Bắc Giang")]
        ['Sở Công Thương tỉnh Bắc Giang']
    """
    return [s for s in _spans(text, province, strict=True) if s.rule_id != "local.party.enum"]


def canonical_agency(name: str, *, province: str | None = None) -> str | None:
    """The canonical name of one mention, or None if it names no agency.

    Without a province, a provincial body keeps its bare name.

    Example:
        >>> canonical_agency("Sở KH&ĐT", province="Bắc Giang")
        'Sở Kế hoạch và Đầu tư tỉnh Bắc Giang'
        >>> canonical_agency("Sở Công Thương")
        'Sở Công Thương'
    """
    spans = _spans(name, province, strict=False)
    if spans:
        return max(spans, key=lambda s: (s.end - s.start, -s.start)).norm
    g = gazetteer()
    m = g.head_re.search(fold(name))
    if m and province is None:
        head = g.heads[key(m.group())]
        if head.rule_id == "local.so":
            return f"Sở {head.name}"
        if head.rule_id in ("local.bql_kcn", "local.bql_kkt", "local.vp_ubnd"):
            return head.name.replace(" {unit}", "")
    return None


def department_at(text: str, pos: int) -> tuple[str, int] | None:
    """A provincial department named at ``pos`` without its province ("Sở Y tế",
    "sở GD&ĐT"): its name in full and where it ends; None for anything else.

    Example:
        >>> department_at("các sở GD&ĐT chỉ đạo", 4)
        ('Sở Giáo dục và Đào tạo', 12)
    """
    g = gazetteer()
    # fold keeps one character for one: a window around ``pos`` reads as the whole
    # text would there (the character before it kept for the pattern's look-behind)
    lo = max(0, pos - 1)
    m = g.head_re.match(fold(text[lo : pos + 200]), pos - lo)
    if m is None:
        return None
    head = g.heads.get(key(m.group()))
    if head is None or head.rule_id != "local.so":
        return None
    return f"Sở {head.name}", m.end() + lo


# ------------------------------------------------------- the document


def find_agencies(
    doc: Document,
    *,
    province: str | None = None,
    issuer: str | None = None,
    infer: bool = True,
) -> AgencyResult:
    """Agencies, organizations and people of one document.

    ``province`` is the document's jurisdiction; when None it comes from
    ``doc.meta`` ("province") or, unless ``infer`` is false (a central body's
    document), from the text (:func:`infer_province`).

    Example:
        >>> doc = Document("d", "t", "Sở Tài chính chủ trì, phối hợp với Ban Quản lý các KCN tỉnh")
        >>> [a.name for a in find_agencies(doc, province="Bắc Ninh").agencies]
        ['Sở Tài chính tỉnh Bắc Ninh', 'Ban Quản lý các KCN tỉnh Bắc Ninh']
    """
    folded = doc.folded
    province = province or doc.get("province")
    if province is None and infer:
        province = infer_province(doc.text, folded=folded)
    spans = _spans(doc.text, province, strict=True, folded=folded, local=local_unit(issuer))
    # names no row lists, read by grammar where the gazetteer found nothing
    named = find_named_bodies(doc.text, known=spans, province=province, issuer=issuer)
    spans = _settled(
        [
            *spans,
            *(s for s in named if s.label == Label.AGENCY),
            *_footnoted_provinces(doc.text),
        ]
    )
    spans = _with_organs(doc.text, spans)
    kinds = _kinds()
    by_name: dict[str, list[Span]] = {}
    for s in spans:
        by_name.setdefault(s.norm or s.text, []).append(s)
    agencies = []
    for name, mentions in by_name.items():
        parts = split_name(name)
        rule = mentions[0].rule_id.removesuffix(".enum")
        if rule in _NOT_LISTED:
            continue  # where a text is published, not a body that acts (its span stays)
        if all(_recipient_code(doc.text, m) for m in mentions):
            continue  # "- VPCP: BTCN, các PCN, ...": a copy's routing code, its span stays
        agencies.append(
            Agency(
                name=name,
                current_name=current_name(name),
                mentions=tuple(mentions),
                kind=kinds.get(rule),
                jurisdiction=parts.unit if parts else None,
            )
        )
    # a provincial body's document: its associations named without a place are the province's
    provincial = _PROVINCIAL_ISSUER.match(issuer or "") is not None
    organizations = [
        _with_province(o, province, provincial=provincial)
        for o in find_organizations(doc.text, folded=folded)
    ]
    seen = {m.start for o in organizations for m in o.mentions}
    extra: dict[str, list[Span]] = {}
    for s in named:
        if s.label == Label.ORGANIZATION and s.start not in seen:
            extra.setdefault(s.norm or s.text, []).append(s)
    organizations += [
        _with_province(Organization(n, tuple(ms)), province, provincial=provincial)
        for n, ms in extra.items()
    ]
    return AgencyResult(
        agencies=tuple(agencies),
        organizations=tuple(organizations),
        people=tuple(find_people(doc.text, province=province)),
        # one span over any words: a Party committee read beside its People's
        # Committee is an agency with that mention, not a second span over it
        spans=tuple(s for s in spans if s.rule_id != "local.party.enum"),
    )


# A standing organ of the body named right after it: "Ban Thường trực Ủy ban MTTQ phường",
# "Ban Thường vụ Đảng ủy ...", "Đảng ủy Bộ Y tế", "Ban cán sự đảng ...", "Ủy ban Kiểm tra
# Đảng ủy xã ..."; a bare "Thường trực
# HĐND tỉnh" is the council's own standing part, named as the council.
_ORGAN = re.compile(
    r"(?:Ban\s+[Tt]hường\s+trực|Ban\s+[Tt]hường\s+vụ|Ban\s+[Cc]hấp\s+hành"
    r"|Đảng\s+(?:ủy|uỷ)|Đảng\s+đoàn|Ban\s+cán\s+sự\s+(?:Đảng|đảng)"
    r"|(?:Ủy|Uỷ)\s+ban\s+[Kk]iểm\s+tra)[ \t]+$"
)
_ORGAN_NAME = {"uỷ": "ủy", "Ban thường": "Ban Thường", "Ban chấp": "Ban Chấp", "sự Đảng": "sự đảng"}


def _with_organs(text: str, spans: list[Span]) -> list[Span]:
    """Each body's span with the organ of it named right before it: "Ban Thường
    trực Ủy ban MTTQ phường" is the standing board, not the committee.

    Example:
        >>> t = "Ban Thường trực Ủy ban MTTQ phường giám sát"
        >>> s = Span(16, 34, t[16:34], Label.AGENCY, "x", "Ủy ban MTTQ Việt Nam phường A")
        >>> [x.norm for x in _with_organs(t, [s])]
        ['Ban Thường trực Ủy ban MTTQ Việt Nam phường A']
    """
    out = []
    for s in spans:
        start = max(0, s.start - 30)
        window = text[start : s.start]
        m = (
            _ORGAN.search(text, start, s.start)
            if s.label == Label.AGENCY and ("Ban" in window or "Đảng" in window or "tra" in window)
            else None
        )
        words = m.group().split() if m is not None else []
        if (
            m is None
            or not s.norm
            or _ORGAN.match(s.norm + " ")
            or s.norm.startswith(f"{words[0]} {words[1]}")
        ):
            out.append(s)
            continue
        organ = " ".join(words)
        for a, b in _ORGAN_NAME.items():
            organ = organ.replace(a, b)
        out.append(
            Span(m.start(), s.end, text[m.start() : s.end], s.label, s.rule_id, f"{organ} {s.norm}")
        )
    return out


@cache
def _kinds() -> dict[str, str]:
    """The kind of body each gazetteer row names, by rule id."""
    kinds = {lk.id: lk.kind for lk in gazetteer().agencies.local_kinds}
    kinds.update({b.id: b.kind for b in gazetteer().agencies.bodies})
    return kinds


_BARE_UNIT = re.compile(r"\s(?:tỉnh|Tỉnh|thành\s+phố|Thành\s+phố)$")


def _with_province(
    org: Organization, province: str | None, *, provincial: bool = False
) -> Organization:
    """ "Hiệp hội Doanh nghiệp tỉnh" in a Quảng Ngãi document is "Hiệp hội
    Doanh nghiệp tỉnh Quảng Ngãi", as an agency's bare "tỉnh" is; ``provincial``
    (a provincial body's document): so is a bare "Hiệp hội Doanh nghiệp"."""
    m = _BARE_UNIT.search(org.name)
    if m is None and not (
        provincial and _ASSOCIATION.match(org.name) and not _PLACED.search(org.name)
    ):
        return org
    row = gazetteer().province(province) if province else None
    if row is None:
        return org
    if m is None:
        name = f"{org.name} {row.unit}"
    elif m.group().lower().endswith("phố") != (row.type == "thành phố"):
        return org
    else:
        name = f"{org.name[: m.start()]} {row.unit}"
    return Organization(name, tuple(replace(s, norm=name) for s in org.mentions))


_ASSOCIATION = re.compile(r"(?:Hiệp\s+hội|Hội|Liên\s+minh\s+Hợp\s+tác\s+xã)\s")
# a name that already says where it belongs: a place, the country, a unit word
_PLACED = re.compile(
    r"\b(?:Việt\s+Nam|tỉnh|thành\s+phố|Thành\s+phố|huyện|quận|xã|phường|[Tt]rung\s+ương|quốc\s+gia)\b"
)
_PROVINCIAL_ISSUER = re.compile(
    r"^(?:UBND|Ủy\s+ban\s+nhân\s+dân|HĐND|Sở\s.*|Văn\s+phòng\s+UBND)\s.*\b(?:tỉnh|thành\s+phố|Thành\s+phố)\s"
)


# "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố khu vực Bắc Bộ và Bắc Trung Bộ¹":
# a group of provinces whose members a footnote lists ("¹ Quảng Ninh, Hải Phòng, ...").
_PROVINCE_GROUP_NOTE = re.compile(
    r"(?:UBND|Ủy\s+ban\s+nhân\s+dân|Uỷ\s+ban\s+nhân\s+dân)\s+các\s+tỉnh[^.;:¹²³⁴⁵⁶⁷⁸⁹⁰\[]{0,120}?"
    r"(?P<mark>[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\[\d{1,2}\])",
    re.IGNORECASE,
)
_NOTE_MARK = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰\[]")  # what the group "mark" starts with
_PLACE_ITEM = re.compile(r"[^,;.\n]+")


def _footnoted_provinces(text: str) -> list[Span]:
    """The People's Committees a footnote lists for a group of provinces, one
    agency per province, each mention the place name in the note."""
    out: list[Span] = []
    if _NOTE_MARK.search(text) is None:  # every match ends with a mark: most texts have none
        return out
    g = gazetteer()
    for m in head_scan(_PROVINCE_GROUP_NOTE).finditer(text):
        mark = m.group("mark")
        note = re.compile(rf"^[ \t]*{re.escape(mark)}[ \t]*(?=\S)", re.M).search(text, m.end())
        if note is None:
            continue
        stop = text.find("\n\n", note.end())
        stop = len(text) if stop < 0 else stop
        line_end = note.end()
        found: list[Span] = []
        for item in _PLACE_ITEM.finditer(text, note.end(), stop):
            name = item.group().strip()
            row = g.province(name)
            if row is None:
                break
            start = item.start() + (len(item.group()) - len(item.group().lstrip()))
            found.append(
                Span(
                    start,
                    start + len(name),
                    name,
                    Label.AGENCY,
                    "agency.footnote_list",
                    norm=f"UBND {row.unit}",
                )
            )
            line_end = item.end()
            if text[line_end : line_end + 1] in (".", ";"):
                break
        if len(found) >= 2:
            out.extend(found)
    return out


# ------------------------------------------------ organizations, people


@cache
def _org_patterns() -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]:
    t = gazetteer().agencies
    ordered = sorted(t.organization_prefixes, key=len, reverse=True)
    prefixes = "|".join(re.escape(p) for p in ordered)
    by_length = sorted(t.newspaper_prefixes, key=len, reverse=True)
    papers_open = "|".join(re.escape(p) for p in by_length)
    # a newspaper opener only before a capitalised word ("Báo Nông nghiệp")
    news = rf"(?-i:(?:{papers_open}))(?=[ \t]+[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ])"
    alts = "|".join(x for x in (prefixes, news if papers_open else "") if x)
    opener = re.compile(rf"(?<!\w)(?:{alts})(?=[ \t]+\S)")
    papers = fast_start(re.compile(trie_pattern(t.newspapers)))
    return opener, papers, frozenset(t.organization_stopwords)


def _ends_with_province(name: str) -> bool:
    """Whether a name ends with a province ("Công ty Điện lực Tuyên Quang"): a verb
    after it ends the name, whatever capitals follow ("... chỉ đạo Điện lực các huyện")."""
    words = name.split()
    keys = gazetteer().province_keys
    return any(key(" ".join(words[-n:])) in keys for n in (1, 2, 3) if len(words) > n)


def _body_starts(text: str, folded: str, pos: int) -> bool:
    m = gazetteer().head_re.match(folded, pos)
    return m is not None and m.end() < len(text) and not text[m.end()].isalnum()


def _recipient_code(text: str, m: Span) -> bool:
    """A mention that is a routing code in the list of recipients: letters alone
    at a line's start, a colon and the offices' codes after it ("- VPCP: BTCN,
    các PCN, Trợ lý TTg")."""
    word = m.text
    return (
        word.isupper()
        and " " not in word
        and len(word) <= 8
        and text[m.end : m.end + 1] == ":"
        and not text[text.rfind("\n", 0, m.start) + 1 : m.start].strip(" \t-+•*")
    )


def _before_verb(text: str, folded: str, start: int, words_from: int, end: int) -> int:
    """Where a company's name read from ``start`` to ``end`` stops before the
    predicate that follows it: a verb, an adverb, a role or a report ("Công ty
    Điều hành Đường ống Tây Nam chủ động phối hợp", "... Việt Nam thông báo các
    đơn vị", "Tập đoàn ... báo cáo Thủ tướng Chính phủ"). A verb with a
    capitalised word after it that opens no body's name is the name's
    ("Công ty TNHH Xây dựng khai thác khoáng sản Nguyên Hải")."""
    cues = task_cues()
    for w in _LOWER_WORD.finditer(text, words_from + 1, end):
        if not (
            REPORTING.match(text, w.start(), end)
            or any(
                cues.match(label, text, w.start(), end)
                for label in ("ACTION", "ADVERB", "COOP_CUE", "DELEGATE_CUE", "DESCRIPTIVE")
            )
        ):
            continue
        caps = [c for c in _WORD_AT.finditer(text, w.start(), end) if c.group()[0].isupper()]
        if (
            not caps
            or _body_starts(text, folded, caps[0].start())
            or _ends_with_province(text[start : w.start()])
            or _NATIONAL_END.search(text, start, w.start()) is not None
            or cues.match("SPEAKER_CUE", text, w.start(), end) is not None
            or cues.match("ASSIGN_CUE", text, w.start(), end) is not None
        ):
            return len(text[: w.start()].rstrip())
    return end


_WORD_AT = re.compile(r"(?<![\w])\w+")
# A name that ends as a national one does ("... Hàng hải Việt Nam", "... điện Quốc gia"): a
# verb after it ends the name, whatever capitals follow
_NATIONAL_END = re.compile(r"(?:Việt\s+Nam|Quốc\s+gia)[ \t]*$")


def find_organizations(text: str, *, folded: str | None = None) -> list[Organization]:
    """Companies and newspapers (not state bodies), in order of first mention.

    Example:
        >>> [o.name for o in find_organizations("đề nghị của Công ty TNHH CEA Projects theo")]
        ['Công ty TNHH CEA Projects']
    """
    opener, papers, stop = _org_patterns()
    folded_text = folded if folded is not None else fold(text)
    found: dict[str, list[Span]] = {}
    activities = _activity_words()
    for m in head_scan(opener).finditer(text):
        end = pos = m.end()
        while (wm := _ORG_WORD.match(text, pos)) is not None:
            word = wm.group(1)
            if "\n" in wm.group() and (
                not word[0].isupper() or _body_starts(text, folded_text, wm.start(1))
            ):
                # a line break goes on only into a capitalised word ("Việt" / "Nam"), and
                # not into a body's name ("Kính gửi: Công ty X" / "Sở Công Thương đề nghị")
                break
            if word in stop:
                # "Đầu tư, Xây dựng và Kinh doanh dịch vụ": a business line goes on
                if word == "và" and _activity_at(text, wm.end(1), activities):
                    pos = wm.end(1)
                    continue
                break
            end = wm.end(1)
            if end - m.start() > 90:
                break
            if wm.group(2):
                if wm.group(2) == "," and _activity_at(text, wm.end(2), activities):
                    pos = wm.end(2)
                    continue
                break
            pos = end
        end = _before_verb(text, folded_text, m.start(), m.end(), end)
        name = text[m.start() : end]
        if end > m.end() and any(w[0].isupper() for w in name.split()[1:]):
            found.setdefault(name, []).append(
                Span(m.start(), end, name, Label.ORGANIZATION, "organization.prefix")
            )
    for m in _ORG_LIST.finditer(text):
        # "các Tập đoàn: Điện lực Việt Nam (EVN), Công nghiệp - Năng lượng Quốc gia Việt Nam (PVN)"
        head = " ".join(m.group("head").split())
        head = head[0].upper() + head[1:]
        pos = m.end()
        while (
            (item := _ORG_ITEM.match(text, pos)) is not None
            and item.group("name")[0].isupper()
            and not _ROLE_ITEM.match(item.group("name"))
        ):
            at = item.start("name")
            i_end = _before_verb(text, folded_text, at, at, item.end("name"))
            name = f"{head} {' '.join(text[at:i_end].split())}"
            found.setdefault(name, []).append(
                Span(
                    at,
                    i_end,
                    text[at:i_end],
                    Label.ORGANIZATION,
                    "organization.list",
                    norm=name,
                )
            )
            acr = _ACRONYM_DEF.match(text, item.end())
            sep = _ORG_SEP.match(text, acr.end() if acr else item.end())
            if sep is None:
                break
            pos = sep.end()
    _add_acronyms(text, found)
    _full_names(found)
    _add_known_acronyms(text, found)
    folded = folded if folded is not None else fold(text)
    for m in papers.finditer(folded):
        name = next(n for n in gazetteer().agencies.newspapers if key(n) == key(m.group()))
        words = text[m.start() : m.end()].split()
        if len(words) > 1 and words[0][0].isupper() and any(w[0].isupper() for w in words[1:]):
            found.setdefault(name, []).append(
                Span(
                    m.start(),
                    m.end(),
                    text[m.start() : m.end()],
                    Label.ORGANIZATION,
                    "organization.newspaper",
                )
            )
    return [Organization(n, tuple(ms)) for n, ms in found.items()]


_LOWER_WORD = re.compile(r"(?<=\s)[a-zà-ỹđ]\w*")
_ORG_WORD = re.compile(r"(?:[ \t]+|[ \t]*\n[ \t]*(?=[^\W\d_]))([^\s,;:.()“”\"|]+)([,;:.()“”\"|]?)")


@cache
def _activity_words() -> re.Pattern[str]:
    """Business lines a company's name lists ("Đầu tư, Xây dựng và Kinh doanh
    dịch vụ"), capitalised: the words names run on over (``name_words``)."""
    words = [*gazetteer().agencies.name_words, "thương mại", "xuất nhập khẩu", "du lịch", "tư vấn"]
    alts = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"[ \t]+(?=(?:{alts})(?!\w))", re.I)


def _activity_at(text: str, pos: int, activities: re.Pattern[str]) -> bool:
    """Whether a capitalised business line ("Xây dựng", "Kinh doanh") starts after ``pos``."""
    m = activities.match(text, pos)
    return m is not None and text[m.end()].isupper()


# A list of names under one head: "các Tập đoàn: Điện lực Việt Nam (EVN), Công
# nghiệp - Năng lượng Quốc gia Việt Nam (PVN), Công nghiệp Than - Khoáng sản Việt Nam".
_ORG_LIST = fast_start(
    re.compile(
        r"(?<!\w)[Cc]ác\s+(?P<head>Tập\s+đoàn|Tổng\s+[Cc]ông\s+ty|Công\s+ty|Ngân\s+hàng)\s*:\s*"
    )
)
_ORG_ITEM = re.compile(r"(?P<name>[^\W\d_][^,;().:]{0,90}?)(?=[ \t\n]*(?:\(|[,;.:]|\svà\s|$))")
# an item that names a role, not one of the list's bodies ("Chủ đầu tư các dự án")
_ROLE_ITEM = re.compile(r"(?:Chủ|Nhà|Người|Đại\s+diện|Lãnh\s+đạo)\s")
_ORG_SEP = re.compile(r"[ \t\n]*(?:,|;|\svà)[ \t\n]*")
# "Tập đoàn Điện lực Việt Nam (EVN)": a name and the letters the text calls it by after
_ACRONYM_DEF = re.compile(r"[ \t\n]*\((?P<acr>[A-ZĐ][A-ZĐ0-9&]{1,7})\)")


def _add_acronyms(text: str, found: dict[str, list[Span]]) -> None:
    """Every later use of letters a name was given ("EVN", "PVN") mentions it."""
    defs: dict[str, str] = {}
    for name, spans in found.items():
        for sp in spans:
            m = _ACRONYM_DEF.match(text, sp.end)
            if m and m.group("acr") not in defs:
                defs[m.group("acr")] = name
    for acr, name in defs.items():
        for m in re.finditer(rf"(?<![\w&(]){re.escape(acr)}(?![\w&)])", text):
            found[name].append(
                Span(m.start(), m.end(), acr, Label.ORGANIZATION, "organization.acronym", norm=name)
            )


@cache
def _known_acronyms() -> tuple[re.Pattern[str] | None, dict[str, str]]:
    table = gazetteer().agencies.enterprise_acronyms
    if not table:
        return None, {}
    alts = "|".join(re.escape(a) for a in sorted(table, key=len, reverse=True))
    # no lookarounds: the engine then skips to the letters; the edges are checked after
    return re.compile(alts), dict(table)


def _add_known_acronyms(text: str, found: dict[str, list[Span]]) -> None:
    """State corporations named by their letters alone ("PVN tập trung ...")
    whose letters the text never defined."""
    rx, table = _known_acronyms()
    if rx is None or not any(c.isupper() for c in text):
        return
    taken = [(sp.start, sp.end) for spans in found.values() for sp in spans]
    for m in rx.finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if before.isalnum() or before in "_&(/-" or after.isalnum() or after in "_&)/-":
            continue  # inside a longer word or code ("EVNNPT", "PVN-A")
        if any(a <= m.start() < b for a, b in taken):
            continue  # "Tập đoàn Viettel": inside a name already read
        if _BRANCH_PLACE.match(text, m.end()):
            continue  # "Viettel Quảng Ngãi": a provincial branch, not the group
        name = table[m.group()]
        # the text's own spelling of the name wins where it has one
        own = next((n for n in found if key(n) == key(name)), name)
        found.setdefault(own, []).append(
            Span(
                m.start(), m.end(), m.group(), Label.ORGANIZATION, "organization.acronym", norm=own
            )
        )


_BY_LETTERS = re.compile(r"(?:Tập\s+đoàn|Tổng\s+[Cc]ông\s+ty)\s+(\S+)")


def _full_names(found: dict[str, list[Span]]) -> None:
    """A corporation named by its letters ("Tập đoàn EVN", "Tổng công ty Mobifone")
    under its full name."""
    _rx, table = _known_acronyms()
    folded = {k.lower(): v for k, v in table.items()}
    renamed: dict[str, list[Span]] = {}
    for name, spans in found.items():  # in order of first mention
        m = _BY_LETTERS.fullmatch(name)
        full = folded.get(m.group(1).lower()) if m else None
        if full is None or full == name:
            renamed.setdefault(name, []).extend(spans)
        else:
            renamed.setdefault(full, []).extend(replace(sp, norm=full) for sp in spans)
    found.clear()
    found.update(renamed)


_BRANCH_PLACE = re.compile(r"[ \t]+[A-ZĐÀ-Ỹ][a-zà-ỹđ]")


@cache
def _person_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    t = gazetteer().agencies
    # the surnames longest first, those that start with one letter as one
    # alternative (in the same order): the engine tries one branch per letter,
    # not one per surname, and only they can match there (the same matches;
    # the corpus's name scan 0.019 -> 0.010 CPU s with skip_start)
    by_first: dict[str, list[str]] = {}
    for n in sorted(t.surnames, key=len, reverse=True):
        by_first.setdefault(n[0], []).append(re.escape(n[1:]))
    surnames = "|".join(
        re.escape(ch) + (rests[0] if len(rests) == 1 else "(?:" + "|".join(rests) + ")")
        for ch, rests in by_first.items()
    )
    name = skip_start(re.compile(rf"(?<![\w])(?:{surnames})(?:[ \t]+[^\W\d_]+){{1,3}}"))
    titles = sorted([*t.person_titles, *t.title_abbreviations], key=len, reverse=True)
    title = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(x) for x in titles) + r")(?!\w)")
    return name, title


@cache
def _name_breakers() -> frozenset[str]:
    return frozenset(gazetteer().agencies.name_breakers)


@cache
def _signed_mark() -> re.Pattern[str]:
    """ "(Đã ký)" between a signature block's title and the signer's name
    (the row metadata.signature.signed_mark.v1)."""
    table = pattern_table("metadata.yaml")
    row = next(r for r in table.rows if r.id == "metadata.signature.signed_mark.v1")
    return table.compiled(row)


# The word after a name ("Nguyễn Cao Lục Trợ lý": "Trợ" may open an office word)
_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_]+)")
# An office after a name and a dash: "Nguyễn Văn A - Giám đốc Sở Y tế cho biết"
_DASHED_TITLE = re.compile(r"\s+-\s+([^.,;:\n]+?)(?=\s+(?:cho biết|nói|khẳng định)|[.,;:\n]|$)")


@cache
def _honorific_re(honor: tuple[str, ...]) -> re.Pattern[str]:
    r"""One of ``honor`` ("ông", "đồng chí") ending the text (spaces after it allowed):
    what any(re.search(rf"(?<!\w){h}\s*$", ...) for h in honor) tells, in one search."""
    if not honor:
        return re.compile(r"(?!)")
    return re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{h})" for h in honor) + r")\s*$")


# A capitalised word right after one of these belongs to an agency name.
_AGENCY_WORD_BEFORE = re.compile(r"(?<!\w)(?:Bộ|Sở|Cục|Văn\s+phòng|Ban|Ủy\s+ban)\s+$")


def _title_case(line: str) -> str:
    """ "PHÓ CHÁNH VĂN PHÒNG" -> "Phó Chánh Văn phòng" (the table's casing)."""
    out = line.lower()
    for rx, title in _title_patterns():
        out = rx.sub(title, out)
    return out[:1].upper() + out[1:]


@cache
def _title_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each office title (longest first) and the pattern of its lower case."""
    titles = sorted(gazetteer().agencies.person_titles, key=len, reverse=True)
    return tuple((re.compile(rf"(?<!\w){re.escape(t.lower())}(?!\w)"), t) for t in titles)


def _title_before(text: str, start: int, title_re: re.Pattern[str]) -> str | None:
    window = text[max(0, start - 90) : start]
    cut = max(window.rfind(c) for c in ".;:()\n")
    window = window[cut + 1 :]
    matches = list(title_re.finditer(window))
    if not matches:
        return None
    title = window[matches[-1].start() :].strip()
    title = re.sub(r"(?:,?\s*(?:ông|bà|Ông|Bà|đồng chí|Đồng chí))?\s*[,-]?\s*$", "", title)
    abbr = gazetteer().agencies.title_abbreviations
    title = abbr.get(title, title)
    return title[:1].upper() + title[1:] if title else None


def find_people(text: str, *, province: str | None = None) -> list[Person]:
    """People named with an office ("Chủ tịch UBND tỉnh Lê Ánh Dương") or as signer.

    Example:
        >>> find_people("Phó Chủ tịch UBND tỉnh Bắc Ninh Phạm Văn Thịnh vừa ký")[0].title
        'Phó Chủ tịch UBND tỉnh Bắc Ninh'
    """
    g = gazetteer()
    name_re, title_re = _person_patterns()
    honor = tuple(g.agencies.honorifics)
    found: dict[str, tuple[str | None, list[Span]]] = {}
    for m in name_re.finditer(text):
        words = m.group().split()
        while words and not (words[-1][0].isupper() and len(words[-1]) > 1):
            words.pop()
        nxt = _NEXT_WORD.match(text, m.start() + len(" ".join(words)))
        if words and nxt and f"{words[-1]} {nxt.group(1)}" in _name_breakers():
            words.pop()  # "Nguyễn Cao Lục Trợ lý": "Trợ" opens the office word
        name = " ".join(words)
        if len(words) < 2 or key(name) in g.province_keys or g.districts(name):
            continue
        # Every syllable of a Vietnamese name is capitalised, and a name never
        # continues an agency ("Bộ Nông nghiệp và Phát ...": "Nông" is a surname).
        if not all(w[0].isupper() for w in words) or _AGENCY_WORD_BEFORE.search(
            text, max(0, m.start() - 12), m.start()
        ):
            continue
        start, end = m.start(), m.start() + len(name)
        title = _title_before(text, start, title_re)
        after = _DASHED_TITLE.match(text, end)
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        if title is None and after and title_re.match(after.group(1)):
            title = after.group(1).strip()
        elif (
            title is None
            and text[line_start:start].strip() == ""
            and (text[end : line_end if line_end >= 0 else len(text)].strip() == "")
        ):
            prev = [
                ln.strip(" *")
                for ln in text[:line_start].splitlines()
                if ln.strip(" *") and not _signed_mark().match(ln.strip(" *"))
            ]
            if prev and prev[-1].isupper() and title_re.search(_title_case(prev[-1])):
                title = _title_case(prev[-1])
        honorific = _honorific_re(honor).search(text[max(0, start - 12) : start]) is not None
        if title is None and not honorific:
            continue
        old_title, spans = found.get(name, (None, []))
        spans.append(Span(start, end, name, Label.PERSON, "person.titled"))
        found[name] = (old_title or title, spans)
    return [Person(n, t, tuple(ms)) for n, (t, ms) in found.items()]


# ------------------------------------------------------------- queries


def agency_aliases(name: str) -> list[str]:
    """Other ways to write a canonical name: abbreviated and spelled out.

    Example:
        >>> agency_aliases("Sở Kế hoạch và Đầu tư tỉnh Bắc Giang")[0]
        'Sở KH&ĐT tỉnh Bắc Giang'
    """
    out: list[str] = []
    for this, that, pattern in _alias_pairs():
        if this in name and pattern.search(name):  # the substring test first: cheap
            alt = pattern.sub(that, name)
            if alt != name and alt not in out:
                out.append(alt)
    return out


@cache
def _alias_pairs() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """(text, replacement, pattern) in the order ``agency_aliases`` tries them:
    each abbreviation both ways."""
    g = gazetteer()
    pairs = [(a.long, a.short) for a in g.agencies.abbreviations if a.short in ("UBND", "HĐND")]
    pairs.append(("khu công nghiệp", "KCN"))
    pairs.append(("Ban Quản lý", "BQL"))
    for d in g.agencies.departments:
        if d.aliases:
            pairs.append((d.name, d.aliases[0]))
    for b in g.agencies.bodies:
        pairs.extend((b.name, a) for a in b.aliases)
    return tuple(
        (this, that, re.compile(rf"(?<!\w){re.escape(this)}(?!\w)"))
        for long, short in pairs
        for this, that in ((long, short), (short, long))
    )


def _tokens(s: str) -> set[str]:
    return set(key(s).split()) - {"tinh", "cac", "thanh", "pho"}


def match_agency_query(q: str, names: Iterable[str]) -> list[str]:
    """The names in ``names`` that a user's owner filter refers to.

    Accent-insensitive and abbreviation-aware; a name also matches when its
    2025 successor is the body asked for.

    Example:
        >>> match_agency_query("so tai chinh bac ninh",
        ...     ["Sở Tài chính tỉnh Bắc Ninh", "Sở Kế hoạch và Đầu tư tỉnh Bắc Giang",
        ...      "Sở Y tế tỉnh Bắc Ninh"])
        ['Sở Tài chính tỉnh Bắc Ninh', 'Sở Kế hoạch và Đầu tư tỉnh Bắc Giang']
    """
    names = list(names)
    target = canonical_agency(normalize_query(q))
    if target is not None:
        fk = key(target)
        parts = split_name(target)
        if parts is None or (parts.place is None and target.startswith("Sở ")):
            # A kind without jurisdiction ("Sở Tài chính"): that body in every
            # province, and the bodies it took over.
            def under(name: str | None) -> bool:
                return f"{key(name or '')} ".startswith(f"{fk} ")

            return [n for n in names if under(n) or under(current_name(n))]
        return [n for n in names if key(n) == fk or current_name(n) == target]
    want = _tokens(q)
    if not want:
        return []
    out = []
    for n in names:
        have = set().union(*(_tokens(a) for a in [n, *agency_aliases(n)]))
        if want <= have:
            out.append(n)
    return out
