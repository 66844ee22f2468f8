"""Loaders: every format on the generated samples, encodings, bad input, iter_files."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from pipeline.ingest import formats
from pipeline.ingest.clean import clean
from pipeline.ingest.errors import (
    EmptyDocument,
    EncodingError,
    FileTooLarge,
    IngestError,
    UnreadableDocx,
    UnreadablePdf,
    UnsupportedFormat,
)
from pipeline.ingest.load import (
    LOADERS,
    SUPPORTED_SUFFIXES,
    RawDocument,
    iter_files,
    load,
    load_bytes,
)
from tests.conftest import load_script

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "corpus" / "samples"
DOCS = ROOT / "corpus" / "docs"
SEEDS = ROOT / "corpus" / "seeds"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _make_samples_module() -> ModuleType:
    return load_script("make_samples")


def _doc_lines(prefix: str) -> list[str]:
    (path,) = DOCS.glob(f"{prefix}_*.txt")
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def _seed(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


# ---------------------------------------------------------------------------
# Samples are generated, and the committed ones are up to date
# ---------------------------------------------------------------------------


def test_committed_samples_match_a_fresh_generation(tmp_path: Path) -> None:
    fresh = _make_samples_module().make_samples(tmp_path)
    committed = sorted(p.name for p in SAMPLES.iterdir())
    assert committed == sorted(p.name for p in fresh)
    for path in fresh:
        old, new = load(SAMPLES / path.name), load(path)
        assert (old.text, old.title, old.published, old.source_name, old.meta) == (
            new.text,
            new.title,
            new.published,
            new.source_name,
            new.meta,
        ), f"{path.name} is stale: run python scripts/make_samples.py"


def test_sample_generation_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    module = _make_samples_module()
    first = {p.name: p.read_bytes() for p in module.make_samples(tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in module.make_samples(tmp_path / "b")}
    assert first == second


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def html_doc() -> RawDocument:
    return load(SAMPLES / "cv846-laichau.html")


def test_html_keeps_the_article(html_doc: RawDocument) -> None:
    assert html_doc.format == "html"
    assert html_doc.title == (
        "Báo cáo tình hình triển khai thực hiện và giải ngân kế hoạch đầu tư công năm 2019"
    )
    for line in _doc_lines("06"):
        assert line in html_doc.text
    assert html_doc.text.splitlines()[0] == html_doc.title  # the <h1> inside <article><header>


def test_html_date_line_becomes_published_and_leaves_the_text(html_doc: RawDocument) -> None:
    assert html_doc.published == "2019-05-22"
    assert "09:15:27" not in html_doc.text


def test_html_source_line_is_kept_and_named(html_doc: RawDocument) -> None:
    assert html_doc.source_name == "Cổng thông tin điện tử tỉnh Lai Châu"
    assert html_doc.text.splitlines()[-1] == "Nguồn: Cổng thông tin điện tử tỉnh Lai Châu"


@pytest.mark.parametrize(
    "furniture",
    [
        "Trang chủ",  # nav menu and breadcrumb
        "Giới thiệu",
        "Tin trong tỉnh",
        "CỔNG THÔNG TIN ĐIỆN TỬ",  # site <header>
        "Thống kê truy cập",
        "Online",
        "Đã truy cập",
        "12345678",
        "Chia sẻ",
        "Facebook",
        "Zalo",
        "In bài",
        "Liên kết Website",
        "Chính phủ",  # <select> of linked sites
        "Văn bản mới",  # <aside>
        "visits",  # <script>
        "display",  # <style>
        "iframe",
        "Bản quyền",  # <footer>
    ],
)
def test_html_furniture_is_gone(html_doc: RawDocument, furniture: str) -> None:
    assert furniture not in html_doc.text


def test_html_caption_printed_twice_appears_once(html_doc: RawDocument) -> None:
    assert html_doc.text.count("Trụ sở UBND tỉnh Lai Châu") == 1


def test_html_furniture_by_class_and_id() -> None:
    page = """<html><body><div class="social-share">Gửi bài viết</div>
    <div id="comments">Ý kiến bạn đọc</div><div class="post">
    <h1>Tiêu đề</h1><p>Nội dung chính<br>dòng hai</p>
    <table><tr><td>Số: 12/UBND</td><td>Hà Nội</td></tr></table></div></body></html>"""
    doc = load_bytes(page.encode(), name="page.html")
    assert doc.text == "Tiêu đề\nNội dung chính\ndòng hai\nSố: 12/UBND | Hà Nội"


def test_html_never_drops_the_wrapper_that_holds_the_article() -> None:
    page = (
        '<body><div class="page-with-menu"><article><h1>T</h1><p>Giao Sở</p></article></div></body>'
    )
    assert load_bytes(page.encode(), name="p.htm").text == "T\nGiao Sở"


def test_html_title_falls_back_to_title_tag() -> None:
    page = "<html><head><title>Công văn 846</title></head><body><p>Giao Sở</p></body></html>"
    assert load_bytes(page.encode(), name="p.html").title == "Công văn 846"


def test_html_declared_legacy_charset() -> None:
    page = '<html><head><meta charset="windows-1258"></head><body><p>Sở Tài chính</p></body></html>'
    data = _make_samples_module().to_cp1258(page)
    assert load_bytes(data, name="p.html").text == "Sở Tài chính"


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("15:09:01 | 16/4/2024", "2024-04-16"),
        ("07/12/2023 08:22 Số lượt xem: 37", "2023-12-07"),
        ("Thứ hai, 16/04/2024", "2024-04-16"),
        ("Thứ hai, 16/04/2024 - 10:05", "2024-04-16"),
        ("Ngày cập nhật 22/12/2020", "2020-12-22"),
        ("Cập nhật: 05/08/2025 14:30 GMT+7", "2025-08-05"),
        ("31/02/2024", None),  # not a real date
        ("Ngày 16/12/2020, UBND tỉnh đã ban hành Công văn", None),  # a sentence
        ("Hà Nội, ngày 25 tháng 9 năm 2020", None),
    ],
)
def test_date_line(line: str, iso: str | None) -> None:
    assert formats.date_line(line) == iso


# ---------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_doc() -> RawDocument:
    return load(SAMPLES / "cv4150-bnn.pdf")


def test_pdf_pages_title_and_content(pdf_doc: RawDocument) -> None:
    assert pdf_doc.format == "pdf"
    assert dict(pdf_doc.meta)["pages"] == "2"
    assert pdf_doc.title is not None and pdf_doc.title.startswith("Công văn 4150/BNN-CN")
    lines = pdf_doc.text.splitlines()
    assert lines[0] == "Công văn số 4150/BNN-CN ngày 20 tháng 7 năm 2021"
    assert lines[-1].endswith("các đơn vị chức năng thực hiện các nội dung nêu trên./.")
    # Wrapped lines are joined into paragraphs, also across the page break;
    # the centred title keeps its lines.
    assert "quy định về phòng, chống dịch Covid-19 của Bộ Y tế." in pdf_doc.text
    assert lines[2] == "vụ sản xuất và chế biến nông sản"


def test_pdf_running_header_and_footer_removed(pdf_doc: RawDocument) -> None:
    assert "BỘ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN" not in pdf_doc.text
    assert "Trang" not in pdf_doc.text


def test_pdf_hyphenated_line_break_joined(pdf_doc: RawDocument) -> None:
    assert "Co-\n" not in pdf_doc.text
    assert pdf_doc.text.count("Covid-19") == 3
    assert "đang có dịch Covid-19." in pdf_doc.text


def test_pdf_text_matches_the_source_document(pdf_doc: RawDocument) -> None:
    words = " ".join(_doc_lines("17")).split()
    assert " ".join(pdf_doc.text.split()) == " ".join(words)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dịch Co-\nvid-19", "dịch Covid-19"),
        ("dịch vụ logis-\ntics", "dịch vụ logistics"),
        ("phát-\ntriển", "phát triển"),  # two Vietnamese syllables
        ("kinh tế -\nxã hội", "kinh tế -\nxã hội"),  # a dash, not a break
        ("Lao động-\nThương binh", "Lao động-\nThương binh"),  # next line capitalized
        ("Covid-\n19", "Covid-\n19"),  # next line a digit
    ],
)
def test_join_hyphens(text: str, expected: str) -> None:
    assert formats.join_hyphens(text) == expected


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        (
            [["- 1 -", "A", "B"], ["- 2 -", "C", "D"]],
            [["A", "B"], ["C", "D"]],
        ),
        (
            [
                ["CV 12/UBND", "A", "Trang 1/3"],
                ["CV 12/UBND", "B", "Trang 2/3"],
                ["CV 12/UBND", "C", "3"],
            ],
            [["A"], ["B"], ["C"]],
        ),
        # A line repeated mid-page is content.
        ([["A", "X", "B"], ["C", "X", "D"]], [["A", "X", "B"], ["C", "X", "D"]]),
        # One page: nothing is "running".
        ([["1", "A"]], [["1", "A"]]),
    ],
)
def test_strip_running_lines(pages: list[list[str]], expected: list[list[str]]) -> None:
    assert formats.strip_running_lines(pages) == expected


def _fpdf() -> object:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=FONT)
    pdf.set_font("DejaVu", size=12)
    return pdf


def test_pdf_image_only_has_no_text_layer(tmp_path: Path) -> None:
    pdf = _fpdf()
    pdf.add_page()  # type: ignore[attr-defined]
    pdf.rect(20, 20, 100, 60, style="F")  # type: ignore[attr-defined]
    path = tmp_path / "scan.pdf"
    path.write_bytes(bytes(pdf.output()))  # type: ignore[attr-defined]
    with pytest.raises(UnreadablePdf, match=r"no text layer \(scanned PDF\?\)"):
        load(path)


def test_pdf_encrypted_with_a_user_password(tmp_path: Path) -> None:
    pdf = _fpdf()
    pdf.set_encryption(owner_password="owner", user_password="secret")  # type: ignore[attr-defined]
    pdf.add_page()  # type: ignore[attr-defined]
    pdf.cell(0, 10, "Sở Tài chính")  # type: ignore[attr-defined]
    path = tmp_path / "secret.pdf"
    path.write_bytes(bytes(pdf.output()))  # type: ignore[attr-defined]
    with pytest.raises(UnreadablePdf, match="encrypted"):
        load(path)


def test_pdf_truncated(tmp_path: Path) -> None:
    data = (SAMPLES / "cv4150-bnn.pdf").read_bytes()
    path = tmp_path / "half.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(UnreadablePdf) as err:
        load(path)
    assert str(path) in str(err.value)


# ---------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docx_doc() -> RawDocument:
    return load(SAMPLES / "cv8079-vpcp.docx")


def test_docx_tables_and_paragraphs_in_document_order(docx_doc: RawDocument) -> None:
    lines = docx_doc.text.splitlines()
    # The header is a borderless layout table: its left column, then its right one.
    assert lines[:7] == [
        "VĂN PHÒNG CHÍNH PHỦ",
        "Số: 8079/VPCP-CN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày 25 tháng 9 năm 2020",
        "Kính gửi:",
        "- Các Bộ: Kế hoạch và Đầu tư, Tư pháp, Tài chính;",
    ]
    assert lines[-1] == "KT. BỘ TRƯỞNG, CHỦ NHIỆM"  # the signature table, after the body
    assert "báo cáo Thủ tướng Chính phủ trước ngày 15 tháng 10 năm 2020." in docx_doc.text


def test_docx_title_from_core_properties(docx_doc: RawDocument) -> None:
    assert docx_doc.format == "docx"
    assert docx_doc.title == "Công văn 8079/VPCP-CN"
    assert docx_doc.published is None  # core-properties dates are not publication dates


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_docx_zip_bomb_refused(tmp_path: Path) -> None:
    real = zipfile.ZipFile(SAMPLES / "cv8079-vpcp.docx")
    members = {name: real.read(name) for name in real.namelist()}
    members["word/media/bomb.bin"] = b"\0" * (20 * 1024 * 1024)  # 20 MB -> ~20 kB
    path = tmp_path / "bomb.docx"
    path.write_bytes(_zip(members))
    with pytest.raises(UnreadableDocx, match="zip bomb"):
        load(path)


def test_docx_zip_without_document_part(tmp_path: Path) -> None:
    path = tmp_path / "odt.docx"
    path.write_bytes(_zip({"content.xml": b"<office:document/>"}))
    with pytest.raises(UnreadableDocx, match="no word/document.xml"):
        load(path)


def test_docx_corrupt_document_xml(tmp_path: Path) -> None:
    real = zipfile.ZipFile(SAMPLES / "cv8079-vpcp.docx")
    members = {name: real.read(name) for name in real.namelist()}
    members["word/document.xml"] = b"<w:document><unclosed>"
    path = tmp_path / "broken.docx"
    path.write_bytes(_zip(members))
    with pytest.raises(UnreadableDocx, match="corrupt DOCX"):
        load(path)


# ---------------------------------------------------------------------------
# Markdown and plain text, encodings
# ---------------------------------------------------------------------------


def test_markdown_title_and_text() -> None:
    doc = load(SAMPLES / "cv707-quangtri.md")
    assert doc.format == "md"
    assert doc.title == "Công văn 707/UBND-KT ngày 28/02/2023 của UBND tỉnh Quảng Trị"
    assert "**Hoàn thành trước ngày 10/3/2023.**" in doc.text  # loading doesn't clean
    assert "Hoàn thành trước ngày 10/3/2023." in clean(doc.text)
    assert "**" not in clean(doc.text)


def test_cp1258_sample() -> None:
    doc = load(SAMPLES / "cv11413-thuathienhue-cp1258.txt")
    assert dict(doc.meta)["encoding"] == "cp1258"
    assert doc.published == "2020-12-22"  # "Ngày cập nhật 22/12/2020"
    source = (next(DOCS.glob("07_*.txt"))).read_text(encoding="utf-8")
    assert clean(doc.text) == clean(source)
    assert "Sở Tài nguyên và Môi trường" in doc.text  # NFC, not combining marks


def test_utf16_sample() -> None:
    doc = load(SAMPLES / "cv668-vpcp-utf16.txt")
    assert dict(doc.meta)["encoding"] == "utf-16"
    source = (next(DOCS.glob("09_*.txt"))).read_text(encoding="utf-8")
    assert clean(doc.text) == clean(source)


TEXT = "Sở Tài chính tỉnh Bắc Ninh được giao chủ trì, phối hợp với Ban Quản lý các KCN tỉnh."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (b"\xff\xfe" + TEXT.encode("utf-16-le"), "utf-16"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),  # no BOM: NUL-byte pattern
        (TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-32"), "utf-32"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "utf32"],
)
def test_text_encodings(tmp_path: Path, data: bytes, encoding: str) -> None:
    path = tmp_path / "cv.txt"
    path.write_bytes(data)
    doc = load(path)
    assert doc.text == TEXT
    assert dict(doc.meta)["encoding"] == encoding


def test_cp1258_is_decoded_and_composed() -> None:
    data = _make_samples_module().to_cp1258(TEXT)
    assert b"\xd2" in data  # the hook-above tone is a separate byte
    doc = load_bytes(data, name="legacy.txt")
    assert doc.text == TEXT
    assert dict(doc.meta)["encoding"] == "cp1258"


def test_other_legacy_encoding_falls_back_to_charset_normalizer() -> None:
    french = "Le comité a décidé de prolonger le délai. Où est-ce ? Très bien, à bientôt. " * 5
    assert load_bytes(french.encode("cp1252"), name="fr.txt").text == french


def test_news_date_marker_becomes_published() -> None:
    doc = load(_seed("000"))
    assert doc.published == "2025-08-05"
    assert doc.text.startswith("Phó Chủ tịch UBND tỉnh Bắc Ninh Phạm Văn Thịnh")


@pytest.mark.parametrize(
    ("prefix", "published", "source_name"),
    [
        ("002", "2023-12-07", "https://kinhtevadubao.vn/"),
        ("003", "2024-04-16", None),
        (
            "004",
            None,
            "Bắc Kạn: https://baobackan.vn/ban-quan-ly-cac-kcn-bac-kan-day-manh-xuc-tien-quan-ly-dau-tu-post62852.html",
        ),  # noqa: E501
        ("001", None, None),
    ],
)
def test_news_text_dates_and_sources(
    prefix: str, published: str | None, source_name: str | None
) -> None:
    path = _seed(prefix)
    doc = load(path)
    assert (doc.published, doc.source_name) == (published, source_name)
    assert doc.text == path.read_text(encoding="utf-8")  # text files are not rewritten


# ---------------------------------------------------------------------------
# Errors: every failure is an IngestError naming the file
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "error", "cause"),
    [
        ("empty.txt", b"", EmptyDocument, "empty"),
        ("blank.txt", b"  \r\n\t \n", EmptyDocument, "empty"),
        ("blank16.txt", b"\xff\xfe" + " \n ".encode("utf-16-le"), EmptyDocument, "no text"),
        (
            "blank.html",
            "<html><body><nav>Trang chủ</nav></body></html>".encode(),
            EmptyDocument,
            "no text",
        ),
        ("junk.txt", bytes(range(256)) * 20, EncodingError, "binary data"),
        ("junk2.txt", bytes(range(1, 32)) * 50 + b"\x81\x8d\x8f" * 50, EncodingError, "non-text"),
        ("junk.pdf", b"<html>not a pdf</html>", UnreadablePdf, "not a PDF file"),
        ("junk.docx", b"%PDF-1.4 not a zip", UnreadableDocx, "not a zip archive"),
        ("short.docx", b"PK\x03\x04 truncated", UnreadableDocx, "corrupt zip"),
        ("unknown.bin", bytes(range(256)) * 4, UnsupportedFormat, "Supported: "),
    ],
)
def test_bad_input(
    tmp_path: Path, name: str, data: bytes, error: type[IngestError], cause: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(error, match=cause) as err:
        load(path)
    assert err.value.path == str(path)
    assert str(path) in str(err.value)


def test_oversized_file_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Sở Tài chính " * 100, encoding="utf-8")

    def no_read(*args: object, **kwargs: object) -> None:
        raise AssertionError("read before the size check")

    monkeypatch.setattr(Path, "open", no_read)
    with pytest.raises(FileTooLarge, match="over the 100-byte limit"):
        load(path, max_bytes=100)


def test_oversized_upload_refused() -> None:
    with pytest.raises(FileTooLarge):
        load_bytes(b"x" * 101, name="up.txt", max_bytes=100)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no such file"):
        load(tmp_path / "missing.pdf")
    with pytest.raises(UnsupportedFormat, match="not a regular file"):
        load(tmp_path)


# Time limits and errors crossing the worker process: tests/ingest/test_worker.py


# ---------------------------------------------------------------------------
# load_bytes: uploads
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sample", "fmt"),
    [
        ("cv4150-bnn.pdf", "pdf"),
        ("cv8079-vpcp.docx", "docx"),
        ("cv846-laichau.html", "html"),
        ("cv668-vpcp-utf16.txt", "txt"),
        ("cv11413-thuathienhue-cp1258.txt", "txt"),
    ],
)
def test_load_bytes_sniffs_when_the_name_has_no_suffix(sample: str, fmt: str) -> None:
    data = (SAMPLES / sample).read_bytes()
    doc = load_bytes(data, name="upload")
    assert doc.format == fmt
    assert doc.source == "upload"
    assert doc.text == load(SAMPLES / sample).text


def test_load_bytes_trusts_the_suffix_but_checks_magic() -> None:
    html = (SAMPLES / "cv846-laichau.html").read_bytes()
    with pytest.raises(UnreadablePdf, match="not a PDF file"):
        load_bytes(html, name="trick.pdf")


# ---------------------------------------------------------------------------
# iter_files
# ---------------------------------------------------------------------------


def _touch(path: Path, text: str = "Sở Tài chính") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_iter_files_walks_sorted_and_filters(tmp_path: Path) -> None:
    _touch(tmp_path / "b.txt")
    _touch(tmp_path / "a" / "z.docx")
    _touch(tmp_path / "a" / "deep" / "x.PDF")
    _touch(tmp_path / "a" / "notes.xlsx")
    _touch(tmp_path / ".hidden.txt")
    _touch(tmp_path / ".git" / "config.txt")
    _touch(tmp_path / "~$lock.docx")
    _touch(tmp_path / "c.html")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])]
    assert found == ["a/deep/x.PDF", "a/z.docx", "b.txt", "c.html"]


def test_iter_files_vietnamese_names_with_spaces(tmp_path: Path) -> None:
    path = _touch(tmp_path / "Văn bản đến" / "Công văn số 707 UBND.txt", "Giao Sở Tài chính")
    assert list(iter_files([tmp_path])) == [path]
    assert load(path).text == "Giao Sở Tài chính"


def test_iter_files_survives_a_symlink_loop(tmp_path: Path) -> None:
    _touch(tmp_path / "docs" / "a.txt")
    try:
        os.symlink(tmp_path, tmp_path / "docs" / "loop")
        os.symlink(tmp_path / "docs", tmp_path / "docs" / "self")
    except OSError as e:  # pragma: no cover - filesystems without symlinks
        pytest.skip(f"symlinks unsupported here: {e}")
    assert list(iter_files([tmp_path])) == [tmp_path / "docs" / "a.txt"]


def test_iter_files_yields_each_file_once_and_named_files_as_given(tmp_path: Path) -> None:
    a = _touch(tmp_path / "a.txt")
    odd = _touch(tmp_path / "readme.rtf")
    missing = tmp_path / "missing.pdf"
    assert list(iter_files([tmp_path, a, odd, missing])) == [a, odd, missing]


def test_supported_suffixes() -> None:
    assert {".txt", ".md", ".html", ".htm", ".pdf", ".docx"} <= SUPPORTED_SUFFIXES


def test_a_batch_over_every_sample_and_bad_file_never_crashes(tmp_path: Path) -> None:
    _touch(tmp_path / "empty.txt", "")
    (tmp_path / "junk.pdf").write_bytes(b"junk")
    loaded, failed = [], []
    for path in iter_files([SAMPLES, tmp_path]):
        try:
            loaded.append(load(path))
        except IngestError as e:
            failed.append(e)
    assert len(loaded) == 6
    assert sorted(type(e).__name__ for e in failed) == ["EmptyDocument", "UnreadablePdf"]


# ---------------------------------------------------------------------------
# Issue #19 items 6 and 12: damaged UTF-8 keeps the rest; a repetitive PDF
# keeps its text
# ---------------------------------------------------------------------------

_TASK_LINE = "Giao Sở Tài chính chủ trì, hoàn thành trước ngày 10/3/2024.\n"


def test_one_bad_byte_is_replaced_and_counted() -> None:
    data = (_TASK_LINE * 5).encode()
    doc = load_bytes(data[:30] + b"\xff" + data[30:], name="cv.txt")
    assert doc.text.count("\ufffd") == 1
    assert doc.text.replace("\ufffd", "") == (_TASK_LINE * 5)
    assert dict(doc.meta)["decode_errors"] == "1"


def test_a_file_cut_anywhere_still_loads() -> None:
    data = (_TASK_LINE * 3).encode()
    for cut in range(10, len(data)):
        doc = load_bytes(data[:cut], name="cut.txt")
        assert doc.text.rstrip("\ufffd") == data[:cut].decode("utf-8", "ignore")


def test_legacy_encodings_are_not_taken_for_damaged_utf8() -> None:
    bad = Path(__file__).parents[1] / "data" / "bad"
    for name, enc in (("tcvn3.txt", "tcvn3"), ("vni.txt", "vni"), ("windows-1258.txt", "cp1258")):
        doc = load(bad / name)
        assert dict(doc.meta)["encoding"] == enc
        assert "\ufffd" not in doc.text


def test_a_repetitive_many_page_pdf_is_not_emptied() -> None:
    """Every page the same short text: those lines are the document, not furniture."""
    pages = [["Giao Sở Tài chính chủ trì", f"Trang {i + 1}"] for i in range(12)]
    assert formats.strip_running_lines(pages) == [["Giao Sở Tài chính chủ trì"]] * 12
    # Real running lines still go.
    pages = [["BỘ Y TẾ", f"Nội dung {c}", "Trang 1"] for c in "abc"]
    assert formats.strip_running_lines(pages) == [[f"Nội dung {c}"] for c in "abc"]


def test_each_suffix_names_one_format() -> None:
    """The loader table: a suffix claimed by two formats would go to one silently."""
    claimed = [suffix for loader in LOADERS.values() for suffix in loader.suffixes]
    assert len(claimed) == len(set(claimed))
    assert set(claimed) == SUPPORTED_SUFFIXES


@pytest.mark.parametrize("fmt", sorted(LOADERS))
def test_a_file_is_loaded_by_its_formats_row(fmt: str, tmp_path: Path) -> None:
    """Each row of the table is the one that reads its suffix: given bytes of another
    format, it refuses them (or, for text, reads them as text) and names the file."""
    name = f"vb{LOADERS[fmt].suffixes[0]}"
    data = "Kính gửi: Sở Tài chính tỉnh Bắc Ninh".encode()
    if fmt in ("txt", "md", "html"):
        assert load_bytes(data, name=name).format == fmt
    else:
        with pytest.raises(IngestError, match=name):
            load_bytes(data, name=name)
