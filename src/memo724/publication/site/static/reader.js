/* The memo reader: layers, search, and the records panel.
   - A switch per kind of record draws or hides its marks (hidden marks leave the tab order).
   - Selecting a span (tap, click, or Enter) lists its records in the panel and moves focus there;
     Escape or the close button closes the panel and returns focus to the span.
   - #<table>/<id> opens a record: its fields, its quotes (and, for an actor, every mention of it)
     highlighted in the text, and the rows that point to it, grouped by table.
   - #ev-<id> selects one quote; the search lists passages and records with the words typed.
   Written for this site only; it reads the JSON the build put in the page and builds the panel
   with DOM methods (no HTML strings), so no text of the data is ever parsed as markup. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("memo-data").textContent);
  var panel = document.getElementById("panel");
  var article = document.querySelector("article.memo");
  var rows = {};       // table -> key -> row
  var quotes = {};     // "table/id" -> [evidence ids]
  var origin = null;   // the element focus returns to when the panel closes
  Object.keys(data.tables).forEach(function (name) {
    var t = data.tables[name];
    if (!t.key) { return; }
    rows[name] = {};
    t.rows.forEach(function (r) { rows[name][r[t.key]] = r; });
  });
  Object.keys(data.evidence).forEach(function (id) {
    var e = data.evidence[id];
    var k = e.t + "/" + e.id;
    (quotes[k] = quotes[k] || []).push(id);
  });
  Object.keys(quotes).forEach(function (k) {
    quotes[k].sort(function (a, b) { return data.evidence[a].s - data.evidence[b].s; });
  });

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (a) { node.setAttribute(a, attrs[a]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function singular(table) { return table.replace(/s$/, ""); }
  function words(field) { return field.replace(/_id$/, "").replace(/_/g, " "); }
  function label(table, id) {
    var t = data.tables[table];
    var r = rows[table] && rows[table][id];
    return r && t.label !== t.key ? r[t.label] || "" : "";
  }
  function link(table, id) {
    var known = rows[table] && rows[table][id];
    return known ? el("a", { href: "#" + table + "/" + id }, [label(table, id) || id]) :
      el("span", {}, [id]);
  }
  function profile(table, id) {
    return data.profiles.indexOf(table) >= 0 ?
      el("a", { href: table + "/" + encodeURIComponent(id) + ".html", class: "profile-link" },
        ["Read the " + singular(table) + "\u2019s profile"]) : null;
  }
  function fragments(evid) {
    return document.querySelectorAll('mark.ev[data-ev="' + CSS.escape(evid) + '"]');
  }
  function clear(cls) {
    document.querySelectorAll("." + cls).forEach(function (m) { m.classList.remove(cls); });
  }

  /* The panel: a heading that takes focus, a close button, then the content. */
  function show(title, children) {
    var heading = el("h2", { id: "panel-h", tabindex: "-1" }, title);
    var close = el("button", { type: "button", class: "close", "aria-label": "Close the records" },
      ["\u00d7"]);
    close.addEventListener("click", closePanel);
    panel.replaceChildren.apply(panel, [close, heading].concat(children.filter(Boolean)));
    panel.classList.add("open");
    panel.scrollTop = 0;
    heading.focus({ preventScroll: true });
  }
  var hint = Array.prototype.slice.call(panel.childNodes);
  function closePanel() {
    clear("sel");
    clear("hl");
    panel.classList.remove("open");
    panel.replaceChildren.apply(panel, hint);
    if (/^#([a-z_]+\/|ev-|panel$)/.test(location.hash)) {
      history.replaceState(null, "", location.pathname + location.search);
    }
    var back = origin;
    origin = null;
    if (back && document.contains(back)) {
      if (!back.hasAttribute("tabindex")) { back.setAttribute("tabindex", "-1"); }
      back.focus({ preventScroll: true });
      back.scrollIntoView({ block: "nearest" });
    }
  }

  /* Put a quote where the panel does not cover it: near the top of what is visible. */
  function reveal(node) { node.scrollIntoView({ block: "start" }); }
  function uncover(node) {
    if (!node || getComputedStyle(panel).position !== "fixed") { return; }
    if (node.getBoundingClientRect().bottom > panel.getBoundingClientRect().top) { reveal(node); }
  }

  function recordItem(table, id, evid) {
    var hidden = !layerOn(table);
    var item = el("li", { "data-record": table + "/" + id }, [
      el("span", { class: "kind k" + data.kinds[table] }, [singular(table)]), " ", link(table, id)
    ]);
    if (hidden) { item.appendChild(el("span", { class: "count" }, [" (layer hidden)"])); }
    if (evid) {
      data.evidence[evid].c.forEach(function (ref) {
        item.appendChild(el("span", { class: "cites" }, [" (" + words(ref[0]) + ": ", link(ref[1], ref[2]), ")"]));
      });
    }
    return item;
  }

  /* Selecting a span lists its record, then the records of every span around it. */
  function select(mark) {
    var chain = [];
    for (var m = mark; m; m = m.parentElement ? m.parentElement.closest("mark.ev") : null) {
      if (chain.indexOf(m.dataset.ev) < 0) { chain.push(m.dataset.ev); }
    }
    clear("sel");
    clear("hl");
    fragments(chain[0]).forEach(function (f) { f.classList.add("sel"); });
    origin = fragments(chain[0])[0];
    var list = el("ul", { id: "selection", class: "records" },
      chain.map(function (evid) {
        var e = data.evidence[evid];
        return recordItem(e.t, e.id, evid);
      }));
    show(["Records at this span"], [
      el("blockquote", { class: "quote" }, [data.evidence[chain[0]].q]),
      el("p", { class: "hint" }, [chain.length === 1 ? "One record is supported here." :
        "The selected span first, then the spans that hold it:"]),
      list]);
    uncover(origin);
  }

  function fieldValue(table, field, value) {
    var target = data.tables[table].refs[field];
    return target && rows[target] ? link(target, value) : el("span", {}, [value]);
  }

  /* The rows of other tables that point to a record, one group per table and field; a group of
     more than ten starts folded. */
  function backlinks(table, id) {
    var groups = [];
    Object.keys(data.tables).forEach(function (other) {
      var o = data.tables[other];
      Object.keys(o.refs).forEach(function (f) {
        if (o.refs[f] !== table) { return; }
        var items = [];
        o.rows.forEach(function (r) {
          if (r[f] !== id) { return; }
          var parts = [];
          if (o.key) {
            parts.push(link(other, r[o.key]));
          } else {
            Object.keys(o.refs).filter(function (g) { return g !== f && r[g]; })
              .forEach(function (g) { parts.push(link(o.refs[g], r[g]), " "); });
            o.fields.filter(function (g) { return !(g in o.refs) && r[g]; })
              .forEach(function (g) { parts.push("(" + words(g) + ": " + r[g] + ") "); });
          }
          items.push(el("li", {}, parts));
        });
        if (items.length) {
          var attrs = items.length <= 10 ? { class: "group", open: "" } : { class: "group" };
          groups.push(el("details", attrs, [
            el("summary", {}, [other + " (as " + words(f) + "): " + items.length]),
            el("ul", { class: "records" }, items)]));
        }
      });
    });
    return groups;
  }

  /* A record: its fields, its quotes (highlighted in the text) and the rows that point to it. */
  function openRecord(table, id) {
    clear("hl");
    clear("sel");
    var t = data.tables[table];
    var row = rows[table] && rows[table][id];
    if (!row) {
      show(["No such record"], [el("p", {}, ["This package has no row " + id + " in " + table + "."])]);
      return;
    }
    var fields = el("dl", { class: "fields" }, []);
    t.fields.forEach(function (f) {
      if (row[f] === undefined || f === t.key) { return; }
      fields.appendChild(el("dt", {}, [words(f)]));
      fields.appendChild(el("dd", { "data-field": f }, [fieldValue(table, f, row[f])]));
    });
    var evids = quotes[table + "/" + id] || [];
    var first = null;
    var qlist = el("ol", { id: "record-quotes", class: "quotes" }, evids.map(function (evid) {
      var frs = fragments(evid);
      frs.forEach(function (f) { f.classList.add("hl"); });
      if (!first && frs.length) { first = frs[0]; }
      var button = el("button", { type: "button", class: "quote", "data-ev": evid },
        ["\u201c" + data.evidence[evid].q + "\u201d"]);
      button.addEventListener("click", function () {
        var target = fragments(evid)[0];
        reveal(target);
        target.focus({ preventScroll: true });
      });
      return el("li", {}, [button, el("span", { class: "where" }, [" " + data.evidence[evid].p])]);
    }));
    var mentions = [];
    if (table === "actors") {
      mentions = Array.prototype.slice.call(
        document.querySelectorAll('.mn[data-a~="' + CSS.escape(id) + '"]'));
      mentions.forEach(function (m) { m.classList.add("hl"); });
      if (mentions.length && (!first || mentions[0].compareDocumentPosition(first) &
          Node.DOCUMENT_POSITION_FOLLOWING)) { first = mentions[0]; }
    }
    var groups = backlinks(table, id);
    var heading = [el("span", { class: "kind k" + data.kinds[table] }, [singular(table)]), " ",
      label(table, id) || id];
    show(heading, [
      profile(table, id),
      fields,
      el("h3", {}, [evids.length + (evids.length === 1 ? " quote" : " quotes") + " in the memo" +
        (mentions.length ? "; " + mentions.length + " mentions highlighted" : "")]),
      qlist,
      groups.length ? el("h3", {}, ["Linked from"]) : null
    ].concat(groups));
    origin = origin || first;
    if (first) { reveal(first); }
  }

  /* Layers: one switch per kind of record. */
  function layerOn(table) {
    var box = document.querySelector('#layers input[value="' + CSS.escape(table) + '"]');
    return !box || box.checked;
  }
  function redraw() {
    var on = {};
    document.querySelectorAll("#layers input").forEach(function (b) { on[b.value] = b.checked; });
    var marks = article.querySelectorAll("mark.ev");
    marks.forEach(function (m) {
      var visible = on[m.dataset.t] !== false;
      m.classList.toggle("off", !visible);
      if (m.id) { m.setAttribute("tabindex", visible ? "0" : "-1"); }
    });
    article.querySelectorAll(".passage").forEach(function (p) {
      var deepest = 0;
      p.querySelectorAll("mark.ev:not(.off)").forEach(function (m) {
        var d = 1;
        for (var a = m.parentElement.closest("mark.ev"); a; a = a.parentElement.closest("mark.ev")) {
          if (!a.classList.contains("off")) { d += 1; }
        }
        m.style.setProperty("--d", d);
        if (d > deepest) { deepest = d; }
      });
      p.style.setProperty("--dmax", deepest);
    });
  }
  document.getElementById("layers").addEventListener("change", redraw);
  /* The layer switches start folded on a phone, so the memo starts on the first screen. */
  if (window.matchMedia("(min-width: 821px)").matches) {
    document.getElementById("legend").open = true;
  }
  function showLayer(table) {
    var box = document.querySelector('#layers input[value="' + CSS.escape(table) + '"]');
    if (box && !box.checked) { box.checked = true; redraw(); }
  }

  /* Search: passages whose text holds the words, then records whose summary or name does. */
  function snippet(text, at, length) {
    var from = Math.max(0, at - 60), to = Math.min(text.length, at + length + 60);
    return [(from ? "\u2026" : "") + text.slice(from, at), el("strong", {}, [text.slice(at, at + length)]),
      text.slice(at + length, to) + (to < text.length ? "\u2026" : "")];
  }
  function search(query) {
    var q = query.trim().toLowerCase();
    if (q.length < 2) {
      show(["Search"], [el("p", { class: "hint" }, ["Type at least two characters."])]);
      return;
    }
    var passageHits = el("ol", { id: "hits-passages", class: "hits" }, []);
    var total = 0;
    article.querySelectorAll(".passage").forEach(function (p) {
      var text = p.textContent;
      var lower = text.toLowerCase();
      var at = lower.indexOf(q), n = 0, first = at;
      while (at >= 0) { n += 1; at = lower.indexOf(q, at + q.length); }
      if (!n) { return; }
      total += n;
      passageHits.appendChild(el("li", {}, [
        el("a", { href: "#" + p.id }, [p.dataset.passage]),
        el("span", { class: "count" }, [" " + n + (n === 1 ? " hit: " : " hits: ")]),
        el("span", { class: "snippet" }, snippet(text, first, q.length))]));
    });
    var recordHits = el("ul", { id: "hits-records", class: "records" }, []);
    Object.keys(data.tables).forEach(function (name) {
      var t = data.tables[name];
      if (!t.key || t.label === t.key) { return; }
      t.rows.forEach(function (r) {
        var text = r[t.label] || "";
        var at = text.toLowerCase().indexOf(q);
        if (at < 0) { return; }
        var first = (quotes[name + "/" + r[t.key]] || [])[0];
        recordHits.appendChild(el("li", { "data-record": name + "/" + r[t.key] }, [
          el("span", { class: "kind k" + data.kinds[name] }, [singular(name)]), " ",
          el("a", { href: "#" + name + "/" + r[t.key] }, snippet(text, at, q.length)),
          first ? el("span", { class: "where" }, [" " + data.evidence[first].p]) : null
        ].filter(Boolean)));
      });
    });
    show(["Search: \u201c" + query.trim() + "\u201d"], [
      el("h3", {}, [passageHits.children.length + " passages of the memo (" + total + " hits)"]),
      passageHits,
      el("h3", {}, [recordHits.children.length + " records"]),
      recordHits]);
  }
  document.getElementById("tools").addEventListener("submit", function (event) {
    event.preventDefault();
    origin = document.getElementById("q");
    search(origin.value);
  });

  /* The skip link from the text to the records: open the panel (a phone hides it when closed)
     and move focus to its heading, every time it is followed. */
  function toRecords() {
    origin = origin || document.activeElement;
    panel.classList.add("open");
    document.getElementById("panel-h").focus({ preventScroll: true });
    uncover(origin);
  }
  document.getElementById("to-records").addEventListener("click", function (event) {
    event.preventDefault();
    toRecords();
  });

  function route() {
    var m = /^#([a-z_]+)\/(.+)$/.exec(location.hash);
    if (m && data.tables[m[1]]) {
      openRecord(m[1], decodeURIComponent(m[2]));
      return;
    }
    var e = /^#ev-(.+)$/.exec(location.hash);
    if (e && data.evidence[decodeURIComponent(e[1])]) {
      var evid = decodeURIComponent(e[1]);
      showLayer(data.evidence[evid].t);
      var mark = fragments(evid)[0];
      select(mark);
      reveal(mark);
      return;
    }
    if (location.hash === "#panel") { toRecords(); return; }
    var p = /^#p-(.+)$/.exec(location.hash);
    var passage = p && document.getElementById("p-" + decodeURIComponent(p[1]));
    if (passage) { reveal(passage); passage.focus({ preventScroll: true }); }
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("a, button, input, label, summary")) { return; }
    var mark = event.target.closest("article mark.ev:not(.off)");
    if (mark) { select(mark); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && (panel.classList.contains("open") || panel.contains(document.activeElement))) {
      event.preventDefault();
      closePanel();
      return;
    }
    var mark = event.target.closest ? event.target.closest("article mark.ev") : null;
    if (mark && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(mark);
    }
  });
  window.addEventListener("hashchange", route);
  route();
})();
