"""Read routes send their response model serialized in the route's thread
(search_api/convert.py ``json_response``, issue #20): the same bytes FastAPI
would send for the model, and the OpenAPI schema still names the model."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from pipeline.settings import Settings
from search_api.app import create_app
from search_api.schemas import AskOut, RefsOut, SearchOut, TasksOut

ROUTES = [
    ("/search", {"q": "dat dai"}, SearchOut),
    ("/tasks", {"today": "2024-07-01"}, TasksOut),
    ("/tasks", {"owner": "so tai chinh", "today": "2024-07-01"}, TasksOut),
    ("/refs", {"q": "nghi dinh 35/2022"}, RefsOut),
    ("/ask", {"q": "Sở Tài chính được giao những nhiệm vụ gì?", "today": "2024-07-01"}, AskOut),
]


@pytest.fixture
def client(data_dir: Path) -> TestClient:
    with TestClient(create_app(Settings(data_dir=data_dir))) as c:
        yield c  # type: ignore[misc]


@pytest.mark.parametrize(("path", "params", "model"), ROUTES)
def test_the_bytes_are_the_models(client: TestClient, path: str, params: dict[str, str],
                                  model: type) -> None:
    r = client.get(path, params=params)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert int(r.headers["content-length"]) == len(r.content)
    # what FastAPI sends for a response_model: its TypeAdapter's JSON, by alias
    adapter = TypeAdapter(model)
    assert adapter.dump_json(adapter.validate_json(r.content), by_alias=True) == r.content
    assert r.json()["count"] >= 1


def test_the_schema_names_the_models(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, _params, model in ROUTES:
        body = paths[path]["get"]["responses"]["200"]["content"]["application/json"]
        assert body["schema"] == {"$ref": f"#/components/schemas/{model.__name__}"}
