"""Questions the store answers with help from the extractors' tables.

Shared by the CLI and the API: resolving a loose agency name to the
canonical names in the store (aliases, accent-free spelling, former names
after the 2025 reorganization), and a loose legal reference to canonical keys.
"""

from __future__ import annotations

from extractors.agencies import agency_aliases, current_name, match_agency_query
from extractors.legal_refs import parse_ref_query
from extractors.textnorm import tokens
from pipeline.store.base import RefCitation, Store


def known_agency_names(store: Store) -> list[str]:
    return [a.name for a in store.agencies()]


def resolve_owner(store: Store, q: str) -> list[str]:
    """Canonical agency names in the store that a user's owner filter means.

    Example:
        >>> resolve_owner(store, "so tai chinh bac ninh")
        ['Sở Tài chính tỉnh Bắc Ninh', 'Sở Kế hoạch và Đầu tư tỉnh Bắc Giang', ...]
    """
    matches = match_agency_query(q, known_agency_names(store))
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
        return matches
    keep = set(direct)
    return [m for m in matches if m in keep or current_name(m) in keep]


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
