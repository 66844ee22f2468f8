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


# A district's own site named by its level and name: "huyendamha.vn", "thixakyanh.vn".
_DISTRICT_SITE = re.compile(r"^(?P<level>huyen|thixa|quan|thanhpho|tp)(?P<name>[a-z]{3,})$")
_LEVELS = {
    "huyen": "huyện",
    "thixa": "thị xã",
    "quan": "quận",
    "thanhpho": "thành phố",
    "tp": "thành phố",
}


def place_from_url(url: str | None, province: str | None = None) -> Place | None:
    """The province, or the district of a province, a ``.gov.vn`` address names;
    or the district of ``province`` a district's own site is named after
    ("huyendamha.vn").

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
    if labels[0] == "www":
        labels = labels[1:]
    site = _DISTRICT_SITE.match(labels[0].replace("-", "")) if labels else None
    row = gazetteer().province(province) if province and site else None
    if site is not None and row is not None:
        for d in row.districts:
            if _squeeze(d.name) == site["name"] and d.type == _LEVELS[site["level"]]:
                return Place(row, d)
    if len(labels) < 3 or labels[-2:] != ["gov", "vn"]:
        return None
    portal = _provinces().get(labels[-3].replace("-", ""))
    if portal is None:
        return None
    if len(labels) >= 4:
        sub = labels[-4].replace("-", "")
        for d in portal.districts:
            if _squeeze(d.name) == sub:
                return Place(portal, d)
    return Place(portal)


def portal_district(url: str | None, province: str | None = None) -> str | None:
    """The district a district portal's address names ("huyện Cái Nước"), else None.

    Example:
        >>> portal_district("https://moduc.quangngai.gov.vn/tin/1")
        'huyện Mộ Đức'
        >>> portal_district("https://huyenmoduc.vn/?p=1", "Quảng Ngãi")
        'huyện Mộ Đức'
    """
    place = place_from_url(url, province)
    return place.unit if place is not None and place.district is not None else None
