/* Small behaviours of our admin pages that used to be inline attributes (onclick="…"), which the
   Content-Security-Policy forbids: inline handlers would be the first thing an injection uses. */
"use strict";
document.addEventListener("click", function (event) {
  // A read-only link to copy (embargo links): one click selects it whole.
  var field = event.target.closest("input[data-select-on-click]");
  if (field) {
    field.select();
  }
});
