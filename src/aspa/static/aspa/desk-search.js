/* The desk's search box: htmx fills the results under it while the advisor types
   (see desk/customers/_search_box.html); this moves between them with the arrow keys
   and closes them with Escape or when the focus leaves the search. */
(function () {
  "use strict";

  function start() {
    var input = document.getElementById("desk-search-input");
    var results = document.getElementById("desk-search-results");
    var status = document.getElementById("desk-search-status");
    if (!input || !results) return;
    var form = input.form;

    function links() {
      return Array.prototype.slice.call(results.querySelectorAll("a[href]"));
    }

    function closeResults() {
      results.replaceChildren();
      if (status) status.textContent = "";
    }

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        var found = links();
        if (found.length) {
          event.preventDefault();
          found[0].focus();
        }
      } else if (event.key === "Escape" && results.children.length) {
        event.preventDefault();
        closeResults();
      }
    });

    results.addEventListener("keydown", function (event) {
      var found = links();
      var index = found.indexOf(document.activeElement);
      if (index === -1) return;
      if (event.key === "ArrowDown" && index < found.length - 1) {
        event.preventDefault();
        found[index + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        (index === 0 ? input : found[index - 1]).focus();
      } else if (event.key === "Escape") {
        event.preventDefault();
        input.focus();
        closeResults();
      }
    });

    form.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !form.contains(event.relatedTarget)) closeResults();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
