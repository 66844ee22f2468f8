"""The word table of questions (extractors/data/ask_words.yaml), validated.

Every list is written as staff type the words; the properties give them
folded (no diacritics, đ as d, lower case) and split into words, the form
the parser compares with.
"""

from __future__ import annotations

from functools import cached_property

from pydantic import BaseModel, ConfigDict

from extractors.textnorm import fold, tokens


def _seq(text: str) -> tuple[str, ...]:
    return tuple(tokens(text))


def _typed(text: str) -> tuple[str, ...]:
    return tuple(tokens(text, folded=False))


def typed_without_diacritics(text: str) -> bool:
    """Whether a question was typed (mostly) without diacritics: fewer than half
    its words carry any ("so tai chinh", "co bao nhiêu nhiem vu"). Vietnamese
    typed with diacritics has them on most words.

    Example:
        >>> typed_without_diacritics("co bao nhiêu nhiem vu"), typed_without_diacritics("thiên tai")
        (True, False)
    """
    words_ = [w for w in tokens(text, folded=False) if w.isalpha()]
    if not words_:
        return True
    marked = sum(1 for w in words_ if fold(w) != w.lower())
    return marked * 2 < len(words_)


def one_edit(a: str, b: str) -> bool:
    """Whether a and b differ by at most one edit (insert, delete, change, swap)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [k for k in range(la) if a[k] != b[k]]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
        )
    if la > lb:
        a, b = b, a
    k = 0
    while k < len(a) and a[k] == b[k]:
        k += 1
    return a[k:] == b[k + 1 :]


def same_word(typed: str, entry: str, *, bare: bool) -> bool:
    """Whether a typed word is a table word. In a question typed with
    diacritics they must be the same ("ô" is no "ở", "tai" in "thiên tai" no
    "tại"); in one typed without any (``bare``), the same letters will do.

    Example:
        >>> same_word("o", "ở", bare=True), same_word("ô", "ở", bare=False)
        (True, False)
    """
    t = typed.lower()
    return t == entry or (bare and fold(t) == fold(entry))


def _by_first(seqs: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Sequences by the folded form of their first word, longest first."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for seq in seqs:
        out.setdefault(fold(seq[0]), []).append(seq)
    return {k: tuple(v) for k, v in out.items()}


def _match(
    index: dict[str, tuple[tuple[str, ...], ...]], typed: list[str], i: int, bare: bool
) -> int:
    if i >= len(typed):
        return 0
    for seq in index.get(fold(typed[i].lower()), ()):
        n = len(seq)
        if i + n <= len(typed) and all(
            same_word(typed[i + k], seq[k], bare=bare) for k in range(n)
        ):
            return n
    return 0


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Shorthand(_Strict):
    id: str
    short: str
    long: str
    after: list[str] = []
    examples: list[str] = []


class AgencyAlias(_Strict):
    id: str
    name: str
    forms: list[str]
    examples: list[str] = []


class AskWords(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    description: str = ""
    filler: list[str]
    shorthand: list[Shorthand]
    loose_heads: list[str]
    capitalized_heads: list[str]
    not_after: dict[str, list[str]]
    titles: list[str]
    recipient_words: list[str]
    object_nouns: list[str]
    about_words: list[str]
    stop: list[str]
    agency_aliases: list[AgencyAlias]
    doc_nouns: list[str]
    task_nouns: list[str]
    doc_type_codes: dict[str, str]
    not_typos: list[str] = []

    @cached_property
    def real_word_set(self) -> frozenset[str]:
        """Words one letter away from a table word that are words of their own, folded."""
        return frozenset(" ".join(_seq(s)) for s in self.not_typos)

    @cached_property
    def _filler(self) -> tuple[tuple[str, ...], ...]:
        return tuple(sorted({_typed(f.lower()) for f in self.filler}, key=len, reverse=True))

    @cached_property
    def _filler_index(self) -> dict[str, tuple[tuple[str, ...], ...]]:
        return _by_first(self._filler)

    @cached_property
    def _stop_index(self) -> dict[str, tuple[tuple[str, ...], ...]]:
        return _by_first(self._stop)

    def filler_length(self, typed: list[str], i: int, *, bare: bool) -> int:
        """How many words from ``typed[i]`` make a filler phrase (0 if none), longest first.

        Example:
            >>> words.filler_length(["những", "việc", "về", "ô", "nhiễm"], 0, bare=False)
            1
        """
        return _match(self._filler_index, typed, i, bare)

    @cached_property
    def short_map(self) -> dict[str, Shorthand]:
        return {_seq(s.short)[0]: s for s in self.shorthand}

    @cached_property
    def _stop(self) -> tuple[tuple[str, ...], ...]:
        return tuple(sorted({_typed(s.lower()) for s in self.stop}, key=len, reverse=True))

    def stop_length(self, typed: list[str], i: int, *, bare: bool) -> int:
        """How many words from ``typed[i]`` make a stop phrase (0 if none)."""
        return _match(self._stop_index, typed, i, bare)

    @cached_property
    def loose_head_sequences(self) -> tuple[tuple[tuple[str, ...], bool], ...]:
        """(folded head, needs a capital), longest first."""
        rows = {(_seq(s), False) for s in self.loose_heads}
        rows |= {(_seq(s), True) for s in self.capitalized_heads}
        return tuple(sorted(rows, key=lambda r: len(r[0]), reverse=True))

    @cached_property
    def not_after_map(self) -> dict[str, frozenset[str]]:
        return {_seq(k)[0]: frozenset(_seq(w)[0] for w in v) for k, v in self.not_after.items()}

    @cached_property
    def recipient_sequences(self) -> tuple[tuple[str, ...], ...]:
        return tuple(_seq(s) for s in self.recipient_words)

    @cached_property
    def object_sequences(self) -> tuple[tuple[str, ...], ...]:
        return tuple(_seq(f"{s} của") for s in self.object_nouns)

    @cached_property
    def about_sequences(self) -> tuple[tuple[str, ...], ...]:
        return tuple(_seq(s) for s in self.about_words)

    @cached_property
    def title_sequences(self) -> tuple[tuple[str, ...], ...]:
        return tuple(sorted({_seq(s) for s in self.titles}, key=len, reverse=True))

    @cached_property
    def alias_sequences(self) -> tuple[tuple[tuple[str, ...], str, str], ...]:
        """(folded form, canonical name, row id), longest form first."""
        rows = [(_seq(f), a.name, a.id) for a in self.agency_aliases for f in a.forms]
        return tuple(sorted(rows, key=lambda r: len(r[0]), reverse=True))

    @cached_property
    def doc_noun_sequences(self) -> tuple[tuple[str, ...], ...]:
        return tuple(_seq(n) for n in self.doc_nouns)

    @cached_property
    def task_noun_sequences(self) -> tuple[tuple[str, ...], ...]:
        return tuple(sorted((_seq(n) for n in self.task_nouns), key=len, reverse=True))
