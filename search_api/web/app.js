// vndoc web page: plain JavaScript, served locally, no framework.
"use strict";
const $ = (s) => document.querySelector(s);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;","'":"&#39;"}[c]));
const STATUS = {open:"Đang thực hiện", done:"Đã hoàn thành", overdue:"Quá hạn", due_soon:"Sắp đến hạn", no_deadline:"Không có thời hạn"};
const viDate = (iso) => { if (!iso) return ""; const p = iso.split("-"); return p.length === 3 ? `${p[2]}/${p[1]}/${p[0]}` : p.reverse().join("/"); };

async function api(path, opts) {
  const r = await fetch(path, opts);
  const body = await r.json().catch(() => ({detail: r.statusText}));
  if (!r.ok) {
    const e = new Error(body.detail || r.statusText || `HTTP ${r.status}`);
    e.status = r.status;
    throw e;
  }
  return body;
}
function showTab(name) {
  document.querySelectorAll(".tab").forEach((t) => (t.hidden = t.id !== "tab-" + name));
  document.querySelectorAll("nav a").forEach((a) => a.classList.toggle("active", a.dataset.tab === name));
}
function docLink(id, label) { return `<a href="#/doc/${encodeURIComponent(id)}">${esc(label || id)}</a>`; }

// --- search ---------------------------------------------------------------
let facetsLoaded = false;
async function runSearch(ev) {
  if (ev) ev.preventDefault();
  const p = new URLSearchParams({q: $("#q").value, size: "20"});
  if ($("#f-doc-type").value) p.set("doc_type", $("#f-doc-type").value);
  if ($("#f-issuer").value) p.set("issuer", $("#f-issuer").value);
  if ($("#f-from").value) p.set("date_from", $("#f-from").value);
  if ($("#f-to").value) p.set("date_to", $("#f-to").value);
  try {
    const r = await api("/search?" + p);
    $("#search-count").textContent = `${r.count} văn bản`;
    $("#results").innerHTML = r.data.map((h) => `<li class="hit">
      <div class="hit-title">${docLink(h.id, h.title || h.source)}</div>
      <div class="hit-meta">${esc([h.doc_type, h.number_symbol, h.issuer, viDate(h.issue_date)].filter(Boolean).join(" · "))}</div>
      ${h.snippets.map((s) => `<p class="snippet">${s}</p>`).join("")}</li>`).join("");
    if (!facetsLoaded) {
      fill("#f-doc-type", r.facets.doc_type || []);
      fill("#f-issuer", r.facets.issuer || []);
      facetsLoaded = true;
    }
  } catch (e) { $("#search-count").innerHTML = `<span class="error">${esc(e.message)}</span>`; }
}
function fill(sel, buckets) {
  const el = $(sel);
  for (const b of buckets) { const o = document.createElement("option"); o.value = b.value; o.textContent = `${b.value} (${b.count})`; el.appendChild(o); }
}

// --- tasks ----------------------------------------------------------------
function taskParams() {
  const p = new URLSearchParams();
  if ($("#t-owner").value) p.set("owner", $("#t-owner").value);
  if ($("#t-role").value !== "any") p.set("role", $("#t-role").value);
  if ($("#t-status").value) p.set("status", $("#t-status").value);
  if ($("#t-q").value) p.set("q", $("#t-q").value);
  if ($("#t-today").value) p.set("today", $("#t-today").value);
  return p;
}
function exportLinks() {
  // The export links always follow the filters as typed, pressed "Lọc" or not.
  const p = taskParams();
  const csv = new URLSearchParams(p); csv.set("format", "csv");
  const xlsx = new URLSearchParams(p); xlsx.set("format", "xlsx");
  $("#export-csv").href = "/tasks?" + csv; $("#export-xlsx").href = "/tasks?" + xlsx;
}
function taskMsg(text, isError) {
  const el = $("#task-msg");
  el.textContent = text || "";
  el.className = text ? (isError ? "error" : "ok") : "";
}
async function loadTasks(ev) {
  if (ev) { ev.preventDefault(); taskMsg(""); }
  const p = taskParams();
  exportLinks();
  try {
    const r = await api("/tasks?" + p);
    const owners = r.owner_names === null || r.owner_names === undefined ? "" :
      r.owner_names.length ? ` · đơn vị: ${r.owner_names.join("; ")}` : ` · không nhận ra đơn vị “${$("#t-owner").value}”`;
    $("#task-count").textContent = `${r.count} nhiệm vụ · tính đến ngày ${viDate(r.today)}` + owners;
    $("#task-table tbody").innerHTML = r.data.map((t, i) => `<tr class="${t.status}" data-id="${esc(t.id)}">
      <td>${i + 1}</td><td>${esc(t.action || t.text)}</td><td>${esc(t.owners.join("; "))}</td>
      <td>${esc(t.cooperating.join("; "))}</td><td>${esc(viDate(t.deadline) || t.deadline_text || "")}</td>
      <td>${docLink(t.doc_id, t.doc_number || t.doc_title || t.doc_id)}</td>
      <td><span class="badge ${t.status}">${STATUS[t.status]}</span>${t.updated_by ? `<br><small class="muted">${esc(t.updated_by)} · ${esc(t.updated_at)}</small>` : ""}</td>
      <td>${t.done ? "" : `<button class="mark-done" data-id="${esc(t.id)}">Đánh dấu hoàn thành</button>`}</td></tr>`).join("");
  } catch (e) { $("#task-count").innerHTML = `<span class="error">${esc(e.message)}</span>`; }
}
const WRITE_ERRORS = {401: "Cần nhập khóa API", 403: "Khóa API không hợp lệ", 404: "Không tìm thấy nhiệm vụ"};
async function markDone(id, button) {
  const key = $("#api-key").value.trim();
  if (!key) {
    taskMsg("Cần nhập khóa API để cập nhật nhiệm vụ (an API key is required).", true);
    $("#api-key").focus();
    return;
  }
  if (button) button.disabled = true;
  try {
    const t = await api("/tasks/" + encodeURIComponent(id), {method: "PATCH", headers: {"Content-Type": "application/json", "X-API-Key": key}, body: JSON.stringify({done: true})});
    await loadTasks();
    taskMsg(`Đã đánh dấu hoàn thành: ${t.action || t.text}` + (t.updated_by ? ` (${t.updated_by})` : ""), false);
  } catch (e) {
    taskMsg(`${WRITE_ERRORS[e.status] || "Không cập nhật được"}: ${e.message}`, true);
    if (button) button.disabled = false;
  }
}

// --- refs -----------------------------------------------------------------
async function lookupRef(ev) {
  if (ev) ev.preventDefault();
  try {
    const r = await api("/refs?" + new URLSearchParams({q: $("#r-q").value}));
    $("#ref-results").innerHTML = r.canonical.length === 0 ? `<p>Không tìm thấy văn bản dẫn chiếu “${esc(r.query)}”.</p>` :
      `<p><b>${esc(r.canonical.join(", "))}</b>: ${r.count} lần dẫn chiếu</p><table><thead><tr><th>Văn bản</th><th>Ngày</th><th>Vị trí (điểm, khoản, Điều)</th><th>Trích đoạn</th></tr></thead><tbody>` +
      r.data.map((c) => `<tr><td>${docLink(c.doc_id, c.doc_number || c.doc_title)}</td><td>${esc(viDate(c.doc_date))}</td><td>${esc(c.pinpoint || "")}</td><td>${esc(c.context)}</td></tr>`).join("") + "</tbody></table>";
  } catch (e) { $("#ref-results").innerHTML = `<p class="error">${esc(e.message)}</p>`; }
}
async function loadTopRefs() {
  try {
    const r = await api("/refs/top?limit=10");
    $("#top-refs").innerHTML = r.data.map((t) => `<li><a href="#/refs" data-ref="${esc(t.canonical)}" class="ref-link">${esc(t.canonical)}</a> (${t.documents})</li>`).join("") || "<li>Chưa có</li>";
  } catch (e) { $("#top-refs").innerHTML = `<li class="error">${esc(e.message)}</li>`; }
}

// --- ask ------------------------------------------------------------------
async function runAsk(ev) {
  if (ev) ev.preventDefault();
  try {
    const r = await api("/ask?" + new URLSearchParams({q: $("#a-q").value}));
    $("#ask-answer").innerHTML = `<p><b>${esc(r.answer)}</b></p>` +
      (r.evidence.length ? "<h4>Căn cứ</h4><ul>" + r.evidence.map((e) => `<li>${esc(e.text)} — ${docLink(e.doc_id, e.doc_number || e.doc_title)}</li>`).join("") + "</ul>" : "") +
      (!r.understood ? "<ul>" + r.data.map((d) => `<li>${docLink(d.doc_id, d.title)} ${(d.snippets || []).join(" ")}</li>`).join("") + "</ul>" : "");
  } catch (e) { $("#ask-answer").innerHTML = `<p class="error">${esc(e.message)}</p>`; }
}

// --- document view ---------------------------------------------------------
function renderMarked(text, spans) {
  // spans: {start, end, label}; TASK spans underline, others color; inner entities win.
  const cuts = new Set([0, text.length]);
  for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
  const pts = [...cuts].sort((a, b) => a - b);
  const ents = spans.filter((s) => s.label !== "TASK").sort((a, b) => a.start - b.start || (b.end - b.start) - (a.end - a.start));
  const kept = []; let lastEnd = -1;
  for (const s of ents) if (s.start >= lastEnd) { kept.push(s); lastEnd = s.end; }
  const tasks = spans.filter((s) => s.label === "TASK");
  let html = "";
  for (let i = 0; i < pts.length - 1; i++) {
    const a = pts[i], b = pts[i + 1]; if (a === b) continue;
    const ent = kept.find((s) => s.start <= a && b <= s.end);
    const inTask = tasks.some((s) => s.start <= a && b <= s.end);
    const cls = [ent ? "ent ent-" + ent.label : "", inTask ? "ent-TASK" : ""].filter(Boolean).join(" ");
    // The label (CQ, HẠN, VB) is drawn by CSS from data-short, so the text itself stays as written.
    const short = ent && ent.end === b ? ` data-short="${esc(ent.short)}"` : "";
    const seg = esc(text.slice(a, b));
    html += cls ? `<span class="${cls}"${short} title="${esc(ent ? ent.title : "nhiệm vụ")}">${seg}</span>` : seg;
  }
  return html;
}
async function showDoc(id) {
  showTab("doc");
  try {
    const r = await api("/documents/" + encodeURIComponent(id));
    const d = r.document, m = d.doc;
    const spans = [];
    for (const a of d.agencies) for (const s of a.mentions) spans.push({...s, label: "AGENCY", short: "CQ", title: a.name + (a.current_name ? " → " + a.current_name : "")});
    for (const x of d.deadlines || []) spans.push({...x, label: "DEADLINE", short: "HẠN", title: x.date ? "hạn " + viDate(x.date) : "thời hạn"});
    // A task's own deadline phrase, when the document lists no separate deadlines there.
    for (const t of d.tasks) {
      if (!t.deadline_text) continue;
      const i = d.text.indexOf(t.deadline_text, t.start);
      if (i >= 0 && i + t.deadline_text.length <= t.end)
        spans.push({start: i, end: i + t.deadline_text.length, label: "DEADLINE", short: "HẠN", title: t.deadline ? "hạn " + viDate(t.deadline) : "thời hạn"});
    }
    for (const x of d.legal_refs) spans.push({...x, label: "LEGAL_REF", short: "VB", title: x.canonical});
    for (const t of d.tasks) spans.push({start: t.start, end: t.end, label: "TASK"});
    const signer = m.signer ? [m.signer.authority.join(" "), m.signer.title, m.signer.name].filter(Boolean).join(" ") : "";
    $("#doc-view").innerHTML = `<h2>${esc(m.subject || m.title || r.sources[0])}</h2>
      <dl class="meta">${[
        ["Loại", [m.doc_type, m.kind === "news" ? "(tin bài)" : ""].filter(Boolean).join(" ")],
        ["Số, ký hiệu", m.number_symbol], ["Cơ quan ban hành", m.issuer],
        ["Địa danh, ngày", [m.place, viDate(m.issue_date)].filter(Boolean).join(", ")],
        ["Người ký", signer], ["Nguồn", r.sources.join("; ")],
      ].filter(([, v]) => v).map(([k, v]) => `<dt>${k}</dt><dd>${esc(v)}</dd>`).join("")}</dl>
      <h3>Nhiệm vụ (${r.tasks.length})</h3><ol class="doc-tasks">${r.tasks.map((t) => `<li><span class="badge ${t.status}">${STATUS[t.status] || esc(t.status)}</span> ${t.owners.length ? `<b>${esc(t.owners.join("; "))}</b>` : ""}${t.cooperating.length ? ` (phối hợp: ${esc(t.cooperating.join("; "))})` : ""}: ${esc(t.action || t.text)} ${t.deadline ? `<b>(hạn ${esc(viDate(t.deadline))})</b>` : t.deadline_text ? `(${esc(t.deadline_text)})` : ""}</li>`).join("")}</ol>
      <h3>Văn bản dẫn chiếu</h3><ul class="doc-refs">${d.legal_refs.map((x) => `<li>${esc(x.canonical)} ${esc([x.point && "điểm " + x.point, x.clause && "khoản " + x.clause, x.article && "Điều " + x.article].filter(Boolean).join(" "))}</li>`).join("") || "<li>Không có</li>"}</ul>
      <h3>Được dẫn chiếu bởi</h3><ul>${r.cited_by.map((c) => `<li>${docLink(c.doc_id, c.doc_number || c.doc_title)}: ${esc(c.context)}</li>`).join("") || "<li>Không có</li>"}</ul>
      <p class="legend"><span class="ent ent-AGENCY">Cơ quan</span><span class="ent ent-DEADLINE">Thời hạn</span><span class="ent ent-LEGAL_REF">Văn bản</span><span class="ent-TASK">Nhiệm vụ</span></p>
      <div class="doc-text">${renderMarked(d.text, spans)}</div>`;
  } catch (e) { $("#doc-view").innerHTML = `<p class="error">${esc(e.message)}</p>`; }
}

// --- routing ---------------------------------------------------------------
function route() {
  const h = location.hash || "#/";
  if (h.startsWith("#/doc/")) return showDoc(decodeURIComponent(h.slice(6)));
  if (h === "#/tasks") { showTab("tasks"); return loadTasks(); }
  if (h === "#/refs") { showTab("refs"); return loadTopRefs(); }
  if (h === "#/ask") return showTab("ask");
  showTab("search"); return runSearch();
}
document.addEventListener("DOMContentLoaded", () => {
  $("#search-form").addEventListener("submit", runSearch);
  $("#task-form").addEventListener("submit", loadTasks);
  $("#task-form").addEventListener("input", exportLinks);
  $("#task-form").addEventListener("change", exportLinks);
  $("#ref-form").addEventListener("submit", lookupRef);
  $("#ask-form").addEventListener("submit", runAsk);
  document.addEventListener("click", (e) => {
    const b = e.target.closest(".mark-done"); if (b) { e.preventDefault(); markDone(b.dataset.id, b); }
    const r = e.target.closest(".ref-link"); if (r) { $("#r-q").value = r.dataset.ref; lookupRef(); }
  });
  window.addEventListener("hashchange", route);
  route();
});
