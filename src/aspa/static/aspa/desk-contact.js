// The contact screen: a running timer, the outcome's own fields shown for the chosen outcome,
// and type-ahead boxes that search on Enter instead of submitting the whole contact.
(function () {
  "use strict";

  function pad(number) {
    return number < 10 ? "0" + number : String(number);
  }

  function startTimer(element) {
    // The server counted the seconds so far; the browser only adds what passes while the page is open.
    var base = parseInt(element.getAttribute("data-elapsed"), 10) || 0;
    var loaded = Date.now();
    function show() {
      var seconds = base + Math.floor((Date.now() - loaded) / 1000);
      var hours = Math.floor(seconds / 3600);
      var minutes = Math.floor((seconds % 3600) / 60);
      element.textContent = (hours ? hours + ":" + pad(minutes) : String(minutes)) + ":" + pad(seconds % 60);
    }
    show();
    window.setInterval(show, 1000);
  }

  function showOutcomeFields(form) {
    var chosen = form.querySelector("input[data-outcome-choice]:checked");
    var outcome = chosen ? chosen.value : "";
    form.querySelectorAll("[data-outcomes]").forEach(function (section) {
      section.hidden = section.getAttribute("data-outcomes").split(" ").indexOf(outcome) === -1;
    });
  }

  function init() {
    var timer = document.getElementById("contact-elapsed");
    if (timer) {
      startTimer(timer);
    }
    var form = document.getElementById("contact-form");
    if (form) {
      showOutcomeFields(form);
      form.addEventListener("change", function (event) {
        if (event.target.matches("input[data-outcome-choice]")) {
          showOutcomeFields(form);
        }
      });
      form.addEventListener("keydown", function (event) {
        var box = event.target;
        if (event.key === "Enter" && box.matches("input[data-typeahead]")) {
          event.preventDefault();
          if (window.htmx) {
            window.htmx.trigger(box, "search");
          }
        }
      });
    }
    // After a refused submit, the list of problems is read out first and links to each field.
    var errors = document.getElementById("contact-errors");
    if (errors) {
      errors.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
