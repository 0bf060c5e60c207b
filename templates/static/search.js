/* The search page: mount Pagefind's UI over every part of the index and run the
   query from ?q= (the header search form on every other page is a plain GET form to
   this page). The index is in parts, each a Pagefind bundle of its own (see
   briefing/shards.py); pagefind/parts.json lists them. PagefindUI loads
   pagefind/pagefind.js (briefing/searchparts.js), which merges them into one result
   list with filter counts summed over the parts: the pages, and the counts, that one
   whole index would give. */
(function () {
  "use strict";
  var root = document.getElementById("search");
  var fallback = document.getElementById("search-fallback");
  var base = (root && root.getAttribute("data-base-url")) || "/";

  function unavailable() {
    if (!fallback) return;
    fallback.hidden = false;
    fallback.textContent = "Search is not available right now. ";
    var link = document.createElement("a");
    link.href = base;
    link.textContent = "Browse from the front page.";
    fallback.appendChild(link);
  }

  if (!root || typeof window.PagefindUI !== "function" || !window.fetch) {
    unavailable();
    return;
  }

  function mount(parts) {
    if (fallback) fallback.hidden = true;
    var bundles = parts.map(function (part) { return base + "pagefind/" + part; });
    var ui = new window.PagefindUI({
      element: "#search",
      baseUrl: base,
      bundlePath: base + "pagefind/",
      mergeIndex: bundles.map(function (bundle) { return { bundlePath: bundle }; }),
      showSubResults: true,
      showImages: false,
      translations: { placeholder: "Search articles" }
    });
    // Pagefind's input is labelled only by its placeholder: tie it to a visible label.
    var label = document.getElementById("search-label");
    function labelInput() {
      var input = root.querySelector("input.pagefind-ui__search-input");
      if (!input) return false;
      input.id = "search-input";
      if (label) { label.htmlFor = input.id; label.hidden = false; }
      return true;
    }
    if (!labelInput() && window.MutationObserver) {
      var observer = new MutationObserver(function () { if (labelInput()) observer.disconnect(); });
      observer.observe(root, { childList: true, subtree: true });
    }
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) ui.triggerSearch(query);
  }

  fetch(base + "pagefind/parts.json")
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (manifest) {
      if (manifest && manifest.parts && manifest.parts.length) mount(manifest.parts);
      else unavailable();
    }, unavailable);
})();
