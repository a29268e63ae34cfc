// Accelerator's own script. Loaded on every page; no inline scripts anywhere (CSP).
"use strict";

// htmx sends the CSRF token read from the cookie at each request: it changes at login.
document.addEventListener("htmx:configRequest", (event) => {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) {
    event.detail.headers["X-CSRFToken"] = decodeURIComponent(match[1]);
  }
});

// A time zone the user never chose: offer the browser's own, to be confirmed by saving.
document.addEventListener("DOMContentLoaded", () => {
  const select = document.querySelector("select[data-preset-from-browser]");
  if (!select) {
    return;
  }
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const option = Array.from(select.options).find((item) => item.value === browserZone);
  if (option && select.value !== browserZone) {
    select.value = browserZone;
    const hint = document.querySelector(".browser-zone-hint");
    if (hint) {
      hint.hidden = false;
    }
  }
});
