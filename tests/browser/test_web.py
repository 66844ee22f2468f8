"""The web page in headless Chromium, against a real uvicorn server.

Each test opens the page through ``make_page``, which afterwards checks that
every request went to 127.0.0.1 and that the page threw no uncaught error.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import API_KEY, API_USER, Server, Traffic, shot

pytestmark = pytest.mark.browser

CSV_HEADER = (
    "STT,Nội dung nhiệm vụ,Đơn vị chủ trì,Đơn vị phối hợp,Thời hạn,Số văn bản giao,"
    "Ngày văn bản,Cơ quan ban hành,Trích yếu,Trạng thái,Số ngày quá hạn,Ngày hoàn thành,"
    "Kết quả / ghi chú,Người cập nhật"
)


def csv_lines(raw: bytes) -> list[str]:
    """The header and rows of a register CSV, after its title rows."""
    lines = raw.decode("utf-8-sig").splitlines()
    return lines[lines.index("") + 1:]
REF_TEXT = "khoản 4 Điều 9 Nghị định số 35/2022/NĐ-CP ngày 28/5/2022"


def rows(page: Any) -> Any:
    return page.locator("#task-table tbody tr")


def submit_tasks(page: Any) -> None:
    with page.expect_response(lambda r: "/tasks?" in r.url or r.url.endswith("/tasks")):
        page.get_by_role("button", name="Lọc").click()


# --- search -------------------------------------------------------------------


def test_search_without_diacritics_highlights(
    make_page: Any, server: Server, shots: Path
) -> None:
    page = make_page(server)
    expect(page.locator("#results li.hit")).to_have_count(3)  # empty query: everything
    page.fill("#q", "so tai chinh")
    with page.expect_response(lambda r: "/search?q=so+tai+chinh" in r.url) as resp:
        page.press("#q", "Enter")
    assert resp.value.ok
    first = page.locator("#results li.hit").first
    expect(first.locator(".hit-title a")).to_have_attribute(
        "href", f"#/doc/{server.docs[0].id}")
    marks = first.locator(".snippet mark")
    expect(marks.first).to_be_visible()
    assert {"Sở", "Tài", "chính"} <= set(marks.all_inner_texts())
    expect(first.locator(".snippet").first).to_contain_text("Sở Tài chính chủ trì")
    expect(first.locator(".hit-meta")).to_contain_text("/TB-UBND")
    bg = marks.first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent"), "highlight is invisible"
    shot(page, "search")


def test_search_filter_by_doc_type_facet(make_page: Any, server: Server) -> None:
    page = make_page(server)
    expect(page.locator("#f-doc-type option", has_text="Công văn (1)")).to_have_count(1)
    page.select_option("#f-doc-type", "Công văn")
    with page.expect_response(lambda r: "doc_type=" in r.url):
        page.get_by_role("button", name="Tìm").click()
    expect(page.locator("#results li.hit")).to_have_count(1)
    expect(page.locator("#results li.hit .hit-meta")).to_contain_text("707/UBND-KT")
    expect(page.locator("#search-count")).to_have_text("1 văn bản")


# --- the task register ----------------------------------------------------------


def test_register_filter_by_owner_and_overdue(make_page: Any, server: Server) -> None:
    page = make_page(server, "#/tasks")
    expect(rows(page)).to_have_count(3)

    page.fill("#t-owner", "so tai chinh")
    submit_tasks(page)
    expect(rows(page)).to_have_count(1)
    only = rows(page).first
    expect(only.locator("td").nth(2)).to_have_text("Sở Tài chính tỉnh Bắc Giang")
    expect(only.locator("td").nth(3)).to_have_text("Sở Xây dựng tỉnh Bắc Giang")
    expect(only.locator("td").nth(1)).to_contain_text("hướng dẫn lập dự toán")
    expect(page.locator("#task-count")).to_contain_text("1 nhiệm vụ")

    page.fill("#t-owner", "")
    page.fill("#t-today", "01/07/2024")
    page.select_option("#t-status", "overdue")
    submit_tasks(page)
    expect(rows(page)).to_have_count(2)
    for i, days in enumerate((92, 1)):
        row = rows(page).nth(i)
        expect(row).to_contain_class("overdue")
        expect(row.locator(".badge")).to_have_text(f"Quá hạn {days} ngày")
    expect(rows(page).locator("td:nth-child(5)")).to_have_text(["31/03/2024", "30/06/2024"])
    bg = rows(page).first.locator("td").first.evaluate(
        "e => getComputedStyle(e).backgroundColor")
    assert bg != "rgb(255, 255, 255)", "overdue rows are not marked"

    # All statuses as of that day: the task without a deadline is not overdue.
    page.select_option("#t-status", "")
    submit_tasks(page)
    expect(rows(page)).to_have_count(3)
    expect(page.locator("#task-table tbody tr.overdue")).to_have_count(2)
    tnmt = rows(page).filter(has_text="Sở Tài nguyên và Môi trường tỉnh Quảng Trị")
    expect(tnmt.locator(".badge")).to_have_text("Không có thời hạn")


def test_export_csv_and_xlsx_downloads(make_page: Any, server: Server, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    page = make_page(server, "#/tasks")
    expect(rows(page)).to_have_count(3)
    page.fill("#t-today", "01/07/2024")
    submit_tasks(page)

    with page.expect_download() as dl:
        page.get_by_role("link", name="Xuất CSV").click()
    assert dl.value.suggested_filename == "nhiem-vu_2024-07-01.csv"
    raw = Path(dl.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must be UTF-8 with BOM (for Excel)"
    assert raw.decode("utf-8-sig").splitlines()[:2] == [
        "SỔ THEO DÕI NHIỆM VỤ", "Tính đến ngày 01/07/2024"]
    lines = csv_lines(raw)
    assert lines[0] == CSV_HEADER
    assert len(lines) == 4
    text = "\n".join(lines)
    assert "Sở Tài chính tỉnh Bắc Giang" in text and "Quá hạn 92 ngày" in text  # today was applied

    with page.expect_download() as dl:
        page.get_by_role("link", name="Xuất Excel").click()
    assert dl.value.suggested_filename == "nhiem-vu_2024-07-01.xlsx"
    ws = load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes())).active
    table = list(ws.iter_rows(values_only=True))
    assert table[3][:3] == ("STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì")
    assert any(r[2] == "Sở Tài chính tỉnh Bắc Giang" for r in table[4:])
    assert any("Quá hạn" in str(c) for r in table[4:] for c in r)


def test_export_follows_the_filters_without_pressing_filter(
    make_page: Any, server: Server
) -> None:
    page = make_page(server, "#/tasks")
    expect(rows(page)).to_have_count(3)
    page.fill("#t-owner", "so tai chinh")  # typed, not submitted
    with page.expect_download() as dl:
        page.get_by_role("link", name="Xuất CSV").click()
    assert dl.value.suggested_filename.startswith("nhiem-vu_so-tai-chinh_")
    lines = csv_lines(Path(dl.value.path()).read_bytes())
    assert lines[0] == CSV_HEADER
    assert len(lines) == 2 and "Sở Tài chính tỉnh Bắc Giang" in lines[1]


def test_mark_done_needs_a_valid_key_and_can_be_undone(
    make_page: Any, fresh_server: Server, traffic: Traffic
) -> None:
    srv = fresh_server
    tid = srv.get("/tasks", owner="so tai chinh")["data"][0]["id"]
    page = make_page(srv, "#/tasks")
    expect(rows(page)).to_have_count(3)
    row = page.locator(f'#task-table tbody tr[data-id="{tid}"]')
    button = row.get_by_role("button", name="Đánh dấu hoàn thành")
    msg = page.locator("#task-msg")

    # No key: refused with a message, nothing sent, nothing changed.
    button.click()
    expect(msg).to_contain_text("khóa API")
    expect(msg).to_contain_class("error")
    expect(button).to_be_visible()
    assert not any(f"/tasks/{tid}" in u for u in traffic.requests)
    assert srv.get(f"/tasks/{tid}")["done"] is False

    # A wrong key: the server refuses it (403) and the page says so in Vietnamese.
    page.fill("#api-key", "wrong-key")
    with page.expect_response(lambda r: r.request.method == "PATCH") as resp:
        button.click()
    assert resp.value.status == 403
    expect(msg).to_have_text("Khóa API không hợp lệ.")
    expect(button).to_be_visible()
    expect(row.locator(".badge")).not_to_have_text("Hoàn thành đúng hạn")
    assert srv.get(f"/tasks/{tid}")["done"] is False

    # The right key: the row shows done, and who did it.
    page.fill("#api-key", API_KEY)
    with page.expect_response(lambda r: r.request.method == "PATCH") as resp:
        button.click()
    assert resp.value.status == 200
    expect(row.locator(".badge")).to_contain_text("Hoàn thành quá hạn")  # done today
    expect(row).to_contain_text(API_USER)
    expect(row.get_by_role("button", name="Đánh dấu hoàn thành")).to_be_hidden()
    expect(msg).not_to_contain_class("error")
    t = srv.get(f"/tasks/{tid}")
    assert t["done"] is True and t["updated_by"] == API_USER
    assert srv.get(f"/tasks/{tid}/history")[0]["who"] == API_USER
    assert sum(x["done"] for x in srv.get("/tasks")["data"]) == 1

    # "Hoàn tác" undoes it.
    with page.expect_response(lambda r: r.request.method == "PATCH") as resp:
        row.get_by_role("button", name="Hoàn tác").click()
    assert resp.value.status == 200
    expect(row.locator(".badge")).to_contain_text("Quá hạn")
    assert srv.get(f"/tasks/{tid}")["done"] is False
    assert [h["action"] for h in srv.get(f"/tasks/{tid}/history")] == ["done", "undone"]


# --- the document view ------------------------------------------------------------


def test_document_view(make_page: Any, server: Server, shots: Path) -> None:
    d1 = server.docs[0]
    page = make_page(server, f"#/doc/{d1.id}")
    view = page.locator("#doc-view")
    expect(view.locator("dl.meta")).to_contain_text("/TB-UBND")
    expect(view.locator("dl.meta")).to_contain_text("UBND tỉnh Bắc Giang")
    expect(view.locator("dl.meta")).to_contain_text("03/2024")
    expect(view.locator("h2")).to_have_text("Kết luận về khu công nghiệp")
    expect(view.locator("h3", has_text="Nhiệm vụ")).to_have_text("Nhiệm vụ (2)")
    tasks = view.locator("ol.doc-tasks > li")
    expect(tasks).to_have_count(2)
    expect(tasks.first).to_contain_text("Sở Tài chính tỉnh Bắc Giang")
    expect(tasks.first).to_contain_text("31/03/2024")
    expect(view.locator("ul.doc-refs li:visible")).to_have_text(
        ["Nghị định 35/2022/NĐ-CP — khoản 4 Điều 9"])

    text = view.locator(".doc-text")
    # The text is shown whole and unchanged; labels are decoration only.
    assert text.text_content() == d1.text
    agencies = text.locator(".ent-AGENCY").all_inner_texts()
    assert {"Sở Tài chính", "Sở Xây dựng", "Ban Quản lý các KCN"} <= set(agencies)
    assert "".join(text.locator(".ent-LEGAL_REF").all_inner_texts()) == REF_TEXT
    deadlines = text.locator(".ent-DEADLINE").all_inner_texts()
    assert deadlines == ["xong trong tháng 3/2024", "xong trong tháng 6/2024"]
    task_text = "".join(text.locator(".ent-TASK").all_inner_texts())
    assert "hướng dẫn lập dự toán" in task_text and "đề án phòng cháy" in task_text
    for cls in ("ent-AGENCY", "ent-LEGAL_REF", "ent-DEADLINE"):
        bg = text.locator("." + cls).first.evaluate("e => getComputedStyle(e).backgroundColor")
        assert bg not in ("rgba(0, 0, 0, 0)", "transparent"), f"{cls} is not highlighted"
    shot(page, "document")


def test_document_not_found_shows_an_error(make_page: Any, server: Server) -> None:
    page = make_page(server, "#/doc/khong-co")
    expect(page.locator("#doc-view .error")).to_contain_text("Không tìm thấy văn bản")
    expect(page.locator("#doc-view .error")).to_contain_text("khong-co")


def test_search_result_opens_the_document(make_page: Any, server: Server) -> None:
    page = make_page(server)
    page.fill("#q", "dat dai")
    with page.expect_response(lambda r: "/search?q=dat+dai" in r.url):
        page.press("#q", "Enter")
    page.locator("#results li.hit .hit-title a").first.click()
    expect(page).to_have_url(f"{server.url}/#/doc/{server.docs[1].id}")
    expect(page.locator("#doc-view dl.meta")).to_contain_text("707/UBND-KT")
    expect(page.locator("#tab-search")).to_be_hidden()


def test_markup_in_documents_is_shown_as_text(
    make_page: Any, browser: Any, tmp_path: Path
) -> None:
    from tests.browser.conftest import run_server
    from tests.conftest import make_doc

    evil = ('Công văn <img src=x onerror="window.__xss=1"> về quản lý '
            '<script>window.__xss=2</script> cảng cá')
    doc = make_doc(evil, source="evil.html", doc_type="Công văn", number="9/<b>X</b>")
    with run_server(tmp_path / "data", extra=(doc,)) as srv:
        page = make_page(srv)
        page.fill("#q", "cang ca")
        with page.expect_response(lambda r: "/search?q=cang+ca" in r.url):
            page.press("#q", "Enter")
        hit = page.locator("#results li.hit").first
        expect(hit.locator(".snippet")).to_contain_text("<script>window.__xss=2</script>")
        expect(hit.locator(".hit-title")).to_have_text(evil)
        expect(hit.locator(".hit-meta")).to_contain_text("9/<b>X</b>")
        page.goto(f"{srv.url}/#/doc/{doc.id}")
        expect(page.locator(".doc-text")).to_have_text(evil)
        expect(page.locator("#doc-view dl.meta")).to_contain_text("9/<b>X</b>")
        assert page.locator("#doc-view img, #results img").count() == 0
        assert page.evaluate("window.__xss") is None


# --- references and questions -----------------------------------------------------


def test_refs_lookup(make_page: Any, server: Server) -> None:
    page = make_page(server, "#/refs")
    top = page.locator("#top-refs li")
    expect(top).to_have_count(1)
    expect(top.first).to_have_text("Nghị định 35/2022/NĐ-CP (2)")

    page.fill("#r-q", "nghi dinh 35/2022")
    with page.expect_response(lambda r: "/refs?" in r.url):
        page.get_by_role("button", name="Tra cứu").click()
    table = page.locator("#ref-results table tbody tr")
    expect(table).to_have_count(2)
    expect(page.locator("#ref-results")).to_contain_text("Nghị định 35/2022/NĐ-CP")
    expect(table.filter(has_text="/TB-UBND")).to_contain_text("khoản 4 Điều 9")
    expect(table.filter(has_text="707/UBND-KT")).to_have_count(1)

    # The most-cited list is clickable and runs the same lookup.
    page.fill("#r-q", "")
    with page.expect_response(lambda r: "/refs?" in r.url):
        top.first.locator("a").click()
    expect(page.locator("#r-q")).to_have_value("Nghị định 35/2022/NĐ-CP")
    expect(table).to_have_count(2)


def test_refs_lookup_unknown(make_page: Any, server: Server) -> None:
    page = make_page(server, "#/refs")
    page.fill("#r-q", "Nghị định 99/2099/NĐ-CP")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#ref-results")).to_contain_text("Không tìm thấy")


def test_ask_overdue(make_page: Any, server: Server) -> None:
    page = make_page(server, "#/ask")
    page.fill("#a-q", "Nhiệm vụ nào quá hạn?")
    with page.expect_response(lambda r: "/ask?" in r.url) as resp:
        page.get_by_role("button", name="Hỏi").click()
    assert resp.value.status == 200, resp.value.text()
    answer = page.locator("#ask-answer")
    expect(answer).to_contain_text("nhiệm vụ quá hạn")
    evidence = answer.locator("li")
    expect(evidence).to_have_count(2)
    expect(evidence.first.locator("a")).to_have_attribute("href", f"#/doc/{server.docs[0].id}")


# --- nothing leaves the machine ---------------------------------------------------


def test_every_request_stays_on_127_0_0_1(
    make_page: Any, server: Server, traffic: Traffic
) -> None:
    page = make_page(server)
    expect(page.locator("#results li.hit")).to_have_count(3)
    for hash_, ready in (("#/tasks", "#task-table tbody tr"), ("#/refs", "#top-refs li"),
                         (f"#/doc/{server.docs[0].id}", ".doc-text"), ("#/ask", "#a-q")):
        page.goto(f"{server.url}/{hash_}")
        expect(page.locator(ready).first).to_be_visible()
    page.reload()
    page.wait_for_load_state("networkidle")
    assert any(u.endswith("/static/app.css") for u in traffic.requests)
    assert any(u.endswith("/static/app.js") for u in traffic.requests)
    assert any(u.endswith("/static/vendor/alpine-csp.min.js") for u in traffic.requests)
    assert traffic.foreign(server.url) == []
