"""What a question asks, as one query of the register, the references or the documents.

An :class:`AskQuery` is what the question parser reads from a question and
what the evaluation sets label as a question's expected answer
(tests/ask/README.md defines the keys). :func:`run` answers it over a store,
the same way for both, so an expected answer is whatever the store returns for
the labelled query.

Answers are deterministic: results are sets, ordered by fixed keys (deadline,
document date, document, position), never by search score, so a document that
has nothing to do with a question can't change its answer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Literal

from extractors.rules import load_model
from extractors.textnorm import fold, normalize_query, tokens
from pipeline.query.ask_words import AskWords, one_edit, typed_without_diacritics
from pipeline.query.resolve import (
    agencies_in_province,
    known_agency_names,
    lookup_refs,
    resolve_owner,
)
from pipeline.store.base import (
    RefCitation,
    SearchHit,
    SearchQuery,
    SearchResult,
    Store,
    TaskQuery,
    TaskRecord,
)

Target = Literal["tasks", "documents", "citations", "cited"]
Shape = Literal["list", "count", "yesno", "who", "when", "partners"]
Role = Literal["lead", "cooperating", "any"]
TARGETS: tuple[str, ...] = ("tasks", "documents", "citations", "cited")
SHAPES: tuple[str, ...] = ("list", "count", "yesno", "who", "when", "partners")
ROLES: tuple[str, ...] = ("lead", "cooperating", "any")
STATUSES: tuple[str, ...] = ("overdue", "due_soon", "in_time", "done", "pending", "no_deadline")
RECURRENCES: tuple[str, ...] = (
    "daily",
    "weekly",
    "monthly",
    "quarterly",
    "half-yearly",
    "yearly",
    "any",
)
# More tasks than one question ever lists; a count beyond it is a count of this many.
MAX_TASKS = 100_000
# Documents one question can list (a search page is at most 100).
MAX_DOCS = 500
# Issuers searched one by one (more: one search, its matches checked).
MAX_ISSUERS = 8


@dataclass(frozen=True, slots=True)
class DocSpec:
    """Documents by what is known of them; every field given must hold."""

    number: str | None = None  # "707/UBND-KT", or the number alone ("707")
    type: str | None = None  # a doc_types.yaml name: "Công văn"
    issuer: str | None = None  # an agency, resolved like an owner
    date_from: str | None = None  # issue dates, both ends included
    date_to: str | None = None
    about: str | None = None  # words that all occur in the document

    @property
    def empty(self) -> bool:
        return not any(
            (self.number, self.type, self.issuer, self.date_from, self.date_to, self.about)
        )


@dataclass(frozen=True, slots=True)
class AskQuery:
    """One query; see tests/ask/README.md for what each field means."""

    target: Target = "tasks"
    ask: Shape = "list"
    owner: str | None = None
    province: str | None = None
    role: Role | None = None
    status: str | None = None
    deadline_from: str | None = None
    deadline_to: str | None = None
    recurring: str | None = None
    doc: DocSpec | None = None
    ref: str | None = None
    topic: str | None = None
    also: tuple[str, ...] = ()  # further owners: "Sở A hoặc Sở B", "Sở A và Sở B … chung"
    together: bool = False  # the tasks all the owners share, not those of any of them

    @property
    def owners(self) -> tuple[str, ...]:
        return (self.owner, *self.also) if self.owner else self.also

    @property
    def effective_role(self) -> Role:
        if self.role is not None:
            return self.role
        if self.together:
            return "any"  # shared tasks: one leads, the other cooperates, or both lead
        return "lead" if (self.owner or self.province) else "any"


@dataclass(frozen=True, slots=True)
class DocRow:
    id: str
    number_symbol: str | None
    title: str | None
    doc_type: str | None
    issuer: str | None
    issue_date: str | None
    source: str | None


@dataclass(frozen=True, slots=True)
class Result:
    """The answer to one query: a set of tasks, documents or citations.

    ``citations`` holds, for target "citations", every citation of the
    reference; for target "cited", the citations the document makes.
    """

    query: AskQuery
    today: dt.date
    tasks: tuple[TaskRecord, ...] = ()
    documents: tuple[DocRow, ...] = ()
    citations: tuple[RefCitation, ...] = ()
    owner_names: tuple[str, ...] | None = None
    ref_keys: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] | None = None  # what the document spec selected
    total: int | None = None  # how many match, when more than are listed
    # Over every matching task when only a page of them is listed: (agency, role)
    # of each owner ("lead") and cooperating agency; the agencies that work with
    # the owners asked about ("partners"); the deadlines (None: no deadline).
    agency_roles: tuple[tuple[str, str], ...] | None = None
    partner_names: tuple[str, ...] | None = None
    deadlines: tuple[str | None, ...] | None = None

    def keys(self) -> frozenset[str]:
        """What two results are compared by: ids of tasks or documents, or references."""
        t = self.query.target
        if t == "tasks":
            return frozenset(x.id for x in self.tasks)
        if t == "documents":
            return frozenset(d.id for d in self.documents)
        if t == "citations":
            return frozenset(c.doc_id for c in self.citations)
        return frozenset(c.canonical for c in self.citations)

    @property
    def size(self) -> int:
        """How many tasks, documents or references answer the query."""
        listed = len(self.keys())
        return max(self.total, listed) if self.total is not None else listed


@cache
def words() -> AskWords:
    return load_model("ask_words.yaml", AskWords)


def content_words(text: str | None) -> list[str]:
    """The words of a topic that carry content: filler ("việc", "những", "về" ...) left out.

    Example:
        >>> content_words("những việc về ô nhiễm không khí")
        ['ô', 'nhiễm', 'không', 'khí']
    """
    if not text:
        return []
    text = normalize_query(text)
    typed = tokens(text, folded=False)
    bare = typed_without_diacritics(text)
    w = words()
    out: list[str] = []
    i = 0
    while i < len(typed):
        n = w.filler_length(typed, i, bare=bare)
        if n:
            i += n
            continue
        out.append(typed[i])
        i += 1
    return out


def _sorted_tasks(rows: list[TaskRecord]) -> list[TaskRecord]:
    # The register's own order, whatever order the store returned them in.
    rows = sorted(rows, key=lambda t: (t.doc_id, t.idx))
    rows.sort(key=lambda t: t.doc_date or "", reverse=True)
    rows.sort(key=lambda t: (t.deadline is None, t.deadline or ""))
    return rows


def _owner_names(store: Store, q: AskQuery) -> tuple[str, ...] | None:
    names: set[str] | None = None
    if q.owners:
        names = set().union(*_owner_sets(store, q))
    if q.province:
        in_prov = set(agencies_in_province(store, q.province))
        names = in_prov if names is None else names & in_prov
    return None if names is None else tuple(sorted(names))


def _owner_sets(store: Store, q: AskQuery) -> list[set[str]]:
    """Each owner's names, as ``/tasks?owner=`` resolves them."""
    return [set(resolve_owner(store, normalize_query(o))) for o in q.owners]


def _shared(store: Store, q: AskQuery, rows: list[TaskRecord]) -> list[TaskRecord]:
    """The tasks every owner of ``q`` has a part in (in the query's role)."""
    sets = _owner_sets(store, q)
    role = q.effective_role

    def names(t: TaskRecord) -> set[str]:
        if role == "lead":
            return set(t.owners)
        if role == "cooperating":
            return set(t.cooperating)
        return {*t.owners, *t.cooperating}

    return [t for t in rows if all(s & names(t) for s in sets)]


def _number_key(s: str) -> str:
    return fold(s).replace(" ", "").replace("đ", "d")


def _doc_row(h: SearchHit) -> DocRow:
    return DocRow(
        id=h.id,
        number_symbol=h.number_symbol,
        title=h.title,
        doc_type=h.doc_type,
        issuer=h.issuer,
        issue_date=h.issue_date,
        source=h.source,
    )


def find_documents(
    store: Store, spec: DocSpec, *, topic: str | None = None, need: int | None = None
) -> tuple[list[DocRow], int]:
    """The documents matching ``spec`` and all the words of ``topic``, newest
    first, and how many there are.

    Every match is listed up to 500 (``MAX_DOCS``); with ``need``, when the
    search alone decides (no number or several issuers to check), only that
    many are fetched and the search's exact total gives the count.

    Example:
        >>> docs, n = find_documents(store, DocSpec(number="707/UBND-KT"))
        >>> [d.number_symbol for d in docs], n
        (['707/UBND-KT'], 1)
    """
    issuers: set[str] | None = None
    if spec.issuer:
        issuers = set(resolve_owner(store, normalize_query(spec.issuer)))
        if not issuers:
            return [], 0
    text = [
        *(tokens(spec.number) if spec.number else []),
        *content_words(spec.about),
        *content_words(topic),
    ]
    only_issuer = next(iter(issuers)) if issuers is not None and len(issuers) == 1 else None
    checked = bool(spec.number) or (issuers is not None and only_issuer is None)
    doc_type = spec.type if spec.type and spec.type != "văn bản" else None
    numbered = getattr(store, "documents_numbered", None)
    prefix = _number_prefix(spec.number) if spec.number else None
    if numbered is not None and prefix and not text[len(tokens(spec.number or "")):]:
        # A number and nothing to search for: the number index, then the other fields.
        rows = [
            d for d in map(_doc_row, numbered(prefix))
            if (doc_type is None or d.doc_type == doc_type)
            and (only_issuer is None or d.issuer == only_issuer)
            and (not spec.date_from or (d.issue_date or "") >= spec.date_from)
            and (not spec.date_to or ("" < (d.issue_date or "") <= spec.date_to))
        ]
        res = SearchResult(hits=(), total=0)
    elif issuers is not None and only_issuer is None and len(issuers) <= MAX_ISSUERS:
        # A few issuers (a body and those it took over): one filtered search
        # each, every match, rather than the newest 500 documents of any issuer.
        rows = []
        for name in sorted(issuers):
            rows.extend(_searched(store, text, name, doc_type, spec, True, need)[0])
        res = SearchResult(hits=(), total=0)
    else:
        rows, res = _searched(store, text, only_issuer, doc_type, spec, checked, need)
    total = res.total
    if spec.number:
        want = _number_key(spec.number)
        whole = "/" in want or "-" in want
        rows = [
            d
            for d in rows
            if d.number_symbol
            and (
                _number_key(d.number_symbol) == want
                if whole
                else _number_key(d.number_symbol).startswith(want + "/")
            )
        ]
    if issuers is not None:
        rows = [d for d in rows if d.issuer in issuers]
    unique = list({d.id: d for d in rows}.values())
    unique.sort(key=lambda d: (d.issue_date or "", d.id), reverse=True)
    return unique, len(unique) if checked or total <= len(unique) else total


def _number_prefix(number: str) -> str | None:
    """What every matching number and symbol starts with, as stored: "707/" for
    "707" or "707/ubnd-kt"; None when it doesn't start with digits."""
    m = re.match(r"\d+[/-]?", _number_key(number))
    if m is None:
        return None
    got = m.group()
    return got if got[-1] in "/-" else got + "/"


def _searched(
    store: Store, text: list[str], only_issuer: str | None, doc_type: str | None,
    spec: DocSpec, checked: bool, need: int | None,
) -> tuple[list[DocRow], SearchResult]:
    """The documents the search finds, newest first: every match up to
    ``MAX_DOCS`` (or ``need``), and the last page's result (its total)."""
    size = 100 if checked or need is None else max(1, min(need, 100))
    newest: dict[str, object] = {"sort": "date"}
    if "details" in SearchQuery.__dataclass_fields__:
        newest["details"] = False  # no snippets or facets: the answer shows neither
    rows: list[DocRow] = []
    page = 1
    while True:
        res = store.search(
            SearchQuery(
                q=" ".join(text),
                issuer=only_issuer,
                doc_type=doc_type,
                date_from=spec.date_from,
                date_to=spec.date_to,
                page=page,
                size=size,
                **newest,  # type: ignore[arg-type]
            )
        )
        rows.extend(_doc_row(h) for h in res.hits)
        if not res.hits or page * size >= min(
            res.total, MAX_DOCS if checked or need is None else size
        ):
            break
        page += 1
    return rows, res


def _status_filter(q: AskQuery, today: dt.date) -> tuple[str | None, str | None]:
    """The store's status filter and the lower deadline bound it needs."""
    lo = q.deadline_from
    if q.status == "in_time":  # not done, deadline today or later
        iso = today.isoformat()
        return "pending", max(lo, iso) if lo else iso
    return q.status, lo


def _tasks(store: Store, q: AskQuery, today: dt.date, need: int | None = None) -> Result:
    names = _owner_names(store, q)
    doc_ids: set[str] | None = None
    if q.doc is not None and not q.doc.empty:
        doc_ids = {d.id for d in find_documents(store, q.doc)[0]}
    ref_keys: tuple[str, ...] = ()
    if q.ref:
        keys, cites = lookup_refs(store, normalize_query(q.ref), limit=None)
        ref_keys = tuple(keys)
        citing = {c.doc_id for c in cites}
        doc_ids = citing if doc_ids is None else doc_ids & citing
    chosen = None if doc_ids is None else tuple(sorted(doc_ids))
    empty = Result(q, today, owner_names=names, ref_keys=ref_keys, doc_ids=chosen)
    if (names is not None and not names) or (doc_ids is not None and not doc_ids):
        return empty
    status, lo = _status_filter(q, today)
    topic = " ".join(content_words(q.topic)) or None
    base = TaskQuery(
        owner_names=names,
        role="any",
        status=status,
        today=today,
        deadline_from=lo,
        deadline_to=q.deadline_to,
        q=topic,
        limit=MAX_TASKS,
        recurring=q.recurring,
    )

    def fetch(query: TaskQuery) -> list[TaskRecord]:
        if chosen is None:
            return store.tasks(query)
        return store.tasks(replace(query, doc_ids=chosen))

    role = q.effective_role if names is not None else "any"
    paged = getattr(store, "task_page", None)  # a backend may not page yet
    one = replace(
        base,
        doc_ids=chosen,
        offset=0,
        # the register's own order (by deadline when words are given, not by match)
        sort="deadline" if topic else "default",
    )
    if (
        paged is not None
        and need is not None
        and not q.together
        and not ref_keys
    ):
        if q.ask in ("list", "count", "yesno"):
            # The register pages and counts: the first ``need`` tasks and the total.
            page = paged(replace(one, role=role, limit=need))
            return replace(empty, tasks=page.items, total=page.total)
        got = _summarized(store, q, replace(one, role=role), names, need)
        if got is not None:
            return replace(empty, **got)
    if q.ask == "partners":
        if not names:
            return empty
        led = [t for t in fetch(replace(base, role="lead")) if t.cooperating]
        helped = fetch(replace(base, role="cooperating"))
        rows = list({t.id: t for t in [*led, *helped]}.values())
    else:
        rows = fetch(replace(base, role=role))
    if q.together and len(q.owners) > 1:
        rows = _shared(store, q, rows)
    if ref_keys:
        wanted = set(ref_keys)
        rows = [t for t in rows if wanted & set(t.legal_basis)]
    if q.recurring:
        rows = [
            t for t in rows if t.recurring and (q.recurring == "any" or t.recurring == q.recurring)
        ]
    # the store lists in the register's order; words (best match first), several
    # documents or two roles need putting back in it
    if topic or (chosen is not None and len(chosen) > 1) or q.ask == "partners":
        rows = _sorted_tasks(rows)
    return replace(empty, tasks=tuple(rows))


def _summarized(
    store: Store, q: AskQuery, query: TaskQuery, names: tuple[str, ...] | None, need: int
) -> dict[str, object] | None:
    """A page of tasks and what "ai", "khi nào" and "phối hợp với ai" say about
    all of them, from the register's ids and owner rows, without reading every
    task (None when the backend can't)."""
    ids_of = getattr(store, "task_ids", None)
    roles_of = getattr(store, "task_agency_rows", None)
    deadlines_of = getattr(store, "task_deadlines", None)
    if ids_of is None or roles_of is None or deadlines_of is None:
        return None
    if q.ask == "partners":
        if not names:
            return None
        # the tasks the owners lead with a partner, and those they cooperate on
        every = replace(query, role="any")
        owner_rows = getattr(store, "owner_agency_rows", None)
        rows = owner_rows(every) if owner_rows is not None else None
        ids: tuple[str, ...] | None = None
        if rows is None:  # other filters: the register's ids first
            ids = ids_of(replace(every, limit=MAX_TASKS)).items
            rows = roles_of(ids)
        lead: dict[str, set[str]] = {}
        coop: dict[str, set[str]] = {}
        for tid, agency, r in rows:
            (lead if r == "lead" else coop).setdefault(tid, set()).add(agency)
        wanted = set(names)
        kept = {t for t in {*lead, *coop} if (wanted & lead.get(t, set()) and coop.get(t))
                or wanted & coop.get(t, set())}
        partners: set[str] = set()
        for t in kept:
            if wanted & lead.get(t, set()):
                partners |= coop.get(t, set())
            if wanted & coop.get(t, set()):
                partners |= lead.get(t, set())
        partners -= wanted
        first: list[str] = []  # the page: the kept tasks in the register's order
        if ids is not None:
            first = [t for t in ids if t in kept][:need]
        else:
            offset, step = 0, max(need, 100)
            while len(first) < need and offset < MAX_TASKS:
                got = ids_of(replace(every, offset=offset, limit=step)).items
                first.extend(t for t in got if t in kept)
                if len(got) < step:
                    break
                offset += step
            first = first[:need]
        page = [x for x in (store.get_task(t) for t in first) if x is not None]
        return {"tasks": tuple(page), "total": len(kept),
                "partner_names": tuple(sorted(partners))}
    if q.ask not in ("who", "when"):
        return None
    found = ids_of(replace(query, limit=MAX_TASKS))
    page = [x for x in (store.get_task(t) for t in found.items[:need]) if x is not None]
    out: dict[str, object] = {"tasks": tuple(page), "total": found.total}
    if q.ask == "who":
        out["agency_roles"] = tuple((a, r) for _t, a, r in roles_of(found.items))
    else:
        out["deadlines"] = tuple(deadlines_of(found.items))
    return out


def _documents(store: Store, q: AskQuery, today: dt.date, need: int | None) -> Result:
    spec = q.doc or DocSpec()
    task_filters = any(
        (q.owner, q.province, q.status, q.deadline_from, q.deadline_to, q.recurring, q.ref)
    )
    if not task_filters:
        docs, total = find_documents(store, spec, topic=q.topic, need=need)
        return Result(
            q, today, documents=tuple(docs), doc_ids=tuple(d.id for d in docs), total=total
        )
    # Documents that assign such tasks: the tasks' documents.
    tasks = _tasks(store, replace(q, target="tasks", ask="list", topic=None), today)
    ids = {t.doc_id for t in tasks.tasks}
    if not ids:
        return replace(tasks, query=q, tasks=())
    if not spec.empty or q.topic:
        rows = [d for d in find_documents(store, spec, topic=q.topic)[0] if d.id in ids]
    else:
        rows = [r for r in (_stored_row(store, i) for i in sorted(ids)) if r is not None]
    rows.sort(key=lambda d: (d.issue_date or "", d.id), reverse=True)
    return replace(tasks, query=q, tasks=(), documents=tuple(rows))


def _stored_row(store: Store, doc_id: str) -> DocRow | None:
    got = store.get(doc_id)
    if got is None:
        return None
    m = got.data.get("doc", {})
    return DocRow(
        doc_id,
        m.get("number_symbol"),
        m.get("subject") or m.get("title"),
        m.get("doc_type"),
        m.get("issuer"),
        m.get("issue_date"),
        got.sources[0] if got.sources else None,
    )


def _citations(store: Store, q: AskQuery, today: dt.date) -> Result:
    keys, cites = lookup_refs(store, normalize_query(q.ref or ""), limit=None)
    if q.doc is not None and not q.doc.empty:
        allowed = {d.id for d in find_documents(store, q.doc)[0]}
        cites = [c for c in cites if c.doc_id in allowed]
    cites = sorted(cites, key=lambda c: (c.doc_date or "", c.doc_id, c.start), reverse=True)
    return Result(q, today, citations=tuple(cites), ref_keys=tuple(keys))


def _cited(store: Store, q: AskQuery, today: dt.date) -> Result:
    docs = find_documents(store, q.doc)[0] if q.doc is not None and not q.doc.empty else []
    found: list[RefCitation] = []
    for d in docs:
        got = store.get(d.id)
        if got is None:
            continue
        canon = sorted({r["canonical"] for r in got.data.get("legal_refs", [])})
        found.extend(c for c in store.citations(canon) if c.doc_id == d.id)
    found.sort(key=lambda c: (c.doc_id, c.start))
    return Result(q, today, citations=tuple(found), doc_ids=tuple(d.id for d in docs))


# A topic word corrected: words of at least this many letters, at most this many tries.
TYPO_MIN_LETTERS = 3
TYPO_TRIES = 3


@lru_cache(maxsize=4)
def _name_words(names: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """The words of the agency names and their pairs of neighbours (lower case,
    a pair as "a b"), as written and folded."""
    typed: set[str] = set()
    for n in names:
        ws = [w.lower() for w in tokens(n, folded=False)]
        typed.update(ws)
        typed.update(f"{a} {b}" for a, b in zip(ws, ws[1:], strict=False))
    return frozenset(typed), frozenset(fold(w) for w in typed)


def topic_corrections(store: Store, topic: str) -> list[str]:
    """The topic with one mistyped word corrected ("khoáng sảng" -> "khoáng
    sản"), at most ``TYPO_TRIES`` of them: a word of ``TYPO_MIN_LETTERS`` or
    more that no agency name has, changed into a word one edit away (as typed:
    with its marks, or without any) that an agency name has next to the
    word's neighbour in the topic ("Khoáng sản" in "Tập đoàn Công nghiệp Than -
    Khoáng sản Việt Nam"). Tried only when the topic as typed finds nothing.

    Example:
        >>> topic_corrections(store, "khai thác khoáng sảng")  # doctest: +SKIP
        ['khai thác khoáng sản']
    """
    typed, bare = _name_words(tuple(known_agency_names(store)))
    found = content_words(topic)
    out: list[str] = []
    for i, w in enumerate(found):
        lw = w.lower()
        vocab = bare if fold(lw) == lw else typed
        if lw in vocab or len(fold(lw)) < TYPO_MIN_LETTERS or not lw.isalpha():
            continue
        before = found[i - 1].lower() if i else None
        after = found[i + 1].lower() if i + 1 < len(found) else None
        for c in sorted(v for v in vocab if " " not in v and abs(len(v) - len(lw)) <= 1
                        and one_edit(lw, v)):
            if (before and f"{before} {c}" in vocab) or (after and f"{c} {after}" in vocab):
                out.append(" ".join([*found[:i], c, *found[i + 1:]]))
    return out[:TYPO_TRIES]


def run(store: Store, q: AskQuery, *, today: dt.date, need: int | None = None) -> Result:
    """Answer one query over a store, as of ``today``: the query as it is, or,
    when its topic finds nothing, with a mistyped topic word corrected
    (:func:`topic_corrections`; the result's query then has the corrected topic).

    Example:
        >>> r = run(store, AskQuery(topic="khoáng sảng"), today=dt.date(2024, 7, 1))
        >>> r.query.topic, r.size
        ('khoáng sản', 16)
    """
    r = _run(store, q, today=today, need=need)
    if q.topic and not r.size and q.target in ("tasks", "documents"):
        for topic in topic_corrections(store, q.topic):
            again = _run(store, replace(q, topic=topic), today=today, need=need)
            if again.size:
                return again
    return r


def _run(store: Store, q: AskQuery, *, today: dt.date, need: int | None = None) -> Result:
    """One query over a store, as it is (see :func:`run`).

    ``need`` is how many items the caller lists (a page's end); without it
    every result is there (what the evaluation compares). A count is exact
    either way.
    """
    if q.target == "documents":
        return _documents(store, q, today, need if q.ask in ("list", "count", "yesno") else None)
    if q.target == "citations":
        return _citations(store, q, today)
    if q.target == "cited":
        return _cited(store, q, today)
    return _tasks(store, q, today, need)
