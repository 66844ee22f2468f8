"""Build tests/data/bad/: the bad-input corpus of issue #6, one file per case.

Run ``python scripts/make_bad_inputs.py [OUT_DIR] [--big]`` (default
tests/data/bad). Every case's expected outcome lives in
``tests/data/bad/expected.yaml`` (file -> ``ok``, or the error class and a
substring of the cause); ``tests/reliability/test_bad_inputs.py`` checks each
one through the loader, the whole pipeline and ``vndoc ingest``.

The small cases are committed. The big ones (a 50 MB text file, a
10,000-line list) are made at test time into a temporary folder by
:func:`make_big` and never committed; so are the symlink loops (see the test).

Text comes from ``corpus/docs/``, so the cases hold real Vietnamese official
text. Output is deterministic except the encrypted PDF's random file id.

Example:
    python scripts/make_bad_inputs.py /tmp/bad --big
"""

from __future__ import annotations

import datetime as dt
import io
import random
import sys
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "corpus" / "docs"
OUT = ROOT / "tests" / "data" / "bad"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
WHEN = (2024, 1, 1, 0, 0, 0)
sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_samples import to_cp1258  # noqa: E402 - one cp1258 writer for both scripts

# The body of Công văn 707/UBND-KT (corpus/docs/01): one task, one deadline, one reference.
TASK = (
    "Giao Sở Tài nguyên và Môi trường chủ trì, phối hợp với UBND huyện Gio Linh, "
    "các đơn vị địa phương liên quan rà soát, đề xuất UBND tỉnh xem xét theo quy định "
    "của pháp luật. Hoàn thành trước ngày 10/3/2023."
)
BODY = f"UBND tỉnh có ý kiến như sau:\n{TASK}\n\nTheo Công văn 707/UBND-KT ngày 28/02/2023\n"


def _doc_lines(prefix: str) -> list[str]:
    (path,) = DOCS.glob(f"{prefix}_*.txt")
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


# --------------------------------------------------------------------------
# Legacy encodings
# --------------------------------------------------------------------------


# TCVN3 (TCVN 5712:1993, the ".VnTime" fonts): one byte per lowercase letter with
# its marks; capitals with tone marks need the ".VnTimeH" font, which reuses the
# lowercase codes, so they are written with those.
_TCVN3_ROWS = {
    "a": "aµ¸¶·¹", "ă": "¨»¾¼½Æ", "â": "©ÇÊÈÉË", "e": "eÌÐÎÏÑ", "ê": "ªÒÕÓÔÖ",
    "i": "i×ÝØÜÞ", "o": "oßãáâä", "ô": "«åèæçé", "ơ": "¬êíëìî", "u": "uïóñòô",
    "ư": "­õøö÷ù", "y": "yúýûüþ",
}  # fmt: skip
_TCVN3 = {"đ": "®", "Đ": "§", "Ă": "¡", "Â": "¢", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦"}
for _base, _codes in _TCVN3_ROWS.items():
    for _tone, _code in zip(("", *"\u0300\u0301\u0309\u0303\u0323"), _codes, strict=True):
        if _code != _base:  # plain a e i o u y are themselves
            _TCVN3[unicodedata.normalize("NFC", _base + _tone)] = _code


def to_tcvn3(text: str) -> bytes:
    """Encode text the way a .VnTime document saved as plain text holds it."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        out.append(_TCVN3.get(ch) or _TCVN3.get(ch.lower()) or ch)
    return "".join(out).encode("latin-1")


# VNI Windows: an ASCII base letter followed by mark bytes (cp1252).
_VNI_MARK = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_HAT = {  # circumflex/breve combined with a tone
    ("\u0302", ""): "â", ("\u0302", "\u0301"): "á", ("\u0302", "\u0300"): "à",
    ("\u0302", "\u0309"): "å", ("\u0302", "\u0303"): "ã", ("\u0302", "\u0323"): "ä",
    ("\u0306", ""): "ê", ("\u0306", "\u0301"): "é", ("\u0306", "\u0300"): "è",
    ("\u0306", "\u0309"): "ú", ("\u0306", "\u0303"): "ü", ("\u0306", "\u0323"): "ë",
}  # fmt: skip
_VNI_I = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def to_vni(text: str) -> bytes:
    """Encode text the way a VNI-Times document saved as plain text holds it."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in "đĐ":
            out.append("ñ" if ch == "đ" else "Ñ")
            continue
        d = unicodedata.normalize("NFD", ch)
        base, marks = d[0], d[1:]
        if not marks or not base.isascii():
            out.append(ch)
            continue
        upper = base.isupper()
        tone = next((m for m in marks if m in _VNI_MARK), "")
        hat = next((m for m in marks if m in "\u0302\u0306"), "")
        horn = "\u031b" in marks
        if base.lower() == "i" and tone:
            code = _VNI_I[tone]
            out.append(code.upper() if upper else code)
            continue
        if horn:  # ơ and ư are one byte each ("ô", "ö"); the tone follows
            piece = ("ô" if base.lower() == "o" else "ö") + _VNI_MARK.get(tone, "")
        elif hat:
            piece = base + _VNI_HAT[(hat, tone)]
        else:
            piece = base + _VNI_MARK.get(tone, "")
        out.append(piece.upper() if upper else piece)
    return "".join(out).encode("cp1252")


# --------------------------------------------------------------------------
# PDF and DOCX
# --------------------------------------------------------------------------


def _pdf(lines: list[str], *, encrypt: tuple[str, str | None] | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format=(148, 210))  # A5
    pdf.set_creation_date(dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=10)
    if encrypt:
        pdf.set_encryption(owner_password=encrypt[0], user_password=encrypt[1])
    pdf.add_page()
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def good_pdf() -> bytes:
    return _pdf(_doc_lines("01"))


def scanned_pdf() -> bytes:
    """Two pages of drawings and no text: what a scan without OCR gives."""
    from fpdf import FPDF

    pdf = FPDF(format=(148, 210))  # A5
    pdf.set_creation_date(dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    for _ in range(2):
        pdf.add_page()
        for i in range(30):
            pdf.line(10, 10 + i * 6, 130, 10 + i * 6)
        pdf.rect(20, 20, 60, 40, style="F")
    return bytes(pdf.output())


def _zip(files: dict[str, bytes], *, level: int = 6) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=WHEN)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()


_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def docx_zip_bomb() -> bytes:
    """A "DOCX" whose document.xml inflates to 64 MB from 64 KB (1000:1)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr(zipfile.ZipInfo("[Content_Types].xml", date_time=WHEN), _CONTENT_TYPES)
        info = zipfile.ZipInfo("word/document.xml", date_time=WHEN)
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(64):
                fh.write(chunk)
    return buf.getvalue()


def docx_broken_xml() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": _CONTENT_TYPES,
            "word/document.xml": b"<w:document><w:body><w:p>unclosed",
        }
    )


def docx_without_document() -> bytes:
    """An OpenDocument-like zip: no word/document.xml."""
    return _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


def good_docx() -> bytes:
    import docx

    document = docx.Document()
    for line in _doc_lines("01"):
        document.add_paragraph(line)
    props = document.core_properties
    props.created = props.modified = props.last_printed = dt.datetime(2024, 1, 1)
    buf = io.BytesIO()
    document.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src:
        return _zip({i.filename: src.read(i.filename) for i in src.infolist()})


# --------------------------------------------------------------------------
# Text cases
# --------------------------------------------------------------------------


def junk(n: int, *, seed: int, nul: bool = True) -> bytes:
    rnd = random.Random(seed)
    data = bytes(rnd.randrange(256) for _ in range(n))
    return data if nul else data.replace(b"\0", b"\x01")


def legal_ref_lines(n: int = 400) -> str:
    kinds = [
        ("Nghị định số {i}/2022/NĐ-CP ngày 28/5/2022 của Chính phủ", 1),
        ("khoản {k} Điều {a} Luật Đầu tư số {i}/2020/QH14", 1),
        ("Quyết định số {i}/QĐ-TTg ngày 10/3/2023 của Thủ tướng Chính phủ", 1),
        ("Thông tư số {i}/2021/TT-BTC ngày 15/01/2021 của Bộ Tài chính", 1),
        ("Công văn số {i}/UBND-KT ngày 28/02/2023 của UBND tỉnh Quảng Trị", 1),
        ("Nghị quyết số {i}-NQ/TW ngày 10/10/2022 của Ban Chấp hành Trung ương", 1),
    ]
    out = []
    for i in range(1, n + 1):
        pattern = kinds[i % len(kinds)][0]
        out.append("Căn cứ " + pattern.format(i=i, k=i % 7 + 1, a=i % 90 + 1) + ";")
    return "\n".join(out) + "\n"


BAD_DATES = """UBND TỈNH BẮC GIANG
Số: 12/TB-UBND
Bắc Giang, ngày 31 tháng 02 năm 2024
THÔNG BÁO
Kết luận của Chủ tịch UBND tỉnh
1. Sở Tài chính chủ trì, hoàn thành trước ngày 31/02/2024.
2. Sở Xây dựng báo cáo kết quả trong quý V/2024.
3. Sở Công Thương hoàn thành xong trong tháng 13/2024.
4. Ban Quản lý các KCN tỉnh báo cáo chậm nhất ngày 00/01/2024.
5. Sở Nội vụ hoàn thành trước ngày 29/02/2023.
6. Sở Y tế hoàn thành trước ngày 32/12/2024 và trong quý 0/2025.
7. Sở Tư pháp hoàn thành trước ngày 30/02 năm 2024, chậm nhất ngày 31/4/2024.
8. Sở Tài chính hoàn thành trước ngày 29/02/2024 (năm nhuận: ngày có thật).
"""


def html_scripts() -> bytes:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Công văn 707</title>
<script>document.write("SCRIPT-TEXT"); alert("xss")</script>
<style>p {{ color: red }} /* STYLE-TEXT */</style></head>
<body onload="alert('ONLOAD-TEXT')">
<iframe src="javascript:alert('IFRAME-SRC')" srcdoc="<p>IFRAME-TEXT</p>">IFRAME-TEXT</iframe>
<noscript>NOSCRIPT-TEXT</noscript>
<object data="evil.swf">OBJECT-TEXT</object>
<svg><script>SVG-SCRIPT-TEXT</script></svg>
<template><p>TEMPLATE-TEXT</p></template>
<article><h1>Công văn 707/UBND-KT</h1>
<p>UBND tỉnh có ý kiến như sau:</p>
<p><a href="javascript:alert(1)" onclick="alert(2)">{TASK}</a></p>
<p>Theo Công văn 707/UBND-KT ngày 28/02/2023</p>
<script>var hidden = "SCRIPT-TEXT";</script>
</article></body></html>""".encode()


def html_deep() -> bytes:
    """5,000 unclosed nested <div>s, then the text: no recursion limit may trip."""
    return ("<html><body>" + "<div>" * 5000 + f"<p>{TASK}</p>" + "<b>" * 2000).encode()


def ten_thousand_items() -> str:
    agencies = ["Sở Tài chính", "Sở Xây dựng", "Sở Nội vụ", "Sở Y tế", "Ban Quản lý các KCN"]
    lines = ["UBND TỈNH BẮC NINH", "THÔNG BÁO", "Giao các cơ quan thực hiện các nhiệm vụ sau:"]
    for i in range(10_000):
        lines.append(
            f"- {agencies[i % 5]}: rà soát hồ sơ dự án số {i}, hoàn thành trước ngày "
            f"{i % 28 + 1}/{i % 12 + 1}/2025."
        )
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# The cases
# --------------------------------------------------------------------------

Builder = Callable[[], bytes]


def cases() -> dict[str, Builder]:
    """File name -> bytes builder, for the committed cases."""
    doc01 = "\n".join(_doc_lines("01")) + "\n"
    doc07 = "\n".join(_doc_lines("07")) + "\n"
    pdf = good_pdf()
    return {
        # empty and whitespace
        "empty.txt": lambda: b"",
        "whitespace-only.txt": lambda: b" \t\r\n\n   \r\n",
        "invisible-only.txt": lambda: "\ufeff\u200b\u00a0\u200d \u2060\n\u00ad".encode(),
        "empty.html": lambda: b"",
        "empty.pdf": lambda: b"",
        "empty.docx": lambda: b"",
        "markup-only.html": lambda: b"<html><head><script>x=1</script></head><body> </body>",
        "control-chars-only.txt": lambda: bytes(range(1, 9)) * 20,
        # binary junk with a text or PDF name
        "binary-junk.txt": lambda: junk(4096, seed=1),
        "binary-junk-no-nul.txt": lambda: junk(4096, seed=2, nul=False),
        "binary-junk.pdf": lambda: junk(4096, seed=3),
        "binary-junk.md": lambda: junk(2048, seed=4),
        "pdf-named.txt": lambda: pdf,
        "docx-named.pdf": lambda: good_docx(),
        "unknown-suffix.bin": lambda: junk(512, seed=5),
        # PDFs
        "truncated.pdf": lambda: pdf[: len(pdf) // 3],
        "header-only.pdf": lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        "corrupt-body.pdf": lambda: pdf[:200] + junk(3000, seed=6) + pdf[-200:],
        "encrypted.pdf": lambda: _pdf(_doc_lines("01"), encrypt=("owner-secret", "user-secret")),
        "encrypted-no-user-password.pdf": lambda: _pdf(_doc_lines("01"), encrypt=("owner", None)),
        "no-text-layer.pdf": scanned_pdf,
        # DOCX
        "zip-bomb.docx": docx_zip_bomb,
        "not-a-zip.docx": lambda: b"This is a Word 97 .doc renamed, or just text.\n" * 20,
        "truncated.docx": lambda: good_docx()[:700],
        "broken-xml.docx": docx_broken_xml,
        "odt-renamed.docx": docx_without_document,
        # HTML
        "scripts-iframes.html": html_scripts,
        "deeply-nested.html": html_deep,
        "unknown-charset.html": lambda: f'<meta charset="x-no-such-charset"><p>{TASK}</p>'.encode(),
        # encodings
        "windows-1258.txt": lambda: to_cp1258(doc07).replace(b"\n", b"\r\n"),
        "utf-16-le-bom.txt": lambda: doc01.encode("utf-16"),
        "utf-16-be-no-bom.txt": lambda: doc01.encode("utf-16-be"),
        "utf-32.txt": lambda: doc01.encode("utf-32"),
        "utf-8-bom-crlf.txt": lambda: b"\xef\xbb\xbf" + doc01.replace("\n", "\r\n").encode(),
        "bad-bytes-after-utf8-bom.txt": lambda: b"\xef\xbb\xbf" + junk(300, seed=7, nul=False),
        "tcvn3.txt": lambda: to_tcvn3(doc01),
        "vni.txt": lambda: to_vni(doc01),
        "mixed-nfd-nfc.txt": lambda: "\n".join(
            unicodedata.normalize("NFD" if i % 2 else "NFC", ln)
            for i, ln in enumerate(doc01.splitlines())
        ).encode(),
        # content
        "every-line-a-legal-ref.txt": lambda: legal_ref_lines().encode(),
        "impossible-dates.txt": lambda: BAD_DATES.encode(),
        "only-emphasis.md": lambda: b"**** __ ** * ** __\n\n****\n",
        "long-line-no-breaks.txt": lambda: (" ".join([TASK] * 600)).encode(),
        # names
        "Công văn số 707 của UBND tỉnh.txt": lambda: doc01.encode(),
        unicodedata.normalize("NFD", "Thông báo kết luận (tên NFD).txt"): lambda: BODY.encode(),
        "sidecar-bad.txt": lambda: BODY.encode(),
        "sidecar-bad.txt.meta.json": lambda: b"{not json",
    }


def make_bad_inputs(out: Path = OUT) -> list[Path]:
    """Write every committed case into ``out``; returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, build in cases().items():
        path = out / name
        path.write_bytes(build())
        paths.append(path)
    return paths


def make_fifty_megabytes(out: Path, *, size: int = 50 * 1024 * 1024) -> Path:
    """A text file one byte over ``size`` (the default loader limit)."""
    out.mkdir(parents=True, exist_ok=True)
    big = out / "fifty-megabytes.txt"
    block = (TASK + "\n").encode() * 4096
    with big.open("wb") as fh:
        written = 0
        while written + len(block) <= size:
            fh.write(block)
            written += len(block)
        fh.write(b"x" * (size + 1 - written))
    return big


def make_ten_thousand_items(out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    items = out / "ten-thousand-items.txt"
    items.write_text(ten_thousand_items(), encoding="utf-8")
    return items


def make_big(out: Path) -> dict[str, Path]:
    """The cases too big to commit: a 50 MB text file and a 10,000-item list.

    The 50 MB file must fail on its size alone, before anything is read.
    """
    return {
        "fifty-megabytes.txt": make_fifty_megabytes(out),
        "ten-thousand-items.txt": make_ten_thousand_items(out),
    }


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    big = "--big" in args
    args = [a for a in args if a != "--big"]
    out = Path(args[0]) if args else OUT
    paths = make_bad_inputs(out)
    if big:
        paths += list(make_big(out).values())
    for p in paths:
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
