// newsgraph workbench: highlight toggles. No document text is ever read into HTML here.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var toggles = document.querySelectorAll("input.layer-toggle");
  toggles.forEach(function (box) {
    var apply = function () {
      document.body.classList.toggle("show-" + box.dataset.layer, box.checked && !box.disabled);
    };
    box.addEventListener("change", apply);
    apply();
  });
});
