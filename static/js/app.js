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
