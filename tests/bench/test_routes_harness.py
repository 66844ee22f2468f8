"""bench/routes.py (issue #20): the two ways of calling the app give the same
answers, and a comparison of two runs names every answer that changed."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import routes
from pipeline.store.local import LocalStore


def test_both_drivers_answer_alike_and_changes_are_named(tmp_path: Path, sample_docs) -> None:
    data = tmp_path / "data"
    with LocalStore(data) as s:
        s.put_many(sample_docs)
    client = routes.measure(data, reps=1, budget_s=5.0)
    direct = routes.measure(data, reps=1, budget_s=5.0, driver="asgi")
    assert direct["driver"] == "asgi" and client["driver"] == "testclient"
    digests = {k: q["sha1"] for k, q in client["queries"].items() if q["kind"] != "health"}
    assert len(set(digests.values())) > 10  # the answers differ from one another
    assert digests == {k: q["sha1"] for k, q in direct["queries"].items() if q["kind"] != "health"}
    assert "answers changed: 0" in routes.compare(client, direct)
    changed = copy.deepcopy(direct)
    some = next(k for k, q in changed["queries"].items() if q["kind"] == "tasks")
    changed["queries"][some]["sha1"] = "0" * 12
    report = routes.compare(client, changed)
    assert "answers changed: 1" in report and f"- {some}" in report


def test_the_direct_driver_works_while_a_loop_runs_in_the_thread() -> None:
    # a test runner (or an earlier test) may leave an event loop running in this thread
    async def app(scope: dict, receive: object, send: Callable) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b'{"ok": true}'})

    async def inside() -> bytes:
        getter = routes.AsgiGet(app)
        try:
            return getter.get("/health").content
        finally:
            getter.close()

    # in a thread of its own, where this test's loop is the one running (a loop left
    # running in the test runner's thread would stop asyncio.run itself)
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside()).result() == b'{"ok": true}'


def test_spyidle_counts_waiting_samples_per_process() -> None:
    from bench.spyidle import per_process

    raw = (
        'process 1:"vndoc ingest";main (cli.py:1);flush (run.py:2) 30\n'
        'process 1:"vndoc ingest";main (cli.py:1);Condition.wait (threading.py:327) 10\n'
        'process 1:"vndoc ingest";process 2:"worker";_child (worker.py:1);'
        'Connection._recv (connection.py:395) 5\n'
        'process 1:"vndoc ingest";process 2:"worker";extract (extraction.py:9) 15\n'
    )
    assert per_process(raw) == {'process 1:"vndoc ingest"': (30, 10),
                                'process 2:"worker"': (15, 5)}
