"""The question parser on its own: parts, their offsets, the query they make."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.query.ask_query import DocSpec
from pipeline.query.question import parse

TODAY = dt.date(2024, 6, 25)  # a Tuesday


def kinds(q: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in parse(q, today=TODAY).parts:
        out.setdefault(p.kind, []).append(p.value)
    return out


@pytest.mark.parametrize(
    ("question", "fields"),
    [
        # the same agency, however it is written
        ("Sở Tài chính tỉnh Bắc Ninh được giao những nhiệm vụ gì?",
         {"owner": "Sở Tài chính tỉnh Bắc Ninh", "ask": "list"}),
        ("so tai chinh bac ninh duoc giao nhung nhiem vu gi",
         {"owner": "Sở Tài chính tỉnh Bắc Ninh"}),
        ("SO TAI CHINH BAC NINH CO NHIEM VU GI", {"owner": "Sở Tài chính tỉnh Bắc Ninh"}),
        ("Sở Tài chín Bắc Ninh được giao gì", {"owner": "Sở Tài chính tỉnh Bắc Ninh"}),
        ("Sở TC Bắc Ninh được giao gì", {"owner": "Sở Tài chính tỉnh Bắc Ninh"}),
        ("BQL KCN Bắc Giang cần làm gì", {"owner": "Ban Quản lý các KCN tỉnh Bắc Giang"}),
        ("Ban QL các KCN tỉnh Bắc Gian phải làm gì",
         {"owner": "Ban Quản lý các KCN tỉnh Bắc Giang"}),
        ("Sở TN&MT Quảng Trị phối hợp những việc gì?",
         {"owner": "Sở Tài nguyên và Môi trường tỉnh Quảng Trị", "role": "cooperating"}),
        ("Bộ Thương mại có nhiệm vụ gì", {"owner": "Bộ Thương mại"}),
        # abbreviations of the synonym list, and of a place's unit
        ("BYT có nhiệm vụ gì", {"owner": "Bộ Y tế"}),
        ("bkhdt phai lam gi", {"owner": "Bộ Kế hoạch và Đầu tư"}),
        ("STC Bắc Ninh được giao gì", {"owner": "Sở Tài chính tỉnh Bắc Ninh"}),
        ("ubnd h. gio linh chu tri viec gi", {"owner": "UBND huyện Gio Linh", "role": "lead"}),
        ("UBND tx. Quảng Trị phải làm gì", {"owner": "UBND thị xã Quảng Trị"}),
        ("Thành phố Hà Nội có những nhiệm vụ gì?", {"province": "Hà Nội", "owner": None}),
        # either role; working with someone; an hour before the day
        ("Bộ Y tế chủ trì hoặc phối hợp việc gì", {"owner": "Bộ Y tế", "role": "any"}),
        ("Bộ Y tế làm việc cùng những cơ quan nào", {"owner": "Bộ Y tế", "ask": "partners"}),
        ("Bộ Y tế làm việc với Ngân hàng Thế giới về việc gì",
         {"owner": "Bộ Y tế", "ask": "list"}),
        ("việc nào phải xong trước 14 giờ ngày 5/12/2017",
         {"deadline_to": "2017-12-05", "topic": None}),
        # "theo" a working document, "thực hiện theo" a decree; when a document was signed
        ("Hạn của Bộ Y tế theo Công văn 707/UBND-KT là khi nào",
         {"doc": DocSpec(number="707/UBND-KT", type="Công văn"), "ref": None}),
        ("Những nhiệm vụ thực hiện theo Nghị định 29/2021/NĐ-CP",
         {"ref": "Nghị định 29/2021/NĐ-CP", "doc": None}),
        ("Công văn 707/UBND-KT ký ngày nào?", {"target": "documents", "ask": "list"}),
        # a noun with a typo is still that noun; "công viên" is a word of its own
        ("Bộ Y tế có bao nhiêu nhiệm vục?", {"owner": "Bộ Y tế", "topic": None}),
        ("nhiem vu ve cong vien", {"topic": "cong vien"}),
        # two agencies: either's tasks, or the tasks they share
        ("BYT hoặc BCT chủ trì việc gì",
         {"owner": "Bộ Y tế", "also": ("Bộ Công Thương",), "together": False, "topic": None}),
        ("Bộ Công an và Bộ Quốc phòng có nhiệm vụ chung nào",
         {"owner": "Bộ Công an", "also": ("Bộ Quốc phòng",), "together": True, "topic": None}),
        ("UBND các tỉnh, thành phố trực thuộc Trung ương phải làm gì?",
         {"owner": "UBND các tỉnh, thành phố trực thuộc Trung ương"}),
        # status, time, repetition
        ("nhiem vu qua han cua so tai chinh", {"owner": "Sở Tài chính", "status": "overdue"}),
        ("Việc gì sắp đến hạn?", {"status": "due_soon"}),
        ("Những nhiệm vụ còn hạn", {"status": "in_time"}),
        ("Bộ Y tế đã hoàn thành những nhiệm vụ nào?", {"owner": "Bộ Y tế", "status": "done"}),
        ("việc nào đã quá hạn mà chưa hoàn thành", {"status": "overdue"}),
        ("Việc gì phải xong trong tháng 3/2024?",
         {"deadline_from": "2024-03-01", "deadline_to": "2024-03-31"}),
        ("nhiem vu trong quy 3 nam 2024",
         {"deadline_from": "2024-07-01", "deadline_to": "2024-09-30"}),
        ("Việc gì đến hạn trong tuần này?",
         {"deadline_from": "2024-06-24", "deadline_to": "2024-06-30"}),
        ("Tháng tới phải hoàn thành những nhiệm vụ nào?",
         {"deadline_from": "2024-07-01", "deadline_to": "2024-07-31"}),
        ("Nhiệm vụ có hạn trước ngày 30/6/2024", {"deadline_to": "2024-06-30"}),
        ("việc phải xong trước tháng 8/2022", {"deadline_to": "2022-07-31"}),
        ("Những việc có thời hạn sau ngày 1/7/2024", {"deadline_from": "2024-07-02"}),
        ("hạn trước ngày 10/8", {"deadline_to": "2024-08-10"}),  # the year of today
        ("Những việc phải làm hằng tháng", {"recurring": "monthly"}),
        ("Có nhiệm vụ nào định kỳ hằng quý không?", {"recurring": "quarterly", "ask": "yesno"}),
        # a year inside the name of a piece of work is no deadline
        ("Thời hạn báo cáo giải ngân kế hoạch đầu tư công năm 2019 là khi nào?",
         {"deadline_from": None, "ask": "when"}),
        # question words
        ("Có bao nhiêu nhiệm vụ quá hạn?", {"ask": "count"}),
        ("co bn nhiem vu qua han", {"ask": "count"}),
        ("Sở Y tế Lào Cai có nhiệm vụ nào quá hạn không?", {"ask": "yesno"}),
        ("Có văn bản nào về ô nhiễm không khí không?",
         {"ask": "yesno", "target": "documents", "topic": "ô nhiễm không khí"}),
        ("Ai chủ trì việc giám sát, đánh giá đầu tư?",
         {"ask": "who", "role": "lead", "topic": "giám sát đánh giá đầu tư"}),
        ("Khi nào phải xong đề án phát triển cây mắc ca?", {"ask": "when"}),
        ("BQL KCN Bắc Giang phối hợp với ai?", {"ask": "partners", "role": None}),
        ("Ai phối hợp xây dựng Đề án phát triển cây mắc ca?",
         {"ask": "who", "role": "cooperating"}),
        # documents and references
        ("Công văn 707/UBND-KT giao những việc gì?",
         {"doc": DocSpec(number="707/UBND-KT", type="Công văn")}),
        ("cv 707 / ubnd-kt giao viec gi", {"doc": DocSpec(number="707/ubnd-kt", type="Công văn")}),
        ("QĐ 1944 có bao nhiêu nhiệm vụ?", {"doc": DocSpec(number="1944", type="Quyết định"),
                                             "ask": "count"}),
        ("Công văn ngày 28/02/2023 của UBND tỉnh Quảng Trị giao việc gì?",
         {"doc": DocSpec(type="Công văn", issuer="UBND tỉnh Quảng Trị", date_from="2023-02-28",
                         date_to="2023-02-28"), "owner": None}),
        ("Thông báo kết luận của Chủ tịch UBND tỉnh Bắc Giang về các khu công nghiệp"
         " giao những việc gì?",
         {"doc": DocSpec(type="Thông báo", issuer="UBND tỉnh Bắc Giang", about="khu công nghiệp")}),
        ("UBND tỉnh Quảng Trị giao Sở TNMT những việc gì?",
         {"owner": "Sở Tài nguyên và Môi trường", "doc": DocSpec(issuer="UBND tỉnh Quảng Trị")}),
        ("Văn bản nào dẫn chiếu Nghị định 35/2022?",
         {"target": "citations", "ref": "Nghị định 35/2022"}),
        ("Nghị quyết 68-NQ/TW được trích dẫn ở đâu?", {"target": "citations"}),
        ("Những văn bản nào căn cứ Luật Đầu tư công?",
         {"target": "citations", "ref": "Luật Đầu tư công"}),
        ("Công văn 11413/UBND-ĐC căn cứ những văn bản nào?", {"target": "cited"}),
        ("Nhiệm vụ nào thực hiện theo Nghị định 29/2021/NĐ-CP?",
         {"target": "tasks", "ref": "Nghị định 29/2021/NĐ-CP"}),
        ("Văn phòng Chính phủ có bao nhiêu công văn?",
         {"target": "documents", "ask": "count", "owner": None,
          "doc": DocSpec(type="Công văn", issuer="Văn phòng Chính phủ")}),
        # a province on its own
        ("Tỉnh Quảng Trị có bao nhiêu nhiệm vụ quá hạn?",
         {"province": "Quảng Trị", "owner": None, "ask": "count"}),
        ("nhiem vu cua ha noi", {"province": "Hà Nội"}),
        # "báo cáo Thủ tướng": the work, not who does it; "đề nghị của Công ty X" likewise
        ("Bộ Y tế phải báo cáo Thủ tướng những gì", {"owner": "Bộ Y tế",
                                                      "topic": "báo cáo Thủ tướng"}),
        ("Ai được giao xem xét đề nghị của Công ty CEA Projects?",
         {"owner": None, "topic": "xem xét Công ty CEA Projects"}),  # "đề nghị": filler
    ],
)
def test_query_of_question(question: str, fields: dict[str, Any]) -> None:
    q = parse(question, today=TODAY).query
    for name, want in fields.items():
        assert getattr(q, name) == want, (name, q)


def test_unrelated_words_are_a_search() -> None:
    p = parse("khu công nghiệp Quang Châu ra sao", today=TODAY)
    assert not p.understood
    assert p.query.target == "documents" and p.query.topic == "khu công nghiệp Quang Châu"


def test_parts_keep_the_words_they_were_read_from() -> None:
    p = parse("Sở TNMT Quảng Trị có việc nào quá hạn không?", today=TODAY)
    by_kind = {x.kind: x for x in p.parts}
    assert by_kind["agency"].text == "Sở TNMT Quảng Trị"
    assert by_kind["status"].text == "quá hạn"
    yesno = next(x for x in p.parts if x.value == "yesno")
    assert [p.question[a:b] for a, b in yesno.pieces] == ["có", "không"]


def _check_offsets(question: str) -> None:
    p = parse(question, today=TODAY)
    for part in p.parts:
        pieces = part.pieces or ((part.start, part.end),)
        assert part.start == pieces[0][0] and part.end == pieces[-1][1]
        assert 0 <= part.start <= part.end <= len(p.question)
        if part.kind != "topic":
            assert " … ".join(p.question[a:b] for a, b in pieces) == part.text, part


@pytest.mark.parametrize("question", [
    "Thông báo kết luận của Chủ tịch UBND tỉnh Bắc Giang về các khu công nghiệp giao những việc"
    " gì?",
    "Công văn ngày 28/02/2023 của UBND tỉnh Quảng Trị giao việc gì?",
    "Có văn bản nào về ô nhiễm không khí không?",
    "cv 707 / ubnd-kt giao viec gi",
    "Những công văn của VPCP năm 2021",
])
def test_part_offsets_select_their_words(question: str) -> None:
    _check_offsets(question)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạềếểễệộờớởỡợ0123456789 /-,.?&",
               max_size=80))
def test_any_text_parses_with_valid_offsets(text: str) -> None:
    _check_offsets(text)


def test_same_question_same_parse() -> None:
    q = "BQL KCN Bắc Giang có bao nhiêu nhiệm vụ quá hạn trong năm 2024?"
    assert parse(q, today=TODAY) == parse(q, today=TODAY)


@pytest.mark.parametrize("q", ["", "   ", "???", "gì", "a" * 5000, "1/1/1 " * 200])
def test_odd_input_gives_a_query(q: str) -> None:
    p = parse(q, today=TODAY)
    assert p.query.target in ("tasks", "documents", "citations", "cited")
