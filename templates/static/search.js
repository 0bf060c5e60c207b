/* The search page: mount Pagefind's UI and run the query from ?q= (the header
   search form on every other page is a plain GET form to this page). */
(function () {
  "use strict";
  var root = document.getElementById("search");
  var fallback = document.getElementById("search-fallback");
  if (!root || typeof window.PagefindUI !== "function") {
    if (fallback) {
      fallback.textContent = "Search is not available right now. ";
      var link = document.createElement("a");
      link.href = (root && root.getAttribute("data-base-url")) || "/";
      link.textContent = "Browse from the front page.";
      fallback.appendChild(link);
    }
    return;
  }
  if (fallback) fallback.hidden = true;
  var ui = new window.PagefindUI({
    element: "#search",
    baseUrl: root.getAttribute("data-base-url") || "/",
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
})();
