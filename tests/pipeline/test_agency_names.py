"""The store's agency names, one tuple per write generation, as owner filters read them."""

from __future__ import annotations

from pathlib import Path

from pipeline.query.resolve import agencies_in_province, known_agency_names, resolve_owner
from pipeline.store.local import LocalStore
from tests.conftest import make_doc


def test_one_tuple_until_a_write_then_the_new_names(tmp_path: Path) -> None:
    with LocalStore(tmp_path / "d") as s:
        s.put(make_doc("Sở Y tế tỉnh Bắc Giang chủ trì.", source="a.txt", number="1/TB-UBND",
                       agencies=("Sở Y tế tỉnh Bắc Giang",)))
        first = s.agency_names()
        assert s.agency_names() is first
        assert list(first) == [a.name for a in s.agencies()]
        assert resolve_owner(s, "so y te") == ["Sở Y tế tỉnh Bắc Giang"]
        assert resolve_owner(s, "so tai chinh") == []
        s.put(make_doc("Sở Tài chính tỉnh Bắc Giang chủ trì.", source="b.txt",
                       number="2/TB-UBND", agencies=("Sở Tài chính tỉnh Bắc Giang",)))
        now = s.agency_names()
        assert now is not first and "Sở Tài chính tỉnh Bắc Giang" in now
        assert known_agency_names(s) == list(now)
        assert resolve_owner(s, "so tai chinh") == ["Sở Tài chính tỉnh Bắc Giang"]
        assert sorted(agencies_in_province(s, "Bắc Giang")) == sorted(now)
