"""Hostile files made at test time (never committed): each is small on disk and
would cost a reader far more than its size without the limits of
pipeline.ingest.limits."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path


def pdf(objects: list[bytes]) -> bytes:
    """A PDF with a correct xref table; objects are numbered from 1."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def blank_pages_pdf(pages: int, *, size: int = 612) -> bytes:
    """``pages`` blank pages of ``size`` points square (14400 = 200 inches)."""
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] >>" % (size, size)] * pages
    return pdf(objs)


def text_pages_pdf(pages: int) -> bytes:
    """``pages`` pages of one short line of text each (Helvetica)."""
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(pages))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i in range(pages):
        content = b"BT /F1 12 Tf 72 720 Td (Page %d: Giao So Tai chinh chu tri.) Tj ET" % i
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                    b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i))
        objs.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    return pdf(objs)


def flate_bomb_pdf(unpacked: int) -> bytes:
    """One page whose content stream inflates to ``unpacked`` bytes of spaces."""
    comp = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    body = b"".join(comp.compress(chunk) for _ in range(unpacked >> 20)) + comp.flush()
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream"
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        stream,
    ])


_CT = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
       b'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
       b'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
       b'"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
       b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
         b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
         b'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
         b'Target="word/document.xml"/></Relationships>')
_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx(body: bytes | None = None, *, document: bytes | None = None) -> bytes:
    """A minimal DOCX; ``body`` goes inside <w:body>, or ``document`` is the whole XML."""
    if document is None:
        document = b'<?xml version="1.0" encoding="UTF-8"?><w:document %s><w:body>%s</w:body>' \
                   b"</w:document>" % (_W, body or b"")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("word/document.xml", document)
    return buf.getvalue()


def para(text: str) -> bytes:
    return b"<w:p><w:r><w:t>%s</w:t></w:r></w:p>" % text.encode()


def understated_zip_docx(unpacked: int) -> bytes:
    """A DOCX whose zip directory claims document.xml is 1,000 bytes while it
    inflates to ``unpacked`` bytes."""
    filler = para("Giao Sở Tài chính chủ trì. ") * (unpacked // 60)
    data = bytearray(docx(filler))
    real = len(b'<?xml version="1.0" encoding="UTF-8"?><w:document %s><w:body>' % _W) \
        + len(filler) + len(b"</w:body></w:document>")
    small = (1000).to_bytes(4, "little")
    needle = real.to_bytes(4, "little")
    # The uncompressed size sits in the local header (offset 22) and the central
    # directory entry (offset 24) of document.xml: replace both.
    start = 0
    while (i := data.find(needle, start)) != -1:
        data[i : i + 4] = small
        start = i + 4
    return bytes(data)


def big_xml_docx(xml_bytes: int) -> bytes:
    """A DOCX whose document.xml is ``xml_bytes`` of varied paragraphs (compresses
    about 4:1, under the zip-bomb ratio)."""
    import random

    rnd = random.Random(19)
    words = "giao sở tài chính chủ trì phối hợp hoàn thành báo cáo ủy ban tỉnh".split()
    # 1,000 distinct paragraphs (~500 KB, longer than deflate's 32 KB window), repeated.
    block = b"".join(
        para(" ".join(rnd.choice(words) + str(rnd.randint(0, 999)) for _ in range(40)))
        for _ in range(1000)
    )
    return docx(block * (xml_bytes // len(block) + 1))


def deep_xml_docx(depth: int) -> bytes:
    """document.xml nesting ``depth`` elements (the parser's stack, not the bytes)."""
    inner = b"<w:sdt><w:sdtContent>" * depth + para("Giao Sở Tài chính.") \
        + b"</w:sdtContent></w:sdt>" * depth
    return docx(inner)


def nested_html(levels: int) -> bytes:
    """Unclosed, classed <div>s: each one a candidate for the furniture filter."""
    return (b"<html><body>" + b'<div class="x">' * levels
            + "<p>Giao Sở Tài chính chủ trì.</p>".encode() + b"</body></html>")


def write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path
