// The "select all" box of django-import-export's export form. Its own template bound it
// with an inline onchange="…" handler, which the Content-Security-Policy refuses; the
// handler itself comes from import_export/export_selectable_fields.js (the form's media).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input.select-toggle").forEach((box) => {
    box.addEventListener("change", (event) => onSelectToggleChange(event));
  });
});
