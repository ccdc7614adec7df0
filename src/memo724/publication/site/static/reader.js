/* The memo reader: select a marked span to list its records; #<table>/<id> opens a record.
   Written for this site only; it reads the JSON the build put in the page and builds the panel
   with DOM methods (no HTML strings), so no text of the data is ever parsed as markup. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("memo-data").textContent);
  var panel = document.getElementById("panel");
  var rows = {};       // table -> key -> row
  var quotes = {};     // "table/id" -> [evidence ids]
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
  function link(table, id) {
    var known = rows[table] && rows[table][id];
    return known ? el("a", { href: "#" + table + "/" + id }, [id]) : el("span", {}, [id]);
  }
  function label(table, id) {
    var t = data.tables[table];
    var r = rows[table] && rows[table][id];
    return r && t.label !== t.key ? r[t.label] || "" : "";
  }
  function fragments(evid) {
    return document.querySelectorAll('mark.ev[data-ev="' + CSS.escape(evid) + '"]');
  }
  function clear(cls) {
    document.querySelectorAll("mark." + cls).forEach(function (m) { m.classList.remove(cls); });
  }
  function show(children) {
    panel.replaceChildren.apply(panel, children);
    panel.classList.add("open");
  }
  function closeButton() {
    var b = el("button", { type: "button", class: "close", "aria-label": "Close the panel" }, ["\u00d7"]);
    b.addEventListener("click", function () { panel.classList.remove("open"); });
    return b;
  }
  function recordItem(table, id, evid) {
    var item = el("li", { "data-record": table + "/" + id }, [
      el("span", { class: "kind k" + data.kinds[table] }, [singular(table)]), " ",
      link(table, id)
    ]);
    var text = label(table, id);
    if (text) { item.appendChild(el("span", { class: "label" }, [": " + text])); }
    if (evid) {
      data.evidence[evid].c.forEach(function (ref) {
        item.appendChild(el("span", { class: "cites" }, [" (" + ref[0] + " ", link(ref[1], ref[2]), ")"]));
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
    fragments(chain[0]).forEach(function (f) { f.classList.add("sel"); });
    var list = el("ul", { id: "selection", class: "records" },
      chain.map(function (evid) {
        var e = data.evidence[evid];
        return recordItem(e.t, e.id, evid);
      }));
    var quote = data.evidence[chain[0]].q;
    show([closeButton(),
      el("h2", {}, ["Records at this span"]),
      el("blockquote", { class: "quote" }, [quote]),
      el("p", { class: "hint" }, [chain.length === 1 ? "One record is supported here." :
        "The selected span first, then the spans that hold it:"]),
      list]);
  }

  function fieldValue(table, field, value) {
    var target = data.tables[table].refs[field];
    return target && rows[target] ? link(target, value) : el("span", {}, [value]);
  }

  /* A record: its fields, its quotes (highlighted in the text) and the rows that point to it. */
  function openRecord(table, id) {
    clear("hl");
    var t = data.tables[table];
    var row = rows[table] && rows[table][id];
    if (!row) {
      show([closeButton(), el("h2", {}, ["No such record"]),
        el("p", {}, ["This package has no row " + id + " in " + table + "."])]);
      return;
    }
    var fields = el("dl", { class: "fields" }, []);
    t.fields.forEach(function (f) {
      if (row[f] === undefined) { return; }
      fields.appendChild(el("dt", {}, [f]));
      fields.appendChild(el("dd", {}, [fieldValue(table, f, row[f])]));
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
        target.scrollIntoView({ block: "center" });
        target.focus({ preventScroll: true });
      });
      return el("li", {}, [button, el("span", { class: "where" }, [" " + data.evidence[evid].p])]);
    }));
    var backlinks = el("ul", { class: "records" }, []);
    Object.keys(data.tables).forEach(function (other) {
      var o = data.tables[other];
      Object.keys(o.refs).forEach(function (f) {
        if (o.refs[f] !== table) { return; }
        o.rows.forEach(function (r) {
          if (r[f] !== id) { return; }
          var parts = [el("span", { class: "kind" }, [other + "." + f]), " "];
          if (o.key) {
            parts.push(link(other, r[o.key]));
          } else {
            Object.keys(o.refs).filter(function (g) { return g !== f && r[g]; })
              .forEach(function (g) { parts.push(link(o.refs[g], r[g]), " "); });
            o.fields.filter(function (g) { return !(g in o.refs) && r[g]; })
              .forEach(function (g) { parts.push("(" + g + ": " + r[g] + ") "); });
          }
          backlinks.appendChild(el("li", {}, parts));
        });
      });
    });
    var children = [closeButton(),
      el("h2", {}, [el("span", { class: "kind k" + data.kinds[table] }, [singular(table)]), " " + id]),
      fields,
      el("h3", {}, [evids.length + (evids.length === 1 ? " quote" : " quotes") + " in the memo"]),
      qlist];
    if (backlinks.children.length) {
      children.push(el("h3", {}, ["Linked from"]), backlinks);
    }
    show(children);
    if (first) { first.scrollIntoView({ block: "center" }); }
  }

  function route() {
    var m = /^#([a-z_]+)\/(.+)$/.exec(location.hash);
    if (m && data.tables[m[1]]) { openRecord(m[1], decodeURIComponent(m[2])); }
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("a, button")) { return; }
    var mark = event.target.closest("mark.ev");
    if (mark && !mark.classList.contains("sample")) { select(mark); }
  });
  document.addEventListener("keydown", function (event) {
    var mark = event.target.closest ? event.target.closest("mark.ev") : null;
    if (mark && !mark.classList.contains("sample") && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(mark);
    }
  });
  window.addEventListener("hashchange", route);
  route();
})();
