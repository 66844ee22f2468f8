// vndoc web page: the question box (tab "Hỏi đáp"). A question comes back read as
// parts ("chips"): each can be removed (×) or changed (click it), and the answer
// is asked again with those parts. Plain JavaScript, no framework, no network
// beyond this server. Loaded after app.js; it answers the form's submit itself.
"use strict";
(() => {
  const $ = (s) => document.querySelector(s);
  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  const viDate = (iso) => { if (!iso) return ""; const p = iso.split("-"); return p.length === 3 ? `${p[2]}/${p[1]}/${p[0]}` : p.reverse().join("/"); };
  // Parts whose value is one of a few words: changed with a list.
  const CHOICES = {
    role: [["lead", "chủ trì"], ["cooperating", "phối hợp"], ["any", "chủ trì hoặc phối hợp"]],
    status: [["overdue", "quá hạn"], ["due_soon", "sắp đến hạn"], ["in_time", "còn hạn"], ["pending", "chưa hoàn thành"], ["done", "đã hoàn thành"], ["no_deadline", "không có thời hạn"]],
    recurring: [["monthly", "hằng tháng"], ["weekly", "hằng tuần"], ["quarterly", "hằng quý"], ["yearly", "hằng năm"], ["any", "định kỳ"]],
    qword: [["list", "liệt kê"], ["count", "bao nhiêu"], ["yesno", "có hay không"], ["who", "ai"], ["when", "khi nào"], ["partners", "phối hợp với ai"]],
  };
  const STATUS = {open: "Đang thực hiện", done: "Đã hoàn thành", overdue: "Quá hạn", due_soon: "Sắp đến hạn", no_deadline: "Không có thời hạn"};
  const state = {q: "", edits: {}, page: 1};

  // Its styles, from this server (the page's policy allows no inline style).
  const css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = "/static/ask.css";
  document.head.appendChild(css);

  function params() {
    const p = new URLSearchParams({q: state.q, page: String(state.page)});
    for (const [kind, value] of Object.entries(state.edits)) {
      if (value === null) p.append("drop", kind); else p.append("set", `${kind}=${value}`);
    }
    return p;
  }

  async function ask() {
    const out = $("#ask-answer");
    try {
      const r = await fetch("/ask?" + params());
      const body = await r.json().catch(() => ({detail: r.statusText}));
      if (!r.ok) throw new Error(body.detail || `HTTP ${r.status}`);
      render(body);
    } catch (e) { out.innerHTML = `<p class="error">${esc(e.message)}</p>`; }
  }

  // The question with the words each chip was read from marked.
  function marked(question, chips) {
    const spans = chips.filter((c) => c.start >= 0).map((c) => [c.start, c.end]).sort((a, b) => a[0] - b[0]);
    let html = "", at = 0;
    for (const [a, b] of spans) {
      if (a < at) continue;
      html += esc(question.slice(at, a)) + `<mark>${esc(question.slice(a, b))}</mark>`;
      at = b;
    }
    return html + esc(question.slice(at));
  }

  function chipHtml(c, i) {
    return `<span class="chip" data-i="${i}" data-kind="${esc(c.kind)}">` +
      `<button type="button" class="chip-label" title="Sửa">${esc(c.label)}</button>` +
      `<button type="button" class="chip-x" aria-label="Bỏ ${esc(c.label)}" title="Bỏ">×</button></span>`;
  }

  function itemHtml(e, d) {
    const link = `<a href="#/doc/${encodeURIComponent(e.doc_id)}">${esc(e.doc_number || e.doc_title || e.doc_id)}</a>`;
    const meta = [];
    if (d && d.owners && d.owners.length) meta.push("Chủ trì: " + d.owners.join("; "));
    if (d && d.cooperating && d.cooperating.length) meta.push("Phối hợp: " + d.cooperating.join("; "));
    if (d && d.deadline) meta.push("Hạn: " + viDate(d.deadline));
    if (d && d.status) meta.push(STATUS[d.status] || d.status);
    if (d && d.pinpoint) meta.push(d.pinpoint);
    if (d && d.issue_date && !d.task_id) meta.push(viDate(d.issue_date));
    return `<li>${esc(e.text)} — ${link}${meta.length ? `<div class="ask-meta">${esc(meta.join(" · "))}</div>` : ""}</li>`;
  }

  let chips = [];
  function render(r) {
    chips = r.chips;
    const pager = (r.page > 1 || r.next_page) ? `<div class="ask-pager">` +
      (r.page > 1 ? `<button type="button" data-page="${r.page - 1}">Trang trước</button>` : "") +
      (r.next_page ? `<button type="button" data-page="${r.next_page}">Trang sau</button>` : "") +
      `<span class="muted">Trang ${r.page} · ${r.count} kết quả</span></div>` : "";
    $("#ask-answer").innerHTML =
      `<p id="ask-question" class="muted">${marked(r.question, r.chips)}</p>` +
      `<div id="ask-chips" aria-label="Câu hỏi được hiểu là">${r.chips.map(chipHtml).join("")}</div>` +
      `<p><b>${esc(r.answer)}</b></p>` +
      (r.evidence.length ? `<h4>Căn cứ</h4><ul id="ask-evidence">${r.evidence.map((e, i) => itemHtml(e, r.data[i])).join("")}</ul>` : "") +
      pager;
  }

  function edit(i, value) {
    const c = chips[i];
    if (!c) return;
    state.edits[c.kind] = value;
    state.page = 1;
    ask();
  }

  function openEditor(span) {
    const i = Number(span.dataset.i), c = chips[i];
    const choices = CHOICES[c.kind];
    const field = choices ? document.createElement("select") : document.createElement("input");
    if (choices) {
      field.innerHTML = choices.map(([v, label]) => `<option value="${v}"${v === c.value ? " selected" : ""}>${esc(label)}</option>`).join("");
      field.addEventListener("change", () => edit(i, field.value));
    } else {
      field.value = c.value;
      field.addEventListener("keydown", (e) => {
        if (e.key === "Enter") { e.preventDefault(); if (field.value.trim()) edit(i, field.value.trim()); }
        if (e.key === "Escape") ask();
      });
    }
    field.setAttribute("aria-label", c.label);
    span.querySelector(".chip-label").replaceWith(field);
    field.focus();
  }

  // The form: answer it here (app.js's own handler never sees the submit).
  document.addEventListener("submit", (ev) => {
    if (!ev.target || ev.target.id !== "ask-form") return;
    ev.preventDefault();
    ev.stopPropagation();
    state.q = $("#a-q").value;
    state.edits = {};
    state.page = 1;
    ask();
  }, true);

  document.addEventListener("click", (ev) => {
    const x = ev.target.closest("#ask-chips .chip-x");
    if (x) { edit(Number(x.closest(".chip").dataset.i), null); return; }
    const label = ev.target.closest("#ask-chips .chip-label");
    if (label) { openEditor(label.closest(".chip")); return; }
    const page = ev.target.closest("#ask-answer [data-page]");
    if (page) { state.page = Number(page.dataset.page); ask(); }
  });
})();
