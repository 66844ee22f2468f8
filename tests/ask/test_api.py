"""GET /ask over the served corpus: chips, edits, pages, and refusals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from pipeline.query.resolve import resolve_owner
from pipeline.settings import Settings
from pipeline.store.base import TaskQuery
from pipeline.store.local import LocalStore
from search_api.app import create_app

TODAY = dt.date(2024, 6, 25)
TNMT_QT = "Sở Tài nguyên và Môi trường tỉnh Quảng Trị"


@pytest.fixture(scope="module")
def client(served_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(data_dir=served_dir))) as c:
        yield c


def get(client: TestClient, q: str, *extra: tuple[str, str]) -> Any:
    r = client.get("/ask", params=[("q", q), ("today", "2024-06-25"), *extra])
    assert r.status_code == 200, r.text
    return r.json()


def register(store: LocalStore, owner: str, **kw: object) -> set[str]:
    """Task ids the register gives for an owner, asked directly (the oracle)."""
    names = tuple(resolve_owner(store, owner))
    rows = store.tasks(TaskQuery(owner_names=names, today=TODAY, limit=10_000, **kw))  # type: ignore[arg-type]
    return {t.id for t in rows}


def test_answer_shape(client: TestClient, served: LocalStore) -> None:
    a = get(client, "so tnmt quang tri co viec nao tre han khong")
    assert a["understood"] and a["intent"] == "tasks" and a["ask"] == "yesno"
    n = len(register(served, TNMT_QT, role="lead", status="overdue"))
    assert a["yes"] is True and a["count"] == n > 0 and a["answer"].startswith(f"Có: {n} nhiệm vụ")
    assert [(c["kind"], c["text"]) for c in a["chips"]] == [
        ("agency", "so tnmt quang tri"), ("qword", "co … khong"), ("status", "tre han")]
    for c in a["chips"]:
        if c["kind"] != "qword":
            assert a["question"][c["start"] : c["end"]] == c["text"]
    assert a["query"]["owner"] == "Sở Tài nguyên và Môi trường tỉnh Quảng Trị"
    assert a["query"]["status"] == "overdue"
    assert {e["doc_id"] for e in a["evidence"]} == {d["doc_id"] for d in a["data"]}


def test_drop_and_set_parts(client: TestClient, served: LocalStore) -> None:
    q = "Sở TNMT Quảng Trị có việc nào quá hạn không?"
    a = get(client, q, ("drop", "status"))
    assert "status" not in [c["kind"] for c in a["chips"]]
    assert a["count"] == len(register(served, TNMT_QT, role="lead"))
    a = get(client, q, ("set", "role=cooperating"), ("drop", "status"), ("set", "qword=count"))
    n = len(register(served, TNMT_QT, role="cooperating"))
    assert a["ask"] == "count" and a["answer"].startswith(f"Có {n} nhiệm vụ có Sở Tài nguyên")
    assert "Vai trò: phối hợp" in [c["label"] for c in a["chips"]]
    a = get(client, "Những nhiệm vụ còn hạn", ("set", "time=2024-06-01..2024-06-30"))
    assert {d["deadline"] for d in a["data"]} == {"2024-06-30"}


def test_pages(client: TestClient) -> None:
    first = get(client, "Những nhiệm vụ không có thời hạn")
    assert first["size"] == 20 and len(first["data"]) == 20 and first["next_page"] == 2
    second = get(client, "Những nhiệm vụ không có thời hạn", ("page", "2"), ("size", "20"))
    assert second["page"] == 2 and len(second["data"]) == min(20, first["count"] - 20)
    assert not {d["task_id"] for d in first["data"]} & {d["task_id"] for d in second["data"]}


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ((("drop", "colour"),), "Input should be 'agency'"),
        ((("set", "status=late"),), "should match pattern"),
        ((("set", "status"),), "should match pattern"),
        ((("set", "time=2024-13-01.."),), "should match pattern"),
        ((("size", "1000"),), "at most"),
        ((("page", "0"),), "greater than or equal to 1"),
        ((("today", "30/6/2024"),), "YYYY-MM-DD"),
    ],
)
def test_bad_requests(client: TestClient, extra: tuple[tuple[str, str], ...], says: str) -> None:
    r = client.get("/ask", params=[("q", "Bộ Y tế làm gì"), *extra])
    assert r.status_code == 422 and says in r.json()["detail"]


def test_a_day_past_the_month_end_is_its_last(client: TestClient) -> None:
    a = get(client, "Bộ Y tế làm gì", ("set", "time=2024-02-31..2024-04-31"))
    assert (a["query"]["deadline_from"], a["query"]["deadline_to"]) == ("2024-02-29",
                                                                          "2024-04-30")
    assert "Thời gian: từ 29/02/2024 đến 30/04/2024" in [c["label"] for c in a["chips"]]


def test_the_schema_names_every_part() -> None:
    from typing import get_args

    from pipeline.query.ask import EDITABLE
    from search_api.routers.ask import Editable

    assert set(get_args(Editable)) == set(EDITABLE)


def test_too_long(client: TestClient) -> None:
    r = client.get("/ask", params={"q": "a" * 600})
    assert r.status_code == 413


def test_the_page_loads_the_chips_script(client: TestClient) -> None:
    assert '<script src="/static/ask.js"></script>' in client.get("/").text
    r = client.get("/static/ask.js")
    assert r.status_code == 200 and "ask-chips" in r.text and "/static/ask.css" in r.text
    r = client.get("/static/ask.css")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/css")
