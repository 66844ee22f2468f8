"""Agency and organization names the gazetteer does not know, read by grammar.

Names are productive: "Bộ Chỉ huy Quân sự tỉnh", "Trung tâm Phục vụ hành
chính công", "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông
tỉnh", "Đài Phát thanh và Truyền hình", "Tổng Công ty Điện lực miền Trung".
A name is a head (``name_heads`` in ``data/agencies.yaml``: Trung tâm, Ban,
Cục, Vụ, Viện, Đài, Tổng Công ty ...), then its name words up to a boundary
(a verb, an adverb, a role or assignment cue, punctuation, another head),
then an optional jurisdiction ("tỉnh Quảng Ngãi", "khu vực I"). Words that
are verbs elsewhere but belong to names ("quản lý", "đầu tư xây dựng",
"phục vụ") are listed in ``name_words``.

The canonical name is the name as written with the jurisdiction the
document gives it, as the gazetteer does for the names it knows: a bare
"tỉnh" takes the document's province; a ministry's own unit ("Văn phòng
Bộ", "Vụ Tổ chức cán bộ") takes the issuing ministry; a provincial body
named without a place takes the document's province.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from extractors.cues import Cues, task_cues
from extractors.gazetteer import gazetteer, is_central_name, key, local_unit
from extractors.model import Label, Span
from extractors.prefilter import fast_start

__all__ = ["REPORTING", "NameHead", "find_named_bodies", "name_heads"]


@dataclass(frozen=True, slots=True)
class NameHead:
    head: str
    kind: str  # "agency" | "organization"
    scope: str  # "province" | "ministry" | "national"
    needs_name: bool  # the head must be followed by a capitalised name word


@cache
def name_heads() -> tuple[tuple[re.Pattern[str], dict[str, NameHead]], frozenset[str]]:
    """The heads as one pattern (longest first) and the name-internal words."""
    t = gazetteer().agencies
    heads = {h.head: NameHead(h.head, h.kind, h.scope, h.needs_name) for h in t.name_heads}
    # a head may break over a line ("Bộ Chỉ\nhuy Quân sự tỉnh")
    alts = "|".join(
        r"[ \t]*\n?[ \t]*".join(re.escape(w) for w in h.split())
        for h in sorted(heads, key=len, reverse=True)
    )
    rx = fast_start(re.compile(rf"(?<![\w&])(?:{alts or '(?!)'})(?![\w])"))
    return (rx, heads), frozenset(t.name_words)


@cache
def _glued_heads() -> dict[str, NameHead]:
    """The heads by their words written together: a text that glues them ("Ủyban",
    a typing slip the pattern also reads) names the same head."""
    (_rx, heads), _inner = name_heads()
    return {"".join(k.split()): h for k, h in heads.items()}


_PLACE = r"(?:\s+(?!Tỉnh\b)(?:[A-ZĐ][\w-]*|[IVX]{1,4}|\d{1,2}))"
# A jurisdiction after a name; the lower levels and regions need their place name.
_UNIT = re.compile(
    rf"\s+(?:(?P<unit>tỉnh|Tỉnh(?![ \t]+[ủỦuU][ỷỶyY]|[ \t]+[Đđ]oàn)|thành\s+phố|Thành\s+phố"
    rf"|TP\.?|huyện|quận|thị\s+xã)(?P<place>{_PLACE}*)"
    rf"|(?P<unit2>xã|phường|khu\s+vực|miền|Khu\s+vực)(?P<place2>{_PLACE}+)"
    rf"|(?P<unit3>(?<![Tt]ác[ \t])xã(?![ \t]+hội)|phường|thị\s+trấn)(?![\w]))"
)
_TOKEN = re.compile(
    r"(?P<sep>[ \t]*(?:-|–|&|,)[ \t]*\n?[ \t]*|[ \t]*\n?[ \t]*)(?P<word>[^\W_](?:[\w&]|\.(?=\w))*)"
)
# A name written only in capitals' abbreviations ("Vụ KTTH", "Phòng VX, TH"): a
# recipient's code in "Nơi nhận", not a name to canonicalise.
_ABBREVIATED = re.compile(r"(?:[A-ZĐ&]{2,}[\w&]*|[,\s-])+")
# Words that name a role, not a body: "Ban Quản lý" alone refers back to a body named before.
_ROLE_ONLY = re.compile(
    r"(?:Quản\s+lý|Chỉ\s+huy|Chỉ\s+đạo|Tổ\s+chức|Thường\s+vụ|Thường\s+trực|Thường|Điều\s+hành|Giám\s+đốc"
    r"|Tổ|Kế|Pháp|Thư\s+ký|Công\s+tác)$"
)
# A role word that names a Party committee's board when the committee follows it:
# "Ban Tổ chức Tỉnh ủy" (never "Ban Tổ chức" alone, the organising committee of an event).
_PARTY_BOARD = re.compile(r"Tổ\s+chức$")
_EVERY_UNIT = re.compile(
    r"(?:các\s+(?:tỉnh|thành\s+phố|huyện|quận|thị\s+xã|xã|phường|địa\s+phương|cấp)"
    r"|một\s+cấp|hai\s+cấp)(?![\w])"
)
_INNER_LOWER = re.compile(r"[a-zà-ỹđ]")
_MAX_WORDS = 14


def find_named_bodies(
    text: str,
    *,
    known: Sequence[Span] = (),
    province: str | None = None,
    issuer: str | None = None,
    cues: Cues | None = None,
) -> list[Span]:
    """Names that start with a head and that no ``known`` span covers.

    ``norm`` is the canonical name; the label is AGENCY or ORGANIZATION.

    Example:
        >>> text = "4. Bộ Chỉ huy Quân sự tỉnh:"
        >>> [s.norm for s in find_named_bodies(text, province="Quảng Ngãi")]
        ['Bộ Chỉ huy Quân sự tỉnh Quảng Ngãi']
        >>> [s.norm for s in find_named_bodies(
        ...     "Giao Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh khẩn trương",
        ...     province="Lào Cai")]
        ['Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh Lào Cai']
    """
    cues = cues or task_cues()
    (head_rx, heads), inner = name_heads()
    known_starts = {s.start for s in known}
    out: list[Span] = []
    for m in head_rx.finditer(text):
        if m.start() in known_starts or (out and m.start() < out[-1].end):
            continue
        if not text[m.start()].isupper() or _after_place_word(text, m.start(), m.group()):
            continue
        if re.match(r"[ \t]+[Nn]hân[ \t]+dân", text[m.end() : m.end() + 12]):
            continue  # "Ủy ban Nhân dân": the gazetteer's UBND
        if _TITLE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue  # "Luật Mặt trận Tổ quốc Việt Nam số 75/2015/QH13": a law's title
        head = heads.get(" ".join(m.group().split())) or _glued_heads().get(
            "".join(m.group().split())
        )
        if head is None:
            continue
        end = _name_end(text, m.end(), head, cues, inner, heads)
        if end is None:
            continue
        name = " ".join(text[m.start() : end].split())
        rest = name[len(head.head) :].strip()
        party = _party_after(text, end, known)
        if (
            party is not None
            and rest
            and (not _ROLE_ONLY.match(rest) or _PARTY_BOARD.match(rest))
            and not _ABBREVIATED.fullmatch(rest)
        ):
            # "Ban Tuyên giáo Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy": a body of the Party
            # committee after it, named with that committee
            norm = f"{name} {party.norm}"
            out.append(Span(m.start(), party.end, text[m.start() : party.end], Label.AGENCY,
                            "agency.grammar.v1", norm))  # fmt: skip
            continue
        if (
            _ROLE_ONLY.match(rest)
            or _glued_to_known(text, end, known)
            or _ABBREVIATED.fullmatch(rest)
        ):
            continue  # "Ban Quản lý" alone; "Ban Thường vụ Tỉnh ủy" is the Tỉnh ủy's; "Vụ KTTH"
        topic = _topic_end(text, end, cues) if _TOPIC_HEAD.match(name) else None
        if topic is not None:  # "Ban Chỉ đạo Trung ương về phòng, chống tham nhũng, tiêu cực"
            end = topic
            name = " ".join(text[m.start() : end].split())
        um = None if topic is not None else _UNIT.match(text, end)
        unit = place = None
        if um and "\n" not in um.group():
            unit = " ".join((um["unit"] or um["unit2"] or um["unit3"]).split())
            place = " ".join((um["place"] or um["place2"] or "").split())
            if unit.lower().startswith("tp"):
                unit = "thành phố"
            elif unit in ("Tỉnh", "Thành phố") and not place:
                unit = unit.lower()  # "Liên minh Hợp tác xã Tỉnh": the document's province
            end = um.end()
        if any(k.start < end and m.start() < k.end and k.start <= m.start() for k in known):
            continue  # the gazetteer's name wins where it starts first
        norm = _canonical(name, unit, place, head, province, issuer)
        label = Label.ORGANIZATION if head.kind == "organization" else Label.AGENCY
        out.append(Span(m.start(), end, text[m.start() : end], label, "agency.grammar.v1", norm))
    return out


# A list item's mark opening the next line: "- ", "1. ", "2) ", "a) " (never a name's word).
_ITEM_AT = re.compile(r"[-+•*]|\d+(?:\.\d+)*[.)]|[a-zđ]\)")


def _name_end(
    text: str,
    pos: int,
    head: NameHead,
    cues: Cues,
    inner: frozenset[str],
    heads: dict[str, NameHead],
) -> int | None:
    """Where the name words after a head stop, or None if there are none."""
    end = pos
    words = 0
    covered = pos  # the end of a name word read whole ("công trình", "quản lý")
    commas = 0
    prev_word: str | None = None  # the word before, when it is capitalised
    for tm in _TOKEN.finditer(text, pos):
        if tm.start() != end or not tm["sep"]:
            break
        word, at = tm["word"], tm.start("word")
        # fields listed inside one name, closed by "và": "Viện Văn hóa, Nghệ thuật,\nThể
        # thao và Du lịch Việt Nam" (a list of bodies or places stops at its heads)
        fields = tm["sep"].strip() == "," and _FIELDS_CLOSE.match(text, at) is not None
        low_fields = (
            _LOWER_FIELDS_CLOSE.match(text, at)
            if tm["sep"].strip() == "," and words and not commas and word[0].islower()
            else None
        )
        if low_fields is not None and _lower_fields(text, at, low_fields.end(), cues):
            # "Trung tâm Xúc tiến đầu tư, thương mại và du lịch": lower-case fields
            # closed by "và", the name's end right after them
            covered = low_fields.end()
            fields = True
        if (
            "\n" in tm["sep"]
            and not fields
            and (words >= 4 or _ITEM_AT.match(text, at) is not None)
            # a word wrapped inside one of the compounds names end in ("quốc\ngia")
            and ((text[max(pos, at - 12) : at].split() or [""])[-1].lower(), word)
            not in _WRAPPED_COMPOUNDS
        ):
            break  # a hard-wrapped name goes on below; a list item does not
        if at < covered:
            end = tm.end("word")
            continue
        if "\n" in tm["sep"] and word[0].isupper() and words and _stops(text, at, cues):
            break  # "3. Văn phòng Sở" / "Phối hợp ...": the line below opens with the work
        sep = tm["sep"].strip()
        if words == 0 and head.needs_name and not word[0].isupper():
            return None
        if _UNIT.match(text, tm.start()) and (words or not head.needs_name):
            break  # the jurisdiction, read by the caller
        if sep == "," and (
            (commas and not fields)
            or not word[0].isupper()
            or _starts_head(text, at, heads)
            or (_is_place(word) and not fields)
            or _ABBREVIATED.fullmatch(text[pos:end].strip())  # "Vụ KTTH, Cổng ..."
        ):
            break  # a list of bodies or places, not a comma inside one name
        if words and word[0].islower() and text[pos:end].endswith("Việt Nam"):
            break  # "Ủy ban Quốc gia về người cao tuổi Việt Nam làm việc ...": the country ends it
        commas += sep == ","
        if word[0].isupper():
            if words and _starts_head(text, at, heads) and sep != "-":
                break
        else:
            low = text[at : at + 40].lower()
            inside = next(
                (w for w in inner if low.startswith(w) and not low[len(w) : len(w) + 1].isalpha()),
                None,
            )
            if not inside and prev_word is not None:
                # "Ủy ban Bầu cử": a compound whose first word is capitalised
                pair = f"{prev_word.lower()} {low.split(maxsplit=1)[0]}"
                if pair in inner:
                    inside = word
            if not inside and re.match(r"chỉ\s+đạo\b", low) and text[:at].rstrip().endswith("Ban"):
                inside = text[at : at + 7]  # "Văn phòng Ban chỉ đạo phòng thủ dân sự quốc gia"
            nxt = re.compile(r"và[ \t]+(?=([^\W\d_]))").match(text, at)
            if (
                not inside
                and (commas or words)
                and nxt
                and nxt.group(1).isupper()
                and not _starts_head(text, nxt.end(), heads)
                and (commas or _name_part_after_and(text, nxt.end(), cues))
            ):
                # "Cục Xuất bản, In và Phát hành", "Chi cục Thủy sản và Biển đảo":
                # the last of the name's parts
                inside = "và"
            if inside:
                covered = at + len(inside)
            elif _stops(text, at, cues) or word in ("của", "cho", "với", "theo", "về", "để", "tại"):
                break
            elif word == "và" and re.match(r"và\s+(?:các|những|một\s+số)\s", text[at : at + 20]):
                break  # "Văn phòng Trung ương và các Ban Đảng": a second body follows
            elif word in ("các", "một", "hai") and _EVERY_UNIT.match(text, at):
                break  # "Kho bạc Nhà nước các tỉnh, thành phố": that body in every unit, a group
        end = tm.end("word")
        prev_word = word if word[0].isupper() else None
        words += 1
        if words >= _MAX_WORDS:
            break
    return None if words == 0 and head.needs_name else end


# Lower-case fields listed inside one name, the last after "và", each one or two
# words: ", thương mại và du lịch", then the name's end (a line's end, a colon, a
# jurisdiction, a verb: checked by _lower_fields).
_LOW_FIELD = r"[a-zà-ỹđ]+(?:[ \t]+[a-zà-ỹđ]+)?"
_LOWER_FIELDS_CLOSE = re.compile(
    rf"{_LOW_FIELD}(?:[ \t]*,[ \t]*{_LOW_FIELD})*[ \t]+và[ \t]+{_LOW_FIELD}(?![\w])"
)
_AFTER_FIELDS = re.compile(r"[ \t]*(?:\*\*|[:;.,(]|\n|$)")


# A group's word or a body's kind: fields with one are a list of bodies, not one name's.
_NOT_FIELD_WORDS = frozenset(
    "các những một của cho với theo về tại trường bệnh cơ đơn sở ban ngành phòng trạm doanh"
    " tổ hội đoàn địa xã phường huyện tỉnh ủy uỷ trung".split()
)


def _lower_fields(text: str, at: int, end: int, cues: Cues) -> bool:
    """Whether the fields from ``at`` to ``end`` close a name: no field word is a
    verb, a group word or a cue, and the name ends right after them."""
    for w in re.finditer(r"[^\W\d_]+", text[at:end]):
        if w.group() in _NOT_FIELD_WORDS:
            return False
        if w.group() != "và" and _stops(text, at + w.start(), cues):
            return False
    after = _UNIT.match(text, end)
    spaces = _SPACES.match(text, end)
    return bool(
        _AFTER_FIELDS.match(text, end)
        or (after is not None and "\n" not in after.group())
        or _stops(text, spaces.end() if spaces else end, cues)
    )


_SPACES = re.compile(r"[ \t]*")


_WRAPPED_COMPOUNDS = frozenset(
    {
        ("quốc", "gia"),
        ("nhà", "nước"),
        ("trung", "ương"),
        ("xã", "hội"),
        ("dân", "sự"),
        ("cứu", "nạn"),
        ("thiên", "tai"),
        ("đô", "thị"),
        ("công", "nghệ"),
    }
)
# The rest of a name's list of fields: capitalised fields of one or two words, the
# last after "và" ("Thể thao và Du lịch Việt Nam").
_FIELD = r"[A-ZĐÀ-Ỹ][a-zà-ỹđ]*(?:[ \t]+[a-zà-ỹđ]+)?"
_FIELDS_CLOSE = re.compile(
    rf"{_FIELD}(?:[ \t]*,[ \t]*\n?[ \t]*{_FIELD})*[ \t]*\n?[ \t]*và[ \t]+[A-ZĐÀ-Ỹ]"
)


# After "và" inside a name, a part of it ("Thủy sản và Biển đảo", "Phát
# thanh và Truyền hình"): a capitalised word then a lower-case one, which is
# no title, no place and no project.
_AND_PART = re.compile(r"[A-ZĐÀ-Ỹ][a-zà-ỹđ]+[ \t]+[a-zà-ỹđ]+(?![\w])")
_NOT_A_PART = re.compile(r"(?:Dự\s+án|Nhân\s+dân|Nhà\s+nước|Người\s+đứng|Thủ\s+trưởng)\b")


def _name_part_after_and(text: str, at: int, cues: Cues) -> bool:
    if not _AND_PART.match(text, at) or _NOT_A_PART.match(text, at):
        return False
    if cues.match("TITLE", text, at, min(len(text), at + 40)) is not None:
        return False
    return not _is_place(text[at : at + 30].split(None, 1)[0])


def _is_place(word: str) -> bool:
    g = gazetteer()
    k = key(word)
    return (
        k in g.province_keys
        or bool(g.districts(word))
        or any(p.startswith(k + " ") for p in g.province_keys)
    )


def _after_place_word(text: str, at: int, head: str) -> bool:
    """ "Hải Phòng": the head word ends a place name."""
    m = re.search(r"([A-ZĐ][\w]*)[ \t]+$", text[max(0, at - 20) : at])
    if not m:
        return False
    k = key(f"{m.group(1)} {head.split()[0]}")
    g = gazetteer()
    return k in g.province_keys or bool(g.districts(f"{m.group(1)} {head.split()[0]}"))


def _party_after(text: str, end: int, known: Sequence[Span]) -> Span | None:
    """The Party committee named right after ``end`` ("... Tỉnh ủy"), if any."""
    gap = re.compile(r"[ \t]+").match(text, end)
    nxt = gap.end() if gap else end
    return next(
        (k for k in known if k.start == nxt and (k.norm or "").startswith(_PARTY_COMMITTEES)),
        None,
    )


_PARTY_COMMITTEES = ("Tỉnh ủy", "Thành ủy", "Huyện ủy", "Thị ủy", "Đảng ủy")


def _glued_to_known(text: str, end: int, known: Sequence[Span]) -> bool:
    gap = re.compile(r"[ \t]+").match(text, end)
    nxt = gap.end() if gap else end
    return any(k.start == nxt for k in known)


# Bodies named by their topic: "Ban Chỉ đạo quốc gia về Phòng, chống thiên tai".
_TOPIC_HEAD = re.compile(
    r"(?:Ban\s+[Cc]hỉ\s+đạo|Hội\s+đồng|Ủy\s+ban\s+[Qq]uốc\s+gia|Tổ\s+công\s+tác)\b"
)
_TOPIC_START = re.compile(r"(?:[ \t]+|[ \t]*\n[ \t]*)về[ \t]+(?=[^\W\d_])")
_TOPIC_WORD = re.compile(r"(?P<sep>[ \t]*,[ \t]*\n?[ \t]*|[ \t]*\n?[ \t]*)(?P<word>[^\W\d_][\w-]*)")
_TOPIC_MAX = 16
# What a body named by its topic does next (a topic itself is made of verbs and nouns:
# "phòng, chống thiên tai", "đổi mới sáng tạo và chuyển đổi số")
_PREDICATE = re.compile(
    r"(?:chỉ\s+đạo|hướng\s+dẫn|tổng\s+kết|báo\s+cáo|ban\s+hành|rà\s+soát|theo\s+dõi|đôn\s+đốc"
    r"|kiểm\s+tra|triển\s+khai|thực\s+hiện|tập\s+trung|chủ\s+động|tiếp\s+tục|tổ\s+chức|họp"
    r"|chủ\s+trì|phối\s+hợp|đã|đang|sẽ|cần|phải|được|là|có|của|tại|theo|để|cho|với|trong"
    r"|(?:năm|ngày|số)(?=[ \t]*\d))(?![\w])"
)


def _topic_end(text: str, pos: int, cues: Cues) -> int | None:
    """Where a body's topic ("về phòng, chống tham nhũng, tiêu cực") ends: the
    first verb, cue or capitalised word after a comma, past its first words."""
    m = _TOPIC_START.match(text, pos)
    if m is None:
        return None
    end = m.end()
    words = 0
    for tm in _TOPIC_WORD.finditer(text, m.end()):
        if tm.start() != end:
            break
        at, word = tm.start("word"), tm["word"]
        if words == 0:
            end = tm.end("word")
            words = 1
            continue
        comma = "," in tm["sep"]
        if comma and (word[0].isupper() or word in ("các", "những")):
            break  # the next body of a list
        if words >= 2 and (
            _PREDICATE.match(text, at)
            or cues.match("ADVERB", text, at)
            or cues.match("ASSIGN_CUE", text, at)
            or cues.match("DELEGATE_CUE", text, at)
            or cues.match("COOP_CUE", text, at)
        ):
            break  # "... tiêu cực chỉ đạo các cơ quan": the verb after the name
        end = tm.end("word")
        words += 1
        if words >= _TOPIC_MAX:
            return None  # too long to be a name
    return end if words >= 2 else None


def _stops(text: str, at: int, cues: Cues) -> bool:
    from extractors.collectives import STOP_WORDS

    return bool(
        STOP_WORDS.match(text, at)
        or REPORTING.match(text, at)
        or cues.match("DESCRIPTIVE", text, at)
        or cues.match("ACTION", text, at)
        or cues.match("ADVERB", text, at)
        or cues.match("ASSIGN_CUE", text, at)
        or cues.match("DELEGATE_CUE", text, at)
        or cues.match("COOP_CUE", text, at)
    )


# A name's subject doing or saying something: "Cục Thuế nhận được công văn", "Cục
# Thuế thông báo như sau", "Cục Thuế được biết", "Công ty ... báo cáo Thủ tướng": no
# word of the name (bodies' names here, companies' in agencies.find_organizations).
REPORTING = re.compile(
    r"(?:nhận\s+được|được|đã|đang|sẽ|vừa|cho\s+biết|thông\s+báo|báo\s+cáo|theo|trân\s+trọng"
    r"|kính)(?![\w])"
)


def _starts_head(text: str, at: int, heads: dict[str, NameHead]) -> bool:
    (head_rx, _), _inner = name_heads()
    if head_rx.match(text, at):
        return True
    g = gazetteer()
    from extractors.textnorm import fold

    return g.head_re.match(fold(text[at : at + 60])) is not None


_MINISTRY_UNIT = re.compile(r"^(?:Văn\s+phòng|Thanh\s+tra|Vụ)\b")
# The offices of the state's leaders, in a ministry's letter too: "Văn phòng Tổng Bí thư",
# "Văn phòng Chủ tịch nước" (no ministry's office)
_STATE_OFFICE = re.compile(
    r"^(?:Văn\s+phòng|Thanh\s+tra)\s+(?:Tổng\s+Bí\s+thư|Chủ\s+tịch\s+nước|Quốc\s+hội"
    r"|Chính\s+phủ|Trung\s+ương|Ban\s+Chỉ\s+đạo)\b"
)


@cache
def _field_abbreviations() -> dict[str, str]:
    """A field's capitalised abbreviation and its name: "VHTTDL" -> "Văn hóa,
    Thể thao và Du lịch" (the departments' aliases)."""
    out: dict[str, str] = {}
    for d in gazetteer().agencies.departments:
        for a in d.aliases:
            if len(a) >= 4 and a.replace("&", "").replace("-", "").isupper():
                out[a] = d.name
    return out


def _expanded(name: str) -> str:
    """A unit named after its field's abbreviation: "Trung tâm Chuyển đổi số
    VHTTDL" is "Trung tâm Chuyển đổi số Văn hóa, Thể thao và Du lịch"."""
    last = name.rsplit(" ", 1)
    if len(last) == 2 and last[1] in _field_abbreviations():
        return f"{last[0]} {_field_abbreviations()[last[1]]}"
    return name


def _canonical(
    name: str,
    unit: str | None,
    place: str | None,
    head: NameHead,
    province: str | None,
    issuer: str | None,
) -> str:
    name = _expanded(name)
    row = gazetteer().province(province) if province else None
    if not unit and name.endswith(" Sở") and issuer and issuer.startswith("Sở "):
        # "Văn phòng Sở", "Thanh tra Sở" in a department's letter: that department's
        return f"{name[:-3]} {issuer}"
    if not unit and head.head == "Phòng" and issuer and issuer.startswith("Sở "):
        # "Phòng Giáo dục Phổ thông", "Phòng Kế hoạch - Tài chính" in a department's
        # letter: that department's own offices
        return f"{name} {issuer}"
    if unit:
        if place:
            return f"{name} {unit} {place}"
        if unit in ("tỉnh", "thành phố") and row is not None:
            return f"{name} {row.unit}" if unit == row.type else f"{name} {unit} {row.name}"
        local = local_unit(issuer)
        if local and local.startswith(unit + " "):
            return f"{name} {local}"  # "Trung tâm Y tế huyện" in the district's letter
        return f"{name} {unit}"
    ministry = issuer if issuer and issuer.startswith("Bộ ") else None
    if head.scope == "ministry" or (
        ministry and _MINISTRY_UNIT.match(name) and not _STATE_OFFICE.match(name)
    ):
        if ministry:
            if name.endswith(" Bộ"):
                return f"{name[:-3]} {ministry}"
            if key(ministry) not in key(name):
                return f"{name} {ministry}"
        return name
    local = local_unit(issuer)
    if (
        local is not None
        and head.scope == "province"
        and head.head in _LOCAL_HEADS
        and not _national(name)
        and not name.endswith(("Tỉnh ủy", "Thành ủy", "Tỉnh đoàn", "Thành đoàn"))
    ):
        # "Hội Phụ nữ", "Đoàn Thanh niên", "Văn phòng HĐND và UBND" in a commune's or a
        # district's own document: that commune's or district's
        return f"{name} {local}"
    if (
        head.scope == "province"
        and row is not None
        and not _is_central(issuer)
        and not _national(name)
        and not _OF_MINISTRY.search(name)
    ):
        if key(name).endswith(" " + key(row.name)):
            return name  # "Tỉnh đoàn Quảng Ngãi": its place is written already
        if head.head.endswith(("đoàn", "ủy")) and name == head.head:
            return f"{name} {row.name}"  # "Tỉnh đoàn Quảng Ngãi"
        if name.endswith(("Tỉnh ủy", "Thành ủy", "Tỉnh đoàn", "Thành đoàn")):
            # "Văn phòng Tỉnh ủy Nghệ An"; "... Thành ủy Thành phố Hồ Chí Minh" as it is called
            place = row.unit if row.name == "Hồ Chí Minh" else row.name
            return f"{name} {place}"
        return f"{name} {row.unit}"
    return name


# A ministry named in the name ("Văn phòng Bộ Nông nghiệp và Môi trường", "Cục ... Bộ Công
# Thương"): the ministry's unit, no province's (a province's "Bộ Chỉ huy Quân sự" is no
# ministry)
_OF_MINISTRY = re.compile(r"\bBộ\s+(?!Chỉ\s+huy|Tư\s+lệnh|đội)[A-ZĐ]")


# An instrument's kind right before a head: the name is its title ("Luật Công đoàn",
# "Điều lệ Hội Nông dân Việt Nam"), no body.
_TITLE_BEFORE = re.compile(r"(?:Luật|Bộ\s+luật|Pháp\s+lệnh|Điều\s+lệ)[ \t]+$")


# Heads of bodies every district and commune has its own of (mass organizations, the
# party committee's and the people's council's offices and boards): named bare in a
# district's or a commune's document, they are that unit's.
_LOCAL_HEADS = frozenset({"Hội", "Đoàn", "Mặt trận", "Văn phòng", "Ủy ban", "Ban", "Hội đồng"})


# A name that says it is national: "Ban Tuyên giáo Trung ương", "Hội đồng ... quốc gia".
_NATIONAL_TAIL = re.compile(r"(?:Trung\s+ương|[qQ]uốc\s+gia|Việt\s+Nam)$")


def _national(name: str) -> bool:
    """A name that says it is national, before its topic: "Ban Chỉ đạo Trung
    ương về phát triển khoa học, ..." is; "Ban Chỉ đạo tỉnh về các chương trình
    mục tiêu quốc gia" is not."""
    return bool(_NATIONAL_TAIL.search(name.split(" về ", 1)[0]))


def _is_central(issuer: str | None) -> bool:
    return bool(issuer) and (
        bool(
            re.match(
                r"(?:Bộ\s|Chính\s+phủ|Thủ\s+tướng|Văn\s+phòng\s+Chính\s+phủ|Quốc\s+hội)",
                issuer or "",
            )
        )
        or is_central_name(issuer or "")
    )
