"""A saved page's own address goes into the document's facts: a portal's
address names its province or district."""

from __future__ import annotations

from pipeline.ingest.formats import html_to_text

_PAGE = (
    '<html><head><title>Tin</title>{head}</head><body><h1>Bảo đảm an toàn giao thông</h1>'
    "<p>Chủ tịch UBND huyện giao Phòng Kinh tế và Hạ tầng tổng hợp báo cáo.</p></body></html>"
)


def test_the_canonical_link_is_the_pages_address() -> None:
    head = '<link rel="canonical" href="https://moduc.quangngai.gov.vn/tin/1">'
    parts = html_to_text(_PAGE.format(head=head).encode(), source="a.html")
    assert dict(parts.meta)["url"] == "https://moduc.quangngai.gov.vn/tin/1"


def test_og_url_when_there_is_no_canonical_link() -> None:
    head = '<meta property="og:url" content="https://camau.gov.vn/a">'
    parts = html_to_text(_PAGE.format(head=head).encode(), source="a.html")
    assert dict(parts.meta)["url"] == "https://camau.gov.vn/a"


def test_a_page_without_an_address_or_with_a_relative_one_states_none() -> None:
    for head in ("", '<link rel="canonical" href="/tin/1">'):
        parts = html_to_text(_PAGE.format(head=head).encode(), source="a.html")
        assert "url" not in dict(parts.meta)
