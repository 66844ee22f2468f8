"""Task tables laid out in columns of spaces become one line per row before
cleaning squeezes the spaces, so the extractors read their rows."""

from __future__ import annotations

from extractors import extract
from pipeline.ingest.clean import clean
from pipeline.ingest.layouttables import rows_from_layout

HEADER = "UBND TỈNH NGHỆ AN\nSố: 77/KH-UBND\nNghệ An, ngày 10 tháng 3 năm 2025\nKẾ HOẠCH\n"
TABLE = (
    "  STT     Nội dung nhiệm vụ                     Cơ quan chủ trì      Cơ quan phối hợp"
    "     Thời gian\n"
    "                                                                                      "
    "    hoàn thành\n"
    "   1      Rà soát quy hoạch các khu công        Sở Xây dựng          Sở Tài chính       "
    "  Quý IV/2025\n"
    "          nghiệp trên địa bàn tỉnh\n"
    "   2      Xây dựng cơ sở dữ liệu đất đai        Sở Nông nghiệp và    Sở Khoa học và     "
    "  Năm 2026\n"
    "                                                Môi trường           Công nghệ\n"
    "\n"
    "Trên đây là Kế hoạch của UBND tỉnh, yêu cầu các cơ quan, đơn vị tổ chức thực hiện nghiêm"
    " túc.\n"
)


def test_a_layout_table_is_written_one_row_per_line() -> None:
    rows = [ln for ln in rows_from_layout(TABLE).split("\n") if ln.startswith("|")]
    assert rows == [
        "| STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |",
        "| 1 | Rà soát quy hoạch các khu công nghiệp trên địa bàn tỉnh | Sở Xây dựng |"
        " Sở Tài chính | Quý IV/2025 |",
        "| 2 | Xây dựng cơ sở dữ liệu đất đai | Sở Nông nghiệp và Môi trường |"
        " Sở Khoa học và Công nghệ | Năm 2026 |",
    ]
    assert rows_from_layout(TABLE).endswith("thực hiện nghiêm túc.\n")


def test_its_rows_become_tasks_with_owners_partners_and_deadlines() -> None:
    doc = extract(clean(HEADER + "Phụ lục: DANH MỤC NHIỆM VỤ\n" + TABLE))
    rows = [t for t in doc.tasks if t.rule_id.endswith("table.v1")]
    got = [(t.owners, t.cooperating, t.deadline) for t in rows]
    assert got == [
        (("Sở Xây dựng tỉnh Nghệ An",), ("Sở Tài chính tỉnh Nghệ An",), "2025-12-31"),
        (
            ("Sở Nông nghiệp và Môi trường tỉnh Nghệ An",),
            ("Sở Khoa học và Công nghệ tỉnh Nghệ An",),
            "2026-12-31",
        ),
    ]


def test_columns_of_a_letter_that_are_no_task_table_stay_as_they_are() -> None:
    text = "  STT     Họ và tên              Chức vụ\n"
    text += "   1      Nguyễn Văn An          Trưởng phòng\n"
    assert rows_from_layout(text) == text


def test_prose_with_wide_spaces_is_no_table() -> None:
    text = "Căn cứ   Nghị định số 35/2022/NĐ-CP   ngày 28/5/2022 của Chính phủ.\n"
    assert rows_from_layout(text) == text
