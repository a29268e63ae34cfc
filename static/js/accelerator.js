// Accelerator's own script. Loaded on every page; no inline scripts anywhere (CSP).
"use strict";

// htmx sends the CSRF token read from the cookie at each request: it changes at login.
document.addEventListener("htmx:configRequest", (event) => {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) {
    event.detail.headers["X-CSRFToken"] = decodeURIComponent(match[1]);
  }
});
