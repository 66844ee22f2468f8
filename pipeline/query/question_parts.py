"""The readers of the question parser: each finds one kind of part in the
question's words and takes them (see :func:`pipeline.query.question.parse`
for the order they run in).

Numbers come first (a "707/UBND-KT" is a document or a cited reference,
decided by the citing verbs around it), then the pattern table (question
words, role, status, periods, repetition), then agencies (the gazetteer's
names with at most one typo, short names, loosely written names, groups),
document types, provinces, issuers, what a document is about, and last the
topic: every word no part took that is not filler.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from functools import cache

from extractors.agencies import canonical_agency
from extractors.gazetteer import gazetteer, key
from pipeline.query.ask_query import AskQuery, DocSpec, words
from pipeline.query.question_text import (
    DIGITS,
    NUMSYM,
    NUMYEAR,
    Part,
    State,
    Tok,
    after_any,
    alone_words,
    compiled_rows,
    content_of,
    date_of,
    filler_covering,
    first_word,
    free,
    fuzzy_seq,
    is_filler,
    law_sequences,
    only_fillers_before,
    period_of,
    period_value,
    qword_folds,
    seq_at,
    seq_words,
    stop_at,
    type_words,
)


def read_numbers(st: State) -> None:
    """Documents and references named by number: "Công văn 707/UBND-KT", "NĐ 35/2022"."""
    toks = st.toks
    cites = _marks(st, "CITE")
    for i, t in enumerate(toks):
        if t.kind is not None:
            continue
        f = t.fold
        if not f[:1].isdigit():
            continue
        full = NUMSYM.match(f)
        if not full and not (NUMYEAR.match(f) or DIGITS.match(f)):
            continue
        typed, start = _type_before(toks, i)
        if not full and not typed:
            continue
        if DIGITS.match(f) and i + 1 < len(toks) and toks[i + 1].fold in ("thang", "/"):
            continue
        number = t.text
        type_name = typed if typed and typed != "văn bản" else None
        ref = _ref_context(st, start, i + 1, cites, type_name)
        if ref or type_name in ("Luật", "Bộ luật", "Pháp lệnh"):
            value = f"{type_name} {number}" if type_name else number
            st.take("ref", start, i + 1, value, "ask.ref.number")
            continue
        spec = DocSpec(number=number, type=type_name)
        st.take("doc", start, i + 1, _doc_value(spec), "ask.doc.number", spec=spec)


def _type_before(toks: list[Tok], i: int) -> tuple[str | None, int]:
    """The document type written before token ``i`` ("Công văn số"), and where it starts."""
    j = i
    if j > 0 and toks[j - 1].fold in ("so", ":") and toks[j - 1].kind is None:
        j -= 1
        if j > 0 and toks[j - 1].fold == "so":
            j -= 1
    for seq, name in type_words():
        n = len(seq)
        a = j - n
        if a >= 0 and free(toks, a, j) and [t.fold for t in toks[a:j]] == list(seq):
            return name, a
        # a shorthand token may hold the whole type ("cv" -> "cong van")
        if j >= 1 and toks[j - 1].fold == " ".join(seq) and toks[j - 1].kind is None:
            return name, j - 1
    return None, i


def _marks(st: State, label: str) -> list[tuple[int, int]]:
    out = []
    for row, rx in compiled_rows():
        if row.label == label:
            for m in rx.finditer(st.text.s):
                out.append(st.text.span(m.start(), m.end()))
    return out


# Documents that carry out or pass on work rather than lay down rules: "theo
# Công văn 8079/VPCP-CN" names the document whose tasks are asked about, where
# "theo Nghị định 29/2021/NĐ-CP" names the legal basis of the tasks.
_WORKING_TYPES = frozenset(
    {"Công văn", "Thông báo", "Kế hoạch", "Tờ trình", "Báo cáo", "Kết luận", "Giấy mời"}
)


def _ref_context(
    st: State, i: int, j: int, cites: list[tuple[int, int]], type_name: str | None = None
) -> bool:
    """Whether the number at tokens [i, j) is a cited reference, not the document asked about."""
    toks = st.toks
    prev = st.prev_word(i)
    cite = next(((a, b) for a, b in cites if b == prev + 1), None)
    if cite is not None:  # "dẫn chiếu X", "căn cứ vào X", "theo X"
        if toks[prev].fold != "theo":
            return True
        # "Theo Công văn 707, Sở … phải làm gì?": the document the question is about;
        # so is "việc của Bộ KH&ĐT theo Công văn 8079" ("thực hiện theo X": its basis)
        return not (
            cite[0] == first_word(st) or (cite[1] - cite[0] == 1 and type_name in _WORKING_TYPES)
        )
    k = j
    while k < len(toks) and toks[k].punct:
        k += 1
    if k < len(toks) and toks[k].fold == "duoc" and any(a >= k for a, _ in cites):
        return True  # "X được dẫn chiếu ở đâu", "X được những văn bản nào căn cứ"
    if prev < 0 or toks[prev].fold in ("trong", "tai") or only_fillers_before(st, i):
        return False  # the document asked about: "Công văn 707 giao …", "trong Công văn 6202"
    # After the words of a piece of work ("báo cáo sơ kết Nghị quyết 24-NQ/TW"): a reference.
    return not filler_covering(toks, prev) and toks[prev].fold not in qword_folds()


def _doc_value(spec: DocSpec) -> str:
    bits = [b for b in (spec.type, spec.number) if b]
    if spec.date_from and spec.date_from == spec.date_to:
        bits.append(f"ngày {dt.date.fromisoformat(spec.date_from).strftime('%d/%m/%Y')}")
    return " ".join(bits) or "văn bản"


def _attach_date(st: State, idx: int) -> None:
    """ "Công văn ngày 28/02/2023", "Công văn số 707 ngày …": the date belongs to the document."""
    ex = st.extra[idx]
    k = int(ex["j"])  # type: ignore[arg-type]
    if k >= len(st.toks) or st.toks[k].kind != "time":
        return
    tidx = st.toks[k].part
    assert tidx is not None
    if st.parts[tidx].rule_id != "time.on":
        return
    a, b = st.extra[tidx]["period"]  # type: ignore[misc]
    end = int(st.extra[tidx]["j"])  # type: ignore[arg-type]
    spec = replace(ex["spec"], date_from=a.isoformat(), date_to=b.isoformat())  # type: ignore[arg-type]
    for t in st.toks[k:end]:
        t.kind, t.part = "doc", idx
    st.retake(tidx, "_merged")
    p = st.parts[idx]
    last = st.toks[end - 1].end
    st.parts[idx] = replace(p, text=st.q[p.start : last], end=last, value=_doc_value(spec))
    ex.update(spec=spec, j=end)


def read_laws(st: State) -> None:
    """Named laws: "Luật Đầu tư công", "Luật Tổ chức chính quyền địa phương 2015"."""
    toks = st.toks
    for i, t in enumerate(toks):
        if (
            t.kind is not None
            or t.fold not in ("luat", "phap lenh")
            and not (t.fold == "bo" and i + 1 < len(toks) and toks[i + 1].fold == "luat")
        ):
            continue
        head = 2 if t.fold == "bo" else 1
        k = i + head
        best = 0
        for seq in law_sequences():
            n = seq_words(toks, k, seq)
            if n:
                best = n
                break
        if not best:
            n = 0
            while (
                k + n < len(toks)
                and n < 8
                and toks[k + n].kind is None
                and not toks[k + n].punct
                and not stop_at(toks, k + n)
            ):
                n += 1
            best = n
        if not best:
            continue
        end = k + best
        if end < len(toks) and re.fullmatch(r"(?:19|20)\d{2}", toks[end].fold):
            end += 1
        elif (
            end + 1 < len(toks)
            and toks[end].fold == "nam"
            and re.fullmatch(r"(?:19|20)\d{2}", toks[end + 1].fold)
        ):
            end += 2
        value = st.q[toks[i].start : toks[end - 1].end]
        st.take("ref", i, end, value, "ask.ref.law")


def read_patterns(st: State) -> None:
    """Question words, role, status, time, repetition: the pattern table, longest first."""
    found = []
    for row, rx in compiled_rows():
        if row.id == "qword.yesno":
            continue
        for m in rx.finditer(st.text.s):
            if m.end() <= m.start():
                continue
            i, j = st.text.span(m.start(), m.end())
            found.append((j - i, -i, m.end() - m.start(), i, j, row, m))
    found.sort(key=lambda x: (x[0], x[2], x[1]), reverse=True)
    for _, _, _, i, j, row, m in found:
        if not free(st.toks, i, j):
            continue
        kind = {
            "QWORD": "qword",
            "ROLE": "role",
            "STATUS": "status",
            "TIME": "time",
            "RECURRING": "recurring",
            "CITE": "_cite",
            "ISSUED": "_issued",
            "SUBJECT": "_subject",
            "ASOF": "_asof",
            "PARTNER": "_partner",
            "JOINT": "_joint",
        }[row.label]
        if kind == "_asof":
            d = st.today if row.data.get("now") else date_of(m, st.today)
            if d is None:
                continue
            st.take(kind, i, j, d.isoformat(), row.id)
        elif kind == "time":
            period = period_of(row, m, st.today)
            if period is None:
                continue
            bare = not (m.groupdict().get("intro")) and row.data.get("kind") in (
                "month",
                "quarter",
                "year",
                "relative",
            )
            st.take("time", i, j, period_value(*period), row.id, period=period, bare=bare)
        elif kind == "recurring":
            value = str(row.data["recurring"])
            if value == "each":
                value = {
                    "ngay": "daily",
                    "tuan": "weekly",
                    "thang": "monthly",
                    "quy": "quarterly",
                    "nam": "yearly",
                }[m.group("p")]
            st.take(kind, i, j, value, row.id)
        elif kind == "qword":
            st.take(kind, i, j, str(row.data["ask"]), row.id)
        elif kind in ("role", "status"):
            st.take(kind, i, j, str(row.data[kind]), row.id)
        else:
            st.take(kind, i, j, "", row.id)


_YESNO_OPENERS = ("có", "co", "phải", "phai", "đã", "da")


def read_yesno(st: State) -> None:
    """ "có … không", "đã … chưa" closing the question: one part, two pieces."""
    toks = st.toks
    k = len(toks) - 1
    while k >= 0 and toks[k].punct:
        k -= 1
    if k < 1 or toks[k].fold not in ("khong", "chua") or toks[k].kind is not None:
        return
    for a in range(k):
        if toks[a].kind is None and toks[a].text.lower() in _YESNO_OPENERS:
            st.take("qword", a, k + 1, "yesno", "qword.yesno", pieces=[(a, a + 1), (k, k + 1)])
            return
    if toks[k].fold == "khong" and not any(p.kind == "qword" for p in st.parts):
        # "nhiệm vụ quá hạn của sở tài chính không": asked without "có"
        st.take("qword", k, k + 1, "yesno", "qword.yesno")


def read_agencies(st: State) -> None:
    """Agencies: the gazetteer's names (with a typo at most), short names, loose names.

    A body named as whom the work goes to ("báo cáo Thủ tướng Chính phủ") or
    whose request it is ("đề nghị của Công ty X") is part of the work, not its owner.
    """
    toks = st.toks
    w = words()
    i = 0
    while i < len(toks):
        if toks[i].kind is not None or toks[i].punct:
            i += 1
            continue
        found = _agency_at(st, i)
        if found is None:
            i += 1
            continue
        end, value, rule = found
        if (
            after_any(toks, i, w.recipient_sequences)
            or after_any(toks, i, w.object_sequences)
            or (
                rule == "ask.agency.loose"
                and toks[i].fold in _org_heads()
                and after_any(toks, i, w.about_sequences)
            )
        ):
            i = end  # its words stay for the topic
            continue
        start = i
        if (
            rule == "ask.agency.collective"
            and i > 0
            and toks[i - 1].fold == "cac"
            and toks[i - 1].kind is None
        ):
            start = i - 1
            value = st.q[toks[start].start : toks[end - 1].end]
        st.take("agency", start, end, value, rule)
        i = end


def _agency_at(st: State, i: int) -> tuple[int, str, str] | None:
    """The agency named from token ``i``: (end, value, rule id), or None."""
    toks = st.toks
    w = words()
    person = _person_at(st, i)
    if person is not None:
        return person
    end = _gazetteer_head(st, i)
    rule = "ask.agency.gazetteer"
    if end is None:
        end = _fuzzy_head(st, i)
        rule = "ask.agency.typo"
    if end is None:
        for seq, name, rid in w.alias_sequences:
            n = seq_at(toks, i, seq)
            if n and free(toks, i, i + n):
                return i + n, name, rid
        end = _loose_head(st, i)
        rule = "ask.agency.loose"
        if end is None and i > 0 and toks[i - 1].fold == "cac":
            end = _bare_head(st, i)  # "các sở, ngành …": a head with no name of its own
    if end is None:
        return None
    collective = _collective_end(st, i, end)
    if collective is not None:  # "UBND các tỉnh, thành phố …", "các sở, ngành tỉnh …"
        return collective, st.q[toks[i].start : toks[collective - 1].end], "ask.agency.collective"
    end = _jurisdiction(st, end)
    words_ = " ".join(tk.fold for tk in toks[i:end] if tk.fold != ".")
    typed = st.q[toks[i].start : toks[end - 1].end]
    return end, canonical_agency(words_) or canonical_agency(typed) or typed, rule


def _person_at(st: State, i: int) -> tuple[int, str, str] | None:
    """A person given tasks by name, after a title: "Bộ trưởng Hồ Đức Phớc"."""
    toks = st.toks
    for seq in words().title_sequences:
        n = seq_at(toks, i, seq)
        if not n:
            continue
        k = i + n
        if k < len(toks) and (
            _gazetteer_head(st, k) is not None
            or any(seq_at(toks, k, h) for h, _, _ in _loose_heads())
        ):
            return None  # "Giám đốc Sở Y tế": the body, read on its own
        while (
            k < len(toks)
            and k - i - n < 4
            and toks[k].capital
            and toks[k].kind is None
            and not toks[k].punct
            and toks[k].text.isalpha()
        ):
            k += 1
        if k - i - n < 2:
            return None
        return k, st.q[toks[i + n].start : toks[k - 1].end], "ask.agency.person"
    return None


def _gazetteer_head(st: State, i: int) -> int | None:
    g = gazetteer()
    s = st.text.s
    m = g.head_re.match(s, st.text.char(i))
    if not m:
        return None
    a, b = st.text.span(m.start(), m.end())
    if a != i or not free(st.toks, a, b):
        return None
    # A body's own name ("Chính phủ") inside a longer one typed loosely is still that body.
    return b


def _fuzzy_head(st: State, i: int) -> int | None:
    """ "Sở Tài chín", "Sở Giao thông vận tả": a Sở or Bộ whose portfolio has one typo."""
    toks = st.toks
    if toks[i].fold not in ("so", "bo"):
        return None
    depts = [tuple(k.split()) for k in gazetteer().depts]
    got = fuzzy_seq(toks, i + 1, depts)
    if got is None:
        return None
    n, seq = got
    for k, word in enumerate(seq):
        toks[i + 1 + k].fold = word
    return i + 1 + n


def _bare_head(st: State, i: int) -> int | None:
    for seq, _ in words().loose_head_sequences:
        n = seq_at(st.toks, i, seq)
        if n and free(st.toks, i, i + n):
            return i + n
    return None


def _collective_end(st: State, i: int, end: int) -> int | None:
    """The end of a group of bodies named together ("UBND các tỉnh, thành phố trực
    thuộc Trung ương", "các sở, ngành tỉnh Lai Châu"), or None if it is one body."""
    toks = st.toks
    after_cac = i > 0 and toks[i - 1].fold == "cac"
    k = end
    if not after_cac:
        if k >= len(toks) or toks[k].fold != "cac":
            return None
        k += 1
    n = 0
    while k < len(toks) and n < 14 and toks[k].kind is None:
        if toks[k].fold == ",":
            if (
                k + 1 < len(toks)
                and toks[k + 1].kind is None
                and not toks[k + 1].punct
                and not stop_at(toks, k + 1)
            ):
                k += 1
                continue
            break
        if toks[k].punct or stop_at(toks, k):
            break
        k += 1
        n += 1
    return k if n else None


@cache
def _org_heads() -> frozenset[str]:
    """First words of the heads that need a capital (organizations, mostly)."""
    return frozenset(seq[0] for seq, capital, _ in _loose_heads() if capital)


@cache
def _loose_heads() -> tuple[tuple[tuple[str, ...], bool, bool], ...]:
    """(folded head, needs a capital, needs a capitalised name word), longest first:
    ask_words.yaml's heads and the gazetteer's ``name_heads`` (Bộ Chỉ huy, Trung
    tâm, Bệnh viện, Đài, Hội …), which name a body only when typed with capitals."""
    rows = {(seq, capital, False) for seq, capital in words().loose_head_sequences}
    for h in gazetteer().agencies.name_heads:
        rows.add((tuple(key(h.head).split()), True, h.needs_name))
    return tuple(sorted(rows, key=lambda r: len(r[0]), reverse=True))


def _loose_head(st: State, i: int) -> int | None:
    toks = st.toks
    w = words()
    for seq, capital, named in _loose_heads():
        n = seq_at(toks, i, seq)
        if not n or not free(toks, i, i + n) or (capital and not toks[i].capital):
            continue
        if named and not (i + n < len(toks) and toks[i + n].capital):
            continue  # "Phòng chống thiên tai" names no body
        before = w.not_after_map.get(seq[0])
        if before and i > 0 and toks[i - 1].fold in before:
            return None
        k = i + n
        while (
            k < len(toks)
            and k - i < n + 8
            and toks[k].kind is None
            and not toks[k].punct
            and not stop_at(toks, k)
            and not DIGITS.match(toks[k].fold)
        ):
            k += 1
        return k if k > i + n else None
    return None


def _jurisdiction(st: State, end: int) -> int:
    """Extend an agency over "tỉnh Bắc Ninh", "Hà Nội", "huyện Gio Linh" (one typo allowed)."""
    toks = st.toks
    gz = gazetteer()
    k = end
    if (
        k + 1 < len(toks)
        and toks[k].kind is None
        and toks[k].fold in _UNIT_SHORT
        and toks[k + 1].fold == "."
        and toks[k + 1].kind is None
    ):
        k += 2  # "UBND h. Gio Linh", "UBND tx. Quảng Trị", "UBND tp. Đông Hà"
    elif (
        k < len(toks)
        and toks[k].kind is None
        and toks[k].fold in ("tinh", "thanh pho", "huyen", "thi xa", "quan", "tx")
    ):
        k += 1
    elif k + 1 < len(toks) and toks[k].fold == "thanh" and toks[k + 1].fold == "pho":
        k += 2
    if k >= len(toks) or not free(toks, k, k + 1):
        return end
    m = gz.place_re.match(st.text.s, st.text.char(k))
    if m:
        a, b = st.text.span(m.start(), m.end())
        if a == k and free(toks, a, b):
            _expand_unit(toks, end, k)
            return b
    places = [tuple(p.split()) for p in [*gz.province_keys, *gz.district_keys]]
    got = fuzzy_seq(toks, k, places)
    if got is not None:
        n, seq = got
        for x, word in enumerate(seq):
            toks[k + x].fold = word
        _expand_unit(toks, end, k)
        return k + n
    return end


# The short forms of the units of a place: "h. Gio Linh", "tx. Quảng Trị", "q. 1".
_UNIT_SHORT = {
    "h": "huyen",
    "tx": "thi xa",
    "q": "quan",
    "tp": "thanh pho",
    "thanh pho": "thanh pho",
    "tt": "thi tran",
}


def _expand_unit(toks: list[Tok], a: int, b: int) -> None:
    """Spell out a unit's short form between tokens a and b, for the agency's name."""
    if b - a == 2 and toks[a + 1].fold == "." and toks[a].fold in _UNIT_SHORT:
        toks[a].fold = _UNIT_SHORT[toks[a].fold]
    elif b - a == 1 and toks[a].fold == "tx":
        toks[a].fold = "thi xa"


def read_provinces(st: State) -> None:
    """A province named on its own: "tỉnh Quảng Trị", "của Hà Nội", "Lai Châu có …"."""
    gz = gazetteer()
    toks = st.toks
    for i, t in enumerate(toks):
        if t.kind is not None or t.punct:
            continue
        m = gz.place_re.match(st.text.s, st.text.char(i))
        if not m:
            continue
        a, b = st.text.span(m.start(), m.end())
        if a != i or not free(toks, a, b):
            continue
        row = gz.province_keys.get(" ".join(tk.fold for tk in toks[a:b]))
        if row is None:
            continue
        start = a
        prev = st.prev_word(a)
        if prev >= 0 and toks[prev].fold in ("tinh", "thanh pho", "tp") and toks[prev].kind is None:
            start = prev
        elif (
            prev >= 1
            and toks[prev - 1].fold == "thanh"
            and toks[prev].fold == "pho"
            and toks[prev - 1].kind is None
            and toks[prev].kind is None
        ):
            start = prev - 1  # "Thành phố Hà Nội": a city run by the centre is a province
        elif not (
            prev < 0
            or toks[prev].fold in ("cua", "o", "tai", "thuoc", "co quan", "don vi")
            or only_fillers_before(st, a)
        ):
            continue
        st.take("province", start, b, row.name, "ask.province")


def read_doc_types(st: State) -> None:
    """A document type on its own: "các chỉ thị của …", "công văn nào", "Thông báo kết luận"."""
    toks = st.toks
    i = 0
    while i < len(toks):
        if toks[i].kind is not None:
            i += 1
            continue
        hit = None
        for seq, name in alone_words():
            n = seq_at(toks, i, seq)
            if n and free(toks, i, i + n):
                hit = (n, name)
                break
        if hit is None:
            i += 1
            continue
        n, name = hit
        nxt = toks[i + n].fold if i + n < len(toks) else ""
        prev = toks[i - 1].fold if i > 0 else ""
        prev_kind = toks[i - 1].kind if i > 0 else None
        if not (
            nxt in ("nao", "cua", "do", "ve", "ngay", "nam", "thang", "ket luan")
            or prev in ("cac", "nhung", "co")
            or prev_kind == "qword"
            or i == 0
        ):
            i += n
            continue
        spec = DocSpec(type=name)
        st.take("doc", i, i + n, _doc_value(spec), "ask.doc.type", spec=spec)
        i += n
    for idx, p in enumerate(list(st.parts)):
        if p.kind == "doc":
            _attach_date(st, idx)


def read_issuers(st: State) -> None:
    """Which named agencies issued the documents rather than got the tasks."""
    toks = st.toks
    titles = words().title_sequences
    for idx, p in enumerate(st.parts):
        if p.kind not in ("agency", "province"):
            continue
        i, j = int(st.extra[idx]["i"]), int(st.extra[idx]["j"])  # type: ignore[arg-type]
        while i > 0 and toks[i - 1].part == idx:  # a title taken on the first pass
            i -= 1
        k = i - 1
        # skip a title: "của Chủ tịch UBND tỉnh"
        for seq in titles:
            n = len(seq)
            if k - n + 1 >= 0 and [t.fold for t in toks[k - n + 1 : k + 1]] == list(seq):
                for t in toks[k - n + 1 : k + 1]:
                    t.kind, t.part = p.kind, idx
                k -= n
                break
        before = toks[k].fold if k >= 0 else ""
        after = toks[j].fold if j < len(toks) else ""
        doc_before = False
        if before in ("cua", "do"):
            m = k - 1
            while m >= 0 and (toks[m].punct or toks[m].kind == "qword"):
                m -= 1
            doc_before = m >= 0 and (
                toks[m].kind == "doc"
                or (toks[m].kind is None and after_any(toks, m + 1, words().doc_noun_sequences))
            )
        after_issued = j < len(toks) and toks[j].kind == "_issued"
        issued = (
            doc_before
            or after_issued
            # "do UBND tỉnh giao", "do Thủ tướng chỉ đạo"
            or (before == "do" and after in ("giao", "chi dao", "yeu cau", "ky"))
            or (after == "giao" and before != "duoc" and i == first_word(st))
        )
        if issued:
            st.retake(idx, "issuer")


def read_about(st: State) -> None:
    """ "Thông báo kết luận … về các khu công nghiệp": what the document is about."""
    toks = st.toks
    for idx, p in enumerate(list(st.parts)):
        if p.kind != "doc":
            continue
        j = int(st.extra[idx]["j"])  # type: ignore[arg-type]
        k = j
        # past "của <issuer>"
        while k < len(toks) and (
            toks[k].kind == "issuer"
            or (toks[k].fold == "cua" and k + 1 < len(toks) and toks[k + 1].kind == "issuer")
        ):
            k += 1
        if k >= len(toks) or toks[k].fold != "ve" or toks[k].kind is not None:
            continue
        e = k + 1
        while (
            e < len(toks)
            and toks[e].kind is None
            and not toks[e].punct
            and toks[e].fold not in ("giao", "cua", "co", "yeu cau", "de nghi", "chi dao")
            and not (toks[e].fold == "viec" and e + 1 < len(toks) and toks[e + 1].kind == "qword")
        ):
            e += 1
        if e == k + 1:
            continue
        about = " ".join(content_of(toks[k + 1 : e]))
        if not about:
            continue
        spec = replace(st.extra[idx]["spec"], about=about)  # type: ignore[arg-type]
        for t in toks[j:e]:
            if t.kind is None:
                t.kind, t.part = "doc", idx
        last = toks[e - 1].end
        st.parts[idx] = replace(p, text=st.q[p.start : last], end=last)
        st.extra[idx].update(spec=spec, j=e, about_from=k + 1)


def read_topic(st: State) -> None:
    toks = st.toks
    w = words()
    nouns = [*w.doc_noun_sequences, *w.task_noun_sequences, *w.title_sequences]
    keep: list[int] = []
    k = 0
    while k < len(toks):
        t = toks[k]
        if t.kind is not None or t.punct:
            k += 1
            continue
        n = (
            max((seq_at(toks, k, s) for s in nouns), default=0)
            or is_filler(toks, k)
            or _noun_typo(toks, k)
        )
        if n:
            k += n
            continue
        keep.append(k)
        k += 1
    if not keep:
        return
    value = " ".join(toks[k].text for k in keep)
    groups: list[tuple[int, int]] = []
    for k in keep:
        if groups and all(toks[x].kind is None for x in range(groups[-1][1], k)):
            groups[-1] = (groups[-1][0], k + 1)
        else:
            groups.append((k, k + 1))
    st.take("topic", groups[0][0], groups[-1][1], value, "ask.topic", pieces=groups)


def _noun_typo(toks: list[Tok], k: int) -> int:
    """A noun of several words typed with one typo ("nhiệm vục", "văn bảng"): its length."""
    w = words()
    seqs = [s for s in (*w.task_noun_sequences, *w.doc_noun_sequences) if len(s) > 1]
    got = fuzzy_seq(toks, k, seqs)
    if got is None:
        return 0
    n, _ = got
    if " ".join(t.fold for t in toks[k : k + n]) in w.real_word_set:
        return 0  # "công viên" is a park, not "công việc"
    return n


def drop_bare_times(st: State) -> None:
    """A period with no word before it, right after the words of a piece of work, is
    part of that work's name ("kế hoạch đầu tư công năm 2019"), not a deadline."""
    for idx, p in enumerate(st.parts):
        if p.kind != "time" or not st.extra[idx].get("bare"):
            continue
        i = int(st.extra[idx]["i"])  # type: ignore[arg-type]
        prev = st.prev_word(i)
        if prev < 0:
            continue
        t = st.toks[prev]
        if t.kind is None and not filler_covering(st.toks, prev):
            st.retake(idx, "_dropped")
            for tk in st.toks:
                if tk.part == idx:
                    tk.kind, tk.part = None, None


def about_to_topic(st: State, parts: tuple[Part, ...], query: AskQuery) -> tuple[Part, ...]:
    """For a search of documents, what they are about is the topic, not the document."""
    out = list(parts)
    for n, p in enumerate(out):
        if p.kind != "doc":
            continue
        idx = st.parts.index(p) if p in st.parts else -1
        about_from = st.extra.get(idx, {}).get("about_from")
        if about_from is None:
            continue
        k = int(about_from)  # type: ignore[arg-type]
        j = int(st.extra[idx]["j"])  # type: ignore[arg-type]
        cut = st.toks[k - 1].start
        doc_end = st.toks[k - 2].end if k >= 2 else cut
        out[n] = replace(p, text=st.q[p.start : doc_end].rstrip(), end=doc_end)
        words_ = " ".join(content_of(st.toks[k:j]))
        existing = next((x for x in out if x.kind == "topic"), None)
        topic = Part(
            "topic",
            st.q[st.toks[k].start : st.toks[j - 1].end],
            st.toks[k].start,
            st.toks[j - 1].end,
            words_,
            "ask.topic",
        )
        if existing is None:
            out.append(topic)
        else:
            before = existing.pieces or ((existing.start, existing.end),)
            out[out.index(existing)] = replace(
                existing,
                value=f"{words_} {existing.value}",
                start=min(existing.start, topic.start),
                pieces=tuple(sorted((*before, (topic.start, topic.end)))),
            )
    return tuple(out)
