// Filters for a list (the timeline, the agreements): narrow its rows by the choices in form#filters. The
// state lives in the URL (?partner=IT&tag=uav), so a filtered view can be shared, reloaded and left with the
// back button. Each select says which data- attribute of a row it reads (data-field) and how (data-match:
// "word", one of its words; "equal"; "min" and "max", numbers). Rows are the [data-row] elements inside
// [data-filtered]; groups ([data-group], such as a year) are hidden when none of their rows is shown.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var list = document.querySelector("[data-filtered]");
  if (!form || !list) return;
  var controls = Array.prototype.slice.call(form.querySelectorAll("select[data-field]"));
  var names = controls.map(function (control) { return control.name; });
  var rows = Array.prototype.slice.call(list.querySelectorAll("[data-row]"));
  var groups = Array.prototype.slice.call(list.querySelectorAll("[data-group]"));
  var status = document.getElementById("filter-status");
  var empty = document.getElementById("filter-empty");
  var download = document.getElementById("filter-download");
  var groupLinks = Array.prototype.slice.call(document.querySelectorAll("[data-group-link]"));
  var citation = document.getElementById("view-citation");
  var words = pageWords();
  var plurals = new Intl.PluralRules(document.documentElement.lang || "en");
  var current = {};

  // The page's words for what this script says (see timeline/script_words.py), in the page's language.
  function pageWords() {
    var block = document.getElementById("page-words");
    return block ? JSON.parse(block.textContent) : {};
  }

  function counted(forms, count) {
    var text = forms[plurals.select(count)] || forms.other;
    return text.replace("{count}", count.toLocaleString(document.documentElement.lang || "en"));
  }

  function filled(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, name) { return name in values ? values[name] : whole; });
  }

  function stateFromUrl() {
    var params = new URLSearchParams(window.location.search);
    var state = {};
    names.forEach(function (name) { state[name] = params.get(name) || ""; });
    return state;
  }

  function stateFromForm() {
    var state = {};
    names.forEach(function (name) { state[name] = form.elements[name].value; });
    return state;
  }

  function urlFor(state) {
    var params = new URLSearchParams();
    names.forEach(function (name) { if (state[name]) params.set(name, state[name]); });
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "") + window.location.hash;
  }

  function matches(row, state) {
    return controls.every(function (control) {
      var wanted = state[control.name];
      if (!wanted) return true;
      var value = row.dataset[control.dataset.field] || "";
      switch (control.dataset.match) {
        case "word": return value.split(" ").indexOf(wanted) >= 0;
        case "min": return Number(value) >= Number(wanted);
        case "max": return Number(value) <= Number(wanted);
        default: return value === wanted;
      }
    });
  }

  function show(state) {
    names.forEach(function (name) {
      var control = form.elements[name];
      control.value = state[name];
      if (control.value !== state[name]) { state[name] = ""; control.value = ""; }  // not an option here
    });
    current = state;
    var filtered = names.some(function (name) { return state[name]; });
    var shown = 0;
    rows.forEach(function (row) {
      row.hidden = !matches(row, state);
      if (!row.hidden) shown += 1;
    });
    var shownGroups = {};
    groups.forEach(function (group) {
      var visible = group.querySelectorAll("[data-row]:not([hidden])").length;
      group.hidden = visible === 0;
      var count = group.querySelector("[data-group-count]");
      if (count) {
        if (!count.dataset.total) count.dataset.total = count.textContent;
        count.textContent = filtered ? filled(words.groupShown, { shown: visible, total: count.dataset.total })
          : count.dataset.total;
      }
      if (visible) shownGroups[group.id] = true;
    });
    groupLinks.forEach(function (link) {
      link.parentNode.hidden = filtered && !shownGroups[link.dataset.groupLink];
    });
    var all = counted(words.count, rows.length);
    status.textContent = filtered ? filled(words.shown, { shown: shown, total: all }) : all + ".";
    if (empty) empty.hidden = shown > 0;
    if (download) download.textContent = filtered ? counted(words.downloadSome, shown) : words.downloadAll;
    if (citation && words.citeView) citation.textContent = viewCitation(state, filtered);
  }

  // "Cite this view": the list's title with the chosen filters in words, its address with them, and today as
  // the day it was seen (a filtered view is what the reader saw, not what the build wrote).
  function viewCitation(state, filtered) {
    var title = citation.dataset.title;
    if (filtered) {
      var chosen = controls.filter(function (control) { return state[control.name]; }).map(function (control) {
        var label = form.querySelector('label[for="' + control.id + '"]');
        return (label ? label.textContent.trim() + ": " : "") + control.options[control.selectedIndex].text.trim();
      });
      title = filled(words.viewTitle, { title: title, filters: chosen.join("; ") });
    }
    var params = new URLSearchParams();
    names.forEach(function (name) { if (state[name]) params.set(name, state[name]); });
    var query = params.toString();
    var today = new Date().toLocaleDateString(document.documentElement.lang || "en",
      { day: "numeric", month: "long", year: "numeric" });
    return filled(words.citeView, { title: title, site: citation.dataset.site,
      url: citation.dataset.url + (query ? "?" + query : ""), accessed: today });
  }

  function shownKeys() {
    var keys = {};
    rows.forEach(function (row) { if (!row.hidden) keys[row.dataset.key] = true; });
    return keys;
  }

  // The rows come from the CSV file itself, so the download has exactly its columns and values. A record
  // never spans lines (values are single-line) and starts with its key, which needs no quoting.
  function saveShownRows(event) {
    if (!names.some(function (name) { return current[name]; })) return;  // the whole file
    event.preventDefault();
    var keys = shownKeys();
    fetch(download.href).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.text();
    }).then(function (text) {
      var lines = text.split("\n");
      var kept = lines.slice(1).filter(function (line) { return keys[line.split(",", 1)[0]]; });
      var blob = new Blob([[lines[0]].concat(kept).join("\n") + "\n"], { type: "text/csv" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = download.getAttribute("download").replace(/\.csv$/, "-filtered.csv");
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    }).catch(function () {
      status.textContent = words.downloadFailed;
    });
  }

  form.addEventListener("change", function () {
    var state = stateFromForm();
    window.history.pushState(null, "", urlFor(state));
    show(state);
  });
  form.addEventListener("reset", function (event) {
    event.preventDefault();
    var state = {};
    names.forEach(function (name) { state[name] = ""; });
    window.history.pushState(null, "", urlFor(state));
    show(state);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  if (download) download.addEventListener("click", saveShownRows);
  window.addEventListener("popstate", function () { show(stateFromUrl()); });

  form.hidden = false;
  show(stateFromUrl());
})();
