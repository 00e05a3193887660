// The live theme × study matrix: every few seconds, while the page is visible, fetch the table
// again and swap it in when it changed, saying so politely to screen readers. The page is
// rendered current on load, so without this script it is only as old as the last reload.
(() => {
  const holder = document.getElementById("matrix");
  const live = document.getElementById("matrix-live");
  const updated = document.getElementById("matrix-updated");
  if (!holder || !holder.dataset.fragment) return;
  const every = Math.max(2, Number(holder.dataset.refresh) || 5) * 1000;
  let last = null;
  let busy = false;

  async function refresh() {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const response = await fetch(holder.dataset.fragment, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
        cache: "no-store",
      });
      if (!response.ok) return;
      const html = await response.text();
      if (last === null) {
        // the first answer: swap in silently, in case coding happened between render and script
        holder.innerHTML = html;
      } else if (html !== last) {
        holder.innerHTML = html;
        const time = new Date().toLocaleTimeString();
        live.textContent = `The matrix was updated at ${time}.`;
        updated.textContent = `Updated at ${time}.`;
      }
      last = html;
    } catch (error) {
      // the next round tries again; a network hiccup should not break the page
    } finally {
      busy = false;
    }
  }

  refresh();
  setInterval(refresh, every);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) refresh();
  });
})();
