// The only script of the leaflets pages (no inline script: the Content Security Policy forbids it).
// It shows the "Print these pages" button, which prints the page images (the print style sheet hides the rest).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button.print").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
});
