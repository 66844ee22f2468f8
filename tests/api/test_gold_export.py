"""Corrections become gold (#14, item 7): review a real document through the API,
export the reviewed store with `vndoc export-gold`, score it with `vndoc eval`.

* Gold scored against the same store's current tasks gives 1.0.
* `vndoc eval` on the export (the extractors run again on the texts) gives
  the figures the "Chất lượng" panel shows.
"""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pipeline.cli import app as cli
from pipeline.eval.evaluate import aggregate, evaluate_document
from pipeline.eval.review import current_as_predicted, gold_of
from pipeline.ingest.run import ingest
from pipeline.settings import Settings
from pipeline.store.local import LocalStore
from search_api.app import create_app
from tests.conftest import CORPUS

H = {"X-API-Key": "k"}


def test_reviewed_store_exports_gold_that_eval_reads(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with LocalStore(data) as store:
        report = ingest([CORPUS / "seeds" / "000_1708979d649a01d1.txt",
                         CORPUS / "seeds" / "001_3e23550440f9e631.txt"], store)
        assert not report.failures
    with TestClient(create_app(Settings(data_dir=data, api_keys="lan:k"))) as c:
        docs = c.get("/review").json()["data"]
        assert len(docs) == 2
        first, second = (c.get(f"/documents/{d['doc_id']}").json() for d in docs)
        t = first["tasks"]
        assert len(t) >= 4
        # Confirm two, fix an owner, reject one; the rest by "Xác nhận tất cả".
        for x in t[:2]:
            assert c.patch(f"/tasks/{x['id']}", json={"review": "confirmed"},
                           headers=H).status_code == 200
        assert c.patch(f"/tasks/{t[2]['id']}", json={"owners": ["Sở Xây dựng tỉnh Bắc Ninh"]},
                       headers=H).status_code == 200
        assert c.patch(f"/tasks/{t[3]['id']}", json={"review": "rejected"},
                       headers=H).status_code == 200
        # A missed task: the first sentence no task covers.
        text = first["document"]["text"]
        covered = [(x["start"], x["end"]) for x in t]
        start = next(i for i in range(len(text) - 40) if text[i].isupper()
                     and (i == 0 or text[i - 1] in "\n ") and text[i - 2:i] in (". ", "\n", "")
                     and all(not (a <= i < b) for a, b in covered) and i > 0)
        end = text.index(".", start) + 1
        added = c.post("/tasks", json={"doc_id": first["id"], "start": start, "end": end,
                                       "owners": ["Sở Tài chính tỉnh Bắc Ninh"]}, headers=H)
        assert added.status_code == 201, added.text
        assert c.post(f"/documents/{first['id']}/confirm", headers=H).status_code == 200
        # The second document stays unreviewed: not gold.
        quality = c.get("/quality").json()["overall"]
    assert quality["documents"] == 1 and quality["rejected"] == 1 and quality["added"] == 1

    out = tmp_path / "gold-export"
    result = CliRunner().invoke(cli, ["export-gold", str(out), "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    golds = sorted((out / "gold").glob("*.json"))
    assert [g.stem for g in golds] == [first["id"]]
    assert (out / "docs" / f"{first['id']}.txt").read_text("utf-8") == text
    gold = json.loads(golds[0].read_text("utf-8"))
    assert len(gold["tasks"]) == len(t)  # one rejected, one added
    assert "Sở Xây dựng tỉnh Bắc Ninh" in [o for g in gold["tasks"] for o in g["owners"]]

    # Gold against the store it came from: 1.0.
    with LocalStore(data) as store:
        [reviewed] = list(store.reviewed_documents())
        same = aggregate([evaluate_document(gold_of(reviewed), current_as_predicted(reviewed),
                                            name="self")]).scores
    assert same["tasks.f1"] == same["owners.accuracy"] == same["deadline.accuracy"] == 1.0

    # `vndoc eval` runs the extractors again on the exported text: the panel's figures.
    result = CliRunner().invoke(cli, ["eval", str(out / "gold"), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)["scores"]
    assert round(scores["tasks.precision"], 4) == quality["precision"] < 1.0
    assert round(scores["tasks.recall"], 4) == quality["recall"] < 1.0
    assert round(scores["owners.accuracy"], 4) == quality["owners"] < 1.0
