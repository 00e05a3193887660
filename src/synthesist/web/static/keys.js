// Keyboard shortcuts for the screening page: a key "presses" the button that declares it with
// data-key, so the request is the same one a click sends and the page works without this script.
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  // never steal letters typed into a note, a reason or any other field
  if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
  const button = document.querySelector(`button[data-key="${event.key}"]`);
  if (button) {
    event.preventDefault();
    button.click();
  }
});
