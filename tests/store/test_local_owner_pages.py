"""LocalStore answers an owner filter two ways (from the owner's rows, sorted,
when it holds few tasks or the order has no index; else by walking the
register's order): both give the same pages and totals, in every order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import pipeline.store.local as local
from pipeline.store.base import TaskQuery
from pipeline.store.local import LocalStore
from pipeline.store.local_register import TASK_SORTS
from tests.conftest import make_doc, task_in

OWNERS = ("Sở Tài chính tỉnh Bắc Giang", "Sở Xây dựng tỉnh Bắc Giang", "UBND huyện Yên Thế")


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("owner-pages")
    docs = []
    for i in range(24):
        sentences = [
            f"{OWNERS[(i + k) % 3]} chủ trì rà soát hồ sơ số {i}-{k}, xong trước ngày "
            f"{(k * 7 + i) % 28 + 1}/{i % 12 + 1}/2024." for k in range(3)]
        text = f"Thông báo kết luận số {i}\n" + "\n".join(sentences)
        tasks = tuple(
            task_in(text, s, owners=(OWNERS[(i + k) % 3],),
                    cooperating=(OWNERS[(i + k + 1) % 3],) if k else (),
                    deadline=None if (i + k) % 5 == 0 else
                    f"2024-{i % 12 + 1:02d}-{(k * 7 + i) % 28 + 1:02d}")
            for k, s in enumerate(sentences))
        docs.append(make_doc(text, source=f"d{i}.txt", number=f"{i}/TB-UBND",
                             date=f"20{15 + i % 10}-0{i % 9 + 1}-1{i % 10}", tasks=tasks,
                             issuer="UBND tỉnh Bắc Giang" if i % 2 else "Sở Tài chính"))
    with LocalStore(data) as store:
        store.put_many(docs)
    return data


@pytest.mark.parametrize("sort", sorted(TASK_SORTS))
@pytest.mark.parametrize("role", ["any", "lead", "cooperating"])
def test_owner_rows_first_and_register_walk_agree(register: Path, sort: str, role: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    queries = [
        TaskQuery(owner_names=names, role=role, status=status, sort=sort, descending=desc,
                  today=dt.date(2024, 6, 1), limit=7, offset=offset)
        for names in ((OWNERS[0],), OWNERS[1:], ("Không có cơ quan này",))
        for status in (None, "overdue", "open", "no_deadline")
        for desc in (False, True)
        for offset in (0, 7)
    ]
    pages = {}
    # (owner rows first, page by deadline, owner rows read per task): the
    # register walked, the owner's tasks sorted, the page's candidates by
    # deadline from the owner rows (with one row read per task: read again,
    # more of them, until the page is whole; with a bound so low that the
    # candidates fall back to the other ways)
    modes = [(None, None, 2), (10**9, None, 2), (None, 2000, 2), (None, 2000, 1),
             (None, 8, 1), (10**9, 3, 2)]
    for rows_first, due_candidates, per_task in modes:
        monkeypatch.setattr(local, "OWNER_ROWS_FIRST", rows_first)
        monkeypatch.setattr(local, "OWNER_DUE_CANDIDATES", due_candidates)
        monkeypatch.setattr(local.reg, "DUE_ROWS_PER_TASK", per_task)
        monkeypatch.setattr(local.reg, "DUE_SLACK", 0 if per_task == 1 else 16)
        with LocalStore(register) as store:
            pages[rows_first, due_candidates, per_task] = [
                (p.total, [t.id for t in p.items]) for p in map(store.task_page, queries)]
    walked = pages[modes[0]]
    for mode in modes[1:]:
        assert pages[mode] == walked, mode
    assert any(ids for _total, ids in walked) and any(total > 7 for total, _ids in walked)


@pytest.mark.parametrize("status", [None, "overdue", "open"])
def test_date_range_walk_and_sort_agree(register: Path, status: str | None,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A document-date range answered by walking the register's order (many
    tasks) or by reading the range and sorting (few): the same pages."""
    queries = [
        TaskQuery(issued_from=lo, issued_to=hi, status=status, today=dt.date(2024, 6, 1),
                  limit=5, offset=offset, province=province)
        for lo, hi in (("2015-01-01", "2019-12-31"), ("2018", "2018-06"), (None, "2016-03"),
                       ("2020-05-10", None))
        for offset in (0, 5)
        for province in (None, "Bắc Giang")
    ]
    pages = {}
    for mode in (0, 10**9):
        monkeypatch.setattr(local, "DATE_RANGE_SORTED", mode)
        with LocalStore(register) as store:
            pages[mode] = [(p.total, [t.id for t in p.items]) for p in map(store.task_page,
                                                                           queries)]
    assert pages[0] == pages[10**9]
    assert any(total > 5 for total, _ in pages[0])


def test_register_words_from_the_index_alone_agree(register: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Words with no other filter: the index's page and count, the rejected
    tasks left out by id, give what the candidate ids tested in SQL give."""
    from pipeline.store.base import TaskUpdate

    with LocalStore(register) as store:
        some = store.task_page(TaskQuery(q="rà soát hồ sơ", limit=4)).items
        rejected = some[1].id
        store.update_task(rejected, TaskUpdate(review="rejected"), who="test")
    queries = [TaskQuery(q=q, review=review, limit=5, offset=offset)
               for q in ("rà soát hồ sơ", "hồ sơ số 3", "không có từ này")
               for review in ("kept", "any") for offset in (0, 5, 40)]
    pages = {}
    for mode in (-1, 1000):
        monkeypatch.setattr(local, "REJECTED_LEFT_OUT", mode)
        with LocalStore(register) as store:
            pages[mode] = [(p.total, [t.id for t in p.items]) for p in map(store.task_page,
                                                                           queries)]
    assert pages[-1] == pages[1000]
    kept = pages[1000][0]
    assert kept[0] > 5 and rejected not in kept[1]
    with LocalStore(register) as store:  # the fixture is shared: undo
        store.update_task(rejected, TaskUpdate(review="unreviewed"), who="test")
