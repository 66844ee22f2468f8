"""Collective owners: described groups of bodies, and who belongs to them.

A directive often hands work to a group, not a body: "các bộ, ngành, địa
phương", "UBND các tỉnh, thành phố trực thuộc Trung ương", "Giám đốc các
sở, Thủ trưởng các ban, ngành", "các thương nhân đầu mối kinh doanh xăng
dầu". Such a group is read by grammar (``COLLECTIVE_GRAMMAR`` in
``data/task_cues.yaml``): an optional body kind ("UBND", "Sở Công
Thương"), a determiner ("các", "những", "toàn thể"), class nouns joined by
commas or "và" ("sở, ban, ngành"), then modifiers up to the first verb,
adverb or cue ("liên quan", "trực thuộc Trung ương", "trên địa bàn tỉnh",
"đầu mối kinh doanh xăng dầu"). The fixed ``COLLECTIVE`` rows keep their
canonical names and win where they match.

The canonical name is the phrase as written with the jurisdiction the
document gives it, the way agencies get theirs: "các sở, ban, ngành" in a
Bắc Ninh document is "các sở, ban, ngành tỉnh Bắc Ninh"; "UBND các huyện,
thị xã" is "UBND các huyện, thị xã thuộc tỉnh Bắc Ninh"; "các đơn vị trực
thuộc" in a ministry's letter is "các đơn vị trực thuộc Bộ Công Thương";
"các bộ, ngành, địa phương" stays as it is.

:func:`collective_includes` tells whether an agency belongs to a group, so
that the register can show "UBND các tỉnh, thành phố" tasks to "UBND tỉnh
Đồng Nai" when asked.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import cache

from extractors.cues import Cues
from extractors.gazetteer import gazetteer, key, local_unit, split_name
from extractors.prefilter import branch_trie, head_scan
from extractors.textnorm import fold

__all__ = [
    "CENTRAL_ISSUER",
    "STOP_WORDS",
    "Collective",
    "canonical_collective",
    "collective_includes",
    "find_collectives",
]


@dataclass(frozen=True, slots=True)
class Collective:
    """A group named in the text: its span, canonical name and rule."""

    start: int
    end: int
    name: str
    rule_id: str
    generic: bool  # only "liên quan" bodies ("các cơ quan, đơn vị liên quan")
    # named bodies the group's phrase lists beside it: "UBND các xã, phường, đặc
    # khu Cồn Cỏ" is the communes' group and "UBND đặc khu Cồn Cỏ"
    extra: tuple[str, ...] = ()


# Words a group's modifiers never run into: the verb, the role, the time.
STOP_WORDS = branch_trie(
    re.compile(  # tried at every word: alternatives joined by first letter
        r"(?:phải|cần|nên|sẽ|có(?!\s+liên)|được\s+giao\s+(?!nhiệm\s+vụ)|chủ\s+trì|phối\s+hợp|có\s+trách\s+nhiệm|chịu\s+trách"
        r"|khẩn\s+trương|kịp\s+thời|tiếp\s+tục|chủ\s+động|tập\s+trung|nghiêm\s+túc|thực\s+hiện"
        r"|theo|để|về|tại|trước|trong\s+(?!và\b)|từ\s+ngày|đến\s+ngày|khi|nếu|nhằm|với|cùng|bằng|cho|của"
        r"|và\s+(?!các\b)|hoặc|là|đã|đang|vừa|không|chưa|rà\s+soát|báo\s+cáo|triển\s+khai|tổ\s+chức"
        r"|xây\s+dựng|tăng\s+cường|đẩy\s+mạnh|bảo\s+đảm|đảm\s+bảo|chỉ\s+đạo|hướng\s+dẫn|kiểm\s+tra"
        r"|quán\s+triệt|nghiên\s+cứu|đề\s+xuất|tham\s+mưu|giữ|căn\s+cứ|quyết\s+định|xem\s+xét"
        r"|cung\s+cấp|ưu\s+tiên|phấn\s+đấu|rút\s+kinh\s+nghiệm|lưu\s+ý|theo\s+dõi|đưa|gửi|lập|trình"
        r"|ban\s+hành|phê\s+duyệt|hoàn\s+thành|hoàn\s+thiện|tổng\s+hợp|cập\s+nhật|lần\s+thứ|đề\s+ra"
        r"|năm\s+\d|giai\s+đoạn|số\s+\d|nhất\s+là|đặc\s+biệt|trong\s+đó|kể\s+cả|phụ\s+trách|dự\s+trù)\b",
        re.IGNORECASE,
    )
)
_WORD_AT = re.compile(r"\s+([^\W\d_][\w-]*|\d+)")
_LISTED_WORD = re.compile(r",[ \t]+([a-zà-ỹđ][\w-]*)")
# Modifiers read whole before any stop word is looked for ("trực" alone is a verb).
_MODIFIER = re.compile(
    # "các đơn vị trong khối Nội chính", "các cơ quan thuộc Khối thi đua số 3"
    r"\s+(?:(?:trong|thuộc)\s+(?-i:[Kk]hối\s+(?:[A-ZĐ][\wÀ-ỹ]*(?:\s+(?:chính|[A-ZĐ][\wÀ-ỹ]*))?"
    r"|thi\s+đua(?:\s+số\s+\d+)?))"
    r"|(?:trực\s+)?thuộc|(?:có\s+)?liên\s+quan|cấp\s+(?:tỉnh|huyện|xã|trung\s+ương|cơ\s+sở)"
    r"|trên\s+địa\s+bàn|trên\s+toàn\s+(?:tỉnh|thành\s+phố|huyện|quốc)"
    r"|(?:trong\s+và\s+)?ngoài\s+công\s+lập|công\s+lập|trong\s+và\s+ngoài|ven\s+biển"
    r"|được\s+giao\s+nhiệm\s+vụ(?!\s+(?:chủ\s+trì|thực\s+hiện))"
    # "các cơ quan, đơn vị được phân công chủ trì thực hiện nhiệm vụ tại Phụ lục"
    # (never before the verb the body is given: "các tỉnh, thành phố được giao rà soát ...")
    r"|được\s+(?:giao|phân\s+công)"
    r"(?=\s*[,.;:)\n]|\s+(?:nhiệm\s+vụ|chủ\s+trì|thực\s+hiện|tại|theo|quy\s+định)(?![\w]))"
    r"(?:\s+nhiệm\s+vụ)?(?:\s+chủ\s+trì(?:\s*,\s*phối\s+hợp)?)?"
    r"(?:\s*,?\s*thực\s+hiện)?(?:\s+(?:các\s+)?nhiệm\s+vụ(?:\s+cụ\s+thể)?)?"
    r"(?:\s+(?:tại|theo|quy\s+định\s+(?:tại|trong))\s+(?:Phụ\s+lục|[Kk]ế\s+hoạch)(?:\s+này)?)?"
    r"|trong\s+(?:tỉnh|thành\s+phố|huyện|nước|ngành|khu\s+công\s+nghiệp)"
    r"|của\s+(?:tỉnh|thành\s+phố|huyện|Bộ|bộ|ngành|Trung\s+ương|trung\s+ương)(?!\s+[A-ZĐ]))(?![\w])",
    re.IGNORECASE,
)
# The area a group of provinces or communes lies in, which makes it a smaller group:
# "các tỉnh, thành phố tại khu vực dự báo xảy ra mưa, lũ", "các tỉnh khu vực Trung Bộ"
# (the words after it are read on by _extend).
_AREA = re.compile(
    r"\s+(?:(?:tại|ở|thuộc)\s+)?(?:các\s+)?(?:khu\s+vực|vùng)(?:\s+(?:được\s+)?dự\s+báo)?"
    r"(?:\s+(?:có\s+nguy\s+cơ|bị\s+ảnh\s+hưởng(?:\s+của)?|chịu\s+ảnh\s+hưởng(?:\s+của)?))?"
    r"(?:\s+xảy\s+ra)?(?![\w])"
)
# Groups of bodies outside the state (enterprises, associations, people).
_PRIVATE = re.compile(
    r"^(?:các|những|toàn\s+thể|tất\s+cả\s+các)\s+(?:doanh\s+nghiệp|tổ\s+chức|cá\s+nhân|thương\s+nhân"
    r"|hiệp\s+hội|hội|ngân\s+hàng|tập\s+đoàn|tổng\s+công\s+ty|công\s+ty|chủ\s+đầu\s+tư|nhà\s+đầu\s+tư"
    r"|hợp\s+tác\s+xã|người\s+dân|hộ\s+gia\s+đình|nhân\s+dân)\b",
    re.IGNORECASE,
)
_PLACE_WORDS = re.compile(r"(?:tỉnh|thành\s+phố|Thành\s+phố|huyện|quận|thị\s+xã)(?:\s+[A-ZĐ]\w*)+$")
_GENERIC_ONLY = re.compile(
    r"(?:các\s+|những\s+)?(?:(?:cơ\s+quan|đơn\s+vị|địa\s+phương|ngành|sở|ban|tổ\s+chức|cá\s+nhân)"
    r"(?:\s*,\s*|\s+và\s+|\s+))+(?:có\s+)?liên\s+quan",
    re.IGNORECASE,
)
_LOCAL_UNITS = re.compile(
    r"(?:UBND|Ủy\s+ban\s+nhân\s+dân|HĐND)\s+(?:các|cấp)\s+(?:huyện|quận|thị|xã|phường)",
    re.IGNORECASE,
)
_CENTRAL = re.compile(
    r"\b(?:bộ|cơ\s+quan\s+ngang\s+bộ|Chính\s+phủ|Trung\s+ương|trung\s+ương|tỉnh,\s*thành\s+phố"
    r"|các\s+tỉnh|ven\s+biển|từ\s+\w.*\s+đến|quân\s+khu|quân\s+đoàn|binh\s+đoàn)\b",
    re.IGNORECASE,
)
# Issuers above the provinces: their "các địa phương" are the provinces.
# A group's own unit word, without a name: "các ban, ngành, đoàn thể xã".
_BARE_UNIT = re.compile(r"(?<=\s)(huyện|xã|phường|thị\s+trấn)$")
# Groups a district does not hold: the province's departments, every district.
_PROVINCIAL_WORDS = re.compile(r"\b(?:sở|các\s+huyện|các\s+quận|các\s+thị\s+xã)\b", re.IGNORECASE)
_BELOW_DISTRICT = re.compile(
    r"(?:UBND|Ủy\s+ban\s+nhân\s+dân|HĐND)\s+(?:các|cấp)\s+(?:xã|phường|thị\s+trấn)", re.IGNORECASE
)

CENTRAL_ISSUER = re.compile(
    r"^(?:Bộ|Tổng\s+cục|Chính\s+phủ|Thủ\s+tướng|Văn\s+phòng\s+Chính\s+phủ|Quốc\s+hội|Ủy\s+ban\s+Thường\s+vụ"
    r"|Ban\s+Chấp\s+hành\s+Trung\s+ương|Ban\s+Bí\s+thư|Bộ\s+Chính\s+trị|Ngân\s+hàng\s+Nhà\s+nước"
    r"|Kiểm\s+toán\s+nhà\s+nước|Tòa\s+án\s+nhân\s+dân\s+tối\s+cao|Viện\s+kiểm\s+sát\s+nhân\s+dân\s+tối\s+cao)"
)
_INNER_TITLE = re.compile(
    r"((?:,|\bvà)\s+)(?:Thủ\s+trưởng|Giám\s+đốc|Trưởng|Chủ\s+tịch|Lãnh\s+đạo)\s+", re.IGNORECASE
)
_UNLISTED_LEVELS = re.compile(
    r"^(UBND\s+)(?=(?:xã|phường|huyện|quận|thị\s+xã|thị\s+trấn|đặc\s+khu)\s*(?:,|và\b))"
)
_BODY_IN_EVERY_UNIT = re.compile(
    r"(?P<body>[A-ZĐ][^,;:]*?)\s+các\s+(?P<unit>tỉnh|huyện|quận|xã|phường)\b"
)
_BODY_EVERY_PROVINCE = re.compile(
    r"^((?!UBND|HĐND)[A-ZĐ][^,;:]*?)(?<!các)\s+tỉnh\s*[,/]\s*thành\s+phố(?:\s+trực\s+thuộc\s+[Tt]rung\s+ương)?$"
)
_EVERY_DISTRICT = re.compile(
    r"\bcác\s+(?:huyện|quận|thị\s+xã)(?:\s*,\s*(?:huyện|quận|thị\s+xã))*\s*,\s*thành\s+phố$"
)
_PROVINCES_OR_COMMUNES = re.compile(r"các\s+(?:tỉnh|xã|địa\s+phương)(?![\w])", re.IGNORECASE)
_ALL_PROVINCES_TAIL = re.compile(r"các\s+tỉnh\s*[,/]\s*thành\s+phố$")
_INTERNAL = re.compile(r"(?:đơn\s+vị|cơ\s+quan|vụ|cục)\b", re.IGNORECASE)
_MAX_TAIL_WORDS = 8
_PROVINCE_SLOT = re.compile(r"(?:tỉnh|thành\s+phố)\s+\{province\}")
_BARE_PROVINCE_TAIL = re.compile(r"(?<!\scấp)\s+(?:thuộc\s+)?tỉnh$")  # "HĐND cấp tỉnh" stays
# what a capitalised word (a name) may follow inside a group's modifiers
_PLACE_WORD_TAIL = re.compile(
    r"(?:tỉnh|phố|huyện|quận|xã|phường|khu\s+vực|vùng|miền|Bộ|Sở|thuộc|đến|từ|[A-ZĐ]\w*)$"
)
# The name after "các xã, phường, đặc khu": "Cồn Cỏ", "Lý Sơn", "Phú Quốc"
_NAMED_ZONE = re.compile(r"[ \t\n]+((?:[A-ZĐÀ-Ỹ][\w-]*)(?:[ \t]+[A-ZĐÀ-Ỹ][\w-]*){0,3})")


def find_collectives(
    text: str, cues: Cues, *, province: str | None = None, issuer: str | None = None
) -> list[Collective]:
    """Every group owner in ``text``, by fixed row or by grammar, sorted.

    Example:
        >>> from extractors.cues import task_cues
        >>> [c.name for c in find_collectives(
        ...     "Đề nghị các sở, ban, ngành liên quan khẩn trương rà soát.", task_cues(),
        ...     province="Bắc Ninh")]
        ['các sở, ban, ngành liên quan tỉnh Bắc Ninh']
    """
    found: list[Collective] = []
    rows, rx = cues.collective
    prov = province or ""
    for m in head_scan(rx).finditer(text):
        row = rows[int((m.lastgroup or "c0")[1:])]
        if _names_places(text, m.end()):
            continue  # "UBND các tỉnh, thành phố: Hà Nội, Cần Thơ": the bodies it lists
        canonical = str(row.data.get("canonical", ""))
        unit = gazetteer().province(province) if province else None
        if unit is not None:  # "tỉnh {province}" is "thành phố Hà Nội" for Hà Nội
            canonical = _PROVINCE_SLOT.sub(unit.unit, canonical)
        norm = canonical.replace("{province}", prov)
        norm = norm.replace("{match}", " ".join(m.group().split())).strip()
        for name, value in m.groupdict().items():  # "{region}": a named part as written
            if name in row.pattern and value is not None:
                norm = norm.replace("{" + name + "}", " ".join(value.split()))
        norm = _BARE_PROVINCE_TAIL.sub("", norm) if not prov else norm
        end = m.end()
        extra: tuple[str, ...] = ()
        zone = _NAMED_ZONE.match(text, end) if m.group().endswith("khu") else None
        if zone is not None:
            end = zone.end()
            extra = ("UBND đặc khu " + " ".join(zone.group(1).split()),)
        while (mod := _MODIFIER.match(text, end)) is not None and "\n" not in mod.group():
            end = mod.end()  # "các sở, ngành của tỉnh", "... có liên quan": still the group
        area = _AREA.match(text, end) if _PROVINCES_OR_COMMUNES.search(m.group()) else None
        if area is not None and "\n" not in area.group():
            # "UBND các tỉnh, thành phố tại khu vực dự báo xảy ra mưa, lũ": those of the area
            end = _extend(text, area.end(), cues)
            whole = " ".join(text[m.start() : end].split()).rstrip(" ,")
            norm = canonical_collective(whole, province=province, issuer=issuer)
        found.append(Collective(m.start(), end, norm, row.id, False, extra))
    grammar = cues.rows.get("COLLECTIVE_GRAMMAR", ())
    fixed = sorted((c.start, c.end) for c in found)
    starts = [s for s, _e in fixed]
    for gi, (row, grx) in enumerate(grammar):
        last_end = -1  # one row's matches come in order and never overlap one another
        for m in head_scan(grx).finditer(text):
            start, end = m.start(), _extend(text, m.end(), cues)
            if row.id == "task.collective.authorities.v1":
                # "chính quyền địa phương và các ngành chức năng": two groups
                two = _AND_GROUP.search(text, m.end(), end)
                end = two.start() if two else end
            if start < last_end:
                continue
            if _overlaps(fixed, starts, start, end):
                # "các cơ quan, đơn vị, địa phương, các Chủ đầu tư": the group before
                # the fixed row's group, when the overlap is only at its tail
                i = bisect.bisect_right(starts, start)
                if (i and fixed[i - 1][1] > start) or i >= len(fixed):
                    continue
                cut = _LIST_TAIL.search(text, start, fixed[i][0])
                end = cut.start() if cut else fixed[i][0]
                if end - start < 8 or grx.fullmatch(text, start, end) is None:
                    continue
            phrase = " ".join(text[start:end].split()).rstrip(" ,")
            if (_UNIT_END.search(phrase) and _NAME_NEXT.match(text, end)) or _names_places(
                text, end
            ):
                # "UBND các tỉnh Nghệ An, Hà Tĩnh", "... thành phố: Huế": the bodies it names
                continue
            name = canonical_collective(phrase, province=province, issuer=issuer)
            generic = _GENERIC_ONLY.fullmatch(phrase) is not None
            found.append(Collective(start, end, name, row.id, generic))
            last_end = end
        if gi + 1 < len(grammar):  # a later row never overlaps an earlier row's groups
            fixed = sorted((c.start, c.end) for c in found)
            starts = [s for s, _e in fixed]
    found.sort(key=lambda c: (c.start, -c.end))
    return _defined_terms(text, _with_coordinated_bodies(text, found))


# Bodies of each unit written before a group's People's Committees, sharing its units:
# "Đảng ủy, UBND các xã, phường", "Đảng ủy, HĐND và UBND các xã", "Bí thư Đảng ủy, Chủ
# tịch UBND các xã, phường" (one group each).
_BODIES_BEFORE = re.compile(
    r"(?:(?<![\w])(?:(?:Bí\s+thư|Chủ\s+tịch|Thường\s+trực)\s+)?"
    r"(?:Đảng\s+[uủ]ỷ|Đảng\s+ủy|HĐND|Hội\s+đồng\s+nhân\s+dân)[ \t]*(?:,|[ \t]và)[ \t]*)+"
    r"(?:Chủ\s+tịch\s+)?$"
)
_BODY_WORD = re.compile(r"Đảng\s+[uủ]ỷ|Đảng\s+ủy|HĐND|Hội\s+đồng\s+nhân\s+dân")


def _with_coordinated_bodies(text: str, found: list[Collective]) -> list[Collective]:
    """Each group of People's Committees with the Party committees and councils written
    before it over the same units ("Đảng ủy, UBND các xã, phường" is the communes'
    Party committees and their People's Committees).

        >>> from extractors.cues import task_cues
        >>> [(c.name, c.extra) for c in find_collectives(
        ...     "Giao Đảng ủy, UBND các xã, phường rà soát.", task_cues(), province="Gia Lai")]
        [('UBND các xã, phường thuộc tỉnh Gia Lai', ('Đảng ủy các xã, phường thuộc tỉnh Gia Lai',))]
    """
    out: list[Collective] = []
    for i, c in enumerate(found):
        if c.name.startswith("UBND ") and _COMMITTEE_START.match(text, c.start):
            floor = found[i - 1].end if i else 0
            m = _BODIES_BEFORE.search(text, max(floor, c.start - 60), c.start)
            if m is not None:
                rest = c.name.removeprefix("UBND ")
                bodies = []
                for b in _BODY_WORD.findall(m.group()):
                    body = "HĐND" if b.startswith(("HĐND", "Hội")) else "Đảng ủy"
                    bodies.append(f"{body} {rest}")
                c = replace(c, start=m.start(), extra=(*c.extra, *bodies))
        out.append(c)
    return out


_COMMITTEE_START = re.compile(r"UBND|Ủy\s+ban\s+nhân\s+dân|Uỷ\s+ban\s+nhân\s+dân")


# "các cơ sở đào tạo trực thuộc Bộ (sau đây gọi là cơ sở đào tạo)": the short name
# the text defines for a group, which then stands for the whole group
_DEFINED = re.compile(
    r"[ \t]*\((?:sau\s+đây\s+)?gọi\s+(?:tắt\s+)?là[ \t\n]+(?:các[ \t]+)?([^()\n]{3,60}?)[ \t]*\)"
)


def _defined_terms(text: str, found: list[Collective]) -> list[Collective]:
    """Groups named by a short name the text defined ("... (sau đây gọi là cơ sở
    đào tạo)") take the defined group's name."""
    if "gọi" not in text:
        return found
    names: dict[str, str] = {}
    for c in found:
        m = _DEFINED.match(text, c.end)
        if m is not None:
            names.setdefault(key(m.group(1)), c.name)
    if not names:
        return found
    out = []
    for c in found:
        phrase = " ".join(text[c.start : c.end].split())
        short = key(re.sub(r"^(?:các|những)\s+", "", phrase, flags=re.IGNORECASE))
        full = names.get(short)
        out.append(c if full is None or full == c.name else replace(c, name=full))
    return out


_AND_GROUP = re.compile(r"[ \t\n]+và[ \t\n]+các[ \t\n]")
_LIST_TAIL = re.compile(r"[\s,;]*(?:và\s+|cùng\s+)?$")
_UNIT_END = re.compile(r"\bcác\s+(?:tỉnh|huyện|thị\s+xã|quận|thành\s+phố)$")
_NAME_NEXT = re.compile(r"[ \t]+(?!Ủy|Uỷ)[A-ZĐ]")
_COLON_NAME = re.compile(
    r"(?:\s+trực)?(?:\s+thuộc\s+[Tt]rung\s+ương)?\s*:\s*"
    r"((?:[A-ZĐÀ-Ỹ][\w]*)(?:[ \t]+[A-ZĐÀ-Ỹ][\w]*){0,3})"
)


def _names_places(text: str, pos: int) -> bool:
    """Whether a province's name follows the colon at ``pos`` (an enumeration)."""
    m = _COLON_NAME.match(text, pos)
    if m is None:
        return False
    words = m.group(1).split()
    g = gazetteer()
    return any(key(" ".join(words[:n])) in g.province_keys for n in range(1, len(words) + 1))


def _overlaps(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the sorted, disjoint ``spans``."""
    i = bisect.bisect_right(starts, start)
    if i and spans[i - 1][1] > start:
        return True
    return i < len(spans) and spans[i][0] < end


# The document's own province or city, written with a capital and no name, then a word.
_SELF_PLACE = re.compile(r"[ \t]+(?:Tỉnh|Thành\s+phố)(?=[ \t\n]+[a-zđà-ỹ]|[ \t]*[,;])")


_ITEM_MARK = re.compile(r"[a-zđ]{1,2}[).]")


def _wrapped(text: str, end: int, at: int) -> bool:
    """A phrase that only wrapped to the next line: one line break, the line not
    closed by a mark, the next word in lower case ("các trường phổ\nthông")."""
    gap = text[end:at]
    return (
        gap.count("\n") == 1
        and not gap.strip()
        and text[at].islower()
        and _ITEM_MARK.match(text, at) is None  # "a) ...": the next item, not the name
        and text[max(0, end - 1) : end] not in (".", ";", ":", ",")
    )


def _extend(text: str, pos: int, cues: Cues) -> int:
    """Run a group's modifiers on to the first verb, adverb, cue or mark."""
    own = _SELF_PLACE.match(text, pos)
    if own:
        return own.end()  # "các sở, ban, ngành Tỉnh": the document's own province ends it
    end = pos
    for _ in range(_MAX_TAIL_WORDS):
        mod = _MODIFIER.match(text, end)
        if mod and ("\n" not in mod.group() or mod.group().lstrip().startswith("được")):
            end = mod.end()  # ("được phân công chủ trì, phối hợp thực\nhiện": one clause)
            continue
        m = _WORD_AT.match(text, end)
        if m is None and end > pos:
            # a list inside the modifiers: "các cơ sở khám, chữa bệnh", "các bệnh
            # viện đa khoa, chuyên khoa"; "các trường THPT, PT DTNT"
            m = _LISTED_WORD.match(text, end)
            if m is None and _ACRONYM.fullmatch(text, _word_start(text, end), end):
                m = _LISTED_ACRONYM.match(text, end)
        if not m or ("\n" in text[end : m.start(1)] and not _wrapped(text, end, m.start(1))):
            break
        at = m.start(1)
        compound = _CLASS_COMPOUND.match(text, at)
        if compound is not None and _CLASS_BEFORE.search(text, max(pos - 40, 0), at):
            # "các cơ sở đào tạo", "các tổ chức cung cấp dịch vụ chi trả": a kind of
            # unit named by its trade, not the group's verb
            end = compound.end()
            continue
        if (
            STOP_WORDS.match(text, at)
            or cues.match("ACTION", text, at)
            or cues.match("ADVERB", text, at)
            or _DUTY.match(text, at)
        ):
            break
        if (
            _OWN_BODY_BEFORE.search(text, max(pos, at - 12), at)
            and not m.group(1)[0].isupper()
            and m.group(1) != "và"
        ):
            break  # "các đơn vị thuộc Bộ nhận báo cáo": "Bộ" is the issuer, "nhận" the verb
        if cues.match("ASSIGN_CUE", text, at) or cues.match("DELEGATE_CUE", text, at):
            break
        word = m.group(1)
        # a capitalised word is a name (a place: "tỉnh Bắc Ninh"), only after a place word
        if (
            word[0].isupper()
            and not _PLACE_WORD_TAIL.search(text[pos:end] or "x")
            and not (_ACRONYM.fullmatch(word) and word not in _BODY_ACRONYMS)
        ):
            break  # (an acronym of the class is not: "các trường THPT", "các cơ sở GDMN")
        end = m.end(1)
    return end


# A group's superior named in it: "trực thuộc Công an cấp tỉnh", "thuộc Sở Y tế".
_OWN_SUPERIOR = re.compile(r"(?<![\w])(?:trực\s+)?thuộc\s+[A-ZĐ]\w*\s+\w")


# A duty after a group: "các cơ quan, đơn vị thuộc Bộ có trách nhiệm:" (not its name).
_DUTY = re.compile(r"(?:có|chịu)\s+trách\s+nhiệm(?![\w])")
# The issuing body named bare after a group's "thuộc"/"của": "thuộc Bộ", "của Sở".
_OWN_BODY_BEFORE = re.compile(r"(?:thuộc|của)\s+(?:Bộ|Sở|Cục|Ban)\s+$")


# The trades that name a kind of unit after its class noun ("cơ sở đào tạo",
# "doanh nghiệp sản xuất, chế biến và xuất khẩu", "tổ chức cung cấp dịch vụ chi
# trả"), verbs elsewhere.
_CLASS_COMPOUND = re.compile(
    r"(?:và\s+)?(?:đào\s+tạo|giáo\s+dục|sản\s+xuất|kinh\s+doanh|chế\s+biến|xuất\s+khẩu|nhập\s+khẩu"
    r"|khám\s+bệnh|chữa\s+bệnh|lưu\s+trú|bán\s+lẻ|phân\s+phối|thu\s+gom|tín\s+dụng"
    r"|sự\s+nghiệp|hành\s+nghề|cung\s+ứng|cho\s+thuê(?:\s+lại)?"
    r"|(?:cung\s+cấp|thực\s+hiện)\s+dịch\s+vụ(?:\s+chi\s+trả)?)"
    r"(?![\w])"
)
_CLASS_BEFORE = re.compile(
    r"(?:cơ\s+sở|đơn\s+vị|tổ\s+chức|doanh\s+nghiệp|hộ|nhà\s+máy|công\s+ty|hợp\s+tác\s+xã"
    r"|đào\s+tạo|giáo\s+dục|sản\s+xuất|kinh\s+doanh|chế\s+biến|xuất\s+khẩu|khám\s+bệnh|hoạt\s+động)"
    r"(?:\s*,|\s+và)?\s+$"
)


# A class's own initials after its noun ("các trường THPT, PT DTNT"); never a body's.
_ACRONYM = re.compile(r"[A-ZĐ]{2,6}")
_LISTED_ACRONYM = re.compile(r",[ \t]+([A-ZĐ]{2,6})(?![\w])")
_BODY_ACRONYMS = frozenset(
    {"UBND", "HĐND", "MTTQ", "BCĐ", "BCH", "BQL", "VPCP", "TTG", "CP", "BTC", "BCA", "BQP"}
)


def _word_start(text: str, end: int) -> int:
    i = end
    while i > 0 and text[i - 1].isalnum():
        i -= 1
    return i


_CLASS_WORDS = {"TCTD": "tổ chức tín dụng", "HTX": "hợp tác xã"}
_UNIT_LEVEL = r"(?:xã|phường|huyện|quận|thị\s+xã|thị\s+trấn|đặc\s+khu)"
_UNITS_ONLY = re.compile(
    rf"[Cc]ác\s+{_UNIT_LEVEL}(?:\s*(?:,|và)\s*(?:các\s+)?(?:{_UNIT_LEVEL}|thành\s+phố))*$"
)
# canonical_collective's patterns, compiled once (not looked up in re's cache per call)
_UBND_WORDS = re.compile(r"^(?:Ủy|Uỷ)\s+ban\s+nhân\s+dân\b")
_CAPITAL_TINH = re.compile(r"(?<=\s)Tỉnh$")
_CAPITAL_DETERMINER = re.compile(r"(?:Các|Những|Toàn|Tất|Chính\s+quyền|Cấp\s+[uủ]ỷ|Cấp\s+ủy)\b")
# "các địa phương trong tỉnh": the province's, as "các sở, ngành tỉnh" says it
_WITHIN_UNIT = re.compile(r"\btrong\s+((?:tỉnh|thành\s+phố|huyện)(?:\s+[A-ZĐ]\w*)*)$")
_HDND_WORDS = re.compile(r"^Hội\s+đồng\s+nhân\s+dân\b")
_CENTRAL_TAIL = re.compile(r"\b(?:Bộ|Chính\s+phủ)(?:\s+\w+)*$")
_UNIT_TAIL = re.compile(r"\b(?:tỉnh|thành\s+phố)$", re.IGNORECASE)
_AREA_TAIL = re.compile(r"\btrên\s+địa\s+bàn$")
_LOCALITIES = re.compile(r"\bđịa\s+phương\b")
_UNDER_TAIL = re.compile(r"\b(?:trực\s+)?thuộc$")
_UNDER_MINISTRY_TAIL = re.compile(r"\bthuộc\s+Bộ$")
_CLASS_INITIALS = re.compile(r"(?<![\w])(?:TCTD|HTX)(?![\w])")


# a list of class nouns with no determiner, as a normative text opens a clause with it
_BARE_CLASS_LIST = re.compile(
    r"(?:Bộ|Sở|Ngành|Cơ\s+quan|Đơn\s+vị|Tổ\s+chức|Doanh\s+nghiệp)(?:\s+[a-zà-ỹđ]+){0,2}\s*,"
)


def canonical_collective(
    phrase: str, *, province: str | None = None, issuer: str | None = None
) -> str:
    """The group with the jurisdiction the document gives it.

    Example:
        >>> canonical_collective("các sở, ban, ngành", province="Bắc Ninh")
        'các sở, ban, ngành tỉnh Bắc Ninh'
        >>> canonical_collective("UBND các huyện, thị xã", province="Bắc Ninh")
        'UBND các huyện, thị xã thuộc tỉnh Bắc Ninh'
        >>> canonical_collective("các đơn vị trực thuộc", issuer="Bộ Công Thương")
        'các đơn vị trực thuộc Bộ Công Thương'
        >>> canonical_collective("các bộ, ngành, địa phương", province="Bắc Ninh")
        'các bộ, ngành, địa phương'
        >>> canonical_collective("các đơn vị trực thuộc Công an cấp tỉnh", issuer="Bộ Công an")
        'các đơn vị trực thuộc Công an cấp tỉnh'
    """
    phrase = _UBND_WORDS.sub("UBND", phrase)
    if "Sở " in phrase or "Phòng " in phrase or "Bộ " in phrase:
        # "các Sở GDĐT", "các Phòng TN&MT": the departments spelled out, as bodies are
        aliases, spelled = _dept_aliases()
        phrase = aliases.sub(lambda m: f"{m[1]} {spelled[m[2]]}", phrase)
    if _UNITS_ONLY.match(phrase):
        # "các quận, huyện", "các xã, phường" asked to act: their People's Committees
        phrase = "UBND c" + phrase[1:]
    if phrase.startswith("phòng "):  # "Trưởng phòng Giáo dục ... các huyện": the offices
        phrase = "P" + phrase[1:]
    # initials of a class: "các TCTD" are "các tổ chức tín dụng"
    phrase = _CLASS_INITIALS.sub(lambda m: _CLASS_WORDS[m.group()], phrase)
    # "các sở, ban, ngành Tỉnh": the province of the document, as "tỉnh" would say it
    phrase = _CAPITAL_TINH.sub("tỉnh", phrase)
    # "UBND xã, phường": every commune's and ward's ("UBND các xã, phường")
    phrase = _UNLISTED_LEVELS.sub(r"\1các ", phrase)
    # the heads inside a list are the bodies they head: "các Bộ, Thủ trưởng cơ quan ngang bộ"
    phrase = _INNER_TITLE.sub(r"\1", phrase)
    if _CAPITAL_DETERMINER.match(phrase):
        phrase = phrase[0].lower() + phrase[1:]
    elif _BARE_CLASS_LIST.match(phrase):
        # "Bộ, cơ quan ngang bộ" opening a normative clause: every one of them
        phrase = "các " + phrase[0].lower() + phrase[1:]
    phrase = _HDND_WORDS.sub("HĐND", phrase)
    phrase = _WITHIN_UNIT.sub(r"\1", phrase)
    # "Thống kê tỉnh, thành phố": the same group as "Thống kê các tỉnh, thành phố"
    phrase = _BODY_EVERY_PROVINCE.sub(r"\1 các tỉnh, thành phố", phrase)
    # "Kho bạc Nhà nước các tỉnh, thành phố": every province's, as the UBND group is named
    phrase = _ALL_PROVINCES_TAIL.sub("các tỉnh, thành phố trực thuộc Trung ương", phrase)
    ministry = issuer if issuer and issuer.startswith("Bộ ") else None
    if ministry and _UNDER_MINISTRY_TAIL.search(phrase):
        # "các cơ sở đào tạo trực thuộc Bộ" in a ministry's letter: that ministry's
        return f"{phrase[:-2]}{ministry}"
    if _PLACE_WORDS.search(phrase) or _CENTRAL_TAIL.search(phrase):
        return phrase
    row = gazetteer().province(province) if province else None
    if row is not None and _EVERY_DISTRICT.search(phrase):
        # "Phòng Giáo dục và Đào tạo các huyện, thành phố": the province's districts and
        # cities, not a city of the province's name
        return f"{phrase} thuộc {row.unit}"
    if row is not None and _UNIT_TAIL.search(phrase):
        return f"{phrase} {row.name}"
    if row is not None and _AREA_TAIL.search(phrase):
        return f"{phrase} {row.unit}"
    if _CENTRAL.search(phrase):
        return phrase
    if issuer and CENTRAL_ISSUER.match(issuer) and _LOCALITIES.search(phrase):
        return phrase
    if ministry and _INTERNAL.search(phrase) and not _OWN_SUPERIOR.search(phrase):
        # (a phrase ending "thuộc Bộ" took the ministry's name above; "các đơn vị trực
        # thuộc Công an cấp tỉnh" names its own superior)
        if _UNDER_TAIL.search(phrase):
            return f"{phrase} {ministry}"
        return f"{phrase} thuộc {ministry}"
    unit = local_unit(issuer)
    bare = _BARE_UNIT.search(phrase)
    if unit and bare and unit.startswith(bare.group(1) + " "):
        # "các ban, ngành, đoàn thể xã" in the commune's letter: that commune's
        return f"{phrase[: bare.start(1)]}{unit}"
    if unit and not _PROVINCIAL_WORDS.search(phrase):
        # a district's letter: its communes, its offices ("UBND các xã, thị trấn thuộc
        # huyện Châu Thành", "các cơ quan, đơn vị huyện Thuận Bắc")
        if _LOCAL_UNITS.match(phrase):
            if _BELOW_DISTRICT.match(phrase):
                return f"{phrase} thuộc {unit}"
        elif _PRIVATE.match(phrase):
            return f"{phrase} trên địa bàn {unit}"
        else:
            return f"{phrase} {unit}"
    if row is None:
        return phrase
    if _LOCAL_UNITS.match(phrase):
        return f"{phrase} thuộc {row.unit}"
    if _PRIVATE.match(phrase):  # "các doanh nghiệp viễn thông trên địa bàn tỉnh Nghệ An"
        return f"{phrase} trên địa bàn {row.unit}"
    return f"{phrase} {row.unit}"


@cache
def _dept_aliases() -> tuple[re.Pattern[str], dict[str, str]]:
    """A department's head ("Sở", "Phòng", "Bộ") and its abbreviated name ("GDĐT",
    "GD&ĐT"), and each abbreviated name's spelled-out name (the gazetteer's aliases)."""
    spelled = {alias: d.name for d in gazetteer().agencies.departments for alias in d.aliases}
    names = "|".join(re.escape(a) for a in sorted(spelled, key=len, reverse=True))
    return re.compile(rf"\b(Sở|Phòng|Bộ)\s+({names})(?![\w&])"), spelled


# ----------------------------------------------------------------- membership

_CLASS_OF_HEAD = (
    # (what a canonical agency name starts with, the class words that take it in)
    ("UBND tỉnh", ("tỉnh", "địa phương")),
    ("UBND thành phố", ("tỉnh", "thành phố", "địa phương")),
    ("UBND huyện", ("huyện",)),
    ("UBND thị xã", ("thị xã", "huyện")),
    ("UBND quận", ("quận",)),
    ("UBND xã", ("xã",)),
    ("UBND phường", ("phường", "xã")),
    ("Bộ ", ("bộ", "ngành", "cơ quan ngang bộ")),
    ("Sở ", ("sở", "ngành", "cơ quan chuyên môn")),
    ("Ban ", ("ban", "ngành")),
    ("Văn phòng ", ("ban", "ngành", "cơ quan")),
    ("Thanh tra ", ("ngành", "cơ quan")),
    ("Công an ", ("ngành", "lực lượng")),
)


@cache
def _classes(collective: str) -> tuple[frozenset[str], bool]:
    """The class words of a group ("tỉnh", "thành phố") and whether it names UBND."""
    low = fold(collective)
    ubnd = low.startswith(("ubnd", "uy ban nhan dan"))
    words: set[str] = set()
    for cls in (
        "co quan ngang bo",
        "co quan chuyen mon",
        "thanh pho",
        "thi xa",
        "dia phuong",
        "tinh",
        "huyen",
        "quan",
        "xa",
        "phuong",
        "bo",
        "so",
        "ban",
        "nganh",
        "co quan",
        "luc luong",
    ):
        if re.search(rf"\b{cls}\b", low):
            words.add(cls)
    return frozenset(words), ubnd


def collective_includes(collective: str, agency: str) -> bool:
    """Whether ``agency`` (a canonical name) belongs to the group ``collective``.

    The group's jurisdiction must hold the agency's ("UBND các huyện thuộc
    tỉnh Bắc Ninh" holds no district of Bắc Giang); a group with no
    jurisdiction ("UBND các tỉnh, thành phố trực thuộc Trung ương") holds
    every body of its class.

    Example:
        >>> collective_includes("UBND các tỉnh, thành phố trực thuộc Trung ương",
        ...                     "UBND tỉnh Đồng Nai")
        True
        >>> collective_includes("các sở, ban, ngành tỉnh Bắc Ninh", "Sở Y tế tỉnh Bắc Ninh")
        True
        >>> collective_includes("các sở, ban, ngành tỉnh Bắc Ninh", "Sở Y tế tỉnh Lạng Sơn")
        False
        >>> collective_includes("Cục Thuế các tỉnh, thành phố trực thuộc Trung ương",
        ...                     "Cục Thuế tỉnh Hưng Yên")
        True
    """
    body = _BODY_IN_EVERY_UNIT.match(collective)
    if body is not None and body["body"] != "UBND" and not body["body"].startswith("HĐND"):
        # "Cục Thuế các tỉnh, thành phố": that body of each province (People's
        # Committees go by class, below)
        levels = ("tỉnh", "thành phố") if body["unit"] == "tỉnh" else (body["unit"],)
        return any(agency.startswith(f"{body['body']} {lv} ") for lv in levels)
    classes, ubnd = _classes(collective)
    parts = split_name(agency)
    head = parts.head if parts else agency
    wanted: tuple[str, ...] = ()
    for prefix, cls in _CLASS_OF_HEAD:
        if f"{head} ".startswith(prefix) or (parts and agency.startswith(prefix)):
            wanted = cls
            break
    if not wanted:
        return False
    folded = {w for w in (fold(c) for c in wanted)}
    if not classes & folded:
        return False
    if ubnd != agency.startswith("UBND") and (ubnd or "tinh" in classes & folded):
        return False
    # jurisdiction: the group's place, when it names one, must hold the agency
    where = re.search(
        r"(?:tỉnh|thành\s+phố|Thành\s+phố)\s+([A-ZĐ][\w]*(?:\s+[A-ZĐ]\w*)*)$", collective
    )
    if where is None:
        return True
    row = gazetteer().province(where.group(1))
    if row is None:
        return key(where.group(1)) in key(agency)
    if parts is None or parts.place is None or parts.place.province.id == "?":
        return True  # a body whose place the gazetteer can't tell (a commune): not excluded
    return parts.place.province.id == row.id
