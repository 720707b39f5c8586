// Accessible names the admin's own widgets lack (axe-core: aria-input-field-name, label):
// - the searchable drop-downs (select2) are a <span role="combobox"> named only by the
//   chosen value, so an empty one has no name: name it by the field's label as well;
// - fields of a tabular inline have no <label>, only their column header: name them by it.
// Runs once the admin's scripts have set up their widgets, and again for each inline row
// added later ("formset:added").
(function () {
  "use strict";

  function labelId(field) {
    const label = document.querySelector(`label[for="${field.id}"]`);
    if (!label) {
      return null;
    }
    if (!label.id) {
      label.id = `${field.id}_label`;
    }
    return label.id;
  }

  function columnHeader(field) {
    const cell = field.closest("td");
    const table = field.closest("table");
    if (!cell || !table) {
      return null;
    }
    const name = [...cell.classList].find((c) => c.startsWith("field-"));
    if (!name) {
      return null;
    }
    const header = table.querySelector(`thead th.column-${name.slice("field-".length)}`);
    return header ? header.textContent.trim() : null;
  }

  function nameComboboxes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach((select) => {
      const box = select.parentElement.querySelector(
        `.select2-selection[role="combobox"][aria-labelledby]`,
      );
      if (!box) {
        return;
      }
      // The chosen value is shown in a <span role="textbox"> that needs a name too.
      const shownValue = box.querySelector('.select2-selection__rendered[role="textbox"]');
      const own = labelId(select);
      if (own) {
        const names = box.getAttribute("aria-labelledby").split(" ");
        if (!names.includes(own)) {
          box.setAttribute("aria-labelledby", [own, ...names].join(" "));
        }
        if (shownValue && shownValue.id) {
          shownValue.setAttribute("aria-labelledby", `${own} ${shownValue.id}`);
        }
      } else {
        const header = columnHeader(select);
        if (header) {
          box.setAttribute("aria-label", header);
          if (shownValue) {
            shownValue.setAttribute("aria-label", header);
          }
        }
      }
    });
  }

  function nameInlineFields(root) {
    root.querySelectorAll(".tabular td input, .tabular td select, .tabular td textarea").forEach(
      (field) => {
        if (field.type === "hidden" || field.getAttribute("aria-label") || labelId(field)) {
          return;
        }
        const header = columnHeader(field);
        if (header) {
          field.setAttribute("aria-label", header);
        }
      },
    );
  }

  function nameAll(root) {
    nameComboboxes(root);
    nameInlineFields(root);
  }

  // After the admin's own scripts (jQuery's ready handlers set up select2 late).
  window.addEventListener("load", () => window.setTimeout(() => nameAll(document), 0));
  document.addEventListener("formset:added", (event) => {
    // select2 is set up on the new row by the admin's own handler of the same event.
    window.setTimeout(() => nameAll(event.target), 0);
  });
})();
