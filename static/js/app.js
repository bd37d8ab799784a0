// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // The language list switches as soon as a language is picked.
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  // Ask before actions that cannot be undone casually.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  // Intake steps are saved while typing, so closing the page loses nothing.
  document.querySelectorAll("form[data-autosave]").forEach((form) => {
    let timer = null;
    const status = form.querySelector("[data-autosave-status]");
    const save = () => {
      fetch(form.action, { method: "POST", body: new FormData(form), headers: { "X-Autosave": "1" },
                           credentials: "same-origin" })
        .then((response) => { if (response.ok && status) status.hidden = false; })
        .catch(() => {});
    };
    form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(save, 1500); });
    form.addEventListener("change", () => { clearTimeout(timer); timer = setTimeout(save, 300); });
  });
  // Move focus to a form's error summary so screen readers announce it.
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
});

// A batch print's progress: poll its status until it finishes; the page itself survives a reload.
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.querySelector("[data-job-progress]");
  if (!panel) return;
  const field = (name) => panel.querySelector(`[data-field="${name}"]`);
  const poll = () => {
    fetch(panel.dataset.jobProgress, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => response.json())
      .then((state) => {
        field("status_text").textContent = state.status_text;
        field("bar").max = state.total;
        field("bar").value = state.done;
        field("done_text").textContent = state.done_text;
        field("time_left").textContent = state.time_left;
        field("time_left_wrap").hidden = !state.time_left;
        const list = field("failures");
        list.replaceChildren(...state.failures.map((failure) => {
          const item = document.createElement("li");
          item.textContent = `${failure.case}: ${failure.reason}`;
          return item;
        }));
        field("failures_wrap").hidden = state.failures.length === 0;
        if (state.download) {
          field("download").href = state.download;
          field("download_wrap").hidden = false;
        }
        if (state.finished) {
          const cancel = field("cancel_wrap");
          if (cancel) cancel.hidden = true;
        } else {
          setTimeout(poll, 1000);
        }
      })
      .catch(() => setTimeout(poll, 3000));
  };
  setTimeout(poll, 500);
});
