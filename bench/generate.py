"""A scaled, deterministic corpus for the benchmarks (``python -m bench.generate``).

Documents are recombined from the real corpus (``corpus/seeds/*.txt`` and
``corpus/docs/*.txt``): their paragraphs are shuffled into new documents, and
the facts that make documents differ are varied:

* the province (drawn from the 63 pre-2025 and 34 post-2025 units of
  ``extractors/data/provinces.yaml``), replacing every province name in the
  borrowed paragraphs so each document speaks of one jurisdiction;
* the departments ("Sở <portfolio>", from ``agencies.yaml``), remapped per
  document;
* dates (``dd/mm/yyyy``, ``ngày d tháng m năm y``) moved into the
  document's year;
* reference numbers (``35/2022/NĐ-CP``, ``số 846/UBND-TH``) renumbered.

About 70 % are official documents with a header built like the real ones
(issuing body, "Số: n/QĐ-UBND", place and date, type, subject, Nơi nhận,
signature); the rest are news items that report a directive, like the seeds.
Issue years run over 2015-2026 from the first document on (document ``i``
is of year ``2015 + i % 12``), so date filters, deadlines and "due soon"
find something at any size. Each document's own number is unique in the
corpus (number ``1 + i // 12`` in its year), so no two generated documents
are "the same official document" to the store and every one is ingested.

Sizes follow the real corpus: a target size is drawn from the byte sizes of
the real files (times 0.8-1.25) and paragraphs are added until it is reached.

Document ``i`` depends only on ``(seed, i)``: the first 1,000 documents of
the 100k corpus are the 1k corpus. Files go to ``<out>/shard_NNN/doc_NNNNNN.txt``
(1,000 per shard), so a size-n corpus is the first ``ceil(n/1000)`` shards.
A ``manifest.json`` records seed, version and count; asking again for the
same or a smaller corpus reuses the files.

Example:
    python -m bench.generate --n 10000 --out tmp/bench/corpus
"""

from __future__ import annotations

import argparse
import json
import random
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = ROOT / "extractors" / "data"
GENERATOR_VERSION = "2"  # 2: years spread over 2015-2026 from document 0
SHARD = 1000

FIRST_YEAR, YEARS = 2015, 12  # issue years 2015..2026, document i in year 2015 + i % 12

# The official kinds generated: (type word, symbol, share of documents)
_OFFICIAL_TYPES = (
    ("Công văn", None, 0.40),
    ("Quyết định", "QĐ", 0.15),
    ("Thông báo", "TB", 0.15),
    ("Kế hoạch", "KH", 0.10),
    ("Chỉ thị", "CT", 0.08),
    ("Báo cáo", "BC", 0.07),
    ("Tờ trình", "TTr", 0.05),
)
_CV_UNITS = ("TH", "KT", "KTTH", "KTN", "NC", "VX", "NNMT", "KGVX", "CNXD")
_SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
_MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Quốc", "Thanh", "Hữu", "Ngọc")
_GIVEN = ("Hùng", "Lan", "Thắng", "Hương", "Tuấn", "Dũng", "Hòa", "Bình", "Sơn", "Hải")
_SUBJECTS = (
    "tăng cường quản lý đầu tư công",
    "đẩy nhanh tiến độ giải ngân vốn đầu tư công năm {y}",
    "triển khai thực hiện Kết luận của Chủ tịch UBND tỉnh",
    "nâng cao hiệu quả quản lý nhà nước về đất đai",
    "thúc đẩy phát triển các khu công nghiệp trên địa bàn tỉnh",
    "kiểm soát ô nhiễm môi trường không khí",
    "tổ chức Tết trồng cây đời đời nhớ ơn Bác Hồ",
    "báo cáo tình hình thực hiện nhiệm vụ năm {y}",
    "tăng cường công tác phòng, chống dịch bệnh",
    "xử lý kiến nghị của doanh nghiệp",
)
_WEBSITE_NOISE = re.compile(
    r"^(liên kết website|thống kê truy cập|online\s*:|đã truy cập|insert title here|tìm kiếm)",
    re.IGNORECASE,
)
_HEADER_LINE = re.compile(
    r"^(số\s*:|cộng hòa|độc lập|v/v|\||-{3,}|nơi nhận|kt\.|tm\.|tl\.|q\.|"
    r"[^,]{2,30},\s*ngày\b)",
    re.IGNORECASE,
)
_REF_FULL = re.compile(r"\b(\d{1,5})/(\d{4})/")
_REF_ADMIN = re.compile(r"\b(số\s+)(\d{1,5})(\s*/)", re.IGNORECASE)
_DATE_NUM = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_DATE_WORDS = re.compile(r"\bngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})\b")


@dataclass(frozen=True, slots=True)
class Pools:
    official: tuple[str, ...]  # paragraphs of official documents
    news: tuple[str, ...]  # paragraphs of news items
    sizes: tuple[int, ...]  # byte sizes of the real documents
    provinces: tuple[str, ...]
    departments: tuple[str, ...]
    province_re: re.Pattern[str]
    department_re: re.Pattern[str]


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _paragraphs(text: str) -> list[str]:
    """Join hard-wrapped lines (a line that starts lower case continues the
    previous one) and keep the body paragraphs, without header furniture."""
    out: list[str] = []
    for raw in _nfc(text).replace("\r", "").split("\n"):
        line = " ".join(raw.split())
        if not line:
            if out and out[-1]:
                out.append("")
            continue
        if line.lower().startswith("nơi nhận"):
            break  # recipients and signature: the generator writes its own
        if out and out[-1] and (line[0].islower() or line[0] in ",;)"):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    keep = []
    for p in out:
        if len(p) < 40 or _WEBSITE_NOISE.match(p) or _HEADER_LINE.match(p):
            continue
        letters = [c for c in p if c.isalpha()]
        if letters and sum(c.isupper() for c in letters) > 0.6 * len(letters):
            continue  # ALL CAPS: a heading of the source
        if p.startswith("date "):
            p = p.split(" ", 2)[2] if p.count(" ") >= 2 else p
        keep.append(p)
    return keep


@lru_cache(maxsize=1)
def pools() -> Pools:
    official: list[str] = []
    news: list[str] = []
    sizes: list[int] = []
    for path in sorted((CORPUS / "docs").glob("*.txt")) + sorted((CORPUS / "seeds").glob("*.txt")):
        text = path.read_text("utf-8", errors="replace")
        sizes.append(len(text.strip().encode("utf-8")))
        (news if path.parent.name == "seeds" else official).extend(_paragraphs(text))
    prov = yaml.safe_load((DATA / "provinces.yaml").read_text("utf-8"))
    names = sorted({_nfc(p["name"]) for p in prov["provinces"]})
    ag = yaml.safe_load((DATA / "agencies.yaml").read_text("utf-8"))
    depts = sorted(
        {_nfc(d["name"]) for d in ag["departments"] if "Sở" in d.get("levels", [])}
    )
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    dalt = "|".join(re.escape(d) for d in sorted(depts, key=len, reverse=True))
    return Pools(
        official=tuple(dict.fromkeys(official)),
        news=tuple(dict.fromkeys(news + official)),
        sizes=tuple(sorted(sizes)),
        provinces=tuple(names),
        departments=tuple(depts),
        province_re=re.compile(rf"\b(?:{alt})\b"),
        department_re=re.compile(rf"\bSở (?:{dalt})\b"),
    )


def _valid_day(rng: random.Random, month: int, year: int) -> int:
    days = (31, 29 if year % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    return rng.randint(1, days)


def _vary(p: str, rng: random.Random, pl: Pools, province: str, dept_map: dict[str, str],
          year: int) -> str:
    p = pl.province_re.sub(province, p)
    p = pl.department_re.sub(lambda m: "Sở " + dept_map.get(m[0][3:], m[0][3:]), p)

    def full_ref(m: re.Match[str]) -> str:
        return f"{rng.randint(1, 400)}/{rng.randint(max(2010, year - 8), year)}/"

    def admin_ref(m: re.Match[str]) -> str:
        return f"{m[1]}{rng.randint(1, 9999)}{m[3]}"

    def num_date(m: re.Match[str]) -> str:
        y = rng.randint(year - 1, year)
        mo = rng.randint(1, 12)
        return f"{_valid_day(rng, mo, y)}/{mo}/{y}"

    def word_date(m: re.Match[str]) -> str:
        y = rng.randint(year - 1, year)
        mo = rng.randint(1, 12)
        return f"ngày {_valid_day(rng, mo, y)} tháng {mo} năm {y}"

    p = _REF_FULL.sub(full_ref, p)
    p = _REF_ADMIN.sub(admin_ref, p)
    p = _DATE_NUM.sub(num_date, p)
    return _DATE_WORDS.sub(word_date, p)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_SURNAMES)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"


def _pick_type(rng: random.Random) -> tuple[str, str | None]:
    x = rng.random()
    for name, sym, share in _OFFICIAL_TYPES:
        x -= share
        if x <= 0:
            return name, sym
    return _OFFICIAL_TYPES[0][:2]


def make_document(i: int, *, seed: int = 20240801) -> str:
    """The text of generated document ``i`` (pure: same (seed, i), same text)."""
    pl = pools()
    rng = random.Random(f"vndoc-bench:{seed}:{i}")
    number = 1 + i // YEARS
    year = FIRST_YEAR + i % YEARS
    month = rng.randint(1, 12)
    day = _valid_day(rng, month, year)
    province = rng.choice(pl.provinces)
    shuffled = list(pl.departments)
    rng.shuffle(shuffled)
    dept_map = dict(zip(pl.departments, shuffled, strict=True))
    target = int(rng.choice(pl.sizes) * rng.uniform(0.8, 1.25))
    official = rng.random() < 0.7
    subject = rng.choice(_SUBJECTS).format(y=year)
    head: list[str] = []
    if official:
        type_name, sym = _pick_type(rng)
        kind = rng.random()
        if kind < 0.75:
            body_lines = ["ỦY BAN NHÂN DÂN", f"TỈNH {province.upper()}"]
            issuer_code = "UBND"
            place = province
        elif kind < 0.9:
            dept = rng.choice(pl.departments)
            body_lines = [f"UBND TỈNH {province.upper()}", f"SỞ {dept.upper()}"]
            issuer_code = "S" + "".join(w[0] for w in dept.split() if w[0].isalpha()).upper()
            place = province
        else:
            body_lines = ["VĂN PHÒNG CHÍNH PHỦ"]
            issuer_code = "VPCP"
            place = "Hà Nội"
        symbol = f"{issuer_code}-{rng.choice(_CV_UNITS)}" if sym is None else f"{sym}-{issuer_code}"
        head += body_lines + ["-------", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                              "Độc lập - Tự do - Hạnh phúc", "---------------",
                              f"Số: {number}/{symbol}"]
        if sym is None:
            head.append(f"V/v {subject}")
        head.append(f"{place}, ngày {day:02d} tháng {month:02d} năm {year}")
        if sym is not None:
            head += [type_name.upper(), f"Về việc {subject}"]
        pool = pl.official
    else:
        reporter = rng.choice(("UBND tỉnh", "Chủ tịch UBND tỉnh", "Văn phòng UBND tỉnh"))
        head.append(
            f"Ngày {day}/{month}/{year}, {reporter} {province} ban hành Công văn số "
            f"{number}/UBND-{rng.choice(_CV_UNITS)} về việc {subject}."
        )
        pool = pl.news
    tail: list[str] = []
    if official:
        tail = ["Nơi nhận:", "- Như trên;", f"- Thường trực HĐND tỉnh {province};",
                "- Lưu: VT.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", _person(rng)]
    size = sum(len(s.encode("utf-8")) + 1 for s in head + tail)
    body: list[str] = []
    start = rng.randrange(len(pool))
    step = rng.choice((1, 1, 1, 3, 7))  # runs of consecutive paragraphs, like real text
    k = 0
    while size < target or not body:
        para = _vary(pool[(start + k * step) % len(pool)], rng, pl, province, dept_map, year)
        body.append(para)
        size += len(para.encode("utf-8")) + 1
        k += 1
        if k % rng.randint(3, 6) == 0:  # jump elsewhere now and then
            start = rng.randrange(len(pool))
    return "\n".join(head + body + tail) + "\n"


def shard_dirs(out: Path, n: int) -> list[Path]:
    """The shard folders that hold the first ``n`` documents."""
    return [out / f"shard_{s:03d}" for s in range((n + SHARD - 1) // SHARD)]


def doc_path(out: Path, i: int) -> Path:
    return out / f"shard_{i // SHARD:03d}" / f"doc_{i:06d}.txt"


def generate(n: int, out: Path, *, seed: int = 20240801) -> dict[str, object]:
    """Write documents 0..n-1 under ``out`` (reusing what is there); return the manifest.

    ``n`` must be a multiple of 1,000, or below 1,000 (one partial shard).
    """
    if n > SHARD and n % SHARD:
        raise ValueError(f"n must be below {SHARD} or a multiple of it, got {n}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    mpath = out / "manifest.json"
    manifest: dict[str, object] = {}
    if mpath.is_file():
        manifest = json.loads(mpath.read_text("utf-8"))
        if manifest.get("seed") != seed or manifest.get("version") != GENERATOR_VERSION:
            raise ValueError(
                f"{out} holds a corpus of another seed or generator version; use another folder"
            )
    have = int(manifest.get("count", 0))  # type: ignore[arg-type]
    if have > n and n < SHARD and have != n:
        raise ValueError(
            f"{out} holds {have} documents; a partial shard of {n} needs its own folder")
    sizes: list[int] = list(manifest.get("sizes", []))  # type: ignore[arg-type]
    for i in range(have, n):
        path = doc_path(out, i)
        path.parent.mkdir(exist_ok=True)
        data = make_document(i, seed=seed).encode("utf-8")
        path.write_bytes(data)
        sizes.append(len(data))
    manifest = {"seed": seed, "version": GENERATOR_VERSION, "count": max(have, n),
                "bytes": sum(sizes), "sizes": sizes}
    mpath.write_text(json.dumps(manifest), "utf-8")
    return manifest


def corpus_bytes(out: Path, n: int) -> int:
    manifest = json.loads((Path(out) / "manifest.json").read_text("utf-8"))
    return int(sum(manifest["sizes"][:n]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="documents (below 1000, or a multiple)")
    ap.add_argument("--out", type=Path, default=ROOT / "tmp" / "bench" / "corpus")
    ap.add_argument("--seed", type=int, default=20240801)
    args = ap.parse_args(argv)
    m = generate(args.n, args.out, seed=args.seed)
    print(f"{args.n} documents in {args.out} ({int(m['bytes']) / 1e6:.1f} MB in all)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
