// The citation viewer: a side panel showing a cited document with its section
// outline, scrolled to the cited quote, which is highlighted.  Loaded before chat.js,
// which calls window.planchatViewer.open(citation, triggerElement).
"use strict";

(() => {
  const panel = document.getElementById("viewer");
  const titleEl = document.getElementById("viewer-title");
  const metaEl = document.getElementById("viewer-meta");
  const statusEl = document.getElementById("viewer-status");
  const outlineEl = document.getElementById("viewer-outline");
  const textEl = document.getElementById("viewer-text");
  const docs = new Map(); // doc_id -> Promise of the /documents/{id} body
  let trigger = null;
  let openSeq = 0;

  const SEP = " › ";
  const sectionLabel = (s) => (Array.isArray(s) ? s.filter(Boolean).join(SEP) : s || "");

  function fetchDocument(docId) {
    if (!docs.has(docId)) {
      const p = fetch(`/documents/${encodeURIComponent(docId)}`, { headers: { Accept: "application/json" } })
        .then(async (r) => {
          if (!r.ok) throw new Error(`the server replied ${r.status}: ${await errorDetail(r)}`);
          return r.json();
        });
      p.catch(() => docs.delete(docId)); // retry next time
      docs.set(docId, p);
    }
    return docs.get(docId);
  }

  async function errorDetail(response) {
    const body = await response.text();
    try {
      const d = JSON.parse(body).detail;
      if (typeof d === "string") return d;
      if (Array.isArray(d)) return d.map((x) => x.msg || JSON.stringify(x)).join("; ");
      return JSON.stringify(d);
    } catch (_) {
      return body.slice(0, 300) || response.statusText;
    }
  }

  // Text with runs of whitespace collapsed to one space, and for each of its
  // characters the offset of that character in the original.
  function collapse(text) {
    let out = "";
    const map = [];
    let space = false;
    for (let i = 0; i < text.length; i++) {
      if (/\s/.test(text[i])) {
        if (!space && out.length) { out += " "; map.push(i); }
        space = true;
      } else {
        out += text[i];
        map.push(i);
        space = false;
      }
    }
    return { out, map };
  }

  function occurrences(hay, needle) {
    const found = [];
    for (let i = hay.indexOf(needle); i !== -1 && needle; i = hay.indexOf(needle, i + 1)) found.push(i);
    return found;
  }

  // Where the quote occurs in the text: [start, end) or null.  Exact first, then with
  // whitespace collapsed and case ignored, then the longest part of an elided quote.
  // Of several occurrences, the one nearest `near` (the cited section's start) wins.
  function findQuote(text, quote, near) {
    const q = (quote || "").trim();
    if (!q) return null;
    const pick = (starts) => starts.reduce((a, b) => (Math.abs(b - near) < Math.abs(a - near) ? b : a));
    const exact = occurrences(text, q);
    if (exact.length) { const s = pick(exact); return [s, s + q.length]; }
    const t = collapse(text);
    const hay = t.out.toLowerCase();
    const parts = [q, ...q.split(/…|\.\.\./).map((p) => p.trim()).filter((p) => p.length >= 20)
      .sort((a, b) => b.length - a.length)];
    for (const part of parts) {
      const needle = collapse(part).out.toLowerCase();
      const hits = occurrences(hay, needle);
      if (hits.length) {
        const s = pick(hits.map((i) => t.map[i]));
        const i = hits.find((h) => t.map[h] === s);
        return [s, t.map[i + needle.length - 1] + 1];
      }
    }
    return null;
  }

  // Scroll only `box` (never the page) so that `target` sits at the top or the middle.
  function reveal(box, target, middle) {
    const top = target.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    box.scrollTop = Math.max(0, middle ? top - box.clientHeight / 3 : top - 8);
  }

  const pageAt = (pageStarts, offset) =>
    pageStarts && pageStarts.length ? pageStarts.filter((s) => s <= offset).length || 1 : null;

  function sectionFor(sections, citation) {
    const want = sectionLabel(citation.section).toLowerCase();
    if (!want) return null;
    return sections.find((s) => sectionLabel(s.path).toLowerCase() === want)
      || sections.find((s) => sectionLabel(s.path).toLowerCase().endsWith(want))
      || null;
  }

  // The document text as text nodes, with anchors at section starts, page markers
  // at page starts and the quote wrapped in <mark>.
  function renderText(doc, range) {
    const text = doc.text || "";
    const cuts = new Set([0, text.length]);
    const anchors = new Map();
    (doc.sections || []).forEach((s, i) => { if (!anchors.has(s.start)) anchors.set(s.start, i); cuts.add(s.start); });
    const pages = new Map();
    (doc.page_starts || []).forEach((s, i) => { if (i > 0) { pages.set(s, i + 1); cuts.add(s); } });
    if (range) { cuts.add(range[0]); cuts.add(range[1]); }
    const points = [...cuts].filter((c) => c >= 0 && c <= text.length).sort((a, b) => a - b);
    const frag = document.createDocumentFragment();
    let first = null;
    for (let k = 0; k < points.length; k++) {
      const at = points[k];
      if (pages.has(at)) {
        const br = document.createElement("span");
        br.className = "page-break";
        br.dataset.page = pages.get(at);
        br.setAttribute("aria-label", `Page ${pages.get(at)}`);
        frag.append(br);
      }
      if (anchors.has(at)) {
        const a = document.createElement("span");
        a.id = `viewer-sec-${anchors.get(at)}`;
        a.className = "sec-anchor";
        frag.append(a);
      }
      const end = points[k + 1];
      if (end === undefined || end <= at) continue;
      const piece = text.slice(at, end);
      if (range && at >= range[0] && end <= range[1]) {
        const m = document.createElement("mark");
        m.className = "quote-highlight";
        m.textContent = piece;
        frag.append(m);
        first = first || m;
      } else {
        frag.append(document.createTextNode(piece));
      }
    }
    textEl.replaceChildren(frag);
    return first;
  }

  function renderOutline(sections, currentIndex) {
    outlineEl.replaceChildren();
    let current = null;
    sections.forEach((s, i) => {
      const path = Array.isArray(s.path) ? s.path : [String(s.path || "")];
      const li = document.createElement("li");
      li.style.setProperty("--depth", Math.max(0, path.length - 1));
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = path[path.length - 1] || "(start)";
      b.title = sectionLabel(path);
      b.addEventListener("click", () => {
        const a = document.getElementById(`viewer-sec-${i}`);
        if (a) reveal(textEl, a, false);
      });
      if (i === currentIndex) { b.setAttribute("aria-current", "location"); current = b; }
      li.append(b);
      outlineEl.append(li);
    });
    outlineEl.closest("nav").hidden = sections.length === 0;
    if (current) reveal(outlineEl.closest("nav"), current, true);
  }

  async function open(citation, from) {
    const seq = ++openSeq;
    trigger = from || null;
    panel.hidden = false;
    document.body.classList.add("viewer-open");
    titleEl.textContent = citation.doc_title || citation.doc_id || "Source document";
    metaEl.textContent = [sectionLabel(citation.section), citation.page ? `page ${citation.page}` : ""]
      .filter(Boolean).join(" · ");
    statusEl.textContent = "Loading the document…";
    statusEl.className = "viewer-status";
    textEl.replaceChildren();
    outlineEl.replaceChildren();
    panel.focus({ preventScroll: true });
    let doc;
    try {
      doc = await fetchDocument(citation.doc_id);
    } catch (err) {
      if (seq !== openSeq) return;
      statusEl.textContent = `The document could not be loaded: ${err.message}`;
      statusEl.className = "viewer-status viewer-error";
      return;
    }
    if (seq !== openSeq) return;
    const sections = doc.sections || [];
    titleEl.textContent = doc.title || titleEl.textContent;
    const cited = sectionFor(sections, citation);
    const text = doc.text || "";
    const given = Number.isInteger(citation.start) && Number.isInteger(citation.end) && citation.end > citation.start
      && collapse(text.slice(citation.start, citation.end)).out === collapse(citation.quote || "").out;
    const range = given ? [citation.start, citation.end] : findQuote(text, citation.quote, cited ? cited.start : 0);
    const at = range ? range[0] : cited ? cited.start : 0;
    let currentIndex = -1;
    sections.forEach((s, i) => { if (s.start <= at && at < Math.max(s.end, s.start + 1)) currentIndex = i; });
    const mark = renderText(doc, range);
    renderOutline(sections, currentIndex);
    const page = citation.page || pageAt(doc.page_starts, at);
    const where = currentIndex >= 0 ? sectionLabel(sections[currentIndex].path) : sectionLabel(citation.section);
    metaEl.textContent = [where, page ? `page ${page}` : ""].filter(Boolean).join(" · ");
    if (mark) {
      statusEl.textContent = "The cited passage is highlighted below.";
      reveal(textEl, mark, true);
    } else {
      statusEl.textContent = "The exact quote was not found in this version of the document; showing the cited section.";
      statusEl.className = "viewer-status viewer-warning";
      const a = currentIndex >= 0 && document.getElementById(`viewer-sec-${currentIndex}`);
      if (a) reveal(textEl, a, false);
    }
  }

  function close() {
    openSeq++;
    panel.hidden = true;
    document.body.classList.remove("viewer-open");
    if (trigger && document.contains(trigger)) trigger.focus();
    trigger = null;
  }

  document.getElementById("viewer-close").addEventListener("click", close);
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && !panel.hidden) close(); });

  window.planchatViewer = { open, close, findQuote, errorDetail, sectionLabel };
})();
