"""zlib preset dictionaries of LocalStore's compressed columns (schema 6).

A document's text is compressed with ``TEXT_DICT``: the fixed phrases of a
Vietnamese administrative document (the national motto, the "Căn cứ" lines,
the closing formula, "Nơi nhận", the signature block, the usual bodies),
which a text of a few KB otherwise spells out once in full. Its contract JSON
is compressed with ``CONTRACT_DICT`` followed by the text: the keys and the
shape of a contract before the text's names, sentences and numbers.

The dictionaries are part of the stored format: zlib's header names the
dictionary a row was packed with (its Adler-32), and a reader picks the
dictionary by it, so a row packed without one (schema 4-5) still reads.
Never edit these constants: a new dictionary is a new constant, with the
old ones kept for the rows packed with them.

Measured (2026-12-08): 679 texts of ``corpus/docs`` 1,719 -> 1,471 bytes
compressed (-14.4 %), 1,000 generated ones 2,099 -> 1,777 (-15.4 %); 3,000
generated contracts 1,315 -> 1,049 bytes (-20 %).
"""

from __future__ import annotations

import zlib

TEXT_DICT = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
ỦY BAN NHÂN DÂN TỈNH
Ủy ban nhân dân tỉnh Ủy ban nhân dân huyện Ủy ban nhân dân các huyện, thị xã, thành phố
Hội đồng nhân dân tỉnh Sở Tài chính, Sở Kế hoạch và Đầu tư, Sở Nội vụ, Sở Tư pháp, Sở Y tế, \
Sở Giáo dục và Đào tạo, Sở Tài nguyên và Môi trường, Sở Nông nghiệp và Phát triển nông thôn, \
Sở Xây dựng, Sở Giao thông vận tải, Sở Công Thương, Sở Văn hóa, Thể thao và Du lịch, \
Sở Thông tin và Truyền thông, Sở Lao động - Thương binh và Xã hội, Sở Khoa học và Công nghệ, \
Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính \
quyền địa phương ngày 22 tháng 11 năm 2019;
Căn cứ Nghị định số
Theo đề nghị của Giám đốc Sở
QUYẾT ĐỊNH:
Điều 1. Điều 2. Điều 3. Quyết định này có hiệu lực kể từ ngày ký.
Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các sở, Thủ trưởng các ban, ngành, đơn vị \
liên quan và Chủ tịch Ủy ban nhân dân các huyện, thị xã, thành phố chịu trách nhiệm thi hành \
Quyết định này./.
Nơi nhận:
- Như trên;
- Như Điều 3;
- Thường trực Tỉnh ủy;
- Thường trực HĐND tỉnh;
- Chủ tịch, các Phó Chủ tịch UBND tỉnh;
- Lưu: VT,
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
V/v
Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh tại Công văn số
Ủy ban nhân dân tỉnh yêu cầu các sở, ban, ngành, địa phương triển khai thực hiện một số nội \
dung sau:
chủ trì, phối hợp với các cơ quan, đơn vị liên quan tổ chức triển khai thực hiện; báo cáo kết \
quả thực hiện về Ủy ban nhân dân tỉnh trước ngày
theo quy định của pháp luật; tham mưu Ủy ban nhân dân tỉnh xem xét, chỉ đạo
Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, kịp thời báo cáo Ủy ban nhân dân tỉnh \
để xem xét, giải quyết./.
Đề nghị các cơ quan, đơn vị quan tâm phối hợp thực hiện./.
""".encode()

CONTRACT_DICT = (
    b'{"id":"","source":"","doc":{"kind":"official","title":"","doc_type":"","number_symbol":"",'
    b'"issuer":"","issue_date":"","place":"","subject":"","signer":{"name":"","title":"",'
    b'"authority":[]},"recipients":[],"province":""},"agencies":[{"name":"","current_name":"",'
    b'"kind":"","jurisdiction":"","mentions":[{"start":0,"end":0,"text":null}]}],'
    b'"organizations":[],"people":[{"name":"","title":"","mentions":[{"start":0,"end":0,'
    b'"text":null}]}],"legal_refs":[{"text":null,"start":0,"end":0,"type":"","number":null,'
    b'"canonical":"","article":null,"clause":null,"point":null,"date":null,"issuer":"",'
    b'"pinpoints":[]}],"deadlines":[{"text":null,"start":0,"end":0,"date":""}],"tasks":[{'
    b'"owners":[],"cooperating":[],"action":"","text":null,"start":0,"end":0,"deadline":null,'
    b'"deadline_text":null,"recurring":null,"legal_basis":[],"assigned_by":"",'
    b'"owner_kinds":["agency"],"rule_id":"task.owner.inherited.v1","confidence":0.7,'
    b'"flags":[]}],"meta":{"encoding":"utf-8","format":"txt"},"_spans":1}'
)

TEXT_DICT_ID = zlib.adler32(TEXT_DICT)
CONTRACT_DICT_ADLER = zlib.adler32(CONTRACT_DICT)  # running Adler-32 to continue over a text


def dict_id(packed: bytes) -> int | None:
    """The Adler-32 of the preset dictionary a zlib stream was packed with
    (None for a stream without one)."""
    if len(packed) >= 6 and packed[1] & 0x20:  # FDICT
        return int.from_bytes(packed[2:6], "big")
    return None
