"""The form-word fixes of pipeline/ingest/data/ocr_fixes.tsv: every row's
example becomes its expected line, rows are well formed, and the fixes leave
correct lines alone (#13 e)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

from pipeline.ingest.ocr import (
    _AMP_EIGHT,
    _DASH_SPECK,
    _dash_speck,
    _noise,
    _unclosed_quotes,
    fix_form_words,
    fix_ocr_chars,
    fix_place_names,
    item_semicolons,
    mend_words,
    restore_tones,
)

DOCS = Path(__file__).parents[2] / "corpus" / "pdf" / "docs"


def _rows() -> list[list[str]]:
    text = files("pipeline.ingest.data").joinpath("ocr_fixes.tsv").read_text("utf-8")
    return [ln.split("\t") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r[0])
def test_every_example_is_fixed(row: list[str]) -> None:
    assert len(row) == 5, row
    _id, _pattern, _replacement, example, expected = row
    assert fix_form_words(example) == expected
    assert fix_form_words(expected) == expected  # idempotent


@pytest.mark.parametrize("line", [
    "TỈNH QUẢNG NGÃI", "Số: 15/CT-TTg", "Tính đến ngày 14/5/2025, Việt Nam ghi nhận",
    "số ca mắc tăng", "Nơi nhận:", "KT. CHỦ TỊCH", "QUYẾT ĐỊNH:", "Chỉ thị này có hiệu lực",
])
def test_correct_lines_stay(line: str) -> None:
    assert fix_form_words(line) == line


@pytest.mark.parametrize(("word", "conf", "noise"), [
    ('"¬', 95.0, True),  # a character no Vietnamese text has
    ("<Š.¿", 0.0, True),
    ("Tửy", 29.7, True),  # unsure, and not a syllable
    ("tin", 21.3, False),  # unsure, but a syllable: kept
    ("COVID-19", 96.0, False),
    ("KH&CN", 90.0, False),
    ("Đắk", 40.0, False),
    ("x", 45.0, True),  # a speck read as a letter
    ("ở", 91.0, False),
])
def test_seal_marks_are_noise_words_are_not(word: str, conf: float, noise: bool) -> None:
    assert _noise(word, conf) is noise


@pytest.mark.parametrize(("read", "fixed"), [
    ("địa phương ngày 22 tháng l1 năm 2019;", "địa phương ngày 22 tháng 11 năm 2019;"),
    ("phòng, chống dịch Covid-]9", "phòng, chống dịch Covid-19"),
    ("ngày 17 tháng I1 năm 2O20", "ngày 17 tháng 11 năm 2020"),
    ("Sở Lao động — Thương binh và Xã hội", "Sở Lao động – Thương binh và Xã hội"),
    ("Căn cứ khoản I Điều 14 và Điều I, khoản 2", "Căn cứ khoản 1 Điều 14 và Điều 1, khoản 2"),
    ("Quyết định số 4180/2006/QĐĐ-UBND", "Quyết định số 4180/2006/QĐ-UBND"),
    # corpus/pdf 07 and 08
    ("Kế hoạch số 119/KH-BCĐ3§9QNg ngày 02/12", "Kế hoạch số 119/KH-BCĐ389QNg ngày 02/12"),
    ("Nghị quyết số 206/2025/QHI15", "Nghị quyết số 206/2025/QH15"),
    # a speck read as a stop glued between two syllables (a table cell of 17)
    ("Bộ Tài.nguyên và Môi trường", "Bộ Tài nguyên và Môi trường"),
])
def test_look_alike_characters_are_fixed(read: str, fixed: str) -> None:
    assert fix_ocr_chars(read) == fixed


@pytest.mark.parametrize("line", [
    "Luật số 67/2025/QH15", "Phụ lục II", "COVID-19", "Mục IV.1", "Lan-Ol", "Chương I",
    "Điều Inh", "Số: 12/UBND-KGVX", "Số: 5/HĐND-VP", "số 12/2015/TTLT-BTC-BNV", "464/TTg-CĐS",
    "giai đoạn 2025-2026 — ",
    "Số: 6§ /TB-UBND",  # a handwritten number's marks: not made a number
    # stops that are no specks: an initial, addresses, numbering, a name after a stop
    "Lưu: VT, N.chính (16B).", "sotp@quangngai.gov.vn", "thuvienphapluat.vn", "mục 5.2.1",
    "Tp.Hồ Chí Minh",
])
def test_words_and_symbols_keep_their_letters(line: str) -> None:
    assert fix_ocr_chars(line) == line


def test_lost_tone_marks_come_back_from_their_neighbours() -> None:
    assert restore_tones("Tô chức triên khai kê hoạch") == "Tổ chức triển khai kế hoạch"
    assert restore_tones("Đây mạnh công tác") == "Đẩy mạnh công tác"
    # A reading the corpus knows in its own right stays; so does a word alone.
    assert restore_tones("như sau đây: nhân dân") == "như sau đây: nhân dân"
    assert restore_tones("tô") == "tô"


@pytest.mark.parametrize(("read", "fixed"), [
    # Marks OCR misread on a syllable that is valid on its own (corpus/pdf 06, 12, 17).
    ("Cục Thị hành án dân sự", "Cục Thi hành án dân sự"),
    ("Đề chủ động ứng phó", "Để chủ động ứng phó"),
    ("săn sàng ứng phó", "sẵn sàng ứng phó"),
    ("kinh tế tuân hoàn", "kinh tế tuần hoàn"),
])
def test_misread_marks_come_back_from_their_neighbours(read: str, fixed: str) -> None:
    assert restore_tones(read) == fixed


def test_a_word_that_fits_anywhere_is_told_by_a_bound_syllable_before_it() -> None:
    # "củng" is only ever written before "cố": "có" after it is "cố" misread,
    # though "có" goes with anything and is never changed on other grounds.
    assert restore_tones("Củng có, kiện toàn Ban Chỉ huy") == "Củng cố, kiện toàn Ban Chỉ huy"
    assert restore_tones("trật từ an toàn giao thông") == "trật tự an toàn giao thông"
    assert restore_tones("chúng tôi có, kiện toàn") == "chúng tôi có, kiện toàn"


@pytest.mark.parametrize("line", [
    "các bản án, quyết định",  # "các ban" is frequent, but "các" goes with anything
    "Tết Nhâm Dần và",  # "dân và" is frequent, but "và" goes with anything
    "không để tồn đọng",  # "để" fits anywhere: never changed
    "đề xuất, đề nghị",
    "Phạm Thị Thanh Trà",  # a name: "thanh tra" is frequent, "Trà" is right
])
def test_right_readings_stay(line: str) -> None:
    assert restore_tones(line) == line


def test_a_rules_remains_glued_to_a_word_are_split_off() -> None:
    from pipeline.ingest.ocr import _tsv_scored

    header = "\t".join(("level page_num block_num par_num line_num word_num left top width "
                        "height conf text").split())
    rows = [header,
            "5\t1\t1\t1\t1\t1\t100\t10\t50\t20\t90\tban|-",
            "5\t1\t1\t1\t1\t2\t160\t10\t40\t20\t90\tCác",
            "5\t1\t1\t1\t1\t3\t205\t10\t5\t20\t90\t|"]
    words = [box[4] for box, _conf in _tsv_scored("\n".join(rows), 1.0)]
    assert words == ["ban", "-", "Các"]  # "ban|-" was dropped whole as a seal's mark
    # A mark with no word beside the bar stays whole, and goes as noise: a
    # handwritten day "31" read as "3|" must not become the day "3".
    rows[1] = "5\t1\t1\t1\t1\t1\t100\t10\t50\t20\t90\t3|"
    assert [box[4] for box, _conf in _tsv_scored("\n".join(rows), 1.0)] == ["Các"]


def test_a_place_date_line_gets_back_its_lost_ngay() -> None:
    assert fix_place_names("Hà Nội, tháng 4 năm 2026") == "Hà Nội, ngày tháng 4 năm 2026"
    assert fix_place_names("Quảng Ngãi, tháng 01 năm 2025") == "Quảng Ngãi, ngày tháng 01 năm 2025"
    # Not a province: not a place-date line.
    assert fix_place_names("Hội nghị, tháng 4 năm 2026") == "Hội nghị, tháng 4 năm 2026"


@pytest.mark.parametrize(("read", "fixed"), [
    # corpus/pdf 07: "H5N8" read "H5N&"; names with "&" keep it
    ("lợn Châu Phi, Cúm A/H5N&...) và", "lợn Châu Phi, Cúm A/H5N8...) và"),
    ("Sở: Tài chính, KH&CN; Ban QLDA DD&CN", "Sở: Tài chính, KH&CN; Ban QLDA DD&CN"),
    # corpus/pdf 06: a speck between "công" and "chức"; a dash between no pair stays
    ("đến cán bộ, công – Chức, viên chức", "đến cán bộ, công chức, viên chức"),
    ("phát triển kinh tế - xã hội", "phát triển kinh tế - xã hội"),
    # corpus/pdf 09: "Số: 2191/CT-CS" written by hand, its "1" read as a slash; a
    # number/year/code symbol keeps its slashes
    ("Số: 2/91/CT-CS", "Số: 2191/CT-CS"),
    ("Số: 12/2025/NĐ-CP", "Số: 12/2025/NĐ-CP"),
    # corpus/pdf 17: specks read as quote marks before a word in lower case
    ("kinh tế tuần 'hoàn gắn với", "kinh tế tuần hoàn gắn với"),
    ('sản xuất kinh doanh, "dịch vụ, sản phẩm', "sản xuất kinh doanh, dịch vụ, sản phẩm"),
    # a quotation that closes stays, in straight or curly marks
    ('Cuộc vận động "Người Việt Nam ưu tiên", "xanh hóa" sản xuất',
     'Cuộc vận động "Người Việt Nam ưu tiên", "xanh hóa" sản xuất'),
    ("tinh thần “quyết tâm cao", "tinh thần “quyết tâm cao"),
])
def test_specks_read_as_marks_go(read: str, fixed: str) -> None:
    assert fix_ocr_chars(read) == fixed


def test_a_list_items_semicolon_read_as_a_colon_comes_back() -> None:
    # corpus/pdf 07 (its report list) and 09 (its Nơi nhận) as Tesseract reads them
    read = ["- Báo cáo nhanh kết quả hoạt động trong 3 ngày Tết (nhằm ngày 03, tháng Giêng):",
            "- Báo cáo tổng hợp tình hình trước, trong và sau Tết;",
            "Nơi nhận:", "- Như trên;", "- Cục QLGS CST:", "- Ban PC:", "- Lưu: VT, CS."]
    assert item_semicolons(read) == [
        read[0][:-1] + ";", read[1], "Nơi nhận:", "- Như trên;", "- Cục QLGS CST;", "- Ban PC;",
        "- Lưu: VT, CS."]
    # an item that opens a list of the level below keeps its colon
    assert item_semicolons(["- Các sở:", "+ Sở Tài chính;"]) == ["- Các sở:", "+ Sở Tài chính;"]


def test_clean_texts_are_left_as_they_are() -> None:
    # the typed copies of corpus/pdf: what these fixes would change in a correct text
    changed = []
    for path in sorted(DOCS.glob("*.txt")):
        lines = path.read_text("utf-8").splitlines()
        if item_semicolons(lines) != lines:
            changed.append(path.name)
        changed += [f"{path.name}: {ln}" for ln in lines if _unclosed_quotes(
            _AMP_EIGHT.sub(r"\g<1>8", ln)) != ln or _DASH_SPECK.sub(_dash_speck, ln) != ln]
    assert changed == []


def test_look_alike_letters_read_for_one_are_mended_where_neighbours_vouch() -> None:
    # corpus/pdf 17's table: "ban hành" read "bari hành"
    assert mend_words("Xây dựng, bari hành các bộ chỉ số") == "Xây dựng, ban hành các bộ chỉ số"
    # a word the neighbours do not vouch for stays ("Bari" a name, "bari" alone)
    assert mend_words("nguyên tố bari") == "nguyên tố bari"


def _tsv(words: list[tuple[int, int, str]]) -> str:
    """A one-block TSV: (line, conf, text) per word, boxes in a row."""
    header = "\t".join(("level page_num block_num par_num line_num word_num left top width "
                        "height conf text").split())
    rows = [header]
    for k, (line, conf, text) in enumerate(words):
        rows.append(f"5\t1\t1\t1\t{line}\t{k}\t{100 + 60 * k}\t{10 + 40 * line}\t50\t20\t"
                    f"{conf}\t{text}")
    return "\n".join(rows)


def test_a_syllable_read_unsurely_stays_in_a_line_read_surely() -> None:
    from pipeline.ingest.ocr import _tsv_scored

    body = [(1, 96, w) for w in "và các ông, bà có tên tại Điều căn cứ Quyết định thi".split()]
    # "thi hành" is a pair the corpus texts write; "thi Mìn" is none
    words = [b[4] for b, _c in _tsv_scored(_tsv([*body, (1, 0, "hành.")]), 1.0)]
    assert words[-2:] == ["thi", "hành."]
    # A signature block's short line: the same word scored 0 is a seal's mark.
    short = [(1, 60, "Nguyễn"), (1, 55, "Văn"), (1, 0, "hành.")]
    assert [b[4] for b, _c in _tsv_scored(_tsv(short), 1.0)] == ["Nguyễn", "Văn"]
    # A seal's marks read as a syllable make no pair: they go even from a line read surely.
    assert [b[4] for b, _c in _tsv_scored(_tsv([*body, (1, 0, "Mìn")]), 1.0)][-1] == "thi"


def test_an_articles_number_read_as_a_letter_is_kept_to_be_mended() -> None:
    from pipeline.ingest.ocr import _tsv_scored

    words = [(1, 97, "tại"), (1, 93, "Điêu"), (1, 41, "I"), (1, 96, "căn")]
    kept = [b[4] for b, _c in _tsv_scored(_tsv(words), 1.0)]
    assert kept == ["tại", "Điêu", "I", "căn"]
    assert fix_ocr_chars(" ".join(kept)) == "tại Điêu 1 căn"
    # a lone letter read unsurely elsewhere is a speck
    words[1] = (1, 93, "phải")
    assert [b[4] for b, _c in _tsv_scored(_tsv(words), 1.0)] == ["tại", "phải", "căn"]


def test_specks_after_a_letters_last_word_go() -> None:
    from pipeline.ingest.ocr import _junk_line, _noise, _without_tail

    assert _without_tail("định./.&_~") == "định./."
    assert not _noise(_without_tail("định./.&_~"), 0.0)
    assert _without_tail("KH&") == "KH&"
    assert fix_ocr_chars("căn cứ Quyết định thi hành. -") == "căn cứ Quyết định thi hành./."
    assert fix_ocr_chars("ngày 1. - Hà Nội") == "ngày 1. - Hà Nội"
    # the end of a sentence wrapped onto its own line is no seal's mark
    assert not _junk_line("02163.852708).")
    assert _junk_line("12") and _junk_line("lệ +")


def test_a_word_that_lost_its_vowel_is_mended_from_its_neighbours() -> None:
    from pipeline.ingest.ocr import mend_words

    # "tổng kết" read "tông kt" (a table cell of 17): "kt" counts as an
    # acronym's key ("KT."), yet in lower case with no vowel it is no word; the
    # neighbour vouches for "kết" with its marks put back, and then gets them.
    assert restore_tones(mend_words("sơ kết, tông kt tình hình")) == "sơ kết, tổng kết tình hình"
    # capitals, units and addresses keep their letters
    for line in ("Lưu: VT, KT.", "giá 20.000 đồng/kg thịt", "email: ntttrang@gdt.gov.vn"):
        assert mend_words(line) == line


def test_marks_inside_a_line_read_surely_are_read_again_alone() -> None:
    from pipeline.ingest.ocr import _doubtful

    # corpus/pdf 03: the italic "(nếu" of "(nếu có)" read "(@¡ếu", confidence 0
    body = [(1, 95, w) for w in "giải quyết những khó khăn trong quá trình thực hiện".split()]
    tsv = _tsv([*body, (1, 0, "(@¡ếu"), (1, 93, "có).")])
    assert len(_doubtful(tsv)) == 1
    x0, _y0, x1, _y1 = _doubtful(tsv)[0]
    assert (x0, x1) == (100 + 60 * len(body), 150 + 60 * len(body))
    # a word read surely, a speck, and marks in a line read unsurely are not
    assert _doubtful(_tsv([*body, (1, 96, "(nếu")])) == []
    assert _doubtful(_tsv([*body, (1, 0, "¡")])) == []
    assert _doubtful(_tsv([(1, 40, "Nguyễn"), (1, 0, "(@¡ếu"), (1, 35, "Văn")])) == []
