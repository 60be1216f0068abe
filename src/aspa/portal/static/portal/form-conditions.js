/* Shows a form's conditional sections and questions only when the answer they depend on is
   given, as the server decides them too (aspa/eforms/answers.py). Without this script every
   question is shown, with a sentence telling when it applies, and the server ignores the
   answers to questions that do not apply. Also: a send button posts once, and the summary of
   errors takes the focus. */
(function () {
  "use strict";

  function valuesOf(form, name) {
    var values = [];
    form.querySelectorAll('[name="f-' + name + '"]').forEach(function (element) {
      if (element.type === "checkbox" || element.type === "radio") {
        if (element.checked) { values.push(element.value); }
      } else if (element.value.trim() !== "") {
        values.push(element.value.trim());
      }
    });
    return values;
  }

  function isShown(form, name) {
    var container = form.querySelector("#f-" + name + "-container");
    return !container || !container.closest("[hidden]");
  }

  function holds(form, condition) {
    if (!isShown(form, condition.field)) { return false; }
    var values = valuesOf(form, condition.field);
    if (typeof condition.equals === "boolean") { return (values.length > 0) === condition.equals; }
    if (condition.equals === undefined || condition.equals === null) { return values.length > 0; }
    var wanted = Array.isArray(condition.equals) ? condition.equals : [condition.equals];
    return values.some(function (value) { return wanted.indexOf(value) !== -1; });
  }

  function update(form) {
    // In document order, so a question depending on a hidden one is hidden too.
    form.querySelectorAll("[data-show-if]").forEach(function (element) {
      element.hidden = !holds(form, JSON.parse(element.getAttribute("data-show-if")));
    });
  }

  document.querySelectorAll("form[data-eform]").forEach(function (form) {
    form.querySelectorAll("[data-condition-hint]").forEach(function (hint) { hint.hidden = true; });
    update(form);
    form.addEventListener("change", function () { update(form); });
    form.addEventListener("input", function () { update(form); });
  });

  // After a refused send, the summary of what to fix is read out first (it links to each field).
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
      form.setAttribute("data-sent", "true");
    });
  });
}());
