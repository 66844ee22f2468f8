"""The HTTP API over a store of hand-built documents (TestClient), plus one
test through a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from bench.server import free_port, stop, wait_until_healthy
from pipeline.settings import Settings
from search_api.app import create_app


@pytest.fixture
def client(data_dir: Path):  # type: ignore[no-untyped-def]
    app = create_app(Settings(data_dir=data_dir, api_keys="lan:key-lan,key-2"))
    with TestClient(app) as c:
        yield c


def test_health(client: TestClient) -> None:
    r = client.get("/health")
    assert r.status_code == 200 and r.json()["documents"] == 3


def test_search_accent_free_and_accented_agree(client: TestClient, sample_docs) -> None:
    a = client.get("/search", params={"q": "so tai chinh"}).json()
    b = client.get("/search", params={"q": "Sở Tài chính"}).json()
    assert [h["id"] for h in a["data"]] == [h["id"] for h in b["data"]]
    assert a["data"][0]["id"] == sample_docs[0].id
    assert "<mark>Sở</mark> <mark>Tài</mark> <mark>chính</mark>" in a["data"][0]["snippets"][0]
    assert {f["value"] for f in a["facets"]["doc_type"]} >= {"Thông báo"}


def test_search_tone_mark_convention_applies_to_queries(client: TestClient) -> None:
    # "hoà"/"hòa" and "uỷ"/"ủy": both spellings give the same result.
    a = client.get("/search", params={"q": "phòng cháy, chữa cháy"}).json()["count"]
    assert a == 1


def test_search_filters_and_validation(client: TestClient, sample_docs) -> None:
    r = client.get("/search", params={"q": "", "doc_type": "Công văn"}).json()
    assert [h["id"] for h in r["data"]] == [sample_docs[1].id]
    assert client.get("/search", params={"date_from": "2024-13-01"}).status_code == 422
    assert client.get("/search", params={"size": 1000}).status_code == 422
    long = client.get("/search", params={"q": "x" * 5000})
    assert long.status_code == 413 and "too long" in long.json()["detail"]


def test_document(client: TestClient, sample_docs) -> None:
    d = client.get(f"/documents/{sample_docs[0].id}").json()
    assert d["document"]["doc"]["number_symbol"] == "/TB-UBND"
    assert len(d["tasks"]) == 2
    assert d["cites"][0]["pinpoint"] == "khoản 4 Điều 9"
    r = client.get("/documents/nope")
    assert r.status_code == 404 and "nope" in r.json()["detail"]


def test_writes_need_a_key(client: TestClient) -> None:
    tid = client.get("/tasks").json()["data"][0]["id"]
    assert client.patch(f"/tasks/{tid}", json={"done": True}).status_code == 401
    r = client.patch(f"/tasks/{tid}", json={"done": True}, headers={"X-API-Key": "wrong"})
    assert r.status_code == 403
    r = client.patch(f"/tasks/{tid}", json={"done": True}, headers={"X-API-Key": "key-lan"})
    assert r.status_code == 200 and r.json()["done"] and r.json()["updated_by"] == "lan"
    hist = client.get(f"/tasks/{tid}/history").json()
    assert hist[0]["who"] == "lan" and hist[0]["field"] == "done"


def test_tasks_overdue_as_of(client: TestClient) -> None:
    r = client.get("/tasks", params={"status": "overdue", "today": "2024-07-01"}).json()
    assert [t["deadline"] for t in r["data"]] == ["2024-03-31", "2024-06-30"]
    assert all(t["status"] == "overdue" for t in r["data"])
    assert client.get("/tasks", params={"today": "01/07/2024"}).status_code == 422


def test_tasks_export_csv_and_xlsx(client: TestClient) -> None:
    import io

    from openpyxl import load_workbook

    r = client.get("/tasks", params={"format": "csv", "today": "2024-07-01"})
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "SỔ THEO DÕI NHIỆM VỤ" and lines[1] == "Tính đến ngày 01/07/2024"
    assert lines[3].startswith("STT,Nội dung nhiệm vụ,Đơn vị chủ trì,Đơn vị phối hợp,Thời hạn,")
    text = "\n".join(lines)
    assert "Sở Tài chính tỉnh Bắc Giang" in text and "Quá hạn 92 ngày" in text
    r = client.get("/tasks", params={"format": "xlsx", "today": "2024-07-01"})
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[3][:3] == ("STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì")
    assert any(row[2] == "Sở Tài chính tỉnh Bắc Giang" for row in rows[4:])


def test_errors_are_json_without_traces(client: TestClient) -> None:
    r = client.get("/tasks", params={"status": "bogus"})
    assert r.status_code == 422 and "Traceback" not in r.text
    assert r.headers["content-type"].startswith("application/json")


def test_cors_off_by_default(client: TestClient) -> None:
    r = client.get("/health", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in r.headers


def test_web_page_is_served_locally(client: TestClient) -> None:
    html = client.get("/").text
    assert "Tìm kiếm" in html and "/static/app.js" in html and "http" not in html.split(
        "<footer")[0].replace("http-equiv", "")
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/../app.py").status_code == 404


def test_real_uvicorn_server(data_dir: Path, sample_docs) -> None:
    port = free_port()
    env = {"VNDOC_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "search_api.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_healthy(url, proc, timeout_s=30)
        r = httpx.get(url + "/search", params={"q": "so tai chinh"}, timeout=5).json()
        assert r["data"][0]["id"] == sample_docs[0].id
        assert "<mark>" in r["data"][0]["snippets"][0]
    finally:
        stop(proc, timeout_s=10)
