"""Legacy Vietnamese encodings: tables, detection, and every loader path."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from pipeline.ingest import legacy
from pipeline.ingest.clean import clean
from pipeline.ingest.load import load, load_bytes

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import make_ocr_samples  # noqa: E402

BASES = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
LOWER = [unicodedata.normalize("NFC", b + t) for b in BASES for t in TONES] + ["đ"]
LETTERS = [c for c in LOWER + [c.upper() for c in LOWER] if not c.isascii()]


def test_the_alphabet_has_134_letters_beyond_ascii() -> None:
    assert len(set(LETTERS)) == 134


@pytest.mark.parametrize("encoding", ["vni", "viscii", "cp1258"])
def test_every_letter_round_trips(encoding: str) -> None:
    for ch in LETTERS:
        raw = legacy.encode(ch, encoding)
        assert legacy.decode(raw, encoding) == ch, (encoding, ch, raw)
    text = " ".join(LETTERS)
    assert legacy.decode(legacy.encode(text, encoding), encoding) == text


def test_tcvn3_round_trips_its_letters_and_restores_capitals_in_words() -> None:
    # VN3 has every lowercase letter and the capitals Ă Â Ê Ô Ơ Ư Đ ...
    exact = [c for c in LETTERS if c.islower() or c in "ĂÂÊÔƠƯĐ"]
    for ch in exact:
        # Inside a word: a converted letter starting a line is capitalized.
        word = f"n{ch}ng"
        assert legacy.decode(legacy.encode(word, "tcvn3"), "tcvn3") == word, ch
    # ... its toned capitals share the lowercase byte (an uppercase font draws
    # them), so case comes back from the word around them.
    for ch in LETTERS:
        if ch not in exact:
            word = f"N{ch}NG"
            assert legacy.decode(legacy.encode(word, "tcvn3"), "tcvn3") == word, word


@pytest.mark.parametrize(("encoding", "iconv"), [("viscii", "VISCII"), ("tcvn3", "TCVN5712-1")])
def test_tables_agree_with_glibc_iconv(encoding: str, iconv: str) -> None:
    if shutil.which("iconv") is None:
        pytest.skip("glibc's iconv is not installed: nothing to cross-check against")
    for ch in LETTERS:
        if encoding == "tcvn3" and not (ch.islower() or ch in "ĂÂÊÔƠƯĐ"):
            continue
        raw = legacy.encode(ch, encoding)
        out = subprocess.run(["iconv", "-f", iconv, "-t", "UTF-8"], input=raw,
                             capture_output=True, check=False)  # fmt: skip
        if out.returncode != 0 and b"" == out.stdout:
            pytest.skip(f"iconv here has no {iconv} table")
        assert unicodedata.normalize("NFC", out.stdout.decode()) == ch, (ch, raw)


@pytest.mark.parametrize(
    ("surface", "expected", "encoding"),
    [
        ("Céng hßa x· héi chñ nghÜa ViÖt Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam", "tcvn3"),
        ("UBND TØNH B¾C GIANG", "UBND TỈNH BẮC GIANG", "tcvn3"),
        ("Thñ t\u2212íng ChÝnh phñ", "Thủ tướng Chính phủ", "tcvn3"),  # PDF's U+2212 for ư
        ("Sôû Taøi chính tænh Baéc Ninh", "Sở Tài chính tỉnh Bắc Ninh", "vni"),
        ("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "vni"),
    ],
)
def test_surface_text_converts(surface: str, expected: str, encoding: str) -> None:
    text, used = legacy.convert_text(surface)
    assert text == expected
    assert used == (encoding,)


def test_an_ambiguous_line_takes_the_documents_encoding() -> None:
    # "Sè" is a syllable too; alone the line stays, in a TCVN3 document it converts.
    assert legacy.convert_text("Sè: 707/UBND-KT") == ("Sè: 707/UBND-KT", ())
    assert legacy.convert_text("Sè: 707/UBND-KT\nCéng hßa x· héi")[0] == (
        "Số: 707/UBND-KT\nCộng hòa xã hội"
    )
    assert legacy.convert_text("Sè: 707/UBND-KT", hint="tcvn3")[0] == "Số: 707/UBND-KT"


def test_mixed_document_converts_only_the_legacy_lines() -> None:
    header = legacy.encode("ỦY BAN NHÂN DÂN\nTỈNH BẮC GIANG", "tcvn3").decode("cp1252")
    body = "Kính gửi: Sở Tài chính, Sở Kế hoạch và Đầu tư.\nGiao Sở Công Thương chủ trì."
    text, used = legacy.convert_text(f"{header}\n{body}")
    assert text == f"ỦY BAN NHÂN DÂN\nTỈNH BẮC GIANG\n{body}"
    assert used == ("tcvn3",)


def test_unicode_corpus_is_never_converted() -> None:
    paths = sorted((ROOT / "corpus" / "seeds").glob("*.txt")) + sorted(
        (ROOT / "corpus" / "docs").glob("*.txt")
    )
    assert paths
    for path in paths:
        text = path.read_text("utf-8")
        assert legacy.convert_text(text) == (text, ()), path.name


def test_font_names() -> None:
    assert legacy.font_encoding("ABCDEF+.VnTimeH") == "tcvn3"
    assert legacy.font_encoding("VNI-Helve") == "vni"
    assert legacy.font_encoding("Times New Roman") is None


# --------------------------------------------------------------------------
# Through the loaders
# --------------------------------------------------------------------------


def _extracted(path: Path) -> dict[str, object]:
    from pipeline.ingest.run import process_file

    out = process_file(path).to_json()
    for key in ("id", "source", "meta"):
        out.pop(key, None)
    return out


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
@pytest.mark.parametrize("doc_id", ["000", "001", "002", "003", "004"])
def test_seed_in_legacy_encoding_extracts_like_the_original(
    tmp_path: Path, doc_id: str, encoding: str
) -> None:
    stem, text = make_ocr_samples.source_text(doc_id)
    original = tmp_path / f"{stem}.txt"
    original.write_text(text, encoding="utf-8")
    legacy_file = tmp_path / f"{stem}.{encoding}.txt"
    legacy_file.write_bytes(legacy.encode(text, encoding))
    raw = load(legacy_file)
    assert dict(raw.meta)["encoding"] == encoding
    want, got = _extracted(original), _extracted(legacy_file)
    if encoding == "vni":
        assert got == want
    else:
        # TCVN3 (VN3) has no toned capitals: what it can't store may differ in
        # case only in the text; every extracted item is the same.
        assert clean(raw.text).lower() == clean(load(original).text).lower()
        for key in ("doc", "tasks", "legal_refs", "agencies"):
            assert got.get(key) == want.get(key), key


def test_mixed_utf8_and_tcvn3_bytes_in_one_file() -> None:
    data = legacy.encode("UBND TỈNH BẮC GIANG", "tcvn3") + "\nKính gửi: Sở Tài chính".encode()
    raw = load_bytes(data, name="mixed.txt")
    assert raw.text == "UBND TỈNH BẮC GIANG\nKính gửi: Sở Tài chính"
    assert dict(raw.meta)["encoding"] == "utf-8+tcvn3"


def test_utf8_text_pasted_from_a_vntime_document() -> None:
    surface = legacy.encode("Sở Tài chính chủ trì", "tcvn3").decode("cp1252")
    raw = load_bytes(f"Kính gửi: {surface}".encode(), name="pasted.txt")
    assert raw.text == "Kính gửi: Sở Tài chính chủ trì"
    assert dict(raw.meta)["encoding"] == "utf-8+tcvn3"


def test_viscii_and_windows_1258_files() -> None:
    text = "Ủy ban nhân dân tỉnh giao Sở Tài chính chủ trì, phối hợp với Sở Xây dựng."
    for enc in ("viscii", "cp1258"):
        raw = load_bytes(legacy.encode(text, enc), name=f"a.{enc}.txt")
        assert raw.text == text, enc
        assert dict(raw.meta)["encoding"] == enc


def test_docx_runs_in_vntime_and_vni_fonts() -> None:
    import docx

    document = docx.Document()
    p = document.add_paragraph()
    run = p.add_run(legacy.encode("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "tcvn3").decode("cp1252"))
    run.font.name = ".VnTimeH"
    p = document.add_paragraph()
    run = p.add_run(legacy.encode("Sở Tài chính", "vni").decode("cp1252"))
    run.font.name = "VNI-Times"
    p.add_run(" chủ trì, phối hợp")  # a Unicode run in the same paragraph
    buf = io.BytesIO()
    document.save(buf)
    raw = load_bytes(buf.getvalue(), name="legacy.docx")
    assert raw.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSở Tài chính chủ trì, phối hợp"
    assert dict(raw.meta)["encoding"] == "tcvn3+vni"


def test_docx_soft_hyphen_is_tcvn3_u_horn() -> None:
    import docx
    from docx.oxml import OxmlElement

    document = docx.Document()
    run = document.add_paragraph().add_run("Thñ t")
    run.font.name = ".VnTime"
    run._r.append(OxmlElement("w:softHyphen"))
    tail = OxmlElement("w:t")
    tail.text = "íng"
    run._r.append(tail)
    buf = io.BytesIO()
    document.save(buf)
    assert load_bytes(buf.getvalue(), name="a.docx").text == "Thủ tướng"


def test_html_page_in_vntime() -> None:
    body = legacy.encode("Sở Tài chính chủ trì, phối hợp với Sở Xây dựng", "tcvn3")
    page = (b'<html><head><meta charset="windows-1252"></head><body>'
            b'<h1>Th\xf4ng b\xe1o</h1><p>' + body + b"</p></body></html>")  # fmt: skip
    raw = load_bytes(page, name="a.html")
    assert "Sở Tài chính chủ trì, phối hợp với Sở Xây dựng" in raw.text
    assert "tcvn3" in dict(raw.meta)["encoding"]


def test_pdf_text_layer_in_a_legacy_font(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", fname="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.set_font("DejaVu", size=12)
    pdf.add_page()
    surface = legacy.encode("Giao Sở Tài chính chủ trì thực hiện", "tcvn3").decode("cp1252")
    pdf.cell(0, 10, surface)
    path = tmp_path / "vntime.pdf"
    path.write_bytes(bytes(pdf.output()))
    raw = load(path)
    assert raw.text == "Giao Sở Tài chính chủ trì thực hiện"
    assert dict(raw.meta)["encoding"] == "tcvn3"


def test_footnote_marks_and_signs_in_unicode_text_stay() -> None:
    """#13: the layout reader writes footnotes as "¹ text"; TCVN3 reads "¹" as "ạ",
    "×" as "ì" and "bè" as "bố", so a Unicode text must not be taken for TCVN3."""
    text = (
        "các tỉnh Bắc Trung Bộ¹;\n¹ Quảng Ninh, Hải Phòng, Hưng Yên\n"
        "cắt giảm tối đa thủ tục hành chính², đạt dưới 70%¹⁰;\n"
        "nuôi lồng bè nước ngọt; 02 hội nghị/năm × 50 đại biểu"
    )
    assert legacy.convert_text(text) == (text, ())


def test_ocr_noise_in_a_unicode_line_is_not_a_legacy_encoding() -> None:
    # a scan's OCR text: Vietnamese letters with a stray Latin-1 sign or two
    text = (
        "GỐNG THÔNG TỊ ĐIỆN TỦ CHÍNH PHÙ | ÿ\\ +, VỆ .\n"
        "ĐẾN vuys412021..|— ÝNS. Tä “THỦ TƯỚNG CHÍNH PHỦ\n"
        "Số: 985/QĐ-TTg Hà Nội, ngày 15 tháng 9 năm 2024\n"
    )
    assert legacy.convert_text(text) == (text, ())


def test_pair_patterns_find_every_pair_from_its_second_character() -> None:
    import re

    vni = re.compile("[aeiouyAEIOUYôöÔÖ][ùÙ]|[aA][êÊ]|[aeoAEO][âÂ]")
    cp1258 = re.compile("[aeiouyAEIOUYâêôÂÊÔãõýÃÕÝ][ÌìÒÞò]")
    chars = sorted(set("aeiouyAEIOUYôöÔÖùÙêÊâÂÌìÒÞòãõýÃÕÝ xđ") | set(LETTERS))
    for a in chars:
        for b in chars:
            for text in (a + b, "x" + a + b + "x"):
                assert bool(legacy._VNI_MARK.search(text)) == bool(vni.search(text)), text
                assert bool(legacy._CP1258_TONE.search(text)) == bool(cp1258.search(text)), text


@pytest.mark.parametrize("text", ["Chính phủ¹, Thủ tướng", "thêi h¹n", "2 × 3", "¹ Các",
                                  "Sôû Taøi", "Sở Tài chính"])
def test_suspects_with_and_without_footnote_marks(text: str) -> None:
    import re

    stripped = legacy._FOOTNOTE_MARK.sub("", text)
    want = bool(legacy._suspect_re().search(stripped) or re.search(
        "[aeiouyAEIOUYôöÔÖ][ùÙ]|[aA][êÊ]|[aeoAEO][âÂ]", stripped) or re.search(
        "[aeiouyAEIOUYâêôÂÊÔãõýÃÕÝ][ÌìÒÞò]", stripped))
    assert legacy.has_suspects(text) == want
