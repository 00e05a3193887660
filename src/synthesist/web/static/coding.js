// The coding page: turn a text selection into the apply form's span. The document's text is shown
// as pieces (<span class="piece" data-start="N">), each holding the characters from offset N of the
// document; labels, segment numbers and screen-reader words sit outside the pieces, so the offsets
// of a selection come from the pieces alone. Offsets are counted in code points, as the server
// counts them (JavaScript strings count UTF-16 units). Without this script the form still works:
// the reviewer ticks segments or types a phrase. A refused form comes back with the selection in
// its hidden fields: it is marked again in the text (a CSS highlight, which no click clears) so the
// coder sees what is still selected.
(() => {
  const text = document.getElementById("document-text");
  const form = document.getElementById("apply-form");
  if (!text || !form) return;
  const startField = document.getElementById("sel-start");
  const endField = document.getElementById("sel-end");
  const quoteField = document.getElementById("sel-quote");
  const status = document.getElementById("selection-status");
  const clear = document.getElementById("clear-selection");
  const emptyMessage = status.dataset.empty || status.textContent;
  const keptName = "kept-selection";

  const points = (string) => Array.from(string).length;

  function pieceOf(node) {
    const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    return element && element.closest ? element.closest(".piece") : null;
  }

  // [start, end) of the selection in the document's text, or null when it holds no piece
  function selectedSpan(range) {
    const pieces = Array.from(text.querySelectorAll(".piece")).filter((p) => range.intersectsNode(p));
    if (pieces.length === 0) return null;
    const first = pieces[0];
    const last = pieces[pieces.length - 1];
    let start = Number(first.dataset.start);
    if (pieceOf(range.startContainer) === first && range.startContainer.nodeType === Node.TEXT_NODE) {
      start += points(range.startContainer.data.slice(0, range.startOffset));
    }
    let end = Number(last.dataset.start) + points(last.textContent);
    if (pieceOf(range.endContainer) === last && range.endContainer.nodeType === Node.TEXT_NODE) {
      end = Number(last.dataset.start) + points(range.endContainer.data.slice(0, range.endOffset));
    }
    return end > start ? [start, end] : null;
  }

  function documentText() {
    return Array.from(text.querySelectorAll(".piece")).map((p) => p.textContent).join("");
  }

  function show(span) {
    if (span === null) return;
    const [start, end] = span;
    const words = Array.from(documentText()).slice(start, end).join("");
    if (!words.trim()) return;
    unmarkKept();
    startField.value = String(start);
    endField.value = String(end);
    quoteField.value = words;
    const shown = words.length > 120 ? `${words.slice(0, 117)}…` : words;
    status.textContent = `Selected: “${shown.trim()}” (characters ${start} to ${end}). Apply a code to it below.`;
    form.classList.add("has-selection");
    // a selection says which text on its own: ticked segments would only contradict it
    document.querySelectorAll('input[name="segment"]:checked').forEach((box) => {
      box.checked = false;
    });
    clear.hidden = false;
  }

  function unmarkKept() {
    if (window.CSS && CSS.highlights) CSS.highlights.delete(keptName);
  }

  // the DOM position of a document offset (code points): inside the piece holding it
  function positionAt(offset, atEnd) {
    for (const piece of text.querySelectorAll(".piece")) {
      const from = Number(piece.dataset.start);
      const node = piece.firstChild;
      if (!node || node.nodeType !== Node.TEXT_NODE) continue;
      const chars = Array.from(node.data);
      const inside = atEnd ? offset > from && offset <= from + chars.length : offset >= from && offset < from + chars.length;
      if (inside) return [node, chars.slice(0, offset - from).join("").length];
    }
    return null;
  }

  // the kept selection, marked in the text when the text there is still the words it holds
  function markKept() {
    const start = Number(startField.value);
    const end = Number(endField.value);
    if (!startField.value || !endField.value || !(end > start)) return;
    clear.hidden = false;
    if (Array.from(documentText()).slice(start, end).join("") !== quoteField.value) return;
    const from = positionAt(start, false);
    const to = positionAt(end, true);
    if (!from || !to || !(window.CSS && CSS.highlights && typeof Highlight === "function")) return;
    const range = document.createRange();
    range.setStart(from[0], from[1]);
    range.setEnd(to[0], to[1]);
    CSS.highlights.set(keptName, new Highlight(range));
  }

  function reset() {
    unmarkKept();
    startField.value = "";
    endField.value = "";
    quoteField.value = "";
    status.textContent = emptyMessage;
    form.classList.remove("has-selection");
    clear.hidden = true;
  }

  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    if (!text.contains(range.commonAncestorContainer) && !range.intersectsNode(text)) return;
    show(selectedSpan(range));
  });
  // ticking segments or typing a phrase is another way to say which text: it replaces a selection
  function ticked() {
    const numbers = Array.from(document.querySelectorAll('input[name="segment"]:checked')).map((b) => b.value);
    reset();
    if (numbers.length) status.textContent = `Segments ticked: ${numbers.join(", ")}.`;
  }
  document.querySelectorAll('input[name="segment"]').forEach((box) => box.addEventListener("change", ticked));
  document.getElementById("phrase").addEventListener("input", () => {
    if (startField.value) ticked();
  });
  clear.addEventListener("click", () => {
    reset();
    document.getSelection().removeAllRanges();
  });
  markKept();
})();
