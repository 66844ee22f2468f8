"""LocalStore's full-text index: tantivy, derived from SQLite and rebuilt from it.

One tantivy document per stored document (``kind`` "doc": title and body)
and per task (``kind`` "task": its sentence), every text field indexed twice,
as written (lowercased) and folded (diacritics removed, đ -> d). ``key`` is
the 16-hex-digit id as a signed 64-bit fast field, so that a page of hits or
ten thousand matching tasks turn into ids without loading stored documents.

The index is opened lazily, on the first search or write: a store whose
index is missing or corrupt still opens, answers what SQLite answers, says
"degraded" in ``health()``, and is repaired by ``rebuild`` (``vndoc
reindex``), which never reads the old index.

Ranking: every word group of the query is required, the exact accented
form boosted; the query's words together, in order, add a boost (folded, and
as typed when typed with accents), so that a document naming "Sở Tài chính"
beats one with "số", "tài" and "chính" apart. That boost is built into the
index as shingles: every pair of adjacent words is a term of its own
(``body_s``, ``title_s`` folded, ``body_xs`` as written), and the words in
order are all the query's adjacent pairs present. A phrase query read every
matching document's positions, most of the time of a search (5-8x a plain
query); the pairs are plain terms, read like the words themselves.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import tantivy

from extractors.textnorm import fold
from pipeline.query.plan import Group, QueryPlan
from pipeline.store.base import EXACT_PHRASE_BOOST, PHRASE_BOOST  # ElasticStore ranks the same way
from pipeline.store.errors import BackendUnavailable

# 2: the ``key`` fast field; 3: word pairs (shingles); 4: no positions for the
# words as typed, nothing stored but ``id`` (2,000 generated documents, today's
# extraction: 9.3 -> 7.8 KB of index a document); 5: no ``id`` field (``key``
# is the id), neither positions nor frequencies for the one-term fields
# (3,000 generated documents: 28.7 -> 27.6 MB, the same hits and scores)
INDEX_VERSION = "5"
PAIR = "\u00b7"  # joins two adjacent words into one term: "tai·chinh"
FACETS = {"doc_type": "doc_type", "issuer": "issuer", "year": "year"}

Clause = tuple[tantivy.Occur, tantivy.Query]


def id_key(doc_id: str) -> int:
    """A 16-hex-digit id as a signed 64-bit integer (the ``key`` fast field)."""
    v = int(doc_id, 16)
    return v - (1 << 64) if v >= 1 << 63 else v


def key_id(key: int) -> str:
    return f"{key & 0xFFFFFFFFFFFFFFFF:016x}"


# extractors.textnorm.tokens' words (``\w+`` once "_" is a space)
_WORD = re.compile(r"[^\W_]+")


def words_of(text: str) -> list[str]:
    """The index's words of an already normalized and folded (or lowercased)
    text: ``extractors.textnorm.tokens`` without normalizing again."""
    return _WORD.findall(text)


def pairs(words: Sequence[str]) -> list[str]:
    """Adjacent words as single terms.

    Example:
        >>> pairs(["so", "tai", "chinh"])
        ['so·tai', 'tai·chinh']
    """
    return list(map(PAIR.join, zip(words, words[1:], strict=False)))


# An ASCII text's words are its runs of [A-Za-z0-9] (``_WORD`` there): every
# other byte a space, its bytes split on spaces.
_ASCII_WORDS = bytes(c if chr(c).isascii() and chr(c).isalnum() else 0x20 for c in range(256))
_PAIR_UTF8 = PAIR.encode("utf-8")


def pair_text(text: str) -> str:
    """The word pairs of a text as one whitespace-separated field value.

    Example:
        >>> pair_text("sở tài chính"), pair_text("so tai_chinh (2024)")
        ('sở·tài tài·chính', 'so·tai tai·chinh chinh·2024')
    """
    if text.isascii():  # most folded texts and sentences: bytes, 4x faster than the regex
        b = text.encode("ascii").translate(_ASCII_WORDS).split()
        return b" ".join(map(_PAIR_UTF8.join, zip(b, b[1:], strict=False))).decode("utf-8")
    words = (_word_bmp() if _ASTRAL.search(text) is None else _WORD).findall(text)
    return " ".join(map(PAIR.join, zip(words, words[1:], strict=False)))


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@cache
def _word_bmp() -> re.Pattern[str]:
    """``_WORD`` for a text without a character beyond U+FFFF: its characters
    listed (a table lookup a character, not the Unicode category test: 1.3x faster)."""
    codes = [c for c in range(0x10000) if _WORD.match(chr(c))]
    ranges: list[str] = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        ranges.append(re.escape(chr(codes[i])) + (f"-{re.escape(chr(codes[j]))}" if j > i else ""))
        i = j + 1
    return re.compile(f"[{''.join(ranges)}]+")


def schema() -> tantivy.Schema:
    """The index's fields. Nothing is read back from the index but the ``key``
    fast field (the id), so nothing is stored; only the folded fields keep
    positions (a quoted phrase or a synonym of several words is a phrase
    query on them; the words as typed are single terms, and their order is
    the ``body_xs`` pairs). A field of one term a document (kind, document
    id, the facets) keeps neither positions nor frequencies (its frequency
    is 1: the same scores)."""
    sb = tantivy.SchemaBuilder()
    for name in ("kind", "doc_id"):  # kind: doc | task
        sb.add_text_field(name, stored=False, tokenizer_name="raw", index_option="basic")
    for name in ("title_f", "body_f"):
        sb.add_text_field(name, stored=False, tokenizer_name="default", index_option="position")
    for name in ("title", "body"):
        sb.add_text_field(name, stored=False, tokenizer_name="default", index_option="freq")
    for name in ("doc_type", "issuer", "province", "year"):
        sb.add_text_field(name, stored=False, tokenizer_name="raw", fast=True,
                          index_option="basic")
    sb.add_integer_field("date", stored=False, indexed=True, fast=True)
    sb.add_integer_field("key", stored=False, indexed=True, fast=True)
    for name in ("title_s", "body_s", "body_xs"):  # word pairs: no positions needed
        sb.add_text_field(name, stored=False, tokenizer_name="whitespace", index_option="freq")
    return sb.build()


@dataclass(frozen=True, slots=True)
class Ranked:
    """One page of hits in order, with scores, the total and the facets' raw answer."""

    ids: tuple[str, ...]
    scores: tuple[float, ...]
    total: int


class TextIndex:
    """The tantivy index under ``path``, opened on first use."""

    def __init__(self, path: Path, *, writer_heap: int = 64_000_000) -> None:
        self.path = path
        self.schema = schema()
        self._writer_heap = writer_heap
        self._index: tantivy.Index | None = None
        self._reloaded: object = None  # meta.json stamp the searcher last saw
        self._counted: tuple[object, tuple[int, int]] | None = None  # (stamp, counts)

    # -- opening ---------------------------------------------------------------
    def index(self) -> tantivy.Index:
        if self._index is None:
            self.path.mkdir(parents=True, exist_ok=True)
            try:
                self._index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
            except (OSError, ValueError) as e:
                raise BackendUnavailable(
                    f"can't open the search index in {self.path}: {e}. "
                    "Run `vndoc reindex` to rebuild it from SQLite."
                ) from e
        return self._index

    def stamp(self) -> object:
        """Changes with every commit, this process's or another's (meta.json)."""
        try:
            st = (self.path / "meta.json").stat()
            return (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            return None

    def searcher(self) -> tantivy.Searcher:
        index = self.index()
        stamp = self.stamp()
        if stamp != self._reloaded:
            index.reload()
            self._reloaded = stamp
        return index.searcher()

    def writer(self, *, wait_s: float = 30.0) -> tantivy.IndexWriter:
        """Take the index's writer lock, waiting up to wait_s for another writer.

        The lock is held only while pending rows are applied, so an API server
        and `vndoc ingest` can both write to one data directory.
        """
        index = self.index()
        deadline = time.monotonic() + wait_s
        while True:
            try:
                return index.writer(self._writer_heap, 1)
            except ValueError as e:  # another process holds the lock
                if time.monotonic() >= deadline:
                    raise BackendUnavailable(
                        f"the search index in {self.path} is locked by another "
                        f"writer ({e}); wait for the other ingest to finish"
                    ) from e
                time.sleep(0.1)

    @staticmethod
    def release(writer: tantivy.IndexWriter) -> None:
        # Consumes the writer: its threads finish and the lock file is released.
        writer.wait_merging_threads()

    def reload(self) -> None:
        if self._index is not None:
            self._index.reload()

    def recreate(self) -> None:
        """An empty index in place of whatever is there (corrupt or not): the
        first step of a rebuild, which never opens the old index."""
        self._index = None
        self._reloaded = None
        self._counted = None
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)
        self.index()

    def counts(self) -> tuple[int, int]:
        """(documents, tasks) in the index as last committed (counted once per commit)."""
        s = self.searcher()
        stamp = self._reloaded
        if self._counted is not None and self._counted[0] == stamp and stamp is not None:
            return self._counted[1]
        n: list[int] = []
        for kind in ("doc", "task"):
            q = tantivy.Query.term_query(self.schema, "kind", kind)
            n.append(int(s.search(q, limit=1, count=True).count))
        self._counted = (stamp, (n[0], n[1]))
        return n[0], n[1]

    # -- documents ---------------------------------------------------------------
    def documents(
        self, doc_id: str, *, title: str, text: str, folded: str,
        tasks: Sequence[tuple[str, int, int]], facets: dict[str, Any],
    ) -> list[tantivy.Document]:
        """A stored document and its tasks ((id, start, end) into ``text``), as
        tantivy documents. ``folded`` is ``fold(text)``: one char per char, so a
        task's folded sentence is a slice of it."""

        title_f = fold(title)
        lower = text.lower()
        out = [tantivy.Document(
            kind="doc", doc_id=doc_id, title=title, title_f=title_f,
            body=text, body_f=folded, key=id_key(doc_id), title_s=pair_text(title_f),
            body_s=pair_text(folded), body_xs=pair_text(lower), **facets,
        )]
        for tid, start, end in tasks:
            out.append(tantivy.Document(
                kind="task", doc_id=doc_id, body=text[start:end],
                body_f=folded[start:end], key=id_key(tid),
                body_s=pair_text(folded[start:end]), body_xs=pair_text(lower[start:end]),
                **facets,
            ))
        return out

    # -- queries -----------------------------------------------------------------
    def group_query(self, g: Group) -> tantivy.Query:
        s = self.schema
        alts: list[Clause] = []
        for alt in g.alternatives:
            for field, boost in (("title_f", 1.5), ("body_f", 1.0)):
                q = (
                    tantivy.Query.term_query(s, field, alt[0])
                    if len(alt) == 1
                    else tantivy.Query.phrase_query(s, field, list(alt))
                )
                alts.append((tantivy.Occur.Should, tantivy.Query.boost_query(q, boost)))
        if g.exact:
            for field, boost in (("title", 3.0), ("body", 2.0)):
                q = tantivy.Query.term_query(s, field, g.exact)
                alts.append((tantivy.Occur.Should, tantivy.Query.boost_query(q, boost)))
        return tantivy.Query.boolean_query(alts)

    def excluded(self, p: QueryPlan) -> list[Clause]:
        return [(tantivy.Occur.MustNot, self.group_query(g)) for g in p.excluded]

    def words_query(self, p: QueryPlan) -> tantivy.Query:
        """Every word group required, no phrase boost."""
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, self.group_query(g)) for g in p.groups])

    def phrase_boosts(self, p: QueryPlan) -> list[Clause]:
        """The words together, in order, outrank the words scattered: a
        document naming "Sở Tài chính" beats one with "số", "tài" and "chính"
        apart (every adjacent pair of the query's words is in it). The user's
        own accents, when typed, count more."""
        if len(p.folded) <= 1:
            return []
        out: list[Clause] = []
        for field, words, boost in (
            ("body_s", list(p.folded), PHRASE_BOOST),
            ("title_s", list(p.folded), PHRASE_BOOST),
            ("body_xs", p.exact_phrase, EXACT_PHRASE_BOOST),
        ):
            if words and len(words) > 1:
                every = tantivy.Query.boolean_query(
                    [(tantivy.Occur.Must, tantivy.Query.term_query(self.schema, field, pair))
                     for pair in pairs(words)])
                out.append((tantivy.Occur.Should, tantivy.Query.boost_query(every, boost)))
        return out

    def positional_boosts(self, p: QueryPlan) -> list[Clause]:
        """The same boosts as phrase queries over positions (what the index
        answered before it had word pairs; bench/searchfloor.py compares).
        Only the folded fields keep positions: the phrase as typed is read
        there too (folded), as costly as the positions of ``body`` were."""
        if len(p.folded) <= 1:
            return []
        out: list[Clause] = []
        for field, words, boost in (
            ("body_f", list(p.folded), PHRASE_BOOST),
            ("title_f", list(p.folded), PHRASE_BOOST),
            ("body_f", [fold(w) for w in p.exact_phrase or []], EXACT_PHRASE_BOOST),
        ):
            if words and len(words) > 1:
                phrase = tantivy.Query.phrase_query(self.schema, field, words)
                out.append((tantivy.Occur.Should, tantivy.Query.boost_query(phrase, boost)))
        return out

    def full_query(self, p: QueryPlan) -> tantivy.Query:
        """Every word group required, and the boost of the words in order."""
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, self.group_query(g)) for g in p.groups]
            + self.phrase_boosts(p))

    def filters(self, kind: str, *, doc_id: str | None = None, terms: dict[str, str] | None = None,
                date_range: tuple[int | None, int | None] = (None, None)) -> list[Clause]:
        s = self.schema
        must = [(tantivy.Occur.Must, tantivy.Query.term_query(s, "kind", kind))]
        if doc_id:
            must.append((tantivy.Occur.Must, tantivy.Query.term_query(s, "doc_id", doc_id)))
        for field, value in (terms or {}).items():
            if value:
                must.append((tantivy.Occur.Must, tantivy.Query.term_query(s, field, value)))
        lo, hi = date_range
        if lo is not None or hi is not None:
            must.append((tantivy.Occur.Must, tantivy.Query.range_query(
                s, "date", tantivy.FieldType.Integer, lo, hi)))
        return must

    def ids(self, searcher: tantivy.Searcher, addrs: Sequence[Any]) -> list[str]:
        # (every segment has the column: an index of an older layout is rebuilt)
        return [key_id(k) for k in searcher.fast_field_values("key", list(addrs))]

    def ranked(self, base: list[Clause], p: QueryPlan, *, offset: int, limit: int,
               by_date: bool) -> Ranked:
        """One page of matches of ``base`` (filters) and the plan's words, best
        first (or newest first), with the exact total."""
        searcher = self.searcher()
        clauses = [*base, *self.excluded(p)]
        if p.empty or by_date:
            words = [] if p.empty else [(tantivy.Occur.Must, self.words_query(p))]
            q = tantivy.Query.boolean_query([*clauses, *words])
            ids, total = self._newest(searcher, q, offset=offset, limit=limit)
            return Ranked(ids, (0.0,) * len(ids), total)
        q = tantivy.Query.boolean_query([*clauses, (tantivy.Occur.Must, self.full_query(p))])
        r = searcher.search(q, limit=limit, count=True, offset=offset)
        return Ranked(tuple(self.ids(searcher, [a for _, a in r.hits])),
                      tuple(float(s) for s, _ in r.hits), int(r.count))

    def _newest(self, searcher: tantivy.Searcher, q: tantivy.Query, *, offset: int,
                limit: int) -> tuple[tuple[str, ...], int]:
        """One page of matches, newest first and, on the same date, by id (descending,
        as the register sorts documents): the same
        order whatever the page's size (the index alone leaves a tie's order to
        the collector, so a page of 5 and a page of 100 could differ at a tie).
        The matches up to the page's end are read, and on past it while the date
        stays that of the page's last match."""
        want = offset + limit
        fetch = want + 32
        while True:
            r = searcher.search(q, limit=fetch, count=True, order_by_field="date")
            hits = list(r.hits)
            total = int(r.count)
            if len(hits) >= total or len(hits) <= want or hits[-1][0] != hits[want - 1][0]:
                break
            fetch *= 2  # the tie at the page's end runs on past what was read
        ids = self.ids(searcher, [a for _, a in hits])
        order = sorted(zip((d or 0 for d, _ in hits), ids, strict=True), reverse=True)
        return tuple(i for _d, i in order[offset:want]), total

    def facets(self, base: list[Clause], p: QueryPlan) -> dict[str, list[tuple[str, int]]]:
        """Counts by type, issuer and year over every match (a second pass)."""
        clauses = [*base, *self.excluded(p)]
        if not p.empty:
            clauses.append((tantivy.Occur.Must, self.words_query(p)))
        aggs = {name: {"terms": {"field": field, "size": 50}} for name, field in FACETS.items()}
        raw = self.searcher().aggregate(tantivy.Query.boolean_query(clauses), aggs)
        return {
            name: [(b["key"], int(b["doc_count"])) for b in raw.get(name, {}).get("buckets", [])
                   if b["key"]]
            for name in FACETS
        }

    def best_page(self, base: list[Clause], p: QueryPlan, *, offset: int, limit: int,
                  without: Sequence[str] = ()) -> tuple[list[str], int]:
        """One page of the best matches (ids, best first) and the exact count,
        leaving out the ids ``without`` (a few)."""
        searcher = self.searcher()
        clauses = [*base, *self.excluded(p), (tantivy.Occur.Must, self.full_query(p))]
        if without:
            clauses.append((tantivy.Occur.MustNot, tantivy.Query.term_set_query(
                self.schema, "key", [id_key(i) for i in without])))
        r = searcher.search(tantivy.Query.boolean_query(clauses), limit=limit, count=True,
                            offset=offset)
        return self.ids(searcher, [a for _, a in r.hits]), int(r.count)

    def matching_ids(self, base: list[Clause], p: QueryPlan, *, limit: int) -> list[str]:
        """Ids of the best ``limit`` matches, best first (tasks for the register's words)."""
        searcher = self.searcher()
        q = tantivy.Query.boolean_query(
            [*base, *self.excluded(p), (tantivy.Occur.Must, self.full_query(p))])
        r = searcher.search(q, limit=limit, count=False)
        return self.ids(searcher, [a for _, a in r.hits])
