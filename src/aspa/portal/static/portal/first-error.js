// A refused form comes back as a new page scrolled to its top: on a phone the error may be
// screens away, and a screen reader starts from the beginning. The first field the server
// marked invalid takes the focus, so its label and error (aria-describedby) are read out.
// A page that placed the focus itself (the e-forms' summary of errors, which links to every
// field) keeps it: this runs after the deferred scripts, so it would otherwise take it away.
document.addEventListener("DOMContentLoaded", () => {
  if (document.activeElement && document.activeElement !== document.body) return;
  const invalid = document.querySelector("main [aria-invalid='true']");
  if (invalid) invalid.focus();
});
