"""Build corpus/samples/: one file per loader, made from the public texts in corpus/docs/.

Run ``python scripts/make_samples.py [OUT_DIR]`` (default corpus/samples).
Output is deterministic (fixed metadata dates, fixed zip timestamps), so a
regeneration gives the same files; tests/pipeline/test_load.py checks the
committed samples load to the same text as a fresh generation.

Samples (from corpus/docs/, so they hold real Vietnamese official text):

* cv846-laichau.html - doc 06 (UBND tỉnh Lai Châu) in a portal page: nav menu,
  breadcrumb, visit counters, share buttons, a caption printed twice, a date
  line, a "Nguồn:" line, <script>, <style>, <iframe>, <aside>, <footer>.
* cv4150-bnn.pdf - doc 17 (Bộ NN&PTNT) on 2 A5 pages: running header,
  "Trang N/M" footer, a "Co-" / "vid-19" line break, a title in the metadata.
* cv8079-vpcp.docx - doc 08 (Văn phòng Chính phủ): header table, paragraphs,
  signature table, a core-properties title.
* cv707-quangtri.md - doc 01 (UBND tỉnh Quảng Trị): headings, a bullet,
  **strong** and *emphasis*.
* cv11413-thuathienhue-cp1258.txt - doc 07 (UBND tỉnh Thừa Thiên Huế) in
  Windows-1258 (combining tone marks), CRLF, a "Ngày cập nhật" date line.
* cv668-vpcp-utf16.txt - doc 09 (Văn phòng Chính phủ) in UTF-16 LE with BOM.

Example:
    python scripts/make_samples.py /tmp/samples
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "corpus" / "docs"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def _doc(prefix: str) -> list[str]:
    """The non-empty lines of corpus/docs/<prefix>_*.txt."""
    (path,) = DOCS.glob(f"{prefix}_*.txt")
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def make_html(out: Path) -> Path:
    """A Lai Châu portal news page wrapping Công văn 846/UBND-TH (doc 06)."""
    body = _doc("06")
    caption = "Trụ sở UBND tỉnh Lai Châu"
    paras = "\n".join(f"        <p>{_esc(p)}</p>" for p in body[1:])
    html = f"""<!DOCTYPE html>
<html lang="vi">
<head>
  <meta charset="utf-8">
  <title>Báo cáo giải ngân kế hoạch đầu tư công năm 2019 - Cổng TTĐT tỉnh Lai Châu</title>
  <style>.menu {{ display: flex; }}</style>
  <script>var visits = 12345678; document.write("Online : " + visits);</script>
</head>
<body>
  <header class="site-header">
    <div class="logo">CỔNG THÔNG TIN ĐIỆN TỬ TỈNH LAI CHÂU</div>
  </header>
  <nav class="main-menu">
    <ul><li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu">Giới thiệu</a></li>
    <li><a href="/tin-tuc">Tin tức - Sự kiện</a></li>
    <li><a href="/van-ban">Văn bản chỉ đạo điều hành</a></li></ul>
  </nav>
  <ul class="breadcrumb"><li>Trang chủ</li><li>Tin tức - Sự kiện</li><li>Tin trong tỉnh</li></ul>
  <div class="container">
    <div class="col-main">
      <article class="news-detail">
        <header><h1>Báo cáo tình hình triển khai thực hiện và giải ngân
          kế hoạch đầu tư công năm 2019</h1></header>
        <div class="news-date">09:15:27 | 22/5/2019</div>
        <div class="tools">Chia sẻ <a href="#">Facebook</a> <a href="#">Zalo</a>
          <a href="#">In bài</a></div>
        <p><strong>{_esc(body[0])}</strong></p>
        <div class="image">
          <p>{caption}</p>
          <figure><img src="/images/tru-so.jpg" alt="{caption}">
            <figcaption>{caption}</figcaption></figure>
        </div>
{paras}
        <p class="source">Nguồn: Cổng thông tin điện tử tỉnh Lai Châu</p>
      </article>
      <iframe src="https://www.facebook.com/plugins/like.php">Không hỗ trợ iframe</iframe>
    </div>
    <aside class="col-right">
      <div class="box">Văn bản mới</div>
    </aside>
    <div class="box-lienket">
      <p>Liên kết Website</p>
      <select><option>Chính phủ</option><option>Bộ Kế hoạch và Đầu tư</option></select>
    </div>
    <div class="box-right">
      <p>Thống kê truy cập</p>
      <p>Online : 1254</p>
      <p>Đã truy cập : 12345678</p>
    </div>
  </div>
  <footer>Bản quyền thuộc UBND tỉnh Lai Châu.
    Ghi rõ nguồn khi phát hành lại thông tin từ website này.</footer>
</body>
</html>
"""
    path = out / "cv846-laichau.html"
    path.write_text(html, encoding="utf-8", newline="\n")
    return path


def make_pdf(out: Path) -> Path:
    """Công văn 4150/BNN-CN (doc 17) on A5 pages with a running header and footer."""
    from fpdf import FPDF

    lines = _doc("17")
    header_text = "BỘ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN"

    class Pdf(FPDF):  # type: ignore[misc]
        def header(self) -> None:
            self.set_font("DejaVu", size=8)
            self.cell(0, 5, header_text, align="C", new_x="LMARGIN", new_y="NEXT")
            self.ln(3)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", size=8)
            self.cell(0, 5, f"Trang {self.page_no()}/{{nb}}", align="C")

    pdf = Pdf(format=(148, 210))  # A5, in mm
    pdf.set_creation_date(dt.datetime(2021, 7, 20, 8, 0, tzinfo=dt.UTC))
    pdf.set_title("Công văn 4150/BNN-CN về tháo gỡ khó khăn trong vận chuyển vật tư nông nghiệp")
    pdf.set_author("Bộ Nông nghiệp và Phát triển nông thôn")
    pdf.set_producer("vndoc scripts/make_samples.py")
    pdf.set_creator("vndoc scripts/make_samples.py")
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.add_font("DejaVu", style="B", fname=str(FONT_BOLD))
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    pdf.set_font("DejaVu", style="B", size=11)
    pdf.multi_cell(0, 6, lines[0], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("DejaVu", size=12)
    for i, line in enumerate(lines[1:]):
        if i == 1:
            # A typesetter's break inside a loan word: "Co-" / "vid-19".
            line = line.replace("dịch Covid-19", "dịch Co-\nvid-19", 1)
        pdf.multi_cell(0, 7, line, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    path = out / "cv4150-bnn.pdf"
    path.write_bytes(bytes(pdf.output()))
    return path


def _fixed_zip(data: bytes, when: tuple[int, int, int, int, int, int]) -> bytes:
    """Rewrite a zip with fixed timestamps and order so its bytes are reproducible."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=when)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return buf.getvalue()


def make_docx(out: Path) -> Path:
    """Công văn 8079/VPCP-CN (doc 08): header table, paragraphs, signature table."""
    import docx

    lines = [ln.rstrip(" |").strip() for ln in _doc("08")]
    # lines: VĂN / PHÒNG CHÍNH PHỦ / CỘNG / HÒA XÃ HỘI ... / Số / Hà Nội / Kính gửi /
    # - Các Bộ / body x3 / "" / KT. / BỘ TRƯỞNG
    document = docx.Document()
    header = document.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "VĂN PHÒNG CHÍNH PHỦ"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    header.cell(0, 1).add_paragraph("Độc lập - Tự do - Hạnh phúc")
    header.cell(1, 0).text = lines[4]
    header.cell(1, 1).text = lines[5]
    document.add_paragraph(lines[6])
    document.add_paragraph(lines[7])
    for para in lines[8:11]:
        document.add_paragraph(para)
    sign = document.add_table(rows=1, cols=2)
    sign.cell(0, 1).text = "KT. BỘ TRƯỞNG, CHỦ NHIỆM"
    props = document.core_properties
    props.title = "Công văn 8079/VPCP-CN"
    props.author = "Văn phòng Chính phủ"
    props.last_modified_by = "Văn phòng Chính phủ"
    props.created = dt.datetime(2020, 9, 25, 8, 0, 0)
    props.modified = dt.datetime(2020, 9, 25, 8, 0, 0)
    props.last_printed = dt.datetime(2020, 9, 25, 8, 0, 0)
    props.revision = 1
    buf = io.BytesIO()
    document.save(buf)
    path = out / "cv8079-vpcp.docx"
    path.write_bytes(_fixed_zip(buf.getvalue(), (2020, 9, 25, 8, 0, 0)))
    return path


def make_markdown(out: Path) -> Path:
    """Công văn 707/UBND-KT (doc 01) as a Markdown note."""
    lines = _doc("01")
    # lines: CƠ QUAN TỔ CHỨC / THÔNG TIN Ý KIẾN / Quảng Trị / request /
    # THÔNG TIN PHẢN HỒI / UBND tỉnh ... / Giao ... / Theo ...
    task, _, deadline = lines[6].partition(" Hoàn thành")
    md = f"""# {lines[7].removeprefix("Theo ")} của UBND tỉnh {lines[2]}

**{lines[0].capitalize()}:** {lines[2]}

## {lines[1].capitalize()}

{lines[3]}

## {lines[4].capitalize()}

{lines[5]}

* {task} **Hoàn thành{deadline}**

*{lines[7]}*
"""
    path = out / "cv707-quangtri.md"
    path.write_text(md, encoding="utf-8", newline="\n")
    return path


def to_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: base letters precomposed, tone marks combining.

    Example:
        >>> to_cp1258("Sở")
        b'S\\xf5\\xd2'
    """
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out += (base + tones).encode("cp1258")
    return bytes(out)


def make_cp1258(out: Path) -> Path:
    """Doc 07 saved by a legacy Windows editor: Windows-1258, CRLF line ends."""
    text = (DOCS / next(p.name for p in DOCS.glob("07_*.txt"))).read_text(encoding="utf-8")
    path = out / "cv11413-thuathienhue-cp1258.txt"
    path.write_bytes(to_cp1258(text.replace("\n", "\r\n")))
    return path


def make_utf16(out: Path) -> Path:
    """Doc 09 saved as UTF-16 LE with a byte-order mark ("Unicode" in Notepad)."""
    text = next(DOCS.glob("09_*.txt")).read_text(encoding="utf-8")
    path = out / "cv668-vpcp-utf16.txt"
    path.write_bytes(b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le"))
    return path


MAKERS: tuple[Callable[[Path], Path], ...] = (
    make_html,
    make_pdf,
    make_docx,
    make_markdown,
    make_cp1258,
    make_utf16,
)


def make_samples(out: Path) -> list[Path]:
    """Write every sample into out (created if missing) and return their paths.

    Example:
        >>> [p.name for p in make_samples(Path("/tmp/s"))][:1]  # doctest: +SKIP
        ['cv846-laichau.html']
    """
    out.mkdir(parents=True, exist_ok=True)
    return [make(out) for make in MAKERS]


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python scripts/make_samples.py [OUT_DIR]``."""
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else ROOT / "corpus" / "samples"
    for path in make_samples(out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
