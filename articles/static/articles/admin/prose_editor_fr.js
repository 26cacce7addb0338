/* django-prose-editor in French, with the browser's spell-check on (issue #16).

   Its dialogs ("Edit Link", "URL", "Title", "Update") go through gettext: the admin's
   jsi18n catalogue includes django-prose-editor's French (pressroom/admin_site.py). Its
   menu writes a few words itself ("Paragraph", "Heading 2", the buttons' titles), and its
   NoSpellCheck extension sets spellcheck="false" on the editing area: both are put right
   here once the editor says it is ready, in the language of the release being written. */
"use strict";
(function () {
  var WORDS = {
    "paragraph": "Paragraphe", "Paragraph": "Paragraphe",
    "heading 1": "Titre 1", "heading 2": "Titre 2", "heading 3": "Titre 3", "heading 4": "Titre 4",
    "Heading 1": "Titre 1", "Heading 2": "Titre 2", "Heading 3": "Titre 3", "Heading 4": "Titre 4",
    "bold": "Gras", "italic": "Italique", "underline": "Souligné", "strike": "Barré",
    "subscript": "Indice", "superscript": "Exposant", "blockquote": "Citation",
    "unordered list": "Liste à puces", "ordered list": "Liste numérotée",
    "horizontal rule": "Ligne de séparation", "insert link": "Insérer un lien", "remove link": "Retirer le lien",
    "undo": "Annuler", "redo": "Rétablir", "edit HTML": "Modifier le HTML",
    "Toggle fullscreen": "Plein écran"
  };

  function translate(root) {
    root.querySelectorAll("[title], [aria-label]").forEach(function (el) {
      ["title", "aria-label"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value && WORDS[value]) {
          el.setAttribute(attr, WORDS[value]);
        }
      });
    });
    root.querySelectorAll("option, button, span, div").forEach(function (el) {
      if (el.children.length === 0 && WORDS[el.textContent.trim()] && !el.classList.contains("material-icons")) {
        el.textContent = WORDS[el.textContent.trim()];
      }
    });
  }

  document.addEventListener("prose-editor:ready", function (event) {
    var textarea = event.detail.textarea;
    var area = event.detail.editor.view.dom;
    area.setAttribute("spellcheck", "true");
    area.setAttribute("lang", textarea.getAttribute("lang") || document.documentElement.lang || "fr");
    var editor = area.closest(".prose-editor") || area.parentElement;
    translate(editor);
    // The menu is redrawn as the selection moves (active styles, the block type): keep it French.
    new MutationObserver(function () { translate(editor); }).observe(editor, {subtree: true, childList: true, characterData: true});
  });
})();
