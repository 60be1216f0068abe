// Carries a SAML exchange on without waiting for a click: submits the form marked
// data-aspa-autosubmit, or follows the link marked data-aspa-autofollow. Without JavaScript
// the page shows the same form button or link for the person to use.
(function () {
  "use strict";
  var form = document.querySelector("form[data-aspa-autosubmit]");
  if (form) {
    form.submit();
    return;
  }
  var link = document.querySelector("a[data-aspa-autofollow]");
  if (link) {
    window.location.replace(link.href);
  }
})();
