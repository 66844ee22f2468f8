"""Vietnamese text normalization shared by cleaning, extraction and queries.

Three operations, all pure:

* :func:`normalize` - NFC, Đ written as U+0110, and one tone-mark
  convention (the traditional one: "hoà" -> "hòa", "uỷ" -> "ủy",
  "khoẻ" -> "khỏe"). Length-preserving on NFC input, so it never moves an
  offset. Applied to documents and to queries alike.
* :func:`fold` - diacritics removed, đ -> d, lowercased. Length-preserving
  character by character on NFC input, so a match found in folded text
  has the same offsets in the original text (used for highlighting).
  :func:`match_text` is the folded text the rule patterns run on (every
  whitespace character a space). A :class:`~extractors.model.Document`
  carries both, computed once.
* :func:`tokens` - the word tokens search uses (folded or exact).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

# The five Vietnamese tone marks as combining characters.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VOWELS = "aăâeêioôơuưy"
_MARKED = "ăâêôơư"  # vowels that carry their own diacritic
# The vowel nuclei Vietnamese syllables use; anything else is a typo we
# leave alone ("ưuý" stays as typed).
_NUCLEI = frozenset(
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi"
    " ơi ua uâ uê ui uô uơ ưa ưi ưu ươ uy yê iêu yêu oai oay oao oeo uây uôi"
    " ươi ươu uya uyê uyu".split()
)
# initial consonant cluster, vowel nucleus, final consonant (a syllable).
_SYLLABLE = re.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
    r"([aăâeêioôơuưy]{1,3})"
    r"(ch|ng|nh|[cmnpt])?"
)
_WORD = re.compile(r"\w+")
# Other spellings of Đ/đ seen in real files: Ð (U+00D0, Icelandic eth) and
# ð (U+00F0) are typed by old keyboards in place of Đ/đ.
_ETH = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})


def _split_tone(word: str) -> tuple[str, str | None]:
    """Return (word without its tone mark, NFC) and the tone mark."""
    tone = None
    out = []
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONES:
            tone = ch
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)), tone


def _tone_index(initial: str, nucleus: str, final: str) -> int:
    """Where the traditional convention puts the tone in a vowel nucleus."""
    if initial == "gi" and not nucleus:
        return -1
    marked = [i for i, c in enumerate(nucleus) if c in _MARKED]
    if marked:
        return marked[-1]  # "ươ" -> ơ, "uyê" -> ê, "ưu" -> ư
    if final:
        return len(nucleus) - 1  # "hoàn", "toán"
    if len(nucleus) == 3:
        return 1  # "hoài", "khuỷu"
    return 0  # "hòa", "thủy", "bảo", "mùa"


@cache
def _fix_word(word: str) -> str:
    base, tone = _split_tone(word)
    if tone is None:
        return word
    lower = base.lower()
    m = _SYLLABLE.fullmatch(lower)
    if not m:
        return word
    initial, nucleus, final = m.group(1) or "", m.group(2), m.group(3) or ""
    if nucleus not in _NUCLEI:
        return word
    i = _tone_index(initial, nucleus, final)
    if i < 0:
        return word
    pos = len(initial) + i
    fixed = unicodedata.normalize("NFC", base[: pos + 1] + tone + base[pos + 1 :])
    # Only accept the change when it keeps the length (one char per char).
    return fixed if len(fixed) == len(word) else word


@cache
def _stray_tone_re() -> re.Pattern[str]:
    """A tone mark left over after NFC, following a letter that already has one."""
    toned = [
        chr(c)
        for c in range(0xC0, 0x1EFA)
        if any(m in _TONES for m in unicodedata.normalize("NFD", chr(c))[1:])
    ]
    return re.compile("([" + "".join(toned) + "])[\u0300\u0301\u0303\u0309\u0323]+")


def normalize(text: str) -> str:
    """NFC plus one tone-mark convention.

    Example:
        >>> normalize("Ðảm baỏ hoà bình, uỷ ban")
        'Đảm bảo hòa bình, ủy ban'
    """
    text = unicodedata.normalize("NFC", text)
    if text.isascii():
        return text  # no Đ to mend, no tone mark to move
    if "\u00d0" in text or "\u00f0" in text:
        text = text.translate(_ETH)
    if _has_combining_tone(text):
        # "hoà" typed with a second tone mark: keep the first, drop the stray.
        text = _stray_tone_re().sub(r"\1", text)
    # Each word as _fix_word makes it. Only a word holding a _suspect() match
    # can change, and a text typed in the traditional convention has none: it
    # is looked at in one scan, and only the words around a match are passed
    # to _fix_word.
    suspects = _suspect()
    first = suspects.search(text)
    if first is None:
        return text
    out: list[str] = []
    done = 0  # text[:done] is in out
    for m in suspects.finditer(text, first.start()):
        if m.start() < done:
            continue  # in the word just looked at
        start, end = m.start(), m.end()
        while start > 0 and _WORD.match(text, start - 1, start):
            start -= 1
        while end < len(text) and _WORD.match(text, end, end + 1):
            end += 1
        word = text[start:end]
        fixed = _fix_word(word)
        if fixed != word:
            out.append(text[done:start])
            out.append(fixed)
        else:
            out.append(text[done:end])
        done = end
    out.append(text[done:])
    return "".join(out)


def _has_combining_tone(text: str) -> bool:
    return ("\u0300" in text or "\u0301" in text or "\u0303" in text or "\u0309" in text
            or "\u0323" in text)


@cache
def _suspect() -> re.Pattern[str]:
    """A character in a word that :func:`_fix_word` may change.

    Every word _fix_word changes holds a match (tests/extractors/test_textnorm.py
    checks this over 0.3M syllable shapes: vowel runs with a tone on each vowel
    in turn and with two, after the initials and before the finals that decide
    where it goes); a word without one is left as it is.
    A word changes only when it is one syllable (_SYLLABLE) whose tone mark is
    not where _tone_index puts it, or holds two tone marks or a toned consonant.
    In the vowel run of a syllable, with T a toned vowel:

    * a letter other than a Vietnamese vowel with a tone mark ("ǹ", "ḿ");
    * T with a second toned vowel in its run;
    * T before a vowel with its own mark (ă â ê ô ơ ư), or T without one after it:
      the tone belongs on the last such vowel ("ườ", "uố");
    * else (no such vowel in the run) T at the word's end after a vowel ("hoà",
      "uỷ"), unless the two are "qu"/"gi" opening the word ("quả", "già");
      T before a vowel that is followed by a letter ("hóan"), T after two vowels
      and before a third, T as the "u" of "qu" or the "i" of "gi" before a vowel
      ("qúa", "gìa"). Left alone: "hòa", "của", "hoài", "hoàn", "khuỷu".
    """
    def chars(vowels: str, tones: Iterable[str]) -> str:
        out = {unicodedata.normalize("NFC", v + t) for v in vowels + vowels.upper() for t in tones}
        return "".join(sorted(out))

    tones = sorted(_TONES)
    toned_m, toned_u = chars(_MARKED, tones), chars("aeiouy", tones)
    marked = toned_m + chars(_MARKED, [""])
    vowel = marked + toned_u + chars("aeiouy", [""])
    toned = toned_m + toned_u
    # a tone mark on any other letter below U+2000 (beyond, no letter's base is
    # one _SYLLABLE reads, so no word with it is a syllable)
    other = "".join(
        chr(c)
        for c in range(0xC0, 0x2000)
        if chr(c) not in toned
        and any(m in _TONES for m in unicodedata.normalize("NFD", chr(c))[1:])
    )
    u_q, i_g = chars("u", tones), chars("i", tones)
    t, tu, v, vm = (f"[{x}]" for x in (toned, toned_u, vowel, marked))
    return re.compile(
        f"[{other}{toned}](?:(?<=[{other}])"  # one character, the conditions around it
        f"|(?={v})(?:"  # a vowel after it
        f"(?={v}{{0,3}}{t})"  # two tone marks in one run
        f"|(?={v}{{0,3}}{vm})"  # a marked vowel after the tone
        f"|(?<={tu})(?={v}\\w)"
        f"|(?<={v}{v}{tu})"
        f"|(?<=(?<!\\w)[qQ][{u_q}])|(?<=(?<!\\w)[gG][{i_g}])"
        f")|(?<={v}.)(?:"  # a vowel before it
        f"(?<={vm}{tu})|(?<={vm}{v}{tu})|(?<={vm}{v}{v}{tu})"  # a marked vowel before
        f"|(?<={tu})(?!\\w)(?<!(?<!\\w)[qQ][uU]{tu})(?<!(?<!\\w)[gG][iI]{tu})"
        "))"
    )


def fold_char(ch: str) -> str:
    """One character folded: its base letter (NFD), lower case; đ/Đ -> d.

    The definition :func:`fold` applies to every character of a text.

    Example:
        >>> fold_char("Ở"), fold_char("Đ"), fold_char("İ")
        ('o', 'd', 'i')
    """
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0]
    return base.lower() if len(base.lower()) == 1 else ch.lower()[:1] or ch


class _FoldTable(dict[int, str]):
    """:func:`fold`'s ``str.translate`` table. Latin and Vietnamese letters
    are in it from the start; any other character is added the first time a
    text has it (``__missing__``), so every character folds the same way."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold_char(chr(code))
        return folded


_FOLD = _FoldTable({c: fold_char(chr(c)) for c in [*range(0x250), *range(0x1E00, 0x1F00)]})

# A plain dict copy of _FOLD (str.translate looks a plain dict up faster: 0.048 ->
# 0.037 CPU s for the corpus's texts, the check below included) and a pattern of
# the characters it lacks. A text with one of them goes through _FOLD, which
# adds them; the copy is made again then, if _REBUILD_EVERY folds have passed
# since the last one (a copy costs about a fold per character of the table).
_plain: tuple[dict[int, str], re.Pattern[str]] | None = None
_since = 0  # folds of non-ASCII texts since the copy was made
_REBUILD_EVERY = 64


def _char_class(codes: list[int]) -> str:
    """Sorted code points as the body of a class: [65, 66, 67, 70] -> "A-CF"."""
    out, i = [], 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        out.append(re.escape(chr(codes[i])) + ("-" + re.escape(chr(codes[j])) if j > i else ""))
        i = j + 1
    return "".join(out)


def _plain_fold() -> tuple[dict[int, str], re.Pattern[str]]:
    global _plain, _since
    table = dict(_FOLD)
    _plain = (table, re.compile("[^" + _char_class(sorted(table)) + "]"))
    _since = 0
    return _plain


def fold(text: str) -> str:
    """Remove diacritics, map đ to d, lowercase; one char in, one char out.

    One ``str.translate`` over the text (:func:`fold_char` for each character).

    Example:
        >>> fold("Đất đai Sở Tài chính"), fold("“x ≠ y”")
        ('dat dai so tai chinh', '“x = y”')
    """
    global _since
    if text.isascii():
        return text.lower()
    plain = _plain or _plain_fold()
    _since += 1
    if plain[1].search(text) is None:
        return text.translate(plain[0])
    folded = text.translate(_FOLD)  # the characters met for the first time join _FOLD
    if _since >= _REBUILD_EVERY:
        _plain_fold()
    return folded


# Every whitespace character becomes one space: offsets never move, and a
# symbol or a law name broken across a line break still matches.
_WS = re.compile("[\t\n\r\x0b\x0c\x85\xa0\u2028\u2029]")
_WS_CHARS = "\t\n\r\x0b\x0c\x85\xa0\u2028\u2029"  # _WS's characters


def match_text(text: str) -> str:
    """The text rule patterns run on: folded, every whitespace char a space.

    Example:
        >>> match_text("Nghị định\\nsố 35")
        'nghi dinh so 35'
    """
    return as_match_text(fold(text))


def as_match_text(folded: str) -> str:
    """:func:`match_text` of a text already folded (``_WS.sub(" ", folded)``, one
    ``str.replace`` for each of its characters the text holds: 10x faster)."""
    for ch in _WS_CHARS:
        if ch in folded:
            folded = folded.replace(ch, " ")
    return folded


_ASCII_LOWER = re.compile("[a-z]")


def all_caps(text: str, *, min_letters: int = 3) -> bool:
    """Whether every letter is a capital and there are at least ``min_letters``
    of them: a heading or a trích yếu typed in capitals.

    Example:
        >>> all_caps("ĐÁNH GIÁ TÌNH HÌNH 2016-2020"), all_caps("Số: 15"), all_caps("Đ-1")
        (True, False, False)
    """
    if _ASCII_LOWER.search(text):  # a small a-z is a letter, not a capital: most lines
        return False
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= min_letters and all(c.isupper() for c in letters)


def tokens(text: str, *, folded: bool = True) -> list[str]:
    """Word tokens as the search index sees them.

    Example:
        >>> tokens("Sở Tài chính tỉnh Bắc Ninh")
        ['so', 'tai', 'chinh', 'tinh', 'bac', 'ninh']
    """
    text = normalize(text)
    text = fold(text) if folded else text.lower()
    return _WORD.findall(text.replace("_", " "))


def normalize_query(text: str) -> str:
    """Normalize a user's query exactly as documents are normalized."""
    return " ".join(normalize(text).split())
