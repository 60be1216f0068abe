// The request page's action panel: after htmx has replaced the page, put the keyboard focus
// where the user's attention should go (the first field with an error, the refusal notice,
// or the page heading after a successful action), since the element they used is gone.
(function () {
  "use strict";

  function focusAfterSwap(page) {
    var target = page.querySelector('[aria-invalid="true"]') ||
      page.querySelector("[data-focus-after-swap]") ||
      page.querySelector("details[open] .aspa-field__error") ||
      page.querySelector("h1");
    if (!target) {
      return;
    }
    if (target.classList.contains("aspa-field__error")) {
      var form = target.closest("form");
      target = (form && form.querySelector("input:not([type=hidden]), select, textarea")) || target;
    }
    target.focus();
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var page = document.getElementById("request-page");
    var swapped = event.detail && event.detail.target;
    // Only an action's answer (which replaces the whole page) moves the focus: the presence
    // heartbeat (every 30 s) and the redirect form's guidance settle here too, and must leave
    // the focus where the user is.
    if (page && swapped && swapped.id === "request-page") {
      focusAfterSwap(page);
    }
  });
})();
