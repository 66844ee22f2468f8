"""The three steps of task finding, each on its own: the layout's sentences
(segment), the owner a sentence names (owners), and the task made of a sentence
and its owner (attach)."""

from __future__ import annotations

from extractors.cues import task_cues
from extractors.layout import body_ranges, find_blocks_in, find_sentences
from extractors.model import Deadline, LegalRef, RecurrenceMention
from extractors.owners import Mention, MentionIndex, Owner, find_owner
from extractors.tasks import attach_task

TEXT = (
    "1. Sở Tài chính chủ trì, phối hợp với Sở Xây dựng rà soát các dự án theo "
    "Nghị định số 35/2022/NĐ-CP, hoàn thành trước ngày 30/6/2024."
)


def _sentences(text: str):
    cues = task_cues()
    blocks = find_blocks_in(text, body_ranges(text, cues))
    return blocks, find_sentences(text, blocks, cues)


def _index() -> MentionIndex:
    a = TEXT.index("Sở Tài chính")
    b = TEXT.index("Sở Xây dựng")
    return MentionIndex(
        [
            Mention(a, a + len("Sở Tài chính"), ("Sở Tài chính tỉnh A",)),
            Mention(b, b + len("Sở Xây dựng"), ("Sở Xây dựng tỉnh A",)),
        ]
    )


def test_segment_gives_the_items_sentence_with_offsets() -> None:
    blocks, sents = _sentences(TEXT)
    assert [TEXT[s.start : s.end] for s in sents] == [TEXT[3:]]
    assert blocks[sents[0].block].marker is not None


def test_owners_reads_the_subject_and_where_its_predicate_starts() -> None:
    blocks, sents = _sentences(TEXT)
    s = sents[0]
    own = find_owner(TEXT, s, blocks[s.block], _index(), task_cues(), [], [], [], ())
    assert own is not None and own.owners == ("Sở Tài chính tỉnh A",)
    # past its role ("chủ trì,"): the predicate the action is read from
    assert TEXT[own.pred :].startswith("phối hợp với Sở Xây dựng rà soát")


def test_attach_adds_partners_deadline_recurrence_and_basis() -> None:
    _blocks, sents = _sentences(TEXT)
    s = sents[0]
    d0 = TEXT.index("trước ngày")
    deadline = Deadline(TEXT[d0 : len(TEXT) - 1], d0, len(TEXT) - 1, "2024-06-30", "t")
    r0 = TEXT.index("Nghị định")
    r1 = TEXT.index(",", r0)
    ref = LegalRef(TEXT[r0:r1], r0, r1, "Nghị định", "35/2022/NĐ-CP", "Nghị định 35/2022/NĐ-CP")
    own = Owner(("Sở Tài chính tỉnh A",), TEXT.index("phối hợp"), "task.owner.subject.v1")
    idx = _index()
    task = attach_task(
        TEXT,
        s,
        own,
        idx,
        task_cues(),
        deadlines=[deadline],
        recurrences=[],
        refs=[ref],
        all_refs=[ref],
        pre=s.start,
        attr=None,
        header_coop=(),
        assigner="UBND tỉnh A",
        idx=idx,
    )
    assert task.cooperating == ("Sở Xây dựng tỉnh A",)
    assert (task.deadline, task.legal_basis, task.assigned_by) == (
        "2024-06-30",
        ("Nghị định 35/2022/NĐ-CP",),
        "UBND tỉnh A",
    )
    assert TEXT[task.start : task.end] == task.text
    # the action: after the partners, before the deadline
    assert task.action is not None and task.action.startswith("rà soát các dự án")
    assert "trước ngày" not in task.action


def test_attach_takes_the_headers_partners_when_the_sentence_names_none() -> None:
    text = "- Rà soát các dự án trên địa bàn."
    _blocks, sents = _sentences(text)
    own = Owner(("Sở Tài chính tỉnh A",), 2, "task.owner.inherited.v1", explicit=False)
    idx = MentionIndex([])
    task = attach_task(
        text,
        sents[0],
        own,
        idx,
        task_cues(),
        deadlines=[],
        recurrences=[RecurrenceMention("hằng năm", 0, 0, "yearly")],  # type: ignore[arg-type]
        refs=[],
        all_refs=[],
        pre=sents[0].start,
        attr=None,
        header_coop=("Sở Xây dựng tỉnh A", "Sở Tài chính tỉnh A"),
        assigner=None,
        idx=idx,
    )
    assert task.cooperating == ("Sở Xây dựng tỉnh A",)
    assert task.recurring == "yearly"
