// Preview only (served by `build.py serve`, never part of the site): when the last change broke the build,
// show the errors over the page, and while a rebuild runs, say so. The page underneath is the last good build.
(function () {
  "use strict";
  var language = document.documentElement.lang || "en";
  fetch("/_preview/errors.json?lang=" + encodeURIComponent(language), { cache: "no-store" }).then(function (response) {
    return response.json();
  }).then(function (state) {
    var errors = state.errors || [];
    if (!errors.length && !state.rebuilding) return;
    var box = document.createElement("section");
    box.id = "preview-errors";
    var css = box.style;
    css.position = "fixed"; css.left = "0"; css.right = "0"; css.bottom = "0"; css.zIndex = "1000";
    css.maxHeight = "50vh"; css.overflow = "auto"; css.padding = "1rem 1.25rem";
    css.background = "#2b0f0f"; css.color = "#fff"; css.borderTop = "4px solid #e5484d";
    css.font = "14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace";
    if (errors.length) {
      box.setAttribute("role", "alert");
      box.setAttribute("aria-label", state.words.label);
      var title = document.createElement("p");
      title.textContent = state.words.title;  // in the page's language
      title.style.fontWeight = "bold";
      title.style.margin = "0 0 0.5rem";
      var list = document.createElement("pre");
      list.textContent = errors.join("\n");
      list.lang = "en";  // the messages themselves are the terminal's
      list.style.margin = "0";
      list.style.whiteSpace = "pre-wrap";
      box.appendChild(title);
      box.appendChild(list);
    } else {
      box.setAttribute("role", "status");
      css.background = "#1d2b3a"; css.borderTop = "4px solid #3e8ed0";
    }
    if (state.rebuilding) {  // the page reloads by itself when the rebuild is done
      var note = document.createElement("p");
      note.textContent = state.rebuilding;
      note.lang = "en";  // the terminal's words, like the errors
      note.style.margin = errors.length ? "0.5rem 0 0" : "0";
      box.appendChild(note);
    }
    document.body.appendChild(box);
  }).catch(function () { /* the server has stopped: nothing to show */ });
})();
