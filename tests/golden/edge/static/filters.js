// Timeline filters: narrow the list by partner, tag, type and years. The state lives in the URL
// (?partner=IT&tag=uav), so a filtered view can be shared, reloaded and left with the back button.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var timeline = document.getElementById("timeline");
  if (!form || !timeline) return;
  var names = ["partner", "tag", "type", "from", "to"];
  var items = Array.prototype.slice.call(timeline.querySelectorAll("li[data-slug]"));
  var sections = Array.prototype.slice.call(timeline.querySelectorAll("section.month, section.year"));
  var status = document.getElementById("filter-status");
  var empty = document.getElementById("filter-empty");
  var download = document.getElementById("filter-download");
  var yearLinks = Array.prototype.slice.call(document.querySelectorAll(".year-jump a"));
  var current = {};

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

  function matches(item, state) {
    var data = item.dataset;
    var year = Number(data.year);
    return (!state.partner || data.partners.split(" ").indexOf(state.partner) >= 0) &&
      (!state.tag || data.tags.split(" ").indexOf(state.tag) >= 0) &&
      (!state.type || data.type === state.type) &&
      (!state.from || year >= Number(state.from)) &&
      (!state.to || year <= Number(state.to));
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
    items.forEach(function (item) {
      item.hidden = !matches(item, state);
      if (!item.hidden) shown += 1;
    });
    var shownYears = {};
    sections.forEach(function (section) {
      var visible = section.querySelectorAll("li[data-slug]:not([hidden])").length;
      section.hidden = visible === 0;
      var count = section.classList.contains("year") && section.querySelector(".year-heading .count");
      if (!count) return;
      if (!count.dataset.total) count.dataset.total = count.textContent;
      count.textContent = filtered ? visible + " of " + count.dataset.total : count.dataset.total;
      if (visible) shownYears[section.dataset.year] = true;
    });
    yearLinks.forEach(function (link) {
      link.parentNode.hidden = filtered && !shownYears[link.hash.replace("#y", "")];
    });
    var noun = items.length === 1 ? " entry" : " entries";
    status.textContent = filtered ? shown + " of " + items.length + noun + " shown." : items.length + noun + ".";
    empty.hidden = shown > 0;
    download.textContent = filtered ? "Download these " + shown + " rows (CSV)" : "Download all rows (CSV)";
  }

  function visibleSlugs() {
    var slugs = {};
    items.forEach(function (item) { if (!item.hidden) slugs[item.dataset.slug] = true; });
    return slugs;
  }

  // The rows come from data/entries.csv itself, so the download has exactly its columns and values.
  // A record never spans lines (values are single-line) and starts with its slug, which needs no quoting.
  function saveShownRows(event) {
    if (!names.some(function (name) { return current[name]; })) return;  // the whole file
    event.preventDefault();
    var slugs = visibleSlugs();
    fetch(download.href).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.text();
    }).then(function (text) {
      var lines = text.split("\n");
      var kept = lines.slice(1).filter(function (line) { return slugs[line.split(",", 1)[0]]; });
      var blob = new Blob([[lines[0]].concat(kept).join("\n") + "\n"], { type: "text/csv" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "entries-filtered.csv";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    }).catch(function () {
      status.textContent = "The rows could not be downloaded; try the full CSV file instead.";
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
  download.addEventListener("click", saveShownRows);
  window.addEventListener("popstate", function () { show(stateFromUrl()); });

  form.hidden = false;
  show(stateFromUrl());
})();
