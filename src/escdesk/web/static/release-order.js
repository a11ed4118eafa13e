// R-FIX-2: drag a fix to another row of a planned release to move it there. Dropping fills
// the row's "Move to" position and submits that form, so the order is saved the same way as
// typing a position (and works without this script).
(function () {
  const table = document.getElementById("release-contents");
  if (!table || !table.querySelector("form")) return;
  let dragged = null;
  const rows = () => Array.from(table.tBodies[0].rows);
  rows().forEach((row) => {
    row.draggable = true;
    row.addEventListener("dragstart", (event) => {
      dragged = row;
      event.dataTransfer.effectAllowed = "move";
    });
    row.addEventListener("dragover", (event) => event.preventDefault());
    row.addEventListener("drop", (event) => {
      event.preventDefault();
      if (!dragged || dragged === row) return;
      const form = dragged.querySelector("form");
      form.querySelector("input[name=position]").value = rows().indexOf(row) + 1;
      form.submit();
    });
  });
})();
