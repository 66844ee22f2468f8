"""Tasks: who must do what, by when, in an official Vietnamese text.

The finder works in three steps, all linear in the text:

1. **Segment** the body (between the "Kính gửi" block and "Nơi nhận") into
   blocks (paragraphs and list items: "(1)", "1.", "a)", "-", "+", "•") and
   the blocks into sentences (". " + capital, or a line break). Hard-wrapped
   lines that continue in lower case are joined.
2. **Find the owner** of each sentence, first rule that fires wins:
   "Giao X ...", "Đề nghị/Yêu cầu X ...", a subject ("X chủ trì, phối hợp
   với Y ...", "X có trách nhiệm ...", "Theo đó, X được giao ..."), "Bộ X đề
   nghị Y ..." (Y owns), a list-item lead ("- Sở Công Thương: ..."), a bare
   anaphor ("Ban phải ...") resolved to the agency in focus, then, for a
   sentence that opens with an action verb, the owner of the previous
   sentence of the item, of the section header ("X phải thực hiện các nhiệm
   vụ sau:"), or of the last assignment (the agency in focus).
3. **Attach** cooperating partners (named agencies after "phối hợp với"),
   the deadline, recurrence and legal basis that lie inside the sentence.
   A short sentence that only adds a deadline ("Hoàn thành trước ngày
   10/3/2023.") gives its deadline to the task before it.

Cue words live in ``data/task_cues.yaml``; agencies, deadlines, recurrences
and legal references come from the other extractors.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TypeVar

from extractors.agencies import canonical_agency
from extractors.collectives import canonical_collective
from extractors.cues import Cues, task_cues
from extractors.deadlines import resolve
from extractors.gazetteer import gazetteer, local_unit, split_name
from extractors.layout import (
    Block,
    Sentence,
    ancestors,
    body_ranges,
    find_blocks_in,
    find_sentences,
    is_heading,
    items_follow,
)
from extractors.model import (
    Deadline,
    DocKind,
    DocMeta,
    Document,
    LegalRef,
    Recurrence,
    RecurrenceMention,
    Span,
    Task,
)
from extractors.names import find_named_bodies
from extractors.owners import (
    ASSIGNING,
    CLAUSE_START,
    PURPOSE,
    SPACE_RUN,
    WORD,
    Mention,
    MentionIndex,
    Owner,
    find_owner,
    header_subject,
    owner_mentions,
    owner_run,
    past_grounds,
    skip_prefix,
    skip_ws,
    starts_with_action,
)
from extractors.portals import portal_district
from extractors.prefilter import skip_start
from extractors.textnorm import all_caps, fold

# The owner rules of a lead whose items below are its owners' tasks: an assignment, and
# in news one reported ("UBND tỉnh ban hành văn bản yêu cầu các sở, ban, ngành ...:").
_LEADS = ASSIGNING | {"task.owner.reported.v1"}

# Shortest period first: "định kỳ hằng quý, 6 tháng, năm" is quarterly.
_PERIOD_ORDER = {
    Recurrence.DAILY: 0,
    Recurrence.WEEKLY: 1,
    Recurrence.MONTHLY: 2,
    Recurrence.QUARTERLY: 3,
    Recurrence.HALF_YEARLY: 4,
    Recurrence.YEARLY: 5,
}


# Nothing but the asked bodies' own level or place ("giao các sở, ban, ngành thành phố;")
_PLACE_ONLY = re.compile(
    r"\s*(?:(?:tỉnh|[Tt]hành\s+phố|TP\.?|huyện|quận|xã|phường)(?:\s+[A-ZĐ]\w*)*)?\s*"
)
# The owner rules of a body asked by a cue before it ("giao X", "yêu cầu X")
_ASKING = frozenset(
    {"task.owner.requested.v1", "task.owner.reported.v1", "task.owner.assign_cue.v1"}
)


def find_tasks(
    doc: Document,
    *,
    meta: DocMeta,
    agency_spans: Sequence[Span],
    legal_refs: Sequence[LegalRef],
    deadlines: Sequence[Deadline],
    recurrences: Sequence[RecurrenceMention],
    organization_spans: Sequence[Span] = (),
) -> list[Task]:
    """Find the tasks a directive assigns: one per assigning sentence or list item.

    Args:
        doc: the cleaned document.
        meta: its metadata (``province`` qualifies collective owners,
            ``issuer`` is the default ``assigned_by``).
        agency_spans: AGENCY spans, ``norm`` = canonical name with jurisdiction.
        legal_refs, deadlines, recurrences: the other extractors' findings;
            those inside a task sentence are attached to the task.
        organization_spans: ORGANIZATION spans (``norm`` = name); they can be
            cooperating partners ("phối hợp với Hiệp hội mắc ca Việt Nam"),
            never owners.

    Returns:
        Tasks in text order; ``doc.text[t.start:t.end] == t.text``.

    Example:
        >>> from extractors.model import DocMeta, Document, Label, Span
        >>> text = "Giao Sở Tài chính chủ trì, phối hợp với Sở Xây dựng rà soát."
        >>> spans = [Span(5, 17, "Sở Tài chính", Label.AGENCY, "x", "Sở Tài chính tỉnh A"),
        ...          Span(40, 51, "Sở Xây dựng", Label.AGENCY, "x", "Sở Xây dựng tỉnh A")]
        >>> t = find_tasks(Document("d", "s", text), meta=DocMeta(), agency_spans=spans,
        ...                legal_refs=[], deadlines=[], recurrences=[])[0]
        >>> t.owners, t.cooperating, t.action
        (('Sở Tài chính tỉnh A',), ('Sở Xây dựng tỉnh A',), 'rà soát')
    """
    text = doc.text
    if not text.strip():
        return []
    cues = task_cues()
    province = meta.province or doc.get("province")
    # whose groups the text's collectives are: the issuer's, or in a text with no issuer
    # the district its bare "UBND huyện" speaks for ("Phó Chủ tịch UBND huyện yêu cầu các
    # cơ quan, đơn vị ..." in a report headed "HUYỆN THUẬN BẮC ...")
    scope = meta.issuer or implied_scope(text, meta.kind, portal_district(doc.get("url"), province))
    mentions = owner_mentions(doc, agency_spans, province, cues, issuer=scope)
    orgs = [
        Mention(o.start, o.end, (o.norm or o.text,), kind="organization")
        for o in organization_spans
        if not any(m.start < o.end and o.start < m.end for m in mentions)
    ]
    both = sorted([*mentions, *orgs], key=lambda x: (x.start, -x.end))
    # organizations own tasks as bodies do ("PVN tập trung triển khai ...")
    idx = coop_idx = MentionIndex(both)
    ranges = body_ranges(text, cues)
    start, end = ranges[0][0], ranges[-1][1]
    blocks = find_blocks_in(text, ranges)
    sents = find_sentences(text, blocks, cues, news=meta.kind == DocKind.NEWS)
    dls = sorted(deadlines, key=lambda d: d.start)
    recs = sorted(recurrences, key=lambda r: r.start)
    refs = sorted(legal_refs, key=lambda r: r.start)
    # start offsets, to find what lies inside a sentence by bisection: a long
    # list must not cost one scan of every deadline per sentence
    dl_starts = [d.start for d in dls]
    rec_starts = [r.start for r in recs]
    ref_starts = [r.start for r in refs]
    seen_tasks: dict[tuple[object, ...], list[Task]] = {}
    is_news = meta.kind == DocKind.NEWS

    tasks: list[Task] = []
    focus: tuple[str, ...] = ()
    assigner = meta.issuer
    # a section header block -> the owners and partners its items take; no owners:
    # a header that names nobody (its items take their ancestors' owners, or none)
    header_of: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    attrs = _section_attributes(
        text, blocks, idx, coop_idx, cues, dls, dl_starts, province=province, issuer=scope
    )
    non_task = _non_task_parts(text, blocks, cues)
    reading = _TableReading(
        idx,
        coop_idx,
        cues,
        refs,
        ref_starts,
        recs,
        rec_starts,
        province=province,
        issuer=meta.issuer,
        doc_date=meta.issue_date,
        assigner=assigner,
    )
    tables = _table_tasks(text, start, end, reading)
    tables += _line_table_tasks(text, start, end, reading)
    table_spans = [(t0, t1) for t0, t1, _tasks in tables]
    tasks.extend(t for _t0, _t1, ts in tables for t in ts)
    prev_block = -1
    block_owner: tuple[str, ...] = ()
    last_task_index: int | None = None
    last_task_block = -1  # the block of the last task kept
    # the bodies a top-level lead addresses ("Thủ tướng Chính phủ chỉ thị các
    # bộ, ngành, địa phương ...:"): the owners of items in sections that name
    # nobody ("1. Các nhiệm vụ chung")
    addressees: tuple[str, ...] = ()
    # a letter's addressees ("Kính gửi: Giám đốc Sở ... các tỉnh, thành phố"): the
    # owners of what its body asks where a sentence names nobody
    addressed = _recipients(text, start, idx, cues, most=99, province=province, issuer=scope)
    recipients = addressed if len(addressed) <= _FEW_RECIPIENTS else ()
    # the locality a leader's conclusions address ("... tại buổi làm việc với lãnh đạo
    # tỉnh Sơn La"): the owner of what a section asks where a sentence names nobody
    host = _meeting_host(text, start, mentions, doc.folded)
    listed = -1  # a news block whose list of directives a lead announced ("... như:")
    # bodies asked in a clause that ends at ";" before any work ("... giao các sở, ban,
    # ngành; UBND các huyện khẩn trương ..."): owners too of the clause after it
    asked: tuple[tuple[str, ...], int] = ((), -1)
    for si, s in enumerate(sents):
        if any(t0 <= s.start < t1 for t0, t1 in table_spans):
            continue  # a table row: read by _table_tasks
        b = blocks[s.block]
        if s.block != prev_block:
            prev_block = s.block
            block_owner = ()
            if b.children:
                header_of.setdefault(s.block, ((), ()))
        if s.block in attrs.rows and s.block not in attrs.work_rows:
            continue  # "Đơn vị thực hiện: ..." describes its section's tasks
        stext = text[s.start : s.end]
        if is_news and stext.endswith(":") and cues.search("TASK_LIST_LEAD", stext):
            listed = s.block
        sd = _within(dls, dl_starts, s.start, s.end)
        sr = _within(recs, rec_starts, s.start, s.end)

        if all_caps(
            _PAREN_TAIL.sub("", stext) if "(" in stext else stext
        ):  # a heading ("ĐÁNH GIÁ ... (Ban hành kèm theo ...)")
            continue
        if cues.search("BOILERPLATE", stext):
            last_task_index = None
            continue
        colon = stext.endswith(":")
        # "5. Nâng cao hiệu quả công tác tiếp dân ..., cụ thể:" over its own "a) Cơ quan chủ
        # trì: ..." lines: the item is the task, its rows say whose (a short line over rows,
        # "Triển khai, phát triển dữ liệu:", is a heading)
        own_rows = attrs.by_section.get(s.block)  # the attribute lines under this item
        rows_task = (
            colon
            and s.first
            and b.marker is not None
            and own_rows is not None
            and bool(own_rows.owners)
            and len(stext.split()) >= 8
        )
        hdr = cues.search_tail("ASSIGNER_HEADER", stext) if colon and not rows_task else None
        if hdr and not cues.search_tail("OWNER_HEADER", stext):
            # the speaker: the clause right before the cue
            w_end = s.start + hdr.start()
            w_start = s.start
            for cm in CLAUSE_START.finditer(text, s.start, w_end):
                w_start = cm.end()
            # "Phó Thủ tướng ... đã kết luận như sau:": the speaker, without the auxiliary
            who = _AUXILIARY_TAIL.sub("", text[w_start:w_end].strip())
            ms = idx.inside(w_start, w_end)
            if ms and ms[-1].end >= w_end - 1:
                assigner = ms[-1].norms[0]
            elif re.match(r"(?:Phó\s+)?(?:Thủ\s+tướng|Chủ\s+tịch|Bộ\s+trưởng)", who):
                assigner = SPACE_RUN.sub(" ", who)
            continue

        # "1. Sở Y tế" / "- Sở Y tế:" / "6. Các bệnh viện ... trực thuộc" alone:
        # the items below belong to it
        whole = s.end >= b.end - 1 or not text[s.end : b.end].strip(" \t\n*")
        # a long sentence closed by a full stop is the item's own work, not a header
        # over the lines below it ("3. Các trường gửi kế hoạch về Sở ... để tổng hợp.")
        statement = stext.endswith(".") and len(stext.split()) > 8
        if s.first and whole and (b.marker or colon or b.children) and not statement:
            norms = _header_owner(text, s, idx, cues, province, scope)
            kinds = dict.fromkeys(norms, "collective")  # a group read from the whole line
            if not norms and b.marker and b.children:
                # "1. Các cơ quan đăng ký đầu tư (Sở Tài chính, Ban quản lý ...):": the members
                members = _members_in_parens(text, s, coop_idx, province)
                parts = (
                    [(n, both_idx_kind(coop_idx, n)) for n in members]
                    if members
                    else _header_parts(text, s, coop_idx, cues, province, scope)
                )
                norms, kinds = tuple(n for n, _k in parts), dict(parts)
            if not norms and (b.children or (colon and items_follow(si, sents, blocks))):
                # "4. Trung tâm Kiểm soát bệnh tật tỉnh:", "1.5. Trách nhiệm của đối
                # tượng thực hiện kiểm kê:": a body or a group nobody listed
                parts = _unknown_header(text, s, cues, province, scope)
                norms, kinds = tuple(n for n, _k in parts), dict(parts)
            if norms and _ABOVE.search(stext):
                # "4. Các Sở Xây dựng nêu trên": the ones the text named above
                above = [n for m in mentions if m.end <= s.start for n in m.norms]
                named = _named_above(norms, above)
                if named != norms:
                    norms = named
                    kinds = {n: both_idx_kind(idx, n) for n in norms}
            if norms:
                for n in norms:
                    for index in (idx, coop_idx):
                        index.kind_of.setdefault(n, kinds.get(n, "collective"))
                header_of[s.block] = (norms, ())
                focus = norms
                last_task_index = None
                continue
            if b.marker and b.children:
                # a section whose header names nobody: its items never take the
                # owner of the section before ("3. Cơ quan chủ trì giải quyết …")
                header_of.setdefault(s.block, ((), ()))
        if s.first and colon and not whole:
            # "Bộ Công an: (1) Tiếp tục ...; (2) Tham mưu ...": the numbered clauses
            # after the name are that body's tasks
            lead = _header_owner(text, s, idx, cues, province, scope)
            if lead:
                block_owner = lead
                if b.children:
                    # "1. Chủ tịch UBND các tỉnh ..., trong đó trọng tâm là các tỉnh:\nĐắk
                    # Lắk, Khánh Hòa:" then "a) ...": the items below are theirs too
                    header_of[s.block] = (lead, ())
                    focus = lead
                last_task_index = None
                continue
        own = find_owner(text, s, b, idx, cues, sd, sr, mentions, focus, news=is_news)
        # the clause right before this one, in its block, asked bodies and stopped
        follows = bool(asked[0]) and asked[1] == si - 1 and sents[si - 1].block == s.block
        if follows and own is None and text.startswith(";", s.end):
            # "...; Sở Nông nghiệp và Môi trường; ...": one more body asked, named alone
            more, rend, _g = owner_run(text, s.start, s.end, idx, cues)
            if more and _PLACE_ONLY.fullmatch(text, rend, s.end) is not None:
                asked = ((*asked[0], *(o for o in more if o not in asked[0])), si)
                continue
        chained = False
        if follows and own is not None and own.explicit and own.owners:
            rest = (o for o in own.owners if o not in asked[0])
            own = replace(own, owners=(*asked[0], *rest))
            chained = True
        if (
            own is not None
            and own.explicit
            and own.owners
            and (chained or own.rule_id in _ASKING)
            and text.startswith(";", s.end)
            and _PLACE_ONLY.fullmatch(text, own.pred, s.end) is not None
        ):
            # "yêu cầu Sở Tài chính; Sở Nông nghiệp và Môi trường; Trung tâm ... phối hợp"
            asked = (own.owners, si)
            continue
        assigns = (
            own is not None and own.explicit and own.rule_id in (_LEADS if is_news else ASSIGNING)
        )
        items = colon and assigns and items_follow(si, sents, blocks)
        is_header = (
            colon and not rows_task and cues.search_tail("OWNER_HEADER", stext) is not None
        )
        if is_header and not items:
            h_owners = own.owners if own else header_subject(text, s, idx, cues, mentions)
            if h_owners:
                header_of[s.block] = (h_owners, ())
                focus = h_owners
            last_task_index = None
            continue
        if items and own is not None:
            # "... giao Bộ X chủ trì, phối hợp với các Bộ: Y, Z ...:" then "1. ...":
            # the items are X's tasks, with Y and Z as partners
            coop_h, coop_end = _cooperating(text, s, own, coop_idx, cues)
            header_of[s.block] = (own.owners, coop_h)
            focus = own.owners
            if not addressees and not b.marker and b.level <= 1:
                addressees = own.owners
            last_task_index = None
            if not _substantive_lead(text, max(own.pred, coop_end), s.end):
                continue
            # "... yêu cầu X triển khai lập kế hoạch ..., với các nội dung sau:":
            # a task of its own, and the header of the items below
        if stext.endswith("?"):
            continue
        if colon and not assigns and not rows_task:
            continue
        if is_heading(text, s, si, sents, blocks) and not _over_attributes(blocks, s, attrs):
            continue
        if (
            cues.match("NON_TASK_START", text, s.start, s.end)
            and (own is None or not own.explicit)
            and past_grounds(text, s.start, s.end, cues) is None
        ):
            continue  # "Căn cứ Nghị định số ...": grounds, unless a verb follows them
        if (
            b.marker is None
            and cues.match("GROUNDS_START", text, s.start, s.end)
            and (
                own is None
                or own.rule_id not in ("task.owner.assign_cue.v1", "task.owner.requested.v1")
            )
        ):
            continue  # "Thực hiện Quyết định số ..., ...": the grounds, not a task

        pre = skip_prefix(text, s.start, s.end, cues, sd, sr)
        header_coop: tuple[str, ...] = ()
        delivery = own is None and not sd and last_task_index is not None
        if delivery and cues.search("DELIVERY", stext):
            continue  # how to send the result of the task before ("Gửi kèm file vào hòm thư: ...")
        section = _section_owner(blocks, s.block, header_of)
        attr = attrs.of(blocks, s.block)
        if attr is not None and attr.work and s.block not in attrs.work_rows:
            label = cues.search_at("CONNECTOR", text, s.start, s.end)
            if label is not None and label[0].data.get("content"):
                continue  # "Nội dung: ..." where the owners' line says the work itself
        if own is None and addressed:
            # "Bộ Tài chính đề nghị Quý Ủy ban chỉ đạo ...", "Sở đề nghị Công ty khẩn
            # trương ..." in a letter to one company: the letter's addressees
            hon = _HONORIFIC.search(text, s.start, s.end) or _bare_addressee(text, s, addressed)
            if hon is not None:
                own = Owner(addressed, skip_ws(text, hon.end(), s.end), "task.owner.honorific.v1")
        elif own is not None and addressed and all(o.startswith("Quý ") for o in own.owners):
            own = replace(own, owners=addressed)  # "Quý cơ quan": the addressees
        if own is None:
            own = _directed_owner(text, s, pre, idx, cues)
        if own is None and not is_news:
            own = _passive_owner(text, s, pre, idx, cues)
        if own is None:
            verb = starts_with_action(text, pre, s.end, cues)
            if verb is not None:
                inherited = block_owner or (attr.owners if attr else ()) or section[0]
                rule = "task.owner.inherited.v1"
                if not inherited and (section[2] is None or is_news):
                    inherited = focus  # outside any section (or in news): the agency in focus
                elif (
                    not inherited
                    and addressees
                    and not (section[2] is not None and non_task.get(section[2], False))
                ):
                    inherited = addressees  # a topic section of a directive to these bodies
                    rule = "task.owner.addressee.v1"
                if attr and attr.owners and not block_owner:
                    rule = "task.owner.section_attribute.v1"
                if inherited and (block_owner or section[2] is not None or is_news or focus):
                    own = Owner(inherited, verb, rule, explicit=False)
                    if not block_owner:
                        header_coop = (attr.cooperating if attr else ()) or section[1]
                elif is_news and listed == s.block:
                    # "... triển khai một số nhiệm vụ trọng tâm như: Kiện toàn ...; phân
                    # công ...": the list's directives, their owner unknown
                    own = Owner((), verb, "task.owner.unknown.v1", explicit=False)
                elif (
                    section[2] is not None
                    and not non_task.get(section[2], False)
                    and meta.kind != DocKind.NEWS
                ):
                    # a directive in a section that names nobody: the letter's
                    # addressees, else kept with its owner unknown
                    if recipients:
                        own = Owner(recipients, verb, "task.owner.recipient.v1", explicit=False)
                    elif host:
                        own = Owner((host,), verb, "task.owner.meeting_host.v1", explicit=False)
                    else:
                        own = Owner((), verb, "task.owner.unknown.v1", explicit=False)
            # a deadline-only sentence completes the task before it (not an item of
            # the same list as that task's: "b) Gửi báo cáo về Bộ Nội vụ trước ngày 15
            # tháng 12 hằng năm." is a task of its own)
            if (
                sd
                and last_task_index is not None
                and tasks[last_task_index].deadline_text is None
                and not _sibling_item(blocks, s, last_task_block)
                and (
                    _deadline_only(text, s, sd, idx, cues)
                    or cues.match("DEADLINE_FOLLOWUP", text, pre, s.end) is not None
                )
            ):
                tasks[last_task_index] = _with_deadline(tasks[last_task_index], sd)
                continue
            closing = _closing_deadline(text, s, sd) if own is None else None
            if (
                closing is not None
                and last_task_index is not None
                and tasks[last_task_index].deadline_text is None
                and tasks[last_task_index].start >= b.start
            ):
                # "a) Khẩn trương rà soát ... . Đối với các giải pháp khác phải ..., hoàn
                # thành dứt điểm trước ngày 14 tháng 10 năm 2025;": the item's deadline,
                # for each of its tasks that has none
                for ti in range(len(tasks) - 1, -1, -1):
                    if tasks[ti].start < b.start:
                        break
                    if tasks[ti].deadline_text is None and not tasks[ti].recurring:
                        tasks[ti] = _with_deadline(tasks[ti], [closing])
                continue
        if own is None or (not own.owners and own.rule_id != "task.owner.unknown.v1"):
            continue
        if (
            not own.explicit
            and sd
            and last_task_index is not None
            and tasks[last_task_index].deadline_text is None
            and not _sibling_item(blocks, s, last_task_block)
            and _deadline_only(text, s, sd, idx, cues)
        ):
            tasks[last_task_index] = _with_deadline(tasks[last_task_index], sd)
            continue

        if addressed and own.owners:
            if (
                len(own.owners) == 1
                and len(addressed) > 1
                and _GENERIC_GROUP.match(own.owners[0])
                and _ADDRESS_WORD.search(own.owners[0])
            ):
                # "đề nghị các Bộ, cơ quan gửi ý kiến ...", "các đơn vị triển khai ...": the
                # bodies the letter is addressed to
                owners = addressed
            else:
                owners = tuple(_as_addressed(o, addressed) for o in own.owners)
            if owners != own.owners:
                own = replace(own, owners=owners)
        task = attach_task(
            text,
            s,
            own,
            coop_idx,
            cues,
            deadlines=sd,
            recurrences=sr,
            refs=_within(refs, ref_starts, s.start, s.end),
            all_refs=refs,
            pre=pre,
            attr=attr,
            header_coop=header_coop,
            assigner=assigner,
            idx=idx,
        )
        if task.deadline_text is None and own_rows is not None and own_rows.deadline is not None:
            # "1. Bộ Tài chính chủ trì rà soát ..." over its own "Thời hạn hoàn thành: trước
            # ngày 30/11/2025": the item's time limit, whoever it names
            task = _with_deadline(task, [own_rows.deadline])
        if task.deadline_text is None and (when := _TIMELINE_LABEL.match(text, s.start, s.end)):
            # "- Tháng 7/2026: Báo cáo kết quả ...": a timeline line's month or quarter
            phrase = when.group("when")
            task = replace(
                task,
                deadline=resolve(phrase, doc_date=meta.issue_date),
                deadline_text=phrase,
                deadline_start=when.start("when"),
                deadline_end=when.end("when"),
            )
        action = task.action
        if (
            action
            and own.owners
            and _BARE_ACTION.fullmatch(action)
            and any(set(t.owners) == set(task.owners) for t in tasks)
        ):
            continue  # "..., yêu cầu Giám đốc Sở X triển khai thực hiện." repeats X's task
        if own.explicit and stext.endswith(":") and cues.match("PLAN_INTRO", text, s.start, s.end):
            # "Ban Thường trực ... xây dựng kế hoạch ... như sau:": the plan's own opening
            block_owner = focus = own.owners
            continue
        same_kind = seen_tasks.setdefault(_dup_key(task), [])
        if _duplicate(task, same_kind):
            continue
        same_kind.append(task)
        tasks.append(task)
        last_task_index = len(tasks) - 1
        last_task_block = s.block
        if own.owners:
            block_owner = own.owners
            focus = own.owners
            if b.children and not header_of.get(s.block, ((), ()))[0]:
                # "Sở X chủ trì ... . Trong đó:"
                header_of[s.block] = (own.owners, task.cooperating)
    if tables:
        tasks.sort(key=lambda t: (t.start, t.end))
    tasks = _named_provinces(tasks, idx, start)
    if is_news and (not province or gazetteer().province(province) is None):
        # no province, or several ("Thanh Hóa; Hà Tĩnh" in a round-up's sidecar)
        tasks = _news_places(tasks, text)
    return tasks if province else _sole_province(tasks, mentions)


def attach_task(
    text: str,
    s: Sentence,
    own: Owner,
    coop_idx: MentionIndex,
    cues: Cues,
    *,
    deadlines: Sequence[Deadline],
    recurrences: Sequence[RecurrenceMention],
    refs: Sequence[LegalRef],
    all_refs: Sequence[LegalRef],
    pre: int,
    attr: _Attr | None,
    header_coop: tuple[str, ...],
    assigner: str | None,
    idx: MentionIndex,
) -> Task:
    """The third step: a sentence and its owner (the first two steps) made a task,
    with its partners, deadline, recurrence, legal basis and action attached.

    ``deadlines``, ``recurrences`` and ``refs`` are those inside the sentence;
    ``attr`` the section's attributes (a deadline for owners the sentence does not
    name), ``header_coop`` the partners of the header the sentence inherits from."""
    coop = _cooperating(text, s, own, coop_idx, cues)
    if not coop[0] and header_coop:
        coop = (tuple(n for n in header_coop if n not in own.owners), coop[1])
    task_sd = deadlines
    if own.rule_id == "task.owner.requested.v1" and own.at > pre and PURPOSE.match(text, pre):
        # "Để hoàn thiện dự thảo, trình ... trong quý III, Bộ X đề nghị Y ...":
        # a deadline in X's purpose clause is X's, not Y's
        task_sd = [d for d in deadlines if not pre <= d.start < own.at]
    deadline = _pick_deadline(task_sd, all_refs)
    if deadline is None and attr is not None and not own.explicit:
        deadline = attr.deadline
    sr = recurrences
    rec = min(sr, key=lambda r: _PERIOD_ORDER.get(r.value, 9)) if sr else None
    basis: list[str] = []
    for r in refs:
        if r.canonical not in basis:
            basis.append(r.canonical)
    in_text = deadline is not None and s.start <= deadline.start < s.end
    action = _action(text, own.pred, s.end, coop[1], deadline if in_text else None)
    if own.rule_id in _OWNER_RULE_KINDS:
        for index in (idx, coop_idx):
            index.kind_of.setdefault(own.owners[0], _OWNER_RULE_KINDS[own.rule_id])
    return Task(
        owners=own.owners,
        cooperating=coop[0],
        text=text[s.start : s.end],
        start=s.start,
        end=s.end,
        action=action,
        deadline=deadline.date if deadline else None,
        deadline_text=deadline.text if deadline else None,
        deadline_start=deadline.start if deadline else None,
        deadline_end=deadline.end if deadline else None,
        recurring=rec.value if rec else None,
        legal_basis=tuple(basis),
        assigned_by=own.assigned_by or assigner,
        rule_id=own.rule_id,
        owner_kinds=tuple(both_idx_kind(coop_idx, n) for n in own.owners),
        confidence=_CONFIDENCE.get(own.rule_id, 0.6),
        flags=("owner_unknown",) if not own.owners else (),
    )


# A timeline line of a plan opened by its month or quarter: "- Tháng 7/2026: ...".
_TIMELINE_LABEL = re.compile(
    r"[ \t]*(?:[-+•*][ \t]*)?(?P<when>(?:Tháng|THÁNG)[ \t]+\d{1,2}(?:/\d{4}|[ \t]+năm[ \t]+\d{4})"
    r"|(?:Quý|QUÝ)[ \t]+(?:IV|III|II|I|[1-4])(?:/\d{4}|[ \t]+năm[ \t]+\d{4}))[ \t]*:"
)
_AUXILIARY_TAIL = re.compile(r"(?:\s+(?:đã|cũng|vừa|có|đều|thì))+$")
_ALL_PROVINCES = "UBND các tỉnh, thành phố trực thuộc Trung ương"


def _named_provinces(tasks: list[Task], idx: MentionIndex, body_start: int) -> list[Task]:
    """A letter or cable addressed to named provinces ("Chủ tịch Ủy ban nhân dân
    các tỉnh, thành phố: Hà Tĩnh, Quảng Trị, Huế ...") asks those when its body
    says "Ủy ban nhân dân các tỉnh, thành phố": the group is the list."""
    listed: list[str] = []
    for m in idx.inside(0, body_start):
        for n in m.norms:
            if (
                n.startswith(("UBND tỉnh ", "UBND thành phố ", "UBND Thành phố "))
                and n not in listed
            ):
                listed.append(n)
    if len(listed) < 2 or not any(_ALL_PROVINCES in t.owners for t in tasks):
        return tasks
    out = []
    for t in tasks:
        if _ALL_PROVINCES in t.owners:
            owners = tuple(x for o in t.owners for x in (listed if o == _ALL_PROVINCES else [o]))
            kinds = tuple(
                k
                for o, k in zip(t.owners, t.owner_kinds, strict=False)
                for k in (["agency"] * len(listed) if o == _ALL_PROVINCES else [k])
            )
            t = replace(t, owners=owners, owner_kinds=kinds)
        out.append(t)
    return out


def _news_places(tasks: list[Task], text: str) -> list[Task]:
    """A news round-up on several provinces ("Tại Hà Tĩnh, Sở GD&ĐT yêu cầu các trường
    ...", "Đà Nẵng đã đề nghị các địa phương ..."): a group asked with no place of its own
    is of the province its sentence names, else of the one named last before it on its
    line (canonical_collective leaves the country's groups, "các bộ, ngành", as they are)."""
    out = []
    for t in tasks:
        groups = [
            i
            for i, (o, k) in enumerate(zip(t.owners, t.owner_kinds, strict=False))
            if k == "collective" and not _PLACED.search(o)
        ]
        place = _place_named(text, t.start, t.end) if groups else None
        if place is not None:
            owners = list(t.owners)
            for i in groups:
                owners[i] = canonical_collective(_GROUND.sub("", owners[i]), province=place)
            t = replace(t, owners=tuple(owners))
        out.append(t)
    return out


# A group with a place of its own.
_PLACED = re.compile(r"(?:tỉnh|[Tt]hành phố|huyện|quận|xã|phường|đặc khu) [A-ZĐ]|[Tt]rung ương")
_GROUND = re.compile(r"\s+trên\s+địa\s+bàn$")  # "các trường ... trên địa bàn" of that province


def _place_named(text: str, start: int, end: int) -> str | None:
    """The province the sentence names first, else the one named last before it on its
    line (a news paragraph), by its capitalised name."""
    here = _provinces_in(text, start, end)
    if here:
        return here[0]
    before = _provinces_in(text, text.rfind("\n", 0, start) + 1, start)
    return before[-1] if before else None


def _provinces_in(text: str, start: int, end: int) -> list[str]:
    g = gazetteer()
    found = []
    for m in _CAPITALISED_RUN.finditer(text, start, end):
        words = m.group().split()
        i = 0
        while i < len(words):
            for n in range(min(4, len(words) - i), 0, -1):
                row = g.province(" ".join(words[i : i + n])) if n > 1 or i else None
                if row is not None:
                    found.append(row.name)
                    i += n - 1
                    break
            i += 1
    return found


_CAPITALISED_RUN = re.compile(r"[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:[ \t]+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)+")


# A local body written without its place: "Thường trực Tỉnh ủy", "UBND tỉnh".
_BARE_LOCAL = re.compile(r"(?:\bTỉnh\s+ủy|\btỉnh|\bTỉnh)$")


def _sole_province(tasks: list[Task], mentions: Sequence[Mention]) -> list[Task]:
    """In a document with no province of its own (a Government notice on its
    work in one province) whose local bodies all belong to one province, an
    owner named without its place is that province's: "Đề nghị Thường trực
    Tỉnh ủy ..." after "làm việc với Thường trực Tỉnh ủy Thanh Hóa"."""
    if not any(_BARE_LOCAL.search(o) for t in tasks for o in t.owners):
        return tasks
    places = set()
    for m in mentions:
        for n in m.norms:
            parts = split_name(n)
            if parts is not None and parts.place is not None and parts.place.province.id != "?":
                places.add(parts.place.province.name)
    if len(places) != 1:
        return tasks
    (place,) = places
    out = []
    for t in tasks:
        if any(_BARE_LOCAL.search(o) for o in t.owners):
            t = replace(
                t, owners=tuple(f"{o} {place}" if _BARE_LOCAL.search(o) else o for o in t.owners)
            )
        out.append(t)
    return out


# A task table's header: a task column and an owner column ("Cơ quan chủ trì").
_TASK_COL = re.compile(
    r"(?:nhiệm\s+vụ|nội\s+dung|hoạt\s+động|công\s+việc|giải\s+pháp)", re.IGNORECASE
)
_LEAD_COL = re.compile(
    r"(?:chủ\s+trì|đơn\s+vị\s+thực\s+hiện|cơ\s+quan\s+thực\s+hiện|trách\s+nhiệm|đơn\s+vị\s+thực)",
    re.IGNORECASE,
)
_COOP_COL = re.compile(r"phối\s+hợp", re.IGNORECASE)
_TIME_COL = re.compile(
    r"(?:thời\s+gian|thời\s+hạn|giai\s+đoạn|tiến\s+độ|hoàn\s+thành)", re.IGNORECASE
)
_CELL_SEP = re.compile(r"[ \t]*\|[ \t]*")
_OWNER_ITEM = re.compile(r"(?:^|\s)[-+•][ \t]+|;[ \t]*")


def _cells(text: str, ls: int, le: int) -> list[tuple[int, int]]:
    """The cells of a table row written "a | b | c", with offsets, trimmed."""
    out = []
    pos = ls
    for m in _CELL_SEP.finditer(text, ls, le):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, le))
    return [(a, b) for a, b in out]


def _table_tasks(
    text: str, start: int, end: int, ctx: _TableReading
) -> list[tuple[int, int, list[Task]]]:
    """Task tables (Phụ lục: TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp |
    Thời gian ...): one task per row that has a task and an owner, its text the
    task cell; a row that only adds owners ("|  | Các bộ | ...") gives the task
    above to them too. Returns (table start, table end, tasks) per table."""
    if " | " not in text[start:end]:
        return []
    lines = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        lines.append((pos, stop))
        pos = stop + 1
    out: list[tuple[int, int, list[Task]]] = []
    i = 0
    while i < len(lines):
        ls, le = lines[i]
        if "|" not in text[ls:le]:
            i += 1
            continue
        cells = _cells(text, ls, le)
        heads = [text[a:b] for a, b in cells]
        col_task = next((k for k, h in enumerate(heads) if _TASK_COL.search(h)), None)
        col_lead = next(
            (k for k, h in enumerate(heads) if _LEAD_COL.search(h) and not _COOP_COL.search(h)),
            None,
        )
        if col_task is None or col_lead is None or col_task == col_lead:
            i += 1
            continue
        col_coop = next((k for k, h in enumerate(heads) if _COOP_COL.search(h)), None)
        col_time = next((k for k, h in enumerate(heads) if _TIME_COL.search(h)), None)
        found: list[Task] = []
        prev: tuple[int, int] | None = None
        j = i + 1
        while j < len(lines) and "|" in text[lines[j][0] : lines[j][1]]:
            row = _cells(text, *lines[j])
            j += 1
            if len(row) <= col_lead:
                prev = None
                continue  # a group heading ("1 | NÂNG CAO NHẬN THỨC ...")
            t0, t1 = row[col_task]
            if t1 <= t0:
                if prev is None:
                    continue
                t0, t1 = prev  # "|  | - Các bộ ...": the task above, other owners
            owners = _cell_owners(text, *row[col_lead], ctx.idx, ctx.cues, ctx.province, ctx.issuer)
            if not owners:
                continue
            coop: tuple[str, ...] = ()
            if col_coop is not None and col_coop < len(row):
                coop = tuple(
                    n
                    for n in _cell_owners(
                        text, *row[col_coop], ctx.coop_idx, ctx.cues, ctx.province, ctx.issuer
                    )
                    if n not in owners
                )
            deadline = None
            if col_time is not None and col_time < len(row):
                c0, c1 = row[col_time]
                if c1 > c0:
                    date = resolve(text[c0:c1], doc_date=ctx.doc_date)
                    if date is not None:
                        deadline = Deadline(text[c0:c1], c0, c1, date, "deadline.table_cell.v1")
            found.append(
                _row_task(text, t0, t1, owners, coop, deadline, ctx.coop_idx, assigner=ctx.assigner)
            )
            prev = (t0, t1)
        out.append((ls, lines[j - 1][1], found))
        i = j
    return out


# A table copied from a PDF one cell line after another: "TT" alone on its line, the
# column names on the lines after it, then each row: its number alone, then its cells.
_LINE_TABLE_HEAD = re.compile(r"^[ \t]*(?:STT|TT|Stt|Số\s+TT)[ \t]*$", re.MULTILINE)
_ROW_NUMBER = re.compile(r"[ \t]*(\d{1,3})\.?[ \t]*")
_ROW_INLINE = re.compile(r"[ \t]*(\d{1,3})\.?[ \t]+(?=[A-ZĐÀ-Ỹ])")
_GROUP_ROW = re.compile(r"[ \t]*(?:[IVXLC]{1,6}|[A-ZĐ])[.)]?(?:[ \t]+\S|[ \t]*$)")
_CELL_GAP = re.compile(r"[ \t]{2,}")
# a line ending with one of these words runs on into the next, even when that starts
# with a capital ("Các bộ ở / Trung ương")
_RUNS_ON = re.compile(
    r"(?:[,;(\-–]|(?<![\w])(?:ở|của|các|và|với|cho|về|tại|thuộc|những|trong|theo|đến|từ|số"
    r"|tháng|quý|năm|ngày|đoạn))$",
    re.IGNORECASE,
)
_LONG_LINE = 70  # a cell's line is short; a longer one is a footnote or the text again


@dataclass(frozen=True, slots=True)
class _TableReading:
    """What reading a document's task tables needs besides the text: its mentions,
    its references and recurrences (sorted, with their starts) and its metadata."""

    idx: MentionIndex
    coop_idx: MentionIndex
    cues: Cues
    refs: Sequence[LegalRef]
    ref_starts: Sequence[int]
    recs: Sequence[RecurrenceMention]
    rec_starts: Sequence[int]
    province: str | None
    issuer: str | None
    doc_date: str | None
    assigner: str | None


def _line_table_tasks(
    text: str, start: int, end: int, ctx: _TableReading
) -> list[tuple[int, int, list[Task]]]:
    """Task tables copied one cell per line (a Phụ lục read from a PDF): "TT", the
    column names ("Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian
    hoàn thành"), then per row its number alone on a line and its cells, a cell's
    wrapped lines joined where a line runs on (lower case, or after a comma or a
    function word). A row gives one task: its text the task cell, its owners the
    lead cell, its partners the next cell naming bodies, its deadline the first cell
    after them that reads as a date; the references in the row are its legal basis."""
    # every head holds "TT" or "Stt": a stretch with neither has no table
    heads = (
        [m for m in _LINE_TABLE_HEAD.finditer(text, start, end)]
        if (text.find("TT", start, end) >= 0 or text.find("Stt", start, end) >= 0)
        else []
    )
    if not heads:
        return []
    lines: list[tuple[int, int]] = []
    pos = heads[0].start()
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        lines.append((pos, stop))
        pos = stop + 1
    out: list[tuple[int, int, list[Task]]] = []
    k = 0
    while k < len(lines):
        ls, le = lines[k]
        if not _LINE_TABLE_HEAD.fullmatch(text, ls, le):
            k += 1
            continue
        cols, body = _line_table_columns(text, lines, k + 1)
        if cols is None:
            k += 1
            continue
        t_start, k = ls, body
        found: list[Task] = []
        last_row = 0
        last_end = le
        while k < len(lines):
            ls, le = lines[k]
            line = text[ls:le]
            if not line.strip():
                k += 1
                continue
            if _LINE_TABLE_HEAD.fullmatch(text, ls, le):
                cols2, body2 = _line_table_columns(text, lines, k + 1)
                if cols2 is not None:  # the header again, on a new page
                    k = body2
                    continue
            num = _ROW_NUMBER.fullmatch(text, ls, le)
            inline = None if num else _ROW_INLINE.match(text, ls, le)
            if inline is not None and len(line) <= _LONG_LINE:
                num = inline  # "7 Đề án về chỉ số ...": the number and the task's first line
            if num is not None and (
                int(num.group(1)) in (last_row + 1, 1) or (last_row == 0 and not found)
            ):
                row, k = _line_row(
                    text,
                    lines,
                    k + 1,
                    first=num.end() if inline else None,
                    following=int(num.group(1)) + 1,
                )
                last_row = int(num.group(1))
                if row:
                    last_end = row[-1][1]
                    task = _line_row_task(text, row, cols, ctx)
                    if task is not None:
                        found.append(task)
                continue
            if _GROUP_ROW.match(text, ls, le) and len(line) <= 200 and not num:
                k += 1  # "I. Đổi mới mạnh mẽ tư duy ...": a group of rows
                continue
            # something else: a footnote or page furniture between rows, or the table's end
            ahead = next(
                (
                    j
                    for j in range(k + 1, min(len(lines), k + 9))
                    if _LINE_TABLE_HEAD.fullmatch(text, *lines[j])
                    or _row_number(text, lines[j]) == last_row + 1
                ),
                None,
            )
            if ahead is None or not found:
                break
            k = ahead
        if found:
            out.append((t_start, last_end, found))
    return out


def _row_number(text: str, line: tuple[int, int]) -> int | None:
    m = _ROW_NUMBER.fullmatch(text, *line)
    return int(m.group(1)) if m else None


def _line_table_columns(
    text: str, lines: Sequence[tuple[int, int]], k: int
) -> tuple[list[str] | None, int]:
    """The kinds of a cell-per-line table's columns after "TT" (task, lead, coop,
    time, other), read from the column names on the lines up to the first row's
    number; (None, k) when they name no task and no lead column."""
    names: list[str] = []
    j = k
    while j < len(lines) and j < k + 16:
        ls, le = lines[j]
        line = text[ls:le].strip()
        if _ROW_NUMBER.fullmatch(line) or (line and _GROUP_ROW.match(line) and len(line) > 12):
            break
        if len(line) > 40:
            return None, k
        if line:
            names.append(line)
        j += 1
    header = " ".join(names)
    found: list[tuple[int, str]] = []
    for kind, rx in (
        ("task", _TASK_COL),
        ("lead", re.compile(r"chủ\s+trì|đơn\s+vị\s+thực\s+hiện|cơ\s+quan\s+thực\s+hiện", re.I)),
        ("coop", _COOP_COL),
        ("time", re.compile(r"thời\s+gian|thời\s+hạn|tiến\s+độ", re.I)),
        ("result", re.compile(r"kết\s+quả|sản\s+phẩm", re.I)),
        ("basis", re.compile(r"căn\s+cứ", re.I)),
    ):
        m = rx.search(header)
        if m is not None:
            found.append((m.start(), kind))
    kinds = [kind for _at, kind in sorted(found)]
    if "task" not in kinds or "lead" not in kinds or kinds.index("task") > kinds.index("lead"):
        return None, k
    return kinds, j


def _line_row(
    text: str,
    lines: Sequence[tuple[int, int]],
    k: int,
    *,
    first: int | None = None,
    following: int = 0,
) -> tuple[list[tuple[int, int]], int]:
    """The cells of one row (offsets), from line ``k`` to the next row, header,
    blank line after its cells, or long line; and the index of the line after it.
    ``first``: where the first cell starts on the number's own line, if it does."""
    cells: list[tuple[int, int]] = []
    prev = ""
    if first is not None:
        cells.append((first, lines[k - 1][1]))
        prev = text[first : lines[k - 1][1]]
    while k < len(lines):
        ls, le = lines[k]
        line = text[ls:le]
        stripped = line.strip()
        if not stripped:
            if cells:
                break
            k += 1
            continue
        if _ROW_NUMBER.fullmatch(line) or _LINE_TABLE_HEAD.fullmatch(line):
            break
        if len(line) > _LONG_LINE:
            break
        nxt = _ROW_INLINE.match(line)
        if nxt is not None and int(nxt.group(1)) == following:
            break  # "7 Đề án về ...": the next row, its number on its first line
        parts = []
        p = ls
        for g in _CELL_GAP.finditer(text, ls, le):
            parts.append((p, g.start()))
            p = g.end()
        parts.append((p, le))
        for a, b in parts:
            while a < b and text[a] in " \t":
                a += 1
            while b > a and text[b - 1] in " \t":
                b -= 1
            if b <= a:
                continue
            head = text[a]
            runs_on = (
                cells
                and a == ls + (len(line) - len(line.lstrip()))
                and (
                    not (head.isupper() or head.isdigit() or head in '“"(')
                    or _RUNS_ON.search(prev) is not None
                )
            )
            if runs_on:
                cells[-1] = (cells[-1][0], b)
            else:
                cells.append((a, b))
            prev = text[a:b]
        k += 1
    return cells, k


def _names_cell(text: str, cell: tuple[int, int], idx: MentionIndex, cues: Cues) -> bool:
    """A cell that is a list of bodies and nothing else ("Bộ Tư pháp", "Các bộ,
    cơ quan ngang bộ"), not a task's wrapped line that starts with one ("Quốc hội
    sửa đổi, bổ sung ...")."""
    a, b = cell
    norms, rend, _g = owner_run(text, a, b, idx, cues, allow_generic=True)
    return bool(norms) and not text[rend:b].strip(" \t\n,.;")


def _line_row_task(
    text: str, row: Sequence[tuple[int, int]], cols: Sequence[str], ctx: _TableReading
) -> Task | None:
    """One row's task: by position when its cells are as many as the columns, else
    anchored on the first cell after the task's that names a body."""

    def names(c: tuple[int, int], index: MentionIndex) -> tuple[str, ...]:
        return _cell_owners(text, c[0], c[1], index, ctx.cues, ctx.province, ctx.issuer)

    task_cell: tuple[int, int]
    coop_names: tuple[str, ...] = ()
    lead = names(row[cols.index("lead")], ctx.idx) if len(row) == len(cols) else ()
    if lead:
        task_cell = row[cols.index("task")]
        if "coop" in cols:
            coop_names = names(row[cols.index("coop")], ctx.coop_idx)
        after = max(cols.index("lead"), cols.index("coop") if "coop" in cols else -1)
        rest = list(row[after + 1 :])
    else:
        at = next(
            (i for i in range(1, len(row)) if _names_cell(text, row[i], ctx.idx, ctx.cues)), None
        )
        if at is None:
            return None
        task_cell = (row[0][0], row[at - 1][1])
        lead = names(row[at], ctx.idx)
        nxt = at + 1
        if "coop" in cols and nxt < len(row):
            coop_names = names(row[nxt], ctx.coop_idx)
            nxt += 1 if coop_names else 0
        rest = list(row[nxt:])
    if not lead:
        return None
    coop = tuple(n for n in coop_names if n not in lead)
    deadline: Deadline | None = None
    recurring = None
    for c0, c1 in rest:
        date = resolve(text[c0:c1], doc_date=ctx.doc_date)
        if recurring is None:
            first = bisect.bisect_left(ctx.rec_starts, c0)
            if first < len(ctx.recs) and ctx.recs[first].start < c1:
                recurring = ctx.recs[first].value
        if date is not None:
            deadline = Deadline(text[c0:c1], c0, c1, date, "deadline.table_cell.v1")
            break
    row_end = row[-1][1]
    basis: list[str] = []
    lo = bisect.bisect_left(ctx.ref_starts, task_cell[0])
    for r in ctx.refs[lo : bisect.bisect_left(ctx.ref_starts, row_end)]:
        if r.canonical not in basis:
            basis.append(r.canonical)
    t0, t1 = task_cell
    return _row_task(
        text,
        t0,
        t1,
        lead,
        coop,
        deadline,
        ctx.coop_idx,
        assigner=ctx.assigner,
        recurring=recurring,
        basis=tuple(basis),
    )


def _row_task(
    text: str,
    t0: int,
    t1: int,
    owners: tuple[str, ...],
    coop: tuple[str, ...],
    deadline: Deadline | None,
    coop_idx: MentionIndex,
    *,
    assigner: str | None,
    recurring: Recurrence | None = None,
    basis: tuple[str, ...] = (),
) -> Task:
    """A task table row's task: its text the task cell (``t0``-``t1``)."""
    return Task(
        owners=owners,
        cooperating=coop,
        text=text[t0:t1],
        start=t0,
        end=t1,
        action=_action(text, t0, t1, -1, None),
        deadline=deadline.date if deadline else None,
        deadline_text=deadline.text if deadline else None,
        deadline_start=deadline.start if deadline else None,
        deadline_end=deadline.end if deadline else None,
        recurring=recurring,
        legal_basis=basis,
        assigned_by=assigner,
        rule_id="task.owner.table.v1",
        owner_kinds=tuple(both_idx_kind(coop_idx, n) for n in owners),
        confidence=_CONFIDENCE["task.owner.table.v1"],
    )


def _cell_owners(
    text: str,
    a: int,
    b: int,
    idx: MentionIndex,
    cues: Cues,
    province: str | None,
    issuer: str | None,
) -> tuple[str, ...]:
    """The bodies a table cell names, item by item ("- Các bộ ... - UBND cấp tỉnh")."""
    norms: list[str] = []
    parts: list[tuple[int, int]] = []
    pos = a
    for m in _OWNER_ITEM.finditer(text, a, b):
        if m.start() > pos:
            parts.append((pos, m.start()))
        pos = m.end()
    parts.append((pos, b))
    for p0, p1 in parts:
        while p0 < p1 and text[p0] in " \t,-+•":
            p0 += 1
        if p1 <= p0:
            continue
        found, _end, _g = owner_run(text, p0, p1, idx, cues, allow_generic=True)
        if not found:
            found = _collective_phrase(text, p0, p1, province=province, issuer=issuer)
            for n in found:
                idx.kind_of.setdefault(n, "collective")
        norms.extend(n for n in found if n not in norms)
    return tuple(norms)


# The kind of the owner some rules name, whatever the mention index says.
_OWNER_RULE_KINDS = {
    "task.owner.person.v1": "person",
    "task.owner.role.v1": "collective",
    "task.owner.role_company.v1": "organization",
}

# How sure each owner rule is (shown to reviewers; their corrections calibrate it).
_CONFIDENCE = {
    "task.owner.assign_cue.v1": 0.9,
    "task.owner.subject.v1": 0.85,
    "task.owner.requested.v1": 0.85,
    "task.owner.lead.v1": 0.85,
    "task.owner.qualified_subject.v1": 0.75,
    "task.owner.reported.v1": 0.75,
    "task.owner.raw.v1": 0.7,
    "task.owner.person.v1": 0.85,
    "task.owner.role.v1": 0.6,
    "task.owner.role_company.v1": 0.6,
    "task.owner.section_attribute.v1": 0.75,
    "task.owner.inherited.v1": 0.7,
    "task.owner.addressee.v1": 0.55,
    "task.owner.anaphor.v1": 0.6,
    "task.owner.topic.v1": 0.7,
    "task.owner.unknown.v1": 0.4,
    "task.owner.table.v1": 0.8,
    "task.owner.recipient.v1": 0.6,
    "task.owner.meeting_host.v1": 0.5,
    "task.owner.passive.v1": 0.7,
    "task.owner.directed.v1": 0.75,
    "task.owner.honorific.v1": 0.8,
}


def both_idx_kind(idx: MentionIndex, norm: str) -> str:
    """The kind of an owner: agency, collective, organization (person later)."""
    return idx.kind_of.get(norm, "agency")


@dataclass(frozen=True, slots=True)
class _Attr:
    owners: tuple[str, ...]
    cooperating: tuple[str, ...]
    deadline: Deadline | None
    # the owners' line says the work itself ("Cơ quan thực hiện: Sở X tiến hành rà
    # soát ...; các sở ... rà soát ..."): its clauses are the tasks, not the content line
    work: bool = False


@dataclass(frozen=True, slots=True)
class _Attributes:
    """ "Đơn vị thực hiện: ..." lines: their blocks, and what each section gets."""

    rows: frozenset[int]
    by_section: dict[int, _Attr]
    work_rows: frozenset[int] = frozenset()

    def of(self, blocks: Sequence[Block], bi: int) -> _Attr | None:
        """The attributes a task takes: those written under it (an item followed by
        its own "Đơn vị chủ trì thực hiện:" line), else its section's."""
        own = self.by_section.get(bi)
        if own is not None:
            return own
        # the nearest section that has some ("1.2." over "a) Nhiệm vụ:" and its items)
        p = blocks[bi].parent
        while p >= 0:
            if p in self.by_section:
                return self.by_section[p]
            p = blocks[p].parent
        return None


def _section_attributes(
    text: str,
    blocks: Sequence[Block],
    idx: MentionIndex,
    coop_idx: MentionIndex,
    cues: Cues,
    dls: Sequence[Deadline],
    dl_starts: Sequence[int],
    *,
    province: str | None = None,
    issuer: str | None = None,
) -> _Attributes:
    rows: set[int] = set()
    work_rows: set[int] = set()
    found: dict[int, dict[str, object]] = {}
    for bi, b in enumerate(blocks):
        lab = _ATTR_HEADER.fullmatch(text, b.start, b.end) if b.children else None
        if lab is not None:
            # "2. Cơ quan chủ trì" with the bodies as items below it ("- Ban Chỉ đạo quốc
            # gia.", "- Bộ Quốc phòng; các Bộ, ngành liên quan."): the section's owners
            field = "cooperating" if lab["coop"] else "owners"
            index = idx if field == "owners" else coop_idx
            listed: list[str] = []
            kids = [ci for ci in range(bi + 1, len(blocks)) if blocks[ci].parent == bi]
            for ci in kids:
                c = blocks[ci]
                pos = c.start
                while pos < c.end:
                    norms, rend, _g = owner_run(text, pos, c.end, index, cues, allow_generic=False)
                    nxt = text.find(";", max(rend, pos), c.end)
                    seg_end = c.end if nxt < 0 else nxt
                    if field == "cooperating" and norms:
                        semi = text.find(";", pos, c.end)
                        item_end = c.end if semi < 0 else semi
                        if re.search(r"\bcác\s+cấp\b", text[pos:item_end]):
                            # "Mặt trận Tổ quốc Việt Nam và Hội Cựu chiến binh các cấp": one
                            # group, every level of both, as written
                            seg_end, nxt = item_end, semi
                            norms = (" ".join(text[pos:seg_end].split()).rstrip(" .;,"),)
                            for ix in (idx, coop_idx):
                                ix.kind_of.setdefault(norms[0], "collective")
                    if not norms:
                        norms = _collective_phrase(
                            text, pos, seg_end, province=province, issuer=issuer
                        )
                        rend = seg_end if norms else rend
                    listed.extend(n for n in norms if n not in listed)
                    if nxt < 0:
                        break
                    pos = skip_ws(text, nxt + 1, c.end)
            if listed:
                rows.update([bi, *kids])
                section = b.parent
                if section >= 0 and _AGENTS_LABEL.fullmatch(
                    text, blocks[section].start, blocks[section].end
                ):
                    # "2. Cơ quan chủ trì, phối hợp" over "a) Cơ quan chủ trì" and
                    # "b) Cơ quan phối hợp": the section that holds them
                    rows.add(section)
                    section = blocks[section].parent
                found.setdefault(section, {}).setdefault(field, tuple(listed))
            continue
        hit = cues.search_at("SECTION_ATTRIBUTE", text, b.start, b.end)
        if hit is None:
            continue
        row, m = hit
        rows.add(bi)
        field = str(row.data.get("field"))
        section = b.parent
        label = blocks[section] if section >= 0 else None
        if label is not None and _AGENTS_LABEL.fullmatch(text, label.start, label.end):
            # "b) Cơ quan thực hiện:" / "- Đơn vị chủ trì: ...": the attributes of the
            # section that holds the label ("1.2. ...", its "a) Nhiệm vụ:" beside it)
            section = blocks[section].parent
        slot = found.setdefault(section, {})
        if field == "deadline":
            # from the line's start: a deadline may hold its label ("Thời gian
            # hoàn thành: Tháng 11 - 12/2025")
            d = _within(dls, dl_starts, b.start, b.end)
            if d and "deadline" not in slot:
                slot["deadline"] = _pick_deadline(d, ())
            continue
        index = idx if field == "owners" else coop_idx
        norms, rend, _g = owner_run(text, m.end(), b.end, index, cues, allow_generic=False)
        if field == "owners" and norms and _says_work(text, rend, b.end, cues):
            work_rows.add(bi)
            slot["work"] = True
        if not norms and field == "owners" and issuer and _OWN_OFFICER.match(text, m.end(), b.end):
            # "Đơn vị chủ trì: Đồng chí Phó Chủ tịch Thường trực, phụ trách ...": an officer
            # of the issuing body, named by post: the body ("Ban Thường trực" left out)
            norms = (_ROLE_PREFIX.sub("", issuer, count=1),)
        if not norms and field == "owners":
            norms = _collective_phrase(text, m.end(), b.end, province=province, issuer=issuer)
            for n in norms:
                for index in (idx, coop_idx):
                    index.kind_of.setdefault(n, "collective")
        if norms:
            slot.setdefault(field, norms)
    by_section = {
        p: _Attr(
            tuple(v.get("owners", ())),  # type: ignore[arg-type]
            tuple(v.get("cooperating", ())),  # type: ignore[arg-type]
            v.get("deadline"),  # type: ignore[arg-type]
            bool(v.get("work")),
        )
        for p, v in found.items()
    }
    return _Attributes(frozenset(rows), by_section, frozenset(work_rows))


# an officer by post alone, no body named after it: "Đồng chí Phó Chủ tịch Thường trực,"
_OWN_OFFICER = re.compile(
    r"[ \t]*(?:Đồng\s+chí\s+|đồng\s+chí\s+)?(?:[Pp]hó\s+)?(?:[Cc]hủ\s+tịch|[Tt]rưởng\s+ban"
    r"|[Bb]í\s+thư|[Gg]iám\s+đốc|[Tt]hủ\s+trưởng|[Cc]hánh\s+[Vv]ăn\s+phòng)"
    r"(?:\s+[Tt]hường\s+trực)?(?=[ \t]*(?:[,;.(]|$|phụ\s+trách|\n))"
)


def _says_work(text: str, pos: int, end: int, cues: Cues) -> bool:
    """After the owners of an attribute line, a verb: the line assigns work."""
    p = skip_ws(text, pos, end)
    role = _ROLE_ONLY.match(text, p, end)
    if role and role.end() >= end - 1:
        return False  # "Sở X chủ trì." names a role only
    return starts_with_action(text, p, end, cues) is not None or bool(
        re.match(r"(?:tiến\s+hành|có\s+trách\s+nhiệm)\s", text[p:end])
    )


# A header that only says who does its section's work, the bodies listed as its items.
_ATTR_HEADER = re.compile(
    r"(?:Cơ\s+quan|Đơn\s+vị)\s+(?:(?P<coop>phối\s+hợp)|chủ\s+trì|thực\s+hiện|chịu\s+trách\s+nhiệm)"
    r"(?:\s+thực\s+hiện)?[ \t]*:?[ \t]*",
    re.IGNORECASE,
)

# A label that only introduces who does a section's work.
_AGENTS_LABEL = re.compile(
    r"(?:Cơ\s+quan|Đơn\s+vị|Tổ\s+chức)\s+(?:thực\s+hiện|chủ\s+trì(?:,\s*phối\s+hợp)?)\s*:?\s*",
    re.IGNORECASE,
)


# The same headers read through their fold, for OCR text that lost marks ("MỤC TIỂU, YEU CAU").
_NON_TASK_FOLDED = re.compile(
    r"(?:muc\s+(?:dich|tieu)|yeu\s+cau|can\s+cu|quan\s+diem|su\s+can\s+thiet|danh\s+gia"
    r"|ket\s+qua|tinh\s+hinh|thuc\s+trang|pham\s+vi|doi\s+tuong|nguyen\s+tac|boi\s+canh"
    r"|chi\s+tieu|dinh\s+huong)(?!\w)"
)


def _non_task_parts(text: str, blocks: Sequence[Block], cues: Cues) -> dict[int, bool]:
    """Header blocks whose part states aims, grounds or results (not work),
    and every header inside them."""
    out: dict[int, bool] = {}
    for bi, b in enumerate(blocks):
        if not b.children:
            continue
        own = cues.match("NON_TASK_PART", text, b.start, b.end) is not None or (
            _NON_TASK_FOLDED.match(fold(text[b.start : min(b.end, b.start + 40)])) is not None
        )
        out[bi] = own or (b.parent >= 0 and out.get(b.parent, False))
    return out


def _section_owner(
    blocks: Sequence[Block],
    bi: int,
    header_of: dict[int, tuple[tuple[str, ...], tuple[str, ...]]],
) -> tuple[tuple[str, ...], tuple[str, ...], int | None]:
    """The owners and partners a block takes from its sections, and the
    innermost section header (None outside every section)."""
    inner: int | None = None
    for a in ancestors(blocks, bi):
        if a not in header_of:
            continue
        if inner is None:
            inner = a
        owners, coop = header_of[a]
        if owners:
            return owners, coop, inner
    return (), (), inner


_PAREN_TAIL = re.compile(r"[ \t]*\([^()]*\)[ \t.]*$")
_KINH_GUI = re.compile(r"^[ \t]*Kính\s+gửi\s*:?[ \t]*", re.MULTILINE)


# A district's People's Committee named without its place, and a district named in full.
_BARE_DISTRICT_UBND = re.compile(
    r"\b(?:UBND|Ủy\s+ban\s+nhân\s+dân)\s+(?P<level>huyện|thị\s+xã|quận)\b(?![ \t]+[A-ZĐ])"
)
_NAMED_DISTRICT = re.compile(
    r"\b(?P<level>huyện|HUYỆN|thị\s+xã|THỊ\s+XÃ|quận|QUẬN)[ \t]+"
    r"(?P<name>[A-ZĐ]\w*(?:[ \t]+[A-ZĐ]\w*){0,2})"
)


# A news headline's commune or ward: "Xã An Nông triển khai ...", "ĐẢNG ỦY PHƯỜNG LÊ
# CHÂN TỔ CHỨC ..." (in capitals a name is taken as its first two words, as most are).
_HEADLINE_LOCAL = re.compile(
    r"(?<![\w])(?P<level>[Xx]ã|XÃ|[Pp]hường|PHƯỜNG|[Đđ]ặc\s+khu|ĐẶC\s+KHU)[ \t]+"
    r"(?P<name>[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:[ \t]+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){0,2})"
)


def headline_commune(text: str) -> str | None:
    """For a news passage: the People's Committee of the one commune, ward or special
    zone its headline (first line) names, whose groups its collectives are ("Các
    cơ quan, đơn vị được yêu cầu ..." under "Xã An Nông triển khai ..."); None when the
    headline names none or several.

    Example:
        >>> headline_commune("Xã An Nông triển khai nhiệm vụ trước Tết\\n\\nCác cơ quan ...")
        'UBND xã An Nông'
        >>> headline_commune("ĐẢNG ỦY PHƯỜNG LÊ CHÂN TỔ CHỨC HỘI NGHỊ\\n...")
        'UBND phường Lê Chân'
    """
    nl = text.find("\n")
    line = text[: nl if 0 <= nl <= 300 else min(len(text), 300)]
    found = {
        (SPACE_RUN.sub(" ", m["level"]).lower(), m["name"]) for m in _HEADLINE_LOCAL.finditer(line)
    }
    if len(found) != 1:
        return None
    level, name = found.pop()
    return f"UBND {level} {_unit_name(name)}"


def _unit_name(written: str) -> str:
    """A local unit's name as a headline wrote it: in capitals, its first two words
    (most names of districts, communes and wards are two words) in title case."""
    name = SPACE_RUN.sub(" ", written)
    return " ".join(name.split()[:2]).title() if name.isupper() else name


def implied_scope(text: str, kind: DocKind, portal: str | None = None) -> str | None:
    """Whose groups a text with no issuer speaks of: the district its bare "UBND
    huyện" speaks for, or a news passage's headline commune or ward."""
    district = implied_district(text, portal)
    if district is None and kind == DocKind.NEWS:
        return headline_commune(text)
    return district


def implied_district(text: str, portal: str | None = None) -> str | None:
    """For a text with no issuer: the People's Committee of the district it names
    most, when it speaks of a bare "UBND huyện" of that level; ``portal``: the
    district the page's address names ("huyện Cái Nước"), for a text that never
    names its own.

    Example:
        >>> implied_district("Chủ tịch UBND huyện giao Phòng Nội vụ ...", "huyện Cái Nước")
        'UBND huyện Cái Nước'
    """
    bare = {SPACE_RUN.sub(" ", m["level"]) for m in _BARE_DISTRICT_UBND.finditer(text, 0, 6000)}
    if not bare:
        return None
    if portal is not None and portal.split(" ")[0] in bare and _NAMED_DISTRICT.search(text) is None:
        return f"UBND {portal}"
    named: dict[tuple[str, str], int] = {}
    for m in _NAMED_DISTRICT.finditer(text, 0, 6000):
        level = SPACE_RUN.sub(" ", m["level"]).lower()
        if level not in bare:
            continue
        name = _unit_name(m["name"])
        named[(level, name)] = named.get((level, name), 0) + 1
    if not named:
        return None
    (level, name), _n = max(named.items(), key=lambda kv: kv[1])
    return f"UBND {level} {name}"


# A request of the addressee by an honorific: "đề nghị Quý Ủy ban", "kính đề nghị Quý Sở".
_HONORIFIC = re.compile(
    r"(?:đề\s+nghị|yêu\s+cầu|mong|kính\s+mời)[ \t\n]+Quý[ \t\n]+(?:Ủy\s+ban|Bộ|Sở|Cục|Ban|Cơ\s+quan"
    r"|cơ\s+quan|Đơn\s+vị|đơn\s+vị|Hiệp\s+hội|Hội|Công\s+ty|Tập\s+đoàn|Tổng\s+công\s+ty|Trường|Viện)"
    r"(?:[ \t]*,[ \t]*(?:cơ\s+quan|đơn\s+vị|địa\s+phương))*(?![\w])",
    re.IGNORECASE,
)
# The addressee named by its kind alone after a request: "đề nghị Công ty khẩn trương ...".
_BARE_KIND = re.compile(
    r"(?:đề\s+nghị|yêu\s+cầu)[ \t\n]+(?P<kind>Công\s+ty|Tổng\s+công\s+ty|Tập\s+đoàn|Hiệp\s+hội"
    r"|Hợp\s+tác\s+xã|Ngân\s+hàng|Trường|Bệnh\s+viện)(?=[ \t\n]+[a-zđà-ỹ])",
)


def _bare_addressee(text: str, s: Sentence, addressed: tuple[str, ...]) -> re.Match[str] | None:
    m = _BARE_KIND.search(text, s.start, s.end)
    if m is None:
        return None
    kind = fold(SPACE_RUN.sub(" ", m["kind"]))
    return m if any(fold(a).startswith(kind) for a in addressed) else None


_DIRECT = re.compile(r"(?:Chỉ\s+đạo|Yêu\s+cầu)[ \t\n]+")


def _directed_owner(
    text: str, s: Sentence, pos: int, idx: MentionIndex, cues: Cues
) -> Owner | None:
    """An item that names whom to direct, then the work after a colon: "Chỉ đạo Sở
    Tài nguyên và Môi trường: Thường xuyên kiểm tra ..." is that department's."""
    m = _DIRECT.match(text, pos, s.end)
    if m is None or not idx.at(m.end()):
        return None
    norms, rend, _g = owner_run(text, m.end(), s.end, idx, cues, allow_generic=False)
    colon = skip_ws(text, rend, s.end)
    if not norms or colon >= s.end or text[colon] != ":":
        return None
    return Owner(norms, skip_ws(text, colon + 1, s.end), "task.owner.directed.v1", explicit=False)


# "Việc rà soát quy hoạch do Sở Xây dựng chủ trì thực hiện": the body after "do" owns it.
# skip_start: searched over every sentence, the engine skips to a "d" (the same matches)
_PASSIVE_BY = skip_start(re.compile(r"(?<![\w])do[ \t\n]+"))
_PASSIVE_ROLE = re.compile(
    r"[ \t\n]*(?:chủ\s+trì|thực\s+hiện|đảm\s+nhiệm|phụ\s+trách|làm\s+đầu\s+mối)(?!\w)"
)
_PAST = skip_start(re.compile(r"(?<![\w])(?:đã|vừa|được|trước\s+đây)\s"))


def _passive_owner(text: str, s: Sentence, pos: int, idx: MentionIndex, cues: Cues) -> Owner | None:
    """The owner of work named as a noun, in the passive: "Việc X do Sở Y chủ trì
    (thực hiện)"; never an account of work done ("Hội nghị do Sở Y chủ trì đã ...")."""
    if _PAST.search(text, s.start, s.end):
        return None
    for m in _PASSIVE_BY.finditer(text, pos, s.end):
        if not idx.at(m.end()):
            continue
        norms, rend, _g = owner_run(text, m.end(), s.end, idx, cues, allow_generic=False)
        if norms and _PASSIVE_ROLE.match(text, rend, s.end):
            return Owner(norms, pos, "task.owner.passive.v1", explicit=False)
    return None


# "làm việc với lãnh đạo tỉnh Sơn La", "LÀM VIỆC VỚI THƯỜNG TRỰC TỈNH ỦY, LÃNH ĐẠO UBND
# TỈNH THANH HÓA", read through the fold (one character for one).
_MEETING_HOST = re.compile(
    r"lam\s+viec\s+voi\s+(?:(?:tap\s+the\s+)?(?:lanh\s+dao|thuong\s+truc|ban\s+thuong\s+vu)\s+)?"
    r"(?:(?:tinh|thanh|huyen|thi)\s+uy,?\s+(?:lanh\s+dao\s+)?)?(?:(?:uy\s+ban\s+nhan\s+dan|ubnd)\s+)?"
    r"(?P<level>tinh|thanh\s+pho|huyen|thi\s+xa|quan)\s+(?P<name>\w+(?:[ \t]+\w+){0,3})"
)


def _meeting_host(
    text: str, body_start: int, mentions: Sequence[Mention], folded: str
) -> str | None:
    """The People's Committee of the locality a meeting was held with, when the
    title or the opening says so; the name as the text's mentions give it.
    ``folded`` is the document's fold (``Document.folded``, one character for one)."""
    head = text[: max(body_start, 0) + 1500]
    for m in _MEETING_HOST.finditer(folded, 0, len(head)):
        words = text[m.start("name") : m.end("name")].split()
        name: list[str] = []
        for w in words:  # a place's words are capitalised; in capitals the title is ambiguous
            if not w[:1].isupper() or (w.isupper() and len(w) > 1):
                break
            name.append(w)
        if not name:
            continue
        level = SPACE_RUN.sub(" ", text[m.start("level") : m.end("level")]).lower()
        want = fold(f"ubnd {level} {' '.join(name)}")
        for mm in mentions:
            for n in mm.norms:
                if fold(n).startswith(want):
                    return n
        return f"UBND {level} {' '.join(name)}"
    return None


# at most this many addressees: the bodies a letter asks by addressing them
_FEW_RECIPIENTS = 3


def _recipients(
    text: str,
    body_start: int,
    idx: MentionIndex,
    cues: Cues,
    *,
    most: int,
    province: str | None = None,
    issuer: str | None = None,
) -> tuple[str, ...]:
    """The bodies a letter is addressed to, when they are at most ``most``: the
    "Kính gửi" line and the list lines after it, up to the body. A group whose
    line goes on describing it ("Các doanh nghiệp đang hoạt động trong các khu
    công nghiệp") is the whole line, as written."""
    m = _KINH_GUI.search(text, 0, min(body_start, 3000))
    if m is None:
        return ()
    found: list[str] = []
    pos = m.end()
    while pos < body_start:
        pos = skip_ws(text, pos, body_start)
        while pos < body_start and text[pos] in "-+•–":
            pos = skip_ws(text, pos + 1, body_start)
        # the run stops at its line's end: the body's first words are no addressee; an
        # item wrapped over lines goes on where the next line starts in lower case
        # ("- Hiệu trưởng các trường phổ\nthông có nhiều cấp học;")
        line_end = text.find("\n", pos, body_start)
        while line_end >= 0 and _WRAPPED_ITEM.match(text, line_end, body_start):
            if text[pos:line_end].rstrip().endswith((";", ".", ":")):
                break
            nxt = text.find("\n", line_end + 1, body_start)
            line_end = nxt
        stop = body_start if line_end < 0 else line_end
        norms, rend, _g = owner_run(text, pos, stop, idx, cues, allow_generic=False)
        if (
            len(norms) == 1
            and norms[0] in idx.collective
            and text[rend:stop].strip(" \t.;,:")
            and not re.search(r"[;:]", text[rend:stop])
        ):
            whole = _collective_phrase(text, pos, stop, province=province, issuer=issuer)
            if len(whole) == 1:
                idx.kind_of.setdefault(whole[0], "collective")
                norms = whole
        found.extend(n for n in norms if n not in found)
        nl = text.find("\n", max(rend, pos), body_start)
        if nl < 0:
            break
        pos = nl + 1
    return tuple(found) if 0 < len(found) <= most else ()


_WRAPPED_ITEM = re.compile(r"\n[ \t]*[a-zđà-ỹ]")

_BARE_GROUP = re.compile(
    r"((?:các|những)\s+\S+(?:\s+\S+)?)(?:\s+(?:trên\s+địa\s+bàn|thuộc)|\s+(?:tỉnh|thành\s+phố|Thành\s+phố"
    r"|huyện|quận|thị\s+xã|xã|phường)\s+[A-ZĐ])"
)


_UNIT_WORD = re.compile(
    r"\b(?:tỉnh|thành\s+phố|huyện|quận|thị\s+xã|xã|phường|Trung\s+ương)\b", re.IGNORECASE
)

_ADDRESS_WORD = re.compile(r"\b(?:[Bb]ộ|cơ\s+quan|đơn\s+vị)\b")
# A group that only says "the bodies" ("các Bộ, cơ quan", "các đơn vị", "các cơ quan,
# đơn vị, địa phương"), with at most the jurisdiction the document gave it: in a
# letter, the bodies it is addressed to.
_GENERIC_GROUP = re.compile(
    r"(?i:các)\s+(?:(?i:bộ|ngành|sở|cơ\s+quan|đơn\s+vị|địa\s+phương)(?:\s*,\s*|\s+và\s+|$"
    r"|\s+(?:thuộc\s+)?(?:tỉnh|thành\s+phố|Thành\s+phố|huyện|quận|thị\s+xã|xã|phường)\s+[A-ZĐ]"
    r"[^,;]*$))+$"
)


def _as_addressed(owner: str, addressed: Sequence[str]) -> str:
    """A bare group in a letter's body ("đề nghị các doanh nghiệp báo cáo ...") that
    a group the letter is addressed to begins with ("Các doanh nghiệp đang hoạt động
    trong các khu công nghiệp"), or a body named without its place: that addressee."""
    m = _BARE_GROUP.match(owner)
    if m is None:
        if _UNIT_WORD.search(owner):
            return owner
        # a body named without its place ("Phòng GD&ĐT") that one addressee begins with
        # ("Phòng Giáo dục và Đào tạo các huyện, thành phố"): that addressee
        head = owner.lower()
    else:
        head = m.group(1).lower()
    match = [a for a in addressed if a.lower().startswith(head + " ") and a != owner]
    return match[0] if len(match) == 1 else owner


# The jurisdiction word a header ends with, its place left implicit.
# Or the role it holds, after a dash: "1.2. Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo".
_LOCAL_TAIL = re.compile(
    r"^[ \t]*(?:(?:của[ \t]+)?(?:tỉnh|thành[ \t]+phố|huyện|thị[ \t]+xã)\b"
    r"|[-–][ \t]*(?:[Cc]ơ[ \t]+quan|[Đđ]ơn[ \t]+vị)[ \t]+"
    r"(?:thường[ \t]+trực|đầu[ \t]+mối|chủ[ \t]+trì)[^\n:;.]{0,80})"
)


# "6. Đề nghị: Hiệp hội Doanh nghiệp tỉnh, Hội Nông dân tỉnh": the bodies asked
_ASK_WORD = r"(?:Đề\s+nghị|Yêu\s+cầu|Giao)"
_ASK_COLON = re.compile(rf"(?:\*\*)?{_ASK_WORD}\s*:\s*", re.IGNORECASE)


# A header's lead that asks the bodies after it: "8. Đề nghị Liên minh Hợp tác xã tỉnh, ...".
_ASK_LEAD = re.compile(rf"{_ASK_WORD}[ \t]*:?[ \t\n]+(?=[A-ZĐÀ-Ỹ]|các\s|những\s)")


_ROLE_IN_BRACKETS = re.compile(r"^\s*\([^()]{1,200}\)")


def _header_owner(
    text: str,
    s: Sentence,
    idx: MentionIndex,
    cues: Cues,
    province: str | None,
    issuer: str | None,
) -> tuple[str, ...]:
    """The owners a header line names ("1. Sở Y tế", "4. Bộ Chỉ huy Quân sự
    tỉnh:", "6. Các bệnh viện công lập và ngoài công lập trực thuộc"), or ()."""
    # "Điều 2. Phân cấp thực hiện một số nhiệm vụ ... cho Cục Phòng bệnh": the body the
    # article hands its items to, named last
    handed = _HANDED_TO.match(text, s.start, s.end)
    if handed is not None:
        norms, rend, _g = owner_run(text, handed.end(), s.end, idx, cues, allow_generic=False)
        if norms and not text[rend : s.end].strip(" \t:.;*"):
            return norms
    # "4. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam thành phố và các Đoàn thể": asked, by name
    cue = cues.match("ASSIGN_CUE", text, s.start, s.end) or _ASK_COLON.match(text, s.start, s.end)
    start = cue.end() if cue else s.start
    # "Điều 2. Nhiệm vụ của Ban Chỉ đạo:": the body whose duties the items are
    duty = None if cue else _DUTY_OF.match(text, start, s.end)
    start = duty.end() if duty else start
    norms, rend, _g = owner_run(text, start, s.end, idx, cues, allow_generic=False)
    while norms and (semi := _NEXT_GROUP.match(text, rend, s.end)) is not None:
        # "1. Bộ trưởng các Bộ: Quốc phòng, Công an; Bí thư tỉnh ủy, thành ủy và Chủ tịch
        # Ủy ban nhân dân các tỉnh, thành phố nêu trên ...:": the groups after a semicolon
        more, mend, _g = owner_run(text, semi.end(), s.end, idx, cues, allow_generic=False)
        if not more:
            break
        norms, rend = (*norms, *(n for n in more if n not in norms)), mend
    # what follows the bodies: nothing but a role in brackets ("1. Sở Nội vụ (Cơ quan
    # thường trực Ban ...):") and the emphasis marks of a markdown copy
    rest = _LOCAL_TAIL.sub("", text[rend : s.end]).replace("*", " ")
    if norms and not _ROLE_IN_BRACKETS.sub("", rest).strip(" :.;"):
        if len(norms) == 1 and "(" in norms[0]:  # a group that lists its members
            return _members_in_parens(text, s, idx, province) or norms
        return norms  # "14. Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "Ban Chỉ đạo 389 của tỉnh"
    if text[s.end - 1] in ".;":
        return ()
    if norms and _ROLE_ONLY.fullmatch(text, rend, s.end):
        return norms  # "2. Sở Công Thương chủ trì, phối hợp thực hiện", "... theo chức năng:"
    lead = _LEAD_WITH.match(text, rend, s.end) if norms else None
    if lead is not None:
        # "1. Sở Công Thương chủ trì, phối hợp với các sở, ngành, địa phương liên quan"
        _p, pend, _g = owner_run(text, lead.end(), s.end, idx, cues)
        if pend > lead.end() and not text[pend : s.end].strip(" ,.;:"):
            return norms
    group = _collective_phrase(text, s.start, s.end, province=province, issuer=issuer)
    if group:
        # "1. Các cơ quan đăng ký đầu tư (Sở Tài chính, Ban Quản lý …):" its members
        return _members_in_parens(text, s, idx, province) or group
    return group


def _members_in_parens(
    text: str, s: Sentence, idx: MentionIndex, province: str | None
) -> tuple[str, ...]:
    """The bodies a group's header lists in parentheses, when it lists nothing else."""
    m = _NAMED_IN_PARENS.search(text, s.start, s.end)
    if m is None:
        return ()
    out: list[str] = []
    pos, end = m.start(1), m.end(1)
    while pos < end:
        pos = skip_ws(text, pos, end)
        here = [x for x in idx.at(pos) if x.end <= end]
        if here:
            best = max(here, key=lambda x: x.end)
            out.extend(n for n in best.norms if n not in out)
            pos = best.end
        else:
            part = _NAME_PART.match(text, pos, end)
            if part is None or not _BODY_HEAD.match(text, pos, end):
                return ()
            name = _with_jurisdiction(" ".join(part.group().split()), province)
            if name not in out:
                out.append(name)
            pos = part.end()
        sep = _PART_SEP.match(text, pos, end)
        if pos < end and sep is None:
            return ()
        pos = sep.end() if sep else pos
    return tuple(out) if len(out) >= 2 else ()


# A header that lists its owners in full: known bodies, groups that run on
# over their qualifier ("Chủ tịch Ủy ban nhân dân các tỉnh ... có hoạt động
# sản xuất, kinh doanh than"), names nobody listed ("Binh đoàn 19 (Tổng công
# ty Đông Bắc)") and roles ("Chủ đầu tư nhà máy nhiệt điện than").
_PART_SEP = re.compile(r"[ \t\n]*(?:,|;|\bvà\b)[ \t\n]*")
_PAREN = re.compile(r"[ \t\n]*\([^()\n]{1,80}\)")
_QUALIFIER = re.compile(
    r"[ \t\n]+(?:có|được|thuộc|trực\s+thuộc|liên\s+quan|tham\s+gia|đang|sử\s+dụng|quản\s+lý)\b"
)
_ROLE_HEAD = re.compile(
    r"(?:Chủ\s+đầu\s+tư|Nhà\s+đầu\s+tư|Chủ\s+dự\s+án|Chủ\s+(?:mỏ|cơ\s+sở)|Người\s+đứng\s+đầu"
    r"|Binh\s+đoàn|Quân\s+khu|Tổng\s+công\s+ty|Tập\s+đoàn|Công\s+ty)(?![\w])"
)
_ROLE_WORD = re.compile(r"(?:Chủ|Nhà|Người)\s")
_NAME_PART = re.compile(r"[A-ZĐÀ-Ỹ][^,;()]*?(?=[ \t\n]*(?:,|;|\bvà\b|\(|$))")


def _header_parts(
    text: str,
    s: Sentence,
    coop_idx: MentionIndex,
    cues: Cues,
    province: str | None,
    issuer: str | None,
) -> tuple[tuple[str, str], ...]:
    """The owners, with their kinds, of a header that is nothing but a list of
    owners ("8. Tập đoàn Công nghiệp Than - Khoáng sản Việt Nam, Binh đoàn 19
    (Tổng công ty Đông Bắc) và các đơn vị được phép khai thác, kinh doanh
    than"); () when the line says anything else."""
    end = s.end
    while end > s.start and text[end - 1] in " \t\n:":
        end -= 1
    if end - s.start > 300 or text[end - 1 : end] in ".;":
        return ()
    out: list[tuple[str, str]] = []
    # "8. Đề nghị Liên minh Hợp tác xã tỉnh, Đoàn TNCS ..., Hội Nông dân tỉnh": the bodies asked
    ask = _ASK_LEAD.match(text, s.start, end)
    pos = ask.end() if ask else s.start
    while pos < end:
        pos = skip_ws(text, pos, end)
        t = cues.match("TITLE", text, pos, end)
        at = t.end() if t else pos
        if not out and starts_with_action(text, at, end, cues) is not None:
            return ()
        here = coop_idx.at(at)
        group = _HEADER_GROUP.match(text, at, end)
        m = max(here, key=lambda x: x.end) if here else None
        if group or (m is not None and m.collective and _QUALIFIER.match(text, m.end, end)):
            # a group: with its qualifier, to the header's end
            phrase = " ".join(text[at:end].split())
            if ";" in phrase or re.search(r"\b(?:sau(?:\s+đây)?|bao\s+gồm|gồm)$", phrase):
                return ()  # a lead that goes on to its list, not a group's name
            if group and not any(
                rx.match(phrase) for _row, rx in cues.rows.get("COLLECTIVE_GRAMMAR", ())
            ):
                return ()  # "Các nhiệm vụ chung": a topic
            out.append(
                (canonical_collective(phrase, province=province, issuer=issuer), "collective")
            )
            break
        if m is not None:
            kind = "collective" if m.collective else m.kind
            out.extend((n, kind) for n in m.norms)
            pos = m.end
        else:
            nm = _NAME_PART.match(text, at, end)
            if nm is None or (not out and not t and not _ROLE_HEAD.match(text, at, end)):
                return ()
            name = _with_jurisdiction(" ".join(nm.group().split()), province, issuer)
            paren = _PAREN.match(text, nm.end(), end)
            if paren:  # "Binh đoàn 19 (Tổng công ty Đông Bắc)"
                name = f"{name} {' '.join(paren.group().split())}"
            # a role ("Chủ đầu tư ...") stands for everyone who holds it
            out.append((name, _named_kind(name)))
            pos = paren.end() if paren else nm.end()
        paren = _PAREN.match(text, pos, end)
        if paren:
            pos = paren.end()
        sep = _PART_SEP.match(text, pos, end)
        if pos < end and sep is None:
            return ()  # more than names: not a list of owners
        pos = sep.end() if sep else pos
    return tuple(out)


# The mass organizations, whatever their names' capitals: state-funded bodies, agencies.
_MASS_ORGANIZATION = re.compile(
    r"(?:Hội\s+(?:Nông\s+dân|Liên\s+hiệp\s+Phụ\s+nữ|Cựu\s+chiến\s+binh|Chữ\s+thập\s+đỏ)"
    r"|Đoàn\s+(?:TNCS|Thanh\s+niên)|Liên\s+đoàn\s+Lao\s+động|Liên\s+minh\s+Hợp\s+tác\s+xã"
    r"|(?:Ủy|Uỷ)\s+ban\s+(?:Mặt\s+trận|MTTQ))(?![\w])",
    re.IGNORECASE,
)


def _named_kind(name: str) -> str:
    """The kind of a name a header lists that nobody listed: a role ("Chủ đầu tư
    ...") stands for everyone who holds it; a mass organization or a state body's
    head is an agency; anything else (a company, an association) an organization."""
    if _ROLE_WORD.match(name):
        return "collective"
    if _MASS_ORGANIZATION.match(name) or (
        _BODY_HEAD.match(name) and not _COMPANY_HEAD.match(name) and not name.startswith("Hội ")
    ):
        return "agency"
    return "organization"


# The head of a body's name: a state body, a mass organization or a company
# that the gazetteer may not know ("Trung tâm Phục vụ hành chính công tỉnh",
# "Đài Phát thanh và Truyền hình tỉnh", "Tổng Công ty Điện lực miền Trung").
# A short head must be followed by a name ("Ban Quản lý ...", not "Ban hành").
_BODY_HEAD = re.compile(
    r"(?:(?:Trung\s+tâm|Đài|Báo|Hội|Liên\s+đoàn|Liên\s+minh|Ban|Cục|Chi\s+cục|Viện|Trường"
    r"|Bệnh\s+viện|Kho\s+bạc|Ngân\s+hàng|Cảng\s+vụ|Văn\s+phòng|Thanh\s+tra|Bộ\s+Chỉ\s+huy"
    r"|Bộ\s+đội|Ủy\s+ban|Uỷ\s+ban|Hội\s+đồng|Quỹ|Vườn\s+quốc\s+gia|Cảng|Sở|Phòng|Đội|Tòa\s+án"
    r"|Viện\s+kiểm\s+sát|Kiểm\s+toán|Quân\s+khu|Bộ\s+Tư\s+lệnh|Học\s+viện|Đại\s+học|Tổng\s+cục|Tạp\s+chí)"
    r"[ \t]*\n?[ \t]*(?=[A-ZĐÀ-Ỹ0-9]|quản\s+lý\s+[A-ZĐ])"
    r"|(?:Công\s+an|Bảo\s+hiểm\s+xã\s+hội|Tỉnh\s+đoàn|Thành\s+đoàn|Tỉnh\s+ủy|Thành\s+ủy"
    r"|Huyện\s+ủy|Đảng\s+ủy|Hội\s+Nông\s+dân|Hội\s+Liên\s+hiệp\s+Phụ\s+nữ|Cục\s+Thuế"
    r"|Ủy\s+ban\s+nhân\s+dân|UBND|Ủy\s+ban\s+Mặt\s+trận)(?![\w]))"
)
_INNER_DOT = re.compile(r"(?<=\w)\.(?=\w)")
_COMPANY_HEAD = re.compile(
    r"(?:Tổng\s+[Cc]ông\s+ty|Công\s+ty|Tập\s+đoàn|Hợp\s+tác\s+xã|Hiệp\s+hội|Doanh\s+nghiệp)(?![\w])"
)
# "Trách nhiệm của ...", "Nhiệm vụ của ...": the header names its owner after "của"
# An article that delegates its items: "Phân cấp ... cho", "Ủy quyền cho", "Giao ... cho".
_HANDED_TO = re.compile(
    r"(?:Điều[ \t]+\d+[a-zđ]?[.:][ \t]*)?(?:Phân[ \t]+cấp|[UỦ]ỷ[ \t]+quyền|Ủy[ \t]+quyền)\b"
    r"[^:;\n]{0,250}?[ \t]cho[ \t]+",
    re.IGNORECASE,
)
_DUTY_OF = re.compile(
    r"(?:Chức\s+năng\s*,\s*)?(?:Quyền(?:\s+hạn)?\s*(?:,|và)\s*)?"
    r"(?:Trách\s+nhiệm|Nhiệm\s+vụ|Nghĩa\s+vụ)(?:\s+chung)?"
    r"(?:\s*(?:,|và)\s*(?:quyền\s+hạn|quyền|nghĩa\s+vụ))?"
    r"\s+(?:của|đối\s+với)\s+",
    re.IGNORECASE,
)
_HEADER_ROLE = re.compile(
    r"\b(?:chủ\s+trì|phối\s+hợp|thực\s+hiện|có\s+trách\s+nhiệm|chịu\s+trách\s+nhiệm|triển\s+khai)\b"
)
_PEOPLES_COMMITTEE = re.compile(r"(?:Ủy|Uỷ)\s+ban\s+nhân\s+dân|UBND|HĐND|Hội\s+đồng\s+nhân\s+dân")
_NAMED_IN_PARENS = re.compile(r"\(([^()]{3,300})\)[ \t\n:.]*$")
_HEAD_TAIL = re.compile(r"[ \t\n]*(?:\([^()]{0,200}\)|[-–][^\n]{0,120})?[ \t\n:.]*$")


# what a lead says and a name never does
# A group header's head noun that names who acts: a class of bodies, of people or of
# holders ("Các chủ rừng là tổ chức", "Những người đứng đầu", "Các nhà thầu").
_AGENT_GROUP = re.compile(
    r"(?:[Cc]ác|[Nn]hững|[Tt]ất\s+cả)\s+(?:các\s+)?(?:(?i:cơ\s+quan|đơn\s+vị|địa\s+phương|ngành|bộ|sở"
    r"|ban|đoàn\s+thể|tỉnh|thành\s+phố|huyện|quận|thị\s+xã|thị\s+trấn|xã|phường|đặc\s+khu|cấp"
    r"|doanh\s+nghiệp|tổ\s+chức|cá\s+nhân|hiệp\s+hội|hội|thương\s+nhân|trường|bệnh\s+viện|cơ\s+sở"
    r"|chủ|người|nhà|hợp\s+tác\s+xã|tập\s+đoàn|tổng\s+công\s+ty|công\s+ty|ngân\s+hàng|chi\s+cục|cục"
    r"|vụ|trung\s+tâm|viện|lực\s+lượng|thành\s+viên|hộ|nhân\s+dân|thôn|tổ|khu\s+phố|ấp|quân\s+khu"
    r"|bộ\s+phận|phòng|đội|đoàn|ủy\s+ban|uỷ\s+ban|hội\s+đồng|cán\s+bộ|công\s+chức|viên\s+chức"
    r"|đảng\s+viên|đoàn\s+viên|hội\s+viên|học\s+sinh|sinh\s+viên|giáo\s+viên|bên|đối\s+tượng"
    r"|tập\s+thể|cử\s+tri|đại\s+biểu|thủ\s+trưởng|lãnh\s+đạo|giám\s+đốc|chủ\s+tịch|bí\s+thư"
    r"|trưởng|phó|chi\s+nhánh|văn\s+phòng|quỹ|chi\s+hội|chi\s+đoàn|chi\s+bộ|đảng\s+bộ|đảng\s+ủy|cấp\s+ủy"
    r"|tỉnh\s+ủy|thành\s+ủy|huyện\s+ủy|khoa|trạm|đồn|ban\s+quản\s+lý|thanh\s+tra|công\s+an"
    r"|kho\s+bạc|bảo\s+hiểm|báo|đài|cơ\s+quan\s+báo\s+chí|mặt\s+trận|tòa\s+án|viện\s+kiểm\s+sát"
    r"|trường\s+học|ngành\s+chức\s+năng|lực\s+lượng\s+chức\s+năng)|(?-i:UBND|HĐND|[A-ZĐ]{2,}))(?!\w)"
)

_LEAD_WORDS = re.compile(
    r"\b(?:như\s+sau|sau\s+đây|thông\s+báo|hướng\s+dẫn|đề\s+nghị|yêu\s+cầu|chỉ\s+đạo|kết\s+luận)\b"
)


def _unknown_header(
    text: str,
    s: Sentence,
    cues: Cues,
    province: str | None,
    issuer: str | None,
) -> tuple[tuple[str, str], ...]:
    """The owner of a section header that names a body or a group nobody
    listed: "Tỉnh đoàn:", "4. Trung tâm Y tế khu vực …:", "5. Các chủ rừng là
    tổ chức (…)", "1.5. Trách nhiệm của đối tượng thực hiện kiểm kê:"; () for a
    topic ("1. Công tác tuyên truyền") or anything longer than a name."""
    ask = _ASK_LEAD.match(text, s.start, s.end)
    t = None if ask else cues.match("TITLE", text, s.start, s.end)
    pos = ask.end() if ask else t.end() if t else s.start
    duty = _DUTY_OF.match(text, pos, s.end)
    if duty:
        pos = duty.end()
    tail = _HEAD_TAIL.search(text, pos, s.end)
    end = tail.start() if tail else s.end
    named = _NAMED_IN_PARENS.search(text, pos, s.end)
    if named is not None:
        # "7. Đơn vị khai thác công trình thủy lợi (Công ty TNHH Tân Phú)": the body named
        inner = " ".join(named.group(1).split())
        if _COMPANY_HEAD.match(inner):
            return ((inner, "organization"),)
        if _BODY_HEAD.match(inner) and not _PEOPLES_COMMITTEE.match(inner):
            return ((_with_jurisdiction(inner, province), "agency"),)
    phrase = " ".join(text[pos:end].split())
    words = phrase.split()
    # a full stop inside an abbreviation ("TP.HCM") ends nothing
    if not words or len(words) > 18 or any(c in _INNER_DOT.sub("", phrase) for c in ";:.?!"):
        return ()
    if starts_with_action(text, pos, end, cues) is not None and not duty:
        return ()
    if _LEAD_WORDS.search(phrase):
        return ()  # "Sở ... thông báo lịch tiếp công dân như sau:": a lead, not a name
    if (_HEADER_ROLE.search(phrase) and not duty) or _PEOPLES_COMMITTEE.match(phrase):
        return ()  # a role the known paths read, or People's Committees (always known)
    if re.match(r"(?:[Cc]ác|[Nn]hững|[Tt]ất\s+cả)\s", phrase) or (duty and phrase[0].islower()):
        if re.search(r"\b(?:nhiệm\s+vụ|nội\s+dung|giải\s+pháp|chỉ\s+tiêu|hoạt\s+động)\b", phrase):
            return ()  # "Các nhiệm vụ trọng tâm": a topic
        if not duty and not _AGENT_GROUP.match(phrase):
            return ()  # "Các hành vi bị nghiêm cấm", "Các hình thức cấp thẻ": things, not bodies
        return ((canonical_collective(phrase, province=province, issuer=issuer), "collective"),)
    if _COMPANY_HEAD.match(phrase):
        return ((phrase, "organization"),)
    if _BODY_HEAD.match(phrase) and not (t and duty is None and not phrase[0].isupper()):
        bodies = find_named_bodies(phrase, province=province, issuer=issuer)
        if len(bodies) == 1 and bodies[0].start == 0 and " " not in phrase[bodies[0].end :].strip():
            return ((bodies[0].norm or phrase, "agency"),)  # "Tạp chí Giáo dục TP.HCM" spelled out
        return ((_with_jurisdiction(phrase, province, issuer), "agency"),)
    if duty and len(words) <= 10 and not re.search(r"\d", phrase):
        # "Nhiệm vụ của Thành viên Chính phủ (được giao)": whoever the header gives
        # the duty to
        phrase = re.split(r"\s+được\s+(?:giao|phân\s+công)\b", phrase)[0]
        return ((canonical_collective(phrase, province=province, issuer=issuer), "collective"),)
    return ()


def _with_jurisdiction(name: str, province: str | None, issuer: str | None = None) -> str:
    """A body named with a bare "tỉnh" gets its province: "Công an tỉnh" in a
    Quảng Trị document is "Công an tỉnh Quảng Trị"; with a bare "xã" or "huyện", in
    that commune's or district's own document, that unit ("Ban Thường trực Ủy ban
    MTTQ xã" -> "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã Phú Lộc")."""
    row = gazetteer().province(province) if province else None
    if row is not None and re.search(r"\b(?:tỉnh|thành\s+phố)$", name):
        return f"{name} {row.name}"
    local = local_unit(issuer)
    bare = _BARE_UNIT_WORD.search(name)
    if local and bare and local.startswith(bare.group() + " "):
        role = _ROLE_PREFIX.match(name)
        rest = name[role.end() if role else 0 : bare.start()] + local
        known = canonical_agency(rest, province=province)
        return f"{role.group() if role else ''}{known or rest}"
    return name


_BARE_UNIT_WORD = re.compile(r"(?<=\s)(?:huyện|thị\s+xã|quận|xã|phường|thị\s+trấn)$")
_ROLE_PREFIX = re.compile(r"(?:Ban\s+Thường\s+trực|Thường\s+trực|Ban\s+Thường\s+vụ)\s+")


# A header's owner leading its partners: "chủ trì, phối hợp với ...".
_LEAD_WITH = re.compile(
    r"[ \t]+chủ\s+trì[ \t]*,?[ \t]*(?:phối\s+hợp\s+với|phối\s+hợp|cùng\s+với|với)[ \t]+"
)


# What may follow the owners in a header: their role, never a task of its own.
_ROLE_ONLY = re.compile(
    r"[\s,:;.]*(?:(?:chủ\s+trì|phối\s+hợp|thực\s+hiện|có\s+trách\s+nhiệm|chịu\s+trách\s+nhiệm"
    r"|theo\s+chức\s+năng,?\s+nhiệm\s+vụ(?:,?\s+(?:và\s+)?(?:thẩm\s+quyền|quyền\s+hạn))?"
    r"(?:\s+được\s+giao)?|trong\s+phạm\s+vi[^:]{0,40}|nêu\s+trên|nói\s+trên|có\s+liên\s+quan"
    r"|tại\s+(?:các\s+)?(?:khu\s+vực|vùng|địa\s+bàn)[^:;.]{0,80}"
    r"|(?:trong\s+đó(?:\s+(?:trọng\s+tâm|tập\s+trung|chủ\s+yếu|ưu\s+tiên))?\s+là|nhất\s+là"
    r"|đặc\s+biệt\s+là)[^:;.]{0,80}"
    r"|cần|phải|tập\s+trung|có\s+nhiệm\s+vụ|với\s+các\s+nội\s+dung\s+sau|như\s+sau|các\s+nội\s+dung\s+sau"
    r"|và|,)[\s,:;.]*)*",
    re.IGNORECASE,
)


def _named_above(norms: tuple[str, ...], above: Sequence[str]) -> tuple[str, ...]:
    """A group "nêu trên" (named above) as the bodies it means: "Sở Xây dựng các
    tỉnh, thành phố ..." -> the "Sở Xây dựng tỉnh ..." the text named before it
    (the letter's addressees); a group of which none was named stays as it is."""
    out: list[str] = []
    for n in norms:
        head = n[4:] if n.startswith("các ") else n
        k = head.find(" các ")
        head = head[:k] if k > 0 else ""
        members = [
            a
            for a in above
            if head and a.lower().startswith(head.lower() + " ") and " các " not in a
        ]
        for m in members or [n]:
            if m not in out:
                out.append(m)
    return tuple(out)


# "nêu trên", "nói trên": the bodies named above
_ABOVE = re.compile(r"\b(?:nêu|nói)\s+trên\b")


# the semicolon between two groups of a header's owners
_NEXT_GROUP = re.compile(r"[ \t]*;[ \t\n]*")


_DUTY_TAIL = re.compile(r"\s+(?:có|chịu)\s+trách\s+nhiệm$")
_HEADER_GROUP = re.compile(r"(?:(?:các|những|tất\s+cả\s+các)\s+)\w", re.IGNORECASE)


def _collective_phrase(
    text: str, start: int, end: int, *, province: str | None, issuer: str | None
) -> tuple[str, ...]:
    """A whole header or attribute value that is a group ("Các bệnh viện công
    lap và ngoài công lập trực thuộc"): its canonical name, or ()."""
    cues = task_cues()
    t = cues.match("TITLE", text, start, end)
    p = t.end() if t else start
    phrase = " ".join(text[p:end].split()).strip(" :.;,")
    phrase = _DUTY_TAIL.sub("", phrase)  # "Các cơ quan, đơn vị thuộc Bộ có trách nhiệm:"
    if not _HEADER_GROUP.match(phrase) or len(phrase.split()) > 40 or ":" in phrase:
        return ()
    if ";" in phrase or re.search(r"\b(?:sau(?:\s+đây)?|bao\s+gồm|gồm)$", phrase):
        return ()  # "Các bộ ... đề cao trách nhiệm ...; trong đó ... sau": a lead, not a name
    if not any(rx.match(phrase) for _row, rx in cues.rows.get("COLLECTIVE_GRAMMAR", ())):
        return ()  # "Các nhiệm vụ chung": a topic, not a group of bodies
    if starts_with_action(text, p, end, cues) is not None:
        return ()
    parts = _split_groups(phrase, cues)
    if any(len(part.split()) > 20 for part in parts):
        return ()
    return tuple(canonical_collective(part, province=province, issuer=issuer) for part in parts)


# Where a list of groups passes to the next group: a comma (or "và", ";")
# before a head's title, "các", or a People's Committee ("Thủ trưởng các sở,
# ban ngành tỉnh, Chủ tịch UBND cấp huyện, các đơn vị sự nghiệp, doanh nghiệp
# Nhà nước thuộc UBND tỉnh": three groups; "các sở, ban ngành" stays one).
_GROUP_BREAK = re.compile(
    r"\s*(?:,|;|\svà)\s+(?=(?:các|những|UBND|Ủy\s+ban|Uỷ\s+ban|HĐND|Hội\s+đồng)\s|[A-ZĐ]\w*\s)"
)


def _split_groups(phrase: str, cues: Cues) -> list[str]:
    """The groups of a header phrase, each without its heads' titles; the
    phrase whole when a part would not read as a group."""
    parts: list[str] = []
    pos = 0
    for m in _GROUP_BREAK.finditer(phrase):
        parts.append(phrase[pos : m.start()])
        pos = m.end()
    parts.append(phrase[pos:])
    out = []
    grammar = cues.rows.get("COLLECTIVE_GRAMMAR", ())
    for part in parts:
        t = cues.match("TITLE", part, 0, len(part))
        part = part[t.end() :] if t else part
        part = re.sub(r"^(?:Ủy|Uỷ)\s+ban\s+nhân\s+dân\b", "UBND", part.strip(" ,;"))
        group = any(rx.match(part) for _row, rx in grammar) or re.match(
            r"(?:UBND|HĐND)\s+(?:các|cấp)\s", part
        )
        if not group:
            return [phrase]
        out.append(part)
    return out


_LIST_TAIL = re.compile(
    r"[,;]?\s*(?:(?:với|theo|gồm|bao\s+gồm|như)\s+)?(?:các|những|một\s+số)?\s*"
    r"(?:(?:nội\s+dung|nhiệm\s+vụ|giải\s+pháp|việc|công\s+việc|yêu\s+cầu|vấn\s+đề|biện\s+pháp)"
    r"(?:\s*,\s*|\s+và\s+))?"
    r"(?:nội\s+dung|nhiệm\s+vụ|giải\s+pháp|việc|công\s+việc|yêu\s+cầu|vấn\s+đề|biện\s+pháp)"
    r"(?:\s+(?:trọng\s+tâm|chủ\s+yếu|cụ\s+thể|cấp\s+bách))?"
    r"\s+(?:như\s+)?sau(?:\s+đây)?\s*:$|[,;]?\s*(?:như\s+)?sau(?:\s+đây)?\s*:$|:$"
)
# A lead whose action is only "do the following" ("thực hiện tốt các nhiệm vụ sau:").
_EMPTY_LEAD = re.compile(
    r"(?:(?:tập\s+trung|khẩn\s+trương|nghiêm\s+túc|tiếp\s+tục|chủ\s+động)\s+)*"
    r"(?:(?:tổ\s+chức\s+)?(?:thực\s+hiện|triển\s+khai|lãnh\s+đạo|chỉ\s+đạo|quán\s+triệt)"
    r"(?:\s*,\s*|\s+)?){0,3}"
    r"(?:(?:\s*,\s*|\s+và\s+|\s+)?(?:tốt|nghiêm\s+túc|quyết\s+liệt|có\s+hiệu\s+quả|hiệu\s+quả"
    r"|đồng\s+bộ|kịp\s+thời|khẩn\s+trương|thống\s+nhất)){0,4}\s*"
    # "theo thẩm quyền và chức năng, nhiệm vụ được giao": no work of its own
    r"(?:,?\s*theo\s+(?:thẩm\s+quyền(?:\s*,\s*|\s+và\s+))?(?:chức\s+năng,?\s+nhiệm\s+vụ"
    r"(?:\s+được\s+giao)?|thẩm\s+quyền))?\s*$",
    re.IGNORECASE,
)


# The unnamed bodies closing an owner list (", các cơ quan, đơn vị liên quan"): no work.
_GENERIC_TAIL = re.compile(
    r"^[\s,]*(?:và\s+)?(?:các|những)\s+(?:cơ\s+quan|đơn\s+vị|tổ\s+chức|địa\s+phương|ngành)"
    r"(?:\s*,\s*(?:cơ\s+quan|đơn\s+vị|tổ\s+chức|địa\s+phương|ngành))*(?:\s+có)?\s+liên\s+quan\b"
)


def _substantive_lead(text: str, pred: int, end: int) -> bool:
    """Whether a colon-ended assignment says what to do before handing over to
    its list: "triển khai việc lập kế hoạch đầu tư công trung hạn ..., với
    các nội dung sau:" does; "thực hiện tốt các nhiệm vụ sau:" does not."""
    lead = _GENERIC_TAIL.sub("", text[pred:end], count=1)
    m = _LIST_TAIL.search(lead)
    if m:
        lead = lead[: m.start()]
    lead = SPACE_RUN.sub(" ", lead).strip(" ,;")
    if _EMPTY_LEAD.fullmatch(lead):
        return False
    return len(WORD.findall(lead)) >= 6


def _over_attributes(blocks: Sequence[Block], s: Sentence, attrs: _Attributes) -> bool:
    """Whether every block under ``s``'s is an attribute line of it ("- Thời gian hoàn
    thành: ...", "- Đơn vị chủ trì: ..."): the line above is an item, not a title."""
    if not attrs.rows:
        return False
    kids = []
    for ci in range(s.block + 1, len(blocks)):  # its blocks follow it, deeper than it
        if blocks[ci].level <= blocks[s.block].level:
            break
        if blocks[ci].parent == s.block:
            kids.append(ci)
    return bool(kids) and all(ci in attrs.rows for ci in kids)


def _sibling_item(blocks: Sequence[Block], s: Sentence, other: int) -> bool:
    """Whether ``s`` opens a list item beside block ``other`` (same marker kind, same
    parent), not a line under it."""
    if other < 0 or not s.first or s.block == other:
        return False
    b, o = blocks[s.block], blocks[other]
    return (
        b.marker is not None
        and o.marker is not None
        and b.level == o.level
        and b.parent == o.parent
    )


def _deadline_only(
    text: str, s: Sentence, sd: Sequence[Deadline], idx: MentionIndex, cues: Cues
) -> bool:
    """ "Hoàn thành trước ngày 10/3/2023." or "Yêu cầu gửi báo cáo về Sở X trước
    ngày 23/5/2019.": nothing but filler words, agencies and the deadline."""
    holes = [(d.start, d.end) for d in sd] + [(m.start, m.end) for m in idx.inside(s.start, s.end)]
    content = 0
    skip_to = s.start  # the end of the last filler phrase ("thời hạn", "báo cáo")
    for w in WORD.finditer(text, s.start, s.end):
        if w.start() < skip_to or any(a <= w.start() < b for a, b in holes):
            continue
        f = cues.match("DEADLINE_FILLER", text, w.start(), s.end)
        if f:
            skip_to = f.end()
            continue
        if w.group(0).isdigit():
            continue
        content += 1
    # allow a little slack ("báo cáo đề xuất", "kết quả thực hiện")
    return content <= 3


# The words that make a deadline a time limit for the work before it.
_COMPLETION = re.compile(
    r"(?:hoàn\s+thành|xong|báo\s+cáo|gửi|trình|nộp)(?:\s+\w+){0,3}\s*,?\s*$", re.IGNORECASE
)


def _closing_deadline(text: str, s: Sentence, sd: Sequence[Deadline]) -> Deadline | None:
    """A deadline that closes the sentence after a completion word ("..., hoàn thành
    dứt điểm trước ngày 14/10/2025;"): the limit of the item the sentence ends."""
    if not sd:
        return None
    d = sd[-1]
    if text[d.end : s.end].strip(" \t\n;.*") or not _COMPLETION.search(text, s.start, d.start):
        return None
    return d


def _with_deadline(task: Task, sd: Sequence[Deadline]) -> Task:
    d = sd[0]
    return replace(
        task,
        deadline=d.date,
        deadline_text=d.text,
        deadline_start=d.start,
        deadline_end=d.end,
    )


def _pick_deadline(sd: Sequence[Deadline], refs: Sequence[LegalRef]) -> Deadline | None:
    """The deadline of the sentence: not a document date inside a citation,
    and a cue phrase ("trước", "chậm nhất", "trong", "hết", "xong") preferred."""
    cands = [d for d in sd if not any(r.start <= d.start and d.end <= r.end for r in refs)]
    if not cands:
        return None
    cued = [
        d
        for d in cands
        if re.match(
            r"(?:hoàn\s+thành\s+)?(?:trước|chậm\s+nhất|trong|hết|xong|đến|tại|vào)\b",
            d.text,
            re.IGNORECASE,
        )
    ]
    return (cued or cands)[0]


def _cooperating(
    text: str, s: Sentence, own: Owner, idx: MentionIndex, cues: Cues
) -> tuple[tuple[str, ...], int]:
    """Named partners after "phối hợp (với)"; returns (norms, end of the last
    partner run that directly follows the owner, else -1)."""
    found: list[str] = []
    lead_end = -1
    for rx_row in cues.rows.get("COOP_CUE", ()):
        rx = rx_row[1]
        for m in rx.finditer(text, s.start, s.end):
            norms, rend, generic = owner_run(text, m.end(), s.end, idx, cues, allow_generic=True)
            for n in norms:
                if n not in found and n not in own.owners:
                    found.append(n)
            if (norms or generic) and m.start() <= own.pred + 2 and lead_end < 0:
                lead_end = rend
            elif m.start() <= own.pred + 2 and lead_end < 0:
                lead_end = m.end()
    return tuple(found), lead_end


_MARK_TAIL = re.compile(r"[,;]\s*$")


def _action(text: str, pred: int, end: int, coop_end: int, deadline: Deadline | None) -> str | None:
    p = max(pred, coop_end)
    p = skip_ws(text, p, end)
    body = text[p:end]
    if deadline and p <= deadline.start < end:
        a, b = deadline.start - p, deadline.end - p
        body = body[:a] + body[b:]
    # every run of spaces one space (str.split's spaces are the regex's \s), none before a mark
    body = " ".join(body.split()).strip(" ,;:.-/")
    body = body.replace(" ,", ",").replace(" ;", ";").replace(" .", ".")
    body = _MARK_TAIL.sub("", body).strip()
    if not body:
        return None
    return body[0].lower() + body[1:] if body[:1].isupper() and not body[1:2].isupper() else body


_NUMBER = re.compile(r"\d+")
# An action that adds nothing to an owner's earlier task: "triển khai thực hiện".
_BARE_ACTION = re.compile(
    r"(?:(?:khẩn\s+trương|nghiêm\s+túc|tổ\s+chức|triển\s+khai)(?:\s*,\s*|\s+))*thực\s+hiện"
    r"(?:\s+(?:nội\s+dung|văn\s+bản|ý\s+kiến\s+chỉ\s+đạo)(?:\s+(?:này|trên|nêu\s+trên))?)?\.?",
    re.IGNORECASE,
)
_T = TypeVar("_T")


def _within(items: Sequence[_T], starts: Sequence[int], lo: int, hi: int) -> list[_T]:
    """Items (sorted by start) lying inside [lo, hi): a bisection, not a scan."""
    out = []
    for i in range(bisect.bisect_left(starts, lo), bisect.bisect_left(starts, hi)):
        if items[i].end <= hi:  # type: ignore[attr-defined]
            out.append(items[i])
    return out


def _dup_key(task: Task) -> tuple[object, ...]:
    """Tasks can only repeat one another with the same owners, numbers and deadline:
    "(12) rà soát hồ sơ số 12, xong trước ngày 5/3" and "(13) ... số 13 ..." are
    two assignments, however alike their words."""
    return (
        frozenset(task.owners),
        frozenset(_NUMBER.findall(task.text)),
        task.deadline,
    )


@lru_cache(maxsize=256)
def _words(text: str) -> frozenset[str]:
    """The words of a task's sentence, once per sentence (not once per pair): the
    sentences of the document at hand (a few hundred; earlier ones drop out)."""
    return frozenset(WORD.findall(text.lower()))


def _duplicate(task: Task, tasks: Sequence[Task]) -> bool:
    """Same owners and near-identical wording (a repeated assignment)."""
    words: frozenset[str] | None = None  # read only where an earlier task is alike
    owners, size, slack = set(task.owners), len(task.text), len(task.text) // 4
    for t in tasks:
        if abs(len(t.text) - size) > slack or set(t.owners) != owners:
            continue
        if words is None:
            words = _words(task.text)
            if not words:
                return True
        other = _words(t.text)
        inter = len(words & other)
        if inter / max(1, min(len(words), len(other))) >= 0.9 and (
            inter / max(1, len(words | other)) >= 0.8
        ):
            return True
    return words is None and WORD.search(task.text.lower()) is None  # no word: nothing to keep
