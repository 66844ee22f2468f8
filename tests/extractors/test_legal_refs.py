"""Legal references: grammar table, gazetteers, spans, speed and the gold."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.legal_refs import (
    RefQuery,
    canonical_ref_key,
    doc_type_for_code,
    doc_type_names,
    doc_types,
    find_legal_refs,
    issuer_for_code,
    law_names,
    parse_ref_query,
    parse_symbol,
)
from extractors.model import Document
from extractors.rules import compile_folded, load_model, pattern_table
from extractors.textnorm import match_text

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"


def doc(text: str) -> Document:
    return Document(id="t", source="t", text=text)


def ref(canonical: str, **fields: Any) -> dict[str, Any]:
    """Expected-value factory: canonical plus the fields that matter."""
    return {"canonical": canonical, **fields}


def found(text: str, own: str | None = None) -> list[dict[str, Any]]:
    refs = find_legal_refs(doc(text), own_number=own)
    return [
        {
            "canonical": r.canonical,
            "text": r.text,
            "type": r.type,
            "number": r.number,
            "article": r.article,
            "clause": r.clause,
            "point": r.point,
            "date": r.date,
            "issuer": r.issuer,
        }
        for r in refs
    ]


def subset(got: list[dict[str, Any]], expected: list[dict[str, Any]]) -> bool:
    if len(got) != len(expected):
        return False
    return all(all(g.get(k) == v for k, v in e.items()) for g, e in zip(got, expected, strict=True))


CASES = [
    ("theo Nghị định 29/2021/NĐ-CP.", [ref("Nghị định 29/2021/NĐ-CP", issuer="Chính phủ")]),
    ("Nghị quyết số 68-NQ/TW", [ref("Nghị quyết 68-NQ/TW", issuer="Trung ương Đảng")]),
    ("Nghị quyết số 198/2025/QH15", [ref("Nghị quyết 198/2025/QH15", issuer="Quốc hội")]),
    ("Thông tư 01/2021/TT-BTC", [ref("Thông tư 01/2021/TT-BTC", issuer="Bộ Tài chính")]),
    ("Công văn số 707/UBND-KT", [ref("Công văn 707/UBND-KT", issuer="Ủy ban nhân dân")]),
    ("Thông báo số 45/TB-UBND", [ref("Thông báo 45/TB-UBND")]),
    ("Quyết định 1944/QĐ-TTg", [ref("Quyết định 1944/QĐ-TTg", issuer="Thủ tướng Chính phủ")]),
    ("Công văn 4150/BNN-CN", [ref("Công văn 4150/BNN-CN")]),
    ("Chỉ thị số 26-CT/TU", [ref("Chỉ thị 26-CT/TU", issuer="Tỉnh ủy")]),
    ("Kết luận số 13-KL/TW", [ref("Kết luận 13-KL/TW")]),
    ("Kế hoạch số 112/KH-UBND", [ref("Kế hoạch 112/KH-UBND")]),
    ("Tờ trình số 2085/TTr-BYT", [ref("Tờ trình 2085/TTr-BYT", issuer="Bộ Y tế")]),
    ("Hướng dẫn số 36-HD/BTGTW", [ref("Hướng dẫn 36-HD/BTGTW")]),
    (
        "Thông tư liên tịch số 03/2016/TTLT-BTC-BNV",
        [ref("Thông tư liên tịch 03/2016/TTLT-BTC-BNV")],
    ),
    ("theo TCVN 4054:2005", [ref("TCVN 4054:2005", type="TCVN", number="4054:2005")]),
    ("TCVN ISO 9001:2015", [ref("TCVN ISO 9001:2015", number="ISO 9001:2015")]),
    # pinpoints and dates
    (
        "khoản 4 Điều 9 Nghị định số 35/2022/QĐ-CP ngày 28/5/2022 của Chính phủ",
        [
            ref(
                "Nghị định 35/2022/NĐ-CP",
                text="khoản 4 Điều 9 Nghị định số 35/2022/QĐ-CP ngày 28/5/2022",
                number="35/2022/NĐ-CP",
                article="9",
                clause="4",
                date="2022-05-28",
            )
        ],
    ),
    (
        "điểm a khoản 2 Điều 5 Thông tư 01/2021/TT-BTC",
        [ref("Thông tư 01/2021/TT-BTC", point="a", clause="2", article="5")],
    ),
    (
        "khoản 1, khoản 2 Điều 3 Nghị định 35/2022/NĐ-CP",
        [ref("Nghị định 35/2022/NĐ-CP", clause="1, 2", article="3")],
    ),
    ("Điều 5 đến Điều 7 Nghị định 35/2022/NĐ-CP", [ref("Nghị định 35/2022/NĐ-CP", article="5-7")]),
    (
        "điểm a, điểm đ khoản 1 Điều 3 Luật Đất đai",
        [ref("Luật Đất đai", point="a, đ", clause="1", article="3")],
    ),
    (
        "văn bản số 5916/BKHĐT-KTĐPLT ngày 09 tháng 9 năm 2020",
        [ref("Công văn 5916/BKHĐT-KTĐPLT", date="2020-09-09")],
    ),
    ("Thông báo số 45/TB-UBND ngày 16-8-2021", [ref("Thông báo 45/TB-UBND", date="2021-08-16")]),
    # văn bản số: the type comes from the symbol
    ("văn bản số 850/BC-TTĐT", [ref("Báo cáo 850/BC-TTĐT")]),
    ("văn bản số 202/TB-VPCP", [ref("Thông báo 202/TB-VPCP")]),
    ("văn bản số 2764/UBND-DA", [ref("Công văn 2764/UBND-DA")]),
    # typos: the word wins, Chị thị, broken symbols, missing accents
    (
        "Chị thị số 26/CT-TU ngày 02/6/2023",
        [ref("Chỉ thị 26/CT-TU", type="Chỉ thị", date="2023-06-02")],
    ),
    ("Nghị định số 35/2022/ NĐ-CP", [ref("Nghị định 35/2022/NĐ-CP")]),
    ("Nghị định số 35/2022/\nNĐ-CP", [ref("Nghị định 35/2022/NĐ-CP")]),
    ("Công văn số 846 /UBND-TH", [ref("Công văn 846/UBND-TH")]),
    ("Nghi dinh so 35/2022/ND-CP", [ref("Nghị định 35/2022/NĐ-CP", type="Nghị định")]),
    ("Điều 117 NĐ 31/2021/NĐ-CP", [ref("Nghị định 31/2021/NĐ-CP", article="117")]),
    # named laws
    (
        "Luật Đầu tư năm 2020",
        [ref("Luật Đầu tư 2020", type="Luật", number=None, issuer="Quốc hội")],
    ),
    ("Luật Đất đai 2013", [ref("Luật Đất đai 2013")]),
    ("theo quy định của Luật Đất đai;", [ref("Luật Đất đai", number=None)]),
    ("Bộ luật Lao động", [ref("Bộ luật Lao động", type="Bộ luật")]),
    (
        "Điều 77 Luật Đầu tư và Điều 117 Nghị định số 31/2021/NĐ-CP",
        [ref("Luật Đầu tư", article="77"), ref("Nghị định 31/2021/NĐ-CP", article="117")],
    ),
    (
        "Luật Tổ chức Chính quyền địa\nphương ngày 19/6/2015",
        [ref("Luật Tổ chức chính quyền địa phương 2015", date="2015-06-19")],
    ),
    # short forms repeat an earlier full citation
    (
        "Nghị định số 35/2022/NĐ-CP quy định ... theo Nghị định số 35/2022 và Nghị định 35.",
        [ref("Nghị định 35/2022/NĐ-CP")] * 3,
    ),
    ("Nghị quyết 68-NQ/TW ... Nghị quyết 68", [ref("Nghị quyết 68-NQ/TW")] * 2),
    # lists of bare numbers after a lead
    (
        "tại các văn bản: số 4282/VPCP-KGVX ngày 10/7/2022, số 202/TB-VPCP ngày 11/7/2022 của VPCP",
        [
            ref("Công văn 4282/VPCP-KGVX", date="2022-07-10"),
            ref("Thông báo 202/TB-VPCP", date="2022-07-11"),
        ],
    ),
    ("bare 35/2022/NĐ-CP in text", [ref("Nghị định 35/2022/NĐ-CP")]),
    # not references
    ("Nghị định số 35/2022 không có trích dẫn đầy đủ trước đó", []),
    ("Quyết định này có hiệu lực. Nghị quyết của Chính phủ.", []),
    ("theo quy định của pháp luật đất đai", []),
    ("Luật sư Nguyễn Văn A", []),
    ("Số lượt xem: 37, có 12/16 KCN, đạt 2 - 3 KCN/năm", []),
    ("Nghị định này; Mục 4 Chương IV", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_find_legal_refs(text: str, expected: list[dict[str, Any]]) -> None:
    got = found(text)
    assert subset(got, expected), got


def test_own_number_is_excluded() -> None:
    text = "Công văn số 846 /UBND-TH về việc ... Công văn số 3145/BKHĐT-KTĐPLT"
    assert [r["number"] for r in found(text, own="846/UBND-TH")] == ["3145/BKHĐT-KTĐPLT"]


def test_refs_are_sorted_and_non_overlapping() -> None:
    text = " ".join(c[0] for c in CASES)
    refs = find_legal_refs(doc(text))
    assert refs == sorted(refs, key=lambda r: r.start)
    assert all(a.end <= b.start for a, b in zip(refs, refs[1:], strict=False))


# -- tables ---------------------------------------------------------------------


def _rows(name: str) -> list[tuple[str, str, str, bool]]:
    table = pattern_table(name)
    out = []
    for row in table.rows:
        out += [(name, row.id, ex, True) for ex in row.examples]
        out += [(name, row.id, ex, False) for ex in row.counter_examples]
    return out


@pytest.mark.parametrize(("table", "row_id", "example", "should_match"), _rows("legal_refs.yaml"))
def test_table_examples(table: str, row_id: str, example: str, should_match: bool) -> None:
    t = pattern_table(table)
    row = next(r for r in t.rows if r.id == row_id)
    m = compile_folded(t, row).search(match_text(example))
    if should_match:
        assert m is not None and m.group(0) == match_text(example), (row_id, example, m)
    else:
        assert m is None or m.group(0) != match_text(example), (row_id, example)


def test_every_row_has_examples_and_counter_examples() -> None:
    for row in pattern_table("legal_refs.yaml").rows:
        assert row.examples and row.counter_examples, row.id


@pytest.mark.parametrize("row", doc_types(), ids=lambda r: r.id)
def test_doc_type_examples(row: Any) -> None:
    for example in row.examples:
        sym = parse_symbol(example)
        assert (sym.type_code in row.codes) if row.codes else sym.type_code is None, example


def test_doc_type_lookups() -> None:
    assert doc_type_for_code("NĐ") == "Nghị định"
    assert doc_type_for_code("ND") == "Nghị định"
    assert doc_type_for_code("QĐ") == "Quyết định"
    assert doc_type_for_code("QyĐ") == "Quy định"
    assert doc_type_for_code("TTr") == "Tờ trình"
    assert doc_type_for_code("UBND") is None
    names = doc_type_names()
    assert {"Nghị định", "Công văn", "Chỉ thị", "Kết luận", "TCVN"} <= set(names)


def test_type_words_cover_doc_types() -> None:
    """Every doc type with a code appears as a type word in legal_refs.yaml."""
    frag = match_text(pattern_table("legal_refs.yaml").fragments["type_word"])
    frag = frag.replace("\\s+", " ")
    missing = [
        r.name
        for r in doc_types()
        if r.codes and r.normative is False and match_text(r.name) not in frag
    ]
    assert set(missing) <= {
        "Lệnh",
        "Quy chế",
        "Thông cáo",
        "Dự án",
        "Biên bản",
        "Bản ghi nhớ",
        "Bản thỏa thuận",
        "Giấy ủy quyền",
        "Giấy mời",
        "Giấy giới thiệu",
        "Giấy nghỉ phép",
        "Phiếu gửi",
        "Phiếu chuyển",
        "Phiếu báo",
    }, missing


def test_issuer_examples() -> None:
    from extractors.legal_refs import IssuerTable

    for row in load_model("issuers.yaml", IssuerTable).rows:
        for example in row.examples:
            sym = parse_symbol(example)
            assert sym.issuer_code is not None and issuer_for_code(sym.issuer_code) == row.name, (
                row.id,
                example,
            )


def test_law_names_are_longest_first() -> None:
    names = [v for k, v in law_names().items() if match_text(v) == k]  # names, not initials
    assert len(names) > 100
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not match_text(b).startswith(match_text(a) + " "), (a, b)


def test_initials_name_a_law_of_the_gazetteer() -> None:
    full = {match_text(v) for k, v in law_names().items() if match_text(v) == k}
    initials = {k: v for k, v in law_names().items() if match_text(v) != k}
    assert len(initials) >= 15
    for abbrev, name in initials.items():
        assert match_text(name) in full, (abbrev, name)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # initials of a law's name
        (
            "theo Luật PCTN năm 2018 và",
            [("Luật PCTN năm 2018", "Luật Phòng, chống tham nhũng 2018")],
        ),
        # a Central Committee symbol written the administrative way
        (
            "Nghị quyết số 27/NQ- TW ngày 09/11/2022",
            [("Nghị quyết số 27/NQ- TW ngày 09/11/2022", "Nghị quyết 27-NQ/TW")],
        ),
        # a list that goes on without "số"
        (
            "các Công điện số 186/CĐ-TTg ngày 04/10/2025, 188/CĐ-TTg ngày 06/10/2025 của",
            [
                ("Công điện số 186/CĐ-TTg ngày 04/10/2025", "Công điện 186/CĐ-TTg"),
                ("188/CĐ-TTg ngày 06/10/2025", "Công điện 188/CĐ-TTg"),
            ],
        ),
        # a list whose items carry their description
        (
            "các Nghị quyết: số 68-NQ/TW ngày 04/5/2025 của Bộ Chính trị về phát triển kinh tế"
            " tư nhân; số 198/2025/QH15 ngày 17/5/2025 của Quốc hội",
            [
                ("68-NQ/TW ngày 04/5/2025", "Nghị quyết 68-NQ/TW"),
                ("số 198/2025/QH15 ngày 17/5/2025", "Nghị quyết 198/2025/QH15"),
            ],
        ),
        (
            "Các công điện: số 217/CĐ-TTg ngày 16/11/2025",
            [("số 217/CĐ-TTg ngày 16/11/2025", "Công điện 217/CĐ-TTg")],
        ),
        # a number in parts, a consolidated text
        (
            "Nghị quyết số 66.7/2025/NQ-CP ngày 15 tháng 11 năm 2025",
            [
                (
                    "Nghị quyết số 66.7/2025/NQ-CP ngày 15 tháng 11 năm 2025",
                    "Nghị quyết 66.7/2025/NQ-CP",
                )
            ],
        ),
        (
            "Căn cứ Văn bản hợp nhất số 10/VBHN-BGDĐT ngày 14 tháng 3 năm 2014 của",
            [
                (
                    "Văn bản hợp nhất số 10/VBHN-BGDĐT ngày 14 tháng 3 năm 2014",
                    "Văn bản hợp nhất 10/VBHN-BGDĐT",
                )
            ],
        ),
        # news cites a letter by its number alone; a count is no citation
        (
            "Công văn số 3027 và công điện số 17.",
            [("Công văn số 3027", "Công văn 3027"), ("công điện số 17", "Công điện 17")],
        ),
        ("Quyết định số 1.200 người", []),
        # a leader's instruction given in a letter is a Công văn, a report in a letter a Báo cáo
        (
            "báo cáo Thủ tướng về thuế theo chỉ đạo của Phó Thủ tướng tại"
            " văn bản số 3642/VPCP-KTTH",
            [("văn bản số 3642/VPCP-KTTH", "Công văn 3642/VPCP-KTTH")],
        ),
        (
            "Xét Báo cáo tổng hợp về chỉ đạo, điều hành tại văn bản số 558/2022/TTĐT",
            [("văn bản số 558/2022/TTĐT", "Báo cáo 558/2022/TTĐT")],
        ),
    ],
)
def test_citation_forms_of_long_documents(text: str, expected: list[tuple[str, str]]) -> None:
    refs = find_legal_refs(Document("t", "t", text))
    assert [(r.text, r.canonical) for r in refs] == expected
    for r in refs:
        assert text[r.start : r.end] == r.text


# -- spans, speed ------------------------------------------------------------------

PIECES = st.sampled_from(
    [
        "Nghị định",
        "số",
        "35/2022/NĐ-CP",
        "ngày",
        "28/5/2022",
        "khoản",
        "4",
        "Điều",
        "9",
        ",",
        "và",
        "Luật",
        "Đất đai",
        "năm",
        "2020",
        "văn bản",
        "707/UBND-KT",
        "68-NQ/TW",
        "Chị thị",
        "\n",
        "đến",
        "NĐ",
        "TCVN",
        "4054:2005",
        "các văn bản:",
        "Nghi dinh",
        "Ðảm",
        "x",
        "ǅ",
        "İ",
        " ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40), st.text(max_size=30))
def test_spans_match_text(pieces: list[str], noise: str) -> None:
    text = " ".join(pieces) + noise
    for r in find_legal_refs(doc(text)):
        assert text[r.start : r.end] == r.text
        assert r.canonical.startswith(r.type)


@pytest.mark.parametrize(
    "line",
    [
        "Điều 1, " * 30_000,
        "khoản 1, khoản 2, " * 12_000,
        "điểm a, " * 25_000,
        "Nghị định số 1/" * 14_000,
        "35/2022/" * 25_000,
        "số 1-" * 40_000,
        "1/a-" * 50_000,
        "Luật Tổ chức " * 16_000,
        "văn bản số " * 20_000,
        "a" * 200_000,
        " " * 200_000,
    ],
    ids=lambda s: repr(s[:12]),
)
@pytest.mark.timeout(120)
def test_hostile_lines_are_handled(line: str) -> None:
    """Hostile input is read without error and every span is exact; its speed
    (linear, no catastrophic backtracking) is measured by ``python -m
    bench.hostile``. The timeout only stops a hang."""
    for r in find_legal_refs(doc(line)):
        assert line[r.start : r.end] == r.text


# -- queries -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ND 35/2022", RefQuery("Nghị định", "35/2022")),
        ("nghi dinh 35", RefQuery("Nghị định", "35")),
        ("35/2022/NĐ-CP", RefQuery(None, "35/2022/NĐ-CP")),
        ("Nghị định 35/2022", RefQuery("Nghị định", "35/2022")),
        ("Nghị định số 35/2022/QĐ-CP", RefQuery("Nghị định", "35/2022/NĐ-CP")),
        ("NQ 68", RefQuery("Nghị quyết", "68")),
        ("luat dat dai", RefQuery("Luật", "Đất đai")),
        ("Luật Đầu tư năm 2020", RefQuery("Luật", "Đầu tư 2020")),
        ("Nghị định", RefQuery("Nghị định", None)),
        ("Sở Tài chính", None),
        ("", None),
    ],
)
def test_parse_ref_query(query: str, expected: RefQuery | None) -> None:
    assert parse_ref_query(query) == expected


@pytest.mark.parametrize(
    ("query", "canonical", "hit"),
    [
        ("ND 35/2022", "Nghị định 35/2022/NĐ-CP", True),
        ("nghi dinh 35", "Nghị định 35/2022/NĐ-CP", True),
        ("nghi dinh 35", "Nghị định 351/2022/NĐ-CP", False),
        ("nghi dinh 35", "Nghị quyết 35/NQ-CP", False),
        ("35/2022/nd-cp", "Nghị định 35/2022/NĐ-CP", True),
        ("NQ 68", "Nghị quyết 68-NQ/TW", True),
        ("luật đầu tư", "Luật Đầu tư 2020", True),
        ("luật đầu tư", "Luật Đầu tư công", False),
        ("Công văn 707/UBND-KT", "Công văn 707/UBND-KT", True),
    ],
)
def test_ref_query_matches(query: str, canonical: str, hit: bool) -> None:
    q = parse_ref_query(query)
    assert q is not None and q.matches(canonical) is hit


def test_canonical_ref_key() -> None:
    assert canonical_ref_key("nghi dinh so 35/2022/ND-CP") == "Nghị định 35/2022/NĐ-CP"
    assert canonical_ref_key("Sở Tài chính") is None


# -- gold ---------------------------------------------------------------------------------


def clean(text: str) -> str:
    """The pipeline's cleaning, as `vndoc extract` and `vndoc eval` apply it
    (it also parts glued words such as "tạiTờ trình", "năm2003")."""
    from pipeline.ingest.clean import clean as pipeline_clean

    return pipeline_clean(text)


# The whole gold set is scored through the pipeline (sidecars, metadata) by
# pipeline.eval.evaluate, held to the floors in tests/test_eval_floors.py.
