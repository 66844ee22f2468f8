"""Uploads known by their content, corrected re-issues as new versions (#19
items 2 and finding 3), /refs paged (#20 item 1), /health and the server that
heals its index (#19 item 3): through the HTTP API (TestClient)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pipeline.settings import Settings
from pipeline.store.local import LocalStore
from search_api.app import Healer, create_app

REVIEWER = {"X-API-Key": "k"}

V1 = """ỦY BAN NHÂN DÂN
TỈNH BẮC GIANG
Số: 15/UBND-VX
V/v báo cáo kết quả tiêm chủng
Bắc Giang, ngày 01 tháng 4 năm 2025
Kính gửi: Các sở, ban, ngành tỉnh
UBND tỉnh có ý kiến như sau:
1. Giao Sở Y tế tổng hợp, báo cáo kết quả tiêm chủng mở rộng trên địa bàn tỉnh trước ngày 10/5/2025.
2. Giao Sở Nội vụ rà soát biên chế các đơn vị sự nghiệp y tế, báo cáo UBND tỉnh.
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn Hùng
"""
V2 = V1.replace("10/5/2025", "30/5/2025").replace(
    "báo cáo UBND tỉnh.\n",
    "báo cáo UBND tỉnh.\n3. Giao Sở Tài chính bố trí kinh phí cho công tác tiêm chủng mở rộng"
    " trước ngày 15/6/2025.\n",
)
OTHER = "Thông báo về lịch tiếp công dân tháng 5.\nVăn phòng UBND tỉnh bố trí lịch tiếp công dân."


@pytest.fixture
def client(tmp_path: Path, sample_docs):  # type: ignore[no-untyped-def]
    with LocalStore(tmp_path / "data") as s:
        s.put_many(sample_docs)
    app = create_app(Settings(data_dir=tmp_path / "data", api_keys="lan:k",
                              heal_interval_s=0.2))
    with TestClient(app) as c:
        yield c


def upload(client: TestClient, name: str, body: str) -> dict:  # type: ignore[type-arg]
    r = client.post("/documents", files={"file": (name, body.encode())}, headers=REVIEWER)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def test_two_files_with_one_name_are_two_documents(client: TestClient) -> None:
    """Finding 3: file B posted as scan.txt no longer replaces file A posted as scan.txt."""
    a = upload(client, "scan.txt", V1)
    b = upload(client, "scan.txt", OTHER)
    assert (a["outcome"], b["outcome"]) == ("added", "added") and a["id"] != b["id"]
    for doc in (a, b):
        got = client.get(f"/documents/{doc['id']}")
        assert got.status_code == 200
        (source,) = got.json()["sources"]
        assert source.startswith("upload:") and source.endswith("/scan.txt")
    assert upload(client, "scan.txt", V1)["outcome"] == "unchanged"  # the same bytes again
    again = upload(client, "other-name.txt", V1)  # the same content under another name
    assert (again["outcome"], again["id"]) == ("unchanged", a["id"])
    assert client.get("/health").json()["documents"] == 5


def test_a_corrected_reissue_is_a_new_version_with_its_changes(client: TestClient) -> None:
    """Finding 2: the corrected text was "unchanged" with an id that gave 404."""
    old = upload(client, "cv15.txt", V1)
    tasks = client.get("/tasks", params={"doc_id": old["id"]}).json()["data"]
    staff = next(t for t in tasks if "Nội vụ" in t["text"])
    r = client.patch(f"/tasks/{staff['id']}", json={"done": True, "note": "đã xong"},
                     headers=REVIEWER)
    assert r.status_code == 200
    new = upload(client, "cv15-dinh-chinh.txt", V2)
    assert new["outcome"] == "new_version" and new["id"] != old["id"]
    assert "phiên bản mới" in new["message"]
    page = client.get(f"/documents/{new['id']}").json()
    assert page["id"] == new["id"] and len(page["tasks"]) == 3
    carried = next(t for t in page["tasks"] if "Nội vụ" in t["text"])
    assert (carried["done"], carried["note"]) == (True, "đã xong")
    (version,) = page["versions"]
    assert version["id"] == old["id"] and version["superseded_by"] == new["id"]
    changes = version["changes"]
    assert [t.startswith("3. Giao Sở Tài chính") or "Sở Tài chính" in t
            for t in changes["tasks_added"]] == [True]
    assert [c["deadline"] for c in changes["tasks_changed"]] == [["2025-05-10", "2025-05-30"]]
    assert any("30/5/2025" in line for line in changes["diff"])
    # The old id leads to the current version; the old text again changes nothing.
    assert client.get(f"/documents/{old['id']}").json()["id"] == new["id"]
    back = upload(client, "cv15.txt", V1)
    assert (back["outcome"], back["id"]) == ("unchanged", new["id"])
    assert client.get("/tasks", params={"doc_id": old["id"]}).json()["count"] == 0


def test_refs_are_paged_with_the_total(client: TestClient, sample_docs) -> None:
    first = client.get("/refs", params={"q": "nghi dinh 35/2022"}).json()
    assert (first["count"], first["size"], len(first["data"])) == (2, 50, 2)
    one = client.get("/refs", params={"q": "ND 35/2022", "size": 1}).json()
    two = client.get("/refs", params={"q": "ND 35/2022", "size": 1, "page": 2}).json()
    assert one["count"] == two["count"] == 2
    assert [c["doc_id"] for c in one["data"] + two["data"]] == [c["doc_id"]
                                                               for c in first["data"]]
    assert client.get("/refs", params={"q": "ND 35/2022", "page": 3, "size": 1}).json()[
        "data"] == []


def test_health_reports_and_the_server_heals_pending_work(tmp_path: Path, sample_docs) -> None:
    data = tmp_path / "data"
    with LocalStore(data) as s:
        s.put_many(sample_docs[:2])
        s._write_sql(sample_docs[2])  # stored, a crash before it was indexed
    app = create_app(Settings(data_dir=data, api_keys="lan:k", heal_interval_s=0.2))
    with TestClient(app) as c:
        deadline = time.monotonic() + 30
        while True:
            h = c.get("/health").json()
            if h["pending"] == 0:
                break
            assert time.monotonic() < deadline, h
            time.sleep(0.1)
        assert (h["status"], h["documents"], h["indexed"]) == ("ok", 3, 3)
        assert c.get("/search", params={"q": "dat dai"}).json()["count"] == 1


def test_the_server_leaves_a_running_ingests_index_work_to_it(
        tmp_path: Path, sample_docs) -> None:
    """Index work just committed is a running ingest's, which indexes it in its
    batch: the server takes over only what is still waiting a step later (a
    crash's), not the ingest's next batch (issue #20: the server did the
    ingest's indexing on the cores the requests need)."""
    data = tmp_path / "data"
    with LocalStore(data) as writer:
        writer.put_many(sample_docs[:1])
        writer._write_sql(sample_docs[1])  # a batch committed, not yet indexed
        with LocalStore(data) as server:
            healer = Healer(server)
            assert healer.step() == 0 and server.health().pending == 1
            writer._flush_pending()  # the ingest indexes its batch
            writer._write_sql(sample_docs[2])  # and commits the next one
            assert healer.step() == 0 and server.health().pending == 1
            # the ingest dies: the same work is still waiting at the next step
            assert healer.step() == 1
            assert (server.health().pending, server.health().indexed) == (0, 3)
            assert healer.step() == 0  # nothing waiting: only the empty-index check


def test_health_is_degraded_when_the_index_disagrees(tmp_path: Path, sample_docs) -> None:
    data = tmp_path / "data"
    with LocalStore(data) as s:
        s.put_many(sample_docs)
    (data / "index" / "meta.json").write_text("corrupt", "utf-8")
    app = create_app(Settings(data_dir=data, api_keys="lan:k", heal_interval_s=0.2))
    with TestClient(app) as c:
        h = c.get("/health").json()
        assert (h["status"], h["documents"], h["indexed"]) == ("degraded", 3, None)
        assert "vndoc reindex" in h["detail"]
        r = c.get("/search", params={"q": "dat dai"})
        assert r.status_code == 503 and "vndoc reindex" in r.json()["detail"]
        assert c.get("/tasks").json()["count"] == 3  # the register still answers
