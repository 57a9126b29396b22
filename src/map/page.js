(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var svg = document.querySelector("svg.map");
  var panel = document.getElementById("details");
  var nodes = {};
  var edgesOf = {};
  var pinned = null;

  Array.prototype.forEach.call(svg.querySelectorAll(".node"), function (el) {
    var key = el.getAttribute("data-key");
    nodes[key] = el;
    edgesOf[key] = [];
  });
  Array.prototype.forEach.call(svg.querySelectorAll(".edge"), function (edge) {
    var from = edge.getAttribute("data-from");
    var to = edge.getAttribute("data-to");
    if (edgesOf[from]) { edgesOf[from].push({ edge: edge, other: to }); }
    if (edgesOf[to]) { edgesOf[to].push({ edge: edge, other: from }); }
  });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  function clear() {
    svg.classList.remove("focus");
    Array.prototype.forEach.call(svg.querySelectorAll(".hl, .current"), function (e) {
      e.classList.remove("hl");
      e.classList.remove("current");
    });
    panel.hidden = true;
  }

  function fill(key) {
    var info = data.nodes[key] || {};
    panel.textContent = "";
    var close = el("button", "close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", function () { pinned = null; clear(); });
    panel.appendChild(close);
    panel.appendChild(el("div", "kind", info.group ? info.kind + " (group)" : info.kind));
    panel.appendChild(el("h3", null, info.id));
    if (info.text) { panel.appendChild(el("p", null, info.text)); }
    var facts = [];
    if (info.status) { facts.push("status: " + info.status); }
    if (info.evk) { facts.push(info.evk); }
    if (typeof info.ev === "number") { facts.push(info.ev + " evidence item" + (info.ev === 1 ? "" : "s") + " behind it"); }
    if (info.group) { facts.push(info.members + " entit" + (info.members === 1 ? "y" : "ies")); }
    if (facts.length) { panel.appendChild(el("p", null, facts.join(" \u00b7 "))); }
    if (info.loc) { panel.appendChild(el("div", "loc", info.loc)); }
    var found = info.f || [];
    if (found.length) {
      panel.appendChild(el("strong", null, found.length + (info.more ? "+" : "") + " finding" + (found.length === 1 && !info.more ? "" : "s")));
      var list = el("ul");
      found.forEach(function (i) {
        var f = data.findings[i];
        if (!f) { return; }
        var li = el("li");
        li.appendChild(el("span", "sev " + f.sev, f.sev));
        li.appendChild(document.createTextNode(" " + f.msg + " "));
        li.appendChild(el("code", null, f.rule));
        if (f.help) { li.appendChild(el("div", "help", f.help)); }
        list.appendChild(li);
      });
      if (info.more) { list.appendChild(el("li", null, "and " + info.more + " more, listed under Findings")); }
      panel.appendChild(list);
      if (info.byrule) {
        panel.appendChild(el("strong", null, "By rule"));
        var rules = el("ul");
        info.byrule.forEach(function (r) {
          var li = el("li");
          li.appendChild(el("span", "sev " + r[1], r[1]));
          li.appendChild(document.createTextNode(" "));
          li.appendChild(el("code", null, r[0]));
          li.appendChild(document.createTextNode(": " + r[2]));
          rules.appendChild(li);
        });
        panel.appendChild(rules);
      }
    } else {
      panel.appendChild(el("p", null, "No findings."));
    }
    var linked = (edgesOf[key] || []).map(function (x) { return x.other; });
    if (linked.length) {
      panel.appendChild(el("strong", null, "Linked to"));
      var ul = el("ul");
      linked.forEach(function (other) {
        var target = nodes[other];
        var li = el("li");
        var a = el("a", null, other);
        if (target && target.id) { a.href = "#" + target.id; }
        li.appendChild(a);
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    }
  }

  // The card goes beside the node, on the side with fewer of its neighbours, so that the
  // highlighted links stay in view.
  function place(node, key) {
    var r = node.getBoundingClientRect();
    var width = panel.offsetWidth || 360;
    var viewport = document.documentElement.clientWidth;
    var centre = (r.left + r.right) / 2;
    var rightward = 0;
    var leftward = 0;
    (edgesOf[key] || []).forEach(function (x) {
      var other = nodes[x.other];
      if (!other) { return; }
      var o = other.getBoundingClientRect();
      if ((o.left + o.right) / 2 > centre) { rightward += 1; } else { leftward += 1; }
    });
    var right = r.right + 12;
    var left = r.left - width - 12;
    var fitsRight = right + width <= viewport - 8;
    var fitsLeft = left >= 8;
    var x = (rightward > leftward && fitsLeft) || !fitsRight ? left : right;
    if (x < 8) { x = 8; }
    panel.style.left = (x + window.scrollX) + "px";
    panel.style.top = (Math.max(r.top, 8) + window.scrollY) + "px";
  }

  function show(key) {
    var node = nodes[key];
    if (!node) { return; }
    clear();
    svg.classList.add("focus");
    node.classList.add("hl");
    node.classList.add("current");
    (edgesOf[key] || []).forEach(function (x) {
      x.edge.classList.add("hl");
      if (nodes[x.other]) { nodes[x.other].classList.add("hl"); }
    });
    fill(key);
    panel.hidden = false;
    place(node, key);
  }

  Object.keys(nodes).forEach(function (key) {
    var node = nodes[key];
    node.addEventListener("mouseenter", function () { if (!pinned) { show(key); } });
    node.addEventListener("mouseleave", function () { if (!pinned) { clear(); } });
    node.addEventListener("focus", function () { if (!pinned || pinned === key) { show(key); } });
    node.addEventListener("blur", function () { if (!pinned) { clear(); } });
    node.addEventListener("click", function (ev) { ev.stopPropagation(); pinned = key; show(key); });
    node.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); pinned = key; show(key); }
    });
  });
  svg.addEventListener("click", function () { pinned = null; clear(); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { pinned = null; clear(); }
  });

  function fromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (target && target.classList && target.classList.contains("node")) {
      pinned = target.getAttribute("data-key");
      var r = target.getBoundingClientRect();
      if (r.top < 0 || r.bottom > window.innerHeight || r.left < 0 || r.right > window.innerWidth) {
        target.scrollIntoView({ block: "center", inline: "center" });
      }
      show(pinned);
      if (target.focus) { target.focus({ preventScroll: true }); }
    }
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
  document.body.setAttribute("data-ready", "true");
})();
