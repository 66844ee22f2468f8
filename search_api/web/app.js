// vndoc web page. State lives in Alpine.js components (the CSP build, vendored in
// /static/vendor: no eval, so the page runs under a strict Content-Security-Policy).
// Everything staff read is Vietnamese, dates dd/mm/yyyy; the API's errors carry a
// Vietnamese "message" that is shown as it is.
"use strict";

// --- helpers (no Alpine) -----------------------------------------------------
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
const STATUS = {open: "Đang thực hiện", due_soon: "Sắp đến hạn", overdue: "Quá hạn", no_deadline: "Không có thời hạn",
  done: "Hoàn thành đúng hạn", done_late: "Hoàn thành quá hạn"};
const REVIEW = {unreviewed: "Chưa rà soát", confirmed: "Đã xác nhận", edited: "Đã sửa", rejected: "Không phải nhiệm vụ", added: "Cán bộ thêm"};
const KIND = {agency: "cơ quan", collective: "nhóm cơ quan", organization: "tổ chức", person: "cá nhân"};
const FLAG = {owner_unknown: "chưa rõ đơn vị chủ trì", owner_collective: "đơn vị là một nhóm", owner_inherited: "đơn vị lấy từ tiêu đề mục"};
const OUTCOME = {added: "Đã thêm", unchanged: "Đã có", replaced: "Đã cập nhật", new_version: "Phiên bản mới", removed: "Đã bị xóa trước đây", restored: "Đã khôi phục", failed: "Lỗi"};
const HTTP_VI = {0: "Không kết nối được máy chủ.", 401: "Cần khóa API.", 403: "Khóa API không hợp lệ hoặc không đủ quyền.",
  404: "Không tìm thấy.", 413: "Nội dung quá lớn.", 415: "Định dạng tệp không được hỗ trợ.", 422: "Dữ liệu không hợp lệ.",
  500: "Lỗi máy chủ; xin thử lại.", 503: "Kho dữ liệu tạm thời không truy cập được."};

function viDate(iso) {
  if (!iso) return "";
  const p = String(iso).slice(0, 10).split("-");
  return p.length === 3 ? `${p[2]}/${p[1]}/${p[0]}` : p.reverse().join("/");
}
function viDateTime(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  if (isNaN(d)) return viDate(iso);
  const two = (n) => String(n).padStart(2, "0");
  return `${two(d.getDate())}/${two(d.getMonth() + 1)}/${d.getFullYear()} ${two(d.getHours())}:${two(d.getMinutes())}`;
}
// "01/07/2024" -> "2024-07-01"; "" -> ""; anything else -> null (invalid)
function isoDate(vi) {
  const s = String(vi || "").trim();
  if (!s) return "";
  const m = s.match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/);
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}
function todayVi() { const d = new Date(); return viDate(`${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`); }
function splitNames(s) { return String(s || "").split(/[;\n]/).map((x) => x.trim()).filter(Boolean); }
// Only <mark> survives from a server snippet (which is escaped already); belt and braces.
function onlyMarks(html) {
  return esc(String(html || "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&"))
    .replace(/&lt;mark&gt;/g, "<mark>").replace(/&lt;\/mark&gt;/g, "</mark>");
}

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}
function apiKey() { return Alpine.store("app").key.trim(); }
async function api(path, opts = {}) {
  const headers = Object.assign({}, opts.headers || {});
  if (opts.write) {
    if (!apiKey()) throw new ApiError(401, "Cần nhập khóa API (ô “Khóa API” ở đầu trang) để thay đổi dữ liệu.");
    headers["X-API-Key"] = apiKey();
  }
  if (opts.json !== undefined) { headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(opts.json); }
  let r;
  try { r = await fetch(path, {method: opts.method || "GET", headers, body: opts.body}); }
  catch (e) { throw new ApiError(0, HTTP_VI[0]); }
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new ApiError(r.status, body.message || HTTP_VI[r.status] || `Lỗi ${r.status}.`);
  return body;
}
function query(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== null && v !== undefined && v !== false) p.set(k, v);
  return p.toString();
}

// Entities drawn over the document's text; the text itself stays exactly as written.
function renderMarked(text, spans) {
  const cuts = new Set([0, text.length]);
  for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
  const pts = [...cuts].filter((x) => x >= 0 && x <= text.length).sort((a, b) => a - b);
  const ents = spans.filter((s) => s.label !== "TASK").sort((a, b) => a.start - b.start || (b.end - b.start) - (a.end - a.start));
  const kept = []; let lastEnd = -1;
  for (const s of ents) if (s.start >= lastEnd) { kept.push(s); lastEnd = s.end; }
  const tasks = spans.filter((s) => s.label === "TASK");
  let html = "";
  for (let i = 0; i < pts.length - 1; i++) {
    const a = pts[i], b = pts[i + 1]; if (a === b) continue;
    const ent = kept.find((s) => s.start <= a && b <= s.end);
    const inTask = tasks.find((s) => s.start <= a && b <= s.end);
    const cls = [ent ? "ent ent-" + ent.label : "", inTask ? "ent-TASK" : "", inTask && inTask.rejected ? "rejected" : ""].filter(Boolean).join(" ");
    const short = ent && ent.end === b ? ` data-short="${esc(ent.short)}"` : "";
    const seg = esc(text.slice(a, b));
    html += cls ? `<span class="${cls}"${short} title="${esc(ent ? ent.title : "nhiệm vụ")}">${seg}</span>` : seg;
  }
  return html;
}

// --- Alpine ----------------------------------------------------------------------
document.addEventListener("alpine:init", () => {
  const Alpine = window.Alpine;

  Alpine.store("app", {
    tab: "search", docId: null, key: sessionStorage.getItem("vndoc-key") || "", who: null, whoMsg: "",
    queueCount: null,
    keyTyped(ev) { this.key = ev.target.value; sessionStorage.setItem("vndoc-key", this.key); this.who = null; this.whoMsg = ""; },
    async checkKey() {
      this.whoMsg = "Đang kiểm tra…";
      try {
        const r = await api("/whoami", {headers: {"X-API-Key": this.key.trim()}});
        this.who = r; this.whoMsg = `Khóa của ${r.name} (${r.role === "admin" ? "quản trị" : "rà soát"})`;
      } catch (e) { this.who = null; this.whoMsg = e.message; }
    },
    isAdmin() { return this.who && this.who.role === "admin"; },
  });

  // <p x-marked="h.snippets[0]">: a server snippet with its <mark>s, nothing else.
  Alpine.directive("marked", (el, {expression}, {evaluateLater, effect}) => {
    const get = evaluateLater(expression);
    effect(() => get((v) => { el.innerHTML = onlyMarks(v); }));
  });
  // <div x-rendered="textHtml()">: HTML built here from escaped text (renderMarked).
  Alpine.directive("rendered", (el, {expression}, {evaluateLater, effect}) => {
    const get = evaluateLater(expression);
    effect(() => get((v) => { el.innerHTML = v || ""; }));
  });

  Alpine.data("search", () => ({
    q: "", docType: "", issuer: "", year: "", from: "", to: "", sort: "relevance", page: 1, size: 20,
    hits: [], count: null, facets: {doc_type: [], issuer: [], year: []}, relaxed: null, busy: false, error: "", seq: 0,
    init() { this.run(); },
    params() {
      const from = isoDate(this.from), to = isoDate(this.to);
      if (from === null || to === null) throw new ApiError(422, "Ngày phải có dạng ngày/tháng/năm, ví dụ 01/07/2024.");
      return query({q: this.q, doc_type: this.docType, issuer: this.issuer, year: this.year, date_from: from, date_to: to,
        sort: this.sort === "date" ? "date" : "", page: this.page > 1 ? this.page : "", size: this.size});
    },
    submit() { this.page = 1; this.run(); },
    // Enter in a field searches even while the button is disabled by a running
    // request (a new question supersedes the old one).
    enter(ev) { if (ev.target.tagName === "INPUT") { ev.preventDefault(); this.submit(); } },
    async run() {
      this.error = ""; this.busy = true;
      const seq = ++this.seq;  // only the latest request's answer is shown
      try {
        const r = await api("/search?" + this.params());
        if (seq !== this.seq) return;
        this.hits = r.data; this.count = r.count; this.relaxed = r.relaxed; this.facets = r.facets;
      } catch (e) { if (seq === this.seq) { this.error = e.message; this.hits = []; this.count = null; } }
      finally { if (seq === this.seq) this.busy = false; }
    },
    tryRelaxed() { this.q = this.relaxed; this.submit(); },
    facet(name) {
      // The counts follow the query; the chosen value stays in the list.
      const list = (this.facets[name] || []).slice();
      const chosen = {doc_type: this.docType, issuer: this.issuer, year: this.year}[name];
      if (chosen && !list.some((b) => b.value === chosen)) list.unshift({value: chosen, count: 0});
      return list;
    },
    bucket(b) { return `${b.value} (${b.count})`; },
    countText() { return this.count === null ? "" : `${this.count} văn bản`; },
    pages() { return Math.max(1, Math.ceil((this.count || 0) / this.size)); },
    go(delta) { this.page = Math.min(this.pages(), Math.max(1, this.page + delta)); this.run(); },
    pageText() { return `Trang ${this.page}/${this.pages()}`; },
    hitMeta(h) { return [h.doc_type, h.number_symbol, h.issuer, viDate(h.issue_date)].filter(Boolean).join(" · "); },
    docHref(h) { return "#/doc/" + encodeURIComponent(h.id); },
    title(h) { return h.title || h.source; },
    nothing() { return this.count === 0; },
  }));

  Alpine.data("register", () => ({
    owner: "", collectives: false, role: "any", status: "", q: "", issuer: "", province: "", docId: "",
    from: "", to: "", today: "", sort: "default", order: "asc", page: 1, size: 50,
    rows: [], count: null, asOf: "", ownerNames: null, includedCollectives: null, busy: false, error: "", msg: "", msgError: false,
    noteFor: null, noteText: "", seq: 0,
    init() {
      window.addEventListener("vndoc:register", (e) => { this.docId = (e.detail && e.detail.docId) || ""; this.page = 1; this.load(); });
      this.load();
    },
    filters() {
      const from = isoDate(this.from), to = isoDate(this.to), today = isoDate(this.today);
      if (from === null || to === null || today === null) throw new ApiError(422, "Ngày phải có dạng ngày/tháng/năm, ví dụ 01/07/2024.");
      return {owner: this.owner, with_collectives: this.collectives ? "true" : "", role: this.role === "any" ? "" : this.role,
        status: this.status, q: this.q, issuer: this.issuer, province: this.province, doc_id: this.docId,
        deadline_from: from, deadline_to: to, today, sort: this.sort === "default" ? "" : this.sort, order: this.order === "desc" ? "desc" : ""};
    },
    exportUrl(kind) {
      // The links always follow the filters as typed, "Lọc" pressed or not.
      let f;
      try { f = this.filters(); } catch (e) { f = {}; }
      if (kind === "ics") return "/tasks.ics?" + query(f);
      return "/tasks?" + query(Object.assign({}, f, {format: kind}));
    },
    calendarUrl() { return location.origin + this.exportUrl("ics"); },
    submit() { this.page = 1; this.msg = ""; this.load(); },
    enter(ev) { if (ev.target.tagName === "INPUT" && ev.target.type !== "checkbox") { ev.preventDefault(); this.submit(); } },
    async load() {
      this.error = ""; this.busy = true;
      const seq = ++this.seq;  // only the latest request's answer is shown
      try {
        const r = await api("/tasks?" + query(Object.assign(this.filters(), {page: this.page > 1 ? this.page : "", size: this.size})));
        if (seq !== this.seq) return;
        this.rows = r.data; this.count = r.count; this.asOf = r.today; this.ownerNames = r.owner_names; this.includedCollectives = r.collectives;
      } catch (e) { if (seq === this.seq) this.error = e.message; }
      finally { if (seq === this.seq) this.busy = false; }
    },
    sortBy(key) {
      if (this.sort === key) this.order = this.order === "asc" ? "desc" : "asc"; else { this.sort = key; this.order = "asc"; }
      this.page = 1; this.load();
    },
    sortMark(key) { return this.sort !== key ? "" : (this.order === "asc" ? " ▲" : " ▼"); },
    ariaSort(key) { return this.sort !== key ? "none" : (this.order === "asc" ? "ascending" : "descending"); },
    pages() { return Math.max(1, Math.ceil((this.count || 0) / this.size)); },
    go(delta) { this.page = Math.min(this.pages(), Math.max(1, this.page + delta)); this.load(); },
    pageText() { return `Trang ${this.page}/${this.pages()}`; },
    stt(i) { return (this.page - 1) * this.size + i + 1; },
    summary() {
      if (this.count === null) return "";
      let s = `${this.count} nhiệm vụ · tính đến ngày ${viDate(this.asOf)}`;
      if (this.ownerNames) s += this.ownerNames.length ? ` · đơn vị: ${this.ownerNames.join("; ")}` : ` · không nhận ra đơn vị “${this.owner}”`;
      if (this.includedCollectives && this.includedCollectives.length) s += ` · kể cả nhóm: ${this.includedCollectives.join("; ")}`;
      if (this.docId) s += " · của một văn bản";
      return s;
    },
    clearDoc() { this.docId = ""; this.submit(); },
    statusText(t) {
      if (t.status === "overdue") return `Quá hạn ${t.days_late} ngày`;
      if (t.status === "done" && !t.deadline) return "Đã hoàn thành";
      if (t.status === "done_late") return `Hoàn thành quá hạn ${t.days_late} ngày`;
      return STATUS[t.status] || t.status;
    },
    deadline(t) { return viDate(t.deadline) || t.deadline_text || ""; },
    owners(t) { return t.owners.join("; ") || "(chưa rõ)"; },
    coop(t) { return t.cooperating.join("; "); },
    via(t) { return t.via_collective ? `qua nhóm: ${t.via_collective}` : ""; },
    docLabel(t) { return t.doc_number || t.doc_title || t.doc_id; },
    docSub(t) { return [viDate(t.doc_date), t.doc_issuer].filter(Boolean).join(" · "); },
    docHref(t) { return "#/doc/" + encodeURIComponent(t.doc_id); },
    updated(t) { return t.updated_by ? `${t.done_by || t.updated_by} · ${viDateTime(t.updated_at)}` : ""; },
    doneText(t) { return t.done_on ? `hoàn thành ${viDate(t.done_on)}` : ""; },
    say(text, isError) { this.msg = text; this.msgError = !!isError; },
    async setDone(t, done, button) {
      this.msg = "";
      if (button) button.disabled = true;
      try {
        const r = await api("/tasks/" + encodeURIComponent(t.id), {method: "PATCH", write: true, json: {done}});
        await this.load();
        this.say((done ? "Đã đánh dấu hoàn thành: " : "Đã hoàn tác “hoàn thành”: ") + (r.action || r.text) + (r.updated_by ? ` (${r.updated_by})` : ""), false);
      } catch (e) { this.say(e.message, true); }
      finally { if (button) button.disabled = false; }
    },
    markDone(t, ev) { this.setDone(t, true, ev && ev.target); },
    undoDone(t, ev) { this.setDone(t, false, ev && ev.target); },
    openNote(t) { this.noteFor = t.id; this.noteText = t.note || ""; },
    noteOpen(t) { return this.noteFor === t.id; },
    async saveNote(t) {
      try {
        await api("/tasks/" + encodeURIComponent(t.id), {method: "PATCH", write: true, json: {note: this.noteText}});
        this.noteFor = null; await this.load(); this.say("Đã lưu kết quả / ghi chú.", false);
      } catch (e) { this.say(e.message, true); }
    },
  }));

  Alpine.data("reviewQueue", () => ({
    items: [], count: null, page: 1, size: 20, reviewed: false, busy: false, error: "", seq: 0,
    init() { window.addEventListener("vndoc:review", () => this.load()); this.load(); },
    async load() {
      this.busy = true; this.error = "";
      const seq = ++this.seq;
      try {
        const r = await api("/review?" + query({reviewed: this.reviewed ? "true" : "", page: this.page > 1 ? this.page : "", size: this.size}));
        if (seq !== this.seq) return;
        this.items = r.data; this.count = r.count;
        if (!this.reviewed) Alpine.store("app").queueCount = r.count;
      } catch (e) { this.error = e.message; }
      finally { this.busy = false; }
    },
    show(reviewed) { this.reviewed = reviewed; this.page = 1; this.load(); },
    pages() { return Math.max(1, Math.ceil((this.count || 0) / this.size)); },
    go(delta) { this.page = Math.min(this.pages(), Math.max(1, this.page + delta)); this.load(); },
    pageText() { return `Trang ${this.page}/${this.pages()}`; },
    href(i) { return "#/doc/" + encodeURIComponent(i.doc_id); },
    label(i) { return i.title || i.source || i.doc_id; },
    meta(i) { return [i.doc_type, i.number_symbol, i.issuer, viDate(i.issue_date)].filter(Boolean).join(" · "); },
    counts(i) {
      if (this.reviewed) return `${i.tasks} nhiệm vụ · rà soát bởi ${i.reviewed_by || "?"} lúc ${viDateTime(i.reviewed_at)}`;
      return i.tasks ? `${i.unreviewed}/${i.tasks} nhiệm vụ chưa rà soát` : "Chưa tìm thấy nhiệm vụ nào: kiểm tra văn bản";
    },
    added(i) { return "nạp lúc " + viDateTime(i.ingested_at); },
    countText() { return this.count === null ? "" : (this.reviewed ? `${this.count} văn bản đã rà soát` : `${this.count} văn bản cần rà soát`); },
  }));

  Alpine.data("upload", () => ({
    files: [], dragging: false, restore: false,
    accept: ".pdf,.docx,.txt,.md,.html,.htm,.png,.jpg,.jpeg,.tif,.tiff",
    pick(ev) { this.add(ev.target.files); ev.target.value = ""; },
    drop(ev) { this.dragging = false; this.add(ev.dataTransfer.files); },
    over() { this.dragging = true; },
    leave() { this.dragging = false; },
    add(list) { for (const f of list) this.send(f); },
    send(file) {
      const item = {name: file.name, size: file.size, progress: 0, state: "uploading", outcome: "", message: "", id: null};
      this.files.unshift(item);
      const row = this.files[0];  // the reactive proxy
      if (!apiKey()) { row.state = "failed"; row.message = "Cần nhập khóa API (ô “Khóa API” ở đầu trang) để tải lên."; return; }
      const form = new FormData(); form.append("file", file, file.name);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/documents" + (this.restore ? "?restore=true" : ""));
      xhr.setRequestHeader("X-API-Key", apiKey());
      xhr.upload.onprogress = (e) => { if (e.lengthComputable) row.progress = Math.round(100 * e.loaded / e.total); };
      xhr.onload = () => {
        let body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
        row.progress = 100;
        if (xhr.status >= 200 && xhr.status < 300) {
          row.state = "done"; row.outcome = body.outcome; row.message = body.message; row.id = body.id; row.title = body.title;
          window.dispatchEvent(new CustomEvent("vndoc:review"));
        } else { row.state = "failed"; row.message = body.message || HTTP_VI[xhr.status] || `Lỗi ${xhr.status}.`; }
      };
      xhr.onerror = () => { row.state = "failed"; row.message = HTTP_VI[0]; };
      row.state = "uploading";
      xhr.send(form);
    },
    stateText(f) { return f.state === "uploading" ? `Đang tải lên… ${f.progress}%` : (f.state === "failed" ? "Lỗi" : OUTCOME[f.outcome] || f.outcome); },
    stateClass(f) { return "up-" + (f.state === "done" ? f.outcome : f.state); },
    href(f) { return f.id ? "#/doc/" + encodeURIComponent(f.id) : ""; },
    sizeText(f) { return f.size > 1048576 ? (f.size / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(f.size / 1024)) + " KB"; },
    barWidth(f) { return {width: f.progress + "%"}; },
  }));

  Alpine.data("quality", () => ({
    overall: null, months: [], busy: false, error: "",
    init() { window.addEventListener("vndoc:quality", () => this.load()); },
    async load() {
      this.busy = true; this.error = "";
      try { const r = await api("/quality"); this.overall = r.overall; this.months = r.months; }
      catch (e) { this.error = e.message; }
      finally { this.busy = false; }
    },
    rows() { return this.overall && this.overall.documents ? [this.overall].concat(this.months) : []; },
    period(r) { if (!r.period) return "Tất cả"; const [y, m] = r.period.split("-"); return `Tháng ${m}/${y}`; },
    pct(v) { return v === null || v === undefined ? "–" : (100 * v).toFixed(1).replace(".", ",") + "%"; },
    num(v) { return v === null || v === undefined ? "–" : String(v).replace(".", ","); },
    empty() { return this.overall && !this.overall.documents; },
  }));

  Alpine.data("docView", () => ({
    doc: null, busy: false, error: "", msg: "", msgError: false, editing: null, form: {}, adding: null, suggestion: null,
    selection: null, agencies: [], history: {}, historyFor: null,
    init() {
      window.addEventListener("vndoc:doc", (e) => this.open(e.detail.id));
    },
    async open(id) {
      this.busy = true; this.error = ""; this.msg = ""; this.editing = null; this.adding = null; this.selection = null; this.doc = null;
      try { this.doc = await api("/documents/" + encodeURIComponent(id)); }
      catch (e) { this.error = `${e.message} (mã văn bản: ${id})`; }
      finally { this.busy = false; }
    },
    async reload() { if (this.doc) { const id = this.doc.id; const keep = this.msg, err = this.msgError; await this.open(id); this.msg = keep; this.msgError = err; } },
    say(text, isError) { this.msg = text; this.msgError = !!isError; },
    heading() { return this.doc ? this.doc.title : ""; },
    meta() {
      if (!this.doc) return [];
      const m = this.doc.document.doc;
      const signer = m.signer ? [m.signer.authority.join(" "), m.signer.title, m.signer.name].filter(Boolean).join(" ") : "";
      return [
        ["Loại", [m.doc_type, m.kind === "news" ? "(tin bài)" : ""].filter(Boolean).join(" ")],
        ["Số, ký hiệu", m.number_symbol], ["Cơ quan ban hành", m.issuer],
        ["Địa danh, ngày", [m.place, viDate(m.issue_date)].filter(Boolean).join(", ")],
        ["Trích yếu", m.subject], ["Người ký", signer], ["Chữ ký số", this.signature()],
        ["Nguồn", this.doc.sources.join("; ")], ["Nạp lúc", viDateTime(this.doc.ingested_at)],
      ].filter((x) => x[1]);
    },
    signature() {
      const s = this.doc && this.doc.signature;
      if (!s) return "";
      const state = s.intact === true ? "nguyên vẹn" : (s.intact === false ? "không còn nguyên vẹn" : "");
      const trust = s.trust && s.trust !== "trusted" ? "chưa kiểm tra chuỗi tin cậy" : (s.trust === "trusted" ? "chuỗi tin cậy hợp lệ" : "");
      return "Đã ký số: " + [s.org || s.signer, viDateTime(s.time), state, trust].filter(Boolean).join(", ");
    },
    reviewText() {
      const r = this.doc && this.doc.review;
      if (!r) return "";
      if (r.unreviewed) return `${r.unreviewed}/${r.tasks} nhiệm vụ chưa rà soát`;
      if (r.reviewed_at) return `Đã rà soát (${r.reviewed_by}, ${viDateTime(r.reviewed_at)})`;
      return r.tasks ? "Đã rà soát" : "Chưa có nhiệm vụ; nếu văn bản không giao việc, bấm “Xác nhận tất cả”.";
    },
    tasks() { return this.doc ? this.doc.tasks : []; },
    kept() { return this.tasks().filter((t) => t.review !== "rejected").length; },
    taskCount() { return `Nhiệm vụ (${this.kept()})`; },
    owners(t) {
      if (!t.owners.length) return "(chưa rõ đơn vị chủ trì)";
      return t.owners.map((o, i) => t.owner_kinds[i] && t.owner_kinds[i] !== "agency" ? `${o} (${KIND[t.owner_kinds[i]]})` : o).join("; ");
    },
    coop(t) { return t.cooperating.length ? " (phối hợp: " + t.cooperating.join("; ") + ")" : ""; },
    deadline(t) { return t.deadline ? `(hạn ${viDate(t.deadline)})` : (t.deadline_text ? `(${t.deadline_text})` : "(không có thời hạn)"); },
    status(t) { return t.status === "overdue" ? `Quá hạn ${t.days_late} ngày` : STATUS[t.status]; },
    review(t) { return REVIEW[t.review] || t.review; },
    rule(t) {
      const parts = [];
      if (t.rule_id) parts.push("quy tắc " + t.rule_id);
      if (t.confidence !== null && t.confidence !== undefined) parts.push("độ tin cậy " + Math.round(100 * t.confidence) + "%");
      for (const f of t.flags) parts.push("cần xem: " + (FLAG[f] || f));
      if (t.review === "added") parts.push("thêm bởi " + (t.updated_by || "cán bộ"));
      return parts.join(" · ");
    },
    refs() {
      if (!this.doc) return [];
      return this.doc.refs.map((r) => r.canonical + (r.pinpoints.length ? " — " + r.pinpoints.join("; ") : "") + (r.mentions > 1 ? ` (${r.mentions} lần)` : ""));
    },
    citedBy() { return this.doc ? this.doc.cited_by : []; },
    versions() { return this.doc && this.doc.versions ? this.doc.versions : []; },
    versionTitle(v) { return `Bản nạp ${viDateTime(v.ingested_at)}, được thay bằng bản mới ${viDateTime(v.superseded_at)}`; },
    versionChanges(v) {  // what the next version changed, in words
      const c = v.changes, out = [];
      for (const t of c.tasks_added) out.push("Thêm nhiệm vụ: " + t);
      for (const t of c.tasks_removed) out.push("Bỏ nhiệm vụ: " + t);
      for (const t of c.tasks_changed) {
        if (t.deadline) out.push(`Đổi thời hạn: ${viDate(t.deadline[0]) || "không có"} → ${viDate(t.deadline[1]) || "không có"} (${t.text})`);
        if (t.owners) out.push(`Đổi đơn vị chủ trì: ${(t.owners[0] || []).join("; ") || "không có"} → ${(t.owners[1] || []).join("; ") || "không có"}`);
        if (t.cooperating) out.push(`Đổi đơn vị phối hợp: ${(t.cooperating[0] || []).join("; ")} → ${(t.cooperating[1] || []).join("; ")}`);
        if (t.action) out.push(`Đổi nội dung: ${t.action[1] || t.text}`);
      }
      for (const r of c.refs_added) out.push("Thêm dẫn chiếu: " + r);
      for (const r of c.refs_removed) out.push("Bỏ dẫn chiếu: " + r);
      if (!out.length) out.push(`Sửa câu chữ: ${c.lines_added} dòng mới, ${c.lines_removed} dòng bỏ.`);
      return out;
    },
    citedLabel(c) { return c.doc_number || c.doc_title || c.doc_id; },
    citedHref(c) { return "#/doc/" + encodeURIComponent(c.doc_id); },
    excerpt(c) { return c.context; },
    registerOfDoc() { window.dispatchEvent(new CustomEvent("vndoc:register", {detail: {docId: this.doc.id}})); location.hash = "#/tasks"; },
    // -- the text, with entities and tasks -----------------------------------------
    textHtml() {
      if (!this.doc) return "";
      const d = this.doc.document, spans = [];
      for (const a of d.agencies) for (const s of a.mentions) spans.push({...s, label: "AGENCY", short: "CQ", title: a.name + (a.current_name ? " → " + a.current_name : "")});
      for (const x of d.deadlines || []) spans.push({...x, label: "DEADLINE", short: "HẠN", title: x.date ? "hạn " + viDate(x.date) : "thời hạn"});
      for (const t of this.doc.tasks) {
        if (!t.deadline_text) continue;
        const i = d.text.indexOf(t.deadline_text, t.start);
        if (i >= 0 && i + t.deadline_text.length <= t.end && !(d.deadlines || []).some((x) => x.start <= i && i < x.end))
          spans.push({start: i, end: i + t.deadline_text.length, label: "DEADLINE", short: "HẠN", title: t.deadline ? "hạn " + viDate(t.deadline) : "thời hạn"});
      }
      for (const x of d.legal_refs) spans.push({...x, label: "LEGAL_REF", short: "VB", title: x.canonical});
      for (const t of this.doc.tasks) spans.push({start: t.start, end: t.end, label: "TASK", rejected: t.review === "rejected"});
      return renderMarked(d.text, spans);
    },
    // -- decisions ----------------------------------------------------------------------
    async decide(t, body, done) {
      try {
        const r = await api("/tasks/" + encodeURIComponent(t.id), {method: "PATCH", write: true, json: body});
        this.say(done + ": " + (r.action || r.text).slice(0, 80), false);
        await this.reload();
        window.dispatchEvent(new CustomEvent("vndoc:review"));
      } catch (e) { this.say(e.message, true); }
    },
    confirm(t) { this.decide(t, {review: "confirmed"}, "Đã xác nhận"); },
    reject(t) { this.decide(t, {review: "rejected"}, "Đã bỏ (không phải nhiệm vụ)"); },
    unreject(t) { this.decide(t, {review: "unreviewed"}, "Đã khôi phục nhiệm vụ"); },
    async confirmAll() {
      try {
        const r = await api(`/documents/${encodeURIComponent(this.doc.id)}/confirm`, {method: "POST", write: true});
        this.say(`Đã xác nhận ${r.confirmed} nhiệm vụ; văn bản đã rà soát.`, false);
        await this.reload(); window.dispatchEvent(new CustomEvent("vndoc:review"));
      } catch (e) { this.say(e.message, true); }
    },
    async removeDoc() {
      if (!window.confirm("Xóa văn bản này? Các quyết định rà soát vẫn được giữ; quản trị viên có thể khôi phục.")) return;
      try {
        await api("/documents/" + encodeURIComponent(this.doc.id), {method: "DELETE", write: true});
        this.say("Đã xóa văn bản.", false); this.doc = null; window.dispatchEvent(new CustomEvent("vndoc:review"));
      } catch (e) { this.say(e.message, true); }
    },
    isEditing(t) { return this.editing === t.id; },
    edit(t) {
      this.adding = null; this.editing = t.id;
      this.form = {owners: t.owners.join("; "), cooperating: t.cooperating.join("; "), deadline: viDate(t.deadline), action: t.action || ""};
    },
    cancel() { this.editing = null; this.adding = null; this.form = {}; },
    async lookupAgencies(ev) {
      const v = String(ev.target.value || "").split(";").pop().trim();
      if (v.length < 2) return;
      try { this.agencies = (await api("/agencies?" + query({q: v, size: 20}))).data.map((a) => a.name); } catch (e) { this.agencies = []; }
    },
    formBody() {
      const deadline = isoDate(this.form.deadline);
      if (deadline === null) throw new ApiError(422, "Thời hạn phải có dạng ngày/tháng/năm, ví dụ 31/12/2024.");
      const owners = splitNames(this.form.owners);
      if (!owners.length) throw new ApiError(422, "Cần ít nhất một đơn vị chủ trì.");
      return {owners, cooperating: splitNames(this.form.cooperating), deadline, action: this.form.action.trim() || null};
    },
    async save(t) {
      let body;
      try { body = this.formBody(); } catch (e) { this.say(e.message, true); return; }
      if (!body.action) delete body.action;
      this.editing = null;
      await this.decide(t, body, "Đã lưu sửa đổi");
    },
    // -- a missed task, from a selection of the text ------------------------------------
    selected() {
      const box = this.$refs.text, sel = window.getSelection();
      if (!box || !sel || sel.rangeCount === 0 || sel.isCollapsed) { this.selection = null; return; }
      const range = sel.getRangeAt(0);
      if (!box.contains(range.startContainer) || !box.contains(range.endContainer)) { this.selection = null; return; }
      const pre = document.createRange(); pre.selectNodeContents(box); pre.setEnd(range.startContainer, range.startOffset);
      let start = pre.toString().length, end = start + range.toString().length;
      const text = this.doc.document.text;
      while (start < end && /\s/.test(text[start])) start++;
      while (end > start && /\s/.test(text[end - 1])) end--;
      this.selection = end > start ? {start, end} : null;
    },
    selectionText() { return this.selection ? this.doc.document.text.slice(this.selection.start, this.selection.end) : ""; },
    async suggest() {
      if (!this.selection) return;
      this.editing = null;
      try {
        const s = await api(`/documents/${encodeURIComponent(this.doc.id)}/suggest?` + query({start: this.selection.start, end: this.selection.end}));
        this.adding = s;
        this.form = {owners: s.owners.join("; "), cooperating: s.cooperating.join("; "), deadline: viDate(s.deadline), action: s.action || "", deadline_text: s.deadline_text};
      } catch (e) { this.say(e.message, true); }
    },
    suggestionNote() { return this.adding && this.adding.rule_id ? `Gợi ý theo quy tắc ${this.adding.rule_id}` : "Không quy tắc nào đọc được đoạn này; gợi ý từ các cơ quan, thời hạn trong đoạn."; },
    async addTask() {
      let body;
      try { body = this.formBody(); } catch (e) { this.say(e.message, true); return; }
      Object.assign(body, {doc_id: this.doc.id, start: this.adding.start, end: this.adding.end});
      // Kinds the extractors read stay with their owners (also when staff retype a name in place).
      const s = this.adding, same = body.owners.length === s.owners.length;
      body.owner_kinds = body.owners.map((o, i) => {
        const j = s.owners.indexOf(o);
        return (j >= 0 ? s.owner_kinds[j] : (same ? s.owner_kinds[i] : null)) || "agency";
      });
      if (this.form.deadline_text && body.deadline) body.deadline_text = this.form.deadline_text;
      if (!body.action) delete body.action;
      if (!body.deadline) delete body.deadline;
      try {
        await api("/tasks", {method: "POST", write: true, json: body});
        this.adding = null; this.selection = null;
        this.say("Đã thêm nhiệm vụ.", false); await this.reload(); window.dispatchEvent(new CustomEvent("vndoc:review"));
      } catch (e) { this.say(e.message, true); }
    },
    async showHistory(t) {
      if (this.historyFor === t.id) { this.historyFor = null; return; }
      try { this.history[t.id] = await api(`/tasks/${encodeURIComponent(t.id)}/history`); this.historyFor = t.id; }
      catch (e) { this.say(e.message, true); }
    },
    historyOpen(t) { return this.historyFor === t.id; },
    historyRows(t) { return this.history[t.id] || []; },
    historyText(h) {
      const what = {confirm: "xác nhận", unconfirm: "bỏ xác nhận", reject: "bỏ (không phải nhiệm vụ)", unreject: "khôi phục", edit: "sửa",
        add: "thêm", done: "hoàn thành", undone: "hoàn tác hoàn thành", note: "ghi chú"}[h.action] || h.action;
      const field = {owners: "đơn vị chủ trì", cooperating: "phối hợp", deadline: "thời hạn", action: "nội dung", note: "ghi chú", done_on: "ngày hoàn thành"}[h.field] || "";
      const change = h.action === "edit" || h.action === "note" ? `: ${h.old ?? "(trống)"} → ${h.new ?? "(trống)"}` : "";
      return `${viDateTime(h.at)} · ${h.who} · ${what}${field && h.action === "edit" ? " " + field : ""}${change}`;
    },
  }));

  Alpine.data("refsTab", () => ({
    q: "", result: null, top: [], busy: false, error: "",
    init() { window.addEventListener("vndoc:refs", () => this.loadTop()); },
    async loadTop() {
      try { this.top = (await api("/refs/top?limit=10")).data; } catch (e) { this.error = e.message; }
    },
    async lookup() {
      this.busy = true; this.error = "";
      try { this.result = await api("/refs?" + query({q: this.q})); }
      catch (e) { this.error = e.message; this.result = null; }
      finally { this.busy = false; }
    },
    hasMore() { return this.result && this.result.data.length < this.result.count; },
    async more() {  // "Xem thêm": the next page of citations, after these
      const r = this.result, page = r.page + 1;
      this.busy = true; this.error = "";
      try {
        const next = await api("/refs?" + query({q: r.query, page, size: r.size}));
        if (this.result === r) { r.data.push(...next.data); r.page = page; }
      } catch (e) { this.error = e.message; }
      finally { this.busy = false; }
    },
    pick(t) { this.q = t.canonical; this.lookup(); },
    topText(t) { return `${t.canonical} (${t.documents})`; },
    found() { return this.result && this.result.canonical.length; },
    heading() { return this.result ? `${this.result.canonical.join(", ")}: ${this.result.count} lần dẫn chiếu` : ""; },
    notFound() { return this.result && !this.result.canonical.length ? `Không tìm thấy văn bản dẫn chiếu “${this.result.query}”.` : ""; },
    label(c) { return c.doc_number || c.doc_title; },
    href(c) { return "#/doc/" + encodeURIComponent(c.doc_id); },
    date(c) { return viDate(c.doc_date); },
  }));
});

// --- the question box (plain DOM; see also /static/ask.js) --------------------------------
function docLink(id, label) { return `<a href="#/doc/${encodeURIComponent(id)}">${esc(label || id)}</a>`; }
async function runAsk(ev) {
  if (ev) ev.preventDefault();
  const out = document.querySelector("#ask-answer"), button = document.querySelector("#ask-form button");
  button.disabled = true; out.setAttribute("aria-busy", "true");
  try {
    const r = await api("/ask?" + new URLSearchParams({q: document.querySelector("#a-q").value}));
    out.innerHTML = `<p><b>${esc(r.answer)}</b></p>` +
      (r.evidence.length ? "<h4>Căn cứ</h4><ul>" + r.evidence.map((e) => `<li>${esc(e.text)} — ${docLink(e.doc_id, e.doc_number || e.doc_title)}</li>`).join("") + "</ul>" : "") +
      (!r.understood ? "<ul>" + r.data.map((d) => `<li>${docLink(d.doc_id, d.title)} ${(d.snippets || []).map(onlyMarks).join(" ")}</li>`).join("") + "</ul>" : "");
  } catch (e) { out.innerHTML = `<p class="error">${esc(e.message)}</p>`; }
  finally { button.disabled = false; out.removeAttribute("aria-busy"); }
}

// --- routing ---------------------------------------------------------------------------
function route() {
  const app = window.Alpine.store("app");
  const h = location.hash || "#/";
  if (h.startsWith("#/doc/")) {
    app.tab = "doc"; app.docId = decodeURIComponent(h.slice(6));
    window.dispatchEvent(new CustomEvent("vndoc:doc", {detail: {id: app.docId}}));
    return;
  }
  const tab = {"#/tasks": "tasks", "#/review": "review", "#/upload": "upload", "#/refs": "refs", "#/ask": "ask", "#/quality": "quality"}[h] || "search";
  app.tab = tab;
  if (tab === "refs") window.dispatchEvent(new CustomEvent("vndoc:refs"));
  if (tab === "quality") window.dispatchEvent(new CustomEvent("vndoc:quality"));
  if (tab === "review") window.dispatchEvent(new CustomEvent("vndoc:review"));
}
// Forms are handled by script; before it is ready, Enter must not reload the page.
document.addEventListener("submit", (e) => e.preventDefault(), true);
document.addEventListener("alpine:initialized", () => {
  document.body.dataset.ready = "1";
  window.addEventListener("hashchange", route);
  route();
  const form = document.querySelector("#ask-form");
  if (form && !form.dataset.bound) { form.dataset.bound = "1"; form.addEventListener("submit", runAsk); }
});
