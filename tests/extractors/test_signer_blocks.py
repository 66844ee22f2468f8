"""The signature block as scans read it: a deputy's block whose mark and first
words a seal covered, a name lost under the seal, a name broken over lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.metadata import find_signer

DOCS = Path(__file__).parents[2] / "corpus" / "docs"
LIST = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n"


@pytest.mark.parametrize(
    ("block", "name", "title", "authority"),
    [
        # corpus/pdf 06 as Tesseract reads it under a black seal: "KT. CHỦ TỊCH /
        # PHÓ CHỦ TỊCH" lost its mark and first words
        ("C TỊCH\nTỊCH\nPhạm Trường Thọ", "Phạm Trường Thọ", "Phó Chủ tịch", ("KT.",)),
        ("THỦ TƯỚNG\nVÀ TƯỚNG\nTrần Hồng Hà", "Trần Hồng Hà", "Phó Thủ tướng", ("KT.",)),
        # read whole, the block is as it was
        (
            "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nPhạm Trường Thọ",
            "Phạm Trường Thọ",
            "Phó Chủ tịch",
            ("KT.",),
        ),
        ("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nĐặng Văn Minh", "Đặng Văn Minh", "Chủ tịch", ("TM.",)),
        # two lines with different heads are no deputy's block
        (
            "CHỦ TỊCH\nCHÁNH VĂN PHÒNG\nNguyễn Văn An",
            "Nguyễn Văn An",
            "Chủ tịch Chánh Văn phòng",
            (),
        ),
        # "KT." over a head with the deputy's line lost under the seal (corpus/pdf 08
        # read on its own); a head whose deputy is not "PHÓ" + it gets no title
        ("KT RỦ TƯỚNG\nThanh Trà", "Thanh Trà", "Phó Thủ tướng", ("KT.",)),
        ("KT. BỘ TRƯỞNG\nNguyễn Văn An", "Nguyễn Văn An", None, ("KT.",)),
        # a name broken after its second syllable
        ("KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nLê Tấn\nCận", "Lê Tấn Cận", "Thứ trưởng", ("KT.",)),
    ],
)
def test_signature_blocks(
    block: str, name: str, title: str | None, authority: tuple[str, ...]
) -> None:
    s = find_signer(LIST + block)
    assert s is not None
    assert (s.name, s.title, s.authority) == (name, title, authority)


def test_a_name_read_as_marks_under_the_seal_leaves_the_title() -> None:
    # corpus/pdf 17: the decision's block, then the Kế hoạch it issues; the name
    # under the seal is read as marks, the next page's header misread
    text = (
        "Điều 1. Phê duyệt Kế hoạch.\n" * 8
        + LIST
        + "KT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG\n“ẤN bự ằng Hà\n(em VÀ HÍNH PHỦ\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nKẾ HOẠCH\n"
        + "Nội dung kế hoạch.\n"
        * 12
    )
    s = find_signer(text)
    assert s is not None and (s.name, s.title, s.authority) == (None, "Phó Thủ tướng", ("KT.",))
    # without an authority, marks after capitals are no signature block
    assert find_signer(LIST + "QUYẾT ĐỊNH\nbự ằng") is None


def test_a_block_followed_by_a_rule_is_found() -> None:
    # corpus/docs 604: the name, then a table's pipe and a rule of underscores
    s = find_signer((DOCS / "604_bnv-cv10988-tuyen-truyen-2025.txt").read_text("utf-8"))
    assert s is not None and (s.name, s.title, s.authority) == (
        "Trương Hải Long",
        "Thứ trưởng",
        ("KT.",),
    )
