// A job's page follows the job: every second it reads the job's .json and updates the status, the
// message and the <progress> bar; when the job has finished it reloads the page once, which then
// shows the result and its links. Without this script the page has a "Reload" link instead.
(function () {
  "use strict";
  var section = document.getElementById("job");
  if (!section) { return; }
  var url = section.getAttribute("data-status-url");
  var finished = ["done", "failed", "cancelled"];
  if (finished.indexOf(section.getAttribute("data-status")) >= 0) { return; }
  var reload = document.getElementById("job-reload");
  if (reload) { reload.hidden = true; }

  function text(id, value) {
    var node = document.getElementById(id);
    if (node) { node.textContent = value; }
  }

  function show(job) {
    text("job-status", job.status);
    text("job-message", job.message || "");
    var bar = document.getElementById("job-progress");
    if (bar) {
      if (job.total) {
        bar.max = job.total;
        bar.value = job.done;
        bar.textContent = (job.percent === null ? "" : job.percent + "%");
        text("job-count", job.done + " of " + job.total);
      } else if (job.done) {
        text("job-count", String(job.done));
      }
    }
    if (job.cancel_requested) { text("job-stopping", "— stopping at its next step"); }
  }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { if (reload) { reload.hidden = false; } return; }
        show(job);
        if (finished.indexOf(job.status) >= 0) { window.location.reload(); return; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { if (reload) { reload.hidden = false; } });
  }
  window.setTimeout(poll, 1000);
}());
