"""Tests for extractors/tasks.py: owner sources, cooperating partners,
deadlines, boilerplate, the cue table's examples, exact offsets, and the
whole pipeline scored against corpus/gold.

Unit tables build the other extractors' output by hand (agency spans with
their canonical ``norm``, deadlines, recurrences), so they pin the task
rules alone; the gold test runs ``extractors.extract`` end to end.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.cues import TABLE, task_cues
from extractors.model import (
    Deadline,
    DocKind,
    DocMeta,
    Document,
    Label,
    LegalRef,
    Recurrence,
    RecurrenceMention,
    Span,
    Task,
)
from extractors.rules import pattern_table
from extractors.tasks import find_tasks

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
PROVINCE = "Bắc Ninh"


# ------------------------------------------------------------------ factories

# Canonical names the fake agency finder knows; bare names get the province.
_AGENCY_NAMES = [
    "Ban Quản lý các khu công nghiệp tỉnh",
    "Ban Quản lý các KCN tỉnh",
    "Sở Kế hoạch và Đầu tư",
    "Sở Tài nguyên và Môi trường",
    "Sở Giao thông vận tải",
    "Sở Công Thương",
    "Sở Tài chính",
    "Sở Xây dựng",
    "Sở Y tế",
    "Công an tỉnh",
    "Bộ Kế hoạch và Đầu tư",
    "Bộ Y tế",
    "Bộ Công an",
    "Bộ Công Thương",
    "Bộ Nông nghiệp và Phát triển nông thôn",
    "UBND huyện Gio Linh",
    "UBND huyện Tân Yên",
    "UBND huyện Hiệp Hòa",
    "UBND tỉnh",
    "Văn phòng Chính phủ",
]


def _canonical(name: str) -> str:
    if name.startswith("Ban Quản lý"):
        return f"Ban Quản lý các KCN tỉnh {PROVINCE}"
    if name in ("UBND tỉnh", "Công an tỉnh"):
        return f"{name} {PROVINCE}"
    if name.startswith("Sở"):
        return f"{name} tỉnh {PROVINCE}"
    return name


def agency_spans(text: str) -> list[Span]:
    """A tiny stand-in for agencies.find_agencies: longest name first."""
    spans: list[Span] = []
    taken: list[tuple[int, int]] = []
    for name in sorted(_AGENCY_NAMES, key=len, reverse=True):
        for m in re.finditer(re.escape(name), text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            spans.append(
                Span(m.start(), m.end(), m.group(0), Label.AGENCY, "test", _canonical(name))
            )
    return sorted(spans, key=lambda s: s.start)


def deadline(text: str, phrase: str, date: str | None) -> Deadline:
    i = text.index(phrase)
    return Deadline(phrase, i, i + len(phrase), date, "test")


def recurrence(text: str, phrase: str, value: Recurrence) -> RecurrenceMention:
    i = text.index(phrase)
    return RecurrenceMention(phrase, i, i + len(phrase), value, "test")


def run(
    text: str,
    *,
    deadlines: Sequence[Deadline] = (),
    recurrences: Sequence[RecurrenceMention] = (),
    legal_refs: Sequence[LegalRef] = (),
    kind: DocKind = DocKind.OFFICIAL,
    province: str = PROVINCE,
    issuer: str | None = "UBND tỉnh Bắc Ninh",
) -> list[Task]:
    doc = Document("t", "<test>", text)
    meta = DocMeta(kind=kind, province=province, issuer=issuer)
    tasks = find_tasks(
        doc,
        meta=meta,
        agency_spans=agency_spans(text),
        legal_refs=legal_refs,
        deadlines=deadlines,
        recurrences=recurrences,
    )
    for t in tasks:
        assert text[t.start : t.end] == t.text
    return tasks


def bn(name: str) -> str:
    return _canonical(name)


# ------------------------------------------------------------- owner sources

OWNER_CASES = [
    # "Giao X ..."
    (
        "Giao Sở Tài chính chủ trì, phối hợp với Sở Xây dựng và các cơ quan liên quan rà soát.",
        [bn("Sở Tài chính")],
        [bn("Sở Xây dựng"), "các cơ quan liên quan tỉnh Bắc Ninh"],
    ),
    # "Giao X phối hợp với <group>": the group is the partner, as the text says it
    (
        "Giao UBND huyện Gio Linh phối hợp với các đơn vị, địa phương liên quan chủ động xem xét.",
        ["UBND huyện Gio Linh"],
        ["các đơn vị, địa phương liên quan tỉnh Bắc Ninh"],
    ),
    # subject + chủ trì, partners separated by commas and generic fillers
    (
        "Sở Kế hoạch và Đầu tư có trách nhiệm chủ trì, phối hợp với Ban Quản lý các khu công "
        "nghiệp tỉnh, Sở Xây dựng, cơ quan, địa phương liên quan rà soát, đánh giá toàn bộ "
        "quy hoạch.",
        [bn("Sở Kế hoạch và Đầu tư")],
        [bn("Ban Quản lý các KCN tỉnh"), bn("Sở Xây dựng")],
    ),
    # subject + phối hợp directly
    (
        "Bộ Y tế phối hợp với Bộ Kế hoạch và Đầu tư khẩn trương thực hiện chỉ đạo.",
        ["Bộ Y tế"],
        ["Bộ Kế hoạch và Đầu tư"],
    ),
    # connector + "được giao chủ trì"
    (
        "Theo đó, Sở Tài chính được giao chủ trì, phối hợp với Ban Quản lý các KCN tỉnh thực hiện "
        "giám sát đầu tư.",
        [bn("Sở Tài chính")],
        [bn("Ban Quản lý các KCN tỉnh")],
    ),
    # head of an agency
    ("Đồng chí Bộ trưởng Bộ Y tế chỉ đạo xử lý kiến nghị.", ["Bộ Y tế"], []),
    # "Bộ X đề nghị Y ...": the requested body owns the task
    (
        "Bộ Nông nghiệp và Phát triển nông thôn đề nghị Ủy ban nhân dân các tỉnh, thành phố "
        "chỉ đạo các cơ quan trực thuộc tạo điều kiện thuận lợi.",
        ["UBND các tỉnh, thành phố trực thuộc Trung ương"],
        [],
    ),
    # "Đề nghị X ..."
    ("Đề nghị Sở Y tế khẩn trương báo cáo kết quả.", [bn("Sở Y tế")], []),
    # a subject after an adjunct ("căn cứ ..., tham mưu")
    (
        "Sở Tài nguyên và Môi trường căn cứ Nghị quyết số 162/NQ-HĐND ngày 07/12/2020 của Hội "
        "đồng nhân dân tỉnh, tham mưu trình UBND tỉnh Quyết định.",
        [bn("Sở Tài nguyên và Môi trường")],
        [],
    ),
    # collective owners joined by "và"
    (
        "Các bộ, cơ quan ngang bộ và Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương rà "
        "soát văn bản, khẩn trương phối hợp với Bộ Kế hoạch và Đầu tư để sớm hoàn thành.",
        ["các bộ, cơ quan ngang bộ", "UBND các tỉnh, thành phố trực thuộc Trung ương"],
        ["Bộ Kế hoạch và Đầu tư"],
    ),
    # collective owners after "Giao", separated by ";", province substituted
    (
        "Giao các sở, ngành tỉnh; Ủy ban nhân dân các huyện, thành phố; Các Ban QLDA chuyên "
        "ngành tỉnh báo cáo tình hình giải ngân.",
        [
            f"các sở, ngành tỉnh {PROVINCE}",
            f"UBND các huyện, thành phố thuộc tỉnh {PROVINCE}",
            f"các Ban QLDA chuyên ngành tỉnh {PROVINCE}",
        ],
        [],
    ),
    # list-item lead
    (
        "- Sở Công Thương: Chủ trì tham mưu các giải pháp bảo đảm cung cấp điện.",
        [bn("Sở Công Thương")],
        [],
    ),
    # list-item lead with several agencies
    (
        "- UBND huyện Tân Yên, UBND huyện Hiệp Hòa: Tiếp tục giải quyết vướng mắc.",
        ["UBND huyện Tân Yên", "UBND huyện Hiệp Hòa"],
        [],
    ),
]


@pytest.mark.parametrize(("text", "owners", "coop"), OWNER_CASES)
def test_owner_sources(text: str, owners: list[str], coop: list[str]) -> None:
    tasks = run(text)
    assert len(tasks) == 1, tasks
    assert list(tasks[0].owners) == owners
    assert list(tasks[0].cooperating) == coop


def test_section_header_owns_items_and_skips_item_headings() -> None:
    text = (
        "Để hoàn thành nhiệm vụ, Ban Quản lý các khu công nghiệp tỉnh phải tập trung thực hiện "
        "tốt các nhiệm vụ sau:\n\n"
        "(1) Nâng cao năng lực tham mưu chiến lược\n\n"
        "- Cần cập nhật xu thế phát triển các khu công nghiệp.\n\n"
        "- Tăng cường học tập kinh nghiệm. Đề xuất các giải pháp xây dựng khu công nghiệp "
        "sinh thái.\n\n"
        "- Phối hợp Công an tỉnh, Sở Giao thông vận tải tăng cường an ninh trật tự.\n\n"
        "(2) Xây dựng đội ngũ cán bộ giỏi ngoại ngữ.\n\n"
        "(3) Giao các sở, ngành, địa phương có liên quan phối hợp thực hiện, cụ thể:\n\n"
        "- Sở Công Thương chủ trì tham mưu giải pháp cung cấp điện. Chủ động làm việc với các "
        "đơn vị liên quan.\n"
    )
    tasks = run(text)
    ban = bn("Ban Quản lý các KCN tỉnh")
    got = [(t.text.split()[0], t.owners, t.cooperating) for t in tasks]
    assert got == [
        ("Cần", (ban,), ()),
        ("Tăng", (ban,), ()),
        ("Đề", (ban,), ()),
        ("Phối", (ban,), (bn("Công an tỉnh"), bn("Sở Giao thông vận tải"))),
        ("Xây", (ban,), ()),
        ("Sở", (bn("Sở Công Thương"),), ()),
        ("Chủ", (bn("Sở Công Thương"),), ()),
    ]


def test_news_focus_connectors_and_anaphora() -> None:
    text = (
        "Theo đó, Sở Tài chính được giao chủ trì thực hiện giám sát đầu tư. Đồng thời, xử phạt "
        "nghiêm các hành vi vi phạm. Trên cơ sở đó, đề xuất giải pháp xử lý dự án chậm tiến độ.\n\n"
        "Toàn cảnh khu công nghiệp Quang Châu, tỉnh Bắc Ninh.\n\n"
        "Rà soát, thúc đẩy thủ tục đầu tư đối với các dự án quy mô lớn.\n\n"
        "Ban Quản lý các KCN tỉnh rà soát các KCN có tỷ lệ lấp đầy dưới 60%. Trước ngày 10/8, "
        "báo cáo UBND tỉnh kết quả kiểm tra sóng 4G/5G.\n\n"
        "Trong tháng 8/2025, Ban phải xây dựng kế hoạch xanh hóa KCN.\n"
    )
    dls = [
        deadline(text, "Trước ngày 10/8", "2025-08-10"),
        deadline(text, "Trong tháng 8/2025", "2025-08-31"),
    ]
    tasks = run(text, deadlines=dls, kind=DocKind.NEWS)
    tc, ban = bn("Sở Tài chính"), bn("Ban Quản lý các KCN tỉnh")
    assert [(t.owners[0], t.deadline) for t in tasks] == [
        (tc, None),
        (tc, None),
        (tc, None),
        (tc, None),
        (ban, None),
        (ban, "2025-08-10"),
        (ban, "2025-08-31"),
    ]


# ------------------------------------------------------------------ deadlines


def test_deadline_inside_sentence() -> None:
    text = (
        "Giao UBND huyện Gio Linh chủ trì, phối hợp với Sở Tài nguyên và Môi trường kiểm tra "
        "hiện trạng; hoàn thành trước ngày 20/5/2024./."
    )
    t = run(text, deadlines=[deadline(text, "trước ngày 20/5/2024", "2024-05-20")])[0]
    assert (t.deadline, t.deadline_text) == ("2024-05-20", "trước ngày 20/5/2024")
    assert t.action == "kiểm tra hiện trạng; hoàn thành"


@pytest.mark.parametrize(
    "follow",
    ["Hoàn thành trước ngày 10/3/2023.", "Yêu cầu gửi báo cáo về Sở Y tế trước ngày 10/3/2023."],
)
def test_deadline_in_next_short_sentence(follow: str) -> None:
    text = f"Giao Sở Tài chính chủ trì rà soát, đề xuất UBND tỉnh xem xét. {follow}"
    tasks = run(text, deadlines=[deadline(text, "trước ngày 10/3/2023", "2023-03-10")])
    assert len(tasks) == 1
    assert tasks[0].deadline == "2023-03-10"
    assert tasks[0].text.startswith("Giao") and tasks[0].text.endswith("xem xét.")


def test_event_deadline_keeps_text() -> None:
    text = "Bộ Y tế khẩn trương chuẩn bị hồ sơ trình Chính phủ tại phiên họp Chính phủ thường kỳ."
    dl = deadline(text, "tại phiên họp Chính phủ thường kỳ", None)
    t = run(text, deadlines=[dl])[0]
    assert t.deadline is None and t.deadline_text == "tại phiên họp Chính phủ thường kỳ"


def test_recurrence_picks_shortest_period_and_legal_basis() -> None:
    text = (
        "Các bộ, cơ quan ngang bộ xây dựng kế hoạch theo Nghị định số 35/2022/NĐ-CP; định kỳ hằng "
        "quý, 6 tháng, năm báo cáo kết quả gửi Bộ Công an."
    )
    i = text.index("Nghị định số 35/2022/NĐ-CP")
    ref = LegalRef(
        "Nghị định số 35/2022/NĐ-CP",
        i,
        i + 26,
        "Nghị định",
        "35/2022/NĐ-CP",
        "Nghị định 35/2022/NĐ-CP",
    )
    recs = [
        recurrence(text, "6 tháng", Recurrence.HALF_YEARLY),
        recurrence(text, "định kỳ hằng quý", Recurrence.QUARTERLY),
    ]
    t = run(text, recurrences=recs, legal_refs=[ref])[0]
    assert t.recurring == Recurrence.QUARTERLY
    assert t.legal_basis == ("Nghị định 35/2022/NĐ-CP",)


# ---------------------------------------------------------------- not tasks

NOT_TASKS = [
    "Văn phòng Chính phủ xin thông báo để Bộ Y tế biết, thực hiện./.",
    "Chánh Văn phòng UBND tỉnh, Giám đốc Sở Tài chính chịu trách nhiệm thi hành Quyết định này.",
    "Quyết định này có hiệu lực thi hành kể từ ngày ký.",
    "Sở Tài chính đã cấp mới Giấy chứng nhận đăng ký đầu tư cho 108 dự án.",
    "Ban Quản lý các KCN tỉnh là đầu mối tổng hợp phản ánh, kiến nghị.",
    "Bộ Nông nghiệp và Phát triển nông thôn nhận được phản ánh của nhiều doanh nghiệp.",
    "Phó Thủ tướng Trịnh Đình Dũng có ý kiến như sau:",
    "Phát triển công nghiệp của tỉnh được xác định là động lực chủ yếu.",
    "Yêu cầu cơ quan, đơn vị, địa phương triển khai thực hiện nghiêm những nội dung chỉ đạo nêu "
    "trên./.",
    "Căn cứ Nghị định số 35/2022/NĐ-CP ngày 28/5/2022 của Chính phủ;",
    "Kính gửi: Bộ Y tế.",
]


@pytest.mark.parametrize("text", NOT_TASKS)
def test_not_a_task(text: str) -> None:
    assert run(text) == []


def test_recipients_and_signature_are_skipped() -> None:
    text = (
        "Giao Sở Tài chính chủ trì rà soát.\n\nNơi nhận:\n- Sở Công Thương: thực hiện;\n"
        "- Lưu: VT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n"
    )
    assert [t.owners for t in run(text)] == [(bn("Sở Tài chính"),)]


def test_repeated_assignment_reported_once() -> None:
    text = (
        "Sở Y tế rà soát các cơ sở khám bệnh trên địa bàn tỉnh.\n\n"
        "Sở Y tế rà soát các cơ sở khám bệnh trên địa bàn tỉnh.\n"
    )
    assert len(run(text)) == 1


def test_hard_wrapped_lines_are_one_sentence() -> None:
    text = "Giao Sở Tài chính chủ trì rà soát quy hoạch, kế hoạch sử dụng\nđất đối với các KCN.\n"
    (t,) = run(text)
    assert t.text == text.strip()


def test_empty_text() -> None:
    assert run("") == []
    assert run("   \n\n") == []


# ------------------------------------------------------------------ the table


def _rows() -> list[Any]:
    return list(pattern_table(TABLE).rows)


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r.id)
def test_cue_examples(row: Any) -> None:
    table = pattern_table(TABLE)
    rx = table.compiled(row)
    assert row.examples, f"{row.id} has no examples"
    for ex in row.examples:
        assert rx.search(ex), f"{row.id} misses example {ex!r}"
    for ex in row.counter_examples:
        assert not rx.search(ex), f"{row.id} matches counter-example {ex!r}"
    keyword = row.data.get("keyword")
    keywords = [keyword] if isinstance(keyword, str) else keyword or []
    for ex in row.examples if keywords else ():
        assert any(k in ex.lower() for k in keywords), (
            f"{row.id}: prefilter {keyword!r} not in {ex!r}"
        )


def test_collective_examples_pass_the_combined_pattern() -> None:
    rows, rx = task_cues().collective
    for row in rows:
        for ex in row.examples:
            assert rx.search(ex), f"{row.id}: {ex!r} is cut off by the combined pattern's gate"


def test_collective_rows_have_canonical() -> None:
    for row in _rows():
        if row.label == "COLLECTIVE":
            assert row.data.get("canonical"), row.id


# ------------------------------------------------- corpus sentences (fuzzing)
# Quality on the gold set is measured once, by pipeline.eval.evaluate, in
# tests/test_eval_floors.py.


def _corpus_sentences() -> list[str]:
    from pipeline.ingest.clean import clean

    out: list[str] = []
    root = Path(__file__).resolve().parents[2] / "corpus"
    for p in sorted([*root.glob("seeds/*.txt"), *root.glob("docs/*.txt")]):
        for line in clean(p.read_text("utf-8")).splitlines():
            for s in re.split(r"(?<=[.;:])\s+", line):
                if len(s) > 20:
                    out.append(s)
    return out


_SENTS = _corpus_sentences()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(_SENTS), min_size=1, max_size=6),
    st.lists(
        st.sampled_from(["\n", "\n\n", " ", "\n- ", "\n(1) ", "\na) ", "\n+ "]),
        min_size=6,
        max_size=6,
    ),
)
def test_offsets_exact_on_corpus_sentences(sents: list[str], seps: list[str]) -> None:
    text = "".join(s + sep for s, sep in zip(sents, seps, strict=False))
    dls = []
    m = re.search(r"trước ngày \d{1,2}/\d{1,2}/\d{4}", text)
    if m:
        dls.append(Deadline(m.group(0), m.start(), m.end(), None, "test"))
    for kind in (DocKind.OFFICIAL, DocKind.NEWS):
        tasks = run(text, deadlines=dls, kind=kind)
        last = -1
        for t in tasks:
            assert text[t.start : t.end] == t.text
            assert t.start >= last
            last = t.end
            # a task names its owners, or is flagged for review when its section names none
            assert t.owners or (t.flags == ("owner_unknown",) and t.owner_kinds == ())
            assert len(t.owner_kinds) == len(t.owners)
            if t.deadline_start is not None and t.deadline_end is not None:
                assert text[t.deadline_start : t.deadline_end] == t.deadline_text


# ------------------------------------------- 2025 portal digests, requests (21-27)
# Regression tests for the gold documents 21-27: each case is a general
# pattern of administrative Vietnamese, checked end to end with ``extract``.

from extractors.extraction import extract  # noqa: E402


def _tasks(text: str, province: str | None = None) -> list[Task]:
    meta = (("province", province),) if province else ()
    return list(extract(text, meta=meta).tasks)


END_TO_END = [
    # "; Giao X ..." opens a second task inside one sentence (CLAUSE_SPLIT)
    (
        "Giao Sở Công Thương chủ trì, đôn đốc hoàn thiện thủ tục theo Kế hoạch số 20/KH-UBND; "
        "Giao Sở Công Thương thường xuyên rà soát, tổng hợp tình hình.",
        "Hà Nội",
        [(["Sở Công Thương thành phố Hà Nội"], [], None)] * 2,
    ),
    # "Chủ tịch UBND tỉnh cũng giao X": the adverb does not hide the cue
    (
        "Chủ tịch UBND tỉnh cũng giao UBND các xã, phường tăng cường công tác quản lý nhà nước.",
        "Phú Thọ",
        [(["UBND các xã, phường thuộc tỉnh Phú Thọ"], [], None)],
    ),
    # "Thủ tướng Chính phủ <name> giao X chủ trì, phối hợp với các Bộ: Y, Z ...:" then items:
    # the items are X's tasks with Y and Z as partners
    (
        "Về vấn đề này, Thủ tướng Chính phủ Nguyễn Xuân Phúc giao Bộ Y tế chủ trì, phối hợp với "
        "các Bộ: Xây dựng, Tài chính và các cơ quan liên quan:\n\n"
        "1. Chỉ đạo, hướng dẫn các địa phương thực hiện Chỉ thị số 45/CT-TTg.\n\n"
        "2. Nghiên cứu ý kiến của Đại biểu Quốc hội để hoàn thiện Đề án.",
        None,
        [(["Bộ Y tế"], ["Bộ Xây dựng", "Bộ Tài chính", "các cơ quan liên quan"], None)] * 2,
    ),
    # a request for comments: the addressees "Quý cơ quan, đơn vị" own it; the
    # deadline is in the next sentence that says where to send the reply
    (
        "Để hoàn thiện dự thảo Thông tư, Cục Lâm nghiệp và Kiểm lâm trân trọng đề nghị Quý cơ "
        "quan, đơn vị nghiên cứu và góp ý đối với hồ sơ dự thảo Thông tư:\n"
        "Văn bản góp ý của Quý cơ quan, đơn vị đề nghị gửi về Cục Lâm nghiệp và Kiểm lâm trước "
        "ngày 25/5/2025, địa chỉ: Số 02 Ngọc Hà, Ba Đình, Hà Nội.",
        None,
        [(["Quý cơ quan, đơn vị"], [], "2025-05-25")],
    ),
    # the requester's own deadline in a fronted purpose clause is not the addressees'
    (
        "Để hoàn thiện dự thảo Đề án, trình Thủ tướng Chính phủ phê duyệt trong quý III năm 2021, "
        "Bộ Y tế đề nghị Quý cơ quan, đơn vị và địa phương tham gia góp ý đối với dự thảo.\n\n"
        "Văn bản tham gia ý kiến gửi về địa chỉ: Bộ Y tế, số 2 Ngọc Hà, Hà Nội trước ngày "
        "25/8/2021.",
        None,
        [(["Quý cơ quan, đơn vị và địa phương"], [], "2021-08-25")],
    ),
    # the page title on the first line is not a task, and the "Thực hiện ..." preamble
    # after it inherits no owner from it
    (
        'Bộ Y tế lấy ý kiến góp ý dự thảo Đề án "Phát triển bền vững giai đoạn 2021 - 2030, '
        'tầm nhìn đến năm 2050"\n\nThực hiện Thông báo số 366/TB-VPCP ngày 21/10/2020 của Văn '
        "phòng Chính phủ về kết quả phát triển cây Mắc ca tại Việt Nam thời gian qua.",
        None,
        [],
    ),
    # an association is a cooperating partner, never dropped as generic; the group of
    # partners after it is listed as written
    (
        "Giao Bộ Nông nghiệp và Phát triển nông thôn chủ trì, phối hợp với Hiệp hội mắc ca Việt "
        "Nam và các cơ quan liên quan xây dựng Đề án.",
        None,
        [
            (
                ["Bộ Nông nghiệp và Phát triển nông thôn"],
                ["Hiệp hội mắc ca Việt Nam", "các cơ quan liên quan"],
                None,
            )
        ],
    ),
    # numbered items under an owner: "1. Sở X triển khai ...", then unmarked
    # paragraphs that open with a verb belong to the same Sở
    (
        "Chủ tịch UBND Thành phố yêu cầu các sở, ngành tập trung thực hiện các nhiệm vụ sau:\n"
        "1. Sở Nông nghiệp và Môi trường triển khai các biện pháp khẩn cấp.\n"
        "Giám sát các gói thầu duy trì vệ sinh môi trường.\n"
        "2. Sở Xây dựng tăng cường giám sát chặt chẽ.",
        "Hà Nội",
        [
            (["Sở Nông nghiệp và Môi trường thành phố Hà Nội"], [], None),
            (["Sở Nông nghiệp và Môi trường thành phố Hà Nội"], [], None),
            (["Sở Xây dựng thành phố Hà Nội"], [], None),
        ],
    ),
]


@pytest.mark.parametrize(("text", "province", "expected"), END_TO_END)
def test_portal_digests_and_requests(
    text: str, province: str | None, expected: list[tuple[list[str], list[str], str | None]]
) -> None:
    tasks = _tasks(text, province)
    got = [(list(t.owners), list(t.cooperating), t.deadline) for t in tasks]
    assert got == expected
    for t in tasks:
        assert text[t.start : t.end] == t.text


def test_colon_assignment_without_items_is_a_task() -> None:
    text = "Giao Sở Tài chính chủ trì rà soát các nội dung sau đây của dự thảo:\nNội dung 1."
    tasks = run(text)
    assert [list(t.owners) for t in tasks] == [[bn("Sở Tài chính")]]
