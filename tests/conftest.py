"""Shared fixtures: hand-built documents and stores in temporary folders, and the
served corpus ingested once per session (into a LocalStore, and into ElasticStore
for the tests that ask for it), which tests read and never write."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from extractors.model import (
    Agency,
    DocKind,
    DocMeta,
    ExtractedDocument,
    Label,
    LegalRef,
    Span,
    Task,
)
from tests.es_server import es_server, noida  # noqa: F401 - fixtures (served_es needs es_server)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
# The documents `make serve` ingests
SERVED = [CORPUS / "seeds", CORPUS / "docs", CORPUS / "samples"]

# Property tests check answers, never time: no per-example deadline and no "too slow"
# health check (a loaded machine made Hypothesis's 200 ms fail a test whose answer was right).
settings.register_profile("vndoc", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("vndoc")


def load_script(name: str) -> ModuleType:
    """A script of scripts/ (not a package) imported as a module, e.g. "make_samples"."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def corpus_line(length: int) -> str:
    """The corpus's real documents as one line of ``length`` characters, for
    tests that regexes stay linear on long lines."""
    texts = [
        p.read_text("utf-8") for d in ("seeds", "docs") for p in sorted((CORPUS / d).glob("*.txt"))
    ]
    one = " ".join(texts).replace("\n", " ")
    return (one * (length // len(one) + 1))[:length]


def make_doc(
    text: str,
    *,
    source: str,
    doc_type: str = "Thông báo",
    number: str | None = None,
    issuer: str = "UBND tỉnh Bắc Giang",
    date: str = "2024-03-12",
    tasks: tuple[Task, ...] = (),
    refs: tuple[LegalRef, ...] = (),
    agencies: tuple[str, ...] = (),
) -> ExtractedDocument:
    """A document built by hand, so store tests don't depend on the extractors."""
    from extractors import doc_id_for

    ags = []
    for name in agencies:
        mentions = []
        i = text.find(name.split(" tỉnh ")[0])
        if i >= 0:
            n = len(name.split(" tỉnh ")[0])
            mentions.append(Span(i, i + n, text[i : i + n], Label.AGENCY, "test", name))
        ags.append(Agency(name=name, mentions=tuple(mentions)))
    return ExtractedDocument(
        id=doc_id_for(text),
        source=source,
        text=text,
        doc=DocMeta(
            kind=DocKind.OFFICIAL, doc_type=doc_type, number_symbol=number, issuer=issuer,
            issue_date=date, title=text.split("\n", 1)[0], province="Bắc Giang",
        ),
        agencies=tuple(ags),
        legal_refs=refs,
        tasks=tasks,
    )


def task_in(text: str, sentence: str, **kw: object) -> Task:
    i = text.index(sentence)
    return Task(text=sentence, start=i, end=i + len(sentence), **kw)  # type: ignore[arg-type]


@pytest.fixture
def sample_docs() -> list[ExtractedDocument]:
    t1 = (
        "Kết luận về khu công nghiệp\n"
        "Sở Tài chính chủ trì, phối hợp với Sở Xây dựng hướng dẫn lập dự toán kinh phí "
        "tiêu thoát nước, xong trong tháng 3/2024.\n"
        "Ban Quản lý các KCN tỉnh xây dựng đề án phòng cháy, chữa cháy, xong trong tháng 6/2024.\n"
        "Thực hiện theo khoản 4 Điều 9 Nghị định số 35/2022/NĐ-CP ngày 28/5/2022."
    )
    s1 = ("Sở Tài chính chủ trì, phối hợp với Sở Xây dựng hướng dẫn lập dự toán kinh phí "
          "tiêu thoát nước, xong trong tháng 3/2024.")
    s2 = "Ban Quản lý các KCN tỉnh xây dựng đề án phòng cháy, chữa cháy, xong trong tháng 6/2024."
    ref_text = "khoản 4 Điều 9 Nghị định số 35/2022/NĐ-CP ngày 28/5/2022"
    ri = t1.index(ref_text)
    d1 = make_doc(
        t1, source="a.txt", number="/TB-UBND", date="2024-03",
        agencies=("Sở Tài chính tỉnh Bắc Giang", "Sở Xây dựng tỉnh Bắc Giang",
                  "Ban Quản lý các KCN tỉnh Bắc Giang"),
        tasks=(
            task_in(t1, s1, owners=("Sở Tài chính tỉnh Bắc Giang",),
                    cooperating=("Sở Xây dựng tỉnh Bắc Giang",), deadline="2024-03-31",
                    deadline_text="xong trong tháng 3/2024"),
            task_in(t1, s2, owners=("Ban Quản lý các KCN tỉnh Bắc Giang",), cooperating=(),
                    deadline="2024-06-30", deadline_text="xong trong tháng 6/2024"),
        ),
        refs=(LegalRef(text=ref_text, start=ri, end=ri + len(ref_text), type="Nghị định",
                       number="35/2022/NĐ-CP", canonical="Nghị định 35/2022/NĐ-CP",
                       article="9", clause="4", date="2022-05-28"),),
    )
    t2 = (
        "Công văn về quản lý đất đai\n"
        "Giao Sở Tài nguyên và Môi trường rà soát hồ sơ đất đai trên địa bàn huyện Gio Linh.\n"
        "Căn cứ Nghị định 35/2022/NĐ-CP."
    )
    s3 = "Giao Sở Tài nguyên và Môi trường rà soát hồ sơ đất đai trên địa bàn huyện Gio Linh."
    r2 = "Nghị định 35/2022/NĐ-CP"
    r2i = t2.index(r2)
    d2 = make_doc(
        t2, source="b.txt", doc_type="Công văn", number="707/UBND-KT",
        issuer="UBND tỉnh Quảng Trị", date="2023-02-28",
        agencies=("Sở Tài nguyên và Môi trường tỉnh Quảng Trị",),
        tasks=(task_in(t2, s3, owners=("Sở Tài nguyên và Môi trường tỉnh Quảng Trị",),
                       cooperating=()),),
        refs=(LegalRef(text=r2, start=r2i, end=r2i + len(r2), type="Nghị định",
                       number="35/2022/NĐ-CP", canonical="Nghị định 35/2022/NĐ-CP"),),
    )
    t3 = "Tin tức: hội nghị xúc tiến đầu tư vào khu công nghiệp Quang Châu năm 2023."
    d3 = make_doc(t3, source="c.txt", doc_type="Kế hoạch", issuer="UBND tỉnh Bắc Ninh",
                  date="2023-12-07")
    return [d1, d2, d3]


@pytest.fixture
def today() -> dt.date:
    return dt.date(2024, 7, 1)


# -- the served corpus, ingested once per session ---------------------------------------
# Ingesting it takes tens of seconds (more into the Elasticsearch emulator), so each
# store is built once by the real pipeline and shared: tests only read it; a test
# that writes takes a copy (``served_copy``) or builds its own store.


@pytest.fixture(scope="session")
def served_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the served corpus (read it, or copy it to write)."""
    data = tmp_path_factory.mktemp("served") / "data"
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # Under pytest-xdist the first worker to get here ingests it into the run's
        # shared temp folder; every worker reads its own copy of that.
        import fcntl
        import shutil

        root = tmp_path_factory.getbasetemp().parent
        built = root / "served-data"
        with (root / "served-data.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (built / "ingested").exists():
                shutil.rmtree(built, ignore_errors=True)
                _ingest_served(built)
                (built / "ingested").touch()
        shutil.copytree(built, data, ignore=shutil.ignore_patterns("ingested"))
        return data
    _ingest_served(data)
    return data


def _ingest_served(data: Path) -> None:
    from pipeline.ingest.run import ingest
    from pipeline.store.local import LocalStore

    with LocalStore(data) as store:
        report = ingest([str(p) for p in SERVED], store)
        assert not report.failures, report.failures


@pytest.fixture(scope="session")
def served(served_dir: Path) -> Iterator[Any]:
    """The served corpus's LocalStore, open for reading."""
    from pipeline.store.local import LocalStore

    with LocalStore(served_dir) as store:
        yield store


@pytest.fixture
def served_copy(served_dir: Path, tmp_path: Path) -> Iterator[Any]:
    """A copy of the served store that a test may add documents to."""
    import shutil

    from pipeline.store.local import LocalStore

    data = tmp_path / "data"
    shutil.copytree(served_dir, data)
    with LocalStore(data) as store:
        yield store


@pytest.fixture(scope="session")
def served_es(es_server: dict[str, Any]) -> Iterator[Any]:  # noqa: F811
    """Settings of an ElasticStore (noida-db, or the cluster at VNDOC_ES_URL) holding
    the served corpus, ingested by the real pipeline once per session; read only.
    Its indices are dropped when the session ends."""
    from pipeline.ingest.run import ingest
    from pipeline.settings import Settings
    from pipeline.store import open_store

    settings = Settings(store="elasticsearch", es_url=str(es_server["url"]),
                        es_index_prefix=f"vndoc-served-{os.getpid()}")
    store = open_store(settings, admin=True)  # what `vndoc es-setup` does first
    try:
        report = ingest([str(p) for p in SERVED], store)
        assert not report.failures, report.failures
    finally:
        store.close()
    yield settings
    store = open_store(settings)
    try:
        store.drop()  # type: ignore[attr-defined]
    finally:
        store.close()
