// The people and organisations indexes: show only those tied to the chosen country.
// Without script the whole list shows and the form stays hidden.
(function () {
  var form = document.querySelector("[data-entity-filter]");
  if (!form) return;
  var select = form.querySelector("select");
  var count = form.querySelector(".entity-filter-count");
  var items = document.querySelectorAll(".entity-index > li");
  function apply() {
    var code = select.value;
    var shown = 0;
    for (var i = 0; i < items.length; i++) {
      var match = !code || (" " + items[i].getAttribute("data-countries") + " ").indexOf(" " + code + " ") >= 0;
      items[i].hidden = !match;
      if (match) shown++;
    }
    count.textContent = code ? shown + " of " + items.length + " shown" : "";
    var url = new URL(window.location.href);
    if (code) url.searchParams.set("country", code); else url.searchParams.delete("country");
    window.history.replaceState(null, "", url);
  }
  var wanted = new URL(window.location.href).searchParams.get("country");
  if (wanted && form.querySelector('option[value="' + wanted.replace(/[^A-Z]/g, "") + '"]')) select.value = wanted;
  select.addEventListener("change", apply);
  form.hidden = false;
  apply();
})();
