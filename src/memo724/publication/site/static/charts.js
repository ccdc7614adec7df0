/* Draw the page's chart with the bundled Vega (its spec compiled to Vega at build time, so the
   browser does not compile Vega-Lite; nothing is fetched), and make it usable without a mouse:
   hover (a mouse), a tap (a touch screen) or the arrow keys (the chart is one tab stop) select a
   mark and show its details under the chart, in a live region; Enter, a click, or a second tap on
   the selected mark opens it in the memo reader. Vega has no keyboard model of its own, hence
   this small handler. */
(function () {
  "use strict";
  var holder = document.getElementById("chart");
  var detail = document.getElementById("chart-detail");
  var spec = JSON.parse(document.getElementById("chart-spec").textContent);
  var data = JSON.parse(document.getElementById("chart-items").textContent);
  var key = data.key;
  var items = data.items;
  var byId = {};
  var names = {};
  items.forEach(function (item, i) { byId[item.id] = i; names[item.id] = item.label; });
  var filter = document.getElementById("relation-type");
  var view = null;
  var current = -1;
  var pointer = "mouse";

  function text(tag, content, cls) {
    var el = document.createElement(tag);
    el.textContent = content;
    if (cls) el.className = cls;
    return el;
  }

  function relation() { return filter ? filter.value : ""; }

  // An actor's links (of the chosen type), by type and direction, and the actors at their ends.
  function links(id) {
    var groups = {};
    var near = [];
    data.links.forEach(function (l) {
      if (relation() && l.type !== relation()) return;
      if (l.source !== id && l.target !== id) return;
      var other = l.source === id ? l.target : l.source;
      var label = l.type === "shared event" ? "same event as" :
        (l.source === id ? l.type + " →" : "← " + l.type);
      (groups[label] = groups[label] || []).push(names[other] || other);
      near.push(other);
    });
    return { groups: groups, near: near };
  }

  function signals(id, near) {
    if (!view) return;
    view.signal("sel", id);
    if (data.links.length) view.signal("nb", near);
    view.runAsync();
  }

  function show(index) {
    current = index;
    detail.textContent = "";
    if (index < 0) {
      detail.appendChild(text("p", "Nothing selected.", "hint"));
      signals("", "");
      return;
    }
    var item = items[index];
    detail.appendChild(text("p", item.label, "detail-title"));
    var list = document.createElement("dl");
    list.className = "fields";
    item.fields.forEach(function (f) {
      list.appendChild(text("dt", f[0]));
      list.appendChild(text("dd", String(f[1])));
    });
    var near = [];
    if (data.links.length) {
      var found = links(item.id);
      near = found.near;
      var types = Object.keys(found.groups).sort();
      list.appendChild(text("dt", "linked"));
      list.appendChild(text("dd", types.length ? types.map(function (t) {
        return t + " " + found.groups[t].sort().join(", ");
      }).join("; ") : "to nothing" + (relation() ? " by " + relation() : "")));
    }
    detail.appendChild(list);
    var open = text("a", "Open in the memo reader");
    open.href = item.href;
    detail.appendChild(open);
    signals(item.id, near.length ? "|" + near.join("|") + "|" : "");
  }

  // Keep the selected mark in sight, above the details at the window's foot.
  function reveal(index) {
    if (!view || index < 0) return;
    var id = items[index].id;
    var box = null;
    (function walk(node) {
      (node.items || []).forEach(function (it) {
        if (box) return;
        var b = it.bounds;
        if (it.datum && it.datum[key] === id && b && b.y2 > b.y1) box = b;
        else walk(it);
      });
    })(view.scenegraph().root);
    if (!box) return;
    var style = getComputedStyle(holder);
    var offset = holder.getBoundingClientRect().top + parseFloat(style.paddingTop) + view.origin()[1];
    var top = offset + box.y1;
    var bottom = offset + box.y2;
    var room = window.innerHeight - detail.getBoundingClientRect().height;
    if (top < 0) window.scrollBy(0, top - 8);
    else if (bottom > room) window.scrollBy(0, bottom - room + 8);
  }

  function idOf(item) {
    var datum = item && item.datum;
    if (!datum || !Object.prototype.hasOwnProperty.call(datum, key)) return null;
    return Object.prototype.hasOwnProperty.call(byId, datum[key]) ? datum[key] : null;
  }

  function follow(index) { window.location.href = items[index].href; }

  function note(e) { pointer = e.pointerType || "mouse"; }
  holder.addEventListener("pointerover", note, true);
  holder.addEventListener("pointerdown", note, true);

  holder.addEventListener("keydown", function (e) {
    var next = null;
    if (e.key === "ArrowRight" || e.key === "ArrowDown") next = Math.min(current + 1, items.length - 1);
    else if (e.key === "ArrowLeft" || e.key === "ArrowUp") next = Math.max(current - 1, 0);
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = items.length - 1;
    else if (e.key === "Escape") next = -1;
    else if (e.key === "Enter" && current >= 0) { e.preventDefault(); follow(current); return; }
    if (next === null) return;
    e.preventDefault();
    show(next);
    if (view) view.runAsync().then(function () { reveal(next); });
  });

  if (filter) filter.addEventListener("change", function () {
    if (view) view.signal("rel", filter.value).runAsync();
    if (current >= 0) show(current);
  });

  function listen(result) {
    view = result.view;
    view.addEventListener("mouseover", function (event, item) {
      var id = idOf(item);
      if (id !== null && pointer === "mouse" && byId[id] !== current) show(byId[id]);
    });
    view.addEventListener("click", function (event, item) {
      var id = idOf(item);
      if (id === null) return;
      // A mouse hovered the mark first, so its details are shown: the click opens it. A first
      // tap shows the details; a second tap on the same mark opens it.
      if (pointer === "mouse" || byId[id] === current) follow(byId[id]);
      else {
        show(byId[id]);
        view.runAsync().then(function () { reveal(byId[id]); });
      }
    });
    if (filter && filter.value) view.signal("rel", filter.value);
    return view.runAsync();
  }

  window.vegaEmbed(holder, spec, { mode: "vega", renderer: "svg", actions: false, tooltip: false })
    .then(listen)
    .then(function () {
      // The marks are read out in order by the text alternative below the chart, not here.
      var svg = holder.querySelector("svg");
      if (svg) svg.setAttribute("aria-hidden", "true");
      window.memo724Chart = view;
      document.body.setAttribute("data-chart", "ready");
    })
    .catch(function (error) {
      document.body.setAttribute("data-chart", "failed");
      console.error(error);
    });
})();
