"""Read a Vietnamese question by its parts, and turn the parts into one query.

The parts (tests/ask/README.md lists them) come from data tables: the
agency gazetteer and province table of the extractors
(extractors/data/agencies.yaml, provinces.yaml), the document types
(doc_types.yaml) and law names (legal_refs.yaml), and the question's own
tables, extractors/data/ask_parts.yaml (patterns for question words, role,
status, time, repetition, citing verbs) and ask_words.yaml (filler words,
shorthand, loose agency heads). Reading is done on the folded question (no
diacritics, đ as d, lower case), word by word, so "so tai chinh bac ninh"
reads as "Sở Tài chính tỉnh Bắc Ninh"; every part keeps the offsets of the
words it was read from in the question as typed.

The readers are in :mod:`pipeline.query.question_parts`, the words they read
in :mod:`pipeline.query.question_text`. Nothing here looks at a store: the
same question always gives the same parts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Literal, get_args

from extractors.textnorm import normalize_query
from pipeline.query.ask_query import AskQuery, DocSpec, words
from pipeline.query.ask_words import typed_without_diacritics
from pipeline.query.question_parts import (
    about_to_topic,
    drop_bare_times,
    read_about,
    read_agencies,
    read_doc_types,
    read_issuers,
    read_laws,
    read_numbers,
    read_patterns,
    read_provinces,
    read_topic,
    read_yesno,
)
from pipeline.query.question_text import (
    BARE,
    SLASH,
    Part,
    State,
    Text,
    filler_covering,
    fmt_date,
    has_seq,
    seq_at,
    tokenize,
    type_words,
)

PartKind = Literal[
    "agency",
    "province",
    "role",
    "status",
    "time",
    "recurring",
    "doc",
    "issuer",
    "ref",
    "topic",
    "qword",
]
PART_KINDS: tuple[str, ...] = get_args(PartKind)
__all__ = ["PART_KINDS", "Part", "Parsed", "chip_label", "describe", "parse"]


@dataclass(frozen=True, slots=True)
class Parsed:
    question: str  # normalized (NFC, one tone-mark convention); offsets point here
    parts: tuple[Part, ...]
    query: AskQuery
    understood: bool
    as_of: dt.date | None = None  # "tính đến ngày 1/7/2024": statuses at that day


_CHIP = {
    "agency": "Cơ quan",
    "province": "Tỉnh, thành phố",
    "role": "Vai trò",
    "status": "Tình trạng",
    "time": "Thời gian",
    "recurring": "Định kỳ",
    "doc": "Văn bản",
    "issuer": "Cơ quan ban hành",
    "ref": "Văn bản được dẫn chiếu",
    "topic": "Nội dung",
    "qword": "Câu hỏi",
}


def _asked_noun(st: State) -> str | None:
    """What the question word asks for: "tasks", "documents" or None."""
    toks = st.toks
    w = words()
    doc_like = {" ".join(s) for s, _ in type_words()}
    task_like = {" ".join(s) for s in w.task_noun_sequences}

    def noun_at(i: int) -> str | None:
        t = toks[i]
        if t.kind is not None and not (
            t.kind == "doc" and t.part is not None and st.parts[t.part].rule_id == "ask.doc.type"
        ):
            return None
        for s in sorted(doc_like | task_like, key=len, reverse=True):
            n = seq_at(toks, i, tuple(s.split()))
            if n:
                return "documents" if s in doc_like else "tasks"
        return None

    for idx, p in enumerate(st.parts):
        if p.kind != "qword" or p.value == "yesno":
            continue
        i, j = int(st.extra[idx]["i"]), int(st.extra[idx]["j"])  # type: ignore[arg-type]
        if p.value == "count":
            for x in range(j, min(j + 3, len(toks))):
                got = noun_at(x)
                if got:
                    return got
        else:  # "văn bản nào", "những nhiệm vụ gì": the noun before
            for x in range(i - 1, max(-1, i - 5), -1):
                for n in (1, 2, 3):
                    if x - n + 1 >= 0:
                        got = noun_at(x - n + 1)
                        if got:
                            return got
    # "những công văn của …", "các văn bản ban hành …"
    for i, t in enumerate(toks):
        if t.fold in ("nhung", "cac", "co") and i + 1 < len(toks):
            got = noun_at(i + 1)
            if got:
                return got
    return None


def _build(st: State) -> tuple[AskQuery, bool]:
    parts = st.parts
    kinds = {p.kind for p in parts}
    w = words()
    asks = {p.value for p in parts if p.kind == "qword"}
    ask = next((a for a in ("count", "yesno", "when", "who") if a in asks), "list")
    roles = [p.value for p in parts if p.kind == "role"]
    role = roles[0] if roles else None
    owners = list(dict.fromkeys(p.value for p in parts if p.kind == "agency"))
    owner = owners[0] if owners else None
    # "Sở A và Sở B có nhiệm vụ chung nào": the tasks they share; "Sở A hoặc Sở B": either's
    together = len(owners) > 1 and "_joint" in kinds
    province = next((p.value for p in parts if p.kind == "province"), None)
    if ask == "who" and role == "cooperating" and (owner or province):
        ask, role = "partners", None
    elif "_partner" in kinds and role is None and (owner or province) and ask in ("who", "list"):
        ask = "partners"  # "X làm việc cùng những cơ quan nào", "X cùng với ai"
    statuses = [p.value for p in parts if p.kind == "status"]
    # "đã quá hạn mà chưa hoàn thành": the narrower status ("quá hạn" is never done)
    status = min(statuses, key=_STATUS_ORDER.index) if statuses else None
    recurring = next((p.value for p in parts if p.kind == "recurring"), None)
    refs = [p.value for p in parts if p.kind == "ref"]
    docs = [i for i, p in enumerate(parts) if p.kind == "doc"]
    issuer = next((p.value for p in parts if p.kind == "issuer"), None)
    topic = next((p.value for p in parts if p.kind == "topic"), None)
    has_task_noun = bool(has_seq(st, w.task_noun_sequences))
    asked = _asked_noun(st)
    has_doc_noun = bool(has_seq(st, w.doc_noun_sequences))

    spec: DocSpec | None = None
    doc_end = -1
    if docs:
        spec = st.extra[docs[0]]["spec"]  # type: ignore[assignment]
        doc_end = int(st.extra[docs[0]]["j"])  # type: ignore[arg-type]
    if issuer:
        spec = replace(spec or DocSpec(), issuer=issuer)

    if (
        ask == "when"
        and docs
        and not refs
        and not has_task_noun
        and not owner
        and _issue_date_asked(st)
    ):
        ask = "list"  # "Công văn 5222 ký ngày nào?": the document, with its date
    target = _target(
        st, refs=bool(refs), docs=bool(docs), doc_end=doc_end, spec=spec, ask=ask, topic=topic
    )
    if (
        ask == "list"
        and docs
        and "_issued" in kinds
        and any(p.kind == "qword" and p.rule_id == "qword.when" for p in parts)
    ):
        target = "documents"

    # a period: deadlines, or issue dates of the documents
    lo = hi = None
    for i, p in enumerate(parts):
        if p.kind != "time":
            continue
        a, b = st.extra[i]["period"]  # type: ignore[misc]
        # several periods narrow each other: "từ tháng 5 đến tháng 7 năm 2024"
        if _issued_time(st, i, target):
            spec = spec or DocSpec()
            spec = replace(
                spec, date_from=_later(spec.date_from, a), date_to=_earlier(spec.date_to, b)
            )
        else:
            lo, hi = _later(lo, a), _earlier(hi, b)

    if target == "documents" and spec is not None and spec.about:
        topic = " ".join(x for x in (spec.about, topic) if x)
        spec = replace(spec, about=None)
    if target == "documents" and owner and not has_task_noun and not issuer:
        # "Văn phòng Chính phủ có bao nhiêu công văn?": the documents' issuer
        spec = replace(spec or DocSpec(), issuer=owner)
        owner, owners = None, []
        for i, p in enumerate(parts):
            if p.kind == "agency":
                st.retake(i, "issuer")
    q = AskQuery(
        target=target,
        ask=ask
        if not (
            target in ("documents", "citations", "cited") and ask in ("who", "when", "partners")
        )
        else "list",
        owner=owner,
        province=province,
        role=role,
        status=status,
        deadline_from=lo,
        deadline_to=hi,
        recurring=recurring,
        doc=spec,
        ref=refs[0] if refs else None,
        topic=topic,
        also=tuple(owners[1:]) if owner else (),
        together=together,
    )
    understood = (
        bool(kinds - {"topic", "qword", "_cite", "_issued", "_subject", "_partner", "_joint"})
        or (target == "documents" and (has_doc_noun or asked == "documents"))
        or (bool(topic) and (has_task_noun or ask in ("who", "when", "count", "yesno")))
    )
    return q, understood


def _target(
    st: State,
    *,
    refs: bool,
    docs: bool,
    doc_end: int,
    spec: DocSpec | None,
    ask: str,
    topic: str | None,
) -> str:
    """What the question asks about: tasks, documents, citations of a reference,
    or what a document cites."""
    w = words()
    kinds = {p.kind for p in st.parts}
    cites = [
        int(st.extra[i]["i"])
        for i, p in enumerate(st.parts)  # type: ignore[arg-type]
        if p.kind == "_cite"
    ]
    has_task_noun = bool(has_seq(st, w.task_noun_sequences))
    has_doc_noun = bool(has_seq(st, w.doc_noun_sequences))
    asked = _asked_noun(st)
    if refs:
        # "văn bản nào dẫn chiếu X": the citing documents; "nhiệm vụ nào theo X",
        # "ai phụ trách báo cáo … X": the tasks with X as their legal basis.
        tasky = asked == "tasks" or (asked is None and has_task_noun) or ask in ("who", "when")
        return "tasks" if tasky else "citations"
    if docs and any(c >= doc_end for c in cites):
        return "cited"  # "Công văn 11413 căn cứ những văn bản nào"
    if ask in ("who", "when", "partners"):
        return "tasks"  # "ai …", "khi nào …": who does the work, and by when
    if "_subject" in kinds and docs:
        return "documents"  # "Công văn 1161 nói về việc gì"
    if asked == "documents" or (
        asked is None and not has_task_noun and (has_doc_noun or (docs and _type_only(spec)))
    ):
        return "documents"  # "văn bản nào …", "các chỉ thị của UBND tỉnh …"
    if (
        not (kinds - {"topic", "qword", "_cite", "_issued", "_subject", "_partner", "_joint"})
        and not has_task_noun
        and topic
    ):
        return "documents"  # only words: search the documents
    return "tasks"


def _issue_date_asked(st: State) -> bool:
    """Whether "khi nào", "ngày nào" asks when a document was signed or issued:
    "ký ngày nào", "ban hành khi nào", "ngày ký là ngày nào"."""
    for idx, p in enumerate(st.parts):
        if p.kind != "qword" or p.value != "when":
            continue
        i = int(st.extra[idx]["i"])  # type: ignore[arg-type]
        prev = st.prev_word(i, skip_fillers=True)
        if prev >= 0 and st.toks[prev].kind == "_issued":
            return True
        if any(
            q.kind == "_issued"
            and q.rule_id == "issued.verb"
            and st.q[q.start : q.end].lower() in ("ngày ký", "ngay ky")
            for q in st.parts
        ):
            return True
    return False


def _later(iso: str | None, d: dt.date) -> str | None:
    if d == dt.date.min:
        return iso
    return max(iso, d.isoformat()) if iso else d.isoformat()


def _earlier(iso: str | None, d: dt.date) -> str | None:
    if d == dt.date.max:
        return iso
    return min(iso, d.isoformat()) if iso else d.isoformat()


_STATUS_ORDER = ("overdue", "due_soon", "in_time", "no_deadline", "done", "pending")


def _type_only(spec: DocSpec | None) -> bool:
    return spec is not None and spec.number is None


def _issued_time(st: State, idx: int, target: str) -> bool:
    if target == "documents":
        return True
    i = int(st.extra[idx]["i"])  # type: ignore[arg-type]
    prev = st.prev_word(i)
    while (
        prev >= 0
        and st.toks[prev].kind is None
        and filler_covering(st.toks, prev)
        and st.toks[prev].fold not in ("ban hanh", "ky")
    ):
        prev -= 1
    if prev < 0:
        return False
    kind = st.toks[prev].kind
    return kind in ("doc", "issuer", "_issued")


def parse(question: str, *, today: dt.date) -> Parsed:
    """Read a question's parts and the query they make.

    Example:
        >>> p = parse("nhiem vu qua han cua so tai chinh bac ninh", today=dt.date(2024, 6, 25))
        >>> [(x.kind, x.value) for x in p.parts]
        [('status', 'overdue'), ('agency', 'Sở Tài chính tỉnh Bắc Ninh')]
        >>> p.query.owner, p.query.status
        ('Sở Tài chính tỉnh Bắc Ninh', 'overdue')
    """
    # "707 / UBND-KT" is "707/UBND-KT"
    q = SLASH.sub("/", normalize_query(question))
    BARE.set(typed_without_diacritics(q))
    toks = tokenize(q)
    st = State(q, toks, Text(toks), today)
    if toks:
        read_laws(st)
        read_numbers(st)
        read_patterns(st)
        read_yesno(st)
        read_agencies(st)
        read_doc_types(st)
        read_provinces(st)
        read_issuers(st)
        read_about(st)
        read_issuers(st)  # "Thông báo … về khu công nghiệp của UBND tỉnh …"
        drop_bare_times(st)
        read_topic(st)
    query, understood = _build(st)
    # "tính đến ngày D" shows as a time part (the day the statuses are computed at)
    parts = tuple(
        replace(p, kind="time") if p.kind == "_asof" else p
        for p in st.parts
        if not p.kind.startswith("_") or p.kind == "_asof"
    )
    if query.target == "documents":
        parts = about_to_topic(st, parts, query)
    as_of = next((dt.date.fromisoformat(p.value) for p in st.parts if p.kind == "_asof"), None)
    return Parsed(
        q,
        tuple(sorted(parts, key=lambda p: p.start)),
        query,
        understood,
        as_of if as_of != today else None,
    )


def chip_label(p: Part) -> str:
    """What a part's chip says in the page."""
    return f"{_CHIP.get(p.kind, p.kind)}: {describe(p)}"


def describe(p: Part) -> str:
    """A part's value in words."""
    if p.kind == "role":
        return {"lead": "chủ trì", "cooperating": "phối hợp", "any": "chủ trì hoặc phối hợp"}[
            p.value
        ]
    if p.kind == "status":
        return STATUS_WORDS.get(p.value, p.value)
    if p.kind == "recurring":
        return RECURRING_WORDS.get(p.value, p.value)
    if p.kind == "qword":
        return ASK_WORDS.get(p.value, p.value)
    if p.kind == "time" and ".." not in p.value:  # "tính đến ngày D"
        return f"tính đến ngày {fmt_date(dt.date.fromisoformat(p.value))}"
    if p.kind == "time":
        a, _, b = p.value.partition("..")
        if a and b:
            lo, hi = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
            return fmt_date(lo) if lo == hi else f"từ {fmt_date(lo)} đến {fmt_date(hi)}"
        if b:
            return f"đến {fmt_date(dt.date.fromisoformat(b))}"
        return f"từ {fmt_date(dt.date.fromisoformat(a))}"
    return p.value


STATUS_WORDS = {
    "overdue": "quá hạn",
    "due_soon": "sắp đến hạn",
    "in_time": "còn hạn",
    "done": "đã hoàn thành",
    "pending": "chưa hoàn thành",
    "no_deadline": "không có thời hạn",
}


RECURRING_WORDS = {
    "daily": "hằng ngày",
    "weekly": "hằng tuần",
    "monthly": "hằng tháng",
    "quarterly": "hằng quý",
    "half-yearly": "6 tháng một lần",
    "yearly": "hằng năm",
    "any": "định kỳ",
}


ASK_WORDS = {
    "list": "liệt kê",
    "count": "bao nhiêu",
    "yesno": "có hay không",
    "who": "ai",
    "when": "khi nào",
    "partners": "phối hợp với ai",
}
