"""The owner index (pipeline/query/owners.py) answers exactly what
``extractors.agencies.match_agency_query`` answers, from its index, for every
kind of owner query: a body, a kind of body, an alias or abbreviation, a
former name, accent-free spelling, a collective, an unknown body, junk."""

from __future__ import annotations

import random

import pytest

from extractors.agencies import agency_aliases, match_agency_query
from extractors.gazetteer import gazetteer
from pipeline.query.owners import OwnerIndex, aliases

PROVINCES = ["Bắc Giang", "Bắc Ninh", "Quảng Trị", "Thừa Thiên Huế", "Lai Châu", "Đồng Nai"]


def _names() -> list[str]:
    g = gazetteer()
    rng = random.Random(7)
    out = set()
    for d in g.agencies.departments:
        if "Sở" in d.levels:
            for p in rng.sample(PROVINCES, 2):
                out.add(f"Sở {d.name} tỉnh {p}")
        if "Bộ" in d.levels:
            out.add(f"Bộ {d.name}")
    out.update(b.name for b in g.agencies.bodies)
    for p in PROVINCES:
        out.update({f"UBND tỉnh {p}", f"HĐND tỉnh {p}", f"Ban Quản lý các KCN tỉnh {p}",
                    f"Văn phòng UBND tỉnh {p}", f"Công an tỉnh {p}"})
    out.update({
        "UBND huyện Gio Linh", "UBND thành phố Huế", "Sở Kế hoạch và Đầu tư tỉnh Bắc Giang",
        "UBND các tỉnh, thành phố trực thuộc Trung ương", "các sở, ban, ngành tỉnh Lai Châu",
        "Trường Phổ thông nội trú liên thành phố", "Công ty TNHH Một thành viên Xổ số",
        "Bệnh viện Bạch Mai", "Sở Nông nghiệp và",
    })
    return sorted(out)


NAMES = _names()


@pytest.fixture(scope="module")
def index() -> OwnerIndex:
    idx = OwnerIndex()
    idx.sync(NAMES)
    return idx


def _queries() -> list[str]:
    rng = random.Random(3)
    picked = rng.sample(NAMES, 25)
    qs = [
        "Sở Tài chính", "so tai chinh", "SỞ TÀI CHÍNH TỈNH BẮC NINH", "so tai chinh bac ninh",
        "Sở Kế hoạch và Đầu tư", "UBND", "ubnd tinh quang tri", "uy ban nhan dan tinh bac giang",
        "HĐND tỉnh Lai Châu", "Ban Quản lý các KCN", "bql kcn bac giang", "khu cong nghiep",
        "Sở Nông nghiệp và", "Sở Hạnh phúc", "abc xyz", "tinh", "các", "Bộ Tài chính",
        "Văn phòng Chính phủ", "Thủ tướng Chính phủ", "UBND thành phố Huế", "Công an",
        "UBND các tỉnh, thành phố trực thuộc Trung ương", "truong pho thong", "Xổ số",
    ]
    qs += picked
    qs += [a for n in picked[:8] for a in agency_aliases(n)[:2]]
    return qs


@pytest.mark.parametrize("q", _queries())
def test_same_answer_as_match_agency_query(index: OwnerIndex, q: str) -> None:
    assert index.match(q) == match_agency_query(q, NAMES)


def test_aliases_are_agency_aliases() -> None:
    for name in NAMES:
        assert aliases(name) == agency_aliases(name), name


def test_answers_follow_the_names_synced(index: OwnerIndex) -> None:
    fresh = OwnerIndex()
    fresh.sync(["Sở Tài chính tỉnh Bắc Giang"])
    assert fresh.match("so tai chinh") == ["Sở Tài chính tỉnh Bắc Giang"]
    fresh.sync(["Sở Tài chính tỉnh Bắc Ninh", "Sở Y tế tỉnh Bắc Ninh"])  # the first is gone
    assert fresh.match("so tai chinh") == ["Sở Tài chính tỉnh Bắc Ninh"]
    assert fresh.match("so y te bac ninh") == ["Sở Y tế tỉnh Bắc Ninh"]
    assert fresh.match("") == []


def test_a_few_names_added_or_gone_answer_as_a_fresh_index() -> None:
    """After a write the index takes in the names added and drops those gone
    (issue #20: indexing every name again cost the first owner query after
    every batch of an ingest 50-90 ms); it answers as an index synced afresh."""
    rng = random.Random(11)
    changed = OwnerIndex()
    changed.sync(NAMES)
    names = list(NAMES)
    for _ in range(4):
        gone = set(rng.sample(names, 3))
        extra = [f"Sở Tài chính tỉnh {p}" for p in ("Lào Cai", "Cà Mau", "Hà Giang")
                 if f"Sở Tài chính tỉnh {p}" not in names][:rng.randint(0, 3)]
        names = sorted({*(n for n in names if n not in gone), *extra})
        changed.sync(names)
        fresh = OwnerIndex()
        fresh.sync(names)
        for q in [*_queries(), *sorted(gone)]:
            assert changed.match(q) == fresh.match(q) == match_agency_query(q, names), q
