// Full-text search with Pagefind's index (built with the site), with partner, tag and type facets.
// The query lives in the URL (?q=drones&partner=Italy), so a search can be shared and reloaded.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!form || !list || !status) return;
  var siteRoot = new URL("../", document.currentScript.src);
  // Each facet's control names the index filter it asks for (data-search-filter, set by the build).
  var facets = {};
  Array.prototype.forEach.call(form.querySelectorAll("[data-search-filter]"), function (control) {
    facets[control.name] = control.dataset.searchFilter;
  });
  var names = ["q"].concat(Object.keys(facets));
  var pagefind = null;
  var latest = 0;
  var language = document.documentElement.lang || "en";
  var plurals = new Intl.PluralRules(language);
  var block = document.getElementById("page-words");
  var words = block ? JSON.parse(block.textContent) : {};  // see timeline/script_words.py

  function counted(forms, count, values) {
    var text = (forms[plurals.select(count)] || forms.other).replace("{count}", count.toLocaleString(language));
    return text.replace("{words}", values.words || "");
  }

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", siteRoot).href).then(function (module) {
        return module.options({ excerptLength: 24 }).then(function () { return module; });
      });
    }
    return pagefind;
  }

  function stateFromUrl() {
    var params = new URLSearchParams(window.location.search);
    var state = {};
    names.forEach(function (name) { state[name] = (params.get(name) || "").trim(); });
    return state;
  }

  function stateFromForm() {
    var state = {};
    names.forEach(function (name) { state[name] = form.elements[name].value.trim(); });
    return state;
  }

  function urlFor(state) {
    var params = new URLSearchParams();
    names.forEach(function (name) { if (state[name]) params.set(name, state[name]); });
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  function resultItem(data) {
    var item = document.createElement("li");
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    heading.appendChild(link);
    item.appendChild(heading);
    if (data.meta && data.meta.date) {
      var date = document.createElement("p");
      date.className = "search-date";
      date.textContent = data.meta.date;
      item.appendChild(date);
    }
    var excerpt = document.createElement("p");
    excerpt.className = "search-excerpt";
    excerpt.innerHTML = data.excerpt;  // Pagefind escapes the page text and adds only <mark>
    item.appendChild(excerpt);
    return item;
  }

  function run(state) {
    names.forEach(function (name) {
      var control = form.elements[name];
      control.value = state[name];
      if (control.value !== state[name]) { state[name] = ""; control.value = ""; }
    });
    var filters = {};
    Object.keys(facets).forEach(function (name) { if (state[name]) filters[facets[name]] = state[name]; });
    var filtered = Object.keys(filters).length > 0;
    var ticket = ++latest;
    if (!state.q && !filtered) {
      list.replaceChildren();
      status.textContent = words.prompt;
      return Promise.resolve();
    }
    status.textContent = words.searching;
    return load().then(function (module) {
      return module.search(state.q || null, { filters: filters });
    }).then(function (search) {
      var shown = search.results.slice(0, 30);
      return Promise.all(shown.map(function (result) { return result.data(); })).then(function (pages) {
        if (ticket !== latest) return;  // a newer search has started
        list.replaceChildren.apply(list, pages.map(resultItem));
        var count = search.results.length;
        var found = state.q ? counted(words.foundFor, count, { words: state.q }) : counted(words.found, count, {});
        var more = count > shown.length ? " " + words.firstShown.replace("{shown}", shown.length) : "";
        status.textContent = found + "." + more;
      });
    }).catch(function () {
      status.textContent = words.unavailable;
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var state = stateFromForm();
    window.history.pushState(null, "", urlFor(state));
    run(state);
  });
  form.addEventListener("change", function (event) {
    if (event.target.tagName === "SELECT") form.requestSubmit();
  });
  window.addEventListener("popstate", function () { run(stateFromUrl()); });
  run(stateFromUrl());
})();
