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

// Deadlines: the closing time in the visitor's own time zone, and a countdown kept up to date.
function formatCountdown(milliseconds, labels) {
  if (milliseconds <= 0) {
    return labels.closed;
  }
  const total = Math.floor(milliseconds / 1000);
  const days = Math.floor(total / 86400);
  const rest = total % 86400;
  const pad = (value) => String(value).padStart(2, "0");
  const clock = `${pad(Math.floor(rest / 3600))}:${pad(Math.floor((rest % 3600) / 60))}:${pad(rest % 60)}`;
  if (days === 0) {
    return clock;
  }
  return `${days} ${days === 1 ? labels.day : labels.days} ${clock}`;
}

function showDeadline(element) {
  const deadline = new Date(element.dataset.deadline);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && zone !== "Europe/Paris") {
    const locale = document.documentElement.lang === "fr" ? "fr-FR" : "en-GB";
    const localTime = new Intl.DateTimeFormat(locale, {
      day: "numeric", month: "long", year: "numeric",
      hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone: zone,
    }).format(deadline);
    const city = zone.split("/").pop().replaceAll("_", " ");
    element.querySelector(".local-time-value").textContent =
      `${localTime} ${element.dataset.zoneLabel.replace("%(city)s", city)}`;
    element.querySelector(".local-time").hidden = false;
  }
  const countdown = element.querySelector(".countdown");
  const labels = element.dataset;
  const tick = () => {
    countdown.textContent = formatCountdown(deadline.getTime() - Date.now(), labels);
  };
  tick();
  window.setInterval(tick, 1000);
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-deadline]").forEach(showDeadline);
});
