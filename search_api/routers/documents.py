"""Documents: GET /documents/{id} (with what it cites and what cites it), upload,
soft delete and restore, "Xác nhận tất cả", and suggestions for a missed task."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Response, UploadFile
from fastapi.concurrency import run_in_threadpool

from pipeline.eval.review import suggest_task
from pipeline.ingest.load import SUPPORTED_SUFFIXES
from pipeline.ingest.run import process_upload
from pipeline.store.base import (
    RefCitation,
    ReviewItem,
    StoredDocument,
    TaskQuery,
    TaskRecord,
    citation_context,
)
from search_api.convert import citation_out, json_response, review_item_out, task_out
from search_api.deps import AdminDep, ApiError, ReviewerDep, SettingsDep, StoreDep
from search_api.schemas import (
    ChangesOut,
    CitedRefOut,
    ConfirmOut,
    DocumentActionOut,
    DocumentOut,
    ErrorOut,
    IngestOut,
    SignatureOut,
    SuggestionOut,
    VersionOut,
)

router = APIRouter(prefix="/documents", tags=["documents"])

_NOT_FOUND_VI = "Không tìm thấy văn bản."
_OUTCOME_VI = {
    "added": "Đã thêm văn bản.",
    "unchanged": "Văn bản này đã có trong kho; không có gì thay đổi.",
    "replaced": "Đã cập nhật: tệp cùng tên có nội dung mới, thay cho bản cũ.",
    "new_version": "Đã lưu phiên bản mới: văn bản cùng số, cùng ngày nhưng nội dung khác; "
                   "bản cũ được giữ trong lịch sử phiên bản, các quyết định rà soát được "
                   "chuyển sang những nhiệm vụ không đổi.",
    "removed": "Văn bản này đã bị xóa trước đây; quản trị viên có thể khôi phục.",
    "restored": "Đã khôi phục văn bản đã xóa, cùng mọi quyết định rà soát của nó.",
}
# What the first bytes say a file is (only the formats with a signature).
_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "docx"),
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
)
_KIND_BY_SUFFIX = {".pdf": "pdf", ".docx": "docx", ".png": "image", ".jpg": "image",
                   ".jpeg": "image", ".tif": "image", ".tiff": "image"}
_KIND_VI = {"pdf": "PDF", "docx": "DOCX (Word)", "image": "ảnh", "text": "văn bản thuần"}


def check_format(name: str, data: bytes) -> None:
    """Refuse (415) a suffix vndoc does not read, or a file whose bytes say it is
    something else than its suffix ("báo cáo.xls" holding text, a PDF named .txt)."""
    suffix = Path(name).suffix.lower()
    supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
    if suffix not in SUPPORTED_SUFFIXES:
        raise ApiError(
            415, f"{name}: unsupported format {suffix or '(no suffix)'}; supported: {supported}",
            f"Không nhận tệp “{name}”: định dạng {suffix or '(không có đuôi)'} không được hỗ "
            f"trợ. Chỉ nhận: {supported}.",
        )
    if not data:
        return  # the loader says "empty"
    head = data[:1024]
    actual = next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)
    if actual is None and b"%PDF-" in head:
        actual = "pdf"
    expected = _KIND_BY_SUFFIX.get(suffix, "text")
    if actual == expected or (actual is None and expected == "text"):
        return
    what = _KIND_VI.get(actual or "text", actual or "")
    raise ApiError(
        415, f"{name}: the content is {actual or 'not ' + expected}, not what {suffix} says",
        f"Không nhận tệp “{name}”: đuôi {suffix} nhưng nội dung là {what}. Hãy lưu tệp "
        "với đúng định dạng rồi tải lên lại.",
    )


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


def grouped_refs(cites: list[RefCitation]) -> list[CitedRefOut]:
    """Each cited instrument once, in order of first citation, with its pinpoints."""
    out: dict[str, CitedRefOut] = {}
    for c in cites:
        r = out.get(c.canonical)
        if r is None:
            r = out[c.canonical] = CitedRefOut(canonical=c.canonical, type=c.type,
                                               number=c.number, pinpoints=[], mentions=0)
        r.mentions += 1
        if c.pinpoint and c.pinpoint not in r.pinpoints:
            r.pinpoints.append(c.pinpoint)
    return list(out.values())


def heading(data: dict[str, Any]) -> str:
    """The document's heading: its trích yếu or title, a news item's headline,
    else its first line; never a file path."""
    d = data.get("doc") or {}
    meta = data.get("meta") or {}
    for value in (d.get("subject"), d.get("title"), meta.get("title")):
        if value and value.strip():
            return " ".join(value.split())
    for line in (data.get("text") or "").splitlines():
        if line.strip():
            line = " ".join(line.split())
            return line if len(line) <= 200 else line[: line.rfind(" ", 0, 200)] + "…"
    return data.get("id", "")


def signature(meta: dict[str, Any]) -> SignatureOut | None:
    """The digital signature facts the loader found, if any."""
    if not any(k.startswith("signature_") for k in meta):
        return None

    def flag(value: Any) -> bool | None:
        text = str(value).strip().lower()
        if text in ("true", "1", "yes"):
            return True
        if text in ("false", "0", "no"):
            return False
        return None

    return SignatureOut(
        org=meta.get("signature_org"), signer=meta.get("signature_signer"),
        time=meta.get("signature_time"),
        intact=flag(meta["signature_intact"]) if "signature_intact" in meta else None,
        trust=meta.get("signature_trust"),
    )


@router.get("/{doc_id}", response_model=DocumentOut, responses={404: {"model": ErrorOut}})
def get_document(store: StoreDep, doc_id: str) -> Response:
    """The full document, its extracted data, every task (rejected ones too, for
    review), what it cites (each instrument once) and what cites it."""
    doc = store.get(doc_id)
    if doc is None:
        # An earlier version, or a second file of a stored document: the one stored.
        resolve = getattr(store, "resolve_id", None)
        current = resolve(doc_id) if resolve is not None else None
        doc = store.get(current) if current else None
        if doc is None:
            raise ApiError(404, f"no document with id {doc_id}", _NOT_FOUND_VI)
        doc_id = doc.id
    today = dt.date.today()
    tasks = store.tasks(TaskQuery(doc_id=doc_id, today=today, review="any", limit=100_000))
    history = getattr(store, "versions", None)
    cites = doc_citations(doc)
    return json_response(DocumentOut(
        id=doc.id, title=heading(doc.data), sources=list(doc.sources),
        ingested_at=doc.ingested_at, document=doc.data,
        tasks=[task_out(t, today) for t in sorted(tasks, key=lambda t: t.start)],
        refs=grouped_refs(cites), cites=[citation_out(c) for c in cites],
        cited_by=[citation_out(c) for c in store.citing_documents(doc_id)],
        signature=signature(doc.data.get("meta") or {}),
        review=review_item_out(_review_state(store, doc, tasks)),
        versions=[VersionOut(
            id=v.id, title=v.title, number_symbol=v.number_symbol, issue_date=v.issue_date,
            sources=list(v.sources), ingested_at=v.ingested_at, superseded_by=v.superseded_by,
            superseded_at=v.superseded_at, changes=ChangesOut(**v.changes),
        ) for v in (history(doc_id) if history is not None else [])],
    ))


def _review_state(
    store: StoreDep, doc: StoredDocument, tasks: list[TaskRecord]
) -> ReviewItem:
    """Where the document stands in review: counts, and who reviewed it when."""
    d = doc.data.get("doc") or {}
    unreviewed = sum(t.review == "unreviewed" for t in tasks)
    trail = [x for x in store.decisions(doc_id=doc.id, limit=10_000).items
             if x.action not in ("done", "undone", "note", "remove_document",
                                 "restore_document")]
    confirmed = any(x.action == "confirm_document" for x in trail)
    reviewed = unreviewed == 0 and (bool(tasks) or confirmed)
    last = trail[-1] if trail and reviewed else None
    return ReviewItem(
        doc_id=doc.id, title=heading(doc.data), doc_type=d.get("doc_type"),
        number_symbol=d.get("number_symbol"), issuer=d.get("issuer"),
        issue_date=d.get("issue_date"), source=doc.sources[0] if doc.sources else None,
        ingested_at=doc.ingested_at, tasks=sum(t.review != "rejected" for t in tasks),
        unreviewed=unreviewed, reviewed_at=last.at if last else None,
        reviewed_by=last.who if last else None,
    )


@router.get("/{doc_id}/suggest", response_model=SuggestionOut,
            responses={404: {"model": ErrorOut}, 422: {"model": ErrorOut}})
def suggest(
    store: StoreDep, doc_id: str,
    start: Annotated[int, Query(ge=0)], end: Annotated[int, Query(gt=0)],
) -> SuggestionOut:
    """What the extractors read in a selected stretch of the document: owner,
    cooperating agencies, deadline and action, to pre-fill a missed task."""
    doc = store.get(doc_id)
    if doc is None:
        raise ApiError(404, f"no document with id {doc_id}", _NOT_FOUND_VI)
    n = len(doc.data["text"])
    if end <= start or end > n or end - start > 20_000:
        raise ApiError(422, f"select 1 to 20000 characters within 0-{n}",
                       "Đoạn chọn không hợp lệ: hãy bôi đen một đoạn trong văn bản.")
    s = suggest_task(doc.data, start, end)
    return SuggestionOut(start=s.start, end=s.end, text=s.text, owners=list(s.owners),
                         owner_kinds=list(s.owner_kinds), cooperating=list(s.cooperating),
                         action=s.action, deadline=s.deadline, deadline_text=s.deadline_text,
                         rule_id=s.rule_id)


@router.post("/{doc_id}/confirm", response_model=ConfirmOut,
             responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut},
                        404: {"model": ErrorOut}})
def confirm(store: StoreDep, who: ReviewerDep, doc_id: str) -> ConfirmOut:
    """"Xác nhận tất cả": confirm every task nobody has decided on, and mark the
    document reviewed (key required)."""
    if not store.has(doc_id):
        raise ApiError(404, f"no document with id {doc_id}", _NOT_FOUND_VI)
    return ConfirmOut(doc_id=doc_id, confirmed=store.confirm_document(doc_id, who=who.name))


@router.delete("/{doc_id}", response_model=DocumentActionOut,
               responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut},
                          404: {"model": ErrorOut}})
def delete_document(store: StoreDep, who: AdminDep, doc_id: str) -> DocumentActionOut:
    """Delete a document (admin key): it leaves search and the register; its
    review decisions and the audit trail are kept, and an admin can restore it."""
    if not store.remove_document(doc_id, who=who.name):
        raise ApiError(404, f"no document with id {doc_id}", _NOT_FOUND_VI)
    return DocumentActionOut(id=doc_id, outcome="removed")


@router.post("/{doc_id}/restore", response_model=DocumentActionOut,
             responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut},
                        404: {"model": ErrorOut}})
def restore_document(store: StoreDep, who: AdminDep, doc_id: str) -> DocumentActionOut:
    """Bring back a deleted document with its decisions (admin key)."""
    if not store.restore_document(doc_id, who=who.name):
        raise ApiError(404, f"no deleted document with id {doc_id}",
                       "Không có văn bản đã xóa với mã này.")
    return DocumentActionOut(id=doc_id, outcome="restored")


@router.post(
    "",
    response_model=IngestOut,
    status_code=201,
    responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 413: {"model": ErrorOut},
               415: {"model": ErrorOut}, 422: {"model": ErrorOut}},
)
async def upload(
    store: StoreDep,
    settings: SettingsDep,
    who: ReviewerDep,
    file: Annotated[UploadFile, File(description="TXT, MD, HTML, PDF, DOCX or an image")],
    restore: Annotated[bool, Query(
        description="If this document was deleted, restore it (admin key)")] = False,
) -> IngestOut:
    """Ingest an uploaded file (API key required)."""
    if restore and who.role != "admin":
        raise ApiError(403, "restoring a deleted document needs an admin key",
                       "Khôi phục văn bản đã xóa cần khóa quản trị (admin).")
    data = await file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        mb = settings.max_upload_bytes / 1024 / 1024
        raise ApiError(413, f"upload larger than {settings.max_upload_bytes} bytes",
                       f"Tệp quá lớn (tối đa {mb:g} MB).")
    name = (file.filename or "upload.txt").replace("\n", " ").replace("\r", " ")[:255]
    check_format(name, data)
    # Parsing and extraction take up to the loader timeout: off the event loop,
    # so every other request keeps being answered meanwhile.
    doc = await run_in_threadpool(
        process_upload, data, name=f"upload:{name}", max_bytes=settings.max_upload_bytes,
        timeout_s=settings.loader_timeout_s,
    )
    # An upload is known by its content, never by the name the client gave it:
    # two different files both called "scan.txt" are two sources.
    digest = hashlib.sha256(data).hexdigest()[:16]
    doc = dataclasses.replace(doc, source=f"upload:{digest}/{name}")
    outcome = await run_in_threadpool(store.put, doc)
    if outcome == "removed" and restore:
        await run_in_threadpool(lambda: store.restore_document(doc.id, who=who.name))
        outcome = "restored"
    resolve = getattr(store, "resolve_id", None)
    stored = (await run_in_threadpool(resolve, doc.id) if resolve is not None else None) or doc.id
    return IngestOut(id=stored, outcome=outcome, message=_OUTCOME_VI[outcome],
                     source=doc.source, title=heading(doc.to_json()), tasks=len(doc.tasks),
                     legal_refs=len(doc.legal_refs))
