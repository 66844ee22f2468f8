"""Owners: who a sentence of a directive hands its work to.

Step 2 of task extraction (:mod:`extractors.tasks`). Owner mentions are the
agency spans (canonical names) plus collective phrases; a run of them is
read at a position with titles, commas, "và" and parentheses. The rules, the
first that fires wins: "Giao X ...", "Đề nghị/Yêu cầu X ...", a leader in
person ("Phó Thủ tướng ... yêu cầu Bộ X"), a subject ("X chủ trì ...", "X
có trách nhiệm ..."), a list-item lead ("- Sở Công Thương: ..."), a later
clause ("..., giao X ..."), and a bare anaphor ("Ban phải ...").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from extractors.agencies import department_at
from extractors.collectives import CENTRAL_ISSUER as _CENTRAL_ISSUER
from extractors.collectives import canonical_collective, find_collectives
from extractors.cues import Cues
from extractors.gazetteer import gazetteer
from extractors.gazetteer import key as name_key
from extractors.layout import WORD, Block, Sentence
from extractors.model import Deadline, Document, Label, RecurrenceMention, Span
from extractors.prefilter import head_scan, lowered, skip_start

SPACE_RUN = re.compile(r"\s+")
_SEP = re.compile(
    r"\s*(?:,?\s*(?:nhất\s+là|đặc\s+biệt\s+là)\s+|[,;]\s*(?:và\s+)?|\s+và\s+|\s+cùng\s+"
    r"|\s*\(\s*|\s*\)\s*[,;]?\s*)"
)
_OPEN_PARENS = re.compile(r"\s*\(([^()]{0,200})\)")
CLAUSE_START = re.compile(r"[,;:]\s+")
# What a topic before a colon opens with: "Về ...", "Đối với ...", "Dự án ...".
_TOPIC = re.compile(r"(?:Về|Đối\s+với|Dự\s+án|Riêng)\s")
# Bodies agreeing in a meeting, not taking work: "Các Bộ, cơ quan thống nhất ...".
_CONSENT = re.compile(r"(?:thống\s+nhất|nhất\s+trí|đồng\s+ý|đồng\s+tình)\b", re.IGNORECASE)
_REQUEST = re.compile(r"(?:yêu\s+cầu|đề\s+nghị)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Mention:
    """An owner mention: an agency span group or a collective phrase."""

    start: int
    end: int
    norms: tuple[str, ...]
    collective: bool = False
    generic: bool = False  # "các cơ quan, đơn vị liên quan": dropped beside a named owner
    kind: str = "agency"  # agency | collective | organization | person


@dataclass(frozen=True, slots=True)
class Owner:
    owners: tuple[str, ...]
    pred: int  # where the predicate (action) begins
    rule_id: str
    assigned_by: str | None = None
    explicit: bool = True  # named in the sentence (not inherited)
    at: int = -1  # where the clause naming the owner (or the requester) begins


# Fixed rows that name one body, read with the groups it is listed among: "Thường trực
# HĐND tỉnh, các Ban HĐND tỉnh, ...".
_ONE_BODY_ROWS = frozenset({"task.collective.hdnd_standing.v1"})


def owner_mentions(
    doc: Document,
    spans: Sequence[Span],
    province: str | None,
    cues: Cues,
    *,
    issuer: str | None = None,
) -> list[Mention]:
    """Agency spans grouped by extent, plus collective owners; collectives win
    over agency spans inside them unless an agency span runs past them (an
    enumeration like "UBND các huyện, thị xã: Tân Yên, Hiệp Hòa")."""
    coll = [
        Mention(
            c.start,
            c.end,
            (c.name, *c.extra),
            collective=True,
            generic=c.generic,
            kind="agency" if c.rule_id in _ONE_BODY_ROWS else "collective",
        )
        for c in find_collectives(doc.text, cues, province=province, issuer=issuer)
    ]
    agency = [s for s in spans if s.label == Label.AGENCY and s.end > s.start]
    coll = _plural_bodies(doc.text, coll, agency, province, issuer)
    # a collective is kept unless an agency span runs past its end
    # (a.start < c.end < a.end): the agency spans by start, with the furthest
    # end reached so far, answer that by bisection instead of a scan each
    by_start = sorted((a.start, a.end) for a in agency)
    a_starts = [st for st, _e in by_start]
    a_reach = list(accumulate((e for _s, e in by_start), max))
    keep_coll = []
    for c in coll:
        i = bisect_left(a_starts, c.end)
        if not (i and a_reach[i - 1] > c.end):
            keep_coll.append(c)
    # an agency span inside a kept collective (c.start <= a.start, a.end <= c.end) is left out
    kept = sorted((c.start, c.end) for c in keep_coll)
    c_starts = [st for st, _e in kept]
    c_reach = list(accumulate((e for _s, e in kept), max))
    groups: dict[tuple[int, int], list[str]] = {}
    for a in agency:
        j = bisect_right(c_starts, a.start)
        if j and c_reach[j - 1] >= a.end:
            continue
        norm = a.norm or a.text
        groups.setdefault((a.start, a.end), [])
        if norm not in groups[(a.start, a.end)]:
            groups[(a.start, a.end)].append(norm)
    out = keep_coll + [Mention(s, e, tuple(n)) for (s, e), n in groups.items()]
    if "gọi tắt là" in doc.text:
        out = _defined_bodies(doc.text, out)
    out += _asked_provinces(doc, out)
    out.sort(key=lambda x: (x.start, -x.end))
    return out


# A request of a body, before a province's name ("yêu cầu tỉnh Điện Biên", "chỉ đạo Điện
# Biên"): the name itself is read by the gazetteer's place pattern.
_ASK_PLACE = re.compile(
    r"(?:yêu\s+cầu|đề\s+nghị|chỉ\s+đạo|giao|lưu\s+ý)\s+(?P<unit>(?:(?:tỉnh|thành\s+phố)\s+)?)"
)
_LOWER_WORD_NEXT = re.compile(r"\s+[a-zđà-ỹ]")


def _asked_provinces(doc: Document, out: list[Mention]) -> list[Mention]:
    """A province asked by its name, as its People's Committee: "Lãnh đạo Chính phủ
    yêu cầu tỉnh Điện Biên tiếp tục ...", "Thủ tướng chỉ đạo Điện Biên cần ..." (where
    no body's name stands there already)."""
    g = gazetteer()
    text, folded = doc.text, doc.folded
    taken = {m.start for m in out}
    found = []
    for m in _ASK_PLACE.finditer(text):
        place = m.start("unit")
        pm = g.place_re.match(folded, m.end())
        if pm is None or place in taken or not text[m.end()].isupper():
            continue
        row = g.province_keys.get(name_key(pm.group()))
        if row is None or not _LOWER_WORD_NEXT.match(text, pm.end()):
            continue
        found.append(Mention(place, pm.end(), (f"UBND {row.unit}",)))
    return found


# "Thành lập Tổ công tác triển khai ... với Trung Quốc và Lào (gọi tắt là Tổ công tác)":
# a decision names the body it sets up in full once, then by its short name
_DEFINED_BODY = re.compile(
    r"(?:[Tt]hành\s+lập|[Kk]iện\s+toàn)\s+(?P<long>(?:Ban|Tổ|Tiểu\s+ban|Hội\s+đồng|Ủy\s+ban|Đoàn)"
    r"\s[^()]{3,250}?)\s*\(\s*(?:sau\s+đây\s+)?gọi\s+tắt\s+là\s+(?P<short>[A-ZĐ][^()]{1,40}?)\s*\)"
)


def _defined_bodies(text: str, out: list[Mention]) -> list[Mention]:
    """The body a decision sets up, by its full name where it is defined and by
    that name wherever its short name stands after it ("Ban Chỉ đạo" is "Ban Chỉ
    đạo Trung ương về cải cách chính sách tiền lương ...")."""
    for d in _DEFINED_BODY.finditer(text):
        long = " ".join(d["long"].split())
        short = " ".join(d["short"].split())
        if re.search(r"\s(?:ở|tại)\s+các\s", long):
            continue  # "Ban Chỉ đạo ở các tỉnh, thành phố (gọi tắt là ...)": one in each, a group
        found = [Mention(d.start("long"), d.end("long"), (long,))]
        rx = re.compile(r"(?<![\w])" + r"\s+".join(map(re.escape, short.split())) + r"(?![\w])")
        found += [Mention(m.start(), m.end(), (long,)) for m in rx.finditer(text, d.end())]
        spans = [(m.start, m.end) for m in found]
        # what the name finder read inside them ("Ban Chỉ đạo Lễ mở") gives way
        out = [
            m
            for m in out
            if not any(a <= m.start and m.end <= b for a, b in spans)
            and not any(m.start < a < m.end < b for a, b in spans)
        ]
        out += found
    return out


# "các Cục Thuế", "những Sở Y tế": a body named in the plural, the group of every such body
_PLURAL_DET = re.compile(r"(?:các|những|tất\s+cả\s+các)[ \t]+$", re.IGNORECASE)
# In a central body's letter, these bodies in the plural are one per province.
_PROVINCIAL_BODY = re.compile(
    r"(?:Sở|Cục\s+Thuế|Cục\s+Hải\s+quan|Cục\s+Thống\s+kê|Công\s+an|Kho\s+bạc|Bảo\s+hiểm\s+xã\s+hội"
    r"|Thanh\s+tra|Bộ\s+Chỉ\s+huy|Đài\s+Phát\s+thanh|Chi\s+cục|Ban\s+Quản\s+lý\s+các\s+khu)\b"
)
_HAS_PLACE = re.compile(r"\b(?:tỉnh|thành\s+phố|Thành\s+phố|huyện|quận|thị\s+xã|xã|phường)\b")


_ENDS_WITH_SO = re.compile(r"(?<![\w])[Ss]ở$")


def _plural_bodies(
    text: str,
    coll: list[Mention],
    agency: Sequence[Span],
    province: str | None,
    issuer: str | None,
) -> list[Mention]:
    """Collectives that run on over a body's name: "các Cục Thuế" is the group
    of tax departments, not "các Cục" and then one "Cục Thuế"."""
    out: list[Mention] = []
    named = [n for c in coll for n in c.norms]
    for c in coll:
        a = next(
            (
                a
                for a in agency
                if c.start < a.start < c.end < a.end
                and _PLURAL_DET.search(text, c.start, a.start)
                and text[a.start].isupper()
            ),
            None,
        )
        if a is None and _ENDS_WITH_SO.search(text, c.start, c.end):
            # "các Sở Y tế", "các sở GD&ĐT" where no province names the department
            dept = department_at(text, c.end - 2)
            if dept is not None and dept[1] > c.end:
                name, d_end = dept
                if province is None or (issuer and _CENTRAL_ISSUER.match(issuer)):
                    norm = f"{name} các tỉnh, thành phố trực thuộc Trung ương"
                else:
                    norm = canonical_collective(f"các {name}", province=province, issuer=issuer)
                out.append(Mention(c.start, d_end, (norm,), collective=True, kind="collective"))
                continue
        if a is None or "\n" in text[a.start : a.end] or _shares_head(text, a, agency):
            out.append(c)  # "Các Bộ Quốc phòng, Công an": the bodies listed, no group
            continue
        name = " ".join(text[a.start : a.end].split())
        if _HAS_PLACE.search(name):
            out.append(c)
            continue
        same = next((n for n in named if n.startswith(f"{name} các ")), None)
        if same is not None:  # "Cục Thuế các tỉnh, thành phố ..." named elsewhere
            norm = same
        elif issuer and _CENTRAL_ISSUER.match(issuer) and _PROVINCIAL_BODY.match(name):
            norm = f"{name} các tỉnh, thành phố trực thuộc Trung ương"
        else:
            norm = canonical_collective(f"các {name}", province=province, issuer=issuer)
        out.append(Mention(c.start, a.end, (norm,), collective=True, kind="collective"))
    return out


_NEXT_ITEM = re.compile(r"\s*(?:,|và)\s*")


def _shares_head(text: str, a: Span, agency: Sequence[Span]) -> bool:
    """``a`` heads a list of names that share its head word ("Bộ Quốc phòng, Công an")."""
    sep = _NEXT_ITEM.match(text, a.end)
    return sep is not None and any(
        b.start == sep.end() and b.rule_id.endswith(".enum") for b in agency
    )


class MentionIndex:
    """Mentions by start offset, for O(1) "is there a mention here?"."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.collective = frozenset(n for m in mentions if m.collective for n in m.norms)
        self.kind_of: dict[str, str] = {}
        for m in mentions:
            for n in m.norms:
                self.kind_of.setdefault(n, m.kind)
        self.by_start: dict[int, list[Mention]] = {}
        self._ends = frozenset(m.end for m in mentions)
        for m in mentions:
            self.by_start.setdefault(m.start, []).append(m)
        self.all = list(mentions)

    def at(self, pos: int) -> list[Mention]:
        return self.by_start.get(pos, [])

    def ends_at(self, pos: int) -> bool:
        return pos in self._ends

    def inside(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.all if start <= m.start and m.end <= end]


def skip_ws(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


# "Sở Tài chính, các huyện Chương Mỹ, Đan Phượng và Sóc Sơn": places listed by name after
# their unit word (each the People's Committee of that place)
_UNITS_NAMED_LEAD = re.compile(
    r"các[ \t]+(?:huyện|thị\s+xã|quận|thành\s+phố|tỉnh|xã|phường)[ \t]+(?=[A-ZĐ])"
)
_PLURAL_BEFORE = re.compile(r"(?:các|những)[ \t]+(?=UBND|Ủy|Uỷ|HĐND)", re.IGNORECASE)


def owner_run(
    text: str, pos: int, end: int, idx: MentionIndex, cues: Cues, *, allow_generic: bool = True
) -> tuple[tuple[str, ...], int, bool]:
    """Parse a run of owner mentions at ``pos``: mentions joined by commas,
    "và", parentheses, titles ("Chủ tịch", "Thủ trưởng") and unnamed fillers
    ("các cơ quan liên quan"). Returns (norms, end of run, saw a generic)."""
    norms: list[str] = []
    generic_norms: set[str] = set()
    named_norms: set[str] = set()  # norms of named bodies (not groups)
    p = skip_ws(text, pos, end)
    # "Bí thư Tỉnh ủy và Chủ tịch UBND các tỉnh: A, B": each province's Party
    # committee and People's Committee
    party = _PARTY_HEADS.match(text, p, end)
    if party:
        p = party.end()
    # "Các Bộ, cơ quan: Tài chính, Xây dựng, ...": the bodies the list names
    lead = _list_lead(text, p, end)
    if lead is None and not idx.at(p):
        # "Chủ tịch UBND các tỉnh, thành phố: Hà Tĩnh, ...": the head of each listed body
        lead = _UNITS_LEAD.match(text, past_titles(text, p, end, cues), end)
    if lead and idx.at(lead.end()):
        p = lead.end()
    last = pos
    generic = False
    steps = 0
    while p < end and steps < _MAX_RUN:  # a run longer than any real list is no owner list
        steps += 1
        q = p if idx.at(p) else past_titles(text, p, end, cues)
        det = None if idx.at(q) else (
            _PLURAL_BEFORE.match(text, q, end) or _UNITS_NAMED_LEAD.match(text, q, end)
        )
        if det is not None and idx.at(det.end()):
            q = det.end()  # "các UBND huyện, thị xã": the group the mention names
        here = idx.at(q)
        longest = max(here, key=lambda m: m.end) if here else None
        levels = _EVERY_LEVEL.match(text, longest.end) if longest is not None else None
        if longest is not None and levels is not None and not any(
            " các " in n for m in here for n in m.norms
        ):
            # "Lực lượng Công an các cấp", "Hội Nông dân các cấp": the body at every level,
            # one group (not the province's body and a group "các cấp")
            written = " ".join(text[q : longest.end].split())
            first = longest.norms[0]
            place = first[len(written) :] if first.startswith(written) else ""
            n = f"{written} các cấp{place if _PLACE_TAIL.fullmatch(place) else ''}"
            if n not in norms:
                norms.append(n)
                idx.kind_of.setdefault(n, "collective")
            p = levels.end()
            last = p
        elif longest is not None:
            for m in here:
                for n in m.norms:
                    if n not in norms:
                        norms.append(n)
                    if m.generic:
                        generic_norms.add(n)
                    elif not m.collective:
                        named_norms.add(n)
            p = longest.end
            # enumerations spanned name by name inside brackets or after ":"
            while steps < _MAX_RUN:
                steps += 1
                q2 = p
                sep = _ENUM_SEP.match(text, q2, end)
                q2 = sep.end() if sep else q2
                nxt = idx.at(q2)
                if not nxt or not _glued(text, p, q2):
                    break
                inside = "(" in text[p:q2] and norms[-1:] != [] and norms[-1].startswith("Bộ ")
                for m in nxt:
                    for n in m.norms:
                        if inside and _MINISTRY_UNIT.match(n) and not _ANY_BODY.search(n):
                            continue  # "Bộ Tài chính (Cục Thống kê)": the ministry, by its unit
                        if n not in norms:
                            norms.append(n)
                p = max(m.end for m in nxt)
            close = re.compile(r"\s*\)").match(text, p, end)
            if close and text.count("(", pos, p) > text.count(")", pos, p):
                p = close.end()
            last = p
        else:
            g = cues.match("GENERIC", text, q, end) if allow_generic else None
            if g and g.end() > q and not idx.at(q):
                generic = True
                p = g.end()
                last = p
            else:
                break
        sep = _SEP.match(text, p, end)
        if not sep or sep.end() == p:
            break
        nxt_pos = sep.end()
        q3 = nxt_pos if idx.at(nxt_pos) else past_titles(text, nxt_pos, end, cues)
        named = None if idx.at(q3) else _UNITS_NAMED_LEAD.match(text, q3, end)
        if (
            idx.at(q3)
            or (named is not None and idx.at(named.end()))
            or (allow_generic and _generic_at(text, q3, end, cues, idx))
        ):
            p = nxt_pos
            continue
        break
    if generic_norms and len(generic_norms) < len(norms):
        # "Sở X và các đơn vị liên quan": the named body owns it; but beside groups only,
        # "các sở, ngành liên quan và UBND các xã, phường" is two groups of owners
        drop = generic_norms
        if not named_norms:
            drop = {n for n in generic_norms if not _DEPARTMENTS_GROUP.match(n)}
        norms = [n for n in norms if n not in drop]
    norms = [x for n in norms for x in (_named_before(n, pos, idx) or (n,))]
    if party and norms:
        norms = [x for n in norms for x in (*_party_committee(n), n)]
    norms = _shared_area(_units_of_ministry(norms))
    for n in norms:
        if n.startswith(_EVERY_PARTY):  # every province's Party committees: a group
            idx.kind_of.setdefault(n, "collective")
    return tuple(norms), last, generic


# A group of the province's departments ("các sở, ngành liên quan", "các sở, ban, ngành có
# liên quan"), a group of owners in its own right beside other groups
_DEPARTMENTS_GROUP = re.compile(r"(?:các\s+)?(?:sở|ban|ngành)\b", re.IGNORECASE)
_EVERY_PARTY = "Tỉnh ủy, Thành ủy các tỉnh, thành phố"
# A ministry's own unit, by its head, named without any body after it
_MINISTRY_UNIT = re.compile(r"(?:Vụ|Cục|Tổng cục|Trung tâm|Văn phòng|Viện|Thanh tra|Ban) [A-ZĐ]")
_ANY_BODY = re.compile(
    r"\b(?:Bộ|Chính phủ|Quốc hội|Trung ương|UBND|HĐND|tỉnh|[Tt]hành phố|huyện|xã)\b"
)


def _units_of_ministry(norms: list[str]) -> list[str]:
    """A ministry named right after one of its units is that unit's ministry, not a
    second owner: "Vụ Kế hoạch - Tài chính, Bộ Nội vụ", "Trung tâm Công nghệ thông tin,
    Bộ Nội vụ chịu trách nhiệm ..." (the unit named with it).

        >>> _units_of_ministry(["Trung tâm Công nghệ thông tin", "Bộ Nội vụ"])
        ['Trung tâm Công nghệ thông tin Bộ Nội vụ']
        >>> _units_of_ministry(["Vụ Kế hoạch - Tài chính Bộ Nội vụ", "Bộ Nội vụ"])
        ['Vụ Kế hoạch - Tài chính Bộ Nội vụ']
        >>> _units_of_ministry(["Văn phòng Chính phủ", "Bộ Tài chính"])
        ['Văn phòng Chính phủ', 'Bộ Tài chính']
    """
    out: list[str] = []
    for n in norms:
        prev = out[-1] if out else ""
        if n.startswith("Bộ ") and prev and _MINISTRY_UNIT.match(prev):
            if prev.endswith(" " + n):
                continue
            if not _ANY_BODY.search(prev):
                out[-1] = f"{prev} {n}"
                continue
        out.append(n)
    return out
_EVERY_UBND_IN = re.compile(r"UBND các tỉnh, thành phố (?!trực thuộc)(.+)")


def _shared_area(norms: list[str]) -> list[str]:
    """ "Bí thư tỉnh ủy, thành ủy; Chủ tịch UBND các tỉnh, thành phố tại khu vực X":
    the area named after the People's Committees bounds the Party committees too."""
    if _EVERY_PARTY not in norms:
        return norms
    area = next((m[1] for n in norms if (m := _EVERY_UBND_IN.fullmatch(n))), None)
    if area is None:
        return norms
    return [f"{_EVERY_PARTY} {area}" if n == _EVERY_PARTY else n for n in norms]


_ABOVE = re.compile(r"^UBND các (?:tỉnh|tỉnh, thành phố|thành phố) (?:nêu trên|trên|này)$")


def _named_before(norm: str, pos: int, idx: MentionIndex) -> tuple[str, ...]:
    """ "UBND các tỉnh nêu trên": the People's Committees of the provinces listed last
    before ``pos`` ("... Chủ tịch UBND các tỉnh: Gia Lai, Đắk Lắk"); () if none."""
    if not _ABOVE.match(norm):
        return ()
    listed = [
        m
        for m in idx.all
        if m.end <= pos and len(m.norms) == 1 and re.match(r"UBND (?:tỉnh|thành phố) ", m.norms[0])
    ]
    if len(listed) < 2:
        return ()
    run = [listed[-1]]  # the last list: names no more than a few characters apart
    for m in reversed(listed[:-1]):
        if run[0].start - m.end > 12:
            break
        run.insert(0, m)
    return tuple(m.norms[0] for m in run) if len(run) >= 2 else ()


_PARTY_HEADS = re.compile(
    r"(?:(?:các\s+)?đồng\s+chí\s+)?"  # "các đồng chí Bí thư Tỉnh ủy, Chủ tịch UBND ..."
    r"Bí\s+thư\s+(?:Tỉnh\s+ủy|Thành\s+ủy)(?:\s*,\s*(?:Tỉnh\s+ủy|Thành\s+ủy))*"
    r"\s*(?:,|và)\s*Chủ\s+tịch\s+(?=(?:Ủy\s+ban\s+nhân\s+dân|UBND)\s+các\s+tỉnh)",
    re.IGNORECASE,
)


def _party_committee(ubnd: str) -> tuple[str, ...]:
    """The Party committee beside a province's People's Committee: "UBND tỉnh
    Gia Lai" -> ("Tỉnh ủy Gia Lai",), "UBND thành phố Đà Nẵng" -> ("Thành ủy
    Đà Nẵng",); () for anything else."""
    m = re.fullmatch(r"UBND (tỉnh|thành phố) (.+)", ubnd)
    if m is None:
        # "Bí thư tỉnh ủy, thành ủy và Chủ tịch UBND các tỉnh, thành phố ...": every
        # province's Party committee, as the group of committees is written
        every = re.fullmatch(r"UBND (các tỉnh, thành phố)(?: trực thuộc Trung ương)?(.*)", ubnd)
        return () if every is None else (f"Tỉnh ủy, Thành ủy {every[1]}{every[2]}",)
    return (f"{'Tỉnh ủy' if m[1] == 'tỉnh' else 'Thành ủy'} {m[2]}",)


def past_titles(text: str, pos: int, end: int, cues: Cues) -> int:
    """Past the titles before a body: "Bộ trưởng " and then "các Bộ: " in
    "Bộ trưởng các Bộ: Quốc phòng, Công an"."""
    for _ in range(2):
        t = cues.match("TITLE", text, pos, end)
        if t is None or t.end() <= pos:
            break
        pos = t.end()
    return pos


_ENUM_LEAD = re.compile(
    r"(?:[Cc]ác\s+)?(?:Bộ|bộ|Sở|sở|[Cc]ơ\s+quan)(?:\s*,\s*(?:[Cc]ơ\s+quan|ngành))?"
    r"\s*:[ \t]*\n?[ \t]*"
    # "Các Bộ Quốc phòng, Công an": the first body keeps the head the others share
    r"|[Cc]ác\s+(?=(?:Bộ|Sở)\s)"
)
# "UBND các tỉnh Nghệ An, Hà Tĩnh", "Sở Y tế các tỉnh Nghệ An, Hà Tĩnh": the bodies of the
# places it names (the places are the mentions)
_UNITS_LEAD = re.compile(
    r"(?:(?:UBND|Ủy\s+ban\s+nhân\s+dân|Uỷ\s+ban\s+nhân\s+dân|HĐND|Sở\s+[^,;:\n]{1,40}?)\s+)?"
    r"[Cc]ác\s+(?:tỉnh|huyện|thị\s+xã|quận|thành\s+phố)(?:\s*[,/]\s*(?:tỉnh|huyện|thị\s+xã|quận|thành\s+phố))*"
    r"(?:\s+(?:trực\s+)?thuộc\s+[Tt]rung\s+ương)?(?:\s*:\s*|[ \t]+)"
)


def _list_lead(text: str, pos: int, end: int) -> re.Match[str] | None:
    """The head of a list whose names are the mentions: "Các Bộ: ...", "UBND các tỉnh ..."."""
    return _ENUM_LEAD.match(text, pos, end) or _UNITS_LEAD.match(text, pos, end)


_PLACE_TAIL = re.compile(r" (?:tỉnh|[Tt]hành phố) [A-ZĐ].*")
_EVERY_LEVEL = re.compile(r"[ \t]+các[ \t]+cấp(?![\w])(?![ \t]*(?:,|và)[ \t]*(?:các[ \t]+)?ngành)")
_ENUM_SEP = re.compile(r"\s*(?:[,;:]|\(|\)|và)?\s*")
_MAX_RUN = 64  # owners in one run: 63 provinces is the longest list a directive has


def _glued(text: str, a: int, b: int) -> bool:
    gap = text[a:b]
    return len(gap) <= 4 and "." not in gap


def _generic_at(text: str, pos: int, end: int, cues: Cues, idx: MentionIndex) -> bool:
    g = cues.match("GENERIC", text, pos, end)
    return bool(g and g.end() > pos and not idx.at(pos))


_PERIOD_TAIL = re.compile(
    r"(?:\s+(?:hoặc|và)\s+(?:đột\s+xuất|(?:hằng|hàng)\s+(?:năm|quý|tháng|tuần)|\d{1,2}\s+tháng)"
    r"(?:\s+khi\s+có\s+yêu\s+cầu)?)?(?:\s*\([^()\n]{1,80}\))?"
)
_AFTER_FRONTED = re.compile(
    r"\s*,\s*|[ \t]+(?=(?:các|những|Các|Những)\s|(?:UBND|Ủy\s+ban|Sở|Bộ)\s)"
)


# The text at hand, its cue table, and what starts_with_action and skip_prefix
# answered for it, by their arguments: the task and owner steps ask both again
# for the same places (of 11,935 and 11,826 calls a round on the corpus, 4,841
# and 4,582). Both are pure functions of their arguments (skip_prefix's
# deadlines and recurrences are kept as tuples and compared); the memo keeps
# the text and the table it compares by identity, so neither is freed and reused.
_memo: (
    tuple[
        str,
        Cues,
        dict[tuple[int, int], int | None],
        dict[tuple[int, int], tuple[object, object, int]],
    ]
    | None
) = None


def _memo_of(
    text: str, cues: Cues
) -> tuple[dict[tuple[int, int], int | None], dict[tuple[int, int], tuple[object, object, int]]]:
    global _memo
    memo = _memo
    if memo is None or memo[0] is not text or memo[1] is not cues:
        memo = _memo = (text, cues, {}, {})
    return memo[2], memo[3]


def skip_prefix(
    text: str,
    pos: int,
    end: int,
    cues: Cues,
    sent_deadlines: Sequence[Deadline],
    sent_recs: Sequence[RecurrenceMention],
) -> int:
    """Skip connectors and a fronted deadline/recurrence ("Trước ngày 10/8, ")."""
    memo = _memo_of(text, cues)[1]
    dls, recs = tuple(sent_deadlines), tuple(sent_recs)
    got = memo.get((pos, end))
    if got is not None and got[0] == dls and got[1] == recs:
        return got[2]
    out = _skip_prefix(text, pos, end, cues, dls, recs)
    memo[(pos, end)] = (dls, recs, out)
    return out


def _skip_prefix(
    text: str,
    pos: int,
    end: int,
    cues: Cues,
    sent_deadlines: Sequence[Deadline],
    sent_recs: Sequence[RecurrenceMention],
) -> int:
    for _ in range(4):
        pos = skip_ws(text, pos, end)
        c = cues.match("CONNECTOR", text, pos, end)
        if c and c.end() > pos:
            pos = c.end()
            continue
        moved = False
        spans: list[Deadline | RecurrenceMention] = [*sent_deadlines, *sent_recs]
        for d in spans:
            if d.start == pos:
                # "Trước ngày 10/8, ", or a subject right after ("Định kỳ hàng tháng các đơn vị")
                m = _AFTER_FRONTED.match(text, d.end, end)
                if m:
                    pos = m.end()
                    moved = True
                    break
                # "Định kỳ hằng năm (trước ngày 30 tháng 11) báo cáo ...", "Định kỳ hoặc
                # đột xuất (khi có yêu cầu), tổng hợp ...": a period, its work right after
                t = _PERIOD_TAIL.match(text, d.end, end)
                q = t.end() if t else d.end
                m = _AFTER_FRONTED.match(text, q, end)
                q = m.end() if m else skip_ws(text, q, end)
                if q > d.end and (m or starts_with_action(text, q, end, cues) is not None):
                    pos = q
                    moved = True
                    break
        if not moved:
            r = _REMIT.match(text, pos, end)
            if r is not None and r.end() > pos and text[r.end() - 1] == ",":
                # "Trong phạm vi chức năng, nhiệm vụ được giao, phối hợp với ...": the
                # remit fronted, the work after it
                pos = r.end()
                continue
            asked_by = _ASKED_BY.match(text, pos, end)
            if asked_by is not None:
                # "Theo yêu cầu của lãnh đạo UBND tỉnh, người đứng đầu các địa phương phải
                # ...", "Theo chỉ đạo của Chủ tịch UBND tỉnh, Sở Y tế ...": who asked, fronted
                pos = asked_by.end()
                continue
            topic = _TOPIC_COLON.match(text, pos, end)
            if topic is not None and starts_with_action(text, topic.end(), end, cues) is not None:
                # "Đối với các nhà máy xi măng, luyện thép: Tăng cường sử dụng ...": the topic
                # the work is about, the work after its colon
                pos = topic.end()
                continue
            g = past_grounds(text, pos, end, cues)
            if g is None:
                break
            pos = g
    return skip_ws(text, pos, end)


_GROUNDS = re.compile(r"(?:Căn\s+cứ|Dựa\s+(?:trên|vào))\b", re.IGNORECASE)
_ASKED_BY = re.compile(
    r"(?:Theo|Thực\s+hiện)\s+(?:yêu\s+cầu|chỉ\s+đạo|ý\s+kiến\s+chỉ\s+đạo)\s+của\s+"
    r"[^,;.:\n]{1,80},[ \t]*",
    re.IGNORECASE,
)
_TOPIC_COLON = re.compile(
    r"(?:Về|Đối\s+với)\s(?:(?!\s(?:giao|yêu\s+cầu|đề\s+nghị|chỉ\s+đạo)\s)[^:;.\n]){1,120}:[ \t]+"
)
# What the work builds on, fronted, the work after a comma: "Trên cơ sở đề xuất kinh phí
# của các sở, ngành, chủ trì tổng hợp ...". (A fronted condition, "Trường hợp phát sinh
# vướng mắc, báo cáo ...", or scope, "Đối với các dự án ..., ...", is as often a rule
# as a task: measured on the tuning gold, 26 tasks found against 44 spurious.)
_FRONTED = re.compile(r"Trên\s+cơ\s+sở\s")
_COMMA = re.compile(r",[ \t\n]*")


def past_grounds(text: str, pos: int, end: int, cues: Cues) -> int | None:
    """After a fronted grounds clause whose verb (or subject) follows a comma ("Căn cứ
    chức năng, nhiệm vụ được giao, xây dựng kế hoạch ..."): where the verb begins."""
    grounds = _GROUNDS.match(text, pos, end) is not None
    if not grounds and not _FRONTED.match(text, pos, end):
        return None
    for c in _COMMA.finditer(text, pos, min(end, pos + 300)):
        clause = text[pos : c.start()]
        if re.search(r"\.\s", clause) or (
            grounds and _INSTRUMENT.search(clause) and not _THIS_INSTRUMENT.search(clause)
        ):
            return None  # "Căn cứ Luật ..., sửa đổi, bổ sung ...": a preamble's citation
        if starts_with_action(text, c.end(), end, cues) is not None:
            return c.end()
        if text[c.end() : c.end() + 1].isupper() or text.startswith("các ", c.end()):
            # "Căn cứ Kế hoạch này, Sở Xây dựng chủ trì, ...": a subject, its verb after it
            return c.end()
    return None


# the document's own text as the grounds: "Căn cứ quy định tại Quyết định này, chỉ đạo ..."
_THIS_INSTRUMENT = re.compile(r"\bnày\b")
_INSTRUMENT = re.compile(
    r"\b(?:Luật|Nghị\s+định|Nghị\s+quyết|Quyết\s+định|Thông\s+tư|Chỉ\s+thị|Pháp\s+lệnh|Hiến\s+pháp"
    r"|Kết\s+luận|Công\s+văn|Tờ\s+trình|Điều\s+\d|số\s+\d)"
)


# The owners' remit between them and their verb: "theo chức năng, nhiệm vụ (được
# giao)", "trong phạm vi chức năng, nhiệm vụ được giao", "theo thẩm quyền", "trong
# phạm vi nhiệm vụ, quyền hạn của mình".
_REMIT = re.compile(
    r",?[ \t\n]*(?:theo|trong\s+phạm\s+vi|căn\s+cứ(?:\s+vào)?|trên\s+cơ\s+sở)\s+"
    r"(?:(?:thẩm\s+quyền|quyền\s+hạn)(?:\s*,\s*|\s+và\s+))?"
    r"(?:(?:chức\s+năng\s*,?\s*(?:và\s+)?)?nhiệm\s+vụ(?:\s*,\s*(?:và\s+)?(?:quyền\s+hạn|thẩm\s+quyền))*"
    r"(?:\s+(?:được\s+giao|của\s+mình|của\s+đơn\s+vị))?|thẩm\s+quyền|quản\s+lý)"
    r"(?:\s*,\s*thẩm\s+quyền)?[ \t]*,?",
    re.IGNORECASE,
)


# The owner's standing role, between commas, before what it must do: "Bộ Nội vụ là cơ
# quan thường trực của Ban Chỉ đạo, có trách nhiệm ...", "Sở Y tế, cơ quan thường trực, ..."
_ROLE_APPOSITION = re.compile(
    r",?[ \t\n]*(?:là\s+)?cơ\s+quan\s+(?:thường\s+trực|đầu\s+mối|chủ\s+trì|tham\s+mưu)"
    r"[^,;.:\n]{0,100},[ \t\n]*(?=(?:có|chịu)\s+trách\s+nhiệm|chủ\s+trì|được\s+giao)",
    re.IGNORECASE,
)


def past_remit(text: str, pos: int, end: int) -> int:
    """Past "theo chức năng, nhiệm vụ được giao" after an owner, or its standing role
    before its duty ("là cơ quan thường trực ..., có trách nhiệm"), if there."""
    p = skip_ws(text, pos, end)
    role = _ROLE_APPOSITION.match(text, p, end)
    if role is not None:
        return role.end()
    m = _REMIT.match(text, p, end)
    return m.end() if m else pos


def _predicate_ok(text: str, pos: int, end: int, cues: Cues) -> int | None:
    """After an owner: skip adverbs/roles; return where the action verb starts
    if the predicate assigns work, else None (descriptive or no verb)."""
    # a markdown copy's emphasis before the verb: "đơn vị liên quan *tiếp tục nâng cao ...*"
    p = skip_ws(text, past_remit(text, pos, end), end)
    while p < end and text[p] == "*":
        p = skip_ws(text, p + 1, end)
    a = _past_adverbs(text, p, end, cues, most=2)  # "Sở Y tế cũng được giao ..."
    d = cues.match("DELEGATE_CUE", text, a, end) if a is not None else None
    if d:
        p = skip_ws(text, d.end(), end)
    q = _past_adverbs(text, p, end, cues, most=6)
    if q is None or _describes(text, q, end, cues):
        return None
    p0, p = p, q
    if cues.match("ACTION", text, p, end):
        return p
    if d:  # "X có trách nhiệm:" etc. still assigns
        return p
    if _MODAL.search(text, p0, p) and _LOWER_WORD.match(text, p, end):
        return p  # "X cần cụ thể hóa ...", "X phải ...": an obligation, whatever its verb
    if _LEADS.search(text, p0, p) and _LOWER_WORD.match(text, p, end):
        return p  # "X chủ trì lên phương án ...": leading the work, whatever its verb
    return None


# the lead role between an owner and its verb
_LEADS = re.compile(r"(?<![\w])chủ\s+trì(?![\w])", re.IGNORECASE)


# a modal of obligation between an owner and its verb, and a lower-case word after it
_MODAL = re.compile(r"(?<![\w])(?:cần|phải)(?![\w])", re.IGNORECASE)
_LOWER_WORD = re.compile(r"[a-zđà-ỹ]")


def _describes(text: str, p: int, end: int, cues: Cues) -> bool:
    """A reporting predicate at ``p`` ("đã ...", "cho biết", "chỉ đạo về việc"),
    unless an action verb reads at least as far ("được giao" is no report)."""
    d = cues.match("DESCRIPTIVE", text, p, end)
    if not d:
        return False
    a = cues.match("ACTION", text, p, end)
    return a is None or d.end() > a.end()


def _past_adverbs(
    text: str, p: int, end: int, cues: Cues, *, most: int, item: bool = False
) -> int | None:
    """Skip up to ``most`` manner/modal words ("khẩn trương", "chủ động, ");
    None when a reporting predicate comes first ("đã ..."). At an item's start
    (``item``) a role reads before "là" does: "Là đầu mối chủ trì, tiếp nhận
    hồ sơ" assigns, where "X là đầu mối tổng hợp ..." describes."""
    for _ in range(most):
        a = cues.match("ADVERB", text, p, end)
        if _describes(text, p, end, cues):
            d = cues.match("DESCRIPTIVE", text, p, end)
            if a is None or d is None:
                return None
            if not item and not d.group().lower().startswith("không"):
                return None
            if a.end() <= d.end():
                return None  # "không lơ là, chủ quan, ..." is a warning, not a report
        if not a or a.end() <= p:
            break
        p = skip_ws(text, a.end(), end)
    return p


# After an action word, words that make the sentence describe rather than assign
# skip_start: searched over clauses, tried where its first letters are (the same matches)
_DESCRIBED = skip_start(
    re.compile(r"\b(?:đã|được\s+xác\s+định|là\s+động\s+lực|đạt|(?<!lấn\s)chiếm)\b")
)


def starts_with_action(text: str, pos: int, end: int, cues: Cues) -> int | None:
    memo = _memo_of(text, cues)[0]
    key = (pos, end)
    if key in memo:
        return memo[key]
    out = memo[key] = _starts_with_action(text, pos, end, cues)
    return out


def _starts_with_action(text: str, pos: int, end: int, cues: Cues) -> int | None:
    p = _past_adverbs(text, pos, end, cues, most=4, item=True)
    if p is None:
        return None
    if cues.match("ACTION", text, p, end):
        # "Phát triển công nghiệp ... được xác định là ..." describes, not assigns
        head = text[p : min(end, p + 90)]
        if _DESCRIBED.search(head):
            return None
        return p
    return None


def find_owner(
    text: str,
    s: Sentence,
    b: Block,
    idx: MentionIndex,
    cues: Cues,
    sd: Sequence[Deadline],
    sr: Sequence[RecurrenceMention],
    mentions: Sequence[Mention],
    focus: tuple[str, ...],
    *,
    news: bool = False,
) -> Owner | None:
    """The owner named in the sentence itself, or None."""
    end = s.end
    pos = skip_prefix(text, s.start, end, cues, sd, sr)
    # 1. "Giao X ...", "Đề nghị X ...", "Yêu cầu X ..."
    c = cues.match("ASSIGN_CUE", text, pos, end)
    if c:
        norms, rend, _g = owner_run(text, c.end(), end, idx, cues, allow_generic=False)
        if norms:
            pred = _after_role(text, rend, end, cues)
            return Owner(norms, pred, "task.owner.assign_cue.v1")
        person = _person_owner(text, c.end(), end)
        if person:
            pred = _after_role(text, person[1], end, cues)
            return Owner((person[0],), pred, "task.owner.person.v1")
        raw = _raw_owner(text, c.end(), end, cues)
        if raw:
            rule = "task.owner.role.v1" if raw[0][:1].islower() else "task.owner.raw.v1"
            return Owner((raw[0],), _after_role(text, raw[1], end, cues), rule)
    # 1b. a leader in person: "Phó Thủ tướng Hoàng Trung Hải yêu cầu Bộ X ..."
    own = _speaker(text, pos, end, idx, cues) or (
        _speaker_unnamed(text, pos, end, idx, cues) if news else None
    )
    if own:
        return own
    # 2. subject: "X chủ trì ...", "X đề nghị Y ...", "- X: ..."
    own = _subject(text, pos, end, idx, cues, first=s.first, news=news)
    if own:
        return own
    if s.first and b.marker:
        own = _qualified_subject(text, pos, end, idx, cues)
        if own:
            return own
    # an official named in person as the subject: "Phó Thủ tướng Chính phủ Hồ Đức Phớc
    # đi kiểm tra, đôn đốc ..." (a Công điện, a Quyết định phân công)
    own = _person_subject(text, pos, end, cues) or _role_subject(text, pos, end, idx)
    if own:
        return own
    # a topic before a colon: "Về đề xuất khảo sát ...: Bộ X chủ trì ...",
    # "- Dự án lưới điện ...: UBND tỉnh Y chỉ đạo ..."
    colon = text.find(": ", pos, min(end, pos + 250))
    if colon > pos and _TOPIC.match(text, pos):
        q = skip_ws(text, colon + 1, end)
        if q < end:
            own = _subject(text, q, end, idx, cues, first=False, news=news)
            if (
                own
                and not set(own.owners) <= _NEVER_OWNERS
                and not _CONSENT.match(text, skip_ws(text, own.pred, end))
            ):
                return own
    adj = cues.match("ADJUNCT", text, pos, end)
    if adj:
        own = _subject(text, skip_ws(text, adj.end(), end), end, idx, cues, first=False)
        if own:
            return own
    # 3. a later clause "..., Bộ X đề nghị Y ..." / "..., giao X ..."
    imperative = starts_with_action(text, pos, end, cues) is not None
    for m in CLAUSE_START.finditer(text, pos, end):
        q = m.end()
        c = cues.match("ASSIGN_CUE", text, q, end)
        if c and imperative and text[m.start()] in ";," and _REQUEST.match(text, q):
            # "Triển khai ngay ...; yêu cầu các đơn vị bảo đảm ...", "Tăng cường kiểm tra
            # các công trường, yêu cầu các chủ đầu tư thu gom ...": the item's owner asks
            # others along the way, the task stays the item's (past a topic's colon the
            # request falls to _reported, which reads it as the task's)
            c = None
        if c:
            norms, rend, _g = owner_run(text, c.end(), end, idx, cues, allow_generic=False)
            if norms:
                return Owner(
                    norms,
                    _after_role(text, rend, end, cues),
                    "task.owner.assign_cue.v1",
                    assigned_by=_assigner(text, pos, q, idx, cues),
                    at=pos,
                )
        own = _speaker(text, q, end, idx, cues) or (
            _speaker_unnamed(text, q, end, idx, cues) if news else None
        )
        if own and not own.owners:
            # "Về phía các TCTD, Phó Thống đốc yêu cầu nghiêm túc thực hiện ...": the topic
            topic = _TOPIC_OWNER.match(text, pos, m.start())
            if topic is not None:
                norms, rend, _g = owner_run(text, topic.end(), m.start(), idx, cues)
                if norms and not text[rend : m.start()].strip():
                    own = Owner(norms, own.pred, "task.owner.topic.v1", own.assigned_by, at=pos)
        if own:
            return own
        if news and text[m.start()] == ",":
            # "Phó Chủ tịch UBND tỉnh X đã ký văn bản số ..., chỉ đạo các sở, ban, ngành ...":
            # the leader (or body) the sentence opens with directs the bodies named
            c2 = cues.match("SPEAKER_CUE", text, q, end)
            who = cues.match("SPEAKER", text, pos, end) or cues.match("TITLE", text, pos, end)
            if c2 and (who is not None or idx.at(pos)):
                if who is not None:
                    body = idx.at(skip_ws(text, who.end(), end))
                    by = body[0].norms[0] if body else SPACE_RUN.sub(" ", text[pos : who.end()])
                else:
                    by = idx.at(pos)[0].norms[0]
                own = _requested(text, c2.end(), end, idx, cues, assigned_by=by, at=pos)
                if own:
                    return own
        if idx.at(q) or cues.match("TITLE", text, q, end):
            norms, rend, _g = owner_run(text, q, end, idx, cues, allow_generic=False)
            if norms:
                c2 = _cue_after(text, rend, end, cues, news=news)
                if c2:
                    own = _requested(text, c2.end(), end, idx, cues, assigned_by=norms[0], at=q)
                    if own:
                        return own
        # a subject after a fronted clause: "Ngoài công tác tuyên truyền, UBND huyện
        # Tây Trà phải tăng cường ..."
        a = cues.match("ANAPHOR", text, q, end)
        if a and not idx.at(q) and m.start() - pos < 200:
            # "Trong thời gian tới, Tỉnh tổ chức ...", "Về việc ...: Tỉnh căn cứ ..."
            verb_at = _predicate_ok(text, a.end(), end, cues)
            target = _resolve_anaphor(SPACE_RUN.sub(" ", a.group("kind")), q, focus, mentions)
            if verb_at is not None and target:
                return Owner((target,), verb_at, "task.owner.anaphor.v1", at=q)
        if text[m.start()] == "," and not idx.at(q):
            # "Để ..., tỉnh Đắk Lắk cần tiếp tục thực hiện ...": the province's UBND
            own = _place_subject(text, q, end, cues)
            if own:
                return own
        listed = idx.ends_at(m.start()) or idx.ends_at(m.start() - 1)
        if text[m.start()] == "," and m.start() - pos < 200 and idx.at(q) and not listed:
            own = _subject(text, q, end, idx, cues, first=False, news=news)
            if own:
                return own
    # 3b. a reported assignment anywhere in the sentence: "Thủ tướng Phạm Minh Chính
    # ký Công điện số 143/CĐ-TTg yêu cầu các bộ, ngành ...", "Liên Bộ yêu cầu ..."
    own = _reported(text, pos, end, idx, cues, news=news, imperative=imperative)
    if own:
        return own
    # 4. a bare anaphor: "Ban phải xây dựng ...", "Sở chủ trì ...", also after its
    # head's title ("Giám đốc Sở tiếp công dân định kỳ ...")
    titled = past_titles(text, pos, end, cues)
    at = titled if titled > pos and not idx.at(titled) else pos
    a = cues.match("ANAPHOR", text, at, end)
    if a and not idx.at(at):
        kind = SPACE_RUN.sub(" ", a.group("kind"))
        target = _resolve_anaphor(kind, s.start, focus, mentions)
        q = skip_ws(text, a.end(), end)
        cue = cues.match("SPEAKER_CUE", text, q, end) or cues.match("ASSIGN_CUE", text, q, end)
        if cue is not None and target:
            # "Bộ chỉ đạo Công ty Vận hành hệ thống điện ..., Tập đoàn Điện lực Việt Nam phải
            # ...": the bodies the anaphor's body directs carry it out
            own = _requested(text, cue.end(), end, idx, cues, assigned_by=target, at=pos)
            if own:
                return own
        verb_at = _predicate_ok(text, a.end(), end, cues)
        if verb_at is not None and target:
            return Owner((target,), verb_at, "task.owner.anaphor.v1")
    return None


def _along_the_way(text: str, pos: int, sep: int, at: int) -> bool:
    """Whether a request at ``at``, after the separator at ``sep``, is one the item that
    opens at ``pos`` with its own verb makes along the way: "Triển khai ngay ...; yêu cầu
    các đơn vị bảo đảm ...", "Tăng cường kiểm tra các công trường, yêu cầu các chủ đầu tư
    thu gom ..." (the task stays the item's); not past a topic's colon ("Đẩy mạnh ...:
    Khi ..., yêu cầu các sở ...")."""
    if not _REQUEST.match(text, at):
        return False
    return text[sep] == ";" or (text[sep] == "," and ":" not in text[pos:at])


# Before a cue, words that make it no assignment: "theo yêu cầu", "được giao", "về việc giao".
_NOT_ASSIGNING_BEFORE = re.compile(
    r"(?:theo|của|được|như|tại|với|đúng|đáp\s+ứng|việc)\s+$", re.IGNORECASE
)
# Bodies nobody in a directive hands work to: a request to them is a petition.
_NEVER_OWNERS = frozenset(
    {"Thủ tướng Chính phủ", "Chính phủ", "Quốc hội", "Bộ Chính trị", "Ban Bí thư"}
)


def _assigner(text: str, start: int, at: int, idx: MentionIndex, cues: Cues) -> str | None:
    """Who speaks before an assignment cue at ``at``: the last body named in
    [start, at), else a leader named in person ("Thủ tướng Phạm Minh Chính")."""
    before = idx.inside(start, at)
    if before:
        return before[-1].norms[0]
    sp = cues.match("SPEAKER", text, start, at + 20)
    if sp:
        return SPACE_RUN.sub(" ", text[start : sp.end()]).strip()
    return None


def _reported(
    text: str,
    pos: int,
    end: int,
    idx: MentionIndex,
    cues: Cues,
    *,
    news: bool,
    imperative: bool = False,
) -> Owner | None:
    """The first assignment cue in the sentence that names whom it asks:
    the owner run right after it; the assigner is the body or leader named
    before it in its clause. An official text recounting an earlier request
    ("Bộ Nội vụ đã có Văn bản số ... đề nghị ...") assigns nothing itself;
    news reporting it does."""
    hits: list[re.Match[str]] = []
    sentence = text[pos:end]
    low = lowered(sentence)
    rows = cues.rows.get("ASSIGN_CUE", ())
    for (_row, row_rx), rx in zip(rows, cues.scanning("ASSIGN_CUE"), strict=True):
        # a cue none of whose first words ("giao", "đề", "yêu") is in the sentence is not there
        if head_scan(row_rx).may_match(sentence, low):
            hits.extend(rx.finditer(text, pos, end))
    for c in sorted(hits, key=lambda m: m.start()):
        at = c.start()
        if at == pos or _NOT_ASSIGNING_BEFORE.search(text, max(pos, at - 12), at):
            continue
        norms, rend, _g = owner_run(text, c.end(), end, idx, cues, allow_generic=False)
        if not norms or set(norms) <= _NEVER_OWNERS:
            continue
        clause = pos
        for cm in CLAUSE_START.finditer(text, pos, c.start()):
            clause = cm.end()
        if not news and re.search(r"\bđã\b", text[clause:at]):
            continue
        j = at  # the last character before the cue, spaces aside
        while j > 0 and text[j - 1].isspace():
            j -= 1
        if imperative and clause == at and j > 0 and _along_the_way(text, pos, j - 1, at):
            continue
        by = _assigner(text, clause, at, idx, cues)
        return Owner(
            norms,
            _after_role(text, rend, end, cues),
            "task.owner.reported.v1",
            assigned_by=by,
            at=clause,
        )
    return None


def _speaker_cue(
    text: str, pos: int, end: int, idx: MentionIndex, cues: Cues
) -> tuple[str, int] | None:
    """A leader speaking in person at ``pos`` and the assignment cue after: the
    speaker as written and where the cue ends, or None."""
    sp = cues.match("SPEAKER", text, pos, end)
    if not sp or idx.inside(pos, sp.end()):
        return None
    c = cues.match("ASSIGN_CUE", text, sp.end(), end) or cues.match(
        "SPEAKER_CUE", text, sp.end(), end
    )
    if not c:
        return None
    return SPACE_RUN.sub(" ", text[pos : sp.end()]).strip(), c.end()


def _speaker(text: str, pos: int, end: int, idx: MentionIndex, cues: Cues) -> Owner | None:
    """A leader speaking in person at ``pos``, then an assignment cue:
    "Phó Thủ tướng Hoàng Trung Hải yêu cầu Bộ X ..." gives Bộ X."""
    found = _speaker_cue(text, pos, end, idx, cues)
    if found is None:
        return None
    speaker, cue_end = found
    return _requested(text, cue_end, end, idx, cues, assigned_by=speaker, at=pos)


def _speaker_unnamed(text: str, pos: int, end: int, idx: MentionIndex, cues: Cues) -> Owner | None:
    """A leader's directive reported with nobody named to carry it out: "Thủ
    tướng yêu cầu triển khai ngay các biện pháp bảo vệ đê điều ..." is a task
    whose owner is unknown (staff fill it in), assigned by the leader."""
    found = _speaker_cue(text, pos, end, idx, cues)
    if found is None:
        return None
    speaker, cue_end = found
    q = skip_ws(text, cue_end, end)
    if idx.at(q) or starts_with_action(text, q, end, cues) is None:
        return None
    return Owner((), q, "task.owner.unknown.v1", assigned_by=speaker, at=pos)


# A leader assigned by name: "Giao Phó Thủ tướng Chính phủ Trần Hồng Hà tiếp tục chỉ đạo".
_PERSON_OWNER = re.compile(
    r"\s*(?:[Đđ]ồng\s+chí\s+)?(?:[Pp]hó\s+)?"
    r"(?:Thủ\s+tướng(?:\s+Chính\s+phủ)?|Bộ\s+trưởng|Thứ\s+trưởng|Chủ\s+tịch(?:\s+UBND\s+(?:tỉnh|thành\s+phố))?"
    r"|Giám\s+đốc|Chủ\s+nhiệm|Tổng\s+Bí\s+thư|Bí\s+thư)?\s*"
    r"(?P<name>[A-ZĐ][a-zà-ỹđ]+(?:[ \t]+[A-ZĐ][a-zà-ỹđ]+){1,3})(?=[\s,])"
)


def _person_owner(text: str, pos: int, end: int) -> tuple[str, int] | None:
    """An official named in person right after an assignment cue: (name, end)."""
    m = _PERSON_OWNER.match(text, pos, end)
    if not m or m.group("name").split()[0] not in _surnames():
        return None
    return m.group("name"), m.end("name")


def _person_subject(text: str, pos: int, end: int, cues: Cues) -> Owner | None:
    """A titled official named in person, then a verb of work: the person owns it."""
    m = _PERSON_OWNER.match(text, pos, end)
    if m is None or not text[pos : m.start("name")].strip():
        return None  # a bare name is no subject: it may be a place or a body
    if m.group("name").split()[0] not in _surnames():
        return None
    pred = _predicate_ok(text, m.end("name"), end, cues)
    if pred is None:
        return None
    return Owner((m.group("name"),), pred, "task.owner.person.v1", at=pos)


# A normative text's duty of whoever holds a role: "Cơ quan, người có thẩm quyền có
# trách nhiệm ...", "Người đứng đầu cơ quan, đơn vị chịu trách nhiệm ...", "Doanh
# nghiệp bưu chính được chỉ định có trách nhiệm ...": the role's words up to the duty.
_ROLE_SUBJECT = re.compile(
    r"(?P<np>(?:Cơ\s+quan|Người\s+(?:đứng\s+đầu|có\s+thẩm\s+quyền|sử\s+dụng)|Doanh\s+nghiệp|Đơn\s+vị"
    r"|Tổ\s+chức(?=\s*,|\s+(?:pháp\s+chế|được|thuộc|có\s+liên))|Cá\s+nhân|Đối\s+tượng|Đoàn\s+kiểm\s+tra"
    r"|Trưởng\s+đoàn|Chủ\s+đầu\s+tư|Nhà\s+thầu|Chủ\s+(?:cơ\s+sở|rừng|hộ|dự\s+án))"
    r"(?:[ \t\n]*,?[ \t\n]+[^\s.;:!?()\[\]]+){0,14}?)"
    r"[ \t\n]+(?:(?:có|chịu)[ \t\n]+trách[ \t\n]+nhiệm|có[ \t\n]+nhiệm[ \t\n]+vụ|phải)(?![\w])"
)
_COMPANY_ROLE = re.compile(r"(?:Doanh\s+nghiệp|Nhà\s+thầu)\s+(?!các\b)")


def _role_subject(text: str, pos: int, end: int, idx: MentionIndex) -> Owner | None:
    """Whoever a role names owns the duty the sentence gives it (see _ROLE_SUBJECT)."""
    if idx.at(pos):
        return None
    m = _ROLE_SUBJECT.match(text, pos, end)
    if m is None:
        return None
    np = SPACE_RUN.sub(" ", m.group("np"))
    rule = "task.owner.role_company.v1" if _COMPANY_ROLE.match(np) else "task.owner.role.v1"
    return Owner((np[0].lower() + np[1:],), m.end(), rule, at=pos)


def _surnames() -> frozenset[str]:
    from extractors.gazetteer import gazetteer

    return frozenset(gazetteer().agencies.surnames)


# A role asked in lower case with no determiner: "đề nghị chủ đầu tư của 6 dự án nhà ở
# xã hội thực hiện đúng cam kết", "yêu cầu nhà thầu thi công ...".
_ROLE_HEAD = re.compile(
    r"(?:chủ\s+đầu\s+tư|nhà\s+đầu\s+tư|nhà\s+thầu|đơn\s+vị\s+thi\s+công|chủ\s+dự\s+án"
    r"|người\s+đứng\s+đầu)(?![\w])"
)


def _raw_owner(text: str, pos: int, end: int, cues: Cues) -> tuple[str, int] | None:
    """An owner the agency finder does not know, after "Giao": the capitalized
    words up to the role or action ("Giao Trung tâm Phục vụ hành chính công
    chủ trì, ..."). Kept as written."""
    p = skip_ws(text, pos, end)
    if p >= end or not (text[p].isupper() or _ROLE_HEAD.match(text, p, end)):
        return None
    for w in WORD.finditer(text, p, min(end, p + 120)):
        q = w.start()
        if q == p:
            continue
        if (
            cues.match("DELEGATE_CUE", text, q, end)
            or cues.match("COOP_CUE", text, q, end)
            or cues.match("ACTION", text, q, end)
            or re.compile(r"chủ\s+trì\b").match(text, q, end)
        ):
            name = text[p:q].strip(" ,;")
            words = len(WORD.findall(name))
            if words < 2:
                continue  # "Thường trực Tỉnh ủy", "Nhà đầu tư": a verb inside the name
            if words <= 12 and "," not in name:
                return SPACE_RUN.sub(" ", name), q
            return None
    return None


# A list item led by a place: "- Tỉnh Tuyên Quang: Giải quyết dứt điểm ...".
_PLACE_LEAD = re.compile(
    r"(Tỉnh|Thành\s+phố|TP\.?)[ \t]+"
    r"([A-ZĐÀ-Ỹ][\w-]*(?:[ \t]+[A-ZĐÀ-Ỹ][\w-]*){0,3})[ \t]*:[ \t]*"
)


_PLACE_SUBJECT = re.compile(
    r"(?:[Tt]ỉnh|[Tt]hành\s+phố)\s+([A-ZĐ][\w-]*(?:[ \t\n]+[A-ZĐ][\w-]*){0,3})\s+"
    r"(?=(?:cần|phải|tiếp\s+tục|khẩn\s+trương|chủ\s+động|tập\s+trung|sớm|nghiêm\s+túc)\b)"
)


def _place_subject(text: str, pos: int, end: int, cues: Cues) -> Owner | None:
    """ "tỉnh Đắk Lắk cần tiếp tục ...": a province as the subject is its People's Committee."""
    m = _PLACE_SUBJECT.match(text, pos, end)
    if m is None:
        return None
    row = gazetteer().province(" ".join(m.group(1).split()))
    verb = _predicate_ok(text, m.end(), end, cues)
    if row is None or verb is None:
        return None
    return Owner((f"UBND {row.unit}",), verb, "task.owner.subject.v1", at=pos)


# A subject that is a People's Committee (whose "chỉ đạo" in news directs another body).
_PEOPLES_COMMITTEE = re.compile(r"(?:UBND|Ủy\s+ban\s+nhân\s+dân|Uỷ\s+ban\s+nhân\s+dân)\b")
# "Bộ Xây dựng - Cơ quan Thường trực Ban Chỉ đạo Trung ương về ...": the body's role
_APPOSITION = re.compile(
    r"[ \t]*[-–][ \t]*(?:[Cc]ơ\s+quan\s+(?:[Tt]hường\s+trực|[Cc]hủ\s+trì|đầu\s+mối)"
    r"|[Tt]hường\s+trực|[Cc]hủ\s+đầu\s+tư)(?:\s+của)?\s+"
)


# What a subject stresses in brackets, on its line: "(đặc biệt các địa phương ven biển)".
_ASIDE = re.compile(
    r"\((?=(?:đặc\s+biệt|nhất\s+là|trong\s+đó|kể\s+cả|trước\s+hết)\s[^()\n]{2,120}\))[^()\n]*\)"
)


def _past_apposition(text: str, pos: int, end: int, idx: MentionIndex) -> int:
    """Past the role written after an owner with a dash, and the body it names."""
    m = _APPOSITION.match(text, pos, end)
    if m is None:
        return pos
    here = idx.at(m.end())
    return max(x.end for x in here) if here else pos


def _place_lead(text: str, pos: int, end: int) -> Owner | None:
    """The People's Committee of the province a list item is led by."""
    m = _PLACE_LEAD.match(text, pos, end)
    if m is None:
        return None
    level = (
        " ".join(m.group(1).split()).lower().replace("tp.", "thành phố").replace("tp", "thành phố")
    )
    name = " ".join(m.group(2).split())
    if level in ("tỉnh", "thành phố"):
        row = gazetteer().province(name)
        if row is not None and (level == "tỉnh") == (row.type == "tỉnh"):
            return Owner((f"UBND {row.unit}",), m.end(), "task.owner.lead.v1")
    # a district or commune leading an item is more often where the work is
    # done ("Xã Nga Sơn: Lấy mẫu 01 vị trí ...") than who does it
    return None


def _subject(
    text: str, pos: int, end: int, idx: MentionIndex, cues: Cues, *, first: bool, news: bool = False
) -> Owner | None:
    if first and not idx.at(pos) and (lead_place := _place_lead(text, pos, end)) is not None:
        return lead_place
    t = None if idx.at(pos) else cues.match("TITLE", text, pos, end)
    party = None if idx.at(pos) else _PARTY_HEADS.match(text, pos, end)
    q = pos if idx.at(pos) else past_titles(text, party.end() if party else pos, end, cues)
    lead = None if idx.at(q) else _list_lead(text, q, end)
    if lead is not None and idx.at(lead.end()):
        q = lead.end()  # "Các Bộ, cơ quan: Tài chính, Xây dựng ... khẩn trương ..."
    if not idx.at(q):
        return None
    norms, rend, _g = owner_run(text, pos, end, idx, cues, allow_generic=True)
    if not norms:
        return None
    rend = _past_apposition(text, rend, end, idx)
    p = skip_ws(text, rend, end)
    aside = _ASIDE.match(text, p, end)
    if aside is not None:
        # "Các xã, phường, đặc khu (đặc biệt các địa phương ven biển) thông tin ...": the
        # verb comes after what the subject stresses in brackets
        p = skip_ws(text, aside.end(), end)
    # list-item lead "- Sở Công Thương: ..." / "UBND các huyện (...): ..."
    if first and p < end and text[p] == ":":
        return Owner(norms, skip_ws(text, p + 1, end), "task.owner.lead.v1")
    c = _cue_after(text, p, end, cues, news=news)
    if c:
        own = _requested(text, c.end(), end, idx, cues, assigned_by=norms[0], at=pos)
        if own:
            return own
    elif news and t is None:
        # news reports a body's order: "UBND TP chỉ đạo Giám đốc Sở Giáo dục và Đào tạo
        # chủ trì ...", "Thủ tướng Chính phủ chỉ đạo các Bộ trưởng ...", "Bộ Y tế chỉ đạo
        # các bệnh viện ...": the bodies directed carry it out
        c = cues.match("SPEAKER_CUE", text, p, end)
        if c:
            own = _requested(text, c.end(), end, idx, cues, assigned_by=norms[0], at=pos)
            if own:
                return own
    elif news and t is not None:
        # news reports a leader's order: "Chủ tịch UBND tỉnh chỉ đạo Sở Y tế ..."
        q = skip_ws(text, p, end)
        name = _PERSON_NAME.match(text, q, end)
        c = cues.match("SPEAKER_CUE", text, skip_ws(text, name.end(), end) if name else q, end)
        if c:
            own = _requested(text, c.end(), end, idx, cues, assigned_by=norms[0], at=pos)
            if own:
                return own
    # a person's name after the title+agency ("Chủ tịch UBND tỉnh Lê Ánh Dương")
    if _PERSON_NAME.match(text, p, end):
        return None
    emph = _EMPHASIS.match(text, rend, end)
    inner = None if emph else _EMPHASIS.search(text, pos, rend)
    if inner is not None and _predicate_ok(text, p, end, cues) is not None:
        inner = None
    if emph or inner:
        # "UBND các tỉnh ven biển, nhất là khu vực từ Quảng Ninh đến Ninh Bình chỉ đạo ...":
        # the verb comes after the places the subject stresses (read as members or not)
        after = emph.end() if emph else rend
        for w in re.finditer(r"(?<![\w])[a-zà-ỹđ]\w*", text[: min(end, after + 200)]):
            if w.start() < after:
                continue
            if text[w.start() - 2 : w.start()].strip() in (";", ":", "."):
                break  # a new clause: not this subject's verb
            verb = starts_with_action(text, w.start(), end, cues)
            if verb is not None:
                return Owner(norms, verb, "task.owner.subject.v1", at=pos)
        return None
    pred = _predicate_ok(text, p, end, cues)
    if pred is None:
        return None
    return Owner(norms, _after_role(text, rend, end, cues), "task.owner.subject.v1", at=pos)


def _qualified_subject(
    text: str, pos: int, end: int, idx: MentionIndex, cues: Cues
) -> Owner | None:
    """A list item whose subject is narrowed before its verb: "1. Các Bộ, ...
    đến nay chưa có báo cáo theo văn bản số 4917/BKHĐT-PTDN ..., khẩn trương
    gửi báo cáo ..." - the owners, a qualifier that reports nothing done, then
    after a comma the action."""
    t = None if idx.at(pos) else cues.match("TITLE", text, pos, end)
    if not idx.at(t.end() if t else pos):
        return None
    norms, rend, _g = owner_run(text, pos, end, idx, cues, allow_generic=False)
    if not norms or _QUALIFIER_DONE.match(text, rend, end):
        return None
    for m in CLAUSE_START.finditer(text, rend, min(end, rend + 300)):
        if text[m.start()] != ",":
            continue
        verb = starts_with_action(text, m.end(), end, cues)
        if verb is not None:
            return Owner(norms, verb, "task.owner.qualified_subject.v1", at=pos)
        return None
    return None


# A subject stressing part of itself: "..., nhất là khu vực từ Quảng Ninh đến Ninh Bình".
_EMPHASIS = re.compile(
    r"\s*(?:,|[–—]|\s-)\s*(?:nhất\s+là|đặc\s+biệt\s+là|trong\s+đó(?:\s+có)?|trước\s+hết\s+là|chủ\s+yếu\s+là)\s+",
    re.IGNORECASE,
)


# A qualifier that reports or describes ("đã ...", "có văn bản ..."): no request follows.
_QUALIFIER_DONE = re.compile(
    r"\s*(?:đã|vừa|đang|là|có\s+văn\s+bản|nhận\s+được|cho\s+biết|được|cũng\s+đã)\b|\s*[,:;]",
    re.IGNORECASE,
)


# A person's full name: two to four capitalised words ("Nguyễn Xuân Phúc").
_PERSON_NAME = re.compile(r"[^\W\d_a-zà-ỹđ]\w*(?:[ \t]+[^\W\d_a-zà-ỹđ]\w*){1,3}(?=\s)")


# Owner rules that name who must act (a colon after them opens a list of tasks).
ASSIGNING = frozenset(
    {"task.owner.assign_cue.v1", "task.owner.requested.v1", "task.owner.subject.v1"}
)
# A fronted purpose clause: "Để ...", "Nhằm ...".
PURPOSE = re.compile(r"(?:Để|Nhằm)\s")


def _requested(
    text: str, pos: int, end: int, idx: MentionIndex, cues: Cues, *, assigned_by: str, at: int
) -> Owner | None:
    """The body a request is made of, named right after the cue at ``pos``:
    "X đề nghị / yêu cầu / giao Y ..." gives Y, assigned by X."""
    norms, rend, _g = owner_run(text, pos, end, idx, cues, allow_generic=False)
    if not norms:
        # "Phó Thống đốc đề nghị CIC cần tập trung ...": a body by its initials only
        m = _ACRONYM.match(text, skip_ws(text, pos, end), end)
        verb = _predicate_ok(text, m.end(), end, cues) if m else None
        if m is None or verb is None:
            # "Sở Xây dựng đề nghị chủ đầu tư của 6 dự án ... thực hiện ...": a role
            role = (
                _raw_owner(text, pos, end, cues)
                if _ROLE_HEAD.match(text, skip_ws(text, pos, end), end)
                else None
            )
            if role is None:
                return None
            return Owner(
                (role[0],),
                _after_role(text, role[1], end, cues),
                "task.owner.role.v1",
                assigned_by=assigned_by,
                at=at,
            )
        return Owner((m.group(1),), verb, "task.owner.requested.v1", assigned_by=assigned_by, at=at)
    return Owner(
        norms,
        _after_role(text, rend, end, cues),
        "task.owner.requested.v1",
        assigned_by=assigned_by,
        at=at,
    )


_TOPIC_OWNER = re.compile(r"(?:Về\s+phía|Đối\s+với|Riêng\s+(?:với\s+|đối\s+với\s+)?)\s*")
_ACRONYM = re.compile(r"([A-ZĐ]{2,8}(?:-[A-ZĐ]{1,6})?)[ \t]+(?=[a-zđà-ỹ])")


def _cue_after(
    text: str, pos: int, end: int, cues: Cues, *, news: bool = False
) -> re.Match[str] | None:
    """An assignment cue after a subject, past the subject's personal name and
    adverbs: "Thủ tướng Chính phủ Nguyễn Xuân Phúc giao ...", "Chủ tịch UBND
    tỉnh cũng giao ..."."""
    p = skip_ws(text, pos, end)
    name = _PERSON_NAME.match(text, p, end)
    if name:
        p = skip_ws(text, name.end(), end)
    for _ in range(3):
        a = cues.match("ADVERB", text, p, end)
        if not a or a.end() <= p or a.group(0).lower().startswith(("căn", "theo", "trên")):
            break
        p = skip_ws(text, a.end(), end)
    issued = _ISSUED_DOCUMENT.match(text, p, end) if news else None
    if issued is not None:
        # news: "Bộ Y tế vừa có văn bản chỉ đạo các bệnh viện ...", "... đã ký văn bản
        # hỏa tốc đề nghị các phòng ...": the document's order, read like the speaker's
        # (in an official text the same words recount an earlier request)
        p = issued.end()
        return cues.match("ASSIGN_CUE", text, p, end) or cues.match("SPEAKER_CUE", text, p, end)
    return cues.match("ASSIGN_CUE", text, p, end)


# A body that issued a document ordering others: "vừa có văn bản", "đã ký công văn
# hỏa tốc số 12/SGDĐT-VP", "đã ban hành Chỉ thị", then the order's verb.
_ISSUED_DOCUMENT = re.compile(
    r"(?:(?:vừa|đã|cũng|mới|đã\s+kịp\s+thời)[ \t]+)*(?:có|ký|ban\s+hành|gửi|phát\s+đi)[ \t]+"
    r"(?:văn\s+bản|công\s+văn|công\s+điện|chỉ\s+thị|thông\s+báo|kế\s+hoạch)"
    r"(?:[ \t]+(?:hỏa|hoả)[ \t]+tốc)?(?:[ \t]+số[ \t]+[\w/.-]+)?"
    r"(?:[ \t]+ngày[ \t]+[\d/.-]+)?[ \t]*,?[ \t]+",
    re.IGNORECASE,
)


def _after_role(text: str, pos: int, end: int, cues: Cues) -> int:
    """Where the action starts after the owner run: skip their remit,
    "được giao", "có trách nhiệm", "chủ trì," and adverbs."""
    p = skip_ws(text, past_remit(text, pos, end), end)
    for _ in range(6):
        d = cues.match("DELEGATE_CUE", text, p, end)
        if d and d.end() > p:
            p = skip_ws(text, d.end(), end)
            continue
        a = cues.match("ADVERB", text, p, end)
        if a and a.end() > p and not a.group(0).lower().startswith(("căn", "theo", "trên")):
            p = skip_ws(text, a.end(), end)
            continue
        break
    return p


def header_subject(
    text: str, s: Sentence, idx: MentionIndex, cues: Cues, mentions: Sequence[Mention]
) -> tuple[str, ...]:
    """The owner of "…, Ban Quản lý … phải thực hiện các nhiệm vụ sau:": the last
    mention (or anaphor) before the cue that is followed by a predicate."""
    hit = cues.search_tail("OWNER_HEADER", text[s.start : s.end])
    cut = s.start + hit.start() if hit else s.end
    best: tuple[str, ...] = ()
    for m in idx.inside(s.start, cut):
        before = text[max(s.start, m.start - 6) : m.start].lower()
        if before.rstrip().endswith(("của", "với", "và", "cho")):
            continue
        nxt = skip_ws(text, m.end, cut)
        if re.match(
            r"(?:phải|cần|đã|có\s+trách|được\s+giao|tập\s+trung|thực\s+hiện|đề\s+ra)\b",
            text[nxt:cut],
        ):
            best = m.norms
    if not best:
        for a in re.finditer(r"\b(Ban|Sở|Bộ)\s+(?=(?:phải|cần|đã|có|được)\b)", text[s.start : cut]):
            target = _resolve_anaphor(a.group(1), s.start + a.start(), (), mentions)
            if target:
                best = (target,)
    return best


def _resolve_anaphor(
    kind: str, pos: int, focus: tuple[str, ...], mentions: Sequence[Mention]
) -> str | None:
    kinds = {kind.lower()}
    if kind.lower() in {"ủy ban", "ubnd"}:
        kinds = {"ủy ban", "ubnd", "uỷ ban"}
    elif kind.lower() in {"tỉnh", "thành phố"}:
        kinds = {f"ubnd {kind.lower()}"}
    for n in focus:
        if any(n.lower().startswith(k) for k in kinds):
            return n
    for m in reversed(mentions):
        if m.start >= pos:
            continue
        for n in m.norms:
            if any(n.lower().startswith(k) for k in kinds):
                return n
    return None
