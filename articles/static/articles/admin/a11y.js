/* Accessible names for the admin widgets built in the browser (RGAA 11.1): select2, behind
   autocomplete_fields, and django-prose-editor's editing area. Each takes the name of the field
   it stands for: the aria-label of the original <select>/<textarea> (inline rows, widgets.py),
   or else that field's <label>. Loaded on every admin page by admin/base_site.html, deferred,
   so it runs after Django's autocomplete.js has registered its own handlers. */
"use strict";
(function () {
  function fieldName(input) {
    var label = input.id && document.querySelector('label[for="' + input.id + '"]');
    return input.getAttribute("aria-label") || (label ? label.textContent.replace(/\s*:\s*$/, "").trim() : "");
  }

  // select2 4.0.13 (Django's copy) names its closed box after the chosen item, which is empty
  // until one is chosen, inside a role=textbox span (dropped upstream in 4.1). The "multiple"
  // box has an unnamed search field and puts its clear cross (a <span>) straight in a <ul>.
  function nameSelect2(select) {
    var container = select.nextElementSibling;
    if (!container || !container.classList.contains("select2")) {
      return;
    }
    var name = fieldName(select);
    var single = container.querySelector(".select2-selection--single");
    if (single) {
      single.removeAttribute("aria-labelledby");  // the chosen item stays its value, read as its text
      single.setAttribute("aria-label", name);
      var rendered = single.querySelector(".select2-selection__rendered");
      rendered.removeAttribute("role");
      rendered.removeAttribute("aria-readonly");
    }
    var search = container.querySelector(".select2-selection--multiple .select2-search__field");
    if (search) {
      search.setAttribute("aria-label", name);
    }
    fixClearCross(container);
  }

  function fixClearCross(container) {
    var cross = container && container.querySelector(".select2-selection--multiple ul > .select2-selection__clear");
    if (cross) {
      // In an <li> of its own: the <ul> is emptied at each change, so no cross is left behind,
      // and select2's click handler, delegated from the box, still finds it.
      var item = document.createElement("li");
      cross.before(item);
      item.append(cross);
    }
  }

  var $ = window.django && window.django.jQuery;
  if ($) {
    $(function () {
      document.querySelectorAll("select.admin-autocomplete").forEach(nameSelect2);
    });
    $(document).on("change", "select.admin-autocomplete", function () {
      fixClearCross(this.nextElementSibling);
    });
    $(document).on("select2:open", "select.admin-autocomplete", function () {
      var select2 = $(this).data("select2");
      var name = fieldName(this);
      var list = select2.$dropdown[0].querySelector("[role=listbox]");
      // An open combobox names the list it controls; select2 4.0 only sets aria-owns.
      select2.$selection[0].setAttribute("aria-controls", list.id);
      select2.$dropdown[0].querySelectorAll(".select2-search__field, [role=listbox]").forEach(function (el) {
        el.setAttribute("aria-label", name);
      });
    });
  }
  // Rows added with "Ajouter …": Django's autocomplete.js has set up their select2 by now.
  document.addEventListener("formset:added", function (event) {
    event.target.querySelectorAll("select.admin-autocomplete").forEach(nameSelect2);
  });

  document.addEventListener("prose-editor:ready", function (event) {
    event.detail.editor.view.dom.setAttribute("aria-label", fieldName(event.detail.textarea));
  });
})();
