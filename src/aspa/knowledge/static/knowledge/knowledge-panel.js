// The knowledge base's side panel on the desk: "use this answer" records the use on the server and
// puts the model answer into the reply the advisor is writing (the text area they last wrote in,
// or the page's first one), without leaving the page. Without JavaScript the form posts normally.
(function () {
  "use strict";

  var lastTarget = null;

  function targetsOf(panel) {
    return (panel.getAttribute("data-targets") || "").split(/\s+/).filter(Boolean);
  }

  function chooseTarget(panel) {
    var ids = targetsOf(panel);
    if (lastTarget && ids.indexOf(lastTarget.id) !== -1 && lastTarget.offsetParent !== null) {
      return lastTarget;
    }
    for (var i = 0; i < ids.length; i++) {
      var box = document.getElementById(ids[i]);
      if (box) {
        return box;
      }
    }
    return null;
  }

  function reveal(box) {
    // A reply box inside a closed <details> (the request page's actions) is opened first.
    var details = box.closest("details");
    if (details && !details.open) {
      details.open = true;
    }
  }

  function addUsed(title, href) {
    var list = document.getElementById("kb-used-list");
    if (!list) {
      return;
    }
    var none = list.querySelector("[data-kb-none]");
    if (none) {
      none.remove();
    }
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.className = "hds-link";
    link.href = href;
    link.textContent = title;
    item.appendChild(link);
    list.appendChild(item);
  }

  function announce(text) {
    var status = document.getElementById("kb-status");
    if (status) {
      status.textContent = text;
    }
  }

  function use(form, panel) {
    var box = chooseTarget(panel);
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: {"Accept": "application/json", "X-CSRFToken": csrf ? csrf.value : ""},
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.json();
    }).then(function (data) {
      if (box) {
        reveal(box);
        box.value = box.value.trim() ? box.value.replace(/\s+$/, "") + "\n\n" + data.answer : data.answer;
        box.dispatchEvent(new Event("input", {bubbles: true}));
        box.focus();
      }
      var link = form.closest("li").querySelector("a");
      addUsed(data.title, link ? link.getAttribute("href") : "#");
      announce(data.message);
    }).catch(function () {
      form.submit();
    });
  }

  function init() {
    var panel = document.querySelector("[data-kb-panel]");
    if (!panel) {
      return;
    }
    document.addEventListener("focusin", function (event) {
      if (event.target.matches && event.target.matches("textarea")) {
        lastTarget = event.target;
      }
    });
    panel.addEventListener("submit", function (event) {
      var form = event.target;
      if (form.matches("form[data-kb-use]")) {
        event.preventDefault();
        use(form, panel);
      }
    });
    var search = document.getElementById("kb-search");
    if (search) {
      // Enter searches at once instead of leaving the page (the form's action is for no JavaScript).
      search.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && window.htmx) {
          event.preventDefault();
          window.htmx.trigger(search, "search");
        }
      });
    }
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.target.id === "kb-results") {
        var count = event.target.querySelector("[data-kb-count]");
        announce(count ? count.textContent.trim() : "");
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
