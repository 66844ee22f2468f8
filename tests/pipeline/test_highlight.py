from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from extractors.textnorm import fold
from pipeline.query import highlight
from pipeline.query.highlight import match_ranges, snippets


def test_accent_free_query_highlights_accented_text() -> None:
    text = "Giao Sở Tài chính chủ trì; đất đai."
    assert [text[a:b] for a, b in match_ranges(text, "so tai chinh dat")] == [
        "Sở", "Tài", "chính", "đất"]
    assert snippets(text, "dat dai")[0].count("<mark>") == 2


def test_snippets_escape_html() -> None:
    out = snippets("<script>alert(1)</script> Sở Tài chính", "tai chinh")[0]
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_whole_words_only() -> None:
    assert match_ranges("tài chính, tàikhoản", "tai") == [(0, 3)]


@given(st.text(max_size=300), st.text(max_size=30))
def test_never_crashes(text: str, q: str) -> None:
    for a, b in match_ranges(text, q):
        assert 0 <= a < b <= len(text)
    snippets(text, q)


# The shortcuts of pipeline/query/highlight.py against their plain definitions
# (issue 20: snippets were most of /search's time under load).
_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyĐÂáàảãạấầẩẫậắếềệíìịóòỏõọốồổộớờởợúùủụứừữựýỹ"
_TEXT = st.text(alphabet=_LETTERS + "0123456789²¹ ,.-–“”\n_İß", max_size=400)


def _unaccented_plain(text: str, folded: str) -> bool:
    import re

    words = accented = 0
    for m in re.finditer(r"\w+", text[:20_000]):
        if m.group().isdigit():
            continue
        words += 1
        accented += folded[m.start():m.end()] != m.group().lower()
    return words > 0 and accented < highlight.UNACCENTED_SHARE * words


@given(_TEXT)
def test_accent_free_check_stops_early_with_the_same_answer(text: str) -> None:
    folded = fold(text)
    assert highlight._unaccented(text, folded) == _unaccented_plain(text, folded)
    plain = "thong bao ket luan cua chu tich ubnd tinh ve tinh hinh dau tu cong " * 40
    assert highlight._unaccented(plain, fold(plain))
    assert not highlight._unaccented("Thông báo kết luận " * 800, fold("Thông báo kết luận " * 800))


@given(_TEXT, st.lists(st.sampled_from(["a", "an", "ng", "tu", "dau", "đau", "ư"]), min_size=1,
                       max_size=3))
def test_word_start_found_as_a_lookbehind_finds_it(text: str, words: list[str]) -> None:
    import re

    folded = fold(text)
    seq = tuple(fold(w) for w in words)
    slow = re.compile(r"(?<!\w)" + r"\W{1,5}".join(f"({re.escape(t)})" for t in seq) + r"(?!\w)")
    assert [m.span() for m in highlight._finditer(highlight._pattern(seq), folded)] == [
        m.span() for m in slow.finditer(folded)]
