/* The desk's keyboard shortcuts and their help dialog.
   "/" goes to the search box, "?" opens the help, "n" starts a new contact. A page adds its own
   keys with data-shortcut on an element (listed in the help under "On this page"): on a
   <details> the key opens it and puts the focus in its form's first field, on a radio button
   it chooses it, on anything else it moves the focus there. They never fire while the advisor
   types in a field, and never with Ctrl, Alt or Meta (the browser's own). */
(function () {
  "use strict";

  var TYPING_INPUTS = ["button", "submit", "reset", "checkbox", "radio", "file", "image", "range", "color"];
  var FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), " +
    "textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

  function isTyping(element) {
    if (!element || !element.tagName) return false;
    if (element.isContentEditable) return true;
    var tag = element.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select") return true;
    if (tag === "input") return TYPING_INPUTS.indexOf((element.type || "text").toLowerCase()) === -1;
    return false;
  }

  function firstField(container) {
    return container.querySelector("input:not([type=hidden]):not([disabled]), select:not([disabled]), " +
      "textarea:not([disabled]), button:not([disabled])");
  }

  // The element the page gives this key, looked up when it is pressed: htmx may have replaced it.
  function pageShortcut(key) {
    var found = null;
    document.querySelectorAll("[data-shortcut]").forEach(function (element) {
      if (!found && element.getAttribute("data-shortcut") === key) found = element;
    });
    return found;
  }

  function usePageShortcut(target) {
    if (target.tagName.toLowerCase() === "details") {
      target.open = true;
      var field = firstField(target.querySelector("form") || target);
      var focusTarget = field || target.querySelector("summary");
      if (focusTarget) {
        focusTarget.focus();
        focusTarget.scrollIntoView({block: "nearest"});
      }
    } else if (target.type === "radio" || target.type === "checkbox") {
      if (!target.checked) target.click();  // fires "change", so the page shows the choice's fields
      target.focus();
    } else {
      target.focus();
    }
  }

  function start() {
    var dialog = document.getElementById("desk-shortcuts");
    var openButtons = document.querySelectorAll("[data-open-shortcuts]");
    var returnFocusTo = null;
    if (!dialog) return;

    function openHelp() {
      if (dialog.open) return;
      returnFocusTo = document.activeElement;
      dialog.showModal();
      var close = dialog.querySelector("[data-close-dialog]");
      if (close) close.focus();
    }

    // Escape closes a modal <dialog> by itself; every way of closing gives the focus back.
    dialog.addEventListener("close", function () {
      if (returnFocusTo && document.contains(returnFocusTo) && typeof returnFocusTo.focus === "function") {
        returnFocusTo.focus();
      }
      returnFocusTo = null;
    });
    dialog.querySelectorAll("[data-close-dialog]").forEach(function (button) {
      button.addEventListener("click", function () { dialog.close(); });
    });
    // Keep Tab inside the dialog: from the last stop back to the first and the other way.
    dialog.addEventListener("keydown", function (event) {
      if (event.key !== "Tab") return;
      var stops = Array.prototype.slice.call(dialog.querySelectorAll(FOCUSABLE));
      if (!stops.length) return;
      var first = stops[0];
      var last = stops[stops.length - 1];
      if (event.shiftKey && (document.activeElement === first || !dialog.contains(document.activeElement))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    });
    openButtons.forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", openHelp);
    });

    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (dialog.open || isTyping(event.target)) return;
      if (event.key === "/") {
        var search = document.getElementById("desk-search-input");
        if (search) {
          event.preventDefault();
          search.focus();
          search.select();
        }
      } else if (event.key === "?") {
        event.preventDefault();
        openHelp();
      } else if (event.key === "n" && dialog.dataset.newContactUrl) {
        event.preventDefault();
        window.location.assign(dialog.dataset.newContactUrl);
      } else if (event.key.length === 1 && event.key !== " ") {
        var target = pageShortcut(event.key);
        if (target) {
          event.preventDefault();
          usePageShortcut(target);
        }
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
