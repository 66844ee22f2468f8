"""The question box (search_api/web/ask.js) in headless Chromium: the chips a
question is read as, shown, removed and changed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Server

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def _ask(page: Any, q: str) -> None:
    page.fill("#a-q", q)
    with page.expect_response(lambda r: "/ask?" in r.url) as resp:
        page.get_by_role("button", name="Hỏi").click()
    assert resp.value.status == 200, resp.value.text()


def test_chips_removed_and_changed(make_page: Any, server: Server) -> None:
    page = make_page(server, "#/ask")
    _ask(page, "Sở Tài chính Bắc Giang có nhiệm vụ nào quá hạn không?")
    chips = page.locator("#ask-chips .chip")
    expect(chips).to_have_count(3)
    expect(chips.nth(0)).to_contain_text("Cơ quan: Sở Tài chính tỉnh Bắc Giang")
    expect(chips.nth(2)).to_contain_text("Tình trạng: quá hạn")
    answer = page.locator("#ask-answer")
    expect(answer).to_contain_text("Có: 1 nhiệm vụ quá hạn do Sở Tài chính tỉnh Bắc Giang chủ trì")
    expect(page.locator("#ask-question mark").first).to_have_text("Sở Tài chính Bắc Giang")
    link = page.locator("#ask-evidence li a")
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("href", f"#/doc/{server.docs[0].id}")

    # remove the status: every task of that agency, asked again with drop=status
    with page.expect_response(lambda r: "drop=status" in r.url):
        chips.nth(2).get_by_role("button", name="Bỏ Tình trạng: quá hạn").click()
    expect(chips).to_have_count(2)
    expect(answer).to_contain_text("Có: 1 nhiệm vụ do Sở Tài chính tỉnh Bắc Giang chủ trì")

    # change the question word: a count instead of yes/no
    chips.nth(1).locator(".chip-label").click()
    with page.expect_response(lambda r: "set=qword%3Dcount" in r.url):
        chips.nth(1).locator("select").select_option("count")
    expect(answer).to_contain_text("Có 1 nhiệm vụ do Sở Tài chính tỉnh Bắc Giang chủ trì")
    expect(chips.nth(1)).to_contain_text("Câu hỏi: bao nhiêu")

    # change the agency by typing another name
    chips.nth(0).locator(".chip-label").click()
    field = chips.nth(0).locator("input")
    field.fill("BQL KCN Bắc Giang")
    with page.expect_response(lambda r: "set=agency" in r.url):
        field.press("Enter")
    expect(answer).to_contain_text("Ban Quản lý các KCN tỉnh Bắc Giang")


def test_not_understood_shows_documents(make_page: Any, server: Server) -> None:
    page = make_page(server, "#/ask")
    _ask(page, "khu công nghiệp Quang Châu ra sao")
    answer = page.locator("#ask-answer")
    expect(answer).to_contain_text("Chưa hiểu câu hỏi")
    expect(page.locator("#ask-evidence li")).to_have_count(1)


def test_chips_fit_a_phone(browser: Any, server: Server) -> None:
    ctx = browser.new_context(viewport={"width": 390, "height": 800}, locale="vi-VN")
    try:
        page = ctx.new_page()
        page.goto(server.url + "/#/ask")
        _ask(page, "Ban Quản lý các KCN tỉnh Bắc Giang có nhiệm vụ nào sắp đến hạn trong "
                   "tháng 6/2024 không?")
        expect(page.locator("#ask-chips .chip").first).to_be_visible()
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 390, f"the page is {wide} px wide at 390 px"
    finally:
        ctx.close()
