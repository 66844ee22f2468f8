"""Issue #14, item 8, end to end in Chromium against a real server: upload a
DOCX with five tasks, confirm two, fix an owner, reject one, add a missed one
by selecting its text, export gold, run `vndoc eval` on it, ingest the file
again (and reindex), and check that every decision is kept. Every step is
done in the page, none through the API."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import API_KEY, API_USER, Server, shot

pytestmark = pytest.mark.browser

LINES = [
    "ỦY BAN NHÂN DÂN TỈNH BẮC GIANG",
    "Số: 215/UBND-KTN",
    "V/v triển khai các giải pháp phòng, chống ngập úng tại các khu công nghiệp",
    "Bắc Giang, ngày 12 tháng 3 năm 2024",
    "Kính gửi: Các sở, ban, ngành tỉnh",
    "Để chủ động phòng, chống ngập úng tại các khu công nghiệp trong mùa mưa bão năm 2024, "
    "Chủ tịch UBND tỉnh yêu cầu:",
    "1. Sở Tài chính chủ trì, phối hợp với Sở Xây dựng hướng dẫn lập dự toán kinh phí tiêu "
    "thoát nước các khu công nghiệp, xong trước ngày 30/4/2024.",
    "2. Ban Quản lý các khu công nghiệp tỉnh rà soát hệ thống thoát nước trong các khu công "
    "nghiệp, báo cáo UBND tỉnh trước ngày 15/5/2024.",
    "3. Sở Nông nghiệp và Phát triển nông thôn kiểm tra các công trình thủy lợi tiêu úng cho "
    "các khu công nghiệp, xong trong tháng 5/2024.",
    "4. UBND huyện Việt Yên phối hợp với Ban Quản lý các khu công nghiệp tỉnh giải phóng mặt "
    "bằng tuyến kênh tiêu Nội Hoàng, hoàn thành trong quý II/2024.",
    # Missed by the rules (the doer is named after "thuộc về", as the work's holder): staff add it.
    "Trách nhiệm vận hành thử các trạm bơm tiêu trước ngày 20/5/2024 thuộc về Công ty TNHH MTV "
    "Khai thác công trình thủy lợi Bắc Giang.",
    # Read as a task, but only a closing formula: staff reject it.
    "Yêu cầu các cơ quan, đơn vị nghiêm túc triển khai thực hiện.",
    "KT. CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "Phan Thế Tuấn",
]
MISSED = LINES[10]
COMPANY = "Công ty TNHH MTV Khai thác công trình thủy lợi Bắc Giang"
NEW_OWNER = "UBND thị xã Việt Yên"
ROOT = Path(__file__).resolve().parents[2]


def make_docx(path: Path) -> Path:
    from docx import Document

    d = Document()
    for line in LINES:
        d.add_paragraph(line)
    d.save(str(path))
    return path


def vndoc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


def select_text(page: Any, text: str) -> None:
    """Select ``text`` in the document's text with a DOM range, as a mouse drag
    would, and release the mouse there."""
    page.locator(".doc-text").evaluate(
        """(box, wanted) => {
          const all = box.textContent, at = all.indexOf(wanted);
          if (at < 0) throw new Error("text not shown: " + wanted);
          const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
          let pos = 0, start = null, end = null;
          while (walker.nextNode()) {
            const n = walker.currentNode, len = n.data.length;
            if (!start && at < pos + len) start = [n, at - pos];
            if (start && at + wanted.length <= pos + len) {
              end = [n, at + wanted.length - pos]; break;
            }
            pos += len;
          }
          const r = document.createRange(); r.setStart(...start); r.setEnd(...end);
          const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
          box.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
        }""",
        text,
    )


def task_item(page: Any, words: str) -> Any:
    return page.locator("ol.doc-tasks > li", has_text=words)


def decide(page: Any, item: Any, button: str) -> None:
    with page.expect_response(lambda r: r.request.method in ("PATCH", "POST")) as resp:
        item.get_by_role("button", name=button).click()
    assert resp.value.ok, resp.value.text()


def test_review_a_document_end_to_end(
    make_page: Any, fresh_server: Server, tmp_path: Path
) -> None:
    srv = fresh_server
    docx = make_docx(tmp_path / "cv215-ngap-ung.docx")
    page = make_page(srv, "#/upload")
    page.fill("#api-key", API_KEY)

    # 1. Upload the DOCX in the page.
    page.set_input_files("#upload-input", str(docx))
    result = page.locator("#upload-list li").first
    expect(result.locator(".state")).to_have_text("Đã thêm", timeout=60_000)
    expect(result.locator(".message")).to_have_text("Đã thêm văn bản.")
    shot(page, "e2e-upload")

    # 2. It is first in the review queue, with five tasks nobody has checked.
    page.get_by_role("link", name="Cần rà soát").click()
    first = page.locator("#review-list li").first
    expect(first).to_contain_text("V/v triển khai các giải pháp phòng, chống ngập úng")
    expect(first).to_contain_text("5/5 nhiệm vụ chưa rà soát")
    first.locator("a").click()
    tasks = page.locator("ol.doc-tasks > li")
    expect(tasks).to_have_count(5)
    expect(page.locator("#review-state")).to_have_text("5/5 nhiệm vụ chưa rà soát")
    expect(tasks.first.locator(".task-rule")).to_contain_text("quy tắc task.")
    expect(tasks.first.locator(".task-rule")).to_contain_text("độ tin cậy")
    doc_id = page.url.rsplit("/", 1)[1]

    # 3. Confirm two.
    for words in ("lập dự toán kinh phí", "rà soát hệ thống thoát nước"):
        decide(page, task_item(page, words), "Xác nhận")
        expect(task_item(page, words).locator(".badge.review")).to_have_text("Đã xác nhận")

    # 4. Fix an owner (the district became a town).
    item = task_item(page, "giải phóng mặt bằng")
    item.get_by_role("button", name="Sửa").click()
    owners = item.locator("input.f-owners")
    expect(owners).to_have_value("UBND huyện Việt Yên")
    owners.fill(NEW_OWNER)
    expect(item.locator("input.f-deadline")).to_have_value("30/06/2024")
    with page.expect_response(lambda r: r.request.method == "PATCH") as resp:
        item.get_by_role("button", name="Lưu").click()
    assert resp.value.ok, resp.value.text()
    item = task_item(page, "giải phóng mặt bằng")
    expect(item.locator(".owners")).to_have_text(NEW_OWNER)
    expect(item.locator(".badge.review")).to_have_text("Đã sửa")

    # 5. Reject one: a closing formula, not a task.
    decide(page, task_item(page, "các cơ quan, đơn vị"), "Không phải nhiệm vụ")
    expect(task_item(page, "các cơ quan, đơn vị").locator(".badge.review")).to_have_text(
        "Không phải nhiệm vụ")
    expect(page.locator("#doc-view h3", has_text="Nhiệm vụ")).to_have_text("Nhiệm vụ (4)")

    # 6. Add the missed one by selecting its text; the extractors pre-fill it.
    select_text(page, MISSED)
    expect(page.locator(".add-task")).to_contain_text("Đoạn đã chọn")
    with page.expect_response(lambda r: "/suggest?" in r.url):
        page.get_by_role("button", name="Thêm nhiệm vụ từ đoạn chọn").click()
    form = page.locator("#add-form")
    expect(form.locator(".selected-text")).to_have_text(MISSED)
    expect(form.locator("input.f-deadline")).to_have_value("20/05/2024")
    expect(form.locator("input.f-owners")).to_have_value(
        re.compile("^Công ty TNHH MTV Khai thác công trình thủy lợi"))
    form.locator("input.f-owners").fill(COMPANY)  # staff correct what the rules read
    form.locator("textarea.f-action").fill("vận hành thử các trạm bơm tiêu")
    shot(page, "e2e-add-task")
    with page.expect_response(lambda r: r.request.method == "POST") as resp:
        form.get_by_role("button", name="Thêm nhiệm vụ").click()
    assert resp.value.status == 201, resp.value.text()
    expect(tasks).to_have_count(6)
    added = task_item(page, "vận hành thử các trạm bơm tiêu")
    expect(added.locator(".badge.review")).to_have_text("Cán bộ thêm")
    expect(added.locator(".owners")).to_have_text(f"{COMPANY} (tổ chức)")

    # The last one, by "Xác nhận tất cả": the document is reviewed.
    with page.expect_response(lambda r: "/confirm" in r.url):
        page.get_by_role("button", name="Xác nhận tất cả").click()
    expect(page.locator("#review-state")).to_contain_text(f"Đã rà soát ({API_USER}")
    shot(page, "e2e-reviewed")
    history = task_item(page, "giải phóng mặt bằng")
    history.get_by_role("button", name="Lịch sử").click()
    expect(history.locator(".history li")).to_contain_text(
        [f"{API_USER} · sửa đơn vị chủ trì: [\"UBND huyện Việt Yên\"] → [\"{NEW_OWNER}\"]"])

    # 7. Corrections become gold: export it, and `vndoc eval` reads it.
    out = tmp_path / "gold"
    data = ("--data-dir", str(srv.data_dir))
    proc = vndoc("export-gold", str(out), *data)
    assert proc.returncode == 0, proc.stderr
    assert "wrote 1 reviewed documents" in proc.stderr
    gold = json.loads((out / "gold" / f"{doc_id}.json").read_text("utf-8"))
    assert len(gold["tasks"]) == 5  # 5 extracted - 1 rejected + 1 added
    assert {tuple(t["owners"]) for t in gold["tasks"]} >= {(NEW_OWNER,), (COMPANY,)}
    proc = vndoc("eval", str(out / "gold"), "--json")
    assert proc.returncode == 0, proc.stderr
    scores = json.loads(proc.stdout)["scores"]
    assert scores["tasks.precision"] == pytest.approx(4 / 5)  # one rejected
    assert scores["tasks.recall"] == pytest.approx(4 / 5)  # one missed
    assert scores["owners.accuracy"] == pytest.approx(3 / 4)  # one owner fixed

    # The "Chất lượng" panel says the same.
    page.get_by_role("link", name="Chất lượng").click()
    overall = page.locator("#quality-table tbody tr").first
    expect(overall.locator("td.precision")).to_have_text("80,0%")
    expect(overall.locator("td.recall")).to_have_text("80,0%")
    shot(page, "e2e-quality")

    # 8. Ingest the file again (the page, then the CLI and a reindex): every decision is kept.
    page.get_by_role("link", name="Tải lên").click()
    page.set_input_files("#upload-input", str(docx))
    expect(page.locator("#upload-list li").first.locator(".state")).to_have_text(
        "Đã có", timeout=60_000)
    for args in (("ingest", str(docx)), ("reindex",)):
        proc = vndoc(*args, *data)
        assert proc.returncode == 0, proc.stderr
    page.goto(f"{srv.url}/#/doc/{doc_id}")
    expect(tasks).to_have_count(6)
    states = {w: task_item(page, w).locator(".badge.review") for w in (
        "lập dự toán kinh phí", "rà soát hệ thống thoát nước",
        "giải phóng mặt bằng", "các cơ quan, đơn vị", "vận hành thử các trạm bơm tiêu",
        "kiểm tra các công trình thủy lợi")}
    for words, want in (("lập dự toán kinh phí", "Đã xác nhận"),
                        ("rà soát hệ thống thoát nước", "Đã xác nhận"),
                        ("giải phóng mặt bằng", "Đã sửa"),
                        ("các cơ quan, đơn vị", "Không phải nhiệm vụ"),
                        ("vận hành thử các trạm bơm tiêu", "Cán bộ thêm"),
                        ("kiểm tra các công trình thủy lợi", "Đã xác nhận")):
        expect(states[words]).to_have_text(want)
    expect(task_item(page, "giải phóng mặt bằng").locator(".owners")).to_have_text(NEW_OWNER)
    expect(page.locator("#review-state")).to_contain_text("Đã rà soát")
    # The register shows them too, and the search index found the added task.
    trail = srv.get("/decisions", doc_id=doc_id)
    assert {d["who"] for d in trail["data"]} == {API_USER} and trail["count"] >= 7
    found = srv.get("/tasks", q="van hanh thu tram bom")["data"]
    assert [t["owners"] for t in found] == [[COMPANY]]
    shot(page, "e2e-after-reingest")
