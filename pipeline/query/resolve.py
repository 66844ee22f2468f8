"""Questions the store answers with help from the extractors' tables.

Shared by the CLI and the API: resolving a loose agency name to the
canonical names in the store (aliases, accent-free spelling, former names
after the 2025 reorganization), and a loose legal reference to canonical
keys; and the paged reads built on them (an owner's tasks, a reference's
citations), each with its total, for the register, /refs and /ask.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import lru_cache

from extractors.collectives import collective_includes
from extractors.gazetteer import ProvinceRow, gazetteer, split_name
from extractors.legal_refs import parse_ref_query
from extractors.textnorm import tokens
from pipeline.query.owners import OwnerIndex
from pipeline.query.plan import spelled_out
from pipeline.store.base import Page, RefCitation, Store, TaskQuery, TaskRecord

_OWNERS = OwnerIndex()


def warm_up(store: Store | None = None) -> None:
    """Load the rule tables that owner, reference and search queries read,
    and index the store's agency names.

    They load lazily, once per process (about 0.3-0.6 s, mostly the agency
    gazetteer; the names about 0.1 ms each): a server calls this at start so
    that its first request after a restart doesn't pay for it.
    """
    import datetime as dt

    from extractors.agencies import match_agency_query
    from pipeline.query.plan import plan
    from pipeline.query.question import parse

    match_agency_query("Sở Tài chính tỉnh Bắc Ninh", ["Sở Tài chính tỉnh Bắc Ninh"])
    parse_ref_query("Nghị định 35/2022/NĐ-CP")
    plan("UBND")
    # the question tables, the law names and the place names a question reads
    parse("Sở Tài chín Bắc Nnh có bao nhiêu việc theo Luật Đầu tư quá hạn không?",
          today=dt.date(2024, 1, 1))
    if store is not None:
        _OWNERS.sync(_agency_names(store))


def known_agency_names(store: Store) -> list[str]:
    return list(_agency_names(store))


class _Names(tuple[str, ...]):
    """The store's agency names as one value whose hash is computed once: the
    queries below are remembered per query and name set (16k names at 10k
    documents; hashing them again was most of a cached answer's cost)."""

    _hash: int

    def __new__(cls, names: tuple[str, ...]) -> _Names:
        self = super().__new__(cls, names)
        self._hash = tuple.__hash__(self)
        return self

    def __hash__(self) -> int:
        return self._hash


_last_names: tuple[tuple[str, ...], _Names] = ((), _Names(()))


def _agency_names(store: Store) -> _Names:
    """The store's agency names, sorted: one tuple per write generation where
    the store keeps one (``agency_names``), wrapped once."""
    global _last_names
    get = getattr(store, "agency_names", None)
    names: tuple[str, ...] = get() if get is not None else tuple(a.name for a in store.agencies())
    seen, wrapped = _last_names
    if names is seen:
        return wrapped
    wrapped = _Names(names)
    _last_names = (names, wrapped)
    return wrapped


def resolve_owner(store: Store, q: str) -> list[str]:
    """Canonical agency names in the store that a user's owner filter means.

    Example:
        >>> resolve_owner(store, "so tai chinh bac ninh")  # doctest: +SKIP
        ['Sở Tài chính tỉnh Bắc Ninh', 'Sở Kế hoạch và Đầu tư tỉnh Bắc Giang', ...]
    """
    names = _agency_names(store)
    found = _resolve(q, names)
    if not found:  # staff abbreviations: "STC", "SKHĐT", "VP UBND", "BQL KCN"
        full = spelled_out(q)
        if full != q:
            found = _resolve(full, names)
    return list(found)


def collectives_including(store: Store, agencies: Sequence[str]) -> list[str]:
    """The collective owners in the store that include one of ``agencies``:
    "UBND các tỉnh, thành phố trực thuộc Trung ương" for "UBND tỉnh Đồng Nai".

    Example:
        >>> collectives_including(store, ["UBND tỉnh Đồng Nai"])  # doctest: +SKIP
        ['UBND các tỉnh, thành phố trực thuộc Trung ương']
    """
    if not agencies:
        return []
    return [c for c in store.collectives()
            if any(collective_includes(c, a) for a in agencies)]


# resolve_owner is a pure function of the query and the agency names: answered
# from the owner index (pipeline/query/owners.py), and remembered per query
# and name set, so a repeated filter or an export after viewing costs nothing.
@lru_cache(maxsize=256)
def _resolve(q: str, names: tuple[str, ...]) -> tuple[str, ...]:
    _OWNERS.sync(names)
    matches = _OWNERS.match(q)
    # Former names count through a successor the query names directly: asking
    # for "Sở Tài chính tỉnh Bắc Ninh" brings in "Sở Kế hoạch và Đầu tư tỉnh
    # Bắc Giang", but a bare "Sở Tài chính" doesn't bring in the planning
    # department of a province whose finance department isn't in the store.
    words = set(tokens(q)) - _FILLER
    direct = [m for m in matches if any(words <= form for form in _OWNERS.entry(m).forms)]
    if not direct:
        return tuple(matches)
    keep = set(direct)
    return tuple(m for m in matches if m in keep or _OWNERS.entry(m).current in keep)


_FILLER = {"tinh", "thanh", "pho", "cac", "so", "ban"}


def owner_task_page(
    store: Store, owner: str, query: TaskQuery | None = None, *, with_collectives: bool = False,
) -> tuple[list[str], Page[TaskRecord]]:
    """The agency names an owner filter means, and one page of their tasks
    (``query.offset``/``limit``, its other filters and order) with the total.

    Example:
        >>> names, page = owner_task_page(store, "Sở Tài chính", TaskQuery(role="lead", limit=20))
        >>> page.total, len(page.items)
        (1000, 20)
    """
    names = resolve_owner(store, owner)
    if with_collectives:
        names = list(dict.fromkeys([*names, *collectives_including(store, names)]))
    if not names:
        return [], Page((), 0)
    query = dataclasses.replace(query or TaskQuery(), owner_names=tuple(names))
    return names, store.task_page(query)


def ref_keys_for(store: Store, q: str) -> list[str]:
    """Canonical references matching loose input, from the store's key index.

    Example:
        >>> ref_keys_for(store, "nghi dinh 35/2022")
        ['Nghị định 35/2022/NĐ-CP']
    """
    rq = parse_ref_query(q)
    if rq is None:
        return []
    find = getattr(store, "find_ref_keys", None)
    if find is not None:
        candidates = find(rq.type, rq.number_prefix)
    else:  # a backend without the key index (ElasticStore before it has one)
        digits = rq.required_digits
        head = f"{rq.type} " if rq.type else ""
        candidates = [k for k in store.ref_keys()
                      if (digits is None or digits in k) and k.startswith(head)]
    return [k for k in candidates if rq.matches(k)]


def citation_page(
    store: Store, q: str, *, offset: int = 0, limit: int = 50
) -> tuple[list[str], Page[RefCitation]]:
    """The keys loose input means and one page of their citations (newest
    citing document first), with the total.

    Example:
        >>> keys, page = citation_page(store, "luat dau tu", limit=50)
        >>> page.total
        5522
    """
    keys = ref_keys_for(store, q)
    if not keys:
        return [], Page((), 0)
    paged = getattr(store, "citation_page", None)
    if paged is not None:
        return keys, paged(keys, offset=offset, limit=limit)
    every = store.citations(keys)  # a backend without paged citations
    return keys, Page(tuple(every[offset: offset + limit]), len(every))


def lookup_refs(
    store: Store, q: str, *, limit: int | None = 500
) -> tuple[list[str], list[RefCitation]]:
    """Canonical references matching loose input, and their citations (up to ``limit``).

    Example:
        >>> keys, cites = lookup_refs(store, "nghi dinh 35/2022")  # doctest: +SKIP
        >>> keys  # doctest: +SKIP
        ['Nghị định 35/2022/NĐ-CP']
    """
    keys = ref_keys_for(store, q)
    return keys, store.citations(keys, limit=limit) if keys else []


def agencies_in_province(store: Store, province: str) -> list[str]:
    """Agency names in the store whose jurisdiction is ``province``.

    A body of a province merged on 1/7/2025 counts for the province that took
    it over ("Bắc Ninh" takes in the bodies of Bắc Giang), as the owner filter
    counts former names. An unknown province has no agencies.

    Example:
        >>> agencies_in_province(store, "Lai Châu")[:2]  # doctest: +SKIP
        ['Sở Kế hoạch và Đầu tư tỉnh Lai Châu', 'UBND tỉnh Lai Châu']
    """
    return list(_in_province(province, _agency_names(store)))


@lru_cache(maxsize=64)
def _in_province(province: str, names: tuple[str, ...]) -> tuple[str, ...]:
    g = gazetteer()
    want = g.province(province)
    if want is None:
        return ()
    out = []
    for name in names:
        row = _province_of(name)
        if row is not None and (row.id == want.id or g.final(row).id == want.id):
            out.append(name)
    return tuple(out)


@lru_cache(maxsize=8192)
def _province_of(name: str) -> ProvinceRow | None:
    g = gazetteer()
    parts = split_name(name)
    if parts is not None and parts.place is not None and parts.place.province.id != "?":
        return parts.place.province
    # Collectives ("UBND các huyện, thành phố thuộc tỉnh Lai Châu"): the place they end with.
    folded = " ".join(tokens(name))
    for k, row in g.province_keys.items():
        if folded.endswith(" " + k):
            return row
    return None
