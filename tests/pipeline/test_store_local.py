"""LocalStore: SQLite record + tantivy index, on disk in a temp folder."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.store.base import SearchQuery, TaskQuery, TaskUpdate
from pipeline.store.errors import NotFound
from pipeline.store.local import LocalStore


@pytest.fixture
def store(tmp_path: Path, sample_docs):  # type: ignore[no-untyped-def]
    s = LocalStore(tmp_path / "data")
    s.put_many(sample_docs)
    yield s
    s.close()


def ids(res) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.id for h in res.hits]


def test_search_with_and_without_diacritics_ranks_the_same(store, sample_docs) -> None:
    a = store.search(SearchQuery(q="Sở Tài chính"))
    b = store.search(SearchQuery(q="so tai chinh"))
    assert ids(a)[0] == sample_docs[0].id
    assert ids(a) == ids(b)


def test_d_folds_to_d(store, sample_docs) -> None:
    res = store.search(SearchQuery(q="dat dai"))
    assert ids(res) == [sample_docs[1].id]
    assert "<mark>đất</mark> <mark>đai</mark>" in res.hits[0].snippets[0]


def test_abbreviation_matches_spelled_out_form(store, sample_docs) -> None:
    # "khu công nghiệp" is written out in doc 3; "KCN" only in doc 1.
    found = set(ids(store.search(SearchQuery(q="KCN"))))
    assert {sample_docs[0].id, sample_docs[2].id} <= found


def test_filters_and_facets(store, sample_docs) -> None:
    res = store.search(SearchQuery(q="", issuer="UBND tỉnh Quảng Trị"))
    assert ids(res) == [sample_docs[1].id]
    res = store.search(SearchQuery(q="", date_from="2023-06-01", date_to="2023-12-31"))
    assert ids(res) == [sample_docs[2].id]
    res = store.search(SearchQuery(q=""))
    assert dict(res.facets["doc_type"]) == {"Thông báo": 1, "Công văn": 1, "Kế hoạch": 1}
    assert dict(res.facets["year"]) == {"2024": 1, "2023": 2}


def test_query_syntax_is_not_interpreted(store) -> None:
    for q in ['title:"x"', "AND OR NOT", "(((", "*", "so~2 tai^5", "\\", '"unclosed']:
        store.search(SearchQuery(q=q))  # no exception


def test_reingest_changes_nothing(tmp_path: Path, sample_docs) -> None:
    s = LocalStore(tmp_path / "d")
    assert s.put_many(sample_docs) == ["added"] * 3
    before = s.search(SearchQuery(q="")).total
    assert s.put_many(sample_docs) == ["unchanged"] * 3
    assert s.count() == 3
    assert s.search(SearchQuery(q="")).total == before == 3
    s.close()


def test_changed_file_replaces_its_old_version(tmp_path: Path, sample_docs) -> None:
    from tests.conftest import make_doc

    s = LocalStore(tmp_path / "d")
    s.put(sample_docs[2])
    newer = make_doc("Tin tức đã sửa: nội dung mới.", source="c.txt")
    assert s.put(newer) == "replaced"
    assert s.count() == 1 and not s.has(sample_docs[2].id)
    assert ids(s.search(SearchQuery(q="noi dung moi"))) == [newer.id]
    s.close()


def test_tasks_status_as_of_a_date(store, today) -> None:
    overdue = store.tasks(TaskQuery(status="overdue", today=today))
    assert [t.deadline for t in overdue] == ["2024-03-31", "2024-06-30"]
    assert store.tasks(TaskQuery(status="overdue", today=dt.date(2024, 4, 1)))[0].deadline == (
        "2024-03-31"
    )
    soon = store.tasks(TaskQuery(status="due_soon", today=dt.date(2024, 6, 25)))
    assert [t.deadline for t in soon] == ["2024-06-30"]
    none = store.tasks(TaskQuery(status="no_deadline", today=today))
    assert len(none) == 1


def test_task_owner_and_role_filters(store) -> None:
    lead = store.tasks(TaskQuery(owner_names=("Sở Xây dựng tỉnh Bắc Giang",), role="lead"))
    coop = store.tasks(
        TaskQuery(owner_names=("Sở Xây dựng tỉnh Bắc Giang",), role="cooperating")
    )
    assert lead == [] and len(coop) == 1


def test_task_full_text(store) -> None:
    found = store.tasks(TaskQuery(q="phong chay chua chay"))
    assert len(found) == 1 and "phòng cháy" in found[0].text


def test_task_update_survives_reingest_and_is_recorded(tmp_path: Path, sample_docs) -> None:
    s = LocalStore(tmp_path / "d")
    s.put_many(sample_docs)
    t = s.tasks(TaskQuery(status="overdue", today=dt.date(2024, 7, 1)))[0]
    s.update_task(t.id, TaskUpdate(done=True), who="lan")
    s.update_task(t.id, TaskUpdate(owners=("Sở Xây dựng tỉnh Bắc Giang",)), who="lan")
    s.delete(sample_docs[0].id)
    s.put_many(sample_docs)  # re-ingest the source
    again = s.get_task(t.id)
    assert again is not None and again.done and again.owners == ("Sở Xây dựng tỉnh Bắc Giang",)
    assert again.updated_by == "lan"
    assert [h["field"] for h in s.task_history(t.id)] == ["done", "owners"]
    lead = s.tasks(TaskQuery(owner_names=("Sở Xây dựng tỉnh Bắc Giang",), role="lead"))
    assert [x.id for x in lead] == [t.id]
    with pytest.raises(NotFound):
        s.update_task("nope", TaskUpdate(done=True), who="x")
    s.close()


def test_citations_and_top_refs(store, sample_docs) -> None:
    cites = store.citations(["Nghị định 35/2022/NĐ-CP"])
    assert {c.doc_id for c in cites} == {sample_docs[0].id, sample_docs[1].id}
    first = next(c for c in cites if c.doc_id == sample_docs[0].id)
    assert first.pinpoint == "khoản 4 Điều 9"
    assert "khoản 4 Điều 9" in first.context
    assert store.top_refs() == [("Nghị định 35/2022/NĐ-CP", 2)]


def test_reindex_rebuilds_from_sqlite(store, sample_docs) -> None:
    import shutil

    before = ids(store.search(SearchQuery(q="so tai chinh")))
    store.close()
    shutil.rmtree(store.dir / "index")
    s = LocalStore(store.dir)
    assert s.search(SearchQuery(q="so tai chinh")).total == 0
    assert s.reindex() == 3
    assert ids(s.search(SearchQuery(q="so tai chinh"))) == before
    s.close()


def test_pending_index_work_is_recovered(tmp_path: Path, sample_docs) -> None:
    """A crash after the SQLite commit but before the tantivy commit."""
    s = LocalStore(tmp_path / "d")
    s._write_sql(sample_docs[1])  # stored, index not yet updated
    s.close()
    s2 = LocalStore(tmp_path / "d")
    assert s2.search(SearchQuery(q="dat dai")).total == 0
    assert s2.recover() == 1
    assert s2.search(SearchQuery(q="dat dai")).total == 1
    s2.close()


def test_one_transaction_per_document(tmp_path: Path, sample_docs) -> None:
    """A failure inside a document's write leaves nothing of it behind."""
    s = LocalStore(tmp_path / "d")
    bad = replace(sample_docs[0], tasks=(*sample_docs[0].tasks, None))  # type: ignore[arg-type]
    with pytest.raises(AttributeError):  # None has no .text
        s.put(bad)
    conn = sqlite3.connect(tmp_path / "d" / "vndoc.sqlite3")
    assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM tasks").fetchone()[0] == 0
    conn.close()
    s.close()


def test_whole_store_answers_follow_every_write(tmp_path: Path, sample_docs) -> None:
    """agencies() and ref_keys() are cached per write generation, across processes."""
    s = LocalStore(tmp_path / "d")
    s.put(sample_docs[2])
    assert s.ref_keys() == [] and s.agencies() == s.agencies()
    other = LocalStore(tmp_path / "d")  # another connection writes
    other.put(sample_docs[1])
    other.close()
    assert s.ref_keys() == ["Nghị định 35/2022/NĐ-CP"]
    names = {a.name for a in s.agencies()}
    assert "Sở Tài nguyên và Môi trường tỉnh Quảng Trị" in names
    t = s.tasks(TaskQuery())[0]
    s.update_task(t.id, TaskUpdate(owners=("Sở Xây dựng tỉnh Bắc Giang",)), who="lan")
    assert "Sở Xây dựng tỉnh Bắc Giang" in {a.name for a in s.agencies()}
    s.close()


def test_citations_limit(store) -> None:
    assert len(store.citations(["Nghị định 35/2022/NĐ-CP"])) == 2
    assert len(store.citations(["Nghị định 35/2022/NĐ-CP"], limit=1)) == 1


def test_one_document_in_two_files_is_stored_once(tmp_path: Path) -> None:
    """A PDF and a DOCX of one Công văn: same number, issuer, date and words."""
    from tests.conftest import make_doc

    text = "Công văn 707/UBND-KT\nGiao Sở Tài nguyên và Môi trường rà soát hồ sơ đất đai."
    a = make_doc(text, source="cv707.pdf", doc_type="Công văn", number="707/UBND-KT")
    b = make_doc(text + "\nTrang 1", source="cv707.docx", doc_type="Công văn",
                 number="707/UBND-KT")
    other = make_doc("Công văn 707/UBND-KT\nMột nội dung hoàn toàn khác về y tế học đường.",
                     source="other.txt", doc_type="Công văn", number="707/UBND-KT")
    with LocalStore(tmp_path / "d") as s:
        assert s.put_many([a, b, other]) == ["added", "unchanged", "added"]
        assert s.count() == 2
        assert s.get(a.id).sources == ("cv707.docx", "cv707.pdf")  # type: ignore[union-attr]
