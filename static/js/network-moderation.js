// The decision form: the suspension's end only matters for a suspension, so it shows only
// when that measure is chosen (without JavaScript it is always there and ignored otherwise).
(function () {
  "use strict";
  document.querySelectorAll("[data-testid=decision-form]").forEach(function (form) {
    var action = form.querySelector("[name=action]");
    var until = form.querySelector("[data-field=suspended_until]");
    if (!action || !until) return;
    function update() {
      until.hidden = action.value !== "suspend";
    }
    action.addEventListener("change", update);
    update();
  });
})();
