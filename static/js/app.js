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
    const failed = form.querySelector("[data-autosave-failed]");
    const save = () => {
      fetch(form.action, { method: "POST", body: new FormData(form), headers: { "X-Autosave": "1" },
                           credentials: "same-origin", redirect: "manual" })
        .then((response) => {
          // Saved is 204 from the step itself; a way to the sign-in page (the session ended) is not saved.
          const saved = response.status === 204;
          if (status) status.hidden = !saved;
          if (failed) failed.hidden = saved;
        })
        .catch(() => { if (status) status.hidden = true; if (failed) failed.hidden = false; });
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

// The case page's parts as tabs: one part at a time, chosen by the address (#part-… or any section inside a
// part, as after saving a form), or the part holding a form sent back with errors. Without this file the
// parts are one page with a list of links to them.
document.addEventListener("DOMContentLoaded", () => {
  const nav = document.querySelector("[data-tabs]");
  if (!nav) return;
  const list = nav.querySelector("ul");
  const tabs = [...nav.querySelectorAll("a[href^='#part-']")];
  const panels = tabs.map((tab) => document.getElementById(tab.hash.slice(1))).filter(Boolean);
  if (!panels.length) return;
  list.setAttribute("role", "tablist");
  tabs.forEach((tab) => {
    const id = tab.hash.slice(1);
    tab.parentElement.setAttribute("role", "presentation");
    tab.setAttribute("role", "tab");
    tab.id = `tab-${id}`;
    tab.setAttribute("aria-controls", id);
  });
  panels.forEach((panel) => {
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", `tab-${panel.id}`);
  });
  const show = (id) => {
    tabs.forEach((tab) => {
      const selected = tab.hash.slice(1) === id;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
    });
    panels.forEach((panel) => { panel.hidden = panel.id !== id; });
    const selected = tabs.find((tab) => tab.hash.slice(1) === id);
    if (selected) selected.scrollIntoView({ block: "nearest", inline: "nearest" });  // within the row, on a phone
  };
  const partOf = (element) => (element ? element.closest("[data-tab-panel]") : null);
  const fromAddress = () => {
    const target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    const part = partOf(target);
    return part ? part.id : null;
  };
  const withErrors = partOf(document.querySelector("[data-tab-panel] .field-invalid, [data-tab-panel] .error-summary"));
  show((withErrors && withErrors.id) || fromAddress() || panels[0].id);
  const target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
  // What was just saved or refused is said where the person lands, not at the top of a long page.
  const messages = document.querySelector("[data-flashes]");
  const landing = partOf(target) || (withErrors || null);
  if (messages && landing) landing.prepend(messages);
  if (target && !target.matches("[data-tab-panel]")) target.scrollIntoView();
  tabs.forEach((tab) => tab.addEventListener("click", (event) => {
    event.preventDefault();
    show(tab.hash.slice(1));
    window.history.replaceState(null, "", tab.hash);
  }));
  list.addEventListener("keydown", (event) => {
    if (event.key === " " && event.target.matches("[role=tab]")) {  // Space opens a tab, as Enter does
      event.preventDefault();
      event.target.click();
      return;
    }
    const forward = document.dir === "rtl" ? "ArrowLeft" : "ArrowRight";
    const back = document.dir === "rtl" ? "ArrowRight" : "ArrowLeft";
    if (![forward, back, "Home", "End"].includes(event.key)) return;
    const current = tabs.findIndex((tab) => tab.getAttribute("aria-selected") === "true");
    let next = current;
    if (event.key === forward) next = (current + 1) % tabs.length;
    if (event.key === back) next = (current - 1 + tabs.length) % tabs.length;
    if (event.key === "Home") next = 0;
    if (event.key === "End") next = tabs.length - 1;
    event.preventDefault();
    tabs[next].focus();
    tabs[next].click();
  });
  window.addEventListener("hashchange", () => { const id = fromAddress(); if (id) show(id); });
});
