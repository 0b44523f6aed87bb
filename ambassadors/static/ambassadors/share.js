/* The share page's "Copy" button: copies the ambassador's link (no third-party script). */
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.getElementById(button.dataset.copy);
      if (!input) {
        return;
      }
      input.select();
      var done = function () {
        button.textContent = button.dataset.copied || button.textContent;
      };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(input.value).then(done, function () {});
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });
})();
