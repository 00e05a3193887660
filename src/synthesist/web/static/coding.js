// The coding page: turn a text selection into the apply form's span. The document's text is shown
// as pieces (<span class="piece" data-start="N">), each holding the characters from offset N of the
// document; labels, segment numbers and screen-reader words sit outside the pieces, so the offsets
// of a selection come from the pieces alone. Offsets are counted in code points, as the server
// counts them (JavaScript strings count UTF-16 units). Without this script the form still works:
// the reviewer ticks segments or types a phrase.
(() => {
  const text = document.getElementById("document-text");
  const form = document.getElementById("apply-form");
  if (!text || !form) return;
  const startField = document.getElementById("sel-start");
  const endField = document.getElementById("sel-end");
  const quoteField = document.getElementById("sel-quote");
  const status = document.getElementById("selection-status");
  const clear = document.getElementById("clear-selection");
  const emptyMessage = status.textContent;

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

  function reset() {
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
})();
