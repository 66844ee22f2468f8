"""Task tables written one cell per line (pages converted to Markdown) become
one line per row, so the extractors read their tasks; other tables in that
notation (page headers, signature blocks) stay as they are."""

from __future__ import annotations

from extractors import extract
from pipeline.ingest.clean import clean
from pipeline.ingest.pipetables import rows_from_cell_lines


def cells(*rows: list[str]) -> str:
    """A table the way a page converter writes it: "|" before every cell and
    one more between two rows."""
    out: list[str] = []
    for row in rows:
        out.append("|")
        for cell in row:
            out += [cell, "|"] if cell else ["|"]  # an empty cell: two pipes in a row
    return "\n".join(out)


HEAD = ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]


def test_a_task_table_becomes_one_line_per_row_and_its_rows_are_tasks() -> None:
    table = cells(
        HEAD,
        [
            "1",
            "Rà soát, hoàn thiện cơ chế\nhỗ trợ doanh nghiệp",
            "Sở Tài chính",
            "Sở Công Thương",
            "Tháng 12/2025",
        ],
        ["2", "Tổ chức hội nghị đối thoại với doanh nghiệp", "Sở Công Thương", "", "Quý I/2026"],
    )
    text = "UBND TỈNH ĐỒNG THÁP\nSố: 617/KH-UBND\nKẾ HOẠCH\n\nPHỤ LỤC\n" + table + "\n\nHết."
    rows = [line for line in rows_from_cell_lines(text).split("\n") if line.startswith("| ")]
    assert rows == [
        "| STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |",
        "| 1 | Rà soát, hoàn thiện cơ chế hỗ trợ doanh nghiệp | Sở Tài chính | Sở Công Thương "
        "| Tháng 12/2025 |",
        "| 2 | Tổ chức hội nghị đối thoại với doanh nghiệp | Sở Công Thương |  | Quý I/2026 |",
    ]
    d = extract(clean(text))
    assert [(t.owners, t.cooperating, t.deadline) for t in d.tasks] == [
        (("Sở Tài chính tỉnh Đồng Tháp",), ("Sở Công Thương tỉnh Đồng Tháp",), "2025-12-31"),
        (("Sở Công Thương tỉnh Đồng Tháp",), (), "2026-03-31"),
    ]
    assert rows_from_cell_lines(text).endswith("\n\nHết.")


def test_a_merged_section_row_keeps_the_rows_after_it_in_their_columns() -> None:
    table = cells(
        ["TT", "Nội dung", "Đơn vị thực hiện"],
        ["A.", "NHÓM NHIỆM VỤ VỀ THỂ CHẾ"],
        ["1", "Ban hành quy chế phối hợp", "Sở Tư pháp"],
    )
    rows = [line for line in rows_from_cell_lines(table).split("\n") if line.startswith("| ")]
    assert rows[1:] == [
        "| A. | NHÓM NHIỆM VỤ VỀ THỂ CHẾ |  |",
        "| 1 | Ban hành quy chế phối hợp | Sở Tư pháp |",
    ]


def test_a_section_row_of_one_cell_with_its_ordinal_inside() -> None:
    table = cells(
        ["STT", "Tên nhiệm vụ", "Cơ quan chủ trì"],
        ["**I.\nNÂNG CAO NHẬN THỨC VÀ ĐỔI MỚI TƯ DUY**"],
        ["1", "Triển khai nền tảng đào tạo trực tuyến", "Sở KH&CN"],
        ["2", "Đánh giá mức độ chuyển đổi số", "Sở Công Thương"],
    )
    rows = [line for line in rows_from_cell_lines(table).split("\n") if line.startswith("| ")]
    assert rows[1:] == [
        "| **I. NÂNG CAO NHẬN THỨC VÀ ĐỔI MỚI TƯ DUY** |  |  |",
        "| 1 | Triển khai nền tảng đào tạo trực tuyến | Sở KH&CN |",
        "| 2 | Đánh giá mức độ chuyển đổi số | Sở Công Thương |",
    ]


def test_a_page_header_or_a_table_without_task_columns_stays_as_written() -> None:
    header = cells(
        ["UỶ BAN NHÂN DÂN TỈNH LAI CHÂU", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["Số: 7360/KH-UBND", "Lai Châu, ngày 19 tháng 11 năm 2025"],
    )
    assert rows_from_cell_lines(header) == header
    indicators = cells(["TT", "Chỉ tiêu", "Đơn vị", "Kết quả"], ["1", "Tỉ lệ hồ sơ", "%", "100%"])
    assert rows_from_cell_lines(indicators) == indicators
    plain = "Một đoạn văn.\n|\nkhông phải bảng\n|"
    assert rows_from_cell_lines(plain) == plain


def test_a_group_row_in_markdown_emphasis_keeps_the_rows_after_it() -> None:
    """A markdown copy writes a group's ordinal in bold with a space inside ("** II**"):
    the rows after it are rows all the same, not loose lines."""
    table = cells(
        ["STT", "Nhiệm vụ", "Chủ trì", "Phối hợp"],
        ["1", "Rà soát cơ chế", "Sở Tài chính", "Các sở"],
        ["** II**", "HỖ TRỢ CÔNG NGHỆ"],
        ["1", "Xây dựng chương trình", "Sở Khoa học và Công nghệ", "Các sở"],
        ["2", "Hỗ trợ doanh nghiệp", "Sở Công Thương", "Các sở"],
    )
    rows = [line for line in rows_from_cell_lines(table).split("\n") if line.startswith("| ")]
    assert rows[2:] == [
        "| ** II** | HỖ TRỢ CÔNG NGHỆ |  |  |",
        "| 1 | Xây dựng chương trình | Sở Khoa học và Công nghệ | Các sở |",
        "| 2 | Hỗ trợ doanh nghiệp | Sở Công Thương | Các sở |",
    ]


def test_a_row_under_a_spanned_number_keeps_its_cells_and_the_rows_after_it() -> None:
    """A second row under one number (the number's cell spans both): its own cells
    start at the second column, and the rows after it are still rows."""
    table = cells(
        ["STT", "Nhiệm vụ", "Chủ trì", "Phối hợp"],
        ["1", "Xây dựng hạ tầng", "Trung tâm Chuyển đổi số", "Các sở"],
        ["Xây dựng hạ tầng dự phòng", "Trung tâm Chuyển đổi số"],
        ["2", "Đầu tư trang thiết bị", "Sở Tài chính", "Các sở"],
        ["3", "Phối hợp xây dựng phần mềm", "Sở Khoa học và Công nghệ", "Sở Tài chính"],
    )
    rows = [line for line in rows_from_cell_lines(table).split("\n") if line.startswith("| ")]
    assert rows[1:] == [
        "| 1 | Xây dựng hạ tầng | Trung tâm Chuyển đổi số | Các sở |",
        "|  | Xây dựng hạ tầng dự phòng | Trung tâm Chuyển đổi số |  |",
        "| 2 | Đầu tư trang thiết bị | Sở Tài chính | Các sở |",
        "| 3 | Phối hợp xây dựng phần mềm | Sở Khoa học và Công nghệ | Sở Tài chính |",
    ]
    doc = extract(clean("ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP\n\nKẾ HOẠCH\n\nPHỤ LỤC\n" + table + "\n"))
    owners = [t.owners for t in doc.tasks]
    assert ("Sở Khoa học và Công nghệ tỉnh Đồng Tháp",) in owners
    assert ("Sở Tài chính tỉnh Đồng Tháp",) in owners
