"""Build pipeline/ingest/data/legacy_encodings.tsv: Vietnamese letters in TCVN3, VNI and VISCII.

Run ``python -m pipeline.ingest.data.make_legacy_tables`` (needs glibc's ``iconv``,
as on Debian). The TSV is the data :mod:`pipeline.ingest.legacy` reads; this script
only says where it came from:

* TCVN3 (ABC, the ``.VnTime`` fonts) is TCVN 5712:1993 table VN3: the
  lowercase letters and the seven uppercase base letters Ă Â Ê Ô Ơ Ư Đ, at
  the bytes glibc's ``TCVN5712-1`` (table VN1, a superset) gives them. VN3
  has no uppercase toned letters: headings are typed with the lowercase
  bytes in an uppercase font (``.VnTimeH``), so those letters encode to the
  lowercase byte and :mod:`pipeline.ingest.legacy` restores the case from the word.
  VN1's uppercase toned letters at 0xA0 and up are kept as decode-only
  forms (``<``).
* VNI (VNI-Windows fonts) writes a toned vowel as base letter + a mark
  byte; the rule below is the published VNI keyboard table.
* VISCII (RFC 1456) is glibc's ``VISCII`` table.

Columns: letter, tcvn3, vni, viscii; each legacy cell is hex bytes, with
alternatives space-separated: ``^`` marks an encode-only form (the byte
decodes to another letter: uppercase toned TCVN3 letters share the
lowercase byte), ``<`` a decode-only form. The unaccented a e i o u y are
the same in every table and have no row.
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent / "legacy_encodings.tsv"

BASES = "aăâeêioôơuưy"
TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # sắc huyền hỏi ngã nặng


def letters() -> list[str]:
    out = []
    for base in BASES:
        for tone in TONES:
            ch = unicodedata.normalize("NFC", base + tone)
            out += [ch, ch.upper()]
    return out + ["đ", "Đ"]


# VNI-Windows: (base letters, mark byte) per vowel with its tone, lowercase marks.
_VNI_TONE = {"": "", "\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_CIRC = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_I = {"": "i", "\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def vni(ch: str) -> str:
    """The VNI-Windows spelling of one letter, as cp1252 characters."""
    if ch in "đĐ":
        return "ñ" if ch == "đ" else "Ñ"
    upper = ch.isupper()
    decomposed = unicodedata.normalize("NFD", ch.lower())
    tone = next((m for m in decomposed if m in TONES[1:]), "")
    base = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in TONES[1:]))
    if base == "i":
        out = _VNI_I[tone]
    elif base == "y" and tone == "\u0323":
        out = "î"
    elif base in "ăâeêoôuy" and base in "ăâ":
        out = "a" + (_VNI_BREVE if base == "ă" else _VNI_CIRC)[tone]
    elif base in ("ê", "ô"):
        out = {"ê": "e", "ô": "o"}[base] + _VNI_CIRC[tone]
    elif base in ("ơ", "ư"):
        out = {"ơ": "ô", "ư": "ö"}[base] + _VNI_TONE[tone]
    else:
        out = base + _VNI_TONE[tone]
    return out.upper() if upper else out


def _iconv_table(codec: str) -> dict[str, int]:
    table = {}
    for b in range(256):
        r = subprocess.run(["iconv", "-f", codec, "-t", "UTF-8"], input=bytes([b]),
                           capture_output=True, check=False)  # fmt: skip
        if r.returncode == 0 and r.stdout:
            table.setdefault(r.stdout.decode("utf-8"), b)
    return table


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else OUT
    vn1 = _iconv_table("TCVN5712-1")
    viscii = _iconv_table("VISCII")
    rows = ["# letter\ttcvn3\tvni\tviscii  (hex bytes; ^ encode only, < decode only)"]
    for ch in letters():
        if ch.isascii():
            continue  # a e i o u y are themselves in every table
        low = ch.lower()
        if ch == low or ch in "ĂÂÊÔƠƯĐ":
            tcvn3 = f"{vn1[ch]:02X}"
        else:  # uppercase toned: the lowercase byte in an H font (^: encode only)
            tcvn3 = f"{vn1[low]:02X}^"
            if ch in vn1 and vn1[ch] >= 0xA0:
                # VN1's own byte for it, decode only; not VN1's 0x80-0x9F, which
                # Windows shows as quotes and dashes (“ ” – —) in real VN3 text.
                tcvn3 += f" {vn1[ch]:02X}<"
        vni_hex = vni(ch).encode("cp1252").hex().upper()
        rows.append(f"{ch}\t{tcvn3}\t{vni_hex}\t{viscii[ch]:02X}")
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows) - 1} letters -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
