"""Questions the store answers with help from the extractors' tables.

Shared by the CLI and the API: resolving a loose agency name to the
canonical names in the store (aliases, accent-free spelling, former names
after the 2025 reorganization), and a loose legal reference to canonical keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from extractors.agencies import agency_aliases, current_name, match_agency_query
from extractors.collectives import collective_includes
from extractors.gazetteer import ProvinceRow, gazetteer, split_name
from extractors.legal_refs import parse_ref_query
from extractors.textnorm import tokens
from pipeline.query.plan import spelled_out
from pipeline.store.base import RefCitation, Store


def warm_up() -> None:
    """Load the rule tables that owner, reference and search queries read.

    They load lazily, once per process (about 0.3-0.6 s, mostly the agency
    gazetteer): a server calls this at start so that its first request after
    a restart doesn't pay for it.
    """
    import datetime as dt

    from pipeline.query.plan import plan
    from pipeline.query.question import parse

    match_agency_query("Sở Tài chính tỉnh Bắc Ninh", ["Sở Tài chính tỉnh Bắc Ninh"])
    parse_ref_query("Nghị định 35/2022/NĐ-CP")
    plan("UBND")
    # the question tables, the law names and the place names a question reads
    parse("Sở Tài chín Bắc Nnh có bao nhiêu việc theo Luật Đầu tư quá hạn không?",
          today=dt.date(2024, 1, 1))


def known_agency_names(store: Store) -> list[str]:
    return [a.name for a in store.agencies()]


def resolve_owner(store: Store, q: str) -> list[str]:
    """Canonical agency names in the store that a user's owner filter means.

    Example:
        >>> resolve_owner(store, "so tai chinh bac ninh")  # doctest: +SKIP
        ['Sở Tài chính tỉnh Bắc Ninh', 'Sở Kế hoạch và Đầu tư tỉnh Bắc Giang', ...]
    """
    names = tuple(known_agency_names(store))
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


# resolve_owner is a pure function of the query and the agency names, so its
# answers are remembered (per query and name set; a new name is a new key). A
# query that names no known body is compared with every alias of every name,
# about 0.45 s for 2k names at 100k documents; a repeated owner filter, an
# export after viewing, or the same filter after an ingest that added no agency
# name then costs nothing.
@lru_cache(maxsize=256)
def _resolve(q: str, names: tuple[str, ...]) -> tuple[str, ...]:
    matches = match_agency_query(q, names)
    # Former names count through a successor the query names directly: asking
    # for "Sở Tài chính tỉnh Bắc Ninh" brings in "Sở Kế hoạch và Đầu tư tỉnh
    # Bắc Giang", but a bare "Sở Tài chính" doesn't bring in the planning
    # department of a province whose finance department isn't in the store.
    words = set(tokens(q)) - _FILLER
    direct = [
        m for m in matches
        if any(words <= set(tokens(form)) for form in (m, *agency_aliases(m)))
    ]
    if not direct:
        return tuple(matches)
    keep = set(direct)
    return tuple(m for m in matches if m in keep or current_name(m) in keep)


_FILLER = {"tinh", "thanh", "pho", "cac", "so", "ban"}


def lookup_refs(
    store: Store, q: str, *, limit: int | None = 500
) -> tuple[list[str], list[RefCitation]]:
    """Canonical references matching loose input, and every citation of them.

    Example:
        >>> keys, cites = lookup_refs(store, "nghi dinh 35/2022")  # doctest: +SKIP
        >>> keys  # doctest: +SKIP
        ['Nghị định 35/2022/NĐ-CP']
    """
    rq = parse_ref_query(q)
    if rq is None:
        return [], []
    # Cheap string tests first: a key must hold the query's digits and start
    # with its type (canonical keys are "<type> <number>").
    digits = rq.required_digits
    head = f"{rq.type} " if rq.type else ""
    keys = [
        k for k in store.ref_keys()
        if (digits is None or digits in k) and k.startswith(head) and rq.matches(k)
    ]
    return keys, store.citations(keys, limit=limit)


def agencies_in_province(store: Store, province: str) -> list[str]:
    """Agency names in the store whose jurisdiction is ``province``.

    A body of a province merged on 1/7/2025 counts for the province that took
    it over ("Bắc Ninh" takes in the bodies of Bắc Giang), as the owner filter
    counts former names. An unknown province has no agencies.

    Example:
        >>> agencies_in_province(store, "Lai Châu")[:2]  # doctest: +SKIP
        ['Sở Kế hoạch và Đầu tư tỉnh Lai Châu', 'UBND tỉnh Lai Châu']
    """
    return list(_in_province(province, tuple(known_agency_names(store))))


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
