"""GET /documents/{id} (with what it cites and what cites it); POST /documents."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, File, HTTPException, UploadFile
from fastapi.concurrency import run_in_threadpool

from pipeline.ingest.run import process_upload
from pipeline.store.base import RefCitation, StoredDocument, TaskQuery, citation_context
from search_api.convert import citation_out, task_out
from search_api.deps import SettingsDep, StoreDep, WriterDep
from search_api.schemas import DocumentOut, ErrorOut, IngestOut

router = APIRouter(prefix="/documents", tags=["documents"])


def doc_citations(doc: StoredDocument) -> list[RefCitation]:
    """What a document cites, from its own extracted data."""
    d = doc.data
    text = d["text"]
    return [
        RefCitation(
            canonical=r["canonical"], type=r["type"], number=r.get("number"), doc_id=doc.id,
            doc_title=d["doc"].get("subject") or d["doc"].get("title"),
            doc_number=d["doc"].get("number_symbol"), doc_date=d["doc"].get("issue_date"),
            article=r.get("article"), clause=r.get("clause"), point=r.get("point"),
            date=r.get("date"), text=r["text"], start=r["start"], end=r["end"],
            context=citation_context(text, r["start"], r["end"]),
        )
        for r in d.get("legal_refs", [])
    ]


@router.get("/{doc_id}", response_model=DocumentOut, responses={404: {"model": ErrorOut}})
def get_document(store: StoreDep, doc_id: str) -> DocumentOut:
    """The full document, its extracted data, tasks, and citations both ways."""
    doc = store.get(doc_id)
    if doc is None:
        raise HTTPException(404, f"no document with id {doc_id}")
    today = dt.date.today()
    tasks = store.tasks(TaskQuery(doc_id=doc_id, today=today))
    cites = doc_citations(doc)
    return DocumentOut(
        id=doc.id, sources=list(doc.sources), ingested_at=doc.ingested_at, document=doc.data,
        tasks=[task_out(t, today) for t in sorted(tasks, key=lambda t: t.start)],
        cites=[citation_out(c) for c in cites],
        cited_by=[citation_out(c) for c in store.citing_documents(doc_id)],
    )


@router.post(
    "",
    response_model=IngestOut,
    status_code=201,
    responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 413: {"model": ErrorOut},
               422: {"model": ErrorOut}},
)
async def upload(
    store: StoreDep,
    settings: SettingsDep,
    who: WriterDep,
    file: Annotated[UploadFile, File(description="TXT, MD, HTML, PDF or DOCX")],
) -> IngestOut:
    """Ingest an uploaded file (API key required)."""
    data = await file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise HTTPException(413, f"upload larger than {settings.max_upload_bytes} bytes")
    name = file.filename or "upload.txt"
    # Parsing and extraction take up to the loader timeout: off the event loop,
    # so every other request keeps being answered meanwhile.
    doc = await run_in_threadpool(
        process_upload, data, name=f"upload:{name}", max_bytes=settings.max_upload_bytes,
        timeout_s=settings.loader_timeout_s,
    )
    outcome = await run_in_threadpool(store.put, doc)
    return IngestOut(id=doc.id, outcome=outcome, source=doc.source, tasks=len(doc.tasks),
                     legal_refs=len(doc.legal_refs))
