/* Photos dropped on the release form, and the focal point of a photo before its first save.

   A drop zone above the release's photos takes one or several files (dropped, or chosen with
   the keyboard): each fills the "Nouvelle photo" of a row, one row per file, where its caption,
   alternative text and credit are typed in place. Every chosen file shows at once as a picture
   on which a click (or the arrow keys) sets its focal point: the hidden fields of its row (or
   the photo form's focal_x / focal_y) keep it until the save, which checks everything again. */
"use strict";
(function () {
  function round(value) {
    return Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;
  }

  function focalFields(input) {
    if (input.dataset.focalX) {
      return [document.getElementById(input.dataset.focalX), document.getElementById(input.dataset.focalY)];
    }
    var base = input.id.replace(/upload$/, "upload_focal_");
    return [document.getElementById(base + "x"), document.getElementById(base + "y")];
  }

  function showPicker(input) {
    var fields = focalFields(input);
    var old = input.parentElement.querySelector(".focal-picker.local");
    if (old) {
      old.remove();
    }
    if (!input.files || !input.files.length || !fields[0] || !fields[1]) {
      return;
    }
    var picker = document.createElement("div");
    picker.className = "focal-picker local";
    picker.tabIndex = 0;
    picker.setAttribute("role", "group");
    picker.setAttribute("aria-label", "Point focal de « " + input.files[0].name + " » : cliquez sur l'image, ou utilisez les flèches du clavier");
    var image = document.createElement("img");
    // A data: URL, which the Content-Security-Policy allows for images (blob: it does not).
    var reader = new FileReader();
    reader.onload = function () { image.src = reader.result; };
    reader.readAsDataURL(input.files[0]);
    image.alt = "";
    var marker = document.createElement("span");
    marker.className = "focal-marker";
    marker.setAttribute("aria-hidden", "true");
    picker.append(image, marker);
    input.after(picker);
    if (fields[0].value === "") {
      fields[0].value = 0.5;
      fields[1].value = 0.5;
    }
    function show() {
      marker.style.left = parseFloat(fields[0].value) * 100 + "%";
      marker.style.top = parseFloat(fields[1].value) * 100 + "%";
    }
    function set(x, y) {
      fields[0].value = round(x);
      fields[1].value = round(y);
      show();
    }
    picker.addEventListener("click", function (event) {
      var box = image.getBoundingClientRect();
      set((event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height);
    });
    picker.addEventListener("keydown", function (event) {
      var step = event.shiftKey ? 0.1 : 0.02;
      var moves = {ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step]};
      if (moves[event.key]) {
        event.preventDefault();
        set(parseFloat(fields[0].value) + moves[event.key][0], parseFloat(fields[1].value) + moves[event.key][1]);
      }
    });
    show();
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input[type=file][data-photo-upload]")) {
      showPicker(event.target);
    }
  });

  // --- The drop zone of the release form ---------------------------------------------------
  function freeRow(group) {
    var rows = group.querySelectorAll(".inline-related:not(.empty-form)");
    for (var i = 0; i < rows.length; i++) {
      var upload = rows[i].querySelector("input[type=file][data-photo-upload]");
      var photo = rows[i].querySelector("select[name$='-photo']");
      if (upload && !upload.files.length && photo && !photo.value) {
        return rows[i];
      }
    }
    var add = group.querySelector(".add-row a");
    if (!add) {
      return null;  // the release holds as many photos as it may
    }
    add.click();
    rows = group.querySelectorAll(".inline-related:not(.empty-form)");
    return rows[rows.length - 1];
  }

  function place(group, files, status) {
    var placed = 0;
    Array.prototype.forEach.call(files, function (file) {
      if (!/^image\//.test(file.type)) {
        return;
      }
      var row = freeRow(group);
      if (!row) {
        return;
      }
      var input = row.querySelector("input[type=file][data-photo-upload]");
      var transfer = new DataTransfer();
      transfer.items.add(file);
      input.files = transfer.files;
      input.dispatchEvent(new Event("change", {bubbles: true}));
      // Each new row after the others: the first one stays the lead photo.
      var rows = Array.prototype.slice.call(group.querySelectorAll(".inline-related:not(.empty-form)"));
      var position = row.querySelector("input[name$='-position']");
      if (position && rows.indexOf(row) > 0 && position.value === "0") {
        position.value = rows.indexOf(row);
      }
      var caption = row.querySelector("input[name$='-upload_caption']");
      if (caption && !caption.value) {
        caption.value = file.name.replace(/\.[^.]+$/, "").replace(/[-_]+/g, " ");
      }
      placed += 1;
    });
    status.textContent = placed
      ? placed + (placed > 1 ? " photos ajoutées" : " photo ajoutée") + " : complétez la légende, le texte alternatif et le crédit de chacune."
      : "Aucune image dans ces fichiers (JPEG, PNG ou WebP).";
    return placed;
  }

  function setUpDropZone() {
    var group = document.getElementById("article_photos-group");
    if (!group || group.querySelector(".photo-drop")) {
      return;
    }
    var zone = document.createElement("div");
    zone.className = "photo-drop";
    zone.innerHTML = '<p><strong>Déposez vos photos ici</strong> (une ou plusieurs), ou '
      + '<label class="photo-drop-choose">choisissez des fichiers<input type="file" multiple '
      + 'accept="image/jpeg,image/png,image/webp"></label>.</p><p class="photo-drop-status" role="status"></p>';
    var heading = group.querySelector("h2") || group.firstElementChild;
    heading.after(zone);
    var status = zone.querySelector(".photo-drop-status");
    var chooser = zone.querySelector("input[type=file]");
    chooser.addEventListener("change", function () {
      place(group, chooser.files, status);
      chooser.value = "";
    });
    zone.addEventListener("dragover", function (event) {
      event.preventDefault();
      zone.classList.add("photo-drop--over");
    });
    zone.addEventListener("dragleave", function () {
      zone.classList.remove("photo-drop--over");
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("photo-drop--over");
      place(group, event.dataTransfer.files, status);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpDropZone);
  } else {
    setUpDropZone();
  }
})();
