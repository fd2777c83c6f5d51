// A button marked data-print prints the page (or saves it as PDF, as the browser offers).
// Kept in a file: the content security policy runs no inline script. Without script the
// button stays hidden and the browser's own Print still works.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
});
