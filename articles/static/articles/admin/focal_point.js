/* Focal point picker: a click on the photo preview (or the arrow keys) sets focal_x / focal_y.
   The fields stay the source of truth: typing in them moves the ring too. No library needed. */
"use strict";
(function () {
  function round(value) {
    return Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;
  }

  function setUp(picker) {
    var image = picker.querySelector("img");
    var marker = picker.querySelector(".focal-marker");
    var fieldX = document.getElementById("id_focal_x");
    var fieldY = document.getElementById("id_focal_y");
    if (!image || !marker || !fieldX || !fieldY) {
      return;
    }

    function show() {
      marker.style.left = (parseFloat(fieldX.value) || 0) * 100 + "%";
      marker.style.top = (parseFloat(fieldY.value) || 0) * 100 + "%";
    }

    function set(x, y) {
      fieldX.value = round(x);
      fieldY.value = round(y);
      fieldX.dispatchEvent(new Event("change", { bubbles: true }));
      fieldY.dispatchEvent(new Event("change", { bubbles: true }));
      show();
    }

    image.addEventListener("click", function (event) {
      var box = image.getBoundingClientRect();
      set((event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height);
    });

    // Keyboard users move the point by 5 % per arrow press.
    picker.addEventListener("keydown", function (event) {
      var step = { ArrowLeft: [-0.05, 0], ArrowRight: [0.05, 0], ArrowUp: [0, -0.05], ArrowDown: [0, 0.05] }[event.key];
      if (!step) {
        return;
      }
      event.preventDefault();
      set((parseFloat(fieldX.value) || 0) + step[0], (parseFloat(fieldY.value) || 0) + step[1]);
    });

    fieldX.addEventListener("input", show);
    fieldY.addEventListener("input", show);
    // Placed from the fields, not from a style="…" attribute, which the Content-Security-Policy refuses.
    show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-focal-picker]").forEach(setUp);
  });
})();
