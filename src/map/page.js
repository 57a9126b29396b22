(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var graph = document.getElementById("graph");
  var svg = graph.querySelector("svg.edges");
  var cols = graph.querySelectorAll(".col .cards");
  var form = document.getElementById("filters");
  var status = document.getElementById("graph-status");
  var panel = document.getElementById("details");
  var SVGNS = "http://www.w3.org/2000/svg";
  var N = data.nodes;
  var SEV_MARK = { error: "\u2716", warning: "\u25b2", info: "\u25cf" };
  var LETTER = { overpromise: "O", evidence: "E", fit: "F", hygiene: "H" };
  var LABEL = { overpromise: "overpromise", evidence: "evidence gap", fit: "fit", hygiene: "hygiene" };

  // Neighbours of every node, the edges touching it, and what the extra filters read.
  var adj = N.map(function () { return []; });
  var edgeList = [];
  var contradicts = {};
  data.contradicts.forEach(function (i) { contradicts[i] = true; });
  for (var i = 0; i + 1 < data.edges.length; i += 2) {
    var a = data.edges[i], b = data.edges[i + 1];
    edgeList.push([a, b, !!contradicts[i / 2]]);
    if (adj[a] && adj[b]) { adj[a].push(b); adj[b].push(a); }
  }
  var need = {};
  data.needs.forEach(function (r) { need[r[0]] = { priority: r[1], unaddressed: r[2], bare: r[3] }; });
  var strength = {};
  data.props.forEach(function (r) { strength[r[0]] = r[1]; });
  var byDom = {};
  var rank = [];
  N.forEach(function (n, i) { byDom[n.dom] = i; });
  data.order.forEach(function (column) { column.forEach(function (v, r) { rank[v] = r; }); });

  var extra = {};   // filters set by the heat maps and the questions, not in the form
  var focus = null; // an entity whose neighbourhood is drawn
  var selected = null;
  var pinned = false;
  var drawn = [];   // node indices drawn
  var cardOf = {};  // node index -> element

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  function fields() {
    var f = {};
    Array.prototype.forEach.call(form.elements, function (e) {
      if (e.name && e.value) { f[e.name] = e.name === "q" ? e.value.trim().toLowerCase() : e.value; }
    });
    return f;
  }

  function findingsOf(n) { return (n.f || []).map(function (i) { return data.findings[i]; }).filter(Boolean); }

  function matches(i, f) {
    var n = N[i];
    if (f.q) {
      var hay = (n.id + " " + (n.t || "") + " " + (n.key || "")).toLowerCase();
      if (hay.indexOf(f.q) < 0) { return false; }
    }
    if (f.kind && data.cols[n.k] !== f.kind) { return false; }
    if (f.segment && (n.s || []).indexOf(+f.segment) < 0) { return false; }
    if (f.nosegment && (n.s || []).length) { return false; }
    if (f.concern && (n.c || []).indexOf(f.concern) < 0) { return false; }
    if (f.severity && (f.severity === "none" ? !!n.sev : n.sev !== f.severity)) { return false; }
    if (f.owner && n.o !== f.owner) { return false; }
    if (f.channel && n.ch !== f.channel) { return false; }
    if (f.rule && !findingsOf(n).some(function (x) { return x.r === f.rule; })) { return false; }
    if (f.family && !findingsOf(n).some(function (x) { return x.r.split("/")[0] === f.family; })) { return false; }
    if (f.priority || f.unaddressed || f.bare) {
      var r = need[i];
      if (!r) { return false; }
      if (f.priority && (f.priority === "low" ? (r.priority === "high" || r.priority === "medium") : r.priority !== f.priority)) { return false; }
      if (f.unaddressed && !r.unaddressed) { return false; }
      if (f.bare && !r.bare) { return false; }
    }
    if (f.evmin !== undefined || f.evmax !== undefined) {
      var s = strength[i];
      if (s === undefined) { return false; }
      if (f.evmin !== undefined && s < +f.evmin) { return false; }
      if (f.evmax !== undefined && s > +f.evmax) { return false; }
    }
    return true;
  }

  // What to draw: an entity's neighbourhood, what the filters match with their neighbours,
  // a segment's slice, or everything when it is small enough.
  function choose() {
    var f = fields();
    Object.keys(extra).forEach(function (k) { f[k] = extra[k]; });
    var keys = Object.keys(f);
    var main = {}, context = {};
    var note = "";
    if (focus !== null) {
      main[focus] = true;
      adj[focus].forEach(function (v) {
        context[v] = true;
        if (data.cols[N[v].k] === "need") {
          adj[v].forEach(function (w) {
            var kind = data.cols[N[w].k];
            if (kind === "evidence" || kind === "feature") { context[w] = true; }
          });
        }
      });
      note = "The neighbourhood of " + N[focus].id;
    } else if (keys.length === 0) {
      if (N.length > data.max) {
        return { list: [], main: {}, note: "This map holds " + N.length.toLocaleString("en") +
          " entities, more than the " + data.max.toLocaleString("en") + " it draws at once. Choose a " +
          "segment, search, click a row of the heat maps or follow a link above to draw part of it." };
      }
      N.forEach(function (_, i) { main[i] = true; });
    } else {
      var onlySegment = keys.length === 1 && f.segment;
      var count = 0;
      N.forEach(function (_, i) { if (matches(i, f)) { main[i] = true; count += 1; } });
      if (!onlySegment) {
        Object.keys(main).forEach(function (v) {
          adj[v].forEach(function (w) {
            if (!main[w] && (!f.segment || (N[w].s || []).indexOf(+f.segment) >= 0 || data.cols[N[w].k] === "feature")) { context[w] = true; }
          });
        });
      }
      note = count.toLocaleString("en") + " of " + N.length.toLocaleString("en") + " entities match" +
        (onlySegment ? "" : ", drawn with the entities they link to");
    }
    var list = Object.keys(main).map(Number);
    var ctx = Object.keys(context).map(Number).filter(function (v) { return !main[v]; });
    var all = list.concat(ctx);
    if (all.length > data.max) {
      note += "; drawing the first " + data.max.toLocaleString("en") + " of " + all.length.toLocaleString("en") + " (narrow the search to see the rest)";
      all = all.slice(0, data.max);
    }
    return { list: all, main: main, note: note };
  }

  function card(i, dim) {
    var n = N[i];
    var c = el("div", "node sev-" + (n.sev || "clean") + (n.c ? " c-" + n.c[0] : "") + (n.st ? " status-" + n.st : "") + (dim ? " ctx" : ""));
    c.id = n.dom;
    c.tabIndex = 0;
    c.setAttribute("data-key", n.key);
    c.setAttribute("data-kind", data.cols[n.k]);
    c.setAttribute("data-id", n.id);
    if (n.sev) { c.setAttribute("data-severity", n.sev); }
    if (n.c) { c.setAttribute("data-concerns", n.c.join(" ")); }
    c.title = n.id + (n.t ? " \u2014 " + n.t : "");
    var head = el("div", "nh");
    if (n.sev) { head.appendChild(el("b", "sm " + n.sev, SEV_MARK[n.sev])); }
    head.appendChild(el("span", "nid", n.id));
    if (typeof n.ev === "number") {
      var badge = el("i", "pill" + (n.ev === 0 ? " zero" : ""), String(n.ev));
      badge.title = n.ev + " evidence item" + (n.ev === 1 ? "" : "s") + " behind it";
      head.appendChild(badge);
    }
    c.appendChild(head);
    // Marks: the concerns of its findings, then marks such as duplicate declarations.
    if (n.c || n.m) {
      var chips = el("div", "chips");
      (n.c || []).forEach(function (k) {
        var chip = el("i", "cc c-" + k, LETTER[k]);
        chip.title = LABEL[k];
        chips.appendChild(chip);
      });
      (n.m || []).forEach(function (m) {
        var mk = el("i", "mk " + m[0], m[1]);
        mk.title = m[2];
        chips.appendChild(mk);
      });
      c.appendChild(chips);
    }
    var text = el("div", "nt");
    if (n.st) { text.appendChild(el("b", "st st-" + n.st, n.st.toUpperCase())); text.appendChild(document.createTextNode(" ")); }
    if (n.evk) { text.appendChild(el("i", "evk", n.evk)); text.appendChild(document.createTextNode(" ")); }
    if (n.t) { text.appendChild(document.createTextNode(n.t)); }
    c.appendChild(text);
    c.setAttribute("aria-label", data.cols[n.k] + " " + n.id + ": " + ((n.f || []).length ? n.f.length + " findings, worst " + n.sev : "no findings"));
    c.addEventListener("mouseenter", function () { if (!pinned) { select(i); } });
    c.addEventListener("mouseleave", function () { if (!pinned) { unselect(); } });
    c.addEventListener("focus", function () { if (!pinned || selected === i) { select(i); } });
    c.addEventListener("click", function (ev) { ev.stopPropagation(); pinned = true; select(i); });
    c.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); pinned = true; select(i); }
    });
    return c;
  }

  function render() {
    var t0 = performance.now();
    unselect();
    var pick = choose();
    status.textContent = pick.note;
    if (Object.keys(extra).length || focus !== null) {
      var all = el("button", "linkish", "Clear");
      all.type = "button";
      all.addEventListener("click", function () { extra = {}; focus = null; form.reset(); render(); });
      status.appendChild(document.createTextNode(" "));
      status.appendChild(all);
    }
    drawn = pick.list.slice().sort(function (x, y) { return N[x].k - N[y].k || rank[x] - rank[y]; });
    cardOf = {};
    Array.prototype.forEach.call(cols, function (c) { c.textContent = ""; });
    var frags = Array.prototype.map.call(cols, function () { return document.createDocumentFragment(); });
    drawn.forEach(function (i) {
      var c = card(i, !pick.main[i]);
      cardOf[i] = c;
      frags[N[i].k].appendChild(c);
    });
    Array.prototype.forEach.call(cols, function (c, k) {
      if (!frags[k].childNodes.length) { frags[k].appendChild(el("p", "empty", "none")); }
      c.appendChild(frags[k]);
    });
    drawEdges();
    graph.setAttribute("data-drawn", String(drawn.length));
    document.body.setAttribute("data-render-ms", String(Math.round(performance.now() - t0)));
  }

  // Lines from the right side of the left card to the left side of the right one.
  function drawEdges() {
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    var box = graph.getBoundingClientRect();
    svg.setAttribute("width", String(graph.scrollWidth));
    svg.setAttribute("height", String(graph.scrollHeight));
    var rects = {};
    drawn.forEach(function (i) { rects[i] = cardOf[i].getBoundingClientRect(); });
    var frag = document.createDocumentFragment();
    edgeList.forEach(function (e) {
      var ra = rects[e[0]], rb = rects[e[1]];
      if (!ra || !rb) { return; }
      var x1 = ra.right - box.left, y1 = (ra.top + ra.bottom) / 2 - box.top;
      var x2 = rb.left - box.left, y2 = (rb.top + rb.bottom) / 2 - box.top;
      var dx = Math.max((x2 - x1) * 0.45, 16);
      var p = document.createElementNS(SVGNS, "path");
      p.setAttribute("class", e[2] ? "edge contradicts" : "edge");
      p.setAttribute("data-from", N[e[0]].key);
      p.setAttribute("data-to", N[e[1]].key);
      p.setAttribute("d", "M" + x1.toFixed(0) + " " + y1.toFixed(0) + "C" + (x1 + dx).toFixed(0) + " " + y1.toFixed(0) + " " +
        (x2 - dx).toFixed(0) + " " + y2.toFixed(0) + " " + x2.toFixed(0) + " " + y2.toFixed(0));
      p._ends = e;
      frag.appendChild(p);
    });
    svg.appendChild(frag);
  }

  function unselect() {
    selected = null;
    graph.classList.remove("focus");
    Array.prototype.forEach.call(graph.querySelectorAll(".hl, .current"), function (e) {
      e.classList.remove("hl");
      e.classList.remove("current");
    });
    panel.hidden = true;
  }

  function select(i) {
    unselect();
    selected = i;
    var c = cardOf[i];
    if (!c) { return; }
    graph.classList.add("focus");
    c.classList.add("hl");
    c.classList.add("current");
    Array.prototype.forEach.call(svg.childNodes, function (p) {
      var e = p._ends;
      if (e && (e[0] === i || e[1] === i)) {
        p.classList.add("hl");
        var other = cardOf[e[0] === i ? e[1] : e[0]];
        if (other) { other.classList.add("hl"); }
      }
    });
    fill(i);
    panel.hidden = false;
    place(c);
  }

  function fill(i) {
    var n = N[i];
    panel.textContent = "";
    var close = el("button", "close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", function () { pinned = false; unselect(); });
    panel.appendChild(close);
    panel.appendChild(el("div", "kind", data.cols[n.k]));
    panel.appendChild(el("h3", null, n.id));
    if (n.t) { panel.appendChild(el("p", null, n.t)); }
    var facts = [];
    if (n.st) { facts.push("status: " + n.st); }
    if (n.evk) { facts.push(n.evk); }
    if (typeof n.ev === "number") { facts.push(n.ev + " evidence item" + (n.ev === 1 ? "" : "s") + " behind it"); }
    if (n.o) { facts.push("owner: " + n.o); }
    if (n.ch) { facts.push("channel: " + n.ch); }
    (n.m || []).forEach(function (m) { facts.push(m[2]); });
    if (facts.length) { panel.appendChild(el("p", null, facts.join(" \u00b7 "))); }
    if (n.loc) { panel.appendChild(el("div", "loc", n.loc)); }
    var found = findingsOf(n);
    if (found.length) {
      panel.appendChild(el("strong", null, found.length + " finding" + (found.length === 1 ? "" : "s")));
      var list = el("ul");
      found.forEach(function (f) {
        var li = el("li");
        li.appendChild(el("span", "sev " + f.s, f.s));
        li.appendChild(document.createTextNode(" " + f.m + " "));
        li.appendChild(el("code", null, f.r));
        if (f.h !== undefined) { li.appendChild(el("div", "help", data.helps[f.h])); }
        list.appendChild(li);
      });
      panel.appendChild(list);
    } else {
      panel.appendChild(el("p", null, "No findings."));
    }
    if (adj[i].length) {
      panel.appendChild(el("strong", null, "Linked to"));
      var ul = el("ul");
      adj[i].forEach(function (v) {
        var li = el("li");
        var a = el("a", null, data.cols[N[v].k] + " " + N[v].id);
        a.href = "#" + N[v].dom;
        li.appendChild(a);
        ul.appendChild(li);
      });
      panel.appendChild(ul);
      var hood = el("button", "linkish", "Draw its neighbourhood");
      hood.type = "button";
      hood.addEventListener("click", function () { goTo(i, true); });
      panel.appendChild(hood);
    }
  }

  // The card goes beside the node, on the side with more room.
  function place(node) {
    var r = node.getBoundingClientRect();
    var width = panel.offsetWidth || 360;
    var viewport = document.documentElement.clientWidth;
    var x = r.right + 12 + width <= viewport - 8 ? r.right + 12 : r.left - width - 12;
    if (x < 8) { x = Math.max(8, viewport - width - 8); }
    panel.style.left = (x + window.scrollX) + "px";
    panel.style.top = (Math.max(r.top, 8) + window.scrollY) + "px";
  }

  // Shows an entity: drawn already, it is selected; else its neighbourhood is drawn first.
  function goTo(i, neighbourhood) {
    if (neighbourhood || !cardOf[i]) {
      focus = i;
      extra = {};
      form.reset();
      render();
    }
    var c = cardOf[i];
    if (!c) { return; }
    var r = c.getBoundingClientRect();
    if (r.top < 0 || r.bottom > window.innerHeight) { c.scrollIntoView({ block: "center" }); }
    pinned = true;
    select(i);
    if (c.focus) { c.focus({ preventScroll: true }); }
  }

  function fromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id && byDom[id] !== undefined) { goTo(byDom[id], false); }
  }

  // Heat-map cells and segment names filter the graph.
  function applyFilter(target) {
    var seg = target.getAttribute("data-seg");
    var spec = target.getAttribute("data-filter") || "";
    form.reset();
    extra = {};
    focus = null;
    spec.split("&").forEach(function (kv) {
      if (!kv) { return; }
      var p = kv.split("=");
      var field = form.elements[p[0]];
      if (field && field.tagName === "SELECT") { field.value = p[1]; } else { extra[p[0]] = p[1]; }
    });
    if (seg === "none") { extra.nosegment = "1"; } else if (seg !== null) { form.elements.segment.value = seg; }
    render();
    graph.scrollIntoView({ block: "start" });
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-seg]"), function (cell) {
    cell.addEventListener("click", function () { applyFilter(cell); });
    cell.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); applyFilter(cell); }
    });
  });

  var pending = null;
  form.addEventListener("input", function () {
    focus = null;
    clearTimeout(pending);
    pending = setTimeout(render, 120);
  });
  document.getElementById("clear").addEventListener("click", function () {
    form.reset();
    extra = {};
    focus = null;
    render();
  });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); render(); });
  graph.addEventListener("click", function () { pinned = false; unselect(); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { pinned = false; unselect(); }
  });
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () { drawEdges(); if (selected !== null) { select(selected); } }, 100);
  });
  window.addEventListener("hashchange", fromHash);

  render();
  fromHash();
  document.body.setAttribute("data-ready", "true");
})();
