"""Owner names answered from an index of their words, not by reading every alias.

``extractors.agencies.match_agency_query(q, names)`` says which canonical
agency names an owner filter means. It reads every name, and for a query
that names no known body it builds every alias of every name: 2-3 s for
the 8k names of a 10k-document store. :class:`OwnerIndex` answers the same
(tests/pipeline/test_owner_index.py holds it to ``match_agency_query`` on
every kind of query) from what it computed once per name:

* the name's lookup key and its successor's (``current_name``), sorted, so
  that "every body under this kind" is a range (bisect) and "this body" a
  dictionary look-up;
* the words of the name and of its aliases (abbreviated and spelled out),
  each word pointing at the names that have it, so that a query of words is
  an intersection of small sets. An unknown word has no names, and the
  answer is empty at once.

A name is indexed the first time it is seen (about 0.1 ms; aliases are
built with a substring test before each pattern, the same aliases
``agency_aliases`` builds), then kept for the life of the process.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from extractors.agencies import agency_aliases, canonical_agency
from extractors.gazetteer import current_name, key, split_name
from extractors.textnorm import normalize_query, tokens

# The words an owner query ignores: as in extractors.agencies (``_tokens``).
_FILLER = frozenset({"tinh", "cac", "thanh", "pho"})


def _words(s: str) -> set[str]:
    return set(key(s).split()) - _FILLER


def aliases(name: str) -> list[str]:
    """Other ways to write an agency's name (``extractors.agencies.agency_aliases``)."""
    return agency_aliases(name)


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str
    current: str | None
    current_key: str
    words: frozenset[str]  # of the name and its aliases (the owner query's words)
    forms: tuple[frozenset[str], ...]  # search tokens of the name and of each alias


def _entry(name: str) -> _Entry:
    forms = [name, *aliases(name)]
    cur = current_name(name)
    return _Entry(
        key=key(name), current=cur, current_key=key(cur or ""),
        words=frozenset().union(*(_words(f) for f in forms)),
        forms=tuple(frozenset(tokens(f)) for f in forms),
    )


class OwnerIndex:
    """Agency names, indexed by key, successor and words; thread-safe."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        self._names: tuple[str, ...] = ()
        self._order: dict[str, int] = {}
        self._keys: list[tuple[str, str]] = []  # (key + " ", name), sorted
        self._current_keys: list[tuple[str, str]] = []
        self._by_key: dict[str, list[str]] = {}
        self._by_current: dict[str, list[str]] = {}
        self._by_word: dict[str, set[str]] = {}

    def sync(self, names: Sequence[str]) -> None:
        """Index ``names`` (the store's agencies, in its order); the answers
        come from these names only.

        After a write the store's names are mostly the same: the few added
        or gone are put in or taken out of the index (at 10k documents,
        8.7k names: ~1 ms, where indexing every name again took 50-90 ms of
        the first owner query after every batch of an ingest, in every
        server process). Many changes are indexed afresh.
        """
        names = tuple(names)
        with self._lock:
            if names == self._names:
                return
            before = self._order
            added = [n for n in names if n not in before]
            gone = len(before) + len(added) - len(names)  # names are distinct
            if before and len(added) + gone <= max(50, len(names) // 10):
                now = set(names)
                for n in before:
                    if n not in now:
                        self._unindex(n)
                for n in added:
                    self._index(n)
            else:
                self._rebuild(names)
            self._order = {n: i for i, n in enumerate(names)}
            self._names = names

    def _rebuild(self, names: tuple[str, ...]) -> None:
        for n in names:
            if n not in self._entries:
                self._entries[n] = _entry(n)
        keys, cur_keys = [], []
        by_key: dict[str, list[str]] = {}
        by_current: dict[str, list[str]] = {}
        by_word: dict[str, set[str]] = {}
        for n in names:
            e = self._entries[n]
            keys.append((e.key + " ", n))
            cur_keys.append((e.current_key + " ", n))
            by_key.setdefault(e.key, []).append(n)
            if e.current is not None:
                by_current.setdefault(e.current, []).append(n)
            for w in e.words:
                by_word.setdefault(w, set()).add(n)
        self._keys, self._current_keys = sorted(keys), sorted(cur_keys)
        self._by_key, self._by_current, self._by_word = by_key, by_current, by_word

    def _index(self, n: str) -> None:
        """One name into the index (the lists answer as sets: their order is free)."""
        e = self.entry(n)
        bisect.insort(self._keys, (e.key + " ", n))
        bisect.insort(self._current_keys, (e.current_key + " ", n))
        self._by_key.setdefault(e.key, []).append(n)
        if e.current is not None:
            self._by_current.setdefault(e.current, []).append(n)
        for w in e.words:
            self._by_word.setdefault(w, set()).add(n)

    def _unindex(self, n: str) -> None:
        e = self._entries[n]
        for rows, k in ((self._keys, e.key), (self._current_keys, e.current_key)):
            i = bisect.bisect_left(rows, (k + " ", n))
            if i < len(rows) and rows[i] == (k + " ", n):
                del rows[i]
        for table, k_ in ((self._by_key, e.key), (self._by_current, e.current)):
            if k_ is not None and n in table.get(k_, ()):
                table[k_].remove(n)
                if not table[k_]:
                    del table[k_]
        for w in e.words:
            had = self._by_word.get(w)
            if had is not None:
                had.discard(n)
                if not had:
                    del self._by_word[w]

    def entry(self, name: str) -> _Entry:
        e = self._entries.get(name)
        if e is None:
            e = self._entries[name] = _entry(name)
        return e

    @staticmethod
    def _prefixed(rows: list[tuple[str, str]], prefix: str) -> set[str]:
        i = bisect.bisect_left(rows, (prefix, ""))
        out = set()
        while i < len(rows) and rows[i][0].startswith(prefix):
            out.add(rows[i][1])
            i += 1
        return out

    def match(self, q: str) -> list[str]:
        """``match_agency_query(q, names)`` over the synced names, in their order.

        Example:
            >>> index.match("so tai chinh bac ninh")
            ['Sở Tài chính tỉnh Bắc Ninh', 'Sở Kế hoạch và Đầu tư tỉnh Bắc Giang']
        """
        with self._lock:
            target = canonical_agency(normalize_query(q))
            if target is not None:
                fk = key(target)
                parts = split_name(target)
                if parts is None or (parts.place is None and target.startswith("Sở ")):
                    # A kind without jurisdiction: that body everywhere, and what it took over.
                    found = (self._prefixed(self._keys, fk + " ")
                             | self._prefixed(self._current_keys, fk + " "))
                else:
                    found = {*self._by_key.get(fk, ()), *self._by_current.get(target, ())}
            else:
                want = _words(q)
                if not want:
                    return []
                sets = sorted((self._by_word.get(w, set()) for w in want), key=len)
                found = set(sets[0]).intersection(*sets[1:]) if sets else set()
            return sorted(found, key=self._order.__getitem__)
