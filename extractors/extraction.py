"""Run every extractor over one cleaned text: ``extract(text) -> ExtractedDocument``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from extractors import doc_id_for
from extractors.agencies import canonical_agency, find_agencies, infer_province
from extractors.deadlines import find_deadlines, find_recurrences
from extractors.gazetteer import gazetteer, is_central_name
from extractors.legal_refs import find_legal_refs
from extractors.metadata import find_metadata
from extractors.model import Agency, DocKind, DocMeta, Document, ExtractedDocument, Span
from extractors.portals import place_from_url, portal_district
from extractors.task_filter import keep_tasks
from extractors.tasks import find_tasks, implied_scope


def extract(
    text: str, *, source: str = "<text>", meta: tuple[tuple[str, str], ...] = ()
) -> ExtractedDocument:
    """Extract metadata, agencies, legal references, deadlines and tasks.

    ``text`` must already be cleaned (``pipeline.ingest.clean.clean``): every offset
    in the result refers to it.

    Example:
        >>> d = extract("Giao Sở Tài chính chủ trì, hoàn thành trước ngày 10/3/2024.")
        >>> d.tasks[0].deadline
        '2024-03-10'
    """
    doc = Document(id=doc_id_for(text), source=source, text=text, meta=tuple(sorted(meta)))
    meta_ = find_metadata(doc)
    central = meta_.kind == DocKind.OFFICIAL and is_central_name(meta_.issuer or "")
    portal = place_from_url(doc.get("url"))
    inferred = False  # the province read from the text's places, not its header
    if meta_.province is None and not central:
        # the jurisdiction the text implies qualifies bare names; a central body's
        # document has none, whatever places it names ("Hà Nội, ngày ...")
        province = doc.get("province")
        if not province:
            province = infer_province(doc.text, folded=doc.folded)
            inferred = province is not None
        if not province and portal is not None:
            province = portal.province.name
        if province:
            meta_ = replace(meta_, province=province)
    # a text with no issuer that speaks for a district ("Chủ tịch UBND huyện ... giao phòng
    # TN&MT huyện"): that district's offices, named by the text or by the portal's address;
    # a news passage headed "Xã An Nông triển khai ...": that commune's
    local_issuer = meta_.issuer or implied_scope(
        doc.text, meta_.kind, portal_district(doc.get("url"), meta_.province)
    )
    found = find_agencies(doc, province=meta_.province, issuer=local_issuer, infer=not central)
    ministry = _ministry_signing(doc.text, meta_, found.agencies)
    if ministry:  # a letter copied without its header, signed for a minister
        # a ministry's letter has no province, whatever places it names (a city's
        # universities): only a province its header or sidecar gives stays
        meta_ = replace(
            meta_,
            issuer=ministry,
            doc_type=meta_.doc_type or _letter_type(doc.text),
            province=None if inferred else meta_.province,
        )
        found = find_agencies(doc, province=meta_.province, issuer=ministry, infer=not inferred)
    committee = _committee_signing(doc.text, meta_)
    if committee:  # a letter copied without its header, signed for its People's Committee
        meta_ = replace(meta_, issuer=committee, doc_type=meta_.doc_type or _letter_type(doc.text))
        found = find_agencies(doc, province=meta_.province, issuer=committee, infer=not central)
    opener = _opening_announcer(doc.text, meta_, found.spans)
    if opener:  # a portal's copy of a notice: "THÔNG BÁO ..." / "UBND xã X thông báo ..."
        meta_ = replace(
            meta_, kind=DocKind.OFFICIAL, issuer=opener, doc_type=meta_.doc_type or "Thông báo"
        )
        found = find_agencies(doc, province=meta_.province, issuer=opener, infer=True)
    announcer = _closing_announcer(doc.text, meta_, found.spans)
    if announcer:  # "Văn phòng Chính phủ thông báo để các cơ quan ... biết, thực hiện./."
        central = is_central_name(announcer)
        meta_ = replace(
            meta_,
            issuer=announcer,
            province=None if central and inferred else meta_.province,
        )
        found = find_agencies(doc, province=meta_.province, issuer=announcer, infer=not central)
    lower = _lower_header_body(doc.text, meta_, found.spans)
    if lower is not None:
        meta_ = replace(meta_, issuer=lower)
    refs = find_legal_refs(doc, own_number=meta_.number_symbol)
    deadlines = find_deadlines(doc, doc_date=meta_.issue_date)
    recurrences = find_recurrences(doc)
    blanked = _elisions_blank(doc)
    tasks = find_tasks(
        blanked,
        meta=meta_,
        agency_spans=found.spans,
        legal_refs=refs,
        deadlines=deadlines,
        recurrences=recurrences,
        organization_spans=[
            replace(m, norm=o.name) for o in found.organizations for m in o.mentions
        ],
    )
    if blanked is not doc:  # each task's text as written, its cut marks back
        tasks = [replace(t, text=text[t.start : t.end]) for t in tasks]
    # the candidates the rules read that the trained model does not take for tasks go
    tasks = list(keep_tasks(tasks, text, meta_))
    return ExtractedDocument(
        id=doc.id,
        source=source,
        text=text,
        doc=meta_,
        agencies=found.agencies,
        organizations=found.organizations,
        people=found.people,
        legal_refs=tuple(refs),
        deadlines=tuple(deadlines),
        tasks=tuple(tasks),
        meta=doc.meta,
    )


# An excerpt's cut ("... trước ngày 15-1-2026; [...]", "Theo đó, [...] Chủ tịch UBND tỉnh
# yêu cầu ..."): where a news passage or a long plan was shortened.
_ELISION = re.compile(r"\[(?:\.\.\.|…)\](?=[ \t]*[^\s])")


def _elisions_blank(doc: Document) -> Document:
    """The document with its cut marks inside a line read as spaces, for the task rules:
    the sentence around a cut reads on ("Chủ tịch UBND các xã, phường [...] quyết tâm
    hoàn thành ..." is the committees' task; "[...] Các cơ quan rà soát ..." starts with
    its subject). A mark that ends a line stays (the layout reads that line as prose cut
    short, not as a title). Offsets stay those of the text (a mark and its spaces have
    one length).

        >>> doc = Document(id="x", source="s", text="Theo đó, [...] Sở Y tế báo cáo.")
        >>> _elisions_blank(doc).text
        'Theo đó,       Sở Y tế báo cáo.'
    """
    if not _ELISION.search(doc.text):
        return doc
    blank = _ELISION.sub(lambda m: " " * len(m.group()), doc.text)
    return Document(id=doc.id, source=doc.source, text=blank, meta=doc.meta)


# A minister's signature block: "KT. BỘ TRƯỞNG" / "TL. BỘ TRƯỞNG", or the title alone.
_MINISTER_SIGNS = re.compile(
    r"^[ \t*]*(?:(?:KT|TL|TUQ|Q)\.?[ \t]+)?BỘ[ \t]+TRƯỞNG[ \t*]*$", re.MULTILINE
)
# The list of recipients that opens the signature's part of a letter.
_RECIPIENTS_LINE = re.compile(r"^[ \t*]*Nơi[ \t]+nhận[ \t*]*:", re.MULTILINE)


def _signature_part(text: str) -> tuple[int, int]:
    """Where a letter's signature lies: from its last "Nơi nhận" list (an appendix may
    follow), else its last 2,000 characters."""
    found = [m.start() for m in _RECIPIENTS_LINE.finditer(text)]
    if found:
        return found[-1], min(len(text), found[-1] + 2000)
    return max(0, len(text) - 2000), len(text)


def _ministry_signing(text: str, meta: DocMeta, agencies: Sequence[Agency]) -> str | None:
    """The ministry a header-less letter comes from: signed for its minister
    ("KT. BỘ TRƯỞNG" / "THỨ TRƯỞNG"), it names its own ministry most often.
    None when the header named an issuer or no minister signed."""
    if meta.issuer is not None:
        return None
    start, end = _signature_part(text)
    if not _MINISTER_SIGNS.search(text, start, end):
        return None
    counts = [(len(a.mentions), -i, a.name) for i, a in enumerate(agencies) if a.kind == "Bộ"]
    return max(counts)[2] if counts else None


# "TM. ỦY BAN NHÂN DÂN" (a province's, in its own copy) or "TM. ỦY BAN NHÂN DÂN XÃ TÂN LẬP".
# (A line may wrap inside the name, markdown emphasis around it: "**TM. ỦY BAN NHÂN" / "DÂN**".)
_COMMITTEE_SIGNS = re.compile(
    r"^[ \t*]*TM\.?[ \t]+(?P<body>ỦY[ \t\n*]+BAN[ \t\n*]+NHÂN[ \t\n*]+DÂN"
    r"|HỘI[ \t\n*]+ĐỒNG[ \t\n*]+NHÂN[ \t\n*]+DÂN)"
    r"(?:[ \t]+(?P<unit>TỈNH|THÀNH[ \t]+PHỐ|XÃ|PHƯỜNG|HUYỆN|QUẬN|THỊ[ \t]+XÃ|ĐẶC[ \t]+KHU)"
    r"(?P<name>(?:[ \t]+[A-ZĐÀ-Ỹ]+)+))?[ \t*]*$",
    re.MULTILINE,
)
# A chairman's signature ("KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH") on a letter whose recipients
# include the People's Council it reports to: the People's Committee's chairman.
_CHAIRMAN_SIGNS = re.compile(r"^[ \t*]*(?:KT\.?[ \t]+)?CHỦ[ \t]+TỊCH[ \t*]*$", re.MULTILINE)
_COUNCIL_RECIPIENT = re.compile(
    r"^[ \t*-]*(?:Thường[ \t]+trực[ \t]+)?(?:HĐND|Hội[ \t]+đồng[ \t]+nhân[ \t]+dân)", re.MULTILINE
)


def _committee_signing(text: str, meta: DocMeta) -> str | None:
    """The People's Committee (or Council) a header-less letter is signed for ("TM. ỦY
    BAN NHÂN DÂN" after its "Nơi nhận" list): the one its signature line names, else
    the document's province's. None when the header named an issuer."""
    if meta.issuer is not None:
        return None
    start, end = _signature_part(text)
    m = _COMMITTEE_SIGNS.search(text, start, end)
    if m is None:
        row = gazetteer().province(meta.province) if meta.province else None
        if (
            row is not None
            and _CHAIRMAN_SIGNS.search(text, start, end)
            and _COUNCIL_RECIPIENT.search(text, start, end)
        ):
            return canonical_agency(f"UBND {row.unit}", province=meta.province)
        return None
    body = "UBND" if m["body"].startswith("Ủ") else "HĐND"
    if m["unit"]:
        unit = " ".join(m["unit"].lower().split())
        name = " ".join(w.capitalize() for w in m["name"].split())
        return canonical_agency(f"{body} {unit} {name}", province=meta.province)
    row = gazetteer().province(meta.province) if meta.province else None
    return canonical_agency(f"{body} {row.unit}", province=meta.province) if row else None


# A body announcing: "<body> thông báo ..."; a notice's closing formula: "<body> thông
# báo để các cơ quan, đơn vị liên quan biết, thực hiện./." (a Thông báo kết luận ends so).
_ANNOUNCES_AT_START = re.compile(r"[ \t\n]+thông[ \t\n]+báo(?![\w])")
_ANNOUNCES = re.compile(r"[ \t\n]+thông[ \t\n]+báo[ \t\n]+(?:để|cho|đến)[ \t\n]")


def _closing_announcer(text: str, meta: DocMeta, spans: Sequence[Span]) -> str | None:
    """The body a header-less notice closes on as its sender ("Văn phòng Chính phủ
    thông báo để các cơ quan và địa phương liên quan biết, thực hiện"). None when
    the header named an issuer."""
    if meta.issuer is not None:
        return None
    start, _end = _signature_part(text)
    lo = max(0, start - 1500)
    for s in sorted(spans, key=lambda s: -s.end):
        if s.end > start or s.end < lo:
            continue
        if s.norm and _ANNOUNCES.match(text, s.end) and text[s.start - 1 : s.start] in "\n ":
            return s.norm
    return None


# A notice's title line, its header lost: "THÔNG BÁO về việc ...", "Thông báo: Treo Quốc kỳ ..."
_NOTICE_TITLE = re.compile(r"[ \t*#]*(?:THÔNG[ \t]+BÁO|Thông[ \t]+báo)(?![\w])")
_SENTENCE_START = re.compile(r"(?:^|[.;:][ \t]+|\n[ \t*]*)$")


def _opening_announcer(text: str, meta: DocMeta, spans: Sequence[Span]) -> str | None:
    """The body a notice copied without its header announces itself as, in the
    sentence that opens its content ("Ủy ban nhân dân xã Tam Nông thông báo và yêu
    cầu ..."): only for a text whose first line is a notice's title and whose
    metadata named no issuer."""
    if meta.issuer is not None or not _NOTICE_TITLE.match(text):
        return None
    for s in sorted(spans, key=lambda s: s.start):
        if s.start > 1500:
            break
        if (
            s.norm
            and _ANNOUNCES_AT_START.match(text, s.end)
            and _SENTENCE_START.search(text, max(0, s.start - 3), s.start)
        ):
            return s.norm
    return None


def _letter_type(text: str) -> str | None:
    """A letter with its addressees ("Kính gửi:") and no type line is a Công văn."""
    return "Công văn" if re.search(r"^[ \t*]*Kính[ \t]+gửi", text[:3000], re.MULTILINE) else None


# The line a header block ends on: "Số: ..." (the number under the issuer).
_NUMBER_LINE = re.compile(r"^[ \t]*Số[ \t]*:", re.MULTILINE)
# Bodies that sign under their parent's name in a header.
_SUBORDINATE = re.compile(
    r"^(?:Sở|Tổng\s+cục|Cục|Chi\s+cục|Trung\s+tâm|Ban|Văn\s+phòng|Thanh\s+tra|Vụ|Viện|Bệnh\s+viện"
    r"|Kho\s+bạc|Bảo\s+hiểm|Công\s+an|Bộ\s+Chỉ\s+huy|Thuế)\b"
)


def _lower_header_body(text: str, meta: DocMeta, spans: Sequence[Span]) -> str | None:
    """The body a two-line header names under its parent ("UBND THÀNH PHỐ HÀ NỘI /
    SỞ GIÁO DỤC VÀ ĐÀO TẠO", "BỘ TÀI CHÍNH / TỔNG CỤC THUẾ"): the issuer is
    the lower line, the upper one its parent."""
    m = _NUMBER_LINE.search(text, 0, 1500)
    if m is None:
        return None
    first_line = text.find("\n", 0, m.start())
    head = [s for s in spans if s.end <= m.start() and s.norm and s.norm != meta.issuer]
    lower = [s for s in head if first_line >= 0 and s.start > first_line]
    if not lower or any(s.start <= first_line for s in head) and not meta.issuer:
        return None
    best = max(lower, key=lambda s: s.start)
    if not _SUBORDINATE.match(best.norm or "") or "\n" in text[best.start : best.end].strip():
        return None
    return best.norm
