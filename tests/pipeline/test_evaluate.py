"""Tests for pipeline/eval/evaluate.py: every metric on small hand-made cases,
gold pairing, floors, and the whole dev corpus scored against itself."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from extractors.errors import PipelineError
from pipeline.eval.evaluate import (
    DEFAULT_FLOORS,
    LOWER_IS_BETTER,
    EvalReport,
    FieldScore,
    aggregate,
    check_floors,
    evaluate_document,
    find_gold_pairs,
    load_floors,
)

CORPUS_GOLD = Path(__file__).resolve().parents[2] / "corpus" / "gold"

TEXT = """UBND TỈNH QUẢNG TRỊ
Số: 707/UBND-KT
Quảng Trị, ngày 28 tháng 02 năm 2023
Căn cứ khoản 4 Điều 9 Nghị định số 35/2022/NĐ-CP ngày 28/5/2022 và Luật Đất đai;
Giao Sở Tài nguyên và Môi trường chủ trì, phối hợp với UBND huyện Gio Linh rà soát, \
đề xuất UBND tỉnh xem xét theo quy định. Hoàn thành trước ngày 10/3/2023.
Giao Sở Tài chính   bố trí kinh phí
thực hiện, báo cáo định kỳ hằng quý.
Các sở, ngành liên quan chịu trách nhiệm thi hành Quyết định này.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Hoàng Nam
"""

EV1 = (
    "Giao Sở Tài nguyên và Môi trường chủ trì, phối hợp với UBND huyện Gio Linh rà soát, "
    "đề xuất UBND tỉnh xem xét theo quy định."
)
EV2 = "Giao Sở Tài chính bố trí kinh phí thực hiện, báo cáo định kỳ hằng quý."
EV3 = "Các sở, ngành liên quan chịu trách nhiệm thi hành Quyết định này."


def gold_doc(**doc: Any) -> dict[str, Any]:
    """A dev-style gold file for TEXT."""
    return {
        "doc": {
            "kind": "official",
            "doc_type": "Quyết định",
            "number_symbol": "707/UBND-KT",
            "issuer": "UBND tỉnh Quảng Trị",
            "issue_date": "2023-02-28",
            "signer": "Hoàng Nam",
            **doc,
        },
        "agencies": [
            "UBND tỉnh Quảng Trị",
            "Sở Tài nguyên và Môi trường tỉnh Quảng Trị",
            "UBND huyện Gio Linh",
            "Sở Tài chính tỉnh Quảng Trị",
        ],
        "organizations": [],
        "people": [{"name": "Hoàng Nam", "title": "Phó Chủ tịch UBND tỉnh"}],
        "legal_refs": [
            {
                "text": "khoản 4 Điều 9 Nghị định số 35/2022/NĐ-CP ngày 28/5/2022",
                "type": "Nghị định",
                "number": "35/2022/NĐ-CP",
                "article": "9",
                "clause": "4",
                "date": "2022-05-28",
            },
            {
                "text": "Luật Đất đai",
                "type": "Luật",
                "number": None,
                "article": None,
                "clause": None,
                "date": None,
            },
        ],
        "tasks_exhaustive": True,
        "tasks": [
            task(
                owners=["Sở Tài nguyên và Môi trường tỉnh Quảng Trị"],
                cooperating=["UBND huyện Gio Linh"],
                deadline="2023-03-10",
                deadline_text="Hoàn thành trước ngày 10/3/2023",
                evidence=EV1,
            ),
            task(owners=["Sở Tài chính tỉnh Quảng Trị"], recurring="quarterly", evidence=EV2),
            task(owners=["Sở Tài chính tỉnh Quảng Trị"], evidence=EV3, optional=True),
        ],
    }


def task(**kw: Any) -> dict[str, Any]:
    """A gold task with defaults."""
    base = {
        "owners": [],
        "cooperating": [],
        "summary": "",
        "deadline": None,
        "deadline_text": None,
        "recurring": None,
        "evidence": "",
        "optional": False,
    }
    return {**base, **kw}


def locate(text: str, phrase: str) -> tuple[int, int]:
    """Where phrase is in text, whitespace-insensitive (independent of the evaluator)."""
    pattern = r"\s+".join(re.escape(w) for w in phrase.split())
    m = re.search(pattern, text)
    assert m, f"{phrase[:60]!r} not in text"
    return m.start(), m.end()


def predicted_from_gold(gold: dict[str, Any], text: str) -> dict[str, Any]:
    """What a perfect system would output for this gold (ExtractedDocument.to_json())."""
    g = gold["doc"]
    by_number = {r["number"]: r["type"] for r in gold["legal_refs"] if r["number"]}
    refs = []
    for r in gold["legal_refs"]:
        start, end = locate(text, r["text"])
        canonical = f"{r['type']} {r['number']}" if r["number"] else r["text"]
        refs.append({**r, "start": start, "end": end, "canonical": canonical, "issuer": None})
    tasks = []
    for t in gold["tasks"]:
        start, end = locate(text, t["evidence"])
        basis = [f"{by_number[b]} {b}" if b in by_number else b for b in t.get("legal_basis", [])]
        tasks.append(
            {
                "owners": list(t["owners"]),
                "cooperating": list(t["cooperating"]),
                "action": None,
                "text": text[start:end],
                "start": start,
                "end": end,
                "deadline": t["deadline"],
                "deadline_text": t.get("deadline_text"),
                "recurring": t["recurring"],
                "legal_basis": basis,
                "assigned_by": None,
                "owner_kinds": list(t.get("owner_kinds") or ["agency"] * len(t["owners"])),
            }
        )

    def names(key: str) -> list[dict[str, Any]]:
        return [
            {"name": x if isinstance(x, str) else x["name"], "mentions": []}
            for x in gold.get(key) or []
        ]

    return {
        "id": "x",
        "source": "x.txt",
        "text": text,
        "doc": {
            "kind": g["kind"],
            "title": None,
            "doc_type": g["doc_type"],
            "number_symbol": g["number_symbol"],
            "issuer": g["issuer"],
            "issue_date": g["issue_date"],
            "place": g.get("place"),
            "subject": None,
            "signer": {
                "name": g["signer"],
                "title": g.get("signer_title"),
                "authority": list(g.get("signing_authority", [])),
            },
            "recipients": [],
            "province": None,
        },
        "agencies": [{**a, "current_name": None} for a in names("agencies")],
        "organizations": names("organizations"),
        "people": [
            {"name": p, "title": None, "mentions": []}
            if isinstance(p, str)
            else {"name": p["name"], "title": p.get("title"), "mentions": []}
            for p in gold.get("people") or []
        ],
        "legal_refs": refs,
        "deadlines": [],
        "tasks": tasks,
        "meta": {},
    }


def run(gold: dict[str, Any], pred: dict[str, Any], name: str = "doc") -> EvalReport:
    return aggregate([evaluate_document(gold, pred, name=name)])


def assert_perfect(report: EvalReport) -> None:
    best = {k: 0.0 for k in LOWER_IS_BETTER}  # no edits needed
    bad = {k: v for k, v in report.scores.items() if v != best.get(k, 1.0)}
    assert not bad, f"{bad}\n{report.render_details()}"
    assert report.details == []


@pytest.fixture
def gold() -> dict[str, Any]:
    return gold_doc()


@pytest.fixture
def pred(gold: dict[str, Any]) -> dict[str, Any]:
    return predicted_from_gold(gold, TEXT)


# --- perfect --------------------------------------------------------------


def test_perfect_prediction_scores_one_everywhere(gold, pred):
    report = run(gold, pred)
    assert_perfect(report)
    counts = {f.name: f for f in report.fields}
    assert (counts["tasks"].tp, counts["tasks"].fp, counts["tasks"].fn) == (2, 0, 0)
    assert counts["owners"].total == 2
    assert counts["legal_refs"].tp == 2
    assert counts["legal_basis"].empty  # dev-style gold has no legal_basis


def test_report_has_every_named_figure(gold, pred):
    scores = run(gold, pred).scores
    for key in (
        "tasks.f1",
        "tasks.precision",
        "tasks.recall",
        "owners.accuracy",
        "cooperating.f1",
        "deadline.accuracy",
        "recurrence.accuracy",
        "legal_basis.f1",
        "legal_refs.f1",
        "legal_refs.pinpoint_accuracy",
        "legal_refs.date_accuracy",
        "agencies.f1",
        "organizations.f1",
        "people.f1",
        "doc_fields.accuracy",
        "doc.issuer.accuracy",
        "doc.signer.accuracy",
    ):
        assert key in scores


# --- tasks ------------------------------------------------------------------


def test_missing_task_lowers_recall(gold, pred):
    pred["tasks"] = pred["tasks"][1:]
    report = run(gold, pred)
    assert report.scores["tasks.recall"] == 0.5
    assert report.scores["tasks.precision"] == 1.0
    (m,) = [m for m in report.details if m.field == "tasks"]
    assert (m.kind, m.got) == ("missed", None)
    assert m.expected.startswith("Giao Sở Tài nguyên")
    assert len(m.expected) <= 100


def test_spurious_task_lowers_precision(gold, pred):
    start, end = locate(TEXT, "Căn cứ khoản 4 Điều 9")
    extra = {**pred["tasks"][0], "start": start, "end": end, "text": TEXT[start:end]}
    pred["tasks"].append(extra)
    report = run(gold, pred)
    assert report.scores["tasks.precision"] == pytest.approx(2 / 3)
    assert report.scores["tasks.recall"] == 1.0
    (m,) = report.details
    assert (m.field, m.kind, m.expected, m.got) == (
        "tasks",
        "spurious",
        None,
        "Căn cứ khoản 4 Điều 9",
    )


def test_non_exhaustive_gold_does_not_judge_extra_tasks(gold, pred):
    start, end = locate(TEXT, "Căn cứ khoản 4 Điều 9")
    extra = {**pred["tasks"][0], "start": start, "end": end, "text": TEXT[start:end]}
    pred["tasks"].append(extra)
    gold["tasks_exhaustive"] = False
    report = run(gold, pred)
    assert report.scores["tasks.precision"] == 1.0
    assert report.scores["tasks_strict.precision"] == pytest.approx(2 / 3)
    (m,) = report.details
    assert (m.field, m.kind) == ("tasks_strict", "unjudged")


def test_wrong_owner_lowers_owner_accuracy_not_task_f1(gold, pred):
    pred["tasks"][0]["owners"] = ["UBND huyện Gio Linh"]
    report = run(gold, pred)
    assert report.scores["tasks.f1"] == 1.0
    assert report.scores["owners.accuracy"] == 0.5
    (m,) = report.details
    assert (m.field, m.kind) == ("owners", "wrong")
    assert m.expected == "Sở Tài nguyên và Môi trường tỉnh Quảng Trị"
    assert m.got == "UBND huyện Gio Linh"
    assert m.context.startswith("Giao Sở Tài nguyên")


def test_owner_sets_compare_folded_and_unordered(gold, pred):
    gold["tasks"][0]["owners"] = ["Sở Tài chính", "Ủy ban nhân dân huyện Gio Linh"]
    pred["tasks"][0]["owners"] = ["uỷ ban  nhân dân huyện Gio Linh", "SỞ TÀI CHÍNH"]
    assert run(gold, pred).scores["owners.accuracy"] == 1.0
    pred["tasks"][0]["owners"] = ["Sở Tài chính"]
    assert run(gold, pred).scores["owners.accuracy"] == 0.5


def test_owner_abbreviations_of_the_front_and_the_council_are_their_names(gold, pred):
    gold["tasks"][0]["owners"] = ["Ủy ban MTTQ Việt Nam xã Lương Minh", "HĐND tỉnh Gia Lai"]
    pred["tasks"][0]["owners"] = [
        "Ủy ban Mặt trận Tổ quốc Việt Nam xã Lương Minh",
        "Hội đồng nhân dân tỉnh Gia Lai",
    ]
    assert run(gold, pred).scores["owners.accuracy"] == 1.0
    pred["tasks"][0]["owners"] = ["Ủy ban Mặt trận Tổ quốc Việt Nam xã Quảng Minh"]
    assert run(gold, pred).scores["owners.accuracy"] < 1.0


@pytest.mark.parametrize("keep_optional", [True, False])
def test_optional_gold_tasks_neither_help_nor_hurt(gold, pred, keep_optional):
    if not keep_optional:
        pred["tasks"] = pred["tasks"][:2]
    report = run(gold, pred)
    assert_perfect(report)
    counts = {f.name: f for f in report.fields}
    assert (counts["tasks"].tp, counts["tasks"].fp, counts["tasks"].fn) == (2, 0, 0)
    assert counts["owners"].total == 2


def test_optional_key_missing_means_required(gold, pred):
    del gold["tasks"][0]["optional"]
    del gold["tasks"][2]["optional"]
    report = run(gold, pred)
    counts = {f.name: f for f in report.fields}
    assert counts["tasks"].tp == 3


def test_evidence_located_whitespace_and_diacritic_insensitive(gold, pred):
    # Gold copied from the raw page; the system saw the cleaned text.
    gold["tasks"][1]["evidence"] = (
        "Giao  Sở Tài  chính bố trí\nkinh phí thực hiện, báo cáo định kỳ hằng quý."
    )
    gold["tasks"][0]["evidence"] = EV1.replace("Môi trường", "Môi trưòng").replace("Sở", "Sơ")
    report = run(gold, pred)
    assert_perfect(report)


def test_evidence_with_a_line_break_inside_a_word(gold):
    # As in dev doc 10: "Lê V\năn Thành" in the text, "Lê Văn Thành" in gold.
    text = TEXT.replace("Gio Linh rà soát", "Gio Li\nnh rà soát")
    pred = predicted_from_gold(gold, TEXT)
    for i, t in enumerate(pred["tasks"]):
        t["start"] += i > 0  # after the inserted newline
        t["end"] += 1
    pred["text"] = text
    assert run(gold, pred).scores["tasks.f1"] == 1.0


def test_evidence_with_markdown_emphasis_the_cleaner_removed(gold, pred):
    # Gold copied from a Markdown source keeps "**...**"; the cleaned text has none.
    gold["tasks"][1]["evidence"] = (
        "Giao Sở Tài chính **bố trí kinh phí** thực hiện, báo cáo định kỳ hằng quý."
    )
    assert_perfect(run(gold, pred))


def test_evidence_not_in_text_is_a_miss_that_says_so(gold, pred):
    gold["tasks"][0]["evidence"] = "Một câu không có trong văn bản."
    report = run(gold, pred)
    assert report.scores["tasks.recall"] == 0.5
    assert report.scores["tasks.precision"] == 0.5
    missed = [m for m in report.details if m.kind == "missed"]
    assert missed[0].got == "(evidence not located in the text)"


def test_partial_overlap_matches_above_half_only(gold, pred):
    s, e = locate(TEXT, EV1)
    t = pred["tasks"][0]
    t["start"], t["end"] = s, s + int(0.6 * (e - s))
    assert run(gold, pred).scores["tasks.f1"] == 1.0
    t["start"], t["end"] = s, s + int(0.4 * (e - s))
    report = run(gold, pred)
    assert report.scores["tasks.recall"] == 0.5
    assert report.scores["tasks.precision"] == 0.5


def test_one_prediction_covering_two_gold_tasks_matches_one(gold, pred):
    s, _ = locate(TEXT, EV1)
    _, e = locate(TEXT, EV2)
    merged = {**pred["tasks"][0], "start": s, "end": e, "text": TEXT[s:e]}
    pred["tasks"] = [merged, pred["tasks"][2]]
    counts = {f.name: f for f in run(gold, pred).fields}
    assert (counts["tasks"].tp, counts["tasks"].fp, counts["tasks"].fn) == (1, 0, 1)


def test_greedy_prefers_largest_overlap(gold, pred):
    # Predictions listed in reverse order still pair with their own evidence.
    pred["tasks"].reverse()
    assert_perfect(run(gold, pred))


def test_task_without_offsets_is_located_by_its_text(gold, pred):
    for t in pred["tasks"]:
        t["start"] = t["end"] = None
    assert run(gold, pred).scores["tasks.f1"] == 1.0


def test_cooperating_micro_prf(gold, pred):
    pred["tasks"][0]["cooperating"] = []
    report = run(gold, pred)
    assert report.scores["cooperating.recall"] == 0.0
    assert report.scores["cooperating.precision"] == 1.0
    pred["tasks"][0]["cooperating"] = ["UBND huyện Gio Linh", "Sở Xây dựng tỉnh Quảng Trị"]
    report = run(gold, pred)
    assert report.scores["cooperating.recall"] == 1.0
    assert report.scores["cooperating.precision"] == 0.5
    (m,) = report.details
    assert (m.field, m.kind, m.got) == ("cooperating", "spurious", "Sở Xây dựng tỉnh Quảng Trị")


def test_deadline_and_recurrence_accuracy(gold, pred):
    pred["tasks"][0]["deadline"] = "2023-03-11"
    pred["tasks"][1]["recurring"] = "monthly"
    report = run(gold, pred)
    assert report.scores["deadline.accuracy"] == 0.5
    assert report.scores["recurrence.accuracy"] == 0.5
    assert report.scores["tasks.f1"] == 1.0
    wrong = {(m.field, m.expected, m.got) for m in report.details}
    assert wrong == {
        ("deadline", "2023-03-10", "2023-03-11"),
        ("recurrence", "quarterly", "monthly"),
    }


def test_legal_basis_compares_numbers(gold, pred):
    gold["tasks"][1]["legal_basis"] = ["35/2022/NĐ-CP"]
    pred["tasks"][1]["legal_basis"] = ["Nghị định 35/2022/NĐ-CP"]
    report = run(gold, pred)
    assert report.scores["legal_basis.f1"] == 1.0
    counts = {f.name: f for f in report.fields}
    assert counts["legal_basis"].tp == 1
    # A basis on a task whose gold has none is spurious once gold annotates bases.
    pred["tasks"][0]["legal_basis"] = ["Nghị định 35/2022/NĐ-CP"]
    pred["tasks"][1]["legal_basis"] = ["Nghị định 36/2022/NĐ-CP"]
    report = run(gold, pred)
    counts = {f.name: f for f in report.fields}
    assert (counts["legal_basis"].tp, counts["legal_basis"].fp, counts["legal_basis"].fn) == (
        0,
        2,
        1,
    )


def test_legal_basis_found_through_the_predicted_canonical(gold, pred):
    gold["tasks"][1]["legal_basis"] = ["35/2022/NĐ-CP"]
    pred["legal_refs"][0]["canonical"] = "NĐ 35/2022"
    pred["tasks"][1]["legal_basis"] = ["NĐ 35/2022"]
    assert run(gold, pred).scores["legal_basis.f1"] == 1.0


def test_legal_basis_not_scored_when_gold_has_none(gold, pred):
    pred["tasks"][0]["legal_basis"] = ["Nghị định 35/2022/NĐ-CP"]
    report = run(gold, pred)
    assert_perfect(report)


# --- legal refs ---------------------------------------------------------


def test_typo_in_ref_number_is_a_miss_and_a_spurious(gold, pred):
    pred["legal_refs"][0]["number"] = "35/2021/NĐ-CP"
    report = run(gold, pred)
    assert report.scores["legal_refs.precision"] == 0.5
    assert report.scores["legal_refs.recall"] == 0.5
    kinds = {(m.field, m.kind) for m in report.details}
    assert kinds == {("legal_refs", "missed"), ("legal_refs", "spurious")}


def test_ref_number_compared_folded(gold, pred):
    pred["legal_refs"][0]["number"] = "35/2022/nđ-cp"
    assert run(gold, pred).scores["legal_refs.f1"] == 1.0


def test_pinpoint_mismatch_keeps_f1(gold, pred):
    pred["legal_refs"][0]["clause"] = None
    report = run(gold, pred)
    assert report.scores["legal_refs.f1"] == 1.0
    assert report.scores["legal_refs.pinpoint_accuracy"] == 0.5
    (m,) = report.details
    assert (m.field, m.expected, m.got) == (
        "legal_refs.pinpoint",
        "clause 4, article 9",
        "article 9",
    )


def test_point_checked_only_when_gold_has_it(gold, pred):
    pred["legal_refs"][0]["point"] = "a"
    assert run(gold, pred).scores["legal_refs.pinpoint_accuracy"] == 1.0
    gold["legal_refs"][0]["point"] = "b"
    assert run(gold, pred).scores["legal_refs.pinpoint_accuracy"] == 0.5


def test_ref_date_accuracy(gold, pred):
    pred["legal_refs"][0]["date"] = None
    report = run(gold, pred)
    assert report.scores["legal_refs.date_accuracy"] == 0.5
    assert report.scores["legal_refs.f1"] == 1.0


def test_named_law_matches_by_canonical_or_text(gold, pred):
    law = pred["legal_refs"][1]
    law.update(text="Luật Đất đai", canonical="Luật Đất đai")
    assert run(gold, pred).scores["legal_refs.f1"] == 1.0
    gold["legal_refs"][1]["text"] = "Điều 77 Luật Đất đai ngày 29/11/2013"
    gold["legal_refs"][1]["article"] = "77"
    gold["legal_refs"][1]["date"] = "2013-11-29"
    law.update(text="Điều 77 Luật đất đai", article="77", date="2013-11-29")
    assert_perfect(run(gold, pred))
    law.update(text="Luật Đầu tư", canonical="Luật Đầu tư")
    assert run(gold, pred).scores["legal_refs.recall"] == 0.5


def test_same_instrument_two_articles_pair_by_pinpoint(gold, pred):
    second = {**gold["legal_refs"][0], "text": "Điều 10 Nghị định 35/2022/NĐ-CP"}
    second.update(article="10", clause=None, date=None)
    gold["legal_refs"].append(second)
    pred["legal_refs"].insert(0, {**pred["legal_refs"][0], **second, "canonical": "Nghị định"})
    assert_perfect(run(gold, pred))


def test_repeated_predicted_ref_counts_once(gold, pred):
    pred["legal_refs"].append(dict(pred["legal_refs"][0], start=0, end=5))
    assert_perfect(run(gold, pred))


def test_optional_gold_ref_neither_helps_nor_hurts(gold, pred):
    extra = {"optional": True, "text": "TCVN ISO 9001:2015", "type": "TCVN"}
    extra.update(number="ISO 9001:2015", article=None, clause=None, date=None)
    gold["legal_refs"].append(extra)
    assert_perfect(run(gold, pred))
    pred["legal_refs"].append({**extra, "canonical": "TCVN ISO 9001:2015", "start": 0, "end": 1})
    assert_perfect(run(gold, pred))


# --- names ----------------------------------------------------------------


def test_agencies_accent_and_case_insensitive(gold, pred):
    gold["agencies"].append("Uỷ ban Mặt trận Tổ quốc Việt Nam tỉnh Quảng Trị")
    pred["agencies"].append({"name": "ủy ban mặt trận tổ quốc việt nam tỉnh quảng trị"})
    assert_perfect(run(gold, pred))


def test_a_national_body_matches_under_any_of_its_names(gold, pred):
    # the gazetteer's aliases of one body: "Ban Bí thư Trung ương Đảng" is "Ban Bí thư"
    gold["agencies"].append("Ban Bí thư Trung ương Đảng")
    pred["agencies"].append({"name": "Ban Bí thư"})
    assert_perfect(run(gold, pred))


def test_a_body_and_another_body_still_differ(gold, pred):
    gold["agencies"].append("Ban Bí thư")
    pred["agencies"].append({"name": "Bộ Chính trị"})
    assert run(gold, pred).scores["agencies.f1"] < 1.0


def test_agencies_missing_and_spurious(gold, pred):
    pred["agencies"] = pred["agencies"][1:] + [{"name": "Sở Y tế tỉnh Quảng Trị"}]
    report = run(gold, pred)
    assert report.scores["agencies.recall"] == 0.75
    assert report.scores["agencies.precision"] == 0.75
    got = {(m.kind, m.expected, m.got) for m in report.details}
    assert got == {
        ("missed", "UBND tỉnh Quảng Trị", None),
        ("spurious", None, "Sở Y tế tỉnh Quảng Trị"),
    }


def test_canonical_names_must_otherwise_match(gold, pred):
    pred["agencies"][0]["name"] = "UBND thị xã Quảng Trị"  # the town, not the province
    assert run(gold, pred).scores["agencies.f1"] < 1.0


def test_names_are_micro_averaged_over_documents(gold, pred):
    other = copy.deepcopy(pred)
    other["agencies"] = []
    report = aggregate(
        [evaluate_document(gold, pred, name="a"), evaluate_document(gold, other, name="b")]
    )
    assert report.documents == 2
    assert report.scores["agencies.recall"] == 0.5  # 4 of 8
    assert report.scores["agencies.precision"] == 1.0


def test_people_and_organizations(gold, pred):
    gold["organizations"] = ["Công ty TNHH CEA Projects"]
    pred["organizations"] = [{"name": "Công ty TNHH CEA Projects"}, {"name": "Báo Thanh niên"}]
    pred["people"] = []
    report = run(gold, pred)
    assert report.scores["organizations.precision"] == 0.5
    assert report.scores["organizations.recall"] == 1.0
    assert report.scores["people.recall"] == 0.0


def test_list_absent_from_gold_is_not_scored(gold, pred):
    del gold["people"]
    pred["people"] = [{"name": "Nguyễn Văn A"}]
    report = run(gold, pred)
    assert_perfect(report)
    assert {f.name: f for f in report.fields}["people"].empty


# --- document fields ------------------------------------------------------


def test_wrong_issuer_lowers_doc_accuracy(gold, pred):
    pred["doc"]["issuer"] = "Văn phòng Chính phủ"
    pred["doc"]["number_symbol"] = "707/UBND-KT"
    report = run(gold, pred)
    assert report.scores["doc.issuer.accuracy"] == 0.0
    assert report.scores["doc_fields.accuracy"] == pytest.approx(5 / 6)
    (m,) = report.details
    assert (m.field, m.expected, m.got) == (
        "doc.issuer",
        "UBND tỉnh Quảng Trị",
        "Văn phòng Chính phủ",
    )


def test_doc_names_compare_folded(gold, pred):
    gold["doc"]["issuer"] = "Uỷ ban nhân dân tỉnh Quảng Trị"
    pred["doc"]["issuer"] = "Ủy ban nhân dân  tỉnh Quảng Trị"
    assert run(gold, pred).scores["doc_fields.accuracy"] == 1.0


def test_signer_name_from_predicted_signer(gold, pred):
    pred["doc"]["signer"] = None
    assert run(gold, pred).scores["doc.signer.accuracy"] == 0.0
    gold["doc"]["signer"] = None
    assert run(gold, pred).scores["doc.signer.accuracy"] == 1.0


def test_seed_fields_scored_only_when_gold_has_them(gold, pred):
    counts = {f.name: f for f in run(gold, pred).fields}
    assert counts["doc_fields"].total == 6
    assert counts["doc.place"].empty
    seed = gold_doc(place="Quảng Trị", signer_title="Phó Chủ tịch", signing_authority=["KT."])
    pred = predicted_from_gold(seed, TEXT)
    report = run(seed, pred)
    assert_perfect(report)
    assert {f.name: f for f in report.fields}["doc_fields"].total == 9
    pred["doc"]["signer"]["title"] = "phó chủ tịch"
    pred["doc"]["signer"]["authority"] = ["TM."]
    pred["doc"]["place"] = "Đông Hà"
    report = run(seed, pred)
    assert report.scores["doc.signer_title.accuracy"] == 1.0
    assert report.scores["doc.signing_authority.accuracy"] == 0.0
    assert report.scores["doc.place.accuracy"] == 0.0


# --- figures, report ----------------------------------------------------------


def test_field_score_math():
    f = FieldScore("tasks", tp=3, fp=1, fn=2)
    assert (f.precision, f.recall) == (0.75, 0.6)
    assert f.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    empty = FieldScore("tasks")
    assert (empty.precision, empty.recall, empty.f1) == (1.0, 1.0, 1.0)
    assert FieldScore("tasks", fn=2).f1 == 0.0
    assert FieldScore("owners", correct=3, total=4).scores() == {"owners.accuracy": 0.75}
    assert FieldScore("legal_refs.pinpoint").scores() == {"legal_refs.pinpoint_accuracy": 1.0}


def test_render_and_json(gold, pred):
    pred["tasks"] = pred["tasks"][1:]
    pred["tasks"][0]["owners"] = ["Sở Tài chính tỉnh [Quảng Trị]"]
    report = run(gold, pred, name="01_cv707")
    table = report.render_table()
    assert re.search(r"^tasks\s+1\.000\s+0\.500\s+0\.667\s+tp=1 fp=0 fn=1$", table, re.M)
    assert re.search(r"^owners\s+0\.000\s+0/1$", table, re.M)
    assert re.search(r"^doc\.place\s+n/a", table, re.M)
    assert "documents: 1" in table
    details = report.render_details()
    assert details.startswith("01_cv707:")
    assert 'tasks missed: expected "Giao Sở Tài nguyên' in details
    data = json.loads(json.dumps(report.to_json(), ensure_ascii=False))
    assert data["documents"] == 1
    assert data["counts"]["tasks"] == {"tp": 1, "fp": 0, "fn": 1}
    assert data["details"][0]["doc"] == "01_cv707"
    assert aggregate([]).render_details() == "no misses"


# --- floors -------------------------------------------------------------------


def test_check_floors(gold, pred):
    pred["tasks"] = pred["tasks"][1:]
    report = run(gold, pred)
    assert check_floors(report, {"tasks.precision": 1.0, "agencies.f1": 0.9}) == []
    assert check_floors(report, {"tasks.recall": 0.9}) == ["tasks.recall 0.500 < floor 0.900"]
    (msg,) = check_floors(report, {"tasks.f2": 0.5})
    assert msg.startswith("tasks.f2 is not a reported figure")
    assert DEFAULT_FLOORS == {}


def test_load_floors(tmp_path):
    (tmp_path / "f.json").write_text('{"tasks.f1": 0.8, "owners.accuracy": 1}')
    assert load_floors(tmp_path / "f.json") == {"tasks.f1": 0.8, "owners.accuracy": 1.0}
    (tmp_path / "f.yaml").write_text("tasks.f1: 0.75\nlegal_refs.f1: 0.5\n")
    assert load_floors(tmp_path / "f.yaml") == {"tasks.f1": 0.75, "legal_refs.f1": 0.5}
    for name, body in [
        ("a.json", "[1]"),
        ("b.json", '{"x": 2}'),
        ("c.json", "{"),
        ("d.yml", "a: ["),
    ]:
        (tmp_path / name).write_text(body)
        with pytest.raises(PipelineError, match=name):
            load_floors(tmp_path / name)
    with pytest.raises(PipelineError, match="missing.json"):
        load_floors(tmp_path / "missing.json")


# --- review edits, owner kinds, groups ----------------------------------------


def test_review_edits_count_each_fix_staff_make(gold, pred):
    # two required gold tasks; a perfect register needs no edit
    assert run(gold, pred).scores["review_edits.per_10_tasks"] == 0.0
    pred["tasks"][0]["owners"] = ["UBND huyện Gio Linh"]  # fix an owner
    pred["tasks"][0]["deadline"] = "2023-03-11"  # fix a deadline
    pred["tasks"] = [t for t in pred["tasks"] if not t["text"].startswith("Giao Sở Tài chính")]
    start, end = locate(TEXT, "Căn cứ khoản 4 Điều 9")
    spurious = {**pred["tasks"][0], "start": start, "end": end, "text": TEXT[start:end]}
    pred["tasks"].append(spurious)  # delete a spurious one
    report = run(gold, pred)  # ... and add the missed one: 4 edits for 2 tasks
    (edits,) = [f for f in report.fields if f.name == "review_edits"]
    assert (edits.correct, edits.total) == (4, 2)
    assert report.scores["review_edits.per_10_tasks"] == 20.0


def test_owner_kinds_scored_when_gold_has_them(gold, pred):
    assert "owner_kinds.accuracy" in run(gold, pred).scores
    assert [f for f in run(gold, pred).fields if f.name == "owner_kinds"][0].empty
    gold["tasks"][0]["owner_kinds"] = ["agency"]
    gold["tasks"][1]["owner_kinds"] = ["agency"]
    pred["tasks"][1]["owner_kinds"] = ["collective"]
    report = run(gold, pred)
    assert report.scores["owner_kinds.accuracy"] == 0.5  # the first defaults to agency
    (m,) = report.details
    assert (m.field, m.expected, m.got) == ("owner_kinds", "agency", "collective")


def test_unknown_owner_matches_an_empty_prediction(gold, pred):
    gold["tasks"][1]["owners"], gold["tasks"][1]["owner_kinds"] = [], []
    pred["tasks"][1]["owners"] = []
    report = run(gold, pred)
    assert report.scores["owners.accuracy"] == 1.0
    pred["tasks"][1]["owners"] = ["Sở Tài chính tỉnh Quảng Trị"]
    assert run(gold, pred).scores["owners.accuracy"] == 0.5


def test_owner_key_reads_ubnd_as_uy_ban_nhan_dan(gold, pred):
    gold["tasks"][0]["owners"] = ["Ủy ban nhân dân huyện Gio Linh"]
    pred["tasks"][0]["owners"] = ["UBND huyện Gio Linh"]
    assert run(gold, pred).scores["owners.accuracy"] == 1.0


def test_a_provinces_name_with_or_without_tinh_is_one_body(gold, pred):
    gold["tasks"][0]["owners"] = ["Kho bạc Nhà nước tỉnh Quảng Trị"]
    pred["tasks"][0]["owners"] = ["Kho bạc Nhà nước Quảng Trị"]
    assert run(gold, pred).scores["owners.accuracy"] == 1.0
    pred["tasks"][0]["owners"] = ["Kho bạc Nhà nước Quảng Ngãi"]
    assert run(gold, pred).scores["owners.accuracy"] == 0.5
    # "các tỉnh, thành phố" is no province's name, nor is "Tỉnh ủy": the word stays
    gold["tasks"][0]["owners"] = ["UBND các tỉnh, thành phố"]
    pred["tasks"][0]["owners"] = ["UBND các thành phố"]
    assert run(gold, pred).scores["owners.accuracy"] == 0.5
    gold["tasks"][0]["owners"] = ["Tỉnh ủy Quảng Trị"]
    pred["tasks"][0]["owners"] = ["ủy Quảng Trị"]
    assert run(gold, pred).scores["owners.accuracy"] == 0.5


@pytest.mark.parametrize(
    ("gold_owner", "pred_owner", "same"),
    [
        ("UBND các xã, phường, thị trấn", "UBND cấp xã", True),
        ("Ủy ban nhân dân các phường và xã thuộc tỉnh Quảng Trị", "UBND cấp xã Quảng Trị", True),
        ("UBND các huyện, thị xã, thành phố", "UBND cấp huyện", True),
        ("UBND các quận, huyện", "UBND cấp huyện", True),
        ("các sở, ngành có liên quan", "các sở, ngành", True),
        ("các cơ quan liên quan", "các cơ quan", True),
        ("UBND các tỉnh, thành phố", "UBND các tỉnh, thành phố trực thuộc Trung ương", True),
        ("các cơ sở khám bệnh, chữa bệnh bảo hiểm y tế", "các cơ sở KCB BHYT", True),
        # a named commune, another level or another province is another owner
        ("UBND xã Tân Lập", "UBND cấp xã", False),
        ("UBND các tỉnh, thành phố", "UBND cấp huyện", False),
        ("UBND cấp xã tỉnh Quảng Trị", "UBND cấp xã tỉnh Quảng Ngãi", False),
        ("UBND các xã, phường", "UBND cấp huyện", False),
    ],
)
def test_a_level_named_or_listed_is_one_owner(gold, pred, gold_owner, pred_owner, same):
    gold["tasks"][0]["owners"] = [gold_owner]
    pred["tasks"][0]["owners"] = [pred_owner]
    assert run(gold, pred).scores["owners.accuracy"] == (1.0 if same else 0.5)


def test_agencies_read_official_abbreviations_as_their_words(gold, pred):
    gold["agencies"][0] = "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Quảng Trị"
    pred["agencies"][0]["name"] = "Ủy ban MTTQ Việt Nam tỉnh Quảng Trị"
    assert run(gold, pred).scores["agencies.f1"] == 1.0
    pred["agencies"][0]["name"] = "Ủy ban MTTQ Việt Nam tỉnh Quảng Ngãi"
    assert run(gold, pred).scores["agencies.f1"] < 1.0


def test_report_by_kind_and_length(gold, pred):
    news_gold = copy.deepcopy(gold)
    news_gold["doc"]["kind"] = "news"
    long_pred = copy.deepcopy(pred)
    long_pred["text"] = pred["text"] + "x" * 5001
    long_pred["tasks"] = long_pred["tasks"][1:]
    report = aggregate(
        [
            evaluate_document(gold, pred, name="a"),
            evaluate_document(news_gold, pred, name="b"),
            evaluate_document(gold, long_pred, name="c"),
        ]
    )
    assert sorted(report.groups) == ["news/short", "official/long", "official/short"]
    assert report.groups["official/long"].scores["tasks.recall"] == 0.5
    assert report.groups["official/short"].scores["tasks.recall"] == 1.0
    assert report.groups["official/short"].documents == 1
    table = report.render_table()
    assert "official/long" in table and "edits/10" in table
    assert report.to_json()["groups"]["news/short"]["documents"] == 1


def test_review_edits_floor_is_a_ceiling(gold, pred):
    pred["tasks"] = pred["tasks"][1:]
    report = run(gold, pred)  # 1 edit for 2 tasks: 5 per 10
    assert check_floors(report, {"review_edits.per_10_tasks": 6}) == []
    assert check_floors(report, {"review_edits.per_10_tasks": 4}) == [
        "review_edits.per_10_tasks 5.000 > ceiling 4.000"
    ]


# --- pairing gold with documents --------------------------------------------


def test_find_gold_pairs(tmp_path):
    for rel in ["gold/001_a.json", "gold/01_b.json", "gold/01_b.txt", "seeds/001_a.txt"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    (tmp_path / "docs/sub").mkdir(parents=True)
    (tmp_path / "docs/sub/01_b.txt").write_text("x")
    (tmp_path / "docs/sub/01_b.txt.meta.json").write_text("{}")
    (tmp_path / "docs/sub/01_b.pdf").write_text("x")  # the .txt wins
    pairs = find_gold_pairs(tmp_path / "gold")
    assert [(g.name, d.relative_to(tmp_path).as_posix()) for g, d in pairs] == [
        ("001_a.json", "seeds/001_a.txt"),
        ("01_b.json", "docs/sub/01_b.txt"),
    ]


def test_find_gold_pairs_prefers_originals_when_asked(tmp_path):
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold/01_b.json").write_text("{}")
    for rel in ("docs/01_b.txt", "files/01_b.pdf"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    ((_, txt),) = find_gold_pairs(tmp_path / "gold")
    ((_, pdf),) = find_gold_pairs(tmp_path / "gold", prefer=(".pdf", ".docx"))
    assert (txt.name, pdf.name) == ("01_b.txt", "01_b.pdf")


def test_find_gold_pairs_errors(tmp_path):
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold/02_c.json").write_text("{}")
    with pytest.raises(PipelineError, match="02_c.json"):
        find_gold_pairs(tmp_path / "gold")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/02_c.pdf").write_text("x")
    (tmp_path / "docs/02_c.docx").write_text("x")
    with pytest.raises(PipelineError, match="Several documents for gold file .*02_c.json"):
        find_gold_pairs(tmp_path / "gold")
    with pytest.raises(PipelineError, match="not a folder"):
        find_gold_pairs(tmp_path / "nope")


def test_find_gold_pairs_on_the_corpus():
    pairs = find_gold_pairs(CORPUS_GOLD)
    assert len(pairs) == len(list(CORPUS_GOLD.glob("*.json"))) >= 25
    for g, d in pairs:
        assert g.stem == d.stem and d.suffix == ".txt" and d.is_file()
        assert d.parent.name in ("docs", "seeds")


# --- a perfect system scores 1.0 on the real gold --------------------------


@pytest.mark.parametrize(
    ("gold_path", "doc_path"), find_gold_pairs(CORPUS_GOLD), ids=lambda p: p.stem
)
def test_real_gold_against_itself_is_perfect(gold_path, doc_path):
    gold = json.loads(gold_path.read_text("utf-8"))
    pred = predicted_from_gold(gold, doc_path.read_text("utf-8"))
    assert_perfect(run(gold, pred, name=gold_path.stem))


def test_real_gold_all_at_once_is_perfect():
    evals = []
    for gold_path, doc_path in find_gold_pairs(CORPUS_GOLD):
        gold = json.loads(gold_path.read_text("utf-8"))
        pred = predicted_from_gold(gold, doc_path.read_text("utf-8"))
        evals.append(evaluate_document(gold, pred, name=gold_path.stem))
    report = aggregate(evals)
    assert_perfect(report)
    counts = {f.name: f for f in report.fields}
    assert report.documents == len(list(CORPUS_GOLD.glob("*.json")))
    assert counts["tasks"].tp > 50
    assert counts["legal_basis"].tp >= 4  # gold files with legal_basis are scored for it
    assert counts["doc.place"].total >= 1


def test_saved_outputs_score_as_the_run_that_wrote_them(tmp_path: Path) -> None:
    """Another version's outputs, saved with ``save_to``, are scored by this
    evaluator exactly as a fresh run; a missing output names its gold file."""
    from pipeline.eval.run import run_eval

    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    docs = tmp_path / "docs"
    docs.mkdir()
    for src in sorted(Path("corpus/gold").glob("0[0-2]_*.json"))[:3]:
        (gold_dir / src.name).write_text(src.read_text("utf-8"), encoding="utf-8")
        text = next(Path("corpus/docs").glob(src.stem + ".txt"))
        (docs / text.name).write_text(text.read_text("utf-8"), encoding="utf-8")
    fresh = run_eval(gold_dir, save_to=tmp_path / "out")
    saved = run_eval(gold_dir, predictions=tmp_path / "out")
    assert saved.scores == fresh.scores
    # an output edited by hand scores differently: the files are what is scored
    one = next((tmp_path / "out").glob("*.json"))
    data = json.loads(one.read_text("utf-8"))
    data["tasks"] = []
    one.write_text(json.dumps(data), encoding="utf-8")
    assert run_eval(gold_dir, predictions=tmp_path / "out").scores != fresh.scores
    one.unlink()
    with pytest.raises(PipelineError, match=one.name):
        run_eval(gold_dir, predictions=tmp_path / "out")


def test_a_standards_number_matches_with_or_without_its_type_word(gold, pred):
    gold["legal_refs"][0].update(type="QCVN", number="QCVN 01:2021/BXD")
    pred["legal_refs"][0].update(type="QCVN", number="01:2021/BXD")
    assert run(gold, pred).scores["legal_refs.f1"] == 1.0
    pred["legal_refs"][0].update(number="02:2021/BXD")
    assert run(gold, pred).scores["legal_refs.f1"] < 1.0


def test_a_chain_the_extractor_split_scores_one_reference_per_pinpoint(gold, pred):
    g = gold["legal_refs"][0]
    gold["legal_refs"] = [
        {**g, "article": "14", "clause": "4"},
        {**g, "article": "27", "clause": None},
        *gold["legal_refs"][1:],
    ]
    pred["legal_refs"][0].update(
        article="14, 27",
        clause="4",
        pinpoints=[
            {"article": "14", "clause": "4", "point": None},
            {"article": "27", "clause": None, "point": None},
        ],
    )
    report = run(gold, pred)
    assert report.scores["legal_refs.f1"] == 1.0
    assert report.scores["legal_refs.pinpoint_accuracy"] == 1.0


def test_a_news_items_reported_directive_is_not_scored_as_a_reference(gold, pred):
    """Gold leaves a document's own number out of its references; a news item's
    own document is the directive it reports, cited by the prediction."""
    gold["doc"]["kind"] = "news"
    gold["doc"]["number_symbol"] = "26/CT-TTg"
    extra = {"text": "Chỉ thị 26", "type": "Chỉ thị", "number": "26", "canonical": "Chỉ thị 26"}
    pred["legal_refs"].append(extra)
    assert run(gold, pred).scores["legal_refs.precision"] == 1.0
    # an official document citing a number that is not its own: spurious as before
    gold["doc"]["kind"] = "official"
    assert run(gold, pred).scores["legal_refs.precision"] < 1.0
    # with a pinpoint it is a citation of a text, scored
    gold["doc"]["kind"] = "news"
    pred["legal_refs"][-1] = {**extra, "article": "3"}
    assert run(gold, pred).scores["legal_refs.precision"] < 1.0


def test_a_state_corporation_by_its_letters_or_its_name_is_one(gold, pred):
    gold["organizations"] = ["EVN", "Công ty TNHH CEA Projects"]
    pred["organizations"] = [{"name": "Tập đoàn Điện lực Việt Nam"}, {"name": "CEA"}]
    report = run(gold, pred)
    assert report.scores["organizations.precision"] == 0.5  # EVN matched, "CEA" is no name


def test_the_issuer_reads_official_abbreviations_as_their_words(gold, pred):
    gold["doc"]["issuer"] = "Ban Thường trực Ủy ban MTTQ Việt Nam xã Lương Minh"
    pred["doc"]["issuer"] = "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã Lương Minh"
    assert run(gold, pred).scores["doc.issuer.accuracy"] == 1.0
    pred["doc"]["issuer"] = "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã Tân Lập"
    assert run(gold, pred).scores["doc.issuer.accuracy"] == 0.0


def test_the_front_is_the_same_with_or_without_viet_nam() -> None:
    from pipeline.eval.evaluate import _agency_key, _owner_key

    a = "Ban Thường trực Ủy ban MTTQ Việt Nam xã Lương Minh"
    b = "Ban Thường trực Ủy ban Mặt trận Tổ quốc xã Lương Minh"
    assert _owner_key(a) == _owner_key(b)
    assert _agency_key(a) == _agency_key(b)
    assert _owner_key(a) != _owner_key("Ban Thường trực HĐND xã Lương Minh")


def test_a_group_within_its_province_is_the_provinces() -> None:
    from pipeline.eval.evaluate import _owner_key

    assert _owner_key("các địa phương trong tỉnh Hưng Yên") == _owner_key(
        "các địa phương tỉnh Hưng Yên"
    )


def test_owner_key_spells_out_a_department_s_abbreviated_name() -> None:
    from pipeline.eval.evaluate import _owner_key

    assert _owner_key("các Sở GDĐT") == _owner_key("các Sở Giáo dục và Đào tạo")
    assert _owner_key("Phòng GD&ĐT các huyện, thành phố thuộc tỉnh Bắc Giang") == _owner_key(
        "Phòng Giáo dục và Đào tạo các huyện, thành phố thuộc tỉnh Bắc Giang"
    )
    # another department is another owner
    assert _owner_key("các Sở GDĐT") != _owner_key("các Sở Y tế")


def test_partners_are_read_with_the_owners_key(gold, pred):
    gold["tasks"][0]["cooperating"] = ["UBND các xã, phường thuộc tỉnh Quảng Trị"]
    pred["tasks"][0]["cooperating"] = ["Ủy ban nhân dân các xã, phường tỉnh Quảng Trị"]
    assert run(gold, pred).scores["cooperating.f1"] == 1.0
    pred["tasks"][0]["cooperating"] = ["UBND các xã, phường tỉnh Quảng Bình"]
    assert run(gold, pred).scores["cooperating.f1"] == 0.0


def test_a_prediction_over_a_required_and_an_optional_task_carries_the_required(gold, pred):
    # The optional gold task is the longer part of what one prediction covers: it
    # would take the prediction by overlap and leave the required task missed.
    gold["tasks"] = [
        task(owners=["Sở Tài chính tỉnh Quảng Trị"], evidence="Giao Sở Tài chính bố trí kinh phí"),
        task(owners=["Sở Tài chính tỉnh Quảng Trị"], evidence=EV3, optional=True),
    ]
    s, _ = locate(TEXT, "Giao Sở Tài chính bố trí kinh phí")
    _, e = locate(TEXT, EV3)
    merged = {**pred["tasks"][1], "start": s, "end": e, "text": TEXT[s:e]}
    pred["tasks"] = [merged]
    counts = {f.name: f for f in run(gold, pred).fields}
    assert (counts["tasks"].tp, counts["tasks"].fp, counts["tasks"].fn) == (1, 0, 0)
    # a prediction over the optional task alone still leaves the required one missed
    s, e = locate(TEXT, EV3)
    pred["tasks"] = [{**merged, "start": s, "end": e, "text": TEXT[s:e]}]
    counts = {f.name: f for f in run(gold, pred).fields}
    assert (counts["tasks"].tp, counts["tasks"].fp, counts["tasks"].fn) == (0, 0, 1)


def test_owner_key_reads_cua_and_thuoc_ubnd_as_the_same_group() -> None:
    from pipeline.eval.evaluate import _owner_key

    assert _owner_key("các Ban của HĐND tỉnh Vĩnh Long") == _owner_key(
        "các Ban HĐND tỉnh Vĩnh Long"
    )
    assert _owner_key("các cơ quan tham mưu thuộc UBND huyện Yên Lập") == _owner_key(
        "các cơ quan tham mưu huyện Yên Lập"
    )
    # the committee itself is not its departments
    assert _owner_key("UBND huyện Yên Lập") != _owner_key("các cơ quan tham mưu huyện Yên Lập")
    assert _owner_key("các cơ quan thuộc UBND tỉnh Nam Định") != _owner_key("UBND tỉnh Nam Định")
    # every province's committee, by its level or by its kinds of unit
    assert _owner_key("UBND cấp tỉnh") == _owner_key(
        "UBND các tỉnh, thành phố trực thuộc Trung ương"
    )
    assert _owner_key("UBND cấp tỉnh") == _owner_key("UBND tỉnh, thành phố trực thuộc trung ương")
    assert _owner_key("UBND cấp tỉnh") != _owner_key("UBND các tỉnh, thành phố ven biển")


def test_evidence_read_with_a_few_wrong_letters_is_still_placed() -> None:
    from pipeline.eval.evaluate import _Locator

    ocr = (
        "Tổ chức thực hiện nghiêm các quy trình về sàng lọc, phân loại, phân luồng: "
        "đảm bảo công tác kiểm soát dịch bệnh tại các cơ sở khám chữa bệnh."
    )
    gold = (
        "Tổ chức thực hiện nghiêm các quy trình về sàng lọc, phân loại, phân luồng; "
        "đảm bảo công tác kiểm soát dịch bệnh"
    )
    assert _Locator(ocr).find(gold) == [(0, len(gold))]
    # too many letters differ: another sentence, not placed
    other = "Tổ chức kiểm tra việc chấp hành pháp luật về an toàn thực phẩm tại các chợ đầu mối."
    assert _Locator(other).find(gold) == []
    # a short phrase is placed only as written
    assert _Locator("Sở Tài chỉnh chủ trì.").find("Sở Tài chính") == [(0, 12)]
    assert _Locator("Sở Tài chánh chủ trì.").find("Sở Tài chính") == []


def test_a_level_listed_without_cac_or_with_hyphens_is_the_level() -> None:
    from pipeline.eval.evaluate import _owner_key

    same = [
        ("UBND huyện, thành phố tỉnh Tuyên Quang", "UBND các huyện, thành phố tỉnh Tuyên Quang"),
        ("UBND xã, phường, thị trấn tỉnh Tuyên Quang", "UBND cấp xã thuộc tỉnh Tuyên Quang"),
        (
            "UBND quận - huyện Thành phố Hồ Chí Minh",
            "UBND các quận, huyện thuộc Thành phố Hồ Chí Minh",
        ),
        ("các cơ quan chuyên môn thuộc UBND tỉnh Bắc Ninh", "các cơ quan chuyên môn tỉnh Bắc Ninh"),
    ]
    for a, b in same:
        assert _owner_key(a) == _owner_key(b), (a, b)
    # every province's department, named either way
    assert _owner_key("các Sở Khoa học và Công nghệ") == _owner_key(
        "Sở Khoa học và Công nghệ các tỉnh, thành phố trực thuộc Trung ương"
    )
    assert _owner_key("Sở Y tế tỉnh Gia Lai") != _owner_key("Sở Y tế các tỉnh, thành phố")
    # one named unit is no level
    assert _owner_key("UBND huyện Thanh Hà") != _owner_key("UBND các huyện")
    assert _owner_key("UBND xã Tân Lập") != _owner_key("UBND cấp xã")


def test_a_ministrys_units_in_its_own_document_with_or_without_its_name() -> None:
    text = "a) Cục Phòng bệnh chủ trì tổ chức thực hiện Thông tư này."
    gold = {
        "doc": {"issuer": "Bộ Y tế"},
        "tasks": [{"evidence": text, "owners": ["Cục Phòng bệnh Bộ Y tế"]}],
    }
    pred = {"text": text, "tasks": [{"start": 0, "end": len(text), "owners": ["Cục Phòng bệnh"]}]}
    assert run(gold, pred).scores["owners.accuracy"] == 1.0
    # in another body's document the ministry's name tells the units apart
    gold["doc"]["issuer"] = "UBND tỉnh Bắc Ninh"
    assert run(gold, pred).scores["owners.accuracy"] == 0.0


def test_a_committee_of_the_assembly_with_or_without_its_assembly_is_one() -> None:
    from pipeline.eval.evaluate import _agency_key

    short, long = "Ủy ban Văn hóa và Xã hội", "Ủy ban Văn hóa và Xã hội của Quốc hội"
    assert _agency_key(short) == _agency_key(long)
    assert _agency_key("Hội đồng Dân tộc của Quốc hội") == _agency_key("Hội đồng Dân tộc")
    assert _agency_key("Văn phòng Quốc hội") != _agency_key("Quốc hội")
    assert _agency_key("Ủy ban Kinh tế và Tài chính") != _agency_key("Ủy ban Xã hội")
