"""Issue #4's acceptance questions, on the real corpus ingested by the real
pipeline, asked of the API over each store: LocalStore, and ElasticStore (the
noida-db emulator, or the cluster at VNDOC_ES_URL). The same answers are
expected from both."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pipeline.settings import Settings
from search_api.app import create_app

SEED_000 = "000_1708979d649a01d1"
SEED_001 = "001_3e23550440f9e631"


@pytest.fixture(scope="module", params=["local", "elastic"])
def client(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """The API over the served corpus, ingested once per session (tests/conftest.py)."""
    if request.param == "local":
        settings = Settings(data_dir=request.getfixturevalue("served_dir"), api_keys="lan:k")
    else:
        es = request.getfixturevalue("served_es")
        settings = Settings(store="elasticsearch", es_url=es.es_url, api_keys="lan:k",
                            es_index_prefix=es.es_index_prefix)
    with TestClient(create_app(settings)) as c:
        yield c


def doc_id_of(client: TestClient, stem: str) -> str:
    """The id of the stored document read from ``stem`` (every page of the list:
    the corpus holds more documents than one page)."""
    page = 1
    while True:
        docs = client.get("/search", params={"size": 100, "page": page}).json()["data"]
        found = next((d["id"] for d in docs if Path(d["source"]).stem == stem), None)
        if found is not None or len(docs) < 100:
            assert found is not None, f"{stem} is not in the store"
            return found
        page += 1


@pytest.mark.parametrize(
    "question",
    ["Sở Tài chính được giao những nhiệm vụ gì?", "so tai chinh duoc giao nhung nhiem vu gi"],
)
def test_finance_department_tasks(client: TestClient, question: str) -> None:
    a = client.get("/ask", params={"q": question, "size": 100}).json()
    assert a["intent"] == "tasks" and a["ask"] == "list"
    assert [c["kind"] for c in a["chips"]][:1] == ["agency"]
    docs = {e["doc_id"] for e in a["evidence"]}
    assert {doc_id_of(client, SEED_000), doc_id_of(client, SEED_001)} <= docs
    owners = {o for d in a["data"] for o in d["owners"]}
    assert {"Sở Tài chính tỉnh Bắc Ninh", "Sở Tài chính tỉnh Bắc Giang"} <= owners


@pytest.mark.parametrize(
    "question",
    ["Ai chủ trì việc giám sát, đánh giá đầu tư?", "ai chu tri viec giam sat danh gia dau tu"],
)
def test_who_leads_investment_monitoring(client: TestClient, question: str) -> None:
    a = client.get("/ask", params={"q": question}).json()
    assert a["intent"] == "tasks" and a["ask"] == "who"
    assert a["answer"].startswith("Chủ trì: ") and "Sở Tài chính tỉnh Bắc Ninh (" in a["answer"]
    assert any("giám sát, đánh giá đầu tư" in e["text"] for e in a["evidence"])


@pytest.mark.parametrize("q", ["nghi dinh 35/2022", "Nghị định 35/2022", "ND 35/2022",
                               "35/2022/NĐ-CP"])
def test_refs_lookup(client: TestClient, q: str) -> None:
    r = client.get("/refs", params={"q": q}).json()
    assert r["canonical"] == ["Nghị định 35/2022/NĐ-CP"]
    hit = next(c for c in r["data"] if c["doc_id"] == doc_id_of(client, SEED_001))
    assert hit["pinpoint"] == "khoản 4 Điều 9"
    assert "khoản 4 Điều 9" in hit["context"]


def test_overdue_as_of_july_2024(client: TestClient) -> None:
    d001 = doc_id_of(client, SEED_001)
    params = {"status": "overdue", "today": "2024-07-01", "doc_id": d001}
    r = client.get("/tasks", params=params).json()
    deadlines = sorted(t["deadline"] for t in r["data"] if t["doc_id"] == d001)
    assert deadlines == ["2024-03-31", "2024-03-31", "2024-06-30"]
    assert all(t["status"] == "overdue" for t in r["data"])


def test_owner_filter_accepts_former_names_and_spellings(client: TestClient) -> None:
    for owner in ("Sở Tài chính tỉnh Bắc Ninh", "so tai chinh bac ninh"):
        r = client.get("/tasks", params={"owner": owner, "role": "lead"}).json()
        assert "Sở Kế hoạch và Đầu tư tỉnh Bắc Giang" in r["owner_names"]
        owners = {o for t in r["data"] for o in t["owners"]}
        assert "Sở Kế hoạch và Đầu tư tỉnh Bắc Giang" in owners  # the 2024 task of 001
    r = client.get("/tasks", params={"owner": "BQL KCN Bac Giang", "role": "cooperating"}).json()
    assert r["count"] >= 1


@pytest.mark.parametrize(
    ("question", "intent", "shape"),
    [
        ("Nhiệm vụ nào quá hạn?", "tasks", "list"),
        ("Việc gì phải xong trong tháng 3/2024?", "tasks", "list"),
        ("Văn bản nào dẫn chiếu Nghị định 35/2022?", "citations", "list"),
        ("van ban nao dan chieu nghi dinh 35/2022", "citations", "list"),
        ("Ban Quản lý các KCN Bắc Giang phối hợp với ai?", "tasks", "partners"),
    ],
)
def test_questions_are_understood(
    client: TestClient, question: str, intent: str, shape: str
) -> None:
    a = client.get("/ask", params={"q": question, "today": "2024-07-01"}).json()
    assert a["intent"] == intent and a["ask"] == shape and a["understood"]
    assert a["evidence"], a


def test_march_2024_deadlines(client: TestClient) -> None:
    a = client.get("/ask", params={"q": "Việc gì phải xong trong tháng 3/2024?"}).json()
    assert {d["deadline"] for d in a["data"]} == {"2024-03-31"}


def test_cooperation_partners(client: TestClient) -> None:
    a = client.get("/ask", params={"q": "Ban Quản lý các KCN Bắc Giang phối hợp với ai?"}).json()
    assert "Sở Kế hoạch và Đầu tư tỉnh Bắc Giang" in a["answer"]


def test_unknown_question_falls_back_to_search(client: TestClient) -> None:
    a = client.get("/ask", params={"q": "khu công nghiệp Quang Châu ra sao"}).json()
    assert a["intent"] == "search" and not a["understood"]
    assert "tìm kiếm toàn văn" in a["answer"] and a["data"]


def test_agencies_listing(client: TestClient) -> None:
    rows = {a["name"]: a for a in client.get("/agencies").json()["data"]}
    khdt = rows["Sở Kế hoạch và Đầu tư tỉnh Bắc Giang"]
    assert khdt["current_name"] == "Sở Tài chính tỉnh Bắc Ninh"
    assert khdt["lead_tasks"] >= 1
    assert "Sở Kế hoạch và Đầu tư tỉnh Bắc Giang" in rows["Sở Tài chính tỉnh Bắc Ninh"][
        "former_names"]


def test_document_page_shows_both_directions(client: TestClient) -> None:
    d = client.get(f"/documents/{doc_id_of(client, SEED_001)}").json()
    assert any(c["canonical"] == "Nghị định 35/2022/NĐ-CP" for c in d["cites"])
    assert len(d["tasks"]) >= 15


@pytest.mark.parametrize("q", ["so tai chinh", "Sở Tài chính", "SO TAI CHINH"])
def test_search_ranks_documents_naming_the_agency_first(client: TestClient, q: str) -> None:
    """Issue #2: with or without diacritics, the documents that mention
    "Sở Tài chính" rank first, with highlighted snippets."""
    r = client.get("/search", params={"q": q, "size": 100}).json()
    # the seeds that assign work to Sở Tài chính rank on the first page of 100 (the
    # served corpus has grown: over fifty of its texts write "Sở Tài chính"), and
    # every document ranked above them names it (short news passages and long plans that
    # name it often may come first)
    top = [Path(h["source"]).stem for h in r["data"]]
    assert {SEED_000, SEED_001} <= set(top)
    last = max(top.index(SEED_000), top.index(SEED_001))
    for h in r["data"][: last + 1]:
        assert any("<mark>Sở</mark> <mark>Tài</mark> <mark>chính</mark>" in s
                   for s in h["snippets"])
