"""Run a family of rule patterns only where their literals occur.

A rule pattern such as ``deadline.month.v1`` starts with an optional lead
("hoàn thành trong", "chậm nhất là vào" ...), so the regex engine tries every
lead at every word of the text before it can fail; most of a document has no
month in it at all. As eyecite runs a citation pattern only where its
reporter's name occurs, a :class:`Family` looks for each pattern's *core*
first: a literal its every match must contain ("tháng", "/", "quý"), with
the required pieces that follow it ("tháng\\s+\\d{1,2}"). The pattern then
runs only in a window around each core, as wide as the longest match could
reach from there. No pattern is rewritten, and the matches are exactly those
of ``pattern.finditer(text)``, in the same order:

* The core is read from the compiled pattern itself (``re._parser``): a run
  of required pieces every match passes through. Where no such core exists,
  or the pattern can match an unbounded stretch of non-space text, the
  pattern runs over the whole text as before.
* The window is counted in non-space characters, so a core that runs over a
  long stretch of spaces ("tháng      6") is still inside it: every
  ``\\s+`` in a pattern counts for nothing, any other piece for its longest
  length, and every lookaround and anchor for what it can look at.
* Inside a window the pattern runs with ``finditer(text, start, end)``; the
  argument that this gives the same matches as the whole text is in
  :meth:`Family.finditer`. ``tests/extractors/test_prefilter.py`` compares
  the two on every rule table and on hostile text.
* Cores are found with ``str.find``, so they are found in folded text
  (lower case). A text with capitals, or with one of the four letters that
  case-insensitive matching equates with an ASCII letter (ſ, ı, İ, K), is
  matched in full.
* Of the possible cores of a pattern, the one whose literals occur least in
  the text at hand is used (``str.count``), so a pattern with a rare core
  (a symbol's "/") never waits on a common word.
* On a lower-case text (folded text is), a case-blind pattern runs as the
  same pattern written in lower case with case kept (:func:`_lower_variant`):
  the engine no longer lower-cases every character it compares.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import re
import re._compiler as _compiler  # type: ignore[import-not-found]
import re._constants as c  # type: ignore[import-not-found]
import re._parser as sre  # type: ignore[import-not-found]
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from re._casefix import _EXTRA_CASES  # type: ignore[import-not-found]
from typing import Any

__all__ = ["Family", "branch_trie", "core_summary", "skip_start"]

INF = float("inf")
_MAX_ANCHORS = 64  # literals one core may need to look for
_MAX_REPEAT_EXPAND = 3  # "x{0,2}" becomes "", "x", "xx"; longer repeats stop a literal
_MAX_CHECK_NODES = 12  # pieces of a run checked at a core; the rest is left to the window
_MAX_CHECK_BRANCHES = 32  # a bigger alternation (the law names) ends the check
_KEEP = 3  # cores a pattern keeps to choose from, by the text at hand
_KEEP_INNER = 2  # and cores each alternative of an alternation keeps
_MIN_REQUIRED = 4  # characters of a required literal worth looking for (":" is everywhere)
_GAP = 48  # characters between two windows that cost less to scan than a second window
_MAX_HEADS = 6  # strings a plan's matches may start with, for it to try each place they occur
_CHARS_PER_HEAD = 25  # a place tried (a Python call) costs about as much as a scan of this many
_ZERO_WIDTH = (c.AT, c.ASSERT, c.ASSERT_NOT)
# Letters that case-insensitive matching equates with ASCII letters, and the
# capitals themselves: a text with one of them is matched in full.
_CASE_TWINS = re.compile("[A-Z\u017f\u0131\u0130\u212a]")
_FLAG_LETTERS = (
    (c.SRE_FLAG_IGNORECASE, "i"),
    (c.SRE_FLAG_MULTILINE, "m"),
    (c.SRE_FLAG_DOTALL, "s"),
    (c.SRE_FLAG_ASCII, "a"),
)
_CATEGORY = {
    c.CATEGORY_DIGIT: r"\d",
    c.CATEGORY_NOT_DIGIT: r"\D",
    c.CATEGORY_SPACE: r"\s",
    c.CATEGORY_NOT_SPACE: r"\S",
    c.CATEGORY_WORD: r"\w",
    c.CATEGORY_NOT_WORD: r"\W",
}
_SPACE = re.compile(r"\s")

Node = tuple[Any, Any]


# ------------------------------------------------------------------ widths


def _is_space_char(code: int) -> bool:
    return _SPACE.match(chr(code)) is not None


def _width(node: Node) -> float:
    """The most non-space characters ``node`` can consume (``\\s+`` counts 0)."""
    op, av = node
    if op is c.LITERAL:
        return 0 if _is_space_char(av) else 1
    if op in (c.NOT_LITERAL, c.ANY):
        return 1
    if op is c.IN:
        spaces = all(
            (o is c.LITERAL and _is_space_char(a)) or (o is c.CATEGORY and a == c.CATEGORY_SPACE)
            for o, a in av
        )
        return 0 if spaces else 1
    if op is c.BRANCH:
        return max(_seq_width(alt.data) for alt in av[1])
    if op is c.SUBPATTERN:
        return _seq_width(av[-1].data)
    if op is c.ATOMIC_GROUP:
        return _seq_width(av.data)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        lo, hi, sub = av
        w = _seq_width(sub.data)
        if w == 0:
            return 0
        return INF if hi == c.MAXREPEAT else hi * w
    if op is c.GROUPREF_EXISTS:
        _group, yes, no = av
        return max(_seq_width(yes.data), _seq_width(no.data) if no else 0)
    if op in _ZERO_WIDTH:
        return 0
    return INF  # a back-reference, or what this module does not know


def _seq_width(seq: Sequence[Node]) -> float:
    return sum(_width(n) for n in seq)


def _reach(seq: Sequence[Node]) -> float:
    """What lookarounds and anchors can look at beyond what is consumed:
    every assertion's longest match plus one character, every anchor one."""
    total: float = 0
    for op, av in seq:
        if op is c.AT:
            total += 1
        elif op in (c.ASSERT, c.ASSERT_NOT):
            total += _seq_width(av[1].data) + 1 + _reach(av[1].data)
        elif op is c.BRANCH:
            total += sum(_reach(alt.data) for alt in av[1])
        elif op is c.SUBPATTERN:
            total += _reach(av[-1].data)
        elif op is c.ATOMIC_GROUP:
            total += _reach(av.data)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            inner = _reach(av[2].data)
            if inner:
                total += INF if av[1] == c.MAXREPEAT else av[1] * inner
        elif op is c.GROUPREF_EXISTS:
            total += _reach(av[1].data) + (_reach(av[2].data) if av[2] else 0)
    return total


# ------------------------------------------------------------ simple runs


def _simple(node: Node) -> bool:
    """A piece that can be written out again as a plain regex (no groups that
    matter, no conditionals, no atomic parts)."""
    op, av = node
    if op in (c.LITERAL, c.NOT_LITERAL, c.ANY, c.IN) or op in _ZERO_WIDTH:
        return True
    if op is c.BRANCH:
        return all(all(_simple(n) for n in alt.data) for alt in av[1])
    if op is c.SUBPATTERN:
        return all(_simple(n) for n in av[-1].data)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        return all(_simple(n) for n in av[2].data)
    return False


def _char(code: int) -> str:
    ch = chr(code)
    if ch.isascii() and ch.isalnum():
        return ch
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _write(seq: Sequence[Node]) -> str:
    """A simple run as regex text (lookarounds and anchors left out: the
    result matches wherever the run does, and maybe more)."""
    out = []
    for op, av in seq:
        if op is c.LITERAL:
            out.append(_char(av))
        elif op is c.NOT_LITERAL:
            out.append(f"[^{_char(av)}]")
        elif op is c.ANY:
            out.append(".")
        elif op is c.IN:
            parts = []
            for o, a in av:
                if o is c.NEGATE:
                    parts.append("^")
                elif o is c.LITERAL:
                    parts.append(_char(a))
                elif o is c.RANGE:
                    parts.append(f"{_char(a[0])}-{_char(a[1])}")
                elif o is c.CATEGORY:
                    parts.append(_CATEGORY[a])
                else:  # pragma: no cover - _simple() let nothing else through
                    raise ValueError(f"cannot write {o}")
            out.append("[" + "".join(parts) + "]")
        elif op is c.BRANCH:
            out.append("(?:" + "|".join(_write(alt.data) for alt in av[1]) + ")")
        elif op is c.SUBPATTERN:
            _group, add, delete, sub = av
            on = "".join(ch for f, ch in _FLAG_LETTERS if add & f)
            off = "".join(ch for f, ch in _FLAG_LETTERS if delete & f)
            flags = f"{on}-{off}" if off else on
            out.append(f"(?{flags}:" + _write(sub.data) + ")")
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            lo, hi, sub = av
            count = f"{{{lo},}}" if hi == c.MAXREPEAT else f"{{{lo},{hi}}}"
            lazy = "?" if op is c.MIN_REPEAT else ""
            out.append("(?:" + _write(sub.data) + ")" + count + lazy)
        # zero-width pieces are left out
    return "".join(out)


def _small(node: Node) -> bool:
    """Cheap enough to check at every core (the law-name alternation is not)."""
    op, av = node
    if op is c.BRANCH:
        return len(av[1]) <= _MAX_CHECK_BRANCHES and all(
            all(_small(n) for n in alt.data) for alt in av[1]
        )
    if op is c.SUBPATTERN:
        return all(_small(n) for n in av[-1].data)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        return all(_small(n) for n in av[2].data)
    return True


# -------------------------------------------------------- literal prefixes


def _flags_in(node: Node, flags: int) -> int:
    _group, add, delete, _sub = node[1]
    return int((flags | add) & ~delete)


def _literal(code: int, flags: int) -> set[str] | None:
    ch = chr(code)
    if flags & c.SRE_FLAG_IGNORECASE:
        if ch.isascii():  # the text is folded (lower case); _CASE_TWINS guards the rest
            return {ch.lower()}
        # a mark with no case at all ("–") is itself whatever the flags
        caseless = ch.lower() == ch == ch.upper() and unicodedata.category(ch)[0] in "PSZ"
        return {ch} if caseless else None
    return {ch}


def _node_prefixes(node: Node, flags: int) -> tuple[set[str], bool] | None:
    """(strings every match of ``node`` starts with, whether they are whole)."""
    op, av = node
    if op is c.LITERAL:
        lit = _literal(av, flags)
        return (lit, True) if lit else None
    if op is c.IN:
        chars: set[str] = set()
        for o, a in av:
            if o is c.LITERAL:
                lit = _literal(a, flags)
            elif o is c.RANGE and a[1] - a[0] < 8:
                lit = set()
                for code in range(a[0], a[1] + 1):
                    one = _literal(code, flags)
                    if one is None:
                        return None
                    lit |= one
            else:
                return None
            if lit is None:
                return None
            chars |= lit
        return (chars, True) if chars else None
    if op is c.BRANCH:
        found: set[str] = set()
        whole = True
        for alt in av[1]:
            got = _seq_prefixes(alt.data, flags)
            if got is None:
                return None
            found |= got[0]
            whole = whole and got[1]
        return found, whole
    if op is c.SUBPATTERN:
        return _seq_prefixes(av[-1].data, _flags_in(node, flags))
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        lo, hi, sub = av
        got = _seq_prefixes(sub.data, flags)
        if got is None:
            return None
        if got[1] and hi <= _MAX_REPEAT_EXPAND:
            out: set[str] = set()
            power = {""}
            for n in range(hi + 1):
                if n >= lo:
                    out |= power
                power = {a + b for a in power for b in got[0]}
                if len(power) > _MAX_ANCHORS:
                    return None
            return out, True
        return (got[0], False) if lo >= 1 else ({""}, False)
    return None


def _seq_prefixes(seq: Sequence[Node], flags: int) -> tuple[set[str], bool] | None:
    acc = {""}
    for node in seq:
        if node[0] in _ZERO_WIDTH:
            continue
        got = _node_prefixes(node, flags)
        if got is None:
            return acc, False
        acc = {a + b for a in acc for b in got[0]}
        if len(acc) > _MAX_ANCHORS:
            return None
        if not got[1]:
            return acc, False
    return acc, True


# ------------------------------------------------------------------ cores


@dataclass(frozen=True, slots=True)
class _Probe:
    """One of ``anchors`` starts a stretch that ``check`` matches.

    ``scan`` finds every place where ``check`` matches (and so every place
    where an anchor starts a match of it) with ``search`` alone: ``check``
    itself, or written for lower-case text (``scan_lower``) when it ignores
    case. None when ``check`` checks nothing (it is empty) or cannot be so
    written.
    """

    anchors: tuple[str, ...]
    check: re.Pattern[str]
    scan: re.Pattern[str] | None = None
    scan_lower: bool = False


@dataclass(frozen=True, slots=True)
class _Core:
    """What every match passes through, and how far it reaches from there.

    ``need`` is a probe, or (for an alternation) one tuple of cores per
    alternative: every match passes one core of one alternative. The match
    and all that it looks at lie within ``before`` non-space characters
    before the core's start and ``after`` from it on.
    """

    need: _Probe | tuple[tuple[_Core, ...], ...]
    before: float
    after: float

    def shifted(self, before: float, after: float) -> _Core:
        return _Core(self.need, self.before + before, self.after + after)


def _run_core(
    seq: Sequence[Node], k: int, end: int, flags: int, widths: list[float]
) -> _Core | None:
    """The core that starts at piece ``k`` of the simple run ``seq[k:end]``."""
    got = _seq_prefixes(seq[k:end], flags)
    if got is None or not got[0] or "" in got[0]:
        return None
    run: list[Node] = []
    for node in seq[k:end]:
        if len(run) >= _MAX_CHECK_NODES or not _small(node):
            break
        run.append(node)
    check = re.compile(_write(run), flags & ~c.SRE_FLAG_VERBOSE)
    anchors = tuple(sorted(got[0]))
    if not check.pattern:
        probe = _Probe(anchors, check)
    elif _case_blind(sre.parse(check.pattern, check.flags).data, int(check.flags)):
        probe = _Probe(anchors, check, _lower_variant(check), True)
    else:
        probe = _Probe(anchors, check, check)
    return _Core(probe, sum(widths[:k]), sum(widths[k:]))


def _alternatives(
    alts: Sequence[Sequence[Node]], flags: int, before: float, after: float
) -> list[_Core]:
    """One core for an alternation whose every alternative has cores."""
    if len(alts) > _MAX_CHECK_BRANCHES:
        return []
    options = tuple(_distinct(_cores(alt, flags), _KEEP_INNER) for alt in alts)
    if not all(options):
        return []
    b = max(k.before for opts in options for k in opts)
    a = max(k.after for opts in options for k in opts)
    return [_Core(options, b + before, a + after)]


def _cores(seq: Sequence[Node], flags: int, *, bounded: bool = True) -> list[_Core]:
    """Every core of a sequence; ``before``/``after`` count from its ends.
    With ``bounded`` False, the cores that may lie any distance from a
    match's ends are kept too (what every match contains, with no window)."""
    widths = [_width(n) for n in seq]
    out: list[_Core] = []
    run_end = 0
    prev_literal = False
    for i, node in enumerate(seq):
        op, av = node
        if op in _ZERO_WIDTH:
            continue
        before, after = sum(widths[:i]), sum(widths[i + 1 :])
        if _simple(node):
            if run_end <= i:
                run_end = i
                while run_end < len(seq) and _simple(seq[run_end]):
                    run_end += 1
                prev_literal = False
            # a literal inside a word starts no core of its own ("thang", not "ang")
            if not (prev_literal and op is c.LITERAL):
                core = _run_core(seq, i, run_end, flags, widths)
                if core is not None:
                    out.append(core)
            prev_literal = op is c.LITERAL
        if op is c.SUBPATTERN:
            out += [
                k.shifted(before, after)
                for k in _cores(av[-1].data, _flags_in(node, flags), bounded=bounded)
            ]
        elif op is c.ATOMIC_GROUP:
            out += [k.shifted(before, after) for k in _cores(av.data, flags, bounded=bounded)]
        elif op is c.BRANCH:
            out += _alternatives([alt.data for alt in av[1]], flags, before, after)
        elif op is c.GROUPREF_EXISTS and av[2] is not None:
            out += _alternatives([av[1].data, av[2].data], flags, before, after)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            lo, hi, sub = av
            rest = (hi - 1) * _seq_width(sub.data) if hi != c.MAXREPEAT else INF
            if _seq_width(sub.data) == 0:
                rest = 0
            out += [
                k.shifted(before + rest, after + rest)
                for k in _cores(sub.data, flags, bounded=bounded)
            ]
    if not bounded:
        return out
    return [k for k in out if k.before < INF and k.after < INF]


@dataclass(frozen=True, slots=True)
class _Plan:
    regex: re.Pattern[str]
    cores: tuple[_Core, ...]  # empty: run over the whole text
    case_blind: bool  # its literals are case-blind: str.find needs a lower-case text
    lower: re.Pattern[str] | None = None  # the same pattern for lower-case text, case kept
    heads: tuple[str, ...] = ()  # lower case: every match starts with one (none: not known)
    finder: re.Pattern[str] | None = None  # the heads as one case-kept pattern
    # for a pattern with no window to run in: cores every match passes, however far
    # from its ends (a text where one of them occurs nowhere has no match)
    required: tuple[_Core, ...] = ()


@cache
def _plan(regex: re.Pattern[str]) -> _Plan:
    try:
        tree = sre.parse(regex.pattern, regex.flags)
    except Exception:  # noqa: BLE001 - an exotic pattern: run it in full
        return _Plan(regex, (), False)
    flags = int(tree.state.flags)
    extra = _reach(tree.data)
    cores = _distinct((k.shifted(extra, extra) for k in _cores(tree.data, flags)), _KEEP)
    required = () if cores else _required(tree.data, flags)
    blind = _case_blind(tree.data, flags)
    if not blind:
        return _Plan(regex, cores, blind, required=required)
    # a pattern that opens with an optional lead ("(?:hoàn thành )?trong tháng")
    # is tried in full at every word: a gate of its first strings turns most
    # words away at once (measured: 25-60 % less time per such pattern; a
    # pattern that opens with a word or a choice of words gains nothing)
    gate = head_gate(regex.pattern, regex.flags, 4) if _optional_lead(tree.data) else None
    lower = _lower_variant(regex, gate)
    starts = Starts(regex, 4)
    if lower is None or starts.finder is None or len(starts.heads) > _MAX_HEADS:
        return _Plan(regex, cores, blind, lower, required=required)
    return _Plan(regex, cores, blind, lower, starts.heads, starts.finder, required)


def _required(seq: Sequence[Node], flags: int) -> tuple[_Core, ...]:
    """Cores every match passes that lie too far from its ends for a window
    (after a "[ivx]+"), the :data:`_KEEP` with the longest shortest literal:
    where one of them occurs nowhere, the pattern has no match."""
    found: dict[str, _Core] = {}
    for k in _cores(seq, flags, bounded=False):
        if k.before == INF or k.after == INF:
            found.setdefault(_describe(k), k)
    return tuple(sorted(found.values(), key=lambda k: -_shortest(k))[:_KEEP])


def _optional_lead(seq: Sequence[Node]) -> bool:
    """Whether the first piece a match consumes may be skipped (``(?:x)?``),
    in one of its alternatives at least."""
    for op, av in seq:
        if op in _ZERO_WIDTH:
            continue
        if op is c.SUBPATTERN:
            return _optional_lead(av[-1].data)
        if op is c.BRANCH:
            return any(_optional_lead(alt.data) for alt in av[1])
        return op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] == 0
    return False


# -- the same pattern for lower-case text ---------------------------------------
#
# Matching without regard to case makes the engine lower-case every character
# it compares. On a text where every character is its own lower case and none
# of the letters case-blind matching equates with a-z (ı, ſ) occurs, a pattern
# matches exactly as the same pattern with its ASCII letters written in lower
# case and case kept: a case-blind "k" then meets only "k", a case-blind class
# only its own characters in lower case. A pattern with a cased letter outside
# ASCII keeps matching without regard to case.


class _Cased(Exception):
    """A cased letter outside ASCII: no lower-case variant."""


def _low(code: int) -> int:
    ch = chr(code)
    if ch.isascii():
        return ord(ch.lower())
    if ch.lower() != ch or ch.upper() != ch:
        raise _Cased
    return code


def _lower_items(items: list[Node]) -> list[Node]:
    out = list(items)
    for o, a in items:
        if o is c.LITERAL and _low(a) != a:
            out.append((c.LITERAL, _low(a)))
        elif o is c.RANGE:
            lo, hi = a
            if hi > 0x7F and any(
                chr(x).lower() != chr(x) or chr(x).upper() != chr(x)
                for x in range(max(lo, 0x80), hi + 1)
            ):
                raise _Cased
            a_lo, a_hi = max(lo, 0x41), min(hi, 0x5A)  # A-Z inside the range
            if a_lo <= a_hi:
                out.append((c.RANGE, (a_lo + 0x20, a_hi + 0x20)))
    return out


def _lower_seq(seq: Any, blind: bool) -> Any:
    out = sre.SubPattern(seq.state)
    for op, av in seq.data:
        if op in (c.LITERAL, c.NOT_LITERAL):
            out.append((op, _low(av) if blind else av))
        elif op is c.IN:
            out.append((op, _lower_items(av) if blind else av))
        elif op is c.BRANCH:
            out.append((op, (av[0], [_lower_seq(alt, blind) for alt in av[1]])))
        elif op is c.SUBPATTERN:
            group, add, delete, sub = av
            inner = (blind or bool(add & c.SRE_FLAG_IGNORECASE)) and not (
                delete & c.SRE_FLAG_IGNORECASE
            )
            out.append(
                (
                    op,
                    (
                        group,
                        add & ~c.SRE_FLAG_IGNORECASE,
                        delete & ~c.SRE_FLAG_IGNORECASE,
                        _lower_seq(sub, inner),
                    ),
                )
            )
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            out.append((op, (av[0], av[1], _lower_seq(av[2], blind))))
        elif op in (c.ASSERT, c.ASSERT_NOT):
            out.append((op, (av[0], _lower_seq(av[1], blind))))
        elif op is c.ATOMIC_GROUP:
            out.append((op, _lower_seq(av, blind)))
        elif op is c.GROUPREF_EXISTS:
            no = _lower_seq(av[2], blind) if av[2] is not None else None
            out.append((op, (av[0], _lower_seq(av[1], blind), no)))
        elif op in (c.GROUPREF, c.GROUPREF_IGNORE) and blind:
            raise _Cased  # a back-reference compares case-blind
        else:
            out.append((op, av))
    return out


def skip_start(regex: re.Pattern[str] | str, flags: int = 0) -> re.Pattern[str]:
    """``regex`` compiled so that the engine skips, in C, to the characters
    its matches can start with, where it cannot tell them itself (a pattern
    that opens with a lookbehind or an optional part is otherwise tried at
    every position); compiled as usual when they are not known (a compiled
    ``regex`` is then returned as it is).
    The same matches; the ``pattern`` of a pattern skipping so is None.

    Example:
        >>> rx = skip_start(r"(?<![\\w])(?:so\\s+)?(?:bo|ban)\\b")
        >>> [m.span() for m in rx.finditer("cac bo, so ban va boi")]
        [(4, 6), (8, 14)]
    """
    pattern, flags = (regex, flags) if isinstance(regex, str) else (regex.pattern, regex.flags)
    try:
        tree = sre.parse(pattern, flags)
    except Exception:  # noqa: BLE001 - an exotic pattern: as it is
        return re.compile(regex, flags) if isinstance(regex, str) else regex
    if _skip_chars(tree, flags) is None:
        return re.compile(regex, flags) if isinstance(regex, str) else regex
    return _compile_skipping(tree, flags)  # type: ignore[no-any-return]


def _compile_skipping(tree: Any, flags: int) -> Any:
    """``tree`` compiled (as ``re._compiler.compile``), with the characters
    its matches start with in its info block when the compiler finds
    neither a literal prefix nor a first character set itself. Their set is
    read by :func:`_heads`, as :func:`head_gate` reads it, so every match
    starts with one of them: the engine, which then tries the pattern only
    at those characters, finds the same matches."""
    items = _skip_chars(tree, flags)
    if items is None:
        return _compiler.compile(tree, flags)
    flags |= int(tree.state.flags)
    lo, hi = tree.getwidth()
    charset, _cased = _compiler._optimize_charset(items)
    code = [c.INFO, 0, c.SRE_INFO_CHARSET, min(lo, _compiler.MAXCODE), min(hi, _compiler.MAXCODE)]
    _compiler._compile_charset(charset, flags, code)
    code[1] = len(code) - 1  # the info block's length, as _compile_info writes it
    # alternatives joined by first letter (branch_trie): fewer branches tried at each place
    _compiler._compile(code, _by_first(tree, bool(flags & c.SRE_FLAG_IGNORECASE)).data, flags)
    code.append(c.SUCCESS)
    groupindex = tree.state.groupdict
    indexgroup: list[str | None] = [None] * tree.state.groups
    for k, i in groupindex.items():
        indexgroup[i] = k
    return _sre.compile(None, flags, code, tree.state.groups - 1, groupindex, tuple(indexgroup))


def _skip_chars(tree: Any, flags: int) -> list[Node] | None:
    """:func:`_first_chars` of ``tree`` when the compiler would find no
    literal prefix and no first characters itself."""
    flags |= int(tree.state.flags)
    if flags & (c.SRE_FLAG_LOCALE | c.SRE_FLAG_ASCII) or tree.getwidth()[0] == 0:
        return None
    prefix, _skip, _all = _compiler._get_literal_prefix(tree, flags)
    if prefix or _compiler._get_charset_prefix(tree, flags):
        return None
    return _first_chars(tree, bool(flags & c.SRE_FLAG_IGNORECASE))


def _first_chars(tree: Any, blind: bool) -> list[Node] | None:
    """The set every match of ``tree`` starts with, as items of a class that
    compares case (every case a case-blind letter matches: ``blind``);
    None when not known (a match may be empty or start anywhere)."""
    got = _heads(tree.data, int(tree.state.flags), 1, blind)
    if not got:
        return None
    items: list[Node] = []
    for pieces, _more in got:
        if not pieces:
            return None
        ch = _raw(pieces[0])
        if ch is not None:
            codes = _matched_blind(ord(ch)) if blind else (ord(ch),)
            items.extend((c.LITERAL, x) for x in codes)
            continue
        sub = sre.parse(pieces[0], 0).data  # a class written by _write
        if len(sub) != 1 or sub[0][0] is not c.IN or any(o is c.NEGATE for o, _a in sub[0][1]):
            return None
        if blind and any(o is not c.CATEGORY for o, _a in sub[0][1]):
            return None  # \d, \s, \w hold every case of what they hold; a range may not
        items.extend(sub[0][1])
    return items


def _matched_blind(code: int) -> tuple[int, ...]:
    """Every character a case-blind ``code`` matches, as the compiler makes
    it compare: those whose lower case is the lower case of ``code`` or one
    of its extra cases (ſ for s, the Kelvin sign for k)."""
    lo = _sre.unicode_tolower(code)
    targets = (lo, *_EXTRA_CASES.get(lo, ()))
    inverse = _lower_inverse()
    out = {y for y in targets if _sre.unicode_tolower(y) == y}
    for y in targets:
        out.update(inverse.get(y, ()))
    out.add(code)
    return tuple(sorted(out))


@cache
def _lower_inverse() -> dict[int, tuple[int, ...]]:
    """For every lower case, the other characters that have it (0.1 s, once)."""
    inverse: dict[int, list[int]] = {}
    tolower = _sre.unicode_tolower
    for x in range(0x110000):
        y = tolower(x)
        if y != x:
            inverse.setdefault(y, []).append(x)
    return {y: tuple(xs) for y, xs in inverse.items()}


def _by_first(seq: Any, blind: bool = False) -> Any:
    """``seq`` with the alternatives of each alternation that start with the
    same literal character joined into one, as a trie: "(?:nd\\s|nq\\s|nghi)"
    becomes "(?:n(?:d\\s|q\\s|ghi))". The engine then tries one branch per
    character where it tried one per alternative. Two alternatives that start
    with different literal characters never both match at one place, so only
    alternatives between which no other kind of alternative (a class, a
    group) stands are joined, each keeping its order among those of its
    character: the same matches, found the same way. Where case is ignored
    (``blind``, or a scope's flag), "the same character" is every character
    the letter matches (``b`` and ``B``; ``s``, ``S`` and ``ſ``): letters
    that match different characters never both match at one place either."""
    out = sre.SubPattern(seq.state)
    for op, av in seq.data:
        if op is c.BRANCH:
            out.append(
                (op, (av[0], _joined([_by_first(alt, blind) for alt in av[1]], seq.state, blind)))
            )
        elif op is c.SUBPATTERN:
            inner = _flags_in((op, av), c.SRE_FLAG_IGNORECASE if blind else 0)
            out.append((op, (*av[:3], _by_first(av[3], bool(inner & c.SRE_FLAG_IGNORECASE)))))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            out.append((op, (av[0], av[1], _by_first(av[2], blind))))
        elif op in (c.ASSERT, c.ASSERT_NOT):
            out.append((op, (av[0], _by_first(av[1], blind))))
        elif op is c.ATOMIC_GROUP:
            out.append((op, _by_first(av, blind)))
        elif op is c.GROUPREF_EXISTS:
            out.append(
                (
                    op,
                    (
                        av[0],
                        _by_first(av[1], blind),
                        _by_first(av[2], blind) if av[2] is not None else None,
                    ),
                )
            )
        else:
            out.append((op, av))
    return out


def _joined(alts: list[Any], state: Any, blind: bool = False) -> list[Any]:
    """:func:`_by_first`'s step for one alternation's alternatives."""
    out: list[Any] = []
    # the characters a first letter matches -> alternatives, since the last other kind
    run: dict[Any, list[Any]] = {}

    def flush() -> None:
        for same in run.values():
            if len(same) == 1:
                out.append(same[0])
                continue
            rests = []
            for alt in same:
                rest = sre.SubPattern(state)
                rest.data = alt.data[1:]
                rests.append(rest)
            joined = sre.SubPattern(state)
            joined.data = [same[0].data[0], *_by_first_branch(rests, state, blind)]
            out.append(joined)
        run.clear()

    for alt in alts:
        if alt.data and alt.data[0][0] is c.LITERAL:
            code = alt.data[0][1]
            run.setdefault(_matched_blind(code) if blind else code, []).append(alt)
        else:
            flush()
            out.append(alt)
    flush()
    return out


def _by_first_branch(rests: list[Any], state: Any, blind: bool = False) -> list[Any]:
    """The alternation of ``rests`` (joined in turn), as the items of a sequence."""
    return [(c.BRANCH, (None, _joined(rests, state, blind)))]


def branch_trie(regex: re.Pattern[str]) -> re.Pattern[str]:
    """``regex`` compiled with the alternatives of each alternation that start
    with the same letter joined (:func:`_by_first`), case-blind ones too: a
    cue row of a hundred verbs ("thực hiện|triển khai|tổ chức|...") is tried
    at a place with one branch per first letter, not one per verb. The same
    matches, groups and ``pattern``; ``regex`` itself when nothing joins (or
    its flags are ASCII or LOCALE, whose case rules are not read here).

    Example:
        >>> rx = branch_trie(re.compile(r"(?:thực\\s+hiện|triển\\s+khai|Tổ\\s+chức)\\b", re.I))
        >>> rx.match("TỔ CHỨC họp").group(), rx.pattern.startswith("(?:thực")
        ('TỔ CHỨC', True)
    """
    if regex.flags & (c.SRE_FLAG_ASCII | c.SRE_FLAG_LOCALE) or not isinstance(regex.pattern, str):
        return regex
    try:
        tree = sre.parse(regex.pattern, regex.flags)
    except Exception:  # noqa: BLE001 - an exotic pattern: as it is
        return regex
    flags = regex.flags | int(tree.state.flags)
    joined = _by_first(tree, bool(flags & c.SRE_FLAG_IGNORECASE))
    code = _compiler._code(joined, flags)
    if code == _compiler._code(tree, flags):
        return regex
    indexgroup: list[str | None] = [None] * tree.state.groups
    for k, i in tree.state.groupdict.items():
        indexgroup[i] = k
    return _sre.compile(  # type: ignore[no-any-return]
        regex.pattern, flags, code, tree.state.groups - 1, tree.state.groupdict, tuple(indexgroup)
    )


def _lower_variant(regex: re.Pattern[str], gate: str | None = None) -> re.Pattern[str] | None:
    """``regex`` for lower-case text, with case kept; None when it can't be had.
    ``gate`` (a :func:`head_gate` of it) goes after its leading lookarounds."""
    try:
        tree = sre.parse(regex.pattern, regex.flags)
        if gate is not None:
            at = 0
            while at < len(tree.data) and tree.data[at][0] in _ZERO_WIDTH:
                at += 1
            tree.data[at:at] = sre.parse(gate, regex.flags & ~c.SRE_FLAG_VERBOSE).data
        blind = bool(tree.state.flags & c.SRE_FLAG_IGNORECASE)
        low = _lower_seq(tree, blind)
        low.state.flags &= ~c.SRE_FLAG_IGNORECASE
        compiled = _compile_skipping(_by_first(low), regex.flags & ~c.SRE_FLAG_IGNORECASE)
    except (_Cased, AttributeError, TypeError, ValueError, re.error):
        return None
    return compiled if isinstance(compiled, re.Pattern) else None


def _distinct(cores: Iterable[_Core], keep: int) -> tuple[_Core, ...]:
    """One core per set of literals (the one with the narrowest window), and
    of those the ``keep`` with the longest shortest literal: the text decides
    between a few, counting each costs a pass over it."""
    best: dict[str, _Core] = {}
    for k in cores:
        if k.before == INF or k.after == INF:
            continue
        key = _describe(k)
        if key not in best or k.before + k.after < best[key].before + best[key].after:
            best[key] = k
    ranked = sorted(best.values(), key=lambda k: (-_shortest(k), k.before + k.after))
    return tuple(ranked[:keep])


def _shortest(core: _Core) -> int:
    """The length of the shortest literal a core may have to look for."""
    if isinstance(core.need, _Probe):
        return min(len(a) for a in core.need.anchors)
    return min(max(_shortest(k) for k in opts) for opts in core.need)


def _case_blind(seq: Sequence[Node], flags: int) -> bool:
    """Whether some part of the pattern ignores case."""
    if flags & c.SRE_FLAG_IGNORECASE:
        return True
    for op, av in seq:
        if op is c.SUBPATTERN and _case_blind(av[-1].data, _flags_in((op, av), flags)):
            return True
        if op is c.BRANCH and any(_case_blind(alt.data, flags) for alt in av[1]):
            return True
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and _case_blind(
            av[2].data, flags
        ):
            return True
        if op in (c.ASSERT, c.ASSERT_NOT) and _case_blind(av[1].data, flags):
            return True
        if op is c.ATOMIC_GROUP and _case_blind(av.data, flags):
            return True
        if op is c.GROUPREF_EXISTS and (
            _case_blind(av[1].data, flags) or (av[2] is not None and _case_blind(av[2].data, flags))
        ):
            return True
    return False


def _describe(core: _Core) -> str:
    if isinstance(core.need, _Probe):
        return "|".join(core.need.anchors)
    return "(" + " / ".join(" or ".join(_describe(k) for k in opts) for opts in core.need) + ")"


def core_summary(regex: re.Pattern[str]) -> list[tuple[str, float, float]]:
    """The cores a pattern can run from: (literals, before, after).

    Example:
        >>> core_summary(re.compile(r"(?:trong\\s+)?thang\\s+(?P<m>\\d{1,2})(?!\\d)", re.I))
        [('thang', 7, 9)]
    """
    return [(_describe(k), k.before, k.after) for k in _plan(regex).cores]


def required_literals(regex: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings, as written (case kept), one of which every match of ``regex``
    contains: a text that holds none of them has no match, so ``in`` tells
    it before a search that would find nothing. The anchors of one of the
    pattern's cores (one that contains another is implied by it and left
    out), the core with the fewest, then the longest, of those whose every
    anchor has ``_MIN_REQUIRED`` characters; None when there is none or
    some part of the pattern ignores case.

    Example:
        >>> required_literals(re.compile(r"(?m)^[ \\t]*(?:Ngày|Cập nhật)[ ]?:[ ]?\\d{1,2}"))
        ('Cập nhật :', 'Cập nhật:', 'Ngày :', 'Ngày:')
        >>> required_literals(re.compile(r"ngày\\s+\\d+", re.I)) is None
        True
    """
    plan = _plan(regex)
    if plan.case_blind:
        return None
    best: tuple[str, ...] | None = None
    for k in plan.cores:
        need = k.need
        if not isinstance(need, _Probe) or not need.anchors or "" in need.anchors:
            continue
        got = tuple(a for a in need.anchors if not any(b != a and b in a for b in need.anchors))
        if min(map(len, got)) < _MIN_REQUIRED:
            continue  # ":" or "19": in nearly every text
        if best is None or (len(got), -min(map(len, got))) < (len(best), -min(map(len, best))):
            best = got
    return best


# --------------------------------------------------------------- running


_BACK: dict[int, re.Pattern[str]] = {}
_FWD: dict[int, re.Pattern[str]] = {}


def _back_re(n: int) -> re.Pattern[str]:
    if n not in _BACK:
        _BACK[n] = re.compile(rf"\s*(?:\S\s*){{0,{n}}}")
    return _BACK[n]


def _fwd_re(n: int) -> re.Pattern[str]:
    if n not in _FWD:
        _FWD[n] = re.compile(rf"(?:\s*\S){{0,{n}}}\s*")
    return _FWD[n]


class _Text:
    """One text being matched: where each literal occurs, how often, and the
    text reversed (to count characters backwards)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.case_twins = _CASE_TWINS.search(text) is not None
        # every character its own lower case, and no ı or ſ: _Plan.lower applies
        self.lower = not self.case_twins and text.lower() == text
        self._reversed: str | None = None
        self._found: dict[str, list[int]] = {}
        self.counts: dict[str, int] = {}
        self.costs: dict[int, int] = {}  # id(core) -> _cost (cores live as long as their plan)
        self._scanned: dict[int, list[int]] = {}  # id(probe) -> where its scan matches

    def scanned(self, probe: _Probe) -> list[int] | None:
        """Every place where ``probe.check`` matches (found by its scan);
        None when it has no scan for this text."""
        found = self._scanned.get(id(probe))
        if found is None:
            scan = probe.scan
            if scan is None or (probe.scan_lower and not self.lower):
                return None
            found, search, text = [], scan.search, self.text
            m = search(text)
            while m is not None:
                found.append(m.start())
                m = search(text, m.start() + 1)
            self._scanned[id(probe)] = found
        return found

    def positions(self, literal: str) -> list[int]:
        found = self._found.get(literal)
        if found is None:
            found, find = [], self.text.find
            at = find(literal)
            while at >= 0:
                found.append(at)
                at = find(literal, at + 1)
            self._found[literal] = found
        return found

    def back(self, pos: int, n: int) -> int:
        """The start of the ``n`` non-space characters (and spaces) before ``pos``."""
        if self._reversed is None:
            self._reversed = self.text[::-1]
        size = len(self.text)
        m = _back_re(n).match(self._reversed, size - pos)
        return size - m.end() if m else pos

    def fwd(self, pos: int, n: int) -> int:
        """The end of the ``n`` non-space characters (and spaces) from ``pos``."""
        m = _fwd_re(n).match(self.text, pos)
        return m.end() if m else pos


_last: _Text | None = None  # the text matched last: the next family often matches it too


def _text(text: str) -> _Text:
    """The :class:`_Text` of ``text``, shared by the families that match it in turn
    (what it caches depends on the text alone)."""
    global _last
    last = _last
    if last is not None and last.text is text:
        return last
    _last = t = _Text(text)
    return t


def _cost(core: _Core, t: _Text) -> int:
    """How many places a core's literals occur (the fewest wins)."""
    costs = t.costs
    cost = costs.get(id(core))
    if cost is None:
        need = core.need
        cost = 0
        if isinstance(need, _Probe):
            counts = t.counts
            for a in need.anchors:
                n = counts.get(a)
                if n is None:
                    n = counts[a] = t.text.count(a)
                cost += n
        else:
            for opts in need:
                best = -1
                for k in opts:
                    n = _cost(k, t)
                    if best < 0 or n < best:
                        best = n
                cost += best
        costs[id(core)] = cost
    return cost


def _capped(core: _Core, t: _Text, cap: int) -> int:
    """:func:`_cost` when it is below ``cap``; else a number at least ``cap``
    (the counting stops there: a core that common is of no use)."""
    costs = t.costs
    cost = costs.get(id(core))
    if cost is not None:
        return cost
    need = core.need
    total = 0
    if isinstance(need, _Probe):
        counts, text = t.counts, t.text
        for a in need.anchors:
            n = counts.get(a)
            if n is None:
                n = counts[a] = text.count(a)
            total += n
            if total >= cap:
                return total
    else:
        for opts in need:
            best = cap - total  # an option that common is of no use
            for k in opts:
                n = _capped(k, t, best)
                if n < best:
                    best = n
            total += best
            if total >= cap:
                return total
    costs[id(core)] = total  # below the cap: every count was whole
    return total


def _cheapest(cores: Sequence[_Core], t: _Text) -> _Core:
    """The first of ``cores`` with the lowest :func:`_cost`."""
    best, low = cores[0], _cost(cores[0], t)
    for k in cores[1:]:
        n = _cost(k, t)
        if n < low:
            best, low = k, n
    return best


def _starts(core: _Core, t: _Text, out: set[int]) -> None:
    """Where ``core`` occurs in the text (its cheapest option in each alternative)."""
    if isinstance(core.need, _Probe):
        match, text = core.need.check.match, t.text
        for a in core.need.anchors:
            out.update(at for at in t.positions(a) if match(text, at))
        return
    for opts in core.need:
        _starts(_cheapest(opts, t), t, out)


def _windows(plan: _Plan, t: _Text) -> list[tuple[int, int]] | None:
    """The stretches where ``plan``'s pattern can match; None: the whole text.

    The core whose windows would cover least of the text is used; when the
    literals of every core are so common that its windows would cover it
    all, a core whose probe has a scan is counted where the scan finds its
    check (a "." starts few dates); if still none will do, the whole text.
    """
    if not plan.cores or (plan.case_blind and t.case_twins):
        return None
    size = len(t.text)
    core: _Core | None = None
    cover = size  # windows that would cover this much are worth no more than the text
    for k in plan.cores:
        width = int(k.before) + int(k.after) + 2
        cap = -(-cover // width)
        n = _capped(k, t, cap)
        if n < cap:
            core, cover = k, n * width
    found: set[int] = set()
    if core is not None:
        if cover:
            _starts(core, t, found)
    else:
        for k in plan.cores:
            scanned = t.scanned(k.need) if isinstance(k.need, _Probe) else None
            width = int(k.before) + int(k.after) + 2
            if scanned is not None and len(scanned) * width < cover:
                core, cover = k, len(scanned) * width
                found = set(scanned)
        if core is None:
            return None  # windows would cover the text: running it whole costs less
    before, after = int(core.before) + 1, int(core.after) + 1
    # Cores this close share one window, from the first one's start to the
    # last one's end (both move on with the core), gap and all: a window
    # over more than the cores' own windows finds the same matches (see
    # Family.finditer), and one window less is one scan less.
    near = before + after + _GAP
    spots = sorted(found)
    out: list[tuple[int, int]] = []
    i, n = 0, len(spots)
    while i < n:
        first = last = spots[i]
        i += 1
        while i < n and spots[i] - last <= near:
            last = spots[i]
            i += 1
        start, end = t.back(first, before), t.fwd(last, after)
        if out and start <= out[-1][1] + _GAP:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _absent(plan: _Plan, t: _Text) -> bool:
    """Whether one of ``plan.required`` occurs nowhere in the text: every match
    passes each of them, so the pattern has no match there."""
    if plan.case_blind and t.case_twins:
        return False  # its literals are looked for in lower case
    for k in plan.required:
        if _capped(k, t, 1) == 0:
            return True
        found: set[int] = set()
        _starts(k, t, found)
        if not found:
            return True
    return False


def _nowhere(plan: _Plan, t: _Text) -> bool:
    """Whether none of the literals of one of ``plan``'s cores occurs in the
    text: every match contains each core, so the pattern has no match there.
    Looked for with ``in``, which stops at the first one found (a common core
    costs next to nothing, a missing one a fast pass), against a scan of the
    whole text by the engine (the legal references: "tcvn" or "qcvn" in few
    texts)."""
    if plan.case_blind and t.case_twins:
        return False  # its literals are looked for in lower case
    text = t.text
    for k in plan.cores:
        need = k.need
        if isinstance(need, _Probe) and not any(a in text for a in need.anchors):
            return True
    return False


def _head_count(heads: tuple[str, ...], t: _Text, cover: int) -> int:
    """How many places one of ``heads`` starts (counting stops once the places
    would cost more than a scan of ``cover`` characters)."""
    counts, text = t.counts, t.text
    total, cap = 0, cover // _CHARS_PER_HEAD
    for h in heads:
        n = counts.get(h)
        if n is None:
            n = counts[h] = text.count(h)
        total += n
        if total >= cap:
            break
    return total


def _tried_at_heads(finder: re.Pattern[str], rx: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """``rx.finditer(text)`` where every match starts where ``finder`` matches
    (at one of its heads): ``rx`` is tried there only (as in :class:`Starts`)."""
    out = []
    search, match = finder.search, rx.match
    f = search(text)
    while f is not None:
        m = match(text, f.start())
        if m is not None:  # never empty: a pattern with heads consumes them
            out.append(m)
            f = search(text, m.end())
        else:
            f = search(text, f.start() + 1)
    return out


class Family:
    """A family of patterns run over one text, each only where its core occurs.

    Example:
        >>> f = Family([re.compile(r"(?<!\\w)(?:trong\\s+)?tháng\\s+\\d{1,2}"),
        ...             re.compile(r"quý\\s+[iv]+")], min_chars=0)
        >>> [[m.group() for m in ms] for ms in f.finditer("xong trong tháng 6, quý ii")]
        [['trong tháng 6'], ['quý ii']]
    """

    def __init__(self, regexes: Sequence[re.Pattern[str]], *, min_chars: int = 256) -> None:
        self.plans = tuple(_plan(rx) for rx in regexes)
        self.min_chars = min_chars  # a shorter text is matched in full: looking costs more

    def finditer(self, text: str) -> list[list[re.Match[str]]]:
        """For each pattern, the matches of ``pattern.finditer(text)``.

        Why the windows give the same matches: every match contains a core
        that starts at an anchor, and everything the engine looks at while
        it tries a position that leads to a match (the characters it
        consumes, its lookarounds' and anchors') lies within ``before``
        non-space characters before the core and ``after`` from it, so
        within the window. So, in a window cut out of the text, a position
        that matches in the whole text matches the same way, and one that
        doesn't matches nowhere: a match found in the window would contain a
        core whose own window already reaches over all it looked at, so the
        whole text would give it too. Windows that overlap are merged, and a
        match never leaves its window, so they are read in order. The same
        holds for a window joined to the next over a short gap: a match
        found in the gap would contain a core, whose own window lies inside
        the joined one; and a match of the whole text that ran into the
        window from before it would contain a core whose window overlaps it,
        so the two would have been merged.
        """
        if len(text) < self.min_chars:
            return [list(plan.regex.finditer(text)) for plan in self.plans]
        t = _text(text)
        size = len(text)
        out: list[list[re.Match[str]]] = []
        for plan in self.plans:
            rx = plan.lower if plan.lower is not None and t.lower else plan.regex
            windows = _windows(plan, t)
            if windows is None and plan.required and _absent(plan, t):
                out.append([])
                continue
            if plan.finder is not None and t.lower:
                cover = size if windows is None else sum(b - a for a, b in windows)
                if _head_count(plan.heads, t, cover) * _CHARS_PER_HEAD < cover:
                    out.append(_tried_at_heads(plan.finder, rx, text))
                    continue
            if windows is None:
                out.append(list(rx.finditer(text)))
            else:
                out.append([m for a, b in windows for m in rx.finditer(text, a, b)])
        return out

    def finditer_whole(self, text: str) -> list[list[re.Match[str]]]:
        """:meth:`finditer` without windows: each pattern over the whole text
        (as the same pattern in lower case on a lower-case text). The same
        matches; cheaper for a family whose cores occur all over most texts,
        where finding and cutting the windows costs more than the scans they
        spare (the legal references: 0.48 against 0.64 ms a generated document).
        A pattern one of whose cores occurs nowhere in the text (:func:`_nowhere`)
        is not run: it has no match.

        Example:
            >>> f = Family([re.compile(r"quý\\s+[iv]+", re.I)], min_chars=0)
            >>> [[m.group() for m in ms] for ms in f.finditer_whole("quý ii, Quý IV")]
            [['quý ii', 'Quý IV']]
        """
        if len(text) < self.min_chars:
            return [list(plan.regex.finditer(text)) for plan in self.plans]
        t = _text(text)
        out: list[list[re.Match[str]]] = []
        for plan in self.plans:
            if _nowhere(plan, t):
                out.append([])
                continue
            rx = plan.lower if t.lower and plan.lower is not None else plan.regex
            out.append(list(rx.finditer(text)))
        return out

    def matches(self, text: str) -> Iterator[tuple[int, re.Match[str]]]:
        """(pattern index, match), pattern by pattern, each in text order."""
        for i, found in enumerate(self.finditer(text)):
            for m in found:
                yield i, m


# ------------------------------------------------------------ head gates
#
# A pattern that starts with a lookaround, an optional part or a case-blind
# letter gets no fast scan from the engine: it is tried at every position.
# :func:`head_gate` reads from the pattern the strings its every match
# starts with ("các", "ubnd", "ủy b", "ngay", a digit ...), so that a
# lookahead made of them, put in front, turns most positions away after a
# character or two. A lookahead only adds a condition every match already
# meets: the matches stay the same. A string is kept as its characters, each
# a regex of one character (a letter, or a class such as ``[\d]``).

_HEAD_LIMIT = 400  # strings a gate may hold
_HEAD_EXPAND = 8  # a class of at most this many letters is read letter by letter
_Head = tuple[str, ...]
_HeadSet = set[tuple[_Head, bool]]  # (string, whether a match may go on after it)


def _head_node(node: Node, flags: int, n: int, blind: bool) -> _HeadSet | None:
    op, av = node
    if op is c.LITERAL:
        if flags & c.SRE_FLAG_IGNORECASE and not blind:
            return None  # a case-blind part in a case-kept gate would miss
        return {((_char(av),), True)}
    if op is c.IN:
        if flags & c.SRE_FLAG_IGNORECASE and not blind:
            return None
        chars: _HeadSet = set()
        for o, a in av:
            if o is c.LITERAL:
                chars.add(((_char(a),), True))
            elif o is c.RANGE and a[1] - a[0] < _HEAD_EXPAND:
                chars |= {((_char(x),), True) for x in range(a[0], a[1] + 1)}
            else:  # the class as it is
                return {((_write([node]),), True)} if _simple(node) else None
        return chars if len(chars) <= _HEAD_EXPAND else {((_write([node]),), True)}
    if op is c.BRANCH:
        out: _HeadSet = set()
        for alt in av[1]:
            got = _heads(alt.data, flags, n, blind)
            if got is None:
                return None
            out |= got
        return out
    if op is c.SUBPATTERN:
        return _heads(av[-1].data, _flags_in(node, flags), n, blind)
    if op is c.ATOMIC_GROUP:
        return _heads(av.data, flags, n, blind)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        lo, hi, sub = av
        one = _heads(sub.data, flags, n, blind)
        if one is None:
            return None
        reps: _HeadSet = set()
        cur: _HeadSet = {((), True)}
        for k in range(min(hi, n + 1) + 1):
            if k >= lo:
                reps |= cur
            if k == min(hi, n + 1):
                break
            nxt = _extend(cur, one, n)
            if nxt is None:
                return None
            cur = nxt
        if hi > n + 1:  # more repeats may follow: what they add is not known
            reps |= {(s, False) for s, _open in cur}
        return reps
    if op is c.GROUPREF_EXISTS:
        yes = _heads(av[1].data, flags, n, blind)
        no = _heads(av[2].data, flags, n, blind) if av[2] is not None else {((), True)}
        return None if yes is None or no is None else yes | no
    return None


def _extend(acc: _HeadSet, got: _HeadSet, n: int) -> _HeadSet | None:
    new: _HeadSet = set()
    for s, more in acc:
        if not more or len(s) >= n:
            new.add((s[:n], False))
            continue
        for t, more2 in got:
            u = s + t
            new.add((u[:n], more2 and len(u) < n))
    return new if len(new) <= _HEAD_LIMIT else None


def _heads(seq: Sequence[Node], flags: int, n: int, blind: bool) -> _HeadSet | None:
    acc: _HeadSet = {((), True)}
    for node in seq:
        if node[0] in _ZERO_WIDTH:
            continue
        if not any(more for _s, more in acc):
            break
        got = _head_node(node, flags, n, blind)
        if got is None:  # what follows is not known: the strings so far end here
            return {(s, False) for s, _more in acc}
        ext = _extend(acc, got, n)
        if ext is None:
            return None
        acc = ext
    return acc


def head_gate(pattern: str, flags: int, n: int = 3) -> str | None:
    """A lookahead every match of ``pattern`` (compiled with ``flags``)
    meets at its start: the strings of up to ``n`` characters its matches
    start with, as a regex for the same flags. None when no such strings
    are known (a match may start anywhere).

    Example:
        >>> head_gate(r"(?<!\\w)(?:các\\s+)?(?:bộ|sở)\\b", re.I)
        '(?=b\\\\u1ed9|c\\\\xe1c|s\\\\u1edf)'
    """
    try:
        tree = sre.parse(pattern, flags)
    except Exception:  # noqa: BLE001 - an exotic pattern: no gate
        return None
    top = int(tree.state.flags)
    got = _heads(tree.data, top, n, bool(top & c.SRE_FLAG_IGNORECASE))
    if got is None:
        return None
    heads = sorted({s for s, _more in got})
    if not heads or () in heads:
        return None
    # a string that starts with another is implied by it
    kept = [h for h in heads if not any(h != g and h[: len(g)] == g for g in heads)]
    return "(?=" + "|".join("".join(h) for h in kept) + ")"


# ------------------------------------------------------------ fast starts
#
# The engine skips ahead on its own only to a pattern's first literal or
# first characters, and a pattern that opens with a lookbehind ("(?<!\w)
# Sở|Bộ|...") has none: every position of the text is tried, the
# lookbehind first. :func:`fast_start` moves the leading lookbehinds behind
# the first character of the pattern (of each alternative), widened by
# that character: "(?<!\w)" at a position holds exactly when "(?<!\w.)"
# holds one character on. The matches and their groups stay the same.

_ANY_CHAR: Node = (c.IN, [(c.CATEGORY, c.CATEGORY_SPACE), (c.CATEGORY, c.CATEGORY_NOT_SPACE)])
# Small letters are everywhere in running text: a pattern that may start with
# more of them than this is tried nearly as often, each time through all its
# alternatives, and gets slower (measured: the gazetteer's place names, 2.5x).
_MAX_SMALL_FIRSTS = 4


def _behind(node: Node) -> bool:
    return node[0] in (c.ASSERT, c.ASSERT_NOT) and node[1][0] == -1


def _widened(behind: Sequence[Node], n: int, state: Any) -> list[Node]:
    """The lookbehinds ``behind``, looked at from ``n`` characters on."""
    out: list[Node] = []
    for op, (direction, sub) in behind:
        out.append((op, (direction, sre.SubPattern(state, [*sub.data, *[_ANY_CHAR] * n]))))
    return out


def _cased_first(node: Node) -> bool:
    op, av = node
    if op is c.LITERAL:
        return chr(av).lower() != chr(av).upper()
    return True  # a class: case-blind classes are not worth it


def fast_start(regex: re.Pattern[str]) -> re.Pattern[str]:
    """``regex`` with its leading lookbehinds moved behind its first
    character (its first literals, or the first literal of each of its
    alternatives), so that the engine skips to the places where it can
    start; ``regex`` itself where that cannot be done. The same matches;
    the result's ``pattern`` is None (it is compiled from the parse tree).

    Example:
        >>> rx = fast_start(re.compile(r"(?<![\\w&])(?:so|bo)\\s+(?P<n>\\d+)"))
        >>> [(m.span(), m["n"]) for m in rx.finditer("x so 1, nso 2, bo 3")]
        [((2, 6), '1'), ((15, 19), '3')]
    """
    try:
        tree = sre.parse(regex.pattern, regex.flags)
    except Exception:  # noqa: BLE001 - an exotic pattern: as it is
        return regex
    data = tree.data
    k = 0
    while k < len(data) and _behind(data[k]):
        k += 1
    if k == 0 or k == len(data):
        return regex
    behind, first = data[:k], data[k]
    blind = bool(tree.state.flags & c.SRE_FLAG_IGNORECASE)
    firsts: set[str] = set()
    if first[0] is c.BRANCH:
        firsts = {
            chr(alt.data[0][1]) for alt in first[1][1] if alt.data and alt.data[0][0] is c.LITERAL
        }
    elif first[0] is c.IN:
        if not all(o is c.LITERAL for o, _a in first[1]):
            return regex
        firsts = {chr(a) for _o, a in first[1]}
    if sum(ch.islower() for ch in firsts) > _MAX_SMALL_FIRSTS:
        return regex
    if first[0] is c.IN:  # "[Cc]ác": a class of a few letters
        if blind:
            return regex
        new = [first, *_widened(behind, 1, tree.state), *data[k + 1 :]]
    elif first[0] is c.LITERAL:
        n = k
        while n < len(data) and data[n][0] is c.LITERAL:
            n += 1
        if blind and _cased_first(first):
            return regex
        new = [*data[k:n], *_widened(behind, n - k, tree.state), *data[n:]]
    elif first[0] is c.BRANCH:
        alts = first[1][1]
        if not all(alt.data and alt.data[0][0] is c.LITERAL for alt in alts):
            return regex
        if blind and any(_cased_first(alt.data[0]) for alt in alts):
            return regex
        for alt in alts:
            alt.data[1:1] = _widened(behind, 1, tree.state)
        new = data[k:]
    else:
        return regex
    tree.data = new
    try:
        compiled = _compiler.compile(tree, regex.flags)
    except (re.error, TypeError, ValueError):
        return regex
    return compiled if isinstance(compiled, re.Pattern) else regex


# ------------------------------------------------------------ starts
#
# A case-blind pattern has no first characters the engine can skip to: it is
# tried at every position. :class:`Starts` finds the places where one of
# its head strings begins (in the text lower-cased, with a case-kept pattern
# of them that the engine does skip to) and tries the pattern there only.
# Lower-casing a text keeps what case-blind matching compares, letter by
# letter, as long as the text has none of the letters that case-blind
# matching pairs with another (ſ with s, ı with i: they are left to the
# pattern itself) and keeps its length (İ becomes two characters).

_PAIRED = re.compile(
    "["
    + "".join(
        re.escape(chr(x))
        for x in sorted({k for k in _EXTRA_CASES} | {v for vs in _EXTRA_CASES.values() for v in vs})
        if x > 0x7F
    )
    + "]"
)


def _latin(ch: str) -> bool:
    return ord(ch) < 0x250 or 0x1E00 <= ord(ch) < 0x1F00


def _raw(piece: str) -> str | None:
    """The character a head piece written by :func:`_char` stands for."""
    if len(piece) == 1:
        return piece
    if piece[:2] in ("\\x", "\\u", "\\U"):
        return chr(int(piece[2:], 16))
    return None  # a class


class Starts:
    """``regex.finditer`` that tries ``regex`` only where one of its head
    strings starts (found with one case-kept scan); the same matches.

    Example:
        >>> rx = re.compile(r"(?<!\\w)(?:các|những)\\s+sở", re.I)
        >>> [m.span() for m in Starts(rx).finditer("Các sở, các ngành và những Sở")]
        [(0, 6), (21, 29)]
    """

    def __init__(self, regex: re.Pattern[str], n: int = 3) -> None:
        self.regex = regex
        self._whole: re.Pattern[str] | None = None  # run where no finder will do
        self.heads: tuple[str, ...] = ()
        self.finder: re.Pattern[str] | None = None
        self.blind = False
        try:
            tree = sre.parse(regex.pattern, regex.flags)
        except Exception:  # noqa: BLE001 - an exotic pattern: run as it is
            return
        flags = int(tree.state.flags)
        self.blind = bool(flags & c.SRE_FLAG_IGNORECASE)
        got = _heads(tree.data, flags, n, self.blind)
        if got is None or tree.getwidth()[0] == 0:
            return
        heads: set[str] = set()
        for pieces, _more in got:
            word = ""
            for piece in pieces:  # its letters up to the first class
                ch = _raw(piece)
                if ch is None:
                    break
                word += ch
            if not word:
                return  # a match may start with any of a class: no finder
            if self.blind:
                # Latin letters whose lower case is one letter (not İ), none paired
                if not all(_latin(ch) and len(ch.lower()) == 1 for ch in word) or _PAIRED.search(
                    word
                ):
                    return
                word = word.lower()
            heads.add(word)
        # a string that starts with another is implied by it
        kept = sorted(h for h in heads if not any(h != g and h.startswith(g) for g in heads))
        self.heads = tuple(kept)
        self.finder = re.compile("|".join(re.escape(h) for h in kept))

    def may_match(self, text: str, lowered: str | None) -> bool:
        """False when ``regex`` surely matches nowhere in ``text``: none of
        its heads occurs there (in ``lowered``, :func:`lowered` of ``text``,
        for a case-blind pattern; None: not known, so it may). A stretch of
        a text tells it for the matches that lie inside that stretch.

        Example:
            >>> s, text = Starts(re.compile(r"yêu\\s+cầu", re.I)), "YÊU CẦU các sở"
            >>> s.may_match(text, lowered(text)), s.may_match("Giao", "giao")
            (True, False)
        """
        if self.finder is None:
            return True
        if self.blind:
            if lowered is None:
                return True
            text = lowered
        for h in self.heads:
            if h in text:
                return True
        return False

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self._whole is None:
            self._whole = skip_start(self.regex)
        finder = self.finder
        scan = None
        if finder is not None and self._whole is self.regex:
            scan = _lowered(text) if self.blind else text
        if finder is None or scan is None:
            # the engine skipping to the first characters in C beats the heads
            # looked for in Python where it can (measured on the collective
            # and agency scans: 1-3x faster, never slower)
            yield from self._whole.finditer(text)
            return
        search, match = finder.search, self.regex.match
        f = search(scan)
        while f is not None:
            m = match(text, f.start())
            if m is not None:  # never empty: the pattern consumes something
                yield m
                f = search(scan, m.end())
            else:
                f = search(scan, f.start() + 1)


_last_lowered: tuple[str, str | None] | None = None  # the text lowered last, and its lower case


def lowered(text: str) -> str | None:
    """``text.lower()`` when a case-blind pattern's heads can be looked for in
    it (same length, none of the letters case-blind matching pairs with
    another); else None. (:func:`_lowered` keeps the last one.)

    Example:
        >>> lowered("Đề nghị"), lowered("Giao ban \u017fở")  # ſ (long s) is an s to the engine
        ('đề nghị', None)
    """
    low = text.lower()
    if len(low) != len(text) or _PAIRED.search(text):
        return None
    return low


def _lowered(text: str) -> str | None:
    """``text.lower()`` when a case-blind pattern's heads can be looked for
    in it (same length, none of the letters case-blind matching pairs);
    else None. Kept for the last text: the scans of one text ask in turn."""
    global _last_lowered
    last = _last_lowered
    if last is not None and last[0] is text:
        return last[1]
    low: str | None = text.lower()
    if low is not None and (len(low) != len(text) or _PAIRED.search(text)):
        low = None
    _last_lowered = (text, low)
    return low


def line_led(regex: re.Pattern[str]) -> bool:
    """Whether every match of ``regex`` starts at a line's start and consumes
    something: it opens with ``^`` under MULTILINE (``(?m)^[ \\t]*Nơi nhận``)."""
    try:
        tree = sre.parse(regex.pattern, regex.flags)
    except Exception:  # noqa: BLE001 - an exotic pattern: not known
        return False
    flags = regex.flags | int(tree.state.flags)
    return bool(
        tree.data
        and tree.data[0] == (c.AT, c.AT_BEGINNING)
        and flags & c.SRE_FLAG_MULTILINE
        and tree.getwidth()[0] > 0
    )


def line_finditer(regex: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``regex.finditer(text)`` for a :func:`line_led` pattern, tried at each
    line's start only (the engine, which cannot skip to them, tries it at
    every space and letter it might start with): every match starts at one,
    so ``match`` there, in order, each search going on from the last match's
    end as ``finditer`` does, finds the same matches.

    Example:
        >>> rx = re.compile(r"(?m)^[ \\t]*Nơi nhận:")
        >>> [m.span() for m in line_finditer(rx, "a\\n  Nơi nhận: x\\nNơi nhận:")]
        [(2, 13), (16, 25)]
    """
    match, find = regex.match, text.find
    pos, size = 0, len(text)
    while pos <= size:
        m = match(text, pos)
        if m is not None:
            yield m
            end = m.end()  # never empty: the next line's start at or after it
            if text[end - 1] == "\n":
                pos = end
                continue
            nl = find("\n", end)
        else:
            nl = find("\n", pos)
        if nl < 0:
            return
        pos = nl + 1


@cache
def head_scan(regex: re.Pattern[str]) -> Starts:
    """The :class:`Starts` of ``regex``, built once."""
    return Starts(regex)
