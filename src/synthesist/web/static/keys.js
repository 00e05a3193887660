// Keyboard shortcuts (the screening page, a duplicate pair): a key "presses" the button that declares
// it with data-key, so the request is the same one a click sends and the page works without this
// script. "?" opens the page's list of shortcuts (templates/_shortcut_help.html), Escape closes it.
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  // never steal letters typed into a note, a reason or any other field
  if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
  const help = document.getElementById("shortcut-help");
  if (help && (event.key === "?" || (event.key === "Escape" && help.open))) {
    event.preventDefault();
    help.open = event.key === "?" ? !help.open : false;
    if (help.open) help.scrollIntoView({ block: "nearest" });
    help.querySelector("summary").focus();
    return;
  }
  const button = document.querySelector(`button[data-key="${event.key}"]`);
  if (button) {
    event.preventDefault();
    button.click();
  }
});

// "Go back to the form" on an error page: the browser's own Back, which keeps what was typed (the
// link's address, the page the form was on, is the way back without this script).
for (const link of document.querySelectorAll("a[data-go-back]")) {
  link.addEventListener("click", (event) => {
    if (window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
}
