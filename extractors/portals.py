"""The place a government portal's address names.

A provincial portal lives at ``<province>.gov.vn`` and a district's at
``<district>.<province>.gov.vn`` ("cainuoc.camau.gov.vn" is huyện Cái Nước of
Cà Mau). News a district portal publishes often says only "Chủ tịch UBND
huyện" and "Phòng Kinh tế và Hạ tầng": the address is where the district is
named. The labels are compared with the gazetteer's names folded, without
spaces or hyphens.
"""

from __future__ import annotations

import re
from functools import cache

from extractors.gazetteer import Place, ProvinceRow, gazetteer, key

_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?P<host>[^/?#:]+)", re.IGNORECASE)


def _squeeze(name: str) -> str:
    return key(name).replace(" ", "").replace("-", "")


@cache
def _provinces() -> dict[str, ProvinceRow]:
    out: dict[str, ProvinceRow] = {}
    for p in gazetteer().provinces.provinces:  # rows before 2025 come first and win
        for n in [p.name, *p.aliases]:
            out.setdefault(_squeeze(n), p)
    return out


def place_from_url(url: str | None) -> Place | None:
    """The province, or the district of a province, a ``.gov.vn`` address names.

    Example:
        >>> place_from_url("https://cainuoc.camau.gov.vn/thoi-su/tin-156877").unit
        'huyện Cái Nước'
        >>> place_from_url("https://www.quangtri.gov.vn/tin").unit
        'tỉnh Quảng Trị'
        >>> place_from_url("https://vnexpress.net/a.html") is None
        True
    """
    m = _HOST.match((url or "").strip())
    if m is None:
        return None
    labels = m["host"].lower().split(".")
    if len(labels) < 3 or labels[-2:] != ["gov", "vn"]:
        return None
    province = _provinces().get(labels[-3].replace("-", ""))
    if province is None:
        return None
    if len(labels) >= 4:
        sub = labels[-4].replace("-", "")
        for d in province.districts:
            if _squeeze(d.name) == sub:
                return Place(province, d)
    return Place(province)


def portal_district(url: str | None) -> str | None:
    """The district a district portal's address names ("huyện Cái Nước"), else None.

    Example:
        >>> portal_district("https://moduc.quangngai.gov.vn/tin/1")
        'huyện Mộ Đức'
    """
    place = place_from_url(url)
    return place.unit if place is not None and place.district is not None else None
