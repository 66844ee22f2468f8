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
    from pipeline.query.plan import plan

    match_agency_query("Sở Tài chính tỉnh Bắc Ninh", ["Sở Tài chính tỉnh Bắc Ninh"])
    parse_ref_query("Nghị định 35/2022/NĐ-CP")
    plan("UBND")


def known_agency_names(store: Store) -> list[str]:
    return [a.name for a in store.agencies()]


def resolve_owner(store: Store, q: str) -> list[str]:
    """Canonical agency names in the store that a user's owner filter means.

    Example:
        >>> resolve_owner(store, "so tai chinh bac ninh")
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
        >>> collectives_including(store, ["UBND tỉnh Đồng Nai"])
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
        >>> keys, cites = lookup_refs(store, "nghi dinh 35/2022")
        >>> keys
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
