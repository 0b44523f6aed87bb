// The account page's tokens: a "Copy" button next to a new token's secret. Without
// JavaScript (or without clipboard access) the secret stays selectable in its field.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copyTarget);
    if (!field || !navigator.clipboard) return;
    var label = button.textContent;
    button.hidden = false;
    field.addEventListener("focus", function () { field.select(); });
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.dataset.copiedLabel;
        window.setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });
})();
