// The contact screen's topics: a service can be ticked both in the search results and in the
// suggestions from the notes. Both boxes stand for the one topic, so ticking or clearing one
// does the same to the other; otherwise a topic cleared in one place would still be recorded.
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("#contact-form input[type=checkbox][name=topics]")) {
      return;
    }
    box.form.querySelectorAll("input[type=checkbox][name=topics]").forEach(function (twin) {
      if (twin !== box && twin.value === box.value) {
        twin.checked = box.checked;
      }
    });
  }, true); // capture: before htmx reads the boxes for the request this change starts
})();
