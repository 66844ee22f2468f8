"""One suite, every backend: LocalStore and ElasticStore must give the same answers.

Each test runs once per store (ids ``[local]`` and ``[elastic]``) on a fresh
store holding the three sample documents of tests/conftest.py. Where the
stores may legitimately differ (exact BM25 scores: tantivy and Lucene
normalize differently), a test compares the ranks of clearly relevant
documents, never score values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from extractors.model import LegalRef
from extractors.textnorm import tokens
from pipeline.store.base import NewTask, SearchQuery, TaskQuery, TaskUpdate, task_id
from pipeline.store.errors import NotFound, QueryError
from tests.conftest import make_doc

ND35 = "Nghị định 35/2022/NĐ-CP"


def ids(res: Any) -> list[str]:
    return [h.id for h in res.hits]


# -- search -----------------------------------------------------------------------


def test_search_with_and_without_diacritics_ranks_the_same(store, sample_docs) -> None:
    a = store.search(SearchQuery(q="Sở Tài chính"))
    b = store.search(SearchQuery(q="so tai chinh"))
    assert ids(a)[0] == sample_docs[0].id
    assert ids(a) == ids(b)


@pytest.mark.parametrize("q", ["khu công nghiệp", "Quản lý", "đất đai huyện Gio Linh"])
def test_accent_free_query_finds_the_same_documents_in_the_same_order(store, q) -> None:
    from extractors.textnorm import fold

    assert ids(store.search(SearchQuery(q=q))) == ids(store.search(SearchQuery(q=fold(q))))


def test_d_folds_to_d(store, sample_docs) -> None:
    res = store.search(SearchQuery(q="dat dai"))
    assert ids(res) == [sample_docs[1].id]
    assert "<mark>đất</mark> <mark>đai</mark>" in res.hits[0].snippets[0]


def test_abbreviation_matches_spelled_out_form_and_back(store, sample_docs) -> None:
    # "khu công nghiệp" is written out in docs 1 (title) and 3; "KCN" only in doc 1.
    found = set(ids(store.search(SearchQuery(q="KCN"))))
    assert found == {sample_docs[0].id, sample_docs[2].id}
    back = set(ids(store.search(SearchQuery(q="khu cong nghiep"))))
    assert back == {sample_docs[0].id, sample_docs[2].id}
    # Synonyms sit inside a longer query too: "BQL các KCN" = "Ban Quản lý các KCN".
    assert ids(store.search(SearchQuery(q="BQL cac KCN")))[0] == sample_docs[0].id


def test_exact_form_ranks_first(store, sample_docs) -> None:
    # Scores differ between the stores; only the order of the clear winner is compared.
    res = store.search(SearchQuery(q="Tài nguyên và Môi trường"))
    assert ids(res)[0] == sample_docs[1].id


def test_nothing_matches_every_word_finds_nothing(store, sample_docs) -> None:
    d1, d2, _ = (d.id for d in sample_docs)
    # Every word is required: no fallback to any word (issue #15).
    res = store.search(SearchQuery(q="đất đai xyzzyqwv"))
    assert res.total == 0 and res.hits == () and all(not v for v in res.facets.values())
    assert store.search(SearchQuery(q="xyzzyqwv")).total == 0
    assert ids(store.search(SearchQuery(q="đất đai"))) == [d2]
    # "hồ sơ" and "Sở Tài nguyên" in doc 2 give "so" and "tai", but not "chinh".
    assert ids(store.search(SearchQuery(q="so tai chinh"))) == [d1]
    assert store.tasks(TaskQuery(q="tai chinh xyzzyqwv")) == []


def test_phrases_or_and_not(store, sample_docs) -> None:
    d1, d2, d3 = (d.id for d in sample_docs)
    assert ids(store.search(SearchQuery(q='"tài chính"'))) == [d1]
    assert store.search(SearchQuery(q='"chính tài"')).total == 0  # the order counts
    assert set(ids(store.search(SearchQuery(q='"Gio Linh" OR "Quang Châu"')))) == {d2, d3}
    assert set(ids(store.search(SearchQuery(q="linh OR chau")))) == {d2, d3}
    assert ids(store.search(SearchQuery(q='khu công nghiệp -"Quang Châu"'))) == [d1]
    assert ids(store.search(SearchQuery(q="khu cong nghiep NOT quang"))) == [d1]
    # Only exclusions: everything else, newest first; an excluded synonym too.
    assert ids(store.search(SearchQuery(q="-kcn"))) == [d2]
    res = store.search(SearchQuery(q='"Gio Linh" OR "Quang Châu"'))
    assert all("Linh" in "".join(h.snippets) or "Quang" in "".join(h.snippets)
               for h in res.hits)
    found = store.tasks(TaskQuery(q='"phòng cháy" OR "đất đai"'))
    assert len(found) == 2
    assert store.tasks(TaskQuery(q='"phòng cháy" OR "đất đai" -linh'))[0].doc_id == d1


def test_year_filter_and_sort_by_date(store, sample_docs) -> None:
    d1, d2, d3 = (d.id for d in sample_docs)
    assert ids(store.search(SearchQuery(q="", year="2023"))) == [d3, d2]
    assert store.search(SearchQuery(q="", year="1999")).total == 0
    assert ids(store.search(SearchQuery(q="nghi dinh", sort="date"))) == [d1, d2]
    assert ids(store.search(SearchQuery(q="khu cong nghiep", year="2023"))) == [d3]
    # Facets follow the query and the filters.
    res = store.search(SearchQuery(q="dat dai"))
    assert dict(res.facets["year"]) == {"2023": 1}
    assert dict(res.facets["issuer"]) == {"UBND tỉnh Quảng Trị": 1}


def test_highlights_only_the_words_asked_for(empty_store) -> None:
    text = "Kế hoạch giải ngân vốn đầu tư công giai đoạn 2021-2025 của tỉnh."
    doc = make_doc(text, source="gn.txt", doc_type="Kế hoạch")
    assert empty_store.put(doc) == "added"
    hit = empty_store.search(SearchQuery(q="giải ngân")).hits[0]
    snippet = hit.snippets[0]
    assert "<mark>giải</mark> <mark>ngân</mark>" in snippet
    assert "<mark>giai</mark>" not in snippet and snippet.count("<mark>") == 2
    # Typed without accents, every spelling of the words is marked.
    loose = empty_store.search(SearchQuery(q="giai ngan")).hits[0].snippets[0]
    assert "<mark>giải</mark>" in loose and "<mark>giai</mark>" in loose


@pytest.mark.parametrize(
    "q",
    [
        'title:"x"', "AND OR NOT", "(((", "*", "so~2 tai^5", "\\", '"unclosed', "*:*",
        '{"query": {"match_all": {}}}', "text.folded:dat", "/.*/", "_id:abc", "a:b:c",
        "<script>alert(1)</script>", "'; DROP TABLE documents; --", "đất~ AND (tài",
    ],
)
def test_query_syntax_is_not_interpreted(store, q) -> None:
    """Operators, fields, wildcards, regexes and JSON are not query syntax: a query
    finds what its words alone find. Without words, search lists what an empty
    query lists and the task search finds nothing (a wildcard would find them all)."""
    words = " ".join(tokens(q, folded=False))
    res = store.search(SearchQuery(q=q))
    plain = store.search(SearchQuery(q=words))
    assert (res.total, sorted(ids(res))) == (plain.total, sorted(ids(plain)))
    tasks = sorted(t.id for t in store.tasks(TaskQuery(q=q)))
    assert tasks == (sorted(t.id for t in store.tasks(TaskQuery(q=words))) if words else [])


def test_filters(store, sample_docs) -> None:
    d1, d2, d3 = (d.id for d in sample_docs)
    assert ids(store.search(SearchQuery(q="", issuer="UBND tỉnh Quảng Trị"))) == [d2]
    assert ids(store.search(SearchQuery(q="", doc_type="Kế hoạch"))) == [d3]
    assert store.search(SearchQuery(q="", province="Bắc Giang")).total == 3
    assert store.search(SearchQuery(q="", province="Hà Nội")).total == 0
    assert ids(store.search(SearchQuery(q="", date_from="2023-06-01", date_to="2023-12-31"))) == [
        d3
    ]
    # A month-precision date ("2024-03") falls inside a range ending in that month.
    assert ids(store.search(SearchQuery(q="", date_from="2024-01", date_to="2024-03"))) == [d1]
    assert ids(store.search(SearchQuery(q="khu cong nghiep", issuer="UBND tỉnh Bắc Ninh"))) == [
        d3
    ]


def test_empty_query_lists_newest_first_and_pages(store, sample_docs) -> None:
    d1, d2, d3 = (d.id for d in sample_docs)
    assert ids(store.search(SearchQuery(q=""))) == [d1, d3, d2]
    first = store.search(SearchQuery(q="", size=2, page=1))
    second = store.search(SearchQuery(q="", size=2, page=2))
    assert first.total == second.total == 3
    assert ids(first) + ids(second) == [d1, d3, d2]


def test_facets(store) -> None:
    res = store.search(SearchQuery(q=""))
    assert dict(res.facets["doc_type"]) == {"Thông báo": 1, "Công văn": 1, "Kế hoạch": 1}
    assert dict(res.facets["year"]) == {"2024": 1, "2023": 2}
    assert dict(res.facets["issuer"]) == {
        "UBND tỉnh Bắc Giang": 1, "UBND tỉnh Quảng Trị": 1, "UBND tỉnh Bắc Ninh": 1,
    }
    narrowed = store.search(SearchQuery(q="khu cong nghiep"))
    assert dict(narrowed.facets["year"]) == {"2024": 1, "2023": 1}


def test_hits_carry_metadata_and_highlights(store, sample_docs) -> None:
    res = store.search(SearchQuery(q="tai chinh"))
    hit = res.hits[0]
    assert hit.id == sample_docs[0].id
    assert (hit.title, hit.doc_type, hit.number_symbol, hit.issuer, hit.issue_date) == (
        "Kết luận về khu công nghiệp", "Thông báo", "/TB-UBND", "UBND tỉnh Bắc Giang", "2024-03",
    )
    assert (hit.source, hit.kind) == ("a.txt", "official")
    assert "<mark>Tài</mark> <mark>chính</mark>" in hit.snippets[0]
    assert store.search(SearchQuery(q="")).hits[0].snippets == ()


# -- documents ----------------------------------------------------------------------


def test_get_has_count(store, sample_docs) -> None:
    d = sample_docs[0]
    assert store.count() == 3 and store.has(d.id) and not store.has("0" * 16)
    got = store.get(d.id)
    assert got is not None
    assert got.id == d.id and got.sources == ("a.txt",) and got.data == d.to_json()
    assert got.ingested_at
    assert store.get("0" * 16) is None


def test_reingest_changes_nothing(store, sample_docs) -> None:
    before = ids(store.search(SearchQuery(q="so tai chinh")))
    assert store.put_many(sample_docs) == ["unchanged"] * 3
    assert store.put(sample_docs[0]) == "unchanged"
    assert store.count() == 3
    assert store.search(SearchQuery(q="")).total == 3
    assert ids(store.search(SearchQuery(q="so tai chinh"))) == before
    assert len(store.tasks(TaskQuery())) == 3


def test_changed_file_replaces_its_old_version(store, sample_docs) -> None:
    old = sample_docs[0]
    newer = make_doc("Thông báo đã sửa: nội dung mới hoàn toàn.", source="a.txt")
    assert store.put(newer) == "replaced"
    assert store.count() == 3 and not store.has(old.id)
    assert ids(store.search(SearchQuery(q="noi dung moi"))) == [newer.id]
    assert store.tasks(TaskQuery(doc_id=old.id)) == []
    assert {c.doc_id for c in store.citations([ND35])} == {sample_docs[1].id}


def test_same_content_under_two_names_is_one_document(store, sample_docs) -> None:
    d1 = sample_docs[0]
    copy = make_doc(d1.text, source="a-copy.txt")
    assert copy.id == d1.id
    assert store.put(copy) == "unchanged"
    got = store.get(d1.id)
    assert got is not None and got.sources == ("a-copy.txt", "a.txt")
    assert store.count() == 3
    # Changing one of the two files leaves the document for the other.
    other = make_doc("Bản sao đã sửa.", source="a-copy.txt")
    assert store.put(other) == "replaced"
    got = store.get(d1.id)
    assert got is not None and got.sources == ("a.txt",)
    assert store.count() == 4


def test_one_batch_is_applied_in_order(empty_store, sample_docs) -> None:
    d1, d3 = sample_docs[0], sample_docs[2]
    copy = make_doc(d1.text, source="a-copy.txt")
    newer = make_doc("Tin tức đã sửa: nội dung mới.", source="c.txt")
    assert empty_store.put_many([d1, copy, d3, newer]) == [
        "added", "unchanged", "added", "replaced",
    ]
    assert empty_store.count() == 2 and not empty_store.has(d3.id)
    got = empty_store.get(d1.id)
    assert got is not None and got.sources == ("a-copy.txt", "a.txt")
    assert empty_store.get(newer.id).sources == ("c.txt",)
    assert empty_store.put_many([]) == []


def test_delete(store, sample_docs) -> None:
    d2 = sample_docs[1]
    assert store.delete(d2.id) is True
    assert store.delete(d2.id) is False
    assert not store.has(d2.id) and store.get(d2.id) is None and store.count() == 2
    assert store.search(SearchQuery(q="dat dai")).total == 0
    assert store.tasks(TaskQuery(doc_id=d2.id)) == []
    assert {c.doc_id for c in store.citations([ND35])} == {sample_docs[0].id}
    assert store.top_refs() == [(ND35, 1)]
    assert store.put(d2) == "added"
    assert store.count() == 3


def test_recover_after_clean_writes_has_nothing_to_do(store) -> None:
    assert store.recover() == 0


def test_reindex_keeps_every_answer(store, sample_docs, today) -> None:
    t = store.tasks(TaskQuery(status="overdue", today=today))[0]
    store.update_task(t.id, TaskUpdate(done=True), who="lan")
    before = (
        ids(store.search(SearchQuery(q="so tai chinh"))),
        ids(store.search(SearchQuery(q="KCN"))),
        store.search(SearchQuery(q="")).facets,
        [x.id for x in store.tasks(TaskQuery())],
        store.citations([ND35]),
        store.agencies(),
    )
    assert store.reindex() == 3
    after = (
        ids(store.search(SearchQuery(q="so tai chinh"))),
        ids(store.search(SearchQuery(q="KCN"))),
        store.search(SearchQuery(q="")).facets,
        [x.id for x in store.tasks(TaskQuery())],
        store.citations([ND35]),
        store.agencies(),
    )
    assert after == before
    again = store.get_task(t.id)
    assert again is not None and again.done and again.updated_by == "lan"
    assert [h["field"] for h in store.task_history(t.id)] == ["done"]
    assert store.count() == 3
    assert store.put_many(sample_docs) == ["unchanged"] * 3


# -- tasks -----------------------------------------------------------------------------


def test_task_ids_are_deterministic(store, sample_docs) -> None:
    expected = {task_id(d.id, t.text, 0) for d in sample_docs for t in d.tasks}
    assert {t.id for t in store.tasks(TaskQuery())} == expected


def test_tasks_order_and_fields(store, sample_docs) -> None:
    tasks = store.tasks(TaskQuery())
    assert [t.deadline for t in tasks] == ["2024-03-31", "2024-06-30", None]
    t = tasks[0]
    assert t.owners == ("Sở Tài chính tỉnh Bắc Giang",)
    assert t.cooperating == ("Sở Xây dựng tỉnh Bắc Giang",)
    assert (t.doc_id, t.idx, t.doc_number, t.doc_date, t.doc_source) == (
        sample_docs[0].id, 0, "/TB-UBND", "2024-03", "a.txt",
    )
    assert t.doc_title == "Kết luận về khu công nghiệp"
    assert t.deadline_text == "xong trong tháng 3/2024"
    assert sample_docs[0].text[t.start : t.end] == t.text
    assert not t.done and t.corrected == ()
    assert store.get_task(t.id) == t
    assert store.get_task("nope") is None
    assert len(store.tasks(TaskQuery(limit=2))) == 2
    assert [x.idx for x in store.tasks(TaskQuery(doc_id=sample_docs[0].id))] == [0, 1]


def test_tasks_status_as_of_a_date(store, today) -> None:
    overdue = store.tasks(TaskQuery(status="overdue", today=today))
    assert [t.deadline for t in overdue] == ["2024-03-31", "2024-06-30"]
    assert [t.deadline for t in store.tasks(TaskQuery(status="overdue",
                                                      today=dt.date(2024, 4, 1)))] == [
        "2024-03-31"
    ]
    soon = store.tasks(TaskQuery(status="due_soon", today=dt.date(2024, 6, 25)))
    assert [t.deadline for t in soon] == ["2024-06-30"]
    assert len(store.tasks(TaskQuery(status="no_deadline", today=today))) == 1
    assert len(store.tasks(TaskQuery(status="open", today=today))) == 3
    assert len(store.tasks(TaskQuery(status="pending", today=today))) == 3
    assert store.tasks(TaskQuery(status="done", today=today)) == []
    assert [t.status(today) for t in store.tasks(TaskQuery())] == [
        "overdue", "overdue", "no_deadline",
    ]
    with pytest.raises(NotFound):
        store.tasks(TaskQuery(status="whenever"))


def test_task_deadline_range(store) -> None:
    found = store.tasks(TaskQuery(deadline_from="2024-04-01"))
    assert [t.deadline for t in found] == ["2024-06-30"]
    found = store.tasks(TaskQuery(deadline_from="2024-03-01", deadline_to="2024-03-31"))
    assert [t.deadline for t in found] == ["2024-03-31"]


def test_task_owner_and_role_filters(store) -> None:
    xd = ("Sở Xây dựng tỉnh Bắc Giang",)
    assert store.tasks(TaskQuery(owner_names=xd, role="lead")) == []
    assert len(store.tasks(TaskQuery(owner_names=xd, role="cooperating"))) == 1
    assert len(store.tasks(TaskQuery(owner_names=xd, role="any"))) == 1
    both = ("Sở Tài chính tỉnh Bắc Giang", "Sở Tài nguyên và Môi trường tỉnh Quảng Trị")
    assert len(store.tasks(TaskQuery(owner_names=both, role="lead"))) == 2
    assert store.tasks(TaskQuery(owner_names=())) == []


def test_task_full_text(store) -> None:
    found = store.tasks(TaskQuery(q="phong chay chua chay"))
    assert len(found) == 1 and "phòng cháy" in found[0].text
    assert [t.id for t in store.tasks(TaskQuery(q="phòng cháy, chữa cháy"))] == [found[0].id]
    # Synonyms apply to tasks too: "khu công nghiệp" finds "các KCN".
    assert [t.id for t in store.tasks(TaskQuery(q="khu cong nghiep"))] == [found[0].id]
    assert store.tasks(TaskQuery(q="xyzzyqwv")) == []
    overdue = store.tasks(TaskQuery(q="tai chinh", status="overdue", today=dt.date(2024, 7, 1)))
    assert len(overdue) == 1 and overdue[0].deadline == "2024-03-31"


def test_task_update_survives_reingest_and_delete(store, sample_docs, today) -> None:
    t = store.tasks(TaskQuery(status="overdue", today=today))[0]
    done = store.update_task(t.id, TaskUpdate(done=True), who="lan")
    assert done.done and done.corrected == ("done",) and done.updated_by == "lan"
    store.update_task(t.id, TaskUpdate(owners=("Sở Xây dựng tỉnh Bắc Giang",)), who="lan")
    # No change, no history.
    store.update_task(t.id, TaskUpdate(done=True), who="minh")
    store.delete(sample_docs[0].id)
    assert store.get_task(t.id) is None
    assert store.put_many(sample_docs) == ["added", "unchanged", "unchanged"]
    again = store.get_task(t.id)
    assert again is not None and again.done and again.owners == ("Sở Xây dựng tỉnh Bắc Giang",)
    assert again.updated_by == "lan" and set(again.corrected) == {"done", "owners"}
    history = store.task_history(t.id)
    assert [h["field"] for h in history] == ["done", "owners"]
    assert history[0]["old"] == "False" and history[0]["new"] == "True"
    assert history[0]["who"] == "lan" and history[0]["at"]
    lead = store.tasks(TaskQuery(owner_names=("Sở Xây dựng tỉnh Bắc Giang",), role="lead"))
    assert [x.id for x in lead] == [t.id]
    assert store.tasks(TaskQuery(status="done", today=today)) == [again]
    assert store.put_many(sample_docs) == ["unchanged"] * 3  # re-ingest again
    assert store.get_task(t.id) == again
    with pytest.raises(NotFound):
        store.update_task("nope", TaskUpdate(done=True), who="x")


def test_task_deadline_corrections(store, today) -> None:
    t = store.tasks(TaskQuery(status="no_deadline", today=today))[0]
    moved = store.update_task(t.id, TaskUpdate(deadline="2024-07-05"), who="an")
    assert moved.deadline == "2024-07-05" and moved.corrected == ("deadline",)
    assert [x.id for x in store.tasks(TaskQuery(status="due_soon", today=today))] == [t.id]
    cleared = store.update_task(t.id, TaskUpdate(clear_deadline=True), who="an")
    assert cleared.deadline is None and cleared.corrected == ()
    assert t.id in {x.id for x in store.tasks(TaskQuery(status="no_deadline", today=today))}
    first = store.tasks(TaskQuery(status="overdue", today=today))[0]
    gone = store.update_task(first.id, TaskUpdate(clear_deadline=True), who="an")
    assert gone.deadline is None and gone.corrected == ("deadline",)
    assert [(h["field"], h["old"], h["new"]) for h in store.task_history(t.id)] == [
        ("deadline", None, "2024-07-05"), ("deadline", "2024-07-05", None),
    ]
    assert store.task_history("nope") == []


# -- references and agencies ------------------------------------------------------------


def test_citations_and_top_refs(store, sample_docs) -> None:
    cites = store.citations([ND35])
    assert [c.doc_id for c in cites] == [sample_docs[0].id, sample_docs[1].id]  # newest first
    first = cites[0]
    assert first.pinpoint == "khoản 4 Điều 9"
    assert first.context == (
        "Thực hiện theo khoản 4 Điều 9 Nghị định số 35/2022/NĐ-CP ngày 28/5/2022."
    )
    assert (first.type, first.number, first.date) == ("Nghị định", "35/2022/NĐ-CP", "2022-05-28")
    assert (first.doc_number, first.doc_date) == ("/TB-UBND", "2024-03")
    assert sample_docs[0].text[first.start : first.end] == first.text
    assert cites[1].pinpoint is None and cites[1].context == "Căn cứ Nghị định 35/2022/NĐ-CP."
    assert store.top_refs() == [(ND35, 2)]
    assert store.top_refs(limit=0) == []
    assert store.ref_keys() == [ND35]
    assert store.citations([]) == [] and store.citations(["Luật 1/2000/QH10"]) == []


def test_citing_documents(store, sample_docs) -> None:
    d2 = sample_docs[1]
    text = "Thực hiện Công văn số 707/UBND-KT của UBND tỉnh Quảng Trị."
    ref = "Công văn số 707/UBND-KT"
    i = text.index(ref)
    citing = make_doc(
        text, source="d.txt", date="2023-03-10",
        refs=(LegalRef(text=ref, start=i, end=i + len(ref), type="Công văn",
                       number="707/UBND-KT", canonical="Công văn 707/UBND-KT"),),
    )
    assert store.put(citing) == "added"
    found = store.citing_documents(d2.id)
    assert [(c.doc_id, c.canonical) for c in found] == [(citing.id, "Công văn 707/UBND-KT")]
    assert store.citing_documents(sample_docs[0].id) == []  # "/TB-UBND": no number
    assert store.citing_documents(citing.id) == []
    assert store.citing_documents("0" * 16) == []
    assert store.ref_keys() == ["Công văn 707/UBND-KT", ND35]


def test_agencies(store) -> None:
    got = {a.name: (a.documents, a.lead_tasks, a.cooperating_tasks) for a in store.agencies()}
    assert got == {
        "Ban Quản lý các KCN tỉnh Bắc Giang": (1, 1, 0),
        "Sở Tài chính tỉnh Bắc Giang": (1, 1, 0),
        "Sở Xây dựng tỉnh Bắc Giang": (1, 0, 1),
        "Sở Tài nguyên và Môi trường tỉnh Quảng Trị": (1, 1, 0),
    }
    assert [a.name for a in store.agencies()] == sorted(got)


def test_agency_counts_follow_owner_corrections(store, today) -> None:
    t = store.tasks(TaskQuery(status="overdue", today=today))[0]
    store.update_task(t.id, TaskUpdate(owners=("Sở Xây dựng tỉnh Bắc Giang",)), who="lan")
    got = {a.name: (a.lead_tasks, a.cooperating_tasks) for a in store.agencies()}
    assert got["Sở Xây dựng tỉnh Bắc Giang"] == (1, 1)
    assert got["Sở Tài chính tỉnh Bắc Giang"] == (0, 0)


def test_one_document_in_two_files_is_stored_once(empty_store) -> None:
    """A PDF and a DOCX of one Công văn (same number, issuer, date and most
    words) are one document with two sources; a look-alike with other words is not."""
    text = "Công văn 707/UBND-KT\nGiao Sở Tài nguyên và Môi trường rà soát hồ sơ đất đai."
    a = make_doc(text, source="cv707.pdf", doc_type="Công văn", number="707/UBND-KT")
    b = make_doc(text + "\nTrang 1", source="cv707.docx", doc_type="Công văn",
                 number="707/UBND-KT")
    other = make_doc("Công văn 707/UBND-KT\nMột nội dung hoàn toàn khác về y tế học đường.",
                     source="other.txt", doc_type="Công văn", number="707/UBND-KT")
    # in one batch, and again one by one
    assert empty_store.put_many([a, b, other]) == ["added", "unchanged", "added"]
    assert empty_store.count() == 2
    assert set(empty_store.get(a.id).sources) == {"cv707.pdf", "cv707.docx"}
    assert empty_store.put(b) == "unchanged" and empty_store.count() == 2
    scan = make_doc(text + "\nTrang 2", source="cv707-scan.txt", doc_type="Công văn",
                    number="707/UBND-KT")  # a third copy, written on its own
    assert empty_store.put(scan) == "unchanged" and empty_store.count() == 2
    assert len(empty_store.get(a.id).sources) == 3


# -- the register: columns, paging, sorting, filters ---------------------------------

COLLECTIVE = "UBND các tỉnh, thành phố trực thuộc Trung ương"


def typed_doc() -> Any:
    """A Công văn of another province whose one task has typed, flagged owners."""
    from dataclasses import replace

    from tests.conftest import task_in

    text = ("Công văn về chuyển đổi số\n"
            "Đề nghị UBND các tỉnh, thành phố trực thuộc Trung ương báo cáo kết quả "
            "chuyển đổi số trước ngày 15/8/2024.")
    sentence = text.split("\n")[1]
    doc = make_doc(
        text, source="typed.txt", doc_type="Công văn", number="12/BTTTT-CĐSQG",
        issuer="Bộ Thông tin và Truyền thông", date="2024-08-01",
        tasks=(task_in(text, sentence, owners=(COLLECTIVE,), cooperating=(),
                       owner_kinds=("collective",), rule_id="task.de_nghi.v1",
                       confidence=0.8, flags=("owner_collective",),
                       deadline="2024-08-15", deadline_text="trước ngày 15/8/2024"),),
    )
    return replace(doc, doc=replace(doc.doc, province="Hà Nội"))


def test_register_columns_and_extractor_fields(store, sample_docs) -> None:
    t = store.tasks(TaskQuery(doc_id=sample_docs[0].id))[0]
    assert (t.doc_issuer, t.doc_type, t.doc_province) == (
        "UBND tỉnh Bắc Giang", "Thông báo", "Bắc Giang")
    assert t.owner_kinds == ("agency",)  # untyped owners read as agencies
    assert (t.review, t.note, t.done_on, t.done_by) == ("unreviewed", None, None, None)
    doc = typed_doc()
    assert store.put(doc) == "added"
    [x] = store.tasks(TaskQuery(doc_id=doc.id))
    assert (x.owners, x.owner_kinds) == ((COLLECTIVE,), ("collective",))
    assert (x.rule_id, x.confidence, x.flags) == ("task.de_nghi.v1", 0.8, ("owner_collective",))
    assert (x.doc_issuer, x.doc_province, x.doc_number) == (
        "Bộ Thông tin và Truyền thông", "Hà Nội", "12/BTTTT-CĐSQG")
    assert store.get_task(x.id) == x


def test_task_page_totals_and_paging(store) -> None:
    every = [t.id for t in store.tasks(TaskQuery())]
    first = store.task_page(TaskQuery(limit=2))
    second = store.task_page(TaskQuery(limit=2, offset=2))
    assert first.total == second.total == 3
    assert [t.id for t in first.items + second.items] == every
    assert store.task_page(TaskQuery(limit=2, offset=10)).items == ()
    words = store.task_page(TaskQuery(q="tai chinh", limit=1))
    assert words.total == 1 and len(words.items) == 1
    assert store.task_page(TaskQuery(owner_names=())).total == 0
    overdue = store.task_page(TaskQuery(status="overdue", today=dt.date(2024, 7, 1), limit=1))
    assert overdue.total == 2 and len(overdue.items) == 1


def test_task_sorts(store, today) -> None:
    def order(sort: str, descending: bool = False) -> list[Any]:
        page = store.task_page(TaskQuery(sort=sort, descending=descending, today=today))
        return [(t.deadline, t.owners[0]) for t in page.items]

    by_deadline = order("deadline")
    assert [d for d, _ in by_deadline] == ["2024-03-31", "2024-06-30", None]
    assert [d for d, _ in order("deadline", True)] == ["2024-06-30", "2024-03-31", None]
    assert [o for _, o in order("owner")] == [
        "Ban Quản lý các KCN tỉnh Bắc Giang", "Sở Tài chính tỉnh Bắc Giang",
        "Sở Tài nguyên và Môi trường tỉnh Quảng Trị"]
    assert [o for _, o in order("content")][0] == "Ban Quản lý các KCN tỉnh Bắc Giang"
    assert [o for _, o in order("issuer", True)][0] == (
        "Sở Tài nguyên và Môi trường tỉnh Quảng Trị")
    assert [d for d, _ in order("doc_date")][0] is None  # 2023-02-28 before 2024-03
    t = store.tasks(TaskQuery())[1]
    store.update_task(t.id, TaskUpdate(done=True), who="lan")
    # status: overdue first, then no deadline, then done
    assert [d for d, _ in order("status")] == ["2024-03-31", None, "2024-06-30"]
    assert [d for d, _ in order("updated_at")][0] == "2024-06-30"
    with pytest.raises(QueryError):
        store.tasks(TaskQuery(sort="whatever"))


def test_task_document_filters(store, sample_docs) -> None:
    d1, d2, _ = (d.id for d in sample_docs)
    assert [t.doc_id for t in store.tasks(TaskQuery(issuer="UBND tỉnh Quảng Trị"))] == [d2]
    assert {t.doc_id for t in store.tasks(TaskQuery(issued_from="2024-01-01"))} == {d1}
    assert [t.doc_id for t in store.tasks(TaskQuery(issued_to="2023-12-31"))] == [d2]
    assert len(store.tasks(TaskQuery(issued_from="2024-03", issued_to="2024-03"))) == 2
    doc = typed_doc()
    store.put(doc)
    assert [t.doc_id for t in store.tasks(TaskQuery(province="Hà Nội"))] == [doc.id]
    assert len(store.tasks(TaskQuery(province="Bắc Giang"))) == 3
    with pytest.raises(QueryError):
        store.tasks(TaskQuery(review="whatever"))


def test_done_on_time_late_and_undo(store, today) -> None:
    t1, t2, _ = store.tasks(TaskQuery())  # deadlines 2024-03-31, 2024-06-30, none
    a = store.update_task(t1.id, TaskUpdate(done=True, done_on="2024-03-20"), who="lan")
    b = store.update_task(t2.id, TaskUpdate(done=True, done_on="2024-07-05"), who="minh")
    assert (a.status(today), a.done_on, a.done_by, a.days_late(today)) == (
        "done", "2024-03-20", "lan", None)
    assert (b.status(today), b.done_by, b.days_late(today)) == ("done_late", "minh", 5)
    assert [t.id for t in store.tasks(TaskQuery(status="done_on_time", today=today))] == [t1.id]
    assert [t.id for t in store.tasks(TaskQuery(status="done_late", today=today))] == [t2.id]
    assert len(store.tasks(TaskQuery(status="done", today=today))) == 2
    # Undo "done": open again, overdue as of today, the completion forgotten.
    c = store.update_task(t2.id, TaskUpdate(done=False), who="minh")
    assert (c.done, c.done_on, c.done_by, c.status(today), c.days_late(today)) == (
        False, None, None, "overdue", 1)
    assert [h["action"] for h in store.task_history(t2.id)] == ["done", "done", "undone"]
    # The completion day alone can be corrected.
    d = store.update_task(t1.id, TaskUpdate(done_on="2024-04-02"), who="lan")
    assert d.status(today) == "done_late" and d.days_late(today) == 2


def test_notes_cooperating_and_action_edits(store, today) -> None:
    t = store.tasks(TaskQuery())[0]
    noted = store.update_task(t.id, TaskUpdate(note="Đã có báo cáo số 12/BC-STC"), who="lan")
    assert noted.note == "Đã có báo cáo số 12/BC-STC" and noted.review == "unreviewed"
    assert store.update_task(t.id, TaskUpdate(note=""), who="lan").note is None
    edited = store.update_task(
        t.id, TaskUpdate(cooperating=("Sở Xây dựng tỉnh Bắc Giang", "Kho bạc Nhà nước Bắc Giang"),
                         action="lập dự toán kinh phí tiêu thoát nước"), who="lan")
    assert edited.review == "edited"
    assert set(edited.corrected) == {"cooperating", "action"}
    assert edited.action == "lập dự toán kinh phí tiêu thoát nước"
    coop = {a.name: a.cooperating_tasks for a in store.agencies()}
    assert coop["Kho bạc Nhà nước Bắc Giang"] == 1
    found = store.tasks(TaskQuery(owner_names=("Kho bạc Nhà nước Bắc Giang",),
                                  role="cooperating"))
    assert [x.id for x in found] == [t.id]
    fields = [(h["action"], h["field"]) for h in store.task_history(t.id)]
    assert fields == [("note", "note"), ("note", "note"), ("edit", "cooperating"),
                      ("edit", "action")]


def test_collectives(store) -> None:
    assert store.collectives() == []
    doc = typed_doc()
    store.put(doc)
    assert store.collectives() == [COLLECTIVE]
    assert [t.doc_id for t in store.tasks(TaskQuery(owner_names=(COLLECTIVE,)))] == [doc.id]


# -- staff review ------------------------------------------------------------------------


def test_confirm_reject_and_review_states(store, today) -> None:
    t1, t2, t3 = store.tasks(TaskQuery())
    assert store.update_task(t1.id, TaskUpdate(review="confirmed"), who="lan").review == (
        "confirmed")
    rejected = store.update_task(t2.id, TaskUpdate(review="rejected"), who="lan")
    assert rejected.review == "rejected"
    # A rejected task is no task: not in the register, not counted for its owner.
    assert [t.id for t in store.tasks(TaskQuery())] == [t1.id, t3.id]
    assert [t.id for t in store.tasks(TaskQuery(review="rejected"))] == [t2.id]
    assert len(store.tasks(TaskQuery(review="any"))) == 3
    assert store.get_task(t2.id).review == "rejected"
    bql = {a.name: a.lead_tasks for a in store.agencies()}
    assert bql.get("Ban Quản lý các KCN tỉnh Bắc Giang", 0) == 0
    assert store.tasks(TaskQuery(owner_names=("Ban Quản lý các KCN tỉnh Bắc Giang",))) == []
    back = store.update_task(t2.id, TaskUpdate(review="unreviewed"), who="minh")
    assert back.review == "unreviewed"
    assert {a.name: a.lead_tasks for a in store.agencies()}[
        "Ban Quản lý các KCN tỉnh Bắc Giang"] == 1
    edited = store.update_task(t3.id, TaskUpdate(owners=("UBND huyện Gio Linh",)), who="an")
    assert edited.review == "edited" and edited.owner_kinds == ("agency",)
    assert [t.id for t in store.tasks(TaskQuery(review="unreviewed"))] == [t2.id]
    assert {t.id for t in store.tasks(TaskQuery(review="reviewed"))} == {t1.id, t3.id}
    assert [(h["action"], h["old"], h["new"]) for h in store.task_history(t2.id)] == [
        ("reject", "unreviewed", "rejected"), ("unreject", "rejected", "unreviewed")]
    # Confirming what is confirmed records nothing.
    store.update_task(t1.id, TaskUpdate(review="confirmed"), who="lan")
    assert len(store.task_history(t1.id)) == 1


def test_add_a_missed_task(store, sample_docs) -> None:
    d3 = sample_docs[2]
    phrase = "hội nghị xúc tiến đầu tư vào khu công nghiệp Quang Châu"
    start = d3.text.index(phrase)
    added = store.add_task(
        d3.id, NewTask(start=start, end=start + len(phrase),
                       owners=("Sở Công Thương tỉnh Bắc Ninh",),
                       cooperating=("Ban Quản lý các KCN tỉnh Bắc Ninh",),
                       action="tổ chức hội nghị xúc tiến đầu tư", deadline="2024-01-31"),
        who="lan",
    )
    assert added.id == task_id(d3.id, phrase, 0) and added.text == phrase
    assert (added.review, added.owner_kinds, added.deadline, added.updated_by) == (
        "added", ("agency",), "2024-01-31", "lan")
    assert d3.text[added.start : added.end] == added.text
    assert [t.id for t in store.tasks(TaskQuery(doc_id=d3.id))] == [added.id]
    assert [t.id for t in store.tasks(TaskQuery(q="xuc tien dau tu"))] == [added.id]
    lead = store.tasks(TaskQuery(owner_names=("Sở Công Thương tỉnh Bắc Ninh",), role="lead"))
    assert [t.id for t in lead] == [added.id]
    assert [h["action"] for h in store.task_history(added.id)] == ["add"]
    with pytest.raises(QueryError):  # the same text again
        store.add_task(d3.id, NewTask(start=start, end=start + len(phrase)), who="lan")
    with pytest.raises(QueryError):
        store.add_task(d3.id, NewTask(start=5, end=5000), who="lan")
    with pytest.raises(NotFound):
        store.add_task("0" * 16, NewTask(start=0, end=3), who="lan")
    # Rejecting an added task takes it out again.
    store.update_task(added.id, TaskUpdate(review="rejected"), who="lan")
    assert store.tasks(TaskQuery(doc_id=d3.id)) == []


def review_everything(store, sample_docs) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """One decision of each kind; returns what each task must look like after."""
    t1, t2, t3 = store.tasks(TaskQuery())
    d3 = sample_docs[2]
    store.update_task(t1.id, TaskUpdate(review="confirmed", note="đang triển khai"), who="lan")
    store.update_task(t2.id, TaskUpdate(review="rejected"), who="lan")
    store.update_task(t3.id, TaskUpdate(owners=("UBND huyện Gio Linh",),
                                        cooperating=("Sở Tài chính tỉnh Quảng Trị",),
                                        action="rà soát hồ sơ đất đai", deadline="2023-04-30"),
                      who="minh")
    i = d3.text.index("hội nghị")
    added = store.add_task(d3.id, NewTask(start=i, end=i + len("hội nghị xúc tiến đầu tư"),
                                          owners=("Sở Công Thương tỉnh Bắc Ninh",)), who="an")
    return {
        t: store.get_task(t)
        for t in (t1.id, t2.id, t3.id, added.id)
    }


def test_decisions_survive_reingest_delete_and_reindex(store, sample_docs) -> None:
    want = review_everything(store, sample_docs)
    assert [want[k].review for k in want] == ["confirmed", "rejected", "edited", "added"]
    queue = store.review_queue().total

    def same() -> None:
        for tid, t in want.items():
            got = store.get_task(tid)
            assert got is not None
            assert (got.review, got.owners, got.cooperating, got.action, got.deadline,
                    got.note, got.text) == (t.review, t.owners, t.cooperating, t.action,
                                            t.deadline, t.note, t.text), tid
        assert store.review_queue().total == queue
        assert [t.id for t in store.tasks(TaskQuery(q="hoi nghi xuc tien"))] == [
            list(want)[3]]

    assert store.put_many(sample_docs) == ["unchanged"] * 3
    same()
    for d in sample_docs:  # delete every document (hard) and ingest it again
        assert store.delete(d.id)
    assert store.tasks(TaskQuery(review="any")) == []
    assert store.put_many(sample_docs) == ["added"] * 3
    same()
    assert store.reindex() == 3
    same()
    assert [t.id for t in store.tasks(TaskQuery(owner_names=("UBND huyện Gio Linh",)))] == [
        list(want)[2]]


def test_review_queue_and_confirm_document(store, sample_docs) -> None:
    d1, d2, d3 = (d.id for d in sample_docs)
    q = store.review_queue()
    assert q.total == 3
    assert {i.doc_id: (i.tasks, i.unreviewed) for i in q.items} == {
        d1: (2, 2), d2: (1, 1), d3: (0, 0)}
    first = q.items[0]
    assert first.ingested_at >= q.items[-1].ingested_at
    assert store.review_queue(limit=1).total == 3 and len(store.review_queue(limit=1).items) == 1
    later = typed_doc()
    store.put(later)
    assert store.review_queue().items[0].doc_id == later.id  # newest ingest first
    t1, t2 = store.tasks(TaskQuery(doc_id=d1))
    store.update_task(t1.id, TaskUpdate(review="confirmed"), who="lan")
    assert {i.doc_id: i.unreviewed for i in store.review_queue().items}[d1] == 1
    store.update_task(t2.id, TaskUpdate(review="rejected"), who="minh")
    assert d1 not in {i.doc_id for i in store.review_queue().items}
    done = store.review_queue(reviewed=True)
    assert [(i.doc_id, i.tasks, i.unreviewed, i.reviewed_by) for i in done.items] == [
        (d1, 1, 0, "minh")]
    assert store.confirm_document(d3, who="an") == 0  # no task: reviewed as it is
    assert store.confirm_document(d2, who="an") == 1
    assert store.get_task(store.tasks(TaskQuery(doc_id=d2))[0].id).review == "confirmed"
    assert store.confirm_document(d2, who="an") == 0
    assert [i.doc_id for i in store.review_queue().items] == [later.id]
    assert store.review_queue(reviewed=True).total == 3
    with pytest.raises(NotFound):
        store.confirm_document("0" * 16, who="an")


def test_reviewed_documents(store, sample_docs) -> None:
    assert list(store.reviewed_documents()) == []
    want = review_everything(store, sample_docs)
    store.confirm_document(sample_docs[1].id, who="minh")  # nothing left to confirm there
    got = {r.doc.id: r for r in store.reviewed_documents()}
    d1, d2, d3 = (d.id for d in sample_docs)
    assert set(got) == {d1, d2, d3}
    assert [t.review for t in got[d1].tasks] == ["confirmed", "rejected"]
    assert [t.id for t in got[d3].tasks] == [list(want)[3]]
    assert got[d1].doc.data["tasks"][1]["owners"] == ["Ban Quản lý các KCN tỉnh Bắc Giang"]
    # edits of doc 2: owners, cooperating, action, deadline (confirmations don't count)
    assert (got[d1].decisions, got[d2].decisions, got[d3].decisions) == (1, 4, 1)
    assert all(r.reviewed_at for r in got.values())


def test_audit_trail(store, sample_docs) -> None:
    review_everything(store, sample_docs)
    d1 = sample_docs[0].id
    trail = store.decisions(doc_id=d1)
    assert [(x.action, x.field, x.old, x.new) for x in trail.items] == [
        ("note", "note", None, "đang triển khai"), ("confirm", "review", "unreviewed", "confirmed"),
        ("reject", "review", "unreviewed", "rejected")]
    assert trail.total == 3 and all(x.who == "lan" and x.at for x in trail.items)
    every = store.decisions()  # 3 above, 4 edits of doc 2's task, 1 task added
    assert every.total == 8 and [x.seq for x in every.items] == sorted(x.seq for x in every.items)
    page = store.decisions(limit=3, offset=6)
    assert page.total == 8 and [x.action for x in page.items] == ["edit", "add"]
    store.remove_document(d1, who="admin")
    last = store.decisions(doc_id=d1).items[-1]
    assert (last.action, last.task_id, last.who) == ("remove_document", None, "admin")


def test_soft_delete_and_restore(store, sample_docs) -> None:
    d2 = sample_docs[1]
    t = store.tasks(TaskQuery(doc_id=d2.id))[0]
    store.update_task(t.id, TaskUpdate(owners=("UBND huyện Gio Linh",)), who="lan")
    assert store.remove_document(d2.id, who="admin") is True
    assert store.remove_document(d2.id, who="admin") is False
    assert not store.has(d2.id) and store.get(d2.id) is None and store.count() == 2
    assert store.search(SearchQuery(q="dat dai")).total == 0
    assert store.tasks(TaskQuery(doc_id=d2.id)) == []
    assert d2.id not in {i.doc_id for i in store.review_queue().items}
    removed = store.removed_documents()
    assert removed.total == 1
    assert (removed.items[0].id, removed.items[0].removed_by, removed.items[0].sources) == (
        d2.id, "admin", ("b.txt",))
    # Ingesting it again does not bring it back unasked.
    assert store.put(d2) == "removed" and store.put_many([d2]) == ["removed"]
    assert not store.has(d2.id) and store.count() == 2
    assert store.restore_document(d2.id, who="admin") is True
    assert store.restore_document(d2.id, who="admin") is False
    assert store.has(d2.id) and store.get(d2.id).sources == ("b.txt",)
    assert ids(store.search(SearchQuery(q="dat dai"))) == [d2.id]
    again = store.get_task(t.id)
    assert again is not None and again.owners == ("UBND huyện Gio Linh",)
    assert store.put(d2) == "unchanged" and store.removed_documents().total == 0
    assert [x.action for x in store.decisions(doc_id=d2.id).items][-2:] == [
        "remove_document", "restore_document"]


# -- versions of a document (#19 item 2) ----------------------------------------------

CV15 = (
    "Công văn 15/UBND-VX về tiêm chủng\n"
    "Đề nghị Sở Y tế tỉnh Bắc Giang báo cáo kết quả tiêm chủng trước ngày 10/5/2025.\n"
    "Sở Nội vụ tỉnh Bắc Giang rà soát biên chế các đơn vị sự nghiệp y tế.\n"
    "Văn phòng UBND tỉnh theo dõi, đôn đốc việc thực hiện."
)
CV15_FIXED = (
    CV15.replace("10/5/2025", "30/5/2025")
    + "\nSở Tài chính tỉnh Bắc Giang bố trí kinh phí tiêm chủng."
)


def cv15(text: str, source: str) -> Any:
    from tests.conftest import task_in

    lines = text.split("\n")
    tasks = [
        task_in(text, lines[1], owners=("Sở Y tế tỉnh Bắc Giang",), cooperating=(),
                deadline="2025-05-30" if "30/5" in lines[1] else "2025-05-10"),
        task_in(text, lines[2], owners=("Sở Nội vụ tỉnh Bắc Giang",), cooperating=()),
    ]
    if len(lines) > 4 and "kinh phí" in lines[4]:
        tasks.append(task_in(text, lines[4], owners=("Sở Tài chính tỉnh Bắc Giang",),
                             cooperating=()))
    return make_doc(text, source=source, doc_type="Công văn", number="15/UBND-VX",
                    date="2025-04-01", tasks=tuple(tasks))


def test_a_corrected_reissue_is_a_new_version(empty_store) -> None:
    """Same number and date, another deadline and one more task: a new version
    that supersedes the old one, staff decisions carried to the same tasks."""
    store = empty_store
    old, new = cv15(CV15, "cv15.pdf"), cv15(CV15_FIXED, "cv15-sua.pdf")
    assert store.put(old) == "added"
    health_task, staff_task = store.tasks(TaskQuery(doc_id=old.id))
    store.update_task(staff_task.id, TaskUpdate(done=True, done_on="2025-04-20",
                                                note="đã rà soát xong"), who="lan")
    store.update_task(health_task.id, TaskUpdate(
        owners=("Sở Y tế tỉnh Bắc Giang", "Trung tâm Kiểm soát bệnh tật tỉnh Bắc Giang"),
        deadline="2025-05-12"), who="minh")
    line = CV15.split("\n")[3]
    i = CV15.index(line)
    store.add_task(old.id, NewTask(start=i, end=i + len(line),
                                   owners=("Văn phòng UBND tỉnh Bắc Giang",)), who="an")

    assert store.put(new) == "new_version"
    assert store.count() == 1 and not store.has(old.id) and store.has(new.id)
    assert ids(store.search(SearchQuery(q="tiem chung"))) == [new.id]
    assert store.tasks(TaskQuery(doc_id=old.id, review="any")) == []
    tasks = {t.text: t for t in store.tasks(TaskQuery(doc_id=new.id, review="any"))}
    fixed = CV15_FIXED.split("\n")
    assert set(tasks) == {fixed[1], fixed[2], fixed[3], fixed[4]}
    staff = tasks[fixed[2]]  # the same sentence: done and the note carry over
    assert (staff.done, staff.done_on, staff.note) == (True, "2025-04-20", "đã rà soát xong")
    health = tasks[fixed[1]]  # edited by the document: its deadline wins, owners carry
    assert health.deadline == "2025-05-30"
    assert health.owners == ("Sở Y tế tỉnh Bắc Giang",
                             "Trung tâm Kiểm soát bệnh tật tỉnh Bắc Giang")
    assert tasks[fixed[3]].review == "added"  # staff's own task, found again
    assert tasks[fixed[4]].review == "unreviewed" and not tasks[fixed[4]].done  # new

    versions = store.versions(new.id)
    assert [v.id for v in versions] == [old.id] and versions[0].superseded_by == new.id
    assert versions[0].sources == ("cv15.pdf",)
    changes = versions[0].changes
    assert changes["tasks_added"] == [fixed[4]] and changes["substantive"]
    assert [t["deadline"] for t in changes["tasks_changed"]] == [["2025-05-10", "2025-05-30"]]
    assert store.resolve_id(old.id) == new.id and store.resolve_id(new.id) == new.id
    assert store.resolve_id("0" * 16) is None
    assert "new_version" in {d.action for d in store.decisions(doc_id=new.id).items}

    # The old text again changes nothing; the new one again neither.
    assert store.put(old) == "unchanged" and store.put(new) == "unchanged"
    assert store.count() == 1 and store.has(new.id)
    assert store.get(new.id).sources == ("cv15-sua.pdf",)


def test_a_file_changed_in_place_into_its_next_version(empty_store) -> None:
    store = empty_store
    old, new = cv15(CV15, "cv15.pdf"), cv15(CV15_FIXED, "cv15.pdf")
    assert store.put_many([old, new]) == ["added", "new_version"]
    assert store.count() == 1 and store.get(new.id).sources == ("cv15.pdf",)
    assert [v.id for v in store.versions(new.id)] == [old.id]
    # A third version supersedes the second; the history lists both, latest first.
    third = cv15(CV15_FIXED.replace("30/5/2025", "15/6/2025").replace(
        "2025-05-30", "2025-06-15"), "cv15.pdf")
    third = make_doc(third.text, source="cv15.pdf", doc_type="Công văn", number="15/UBND-VX",
                     date="2025-04-01", tasks=tuple(
                         replace(t, deadline="2025-06-15") if "tiêm chủng trước" in t.text
                         else t for t in third.tasks))
    assert store.put(third) == "new_version"
    assert [v.id for v in store.versions(third.id)] == [new.id, old.id]
    assert store.resolve_id(old.id) == third.id


def test_the_same_words_saying_the_same_are_one_document(empty_store) -> None:
    """Identical content is "unchanged"; a copy read from another file with the
    same tasks is the same document, not a version."""
    store = empty_store
    old = cv15(CV15, "cv15.pdf")
    assert store.put(old) == "added"
    assert store.put(cv15(CV15, "cv15-copy.pdf")) == "unchanged"
    docx = cv15(CV15 + "\nTrang 1", "cv15.docx")
    assert store.put(docx) == "unchanged" and store.count() == 1
    assert store.resolve_id(docx.id) == old.id
    assert store.versions(old.id) == []
    assert set(store.get(old.id).sources) == {"cv15.pdf", "cv15-copy.pdf", "cv15.docx"}


# -- references by key, paged ------------------------------------------------------------


def test_reference_keys_by_number_and_paged_citations(store, sample_docs) -> None:
    assert store.find_ref_keys("Nghị định", "35") == [ND35]
    assert store.find_ref_keys(None, "35/2022") == [ND35]
    assert store.find_ref_keys("Nghị định", "35 / 2022 / nđ-cp") == [ND35]
    assert store.find_ref_keys("Nghị định", None) == [ND35]
    assert store.find_ref_keys("Nghị định", "36") == [] and store.find_ref_keys("Luật", None) == []
    first = store.citation_page([ND35], offset=0, limit=1)
    second = store.citation_page([ND35], offset=1, limit=1)
    assert first.total == second.total == 2
    assert [c.doc_id for c in (*first.items, *second.items)] == [
        c.doc_id for c in store.citations([ND35])]
    assert first.items[0].context == store.citations([ND35])[0].context
    assert store.citation_page([], offset=0, limit=5).total == 0
    store.delete(sample_docs[0].id)
    assert store.citation_page([ND35]).total == 1 and store.top_refs() == [(ND35, 1)]
    store.delete(sample_docs[1].id)
    assert store.find_ref_keys("Nghị định", "35") == [] and store.top_refs() == []


def test_health_says_whether_record_and_index_agree(store) -> None:
    h = store.health()
    assert (h.status, h.documents, h.indexed, h.pending) == ("ok", 3, 3, 0)
