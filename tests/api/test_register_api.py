"""The register, search precision and staff review through the HTTP API
(issues #14 and #15), over LocalStore with the hand-built sample documents."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pipeline.settings import Settings
from search_api.app import create_app

REVIEWER = {"X-API-Key": "key-lan"}
ADMIN = {"X-API-Key": "key-an"}
TODAY = "2024-07-01"


@pytest.fixture
def client(data_dir: Path):  # type: ignore[no-untyped-def]
    app = create_app(Settings(data_dir=data_dir, api_keys="lan:key-lan,an:key-an:admin",
                              unit_name="Văn phòng UBND tỉnh Bắc Giang"))
    with TestClient(app) as c:
        yield c


def tasks(client: TestClient, **params: object) -> dict:  # type: ignore[type-arg]
    r = client.get("/tasks", params={"today": TODAY, **params})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


# -- the register ---------------------------------------------------------------------


def test_register_columns(client: TestClient, sample_docs) -> None:
    t = tasks(client, owner="so tai chinh")["data"][0]
    assert (t["doc_number"], t["doc_date"], t["doc_issuer"], t["doc_title"]) == (
        "/TB-UBND", "2024-03", "UBND tỉnh Bắc Giang", "Kết luận về khu công nghiệp")
    assert (t["status"], t["days_late"], t["review"], t["owner_kinds"]) == (
        "overdue", 92, "unreviewed", ["agency"])
    assert t["note"] is None and t["done_by"] is None and "rule_id" in t and "flags" in t


def test_paging_sorting_and_totals(client: TestClient) -> None:
    first = tasks(client, size=2)
    second = tasks(client, size=2, page=2)
    assert first["count"] == second["count"] == 3 and (first["page"], second["page"]) == (1, 2)
    assert len(first["data"]) == 2 and len(second["data"]) == 1
    by_owner = [t["owners"][0] for t in tasks(client, sort="owner", order="desc")["data"]]
    assert by_owner == sorted(by_owner, reverse=True)
    by_status = [t["status"] for t in tasks(client, sort="status")["data"]]
    assert by_status == ["overdue", "overdue", "no_deadline"]
    assert client.get("/tasks", params={"size": 101}).status_code == 422
    assert client.get("/tasks", params={"sort": "bogus"}).status_code == 422


def test_document_filters(client: TestClient, sample_docs) -> None:
    assert tasks(client, issuer="UBND tỉnh Quảng Trị")["count"] == 1
    assert tasks(client, province="Bắc Giang")["count"] == 3
    assert tasks(client, province="Hà Nội")["count"] == 0
    assert tasks(client, issued_from="2024-01-01")["count"] == 2
    assert tasks(client, doc_id=sample_docs[1].id)["count"] == 1
    assert client.get("/tasks", params={"issued_to": "31/12/2023"}).status_code == 422


def test_staff_abbreviations_in_the_owner_filter(client: TestClient) -> None:
    r = tasks(client, owner="STC")
    assert r["owner_names"] == ["Sở Tài chính tỉnh Bắc Giang"] and r["count"] == 1
    assert tasks(client, owner="SXD", role="cooperating")["count"] == 1
    assert tasks(client, owner="BQL KCN")["count"] == 1


def test_mark_done_late_and_undo(client: TestClient) -> None:
    t = tasks(client, owner="so tai chinh")["data"][0]
    r = client.patch(f"/tasks/{t['id']}", json={"done": True, "done_on": "2024-04-05"},
                     headers=REVIEWER)
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["days_late"], r.json()["done_by"]) == (
        "done_late", 5, "lan")
    assert [x["id"] for x in tasks(client, status="done_late")["data"]] == [t["id"]]
    r = client.patch(f"/tasks/{t['id']}", json={"done": False}, headers=REVIEWER)
    assert r.json()["done"] is False and r.json()["done_on"] is None
    hist = client.get(f"/tasks/{t['id']}/history").json()
    assert [h["action"] for h in hist] == ["done", "done", "undone"]


# -- exports ----------------------------------------------------------------------------


def test_xlsx_is_excel_native(client: TestClient) -> None:
    from openpyxl import load_workbook

    r = client.get("/tasks", params={"format": "xlsx", "today": TODAY, "owner": "so tai chinh",
                                     "status": "overdue"})
    assert r.status_code == 200
    disposition = r.headers["content-disposition"]
    assert 'filename="nhiem-vu_so-tai-chinh_qua-han_2024-07-01.xlsx"' in disposition
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws["A1"].value == "SỔ THEO DÕI NHIỆM VỤ"
    assert ws["A2"].value == "Đơn vị: Văn phòng UBND tỉnh Bắc Giang"
    assert ws["A3"].value == "Lọc theo: Đơn vị: so tai chinh; Trạng thái: quá hạn"
    assert ws["A4"].value == "Tính đến ngày 01/07/2024"
    header = [c.value for c in ws[6]]
    assert header[:5] == ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp",
                          "Thời hạn"]
    assert "Ngày văn bản" in header and "Kết quả / ghi chú" in header
    assert ws.freeze_panes == "A7" and ws.auto_filter.ref.startswith("A6:")
    row = [c for c in ws[7]]
    assert row[0].value == 1 and row[0].data_type == "n"  # STT is a number
    assert row[4].value == dt.datetime(2024, 3, 31) and row[4].number_format == "DD/MM/YYYY"
    assert row[header.index("Số ngày quá hạn")].value == 92
    assert row[header.index("Trạng thái")].value == "Quá hạn 92 ngày"


def test_csv_has_the_same_columns(client: TestClient) -> None:
    r = client.get("/tasks", params={"format": "csv", "today": TODAY})
    assert r.content.startswith(b"\xef\xbb\xbf")
    assert r.headers["content-disposition"].startswith(
        'attachment; filename="nhiem-vu_2024-07-01.csv"')
    import csv

    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[:4] == [["SỔ THEO DÕI NHIỆM VỤ"], ["Đơn vị: Văn phòng UBND tỉnh Bắc Giang"],
                        ["Tính đến ngày 01/07/2024"], []]
    header = rows[4]
    assert header[0] == "STT" and "Trích yếu" in header and "Người cập nhật" in header
    first = dict(zip(header, rows[5], strict=True))
    assert first["Thời hạn"] == "2024-03-31" and first["Số ngày quá hạn"] == "92"


def test_formula_injection_is_inert(client: TestClient) -> None:
    from openpyxl import load_workbook

    t = tasks(client)["data"][0]
    evil = '=HYPERLINK("http://evil.example","bấm")'
    r = client.patch(f"/tasks/{t['id']}", json={"owners": [evil], "note": "+1+1",
                                                "action": "@SUM(A1)"}, headers=REVIEWER)
    assert r.status_code == 200, r.text
    csv_text = client.get("/tasks", params={"format": "csv"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'+1+1" in csv_text and "'@SUM(A1)" in csv_text
    assert ",=HYPERLINK" not in csv_text and '"=HYPERLINK' not in csv_text
    ws = load_workbook(io.BytesIO(client.get("/tasks", params={"format": "xlsx"}).content)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value == evil]
    assert cells and all(c.data_type == "s" for c in cells)  # text, never a formula
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_ics_feed(client: TestClient) -> None:
    from icalendar import Calendar

    r = client.get("/tasks.ics", params={"today": TODAY})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    cal = Calendar.from_ical(r.content)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 2  # the task without a deadline has no entry
    starts = sorted(e.decoded("dtstart") for e in events)
    assert starts == [dt.date(2024, 3, 31), dt.date(2024, 6, 30)]
    first = next(e for e in events if e.decoded("dtstart") == dt.date(2024, 3, 31))
    assert "Sở Tài chính tỉnh Bắc Giang" in str(first.get("summary"))
    assert "Quá hạn 92 ngày" in str(first.get("description"))
    assert str(first.get("uid")).endswith("@vndoc")
    only = Calendar.from_ical(client.get("/tasks.ics", params={"owner": "BQL KCN"}).content)
    assert len(list(only.walk("VEVENT"))) == 1
    assert client.head("/tasks.ics").status_code == 200


# -- search precision ----------------------------------------------------------------------


def test_search_every_word_and_the_relaxed_suggestion(client: TestClient, sample_docs) -> None:
    r = client.get("/search", params={"q": "đất đai xyzzyqwv"}).json()
    assert r["count"] == 0 and r["data"] == []
    assert r["relaxed"] == "đất OR đai OR xyzzyqwv"
    again = client.get("/search", params={"q": r["relaxed"]}).json()
    assert [h["id"] for h in again["data"]] == [sample_docs[1].id]
    assert client.get("/search", params={"q": "xyzzyqwv"}).json()["relaxed"] is None
    r = client.get("/search", params={"q": '"Gio Linh" OR "Quang Châu"', "sort": "date"}).json()
    assert [h["id"] for h in r["data"]] == [sample_docs[2].id, sample_docs[1].id]
    r = client.get("/search", params={"q": "khu cong nghiep -quang", "year": "2024"}).json()
    assert [h["id"] for h in r["data"]] == [sample_docs[0].id]
    assert client.get("/search", params={"year": "24"}).status_code == 422


def test_search_pages_through_everything(client: TestClient) -> None:
    seen = []
    for page in (1, 2, 3):
        r = client.get("/search", params={"size": 1, "page": page}).json()
        assert r["count"] == 3
        seen += [h["id"] for h in r["data"]]
    assert len(set(seen)) == 3


# -- staff review ------------------------------------------------------------------------------


def test_review_flow(client: TestClient, sample_docs) -> None:
    d1, d2, d3 = (d.id for d in sample_docs)
    queue = client.get("/review").json()
    assert queue["count"] == 3 and {i["doc_id"] for i in queue["data"]} == {d1, d2, d3}
    t1, t2 = client.get(f"/documents/{d1}").json()["tasks"]
    assert client.patch(f"/tasks/{t1['id']}", json={"review": "confirmed"},
                        headers=REVIEWER).json()["review"] == "confirmed"
    fixed = client.patch(f"/tasks/{t2['id']}", json={
        "owners": ["Sở Xây dựng tỉnh Bắc Giang"], "cooperating": ["Sở Tài chính tỉnh Bắc Giang"],
        "deadline": "2024-07-15", "action": "xây dựng đề án PCCC"}, headers=REVIEWER).json()
    assert fixed["review"] == "edited" and fixed["deadline"] == "2024-07-15"
    # A missed task, by selecting its text: the extractors pre-fill it.
    text = sample_docs[2].text
    phrase = "hội nghị xúc tiến đầu tư vào khu công nghiệp Quang Châu năm 2023"
    start = text.index(phrase)
    s = client.get(f"/documents/{d3}/suggest",
                   params={"start": start, "end": start + len(phrase)}).json()
    assert s["text"] == phrase
    added = client.post("/tasks", json={
        "doc_id": d3, "start": start, "end": start + len(phrase),
        "owners": s["owners"] or ["Sở Công Thương tỉnh Bắc Ninh"],
        "action": "tổ chức hội nghị xúc tiến đầu tư"}, headers=REVIEWER)
    assert added.status_code == 201, added.text
    assert added.json()["review"] == "added" and added.json()["updated_by"] == "lan"
    # Reject the one task of doc 2; doc 3 is done too (its added task is decided).
    t3 = client.get(f"/documents/{d2}").json()["tasks"][0]
    assert client.patch(f"/tasks/{t3['id']}", json={"review": "rejected"},
                        headers=REVIEWER).json()["review"] == "rejected"
    view = client.get(f"/documents/{d2}").json()
    assert [t["review"] for t in view["tasks"]] == ["rejected"]  # still shown, for undo
    assert view["review"]["unreviewed"] == 0 and view["review"]["reviewed_by"] == "lan"
    assert client.get("/review").json()["count"] == 0
    assert client.get("/review", params={"reviewed": True}).json()["count"] == 3
    trail = client.get("/decisions", params={"doc_id": d1}).json()
    assert trail["count"] == 5 and {x["who"] for x in trail["data"]} == {"lan"}
    q = client.get("/quality").json()
    assert q["overall"]["documents"] == 3
    assert (q["overall"]["extracted"], q["overall"]["rejected"], q["overall"]["added"]) == (3, 1, 1)
    assert q["overall"]["precision"] == pytest.approx(2 / 3, abs=1e-3)
    assert q["overall"]["recall"] == pytest.approx(2 / 3, abs=1e-3)
    assert q["overall"]["owners"] == 0.5 and q["overall"]["deadline"] == 0.5
    assert len(q["months"]) == 1 and q["months"][0]["period"] == dt.date.today().isoformat()[:7]


def test_confirm_all(client: TestClient, sample_docs) -> None:
    d1 = sample_docs[0].id
    r = client.post(f"/documents/{d1}/confirm", headers=REVIEWER)
    assert r.status_code == 200 and r.json() == {"doc_id": d1, "confirmed": 2}
    assert {t["review"] for t in client.get(f"/documents/{d1}").json()["tasks"]} == {
        "confirmed"}
    assert client.post("/documents/nope/confirm", headers=REVIEWER).status_code == 404


def test_roles_and_soft_delete(client: TestClient, sample_docs) -> None:
    d2 = sample_docs[1].id
    r = client.delete(f"/documents/{d2}", headers=REVIEWER)
    assert r.status_code == 403 and "admin" in r.json()["detail"]
    assert "quản trị" in r.json()["message"]
    assert client.delete(f"/documents/{d2}").status_code == 401
    r = client.delete(f"/documents/{d2}", headers=ADMIN)
    assert r.status_code == 200 and r.json() == {"id": d2, "outcome": "removed"}
    assert client.get(f"/documents/{d2}").status_code == 404
    assert client.get("/search", params={"q": "dat dai"}).json()["count"] == 0
    removed = client.get("/removed").json()
    assert removed["count"] == 1 and removed["data"][0]["removed_by"] == "an"
    # Uploading the same text again does not bring it back unasked ...
    body = sample_docs[1].text.encode()
    up = client.post("/documents", files={"file": ("b.txt", body)}, headers=REVIEWER)
    assert up.status_code == 201 and up.json()["outcome"] == "removed"
    assert client.get(f"/documents/{d2}").status_code == 404
    # ... restoring needs an admin.
    up = client.post("/documents", params={"restore": True}, files={"file": ("b.txt", body)},
                     headers=REVIEWER)
    assert up.status_code == 403
    assert client.post(f"/documents/{d2}/restore", headers=ADMIN).json()["outcome"] == "restored"
    assert client.get(f"/documents/{d2}").status_code == 200
    who = client.get("/whoami", headers=ADMIN).json()
    assert who == {"name": "an", "role": "admin"}
    assert client.get("/whoami", headers=REVIEWER).json()["role"] == "reviewer"
    assert client.get("/whoami").status_code == 401


def test_upload_refuses_unknown_and_mislabelled_formats(client: TestClient) -> None:
    text = "Giao Sở Tài chính chủ trì, báo cáo trước ngày 10/8/2024.".encode()
    r = client.post("/documents", files={"file": ("bao-cao.xls", text)}, headers=REVIEWER)
    assert r.status_code == 415 and ".xls" in r.json()["detail"]
    assert "không được hỗ trợ" in r.json()["message"]
    r = client.post("/documents", files={"file": ("cv.pdf", text)}, headers=REVIEWER)
    assert r.status_code == 415 and "PDF" not in r.json()["message"].split("nhưng")[0][-5:]
    r = client.post("/documents", files={"file": ("cv.txt", b"%PDF-1.7\n...")}, headers=REVIEWER)
    assert r.status_code == 415 and "nội dung là PDF" in r.json()["message"]
    ok = client.post("/documents", files={"file": ("cv.txt", text)}, headers=REVIEWER)
    assert ok.status_code == 201 and ok.json()["outcome"] == "added"
    assert ok.json()["message"] == "Đã thêm văn bản."
    again = client.post("/documents", files={"file": ("cv-2.txt", text)}, headers=REVIEWER)
    assert again.json()["outcome"] == "unchanged"


def test_document_view_dedups_references(client: TestClient, sample_docs, data_dir) -> None:
    from dataclasses import replace

    from extractors.model import LegalRef
    from tests.conftest import make_doc

    text = ("Thực hiện Nghị định 35/2022/NĐ-CP (khoản 4 Điều 9 Nghị định 35/2022/NĐ-CP) "
            "và Điều 12 Nghị định 35/2022/NĐ-CP.")
    refs = []
    for m, (art, cl) in zip(("Nghị định 35/2022/NĐ-CP",) * 3, ((None, None), ("9", "4"),
                                                                 ("12", None)), strict=True):
        i = text.index(m, refs[-1].end if refs else 0)
        refs.append(LegalRef(text=m, start=i, end=i + len(m), type="Nghị định",
                             number="35/2022/NĐ-CP", canonical=m, article=art, clause=cl))
    doc = make_doc(text, source="r.txt", refs=tuple(refs))
    doc = replace(doc, meta=(("signature_org", "UBND tỉnh Bắc Giang"),
                             ("signature_time", "2024-03-12T09:30:00+07:00"),
                             ("signature_intact", "true"), ("signature_trust", "not_checked")))
    client.app.state.store.put(doc)  # type: ignore[attr-defined]
    view = client.get(f"/documents/{doc.id}").json()
    assert view["refs"] == [{"canonical": "Nghị định 35/2022/NĐ-CP", "type": "Nghị định",
                             "number": "35/2022/NĐ-CP",
                             "pinpoints": ["khoản 4 Điều 9", "Điều 12"], "mentions": 3}]
    assert view["signature"] == {"org": "UBND tỉnh Bắc Giang", "signer": None,
                                 "time": "2024-03-12T09:30:00+07:00", "intact": True,
                                 "trust": "not_checked"}
    assert view["title"] == doc.doc.title


def test_owner_filter_includes_collectives(client: TestClient) -> None:
    from dataclasses import replace

    from tests.conftest import make_doc, task_in

    text = "Đề nghị UBND các tỉnh, thành phố trực thuộc Trung ương báo cáo kết quả."
    coll = "UBND các tỉnh, thành phố trực thuộc Trung ương"
    doc = make_doc(text, source="c.txt", tasks=(task_in(text, text, owners=(coll,),
                                                        cooperating=(),
                                                        owner_kinds=("collective",)),),
                   agencies=("UBND tỉnh Bắc Giang",))
    doc = replace(doc, doc=replace(doc.doc, issuer="Bộ Nội vụ"))
    client.app.state.store.put(doc)  # type: ignore[attr-defined]
    r = tasks(client, owner="UBND tỉnh Bắc Giang", with_collectives=True)
    assert r["collectives"] == [coll]
    assert [t["via_collective"] for t in r["data"]] == [coll]
    assert tasks(client, owner="UBND tỉnh Bắc Giang")["count"] == 0
