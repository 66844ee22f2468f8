"""Issue #13 (d), DOCX: what Word shows is in the text. Real publisher DOCX
(corpus/pdf/files/13, 14) and documents built here with python-docx plus the
WordprocessingML that Word writes for numbering, tracked changes, text boxes,
headers and footers."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
from docx.oxml import parse_xml

from pipeline.ingest.docxtext import format_number
from pipeline.ingest.load import load, load_bytes

FILES = Path(__file__).parents[2] / "corpus" / "pdf" / "files"
ND80 = FILES / "14_chinhphu-nd80-2025-to-chuc-thi-hanh-vbqppl.docx"
CT15 = FILES / "13_ttg-ct15-2025-chap-hanh-phap-luat-gia.docx"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_article_numbers_that_exist_only_in_numbering_xml() -> None:
    """#13: 14's article headings are Word auto-numbered ("Điều %1.")."""
    text = load(ND80).text
    heads = re.findall(r"^Điều (\d+)\. (.+)$", text, re.M)
    assert [int(n) for n, _ in heads] == list(range(1, 20))
    assert heads[0][1] == "Phạm vi điều chỉnh"
    assert heads[16][1] == "Điều khoản chuyển tiếp"


def test_layout_tables_read_by_column_and_data_tables_by_row() -> None:
    lines = load(ND80).text.split("\n")
    # The borderless header table: the left column, then the right one.
    assert lines[:5] == [
        "CHÍNH PHỦ",
        "Số: 80/2025/NĐ-CP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày 01 tháng 4 năm 2025",
    ]
    # The Phụ lục index (a bordered table): one row per line, header first.
    at = lines.index("STT | Nội dung")
    assert lines[at + 1] == "Mẫu số 01 | Báo cáo về tổ chức thi hành pháp luật ..."
    # The signature table of 13: Nơi nhận (left column) before the signer.
    ct = load(CT15).text.split("\n")
    assert ct.index("Nơi nhận:") < ct.index("KT. THỦ TƯỚNG") < ct.index("Hồ Đức Phớc")
    assert not any(set(ln) <= set("_ ") and ln for ln in ct)  # decorative rules dropped


def test_number_formats() -> None:
    assert [format_number(n, "lowerLetter") for n in (1, 26, 27)] == ["a", "z", "aa"]
    assert format_number(9, "upperRoman") == "IX" and format_number(14, "lowerRoman") == "xiv"


# --------------------------------------------------------------------------
# Built here
# --------------------------------------------------------------------------

_LEVELS = [("decimal", "Điều %1."), ("decimal", "%2."), ("lowerLetter", "%3)"), ("bullet", "-")]
_NUMBERING = f'<w:abstractNum {W} w:abstractNumId="90">' + "".join(
    f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
    f'<w:lvlText w:val="{text}"/></w:lvl>'
    for i, (fmt, text) in enumerate(_LEVELS)
) + "</w:abstractNum>"


def _numbered(doc: docx.document.Document, text: str, level: int) -> None:
    p = doc.add_paragraph(text)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {W}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))


def _docx_bytes() -> bytes:
    doc = docx.Document()
    doc.sections[0].header.paragraphs[0].text = "BỘ TÀI CHÍNH - Dự thảo"
    doc.sections[0].footer.paragraphs[0].text = "Trang chân: Cổng thông tin"
    numbering = doc.part.numbering_part.element
    numbering.insert(0, parse_xml(_NUMBERING))
    numbering.append(parse_xml(f'<w:num {W} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    _numbered(doc, "Phạm vi điều chỉnh", 0)
    _numbered(doc, "Nghị định này quy định chi tiết.", 1)
    _numbered(doc, "Sở Tài chính chủ trì;", 2)
    _numbered(doc, "Sở Nội vụ phối hợp.", 2)
    _numbered(doc, "báo cáo hằng quý", 3)
    _numbered(doc, "Đối tượng áp dụng", 0)
    _numbered(doc, "Cơ quan nhà nước.", 1)  # the level-1 counter restarts under Điều 2
    # Tracked changes: an insertion kept, a deletion dropped.
    doc.element.body.append(parse_xml(
        f"<w:p {W}><w:r><w:t xml:space=\"preserve\">Hoàn thành trước ngày </w:t></w:r>"
        "<w:del w:id=\"1\" w:author=\"A\"><w:r><w:delText>30/6/2025</w:delText></w:r></w:del>"
        "<w:ins w:id=\"2\" w:author=\"A\"><w:r><w:t>31/12/2025</w:t></w:r></w:ins>"
        "<w:r><w:t>.</w:t></w:r></w:p>"))
    # A text box (VML, as in a Word 2003 file) anchored in a paragraph.
    doc.element.body.append(parse_xml(
        f'<w:p {W} xmlns:v="urn:schemas-microsoft-com:vml"><w:r><w:t>Ghi chú:</w:t></w:r>'
        "<w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>HỎA TỐC</w:t>"
        "</w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"))
    # A data table (bordered), with a cell merged down.
    table = doc.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    for r, row in enumerate([("TT", "Nhiệm vụ", "Cơ quan chủ trì"),
                             ("1", "Xây dựng kế hoạch", "Sở Tài chính"),
                             ("", "", "Sở Nội vụ")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for c in (0, 1):
        table.cell(1, c)._tc.get_or_add_tcPr().append(
            parse_xml(f'<w:vMerge {W} w:val="restart"/>'))
        table.cell(2, c)._tc.get_or_add_tcPr().append(parse_xml(f"<w:vMerge {W}/>"))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_numbering_tracked_changes_text_boxes_headers_and_tables() -> None:
    lines = load_bytes(_docx_bytes(), name="nd.docx").text.split("\n")
    assert lines[0] == "BỘ TÀI CHÍNH - Dự thảo"  # the page header, first
    assert lines[-1] == "Trang chân: Cổng thông tin"  # the page footer, last
    body = [ln for ln in lines if ln]
    at = body.index("Điều 1. Phạm vi điều chỉnh")
    assert body[at : at + 7] == [
        "Điều 1. Phạm vi điều chỉnh",
        "1. Nghị định này quy định chi tiết.",
        "a) Sở Tài chính chủ trì;",
        "b) Sở Nội vụ phối hợp.",
        "- báo cáo hằng quý",
        "Điều 2. Đối tượng áp dụng",
        "1. Cơ quan nhà nước.",
    ]
    assert "Hoàn thành trước ngày 31/12/2025." in body
    assert "30/6/2025" not in "\n".join(lines)
    assert body[body.index("Ghi chú:") + 1] == "HỎA TỐC"
    at = body.index("TT | Nhiệm vụ | Cơ quan chủ trì")
    assert body[at + 1 : at + 3] == ["1 | Xây dựng kế hoạch | Sở Tài chính", " |  | Sở Nội vụ"]
