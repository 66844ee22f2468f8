"""The literal prefilter finds exactly what the patterns find over the whole text."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.prefilter import Family, core_summary
from extractors.rules import compile_folded, pattern_table
from extractors.textnorm import fold, match_text

FOLDED_TABLES = ("legal_refs.yaml", "deadline_expressions.yaml")


def _folded_rules(name: str) -> list[re.Pattern[str]]:
    table = pattern_table(name)
    return [compile_folded(table, row) for row in table.rows]


def _same(family: Family, regexes: list[re.Pattern[str]], text: str) -> None:
    got = [[(m.span(), m.groups()) for m in found] for found in family.finditer(text)]
    want = [[(m.span(), m.groups()) for m in rx.finditer(text)] for rx in regexes]
    assert got == want


def _pieces(name: str) -> list[str]:
    """Every example and counter-example of a table, folded, plus their words."""
    table = pattern_table(name)
    texts = [match_text(x) for row in table.rows for x in row.examples + row.counter_examples]
    words = sorted({w for x in texts for w in x.split()})
    return texts + words


FILLER = [
    "",
    " ",
    "  ",
    "\t",
    " " * 300,
    ", ",
    ". ",
    "; ",
    "/",
    "-",
    " và ",
    "\u2003",
    "trong ",
    "ngày ",
    "năm 2024",
    "tháng 6",
    "số ",
    "1",
    "12/",
    "2020",
    "Điều 3 ",
    "khoản 2 ",
    "điểm a ",
    "a" * 40,
    "x" * 300,
]


def _text_strategy(name: str) -> st.SearchStrategy[str]:
    bits = st.sampled_from(_pieces(name)) | st.sampled_from([match_text(f) for f in FILLER])
    return st.lists(bits, min_size=1, max_size=40).map("".join)


@pytest.mark.parametrize("name", FOLDED_TABLES)
def test_every_row_matches_its_examples_in_a_long_text(name: str) -> None:
    regexes = _folded_rules(name)
    family = Family(regexes, min_chars=0)
    table = pattern_table(name)
    for row in table.rows:
        for example in row.examples + row.counter_examples:
            ex = match_text(example)
            for text in (ex, "x " * 200 + ex + " y" * 200, ex + " " * 500 + ex, (ex + ". ") * 30):
                _same(family, regexes, text)


@pytest.mark.parametrize("name", FOLDED_TABLES)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_prefilter_changes_no_match(name: str, data: st.DataObject) -> None:
    regexes = _folded_rules(name)
    text = data.draw(_text_strategy(name))
    _same(Family(regexes, min_chars=0), regexes, text)


@pytest.mark.parametrize("name", FOLDED_TABLES)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_whole_text_run_changes_no_match(name: str, data: st.DataObject) -> None:
    regexes = _folded_rules(name)
    text = data.draw(_text_strategy(name))
    for family in (Family(regexes, min_chars=0), Family(regexes)):
        got = [[(m.span(), m.groups()) for m in found] for found in family.finditer_whole(text)]
        assert got == [[(m.span(), m.groups()) for m in rx.finditer(text)] for rx in regexes]


def test_the_task_cue_and_metadata_patterns_too() -> None:
    # patterns with capitals and no IGNORECASE, with (?-i:...) parts, with anchors
    corpus = "\n".join(
        x
        for name in ("task_cues.yaml", "metadata.yaml")
        for row in pattern_table(name).rows
        for x in row.examples + row.counter_examples
    )
    for name in ("task_cues.yaml", "metadata.yaml"):
        table = pattern_table(name)
        regexes = [table.compiled(row) for row in table.rows]
        family = Family(regexes, min_chars=0)
        for text in (corpus, corpus.lower(), match_text(corpus), corpus.upper()):
            _same(family, regexes, text)


def test_case_twins_make_it_match_the_whole_text() -> None:
    # "ſ" matches "s" when case is ignored, but str.find does not find it
    rx = re.compile(r"(?<!\w)so\s+\d+", re.I)
    text = "x " * 200 + "ſo 12 and so 13"
    _same(Family([rx], min_chars=0), [rx], text)
    assert [m.group() for m in Family([rx], min_chars=0).finditer(text)[0]] == ["ſo 12", "so 13"]


def test_long_runs_of_spaces_stay_inside_the_window() -> None:
    rx = re.compile(r"(?<!\w)(?:hoan\s+thanh\s+)?trong\s+thang\s+(?P<m>\d{1,2})(?!\s*/)", re.I)
    text = (
        "a " * 300
        + "hoan"
        + " " * 5000
        + "thanh\n\n   trong"
        + " " * 3000
        + "thang 6"
        + " " * 900
        + "/"
    )
    _same(Family([rx], min_chars=0), [rx], text)
    assert Family([rx], min_chars=0).finditer(text)[0] == []  # the lookahead saw the "/"


def test_cores_are_read_from_the_pattern() -> None:
    # (literals, non-space characters before the core, from the core on);
    # the lookbehind adds what it can look at (two) to both
    assert core_summary(re.compile(r"(?<!\w)(?:trong\s+)?quy\s+(?:i|ii|iv)", re.I)) == [
        ("quy", 7, 7),
        ("i|ii|iv", 10, 4),
    ]
    # a repetition of non-space text without a bound has no window: run in full
    assert core_summary(re.compile(r"tai\s+\S+\s+phien\s+hop")) == []
    # every alternative brings its own core
    assert core_summary(re.compile(r"(?:ab\d|\d{1,3}cd)x", re.I)) == [
        ("(ab / cd)", 3, 4),
        ("x", 5, 1),
    ]


def test_a_pattern_without_a_window_is_skipped_only_where_its_literals_are_absent() -> None:
    # "[ivx]+" has no bound, so no window; but every match passes "den khi"
    rx = re.compile(r"(?<!\w)quy\s+[ivx]+\s+den\s+khi\s+(?:ket\s+thuc|xong)", re.I)
    family = Family([rx], min_chars=0)
    filler = "quy i va quy ii, " * 40
    for text in (
        filler,
        filler + "quy iii den khi xong",
        filler + "den khi het",
        filler + "quy iv den  khi ket thuc",
        "QUY I DEN KHI XONG " + filler,
        filler + "quy ii ſden khi xong",
    ):
        _same(family, [rx], text)
    assert family.finditer(filler + "quy iii den khi xong")[0][0].group() == "quy iii den khi xong"
    assert family.finditer(filler + "den khi het")[0] == []


def test_folded_text_has_no_case_twins() -> None:
    # the letters case-blind matching equates with a-z: exactly the 52 ASCII
    # letters and these four, and folding leaves none of the capitals
    twins = {
        chr(c)
        for c in range(0x110000)
        if not 0xD800 <= c <= 0xDFFF and re.fullmatch("[a-z]", chr(c), re.I)
    }
    assert twins - set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") == set(
        "\u0130\u0131\u017f\u212a"
    )
    assert not re.search(
        "[A-Z\u0130\u212a]",
        match_text(unicodedata.normalize("NFC", "ĐẠI HỌC KELVIN \u212a \u0130STANBUL")),
    )


def test_a_lower_case_text_runs_the_case_kept_pattern() -> None:
    from extractors.prefilter import _lower_variant

    rx = re.compile(r"(?<![A-Z])[A-Z]+\s?[^K]B(?i:x)(?-i:Q|q)", re.I)
    low = _lower_variant(rx)
    assert low is not None and not low.flags & re.I
    for text in ("abc bdxq kk bq xyz", "ab kbxq", "zz-yb xq q", "ab kbXq"):
        assert [m.span() for m in low.finditer(text.lower())] == [
            m.span() for m in rx.finditer(text.lower())
        ]
    # a cased letter outside ASCII keeps its case-blind pattern
    assert _lower_variant(re.compile("đường", re.I)) is None
    assert _lower_variant(re.compile("duong–x", re.I)) is not None


def _gate_corpus() -> str:
    return "\n".join(
        x
        for name in ("task_cues.yaml", "metadata.yaml", *FOLDED_TABLES)
        for row in pattern_table(name).rows
        for x in row.examples + row.counter_examples
    )


def test_a_head_gate_changes_no_match() -> None:
    from extractors.cues import task_cues
    from extractors.prefilter import head_gate

    corpus = _gate_corpus()
    texts = (corpus, corpus.lower(), match_text(corpus), corpus.upper())
    regexes = [
        table.compiled(row)
        for name in ("task_cues.yaml", "metadata.yaml")
        for table in [pattern_table(name)]
        for row in table.rows
    ]
    regexes += [rx for name in FOLDED_TABLES for rx in _folded_rules(name)]
    regexes.append(task_cues().collective[1])
    gated = 0
    for rx in regexes:
        gate = head_gate(rx.pattern, rx.flags)
        if gate is None:
            continue
        gated += 1
        lead = re.match(r"\s*(?:\(\?[aiLmsux]+\))?", rx.pattern)  # global flags stay first
        at = lead.end() if lead else 0
        grx = re.compile(rx.pattern[:at] + gate + rx.pattern[at:], rx.flags)
        for text in texts:
            assert [(m.span(), m.groups()) for m in grx.finditer(text)] == [
                (m.span(), m.groups()) for m in rx.finditer(text)
            ], rx.pattern[:80]
    assert gated > 50  # most rows start with words


def test_a_head_gate_reads_how_matches_start() -> None:
    from extractors.prefilter import head_gate

    # optional parts: the strings of each way in; lookarounds add nothing
    assert head_gate(r"(?<!\w)(?:các\s+)?(?:bộ|sở)\b", re.I) == "(?=b\\u1ed9|c\\xe1c|s\\u1edf)"
    # a repeat is read as far as the length asked for
    assert head_gate(r"(?:ab){0,5}c", 0) == "(?=aba|abc|c)"
    # a class of a few letters is read letter by letter, a bigger one whole
    assert head_gate(r"[xy]z\d", 0) == "(?=xz[\\d]|yz[\\d])"
    assert head_gate(r"q\d+", 0) == "(?=q[\\d])"
    assert head_gate(r"(?:ngày\s+)?\d", 0) == "(?=[\\d]|ng\\xe0)"
    # a match that may start anywhere, or with a case-blind letter in a
    # pattern that keeps case: no gate
    assert head_gate(r".x", 0) is None
    assert head_gate(r"(?:ab)?", 0) is None
    assert head_gate(r"(?i:a)b", 0) is None
    # a case-kept part in a case-blind pattern is read as it is (the gate
    # is case-blind too: it lets through more, never less)
    assert head_gate(r"(?-i:Quý)\s+x", re.I) == "(?=Qu\\xfd)"


FAST_START_CASES = [
    r"(?<![\w&])(?:so|bo)\s+(?P<n>\d+)",
    r"(?<![\w&])cac\s+(?P<what>bo|so|co\s+quan)\s*:\s*",
    r"(?<!\w)[Cc]ác\s+(?P<head>Tập\s+đoàn|Công\s+ty)\s*:",
    r"(?<=\s)(?<![.])(?:Ab|Cd|Ef)x?",
    r"(?<![\w])(?:Nguyễn|Lê|Trần)(?:[ \t]+[^\W\d_]+){1,3}",
]


@settings(max_examples=200, deadline=None)
@given(
    text=st.lists(
        st.sampled_from(
            [
                "so 1",
                "bo 22",
                "cac bo: ",
                "cac so :",
                "Các Công ty:",
                "các Tập đoàn :",
                "Ab",
                "Cdx",
                "Ef",
                "Nguyễn Văn An",
                "Lê Thị",
                "Trần",
                "x",
                "&",
                ".",
                " ",
                "\n",
                "\t",
                "1",
                "n",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_fast_start_changes_no_match(text: str) -> None:
    from extractors.prefilter import fast_start

    for pattern in FAST_START_CASES:
        rx = re.compile(pattern)
        fast = fast_start(rx)
        assert fast is not rx  # every case is rewritten
        assert [(m.span(), m.groups()) for m in fast.finditer(text)] == [
            (m.span(), m.groups()) for m in rx.finditer(text)
        ]
        for pos in range(len(text) + 1):
            a, b = rx.match(text, pos), fast.match(text, pos)
            assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups()))


def test_fast_start_keeps_what_would_get_slower() -> None:
    from extractors.prefilter import fast_start

    # many small first letters (folded place names): tried nearly everywhere
    many = re.compile(r"(?<![\w&])(?:an|bac|cao|dong|ha|kon|lao|nam)(?![\w])")
    assert fast_start(many) is many
    # case-blind letters, a lookahead first, no lookbehind: nothing to move
    for pattern, flags in ((r"(?<!\w)so\s+\d", re.I), (r"(?=s)(?<!\w)so", 0), (r"so\s+\d", 0)):
        rx = re.compile(pattern, flags)
        assert fast_start(rx) is rx


SKIP_START_CASES = [
    (r"(?<![\w&])(?:so\s+)?(?:bo|ban)(?:\s+(?P<n>\d+))?(?![\w&])", 0),  # an optional lead
    (r"(?<![\w])(?=\d|ng)(?:ngay\s+)?\d{1,2}/\d{1,2}", 0),  # a digit class among the firsts
    (r"(?<!\d)[\s,]?\d+", 0),  # classes of spaces and digits
    (r"(?:a|b)?c|d", 0),  # an alternation at the top
    # case-blind: every case of the first letters (ſ for s, the Kelvin sign for k, İ for i)
    (r"(?<!\w)(?:so\s+)?(?:bo|ban|kh|in)\b", re.I),
    (r"(?<!\w)(?:đề\s+)?(?:yêu|\d)\s", re.I),
]


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(
        st.sampled_from(
            [
                "so ",
                "bo",
                "ban",
                " 12",
                "ngay ",
                "1/2",
                "12/10",
                "c",
                "d",
                "a",
                "b",
                "&",
                ",",
                " ",
                "\n",
                "x",
                "sob",
                "Bo",
                "ngày",
                "SO ",
                "ſo ",
                "\u212ah",
                "KH",
                "İn",
                "ın",
                "IN",
                "Đề ",
                "YÊU ",
                "yêu",
                "đề ",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_skip_start_changes_no_match(text: str) -> None:
    from extractors.prefilter import skip_start

    for pattern, flags in SKIP_START_CASES:
        rx = re.compile(pattern, flags)
        fast = skip_start(rx)
        assert fast is not rx  # every case gets its first characters
        assert [(m.span(), m.groups()) for m in fast.finditer(text)] == [
            (m.span(), m.groups()) for m in rx.finditer(text)
        ]
        for pos in range(len(text) + 1):
            a, b = rx.search(text, pos), fast.search(text, pos)
            assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups()))


def test_skip_start_on_the_gazetteer_and_rule_patterns() -> None:
    from extractors.gazetteer import gazetteer, trie_pattern
    from extractors.prefilter import skip_start

    corpus = _gate_corpus()
    g = gazetteer()
    texts = (match_text(corpus), fold(corpus))
    for names in (g.heads, g.depts, [*g.province_keys, *g.district_keys]):
        rx = re.compile(trie_pattern(names))
        fast = skip_start(rx)
        assert fast is not rx
        for text in texts:
            assert [m.span() for m in fast.finditer(text)] == [m.span() for m in rx.finditer(text)]
    # the cue and metadata rows, most of them case-blind, on text in every case
    texts = (
        corpus,
        corpus.upper(),
        corpus.replace("s", "ſ"),
        corpus.replace("i", "ı"),
        "İ " + corpus.replace("k", "\u212a"),
    )
    skipping = 0
    for name in ("task_cues.yaml", "metadata.yaml"):
        table = pattern_table(name)
        for row in table.rows:
            rx = table.compiled(row)
            fast = skip_start(rx)
            skipping += fast is not rx
            for text in texts:
                assert [(m.span(), m.groups()) for m in fast.finditer(text)] == [
                    (m.span(), m.groups()) for m in rx.finditer(text)
                ], row.id
    assert skipping > 20


def test_skip_start_keeps_what_it_cannot_tell() -> None:
    from extractors.prefilter import skip_start

    # a literal prefix or first characters the engine reads itself; a match that
    # may be empty; one that may start with any character; a case-blind range
    for pattern, flags in (
        (r"(?<!\w)[a-z]\d", re.I),
        (r"so\s+\d", 0),
        (r"[ab]c", 0),
        (r"(?<!\w)x?", 0),
        (r"(?<!\w).x", 0),
    ):
        rx = re.compile(pattern, flags)
        assert skip_start(rx) is rx


def test_starts_finds_what_finditer_finds() -> None:
    from extractors.cues import task_cues
    from extractors.prefilter import Starts

    corpus = _gate_corpus()
    # capitals, the letters case-blind matching pairs (ſ, ı), one that lower()
    # makes two characters (İ): the last ones run the pattern itself
    texts = (
        corpus,
        corpus.lower(),
        corpus.upper(),
        match_text(corpus),
        corpus.replace("s", "ſ"),
        corpus.replace("i", "ı"),
        "İ " + corpus,
    )
    regexes = [
        table.compiled(row)
        for name in ("task_cues.yaml", "metadata.yaml")
        for table in [pattern_table(name)]
        for row in table.rows
    ]
    regexes += [task_cues().collective[1]]
    regexes += [rx for _row, rx in task_cues().rows["COLLECTIVE_GRAMMAR"]]
    found = 0
    for rx in regexes:
        scan = Starts(rx)
        found += scan.finder is not None
        for text in texts:
            assert [(m.span(), m.groups()) for m in scan.finditer(text)] == [
                (m.span(), m.groups()) for m in rx.finditer(text)
            ], rx.pattern[:80]
    assert found > 50


def test_starts_scans_lower_case_text_for_a_case_blind_pattern() -> None:
    from extractors.prefilter import Starts

    rx = re.compile(r"(?<!\w)(?:Ủy\s+ban|UBND)\s+(?:các|những)\s+tỉnh", re.I)
    scan = Starts(rx)
    assert scan.finder is not None and scan.finder.pattern == "ubn|ủy"
    text = "ỦY BAN các tỉnh; uBnD NHỮNG TỈNH; xubnd các tỉnh; ſ"
    assert (
        [m.group() for m in scan.finditer(text)]
        == [m.group() for m in rx.finditer(text)]
        == ["ỦY BAN các tỉnh", "uBnD NHỮNG TỈNH"]
    )
    # a pattern that may start with any letter of a class has no finder, nor
    # one whose first letter lower-cases to two (İ matches i when case is ignored)
    assert Starts(re.compile(r"[a-z]+x")).finder is None
    dotted = re.compile(r"İx", re.I)
    assert Starts(dotted).finder is None
    assert [m.span() for m in Starts(dotted).finditer("ix Ix İx")] == [
        m.span() for m in dotted.finditer("ix Ix İx")
    ]


def _cue_texts() -> list[str]:
    """The examples and counter-examples of the cue table run together, in
    their own case and in upper case."""
    table = pattern_table("task_cues.yaml")
    xs = [x for row in table.rows for x in row.examples + row.counter_examples]
    joined = [" ".join(xs[i : i + 7]) for i in range(0, len(xs), 7)]
    return [v for x in joined for v in (x, x.upper())]


def test_cue_rows_tried_by_first_character_match_as_every_row() -> None:
    from extractors.cues import task_cues

    cues = task_cues()
    for text in _cue_texts():
        for label, rows in cues.rows.items():
            for pos in range(len(text) + 1):
                for end in (len(text), pos + 9):
                    want = next((m for _r, rx in rows if (m := rx.match(text, pos, end))), None)
                    got = cues.match(label, text, pos, end)
                    # the row's pattern (compiled as a trie, branch_trie), its match and groups
                    assert (got and (got.re.pattern, got.span(), got.groups())) == (
                        want and (want.re.pattern, want.span(), want.groups())
                    )


def test_a_pattern_with_few_heads_is_tried_where_they_occur() -> None:
    from extractors.prefilter import _plan

    low = re.compile(
        r"(?<![\w])(?P<lead>tai|truoc|trong)\s+(?:phien\s+hop|hoi\s+nghi)(?![\w])", re.I
    )
    assert _plan(low).heads == ("tai", "tron", "truo")
    filler = "x " * 300
    for text in (
        filler + "tai phien hop",
        "trong hoi nghi " + filler + "truoc phien hop x",
        filler + "ntai phien hop, tai  hoi nghi, trong hoi nghiem",
        filler,
    ):
        _same(Family([low], min_chars=0), [low], text)


BRANCH_TRIE_CASES = [
    (r"(?:thực\s+hiện|triển\s+khai|tổ\s+chức|Thu|thu\s+hồi|t|chỉ\s+đạo)\b", re.I),
    # a class between alternatives keeps their order around it; a scope that
    # keeps case joins by the letter itself
    (r"(?:ba|[Bb]x|Bc|bd|(?-i:Se|se|So)|s)", re.I),
    (r"(?:sở|ſa|Sb|kh|\u212ax|k)", re.I),  # ſ is an s, the Kelvin sign a k, to the engine
    (r"(?:Bx|b|By|ſy|s|Sy)", re.I),  # "by": "b" comes first, "By" would match more
    (r"(?P<a>ab|ac)|(?P<b>ad|a)|b(?:x|y|xz)", 0),
    (r"(?<!\w)(?:các|Các|CÁC\s+sở|các\s+bộ)(?=\s)", re.I),
]


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(
        st.sampled_from(
            [
                "thực hiện",
                "THỰC HIỆN",
                "triển khai",
                "Tổ chức",
                "thu",
                "Thu hồi",
                "t",
                "chỉ đạo",
                " ",
                "ba",
                "Bx",
                "bX",
                "BC",
                "bd",
                "Se",
                "SE",
                "se",
                "So",
                "s",
                "ſ",
                "sở",
                "SỞ",
                "ſa",
                "sb",
                "kh",
                "\u212ax",
                "K",
                "By",
                "y",
                "SY",
                "ab",
                "ac",
                "ad",
                "a",
                "b",
                "xz",
                "y",
                "các",
                "CÁC sở",
                "các bộ",
            ]
        ),
        max_size=20,
    ).map("".join)
)
def test_branch_trie_changes_no_match(text: str) -> None:
    from extractors.prefilter import branch_trie

    for pattern, flags in BRANCH_TRIE_CASES:
        rx = re.compile(pattern, flags)
        trie = branch_trie(rx)
        assert trie is not rx and trie.pattern == rx.pattern
        assert trie.groupindex == rx.groupindex
        for pos in range(len(text) + 1):
            a, b = rx.match(text, pos), trie.match(text, pos)
            assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups()))
        assert [(m.span(), m.groups()) for m in trie.finditer(text)] == [
            (m.span(), m.groups()) for m in rx.finditer(text)
        ]


def test_branch_trie_on_every_cue_row() -> None:
    from extractors.cues import task_cues
    from extractors.prefilter import branch_trie, skip_start

    corpus = _gate_corpus()
    texts = (
        corpus,
        corpus.upper(),
        corpus.lower(),
        corpus.replace("s", "ſ"),
        "İ " + corpus.replace("k", "\u212a"),
    )
    cues = task_cues()
    regexes = [rx for rows in cues.rows.values() for _row, rx in rows] + [cues.collective[1]]
    joined = 0
    for rx in regexes:
        trie = branch_trie(rx)
        joined += trie is not rx
        for fast in (trie, skip_start(rx)):
            for text in texts:
                assert [(m.span(), m.groups()) for m in fast.finditer(text)] == [
                    (m.span(), m.groups()) for m in rx.finditer(text)
                ], rx.pattern[:80]
    assert joined > 30
    # nothing to join: the pattern itself
    plain = re.compile(r"(?:ab|cd)\s", re.I)
    assert branch_trie(plain) is plain


def _line_led_rows() -> list[re.Pattern[str]]:
    from extractors.prefilter import line_led

    out = []
    for name in ("metadata.yaml", "task_cues.yaml"):
        table = pattern_table(name)
        out += [rx for row in table.rows if line_led(rx := table.compiled(row))]
    return out


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_line_finditer_finds_what_finditer_finds(data: st.DataObject) -> None:
    from extractors.prefilter import line_finditer

    table = pattern_table("metadata.yaml")
    pieces = [x for row in table.rows for x in row.examples + row.counter_examples]
    bits = st.sampled_from(pieces) | st.sampled_from(["\n", "\n\n", " ", "\t", "x", "1", ":"])
    text = data.draw(st.lists(bits, max_size=12).map("".join))
    rows = _line_led_rows()
    assert len(rows) > 10
    for rx in rows:
        assert [(m.span(), m.groups()) for m in line_finditer(rx, text)] == [
            (m.span(), m.groups()) for m in rx.finditer(text)
        ], rx.pattern[:60]


def test_line_led_reads_how_a_pattern_opens() -> None:
    from extractors.prefilter import line_finditer, line_led

    assert line_led(re.compile(r"(?m)^[ \t]*Số\s*:"))
    assert not line_led(re.compile(r"^[ \t]*Số\s*:"))  # the text's start only
    assert not line_led(re.compile(r"(?m)x^|^y"))  # an alternation: not every match
    assert not line_led(re.compile(r"(?m)^\s*"))  # may match nothing
    rx = re.compile(r"(?m)^(?:a\n|b)")
    text = "a\na\nb\nxb\n\nb"
    assert [m.span() for m in line_finditer(rx, text)] == [m.span() for m in rx.finditer(text)]
