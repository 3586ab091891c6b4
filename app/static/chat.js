// The chat page: asks POST /chat/stream (server-sent events) and falls back to
// POST /chat; renders answers with [n] citation links, sources and record tables.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const form = $("composer"), input = $("message"), sendBtn = $("send"), list = $("messages"), intro = $("intro");
  const viewer = window.planchatViewer;
  const state = { conversationId: null, stream: true, busy: false, seq: 0, abort: null };

  const ROUTES = {
    lookup: "Exact lookup in the records of the plans",
    search: "Found by searching the documents",
    both: "Exact records and document search",
    none: "No supporting passage was found",
  };

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
    return node;
  }

  const chat = $("chat");
  const scrollToEnd = () => { chat.scrollTop = chat.scrollHeight; };

  // ------------------------------------------------------------------ asking

  class HttpError extends Error {
    constructor(status, detail) { super(detail); this.status = status; }
  }

  async function postChat(body, signal) {
    const r = await fetch("/chat", {
      method: "POST", signal, body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", Accept: "application/json" },
    });
    if (!r.ok) throw new HttpError(r.status, await viewer.errorDetail(r));
    return r.json();
  }

  // Reads the event stream into one response object.  Events may carry text pieces
  // ({"delta"|"token"|"text"|"content": "..."} or plain text), any fields of the final
  // answer (conversation_id, answer, citations, route, records, ...), or an error.
  async function streamChat(body, signal, onText) {
    const r = await fetch("/chat/stream", {
      method: "POST", signal, body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
    });
    if (!r.ok) {
      if (r.status === 404 || r.status === 405) state.stream = false; // no streaming endpoint here
      throw new HttpError(r.status, await viewer.errorDetail(r));
    }
    if (!r.body || !(r.headers.get("Content-Type") || "").includes("text/event-stream")) {
      state.stream = false;
      throw new Error("the server did not answer with an event stream");
    }
    const result = {};
    let text = "", events = 0, buffer = "";
    const handle = (name, data) => {
      if (data === "[DONE]") return;
      events++;
      let obj;
      try { obj = JSON.parse(data); } catch (_) { obj = data; }
      if (typeof obj === "string") { text += obj; onText(text); return; }
      if (Array.isArray(obj)) { result[name || "citations"] = obj; return; } // e.g. event: citations
      if (!obj || typeof obj !== "object") return;
      const kind = name || obj.type || obj.event;
      if (kind === "error" || obj.error) {
        const e = obj.error || obj.detail || obj.message || "the answer stream failed";
        throw new HttpError(obj.status || obj.status_code || null, typeof e === "string" ? e : JSON.stringify(e));
      }
      const piece = ["delta", "token", "text", "content", "sentence"].map((k) => obj[k]).find((v) => typeof v === "string");
      if (piece !== undefined && obj.answer === undefined) { text += piece; onText(text); }
      for (const [k, v] of Object.entries(obj)) {
        if (!["delta", "token", "text", "content", "sentence", "type", "event"].includes(k)) result[k] = v;
      }
      if (typeof obj.answer === "string") onText(obj.answer);
    };
    const flush = (block) => {
      let name = "", data = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith(":")) continue;
        const i = line.indexOf(":");
        const field = i < 0 ? line : line.slice(0, i);
        const value = i < 0 ? "" : line.slice(i + 1).replace(/^ /, "");
        if (field === "event") name = value;
        else if (field === "data") data.push(value);
      }
      if (data.length) handle(name, data.join("\n"));
    };
    const reader = r.body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      buffer += decoder.decode(value || new Uint8Array(), { stream: !done });
      const blocks = buffer.split(/\r?\n\r?\n/);
      buffer = done ? "" : blocks.pop();
      blocks.forEach(flush);
      if (done) break;
    }
    if (!events) throw new Error("the answer stream was empty");
    if (typeof result.answer !== "string") result.answer = text;
    result.streamed = true;
    return result;
  }

  async function ask(question) {
    question = question.trim();
    if (!question || state.busy) return;
    state.busy = true;
    sendBtn.disabled = true;
    intro.hidden = true;
    const asked = el("li", { class: "msg msg-user" },
      el("p", { class: "visually-hidden", text: "You asked:" }), el("div", { class: "bubble", text: question }));
    list.append(asked);
    const view = assistantMessage();
    scrollToEnd();
    const body = { message: question, conversation_id: state.conversationId };
    const abort = (state.abort = new AbortController());
    let data = null, error = null, partial = false;
    if (state.stream) {
      try {
        data = await streamChat(body, abort.signal, (t) => { partial = true; showPartial(view, t); });
      } catch (err) {
        if (partial || abort.signal.aborted) error = err; // do not ask twice once an answer began
      }
    }
    if (!data && !error && !abort.signal.aborted) {
      try { data = await postChat(body, abort.signal); } catch (err) { error = err; }
    }
    if (abort.signal.aborted) return; // the conversation was reset meanwhile
    if (data) {
      if (data.conversation_id) state.conversationId = data.conversation_id;
      renderAnswer(view, data, question);
    } else {
      renderError(view, error);
    }
    view.li.setAttribute("aria-busy", "false");
    state.busy = false;
    state.abort = null;
    sendBtn.disabled = false;
    // Show the question at the top, so a long answer is read from its start.
    chat.scrollTop = asked.getBoundingClientRect().top - chat.getBoundingClientRect().top + chat.scrollTop - 12;
  }

  // ------------------------------------------------------------------ rendering

  function assistantMessage() {
    const n = ++state.seq;
    const typing = el("div", { class: "typing", role: "status" },
      el("span", { class: "visually-hidden", text: "planchat is answering…" }),
      el("span", { class: "dot" }), el("span", { class: "dot" }), el("span", { class: "dot" }));
    const answer = el("div", { class: "answer" }, typing);
    const li = el("li", { class: "msg msg-bot", "aria-busy": "true", "data-msg": String(n) },
      el("p", { class: "visually-hidden", text: "planchat answered:" }), el("div", { class: "bubble" }, answer));
    list.append(li);
    return { n, li, answer, bubble: li.querySelector(".bubble") };
  }

  function showPartial(view, text) {
    view.answer.replaceChildren(el("p", { class: "streaming", text }));
    scrollToEnd();
  }

  function citationMap(data) {
    const map = new Map();
    (Array.isArray(data.citations) ? data.citations : []).forEach((c, i) => {
      if (c && typeof c === "object") map.set(Number(c.n ?? i + 1), c);
    });
    return map;
  }

  function citeLink(view, n, c) {
    const label = `Source ${n}: ${c.doc_title || c.doc_id || ""}`;
    return el("sup", { class: "cite" }, el("a", {
      href: `#src-${view.n}-${n}`, "data-n": String(n), "aria-label": label, title: label, text: `[${n}]`,
      onclick: (e) => { e.preventDefault(); viewer.open(c, e.currentTarget); },
    }));
  }

  // One line of answer text, [n] markers turned into citation links.
  function inline(view, text, cites) {
    const out = [];
    let last = 0;
    for (const m of text.matchAll(/\[(\d+)\]/g)) {
      const c = cites.get(Number(m[1]));
      if (!c) continue;
      // The marker sticks to the word before it, so it never wraps onto a line of its own.
      if (m.index > last) out.push(document.createTextNode(text.slice(last, m.index).replace(/\s+$/, "")));
      out.push(citeLink(view, Number(m[1]), c));
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push(document.createTextNode(text.slice(last)));
    return out;
  }

  // Paragraphs split on blank lines; lines starting "- ", "* " or "• " become a list.
  function answerBody(view, text, cites) {
    const frag = document.createDocumentFragment();
    for (const para of String(text || "").split(/\n\s*\n/)) {
      const lines = para.split("\n").filter((l) => l.trim());
      if (!lines.length) continue;
      let ul = null, p = null;
      for (const line of lines) {
        const bullet = line.match(/^\s*(?:[-*•]|\d+[.)])\s+(.*)$/);
        if (bullet) {
          p = null;
          if (!ul) frag.append((ul = el("ul")));
          ul.append(el("li", {}, ...inline(view, bullet[1], cites)));
        } else {
          ul = null;
          if (p) p.append(el("br"));
          else frag.append((p = el("p")));
          p.append(...inline(view, line, cites));
        }
      }
    }
    return frag;
  }

  function sourceList(view, cites) {
    const ol = el("ol", { class: "source-list" });
    for (const [n, c] of [...cites.entries()].sort((a, b) => a[0] - b[0])) {
      const where = [viewer.sectionLabel(c.section), c.page ? `page ${c.page}` : ""].filter(Boolean).join(" · ");
      ol.append(el("li", { id: `src-${view.n}-${n}`, value: String(n) },
        el("button", {
          type: "button", class: "source-open", text: c.doc_title || c.doc_id || "Source",
          "aria-label": `Open source ${n} in the citation viewer: ${c.doc_title || c.doc_id || ""}`,
          onclick: (e) => viewer.open(c, e.currentTarget),
        }),
        where ? el("span", { class: "source-where", text: where }) : null,
        c.quote ? el("blockquote", { class: "source-quote", text: c.quote }) : null));
    }
    // A long list (one source per record of a lookup) starts folded.
    return el("details", { class: "sources", open: cites.size <= 6 },
      el("summary", { text: `Sources (${cites.size})` }), ol);
  }

  const cell = (v) => (Array.isArray(v) ? v.filter(Boolean).join("; ") : v === null || v === undefined ? "" : String(v));
  const RECORD_COLUMNS = [["ref", "Ref"], ["title", "Title"], ["due_raw", "Due"], ["owners", "Owners"], ["section", "Section"]];

  function csvLink(data, records) {
    const direct = data.records_csv || data.csv_url;
    const filters = [data.records_query, data.record_query, data.filters, data.query]
      .find((f) => f && typeof f === "object" && !Array.isArray(f));
    let href;
    if (typeof direct === "string") href = direct;
    else if (filters) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(filters)) {
        if (v !== null && v !== undefined && v !== "" && v !== false) params.set(k, String(v));
      }
      href = `/records.csv?${params}`;
    } else { // no filters given: the rows shown, as CSV made here
      const quote = (v) => `"${cell(v).replace(/"/g, '""')}"`;
      const rows = [RECORD_COLUMNS.map((c) => c[1]).concat("Document"),
        ...records.map((r) => RECORD_COLUMNS.map((c) => r[c[0]]).concat(r.doc_title || r.doc_id))];
      href = URL.createObjectURL(new Blob([rows.map((r) => r.map(quote).join(",")).join("\n") + "\n"], { type: "text/csv" }));
    }
    return el("a", { class: "csv-link", href, download: "records.csv", text: "Download CSV" });
  }

  function recordTable(data) {
    const records = data.records.filter((r) => r && typeof r === "object");
    const count = `${records.length} record${records.length === 1 ? "" : "s"}`;
    const table = el("table", { class: "records" },
      el("caption", { class: "visually-hidden", text: `${count} found` }),
      el("thead", {}, el("tr", {}, ...RECORD_COLUMNS.map(([, h]) => el("th", { scope: "col", text: h })))),
      el("tbody", {}, ...records.map((r) => el("tr", {},
        ...RECORD_COLUMNS.map(([k]) => el(k === "ref" ? "th" : "td", { scope: k === "ref" ? "row" : null, class: `col-${k}` },
          cell(r[k]) || "—"))))));
    return el("section", { class: "records-block", "aria-label": "Records" },
      el("div", { class: "records-head" }, el("h3", { text: count }), csvLink(data, records)),
      el("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "Records table" }, table));
  }

  function renderAnswer(view, data, asked) {
    const cites = citationMap(data);
    view.answer.replaceChildren(answerBody(view, data.answer || "(No answer text was returned.)", cites));
    const extras = [];
    const q = typeof data.question === "string" ? data.question.trim() : "";
    if (q && q.toLowerCase() !== asked.toLowerCase()) { // a follow-up, rewritten as a standalone question
      view.bubble.prepend(el("p", { class: "understood", text: `Understood as: ${q}` }));
    }
    if (Array.isArray(data.records) && data.records.length) extras.push(recordTable(data));
    if (cites.size) extras.push(sourceList(view, cites));
    if (data.route) {
      extras.push(el("p", { class: "meta" }, el("span", {
        class: `route route-${data.route}`, title: ROUTES[data.route] || "", text: data.route,
      }), el("span", { class: "visually-hidden", text: ROUTES[data.route] ? `: ${ROUTES[data.route]}` : "" })));
    }
    view.bubble.append(...extras);
  }

  function renderError(view, err) {
    const status = err && err.status ? ` (HTTP ${err.status})` : "";
    const detail = (err && err.message) || "the server could not be reached";
    view.li.classList.add("msg-error");
    view.answer.replaceChildren(el("div", { class: "error", role: "alert" },
      el("strong", { text: `Sorry, that question could not be answered${status}.` }), el("p", { text: detail })));
  }

  // ------------------------------------------------------------------ controls

  function newConversation() {
    if (state.abort) state.abort.abort();
    Object.assign(state, { conversationId: null, busy: false, abort: null });
    sendBtn.disabled = false;
    list.replaceChildren();
    intro.hidden = false;
    viewer.close();
    input.value = "";
    autosize();
    input.focus();
  }

  function autosize() {
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight, 200)}px`;
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (state.busy || !input.value.trim()) return;
    const q = input.value;
    input.value = "";
    autosize();
    ask(q);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
  });
  input.addEventListener("input", autosize);
  $("new-conversation").addEventListener("click", newConversation);
  for (const chip of document.querySelectorAll(".chip")) {
    chip.addEventListener("click", () => ask(chip.textContent));
  }
  window.planchatChat = { ask, state };
})();
