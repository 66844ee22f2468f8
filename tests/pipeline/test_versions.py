"""Versions of one document (pipeline/store/versions.py): which tasks are the
same, what a new version changes, what is substantive, what carries over."""

from __future__ import annotations

from pipeline.store.versions import (
    TaskMatch,
    carried_fields,
    compare,
    match_tasks,
    same_names,
)


def task(text: str, **kw: object) -> dict[str, object]:
    return {"text": text, "owners": kw.get("owners", ["Sở Y tế tỉnh Bắc Ninh"]),
            "cooperating": kw.get("cooperating", []), "deadline": kw.get("deadline"),
            "action": kw.get("action")}


def doc(text: str, tasks: list[dict[str, object]], refs: tuple[str, ...] = (),
        **fields: object) -> dict[str, object]:
    return {"id": "x", "text": text, "doc": dict(fields), "tasks": tasks,
            "legal_refs": [{"canonical": r} for r in refs]}


A = "Sở Y tế báo cáo kết quả tiêm chủng trước ngày 10/5/2025."
B = "Sở Nội vụ rà soát biên chế các đơn vị sự nghiệp."
A2 = "Sở Y tế báo cáo kết quả tiêm chủng trước ngày 30/5/2025."


def test_the_same_sentence_pairs_first_then_the_closest_edit() -> None:
    old = [task(A), task(B)]
    new = [task(B), task("Sở Tài chính lập dự toán."), task(A2)]
    assert match_tasks(old, new) == [TaskMatch(1, 0, True), TaskMatch(0, 2, False)]


def test_line_breaks_do_not_make_another_sentence() -> None:
    assert match_tasks([task(A)], [task(A.replace(" kết ", "\nkết "))]) == [
        TaskMatch(0, 0, True)]


def test_an_unrelated_sentence_is_not_an_edit() -> None:
    assert match_tasks([task(A)], [task(B)]) == []


def test_a_new_deadline_and_one_more_task_are_substantive() -> None:
    old = doc(f"{A}\n{B}", [task(A, deadline="2025-05-10"), task(B)])
    new = doc(f"{A2}\n{B}\nSở Tài chính lập dự toán.",
              [task(A2, deadline="2025-05-30"), task(B), task("Sở Tài chính lập dự toán.")])
    c = compare(old, new)
    assert c.substantive
    assert c.tasks_added == ("Sở Tài chính lập dự toán.",) and c.tasks_removed == ()
    assert [t["deadline"] for t in c.tasks_changed] == [["2025-05-10", "2025-05-30"]]
    assert c.lines_added == 2 and c.lines_removed == 1
    assert "+Sở Tài chính lập dự toán." in c.diff


def test_two_readings_of_one_text_are_not_a_change() -> None:
    """A heading read as the title, an owner named with its province or without."""
    old = doc(f"# Công văn 707\n{A}", [task(A, owners=["Sở Y tế tỉnh Bắc Ninh"])],
              title="Công văn 707 ngày 28/02/2023")
    new = doc(f"CÔNG VĂN 707\n{A}", [task(A, owners=["Sở Y tế"])], title="Công văn 707")
    c = compare(old, new)
    assert not c.substantive
    assert c.fields == {"title": ["Công văn 707 ngày 28/02/2023", "Công văn 707"]}


def test_another_owner_or_reference_is_substantive() -> None:
    old = doc(A, [task(A)], refs=("Luật Đầu tư 2020",))
    assert compare(old, doc(A, [task(A, owners=["Sở Nội vụ tỉnh Bắc Ninh"])],
                            refs=("Luật Đầu tư 2020",))).substantive
    assert compare(old, doc(A, [task(A)], refs=("Luật Đầu tư 2014",))).substantive
    assert not compare(old, doc(A, [task(A)], refs=("Luật Đầu tư 2020",))).substantive


def test_same_names() -> None:
    assert same_names(["Sở Y tế"], ["Sở Y tế tỉnh Bắc Ninh"])
    assert same_names(["Sở Y tế", "Sở Nội vụ"], ["Sở Nội vụ tỉnh Bắc Ninh", "Sở Y tế"])
    assert not same_names(["Sở Y tế"], ["Sở Nội vụ"])
    assert not same_names(["Sở Y tế"], ["Sở Y tế", "Sở Nội vụ"])
    assert same_names([], [])


def test_what_carries_over() -> None:
    same = carried_fields(task(A, deadline="2025-05-10"), task(A, deadline="2025-05-10"),
                          exact=True)
    assert {"done", "note", "rejected", "confirmed", "owners", "deadline"} <= same
    moved = carried_fields(task(A, deadline="2025-05-10"), task(A2, deadline="2025-05-30"),
                           exact=False)
    assert "deadline" not in moved and "confirmed" not in moved  # the document changed it
    assert {"done", "note", "owners", "owner_kinds"} <= moved
