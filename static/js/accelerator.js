// Accelerator's own script. Loaded on every page; no inline scripts anywhere (CSP).
"use strict";

// htmx sends the CSRF token read from the cookie at each request: it changes at login.
document.addEventListener("htmx:configRequest", (event) => {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) {
    event.detail.headers["X-CSRFToken"] = decodeURIComponent(match[1]);
  }
  // A save queued behind another (a radio fires both "input" and "change") must carry the
  // version the first one brought back, or it would be refused as a conflict with itself.
  const form = event.detail.elt;
  if (form && form.classList && form.classList.contains("answer-form")) {
    const version = form.querySelector("input[name=version]");
    if (version && event.detail.parameters instanceof FormData) {
      event.detail.parameters.set("version", version.value);
    } else if (version && event.detail.parameters) {
      event.detail.parameters.version = version.value;
    }
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

// A form that came back with errors: its summary is at the top of the page, the focus on the
// first invalid field (which scrolls it into view), so nobody believes it saved.
document.addEventListener("DOMContentLoaded", () => {
  if (!document.querySelector("[data-error-summary]")) {
    return;
  }
  const field = document.querySelector(
    ".field-invalid input:not([type=hidden]), .field-invalid select, .field-invalid textarea"
  );
  if (field) {
    field.focus();
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

// Words: the definition of applications/words.py, on the same fixtures in the tests. Parts
// joined by apostrophes or hyphens are one word up to JOINED_PARTS_MAX parts; a longer chain
// counts each of its parts.
const JOINED_PARTS_MAX = 4;

function countWords(text) {
  const words = (text || "").normalize("NFC").match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu);
  let count = 0;
  (words || []).forEach((word) => {
    const parts = word.split(/['’-]/).length;
    count += parts <= JOINED_PARTS_MAX ? 1 : parts;
  });
  return count;
}
window.acceleratorCountWords = countWords;

function updateWordCounter(form) {
  const counter = form.querySelector(".word-counter");
  const field = form.querySelector("textarea");
  if (!counter || !field) {
    return;
  }
  const count = countWords(field.value);
  counter.querySelector(".word-count").textContent = String(count);
  counter.classList.toggle("over-limit", count > Number(counter.dataset.wordLimit));
}

// Application drafts never lose a word: every keystroke is kept in localStorage until the
// server has it; offline, an expired session or another tab's newer text each say so beside
// the field and keep the text. Each tab keeps its copy under a key of its own
// ("draft:<application>:<question>:<tab>"), so two tabs offline on one field never overwrite
// each other's text; a page that loads puts back its own tab's copy (a reload) and offers every
// other tab's.
const pendingForms = new Set();
// The copy restored from another tab, per form: its key goes once the server has that text.
const restoredCopies = new Map();
const TAB_KEY = "accelerator-tab";

function newTabId() {
  if (window.crypto && window.crypto.randomUUID) {
    return window.crypto.randomUUID();
  }
  return `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

// A fresh id for every page load (a duplicated tab copies sessionStorage, and must not share
// its key); the previous one tells which copies a reload of this same tab left behind.
let previousTabId = null;
let tabId = newTabId();
try {
  previousTabId = sessionStorage.getItem(TAB_KEY);
  sessionStorage.setItem(TAB_KEY, tabId);
} catch (error) {
  // sessionStorage disabled: every stored copy is offered as another tab's.
}

function tabStorageKey(form) {
  return `${form.dataset.storageKey}:${tabId}`;
}

function answerValue(form) {
  const boxes = form.querySelectorAll("input[type=checkbox][name=value]");
  if (boxes.length) {
    return Array.from(boxes).filter((box) => box.checked).map((box) => box.value);
  }
  const radios = form.querySelectorAll("input[type=radio][name=value]");
  if (radios.length) {
    const checked = Array.from(radios).find((radio) => radio.checked);
    return checked ? checked.value : "";
  }
  const field = form.querySelector("[name=value]");
  return field ? field.value : "";
}

function setAnswerValue(form, value) {
  const choices = form.querySelectorAll("input[name=value][type=checkbox], input[name=value][type=radio]");
  if (choices.length) {
    const chosen = Array.isArray(value) ? value : [value];
    choices.forEach((choice) => { choice.checked = chosen.includes(choice.value); });
  } else {
    form.querySelector("[name=value]").value = value;
  }
  updateWordCounter(form);
}

function versionInput(form) {
  return form.querySelector("input[name=version]");
}

function labels(form) {
  return form.closest(".application-form").dataset;
}

function showSaveState(form, text, state) {
  const status = form.querySelector(".answer-status");
  let line = status.querySelector(".save-state");
  if (!line) {
    line = document.createElement("p");
    status.prepend(line);
  }
  line.className = `save-state ${state}`;
  line.textContent = text;
}

function keepLocally(form) {
  const copy = { value: answerValue(form), version: versionInput(form).value, at: Date.now() };
  try {
    localStorage.setItem(tabStorageKey(form), JSON.stringify(copy));
  } catch (error) {
    // Storage full or disabled: the text still stays in the page.
  }
}

function savePending() {
  pendingForms.forEach((form) => window.htmx.trigger(form, "save-now"));
}

function clearDrafts(prefix) {
  Object.keys(localStorage)
    .filter((key) => key.startsWith(prefix))
    .forEach((key) => localStorage.removeItem(key));
}

document.addEventListener("input", (event) => {
  const form = event.target.closest(".answer-form");
  if (!form) {
    return;
  }
  updateWordCounter(form);
  if (!form.hasAttribute("hx-post")) {
    return;
  }
  keepLocally(form);
  pendingForms.add(form);
  showSaveState(form, labels(form).labelUnsaved, "unsaved");
});

document.addEventListener("htmx:beforeRequest", (event) => {
  const form = event.detail.elt;
  if (form.classList && form.classList.contains("answer-form")) {
    form.dataset.sending = JSON.stringify(answerValue(form));
  }
});

document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt;
  if (!form.classList || !form.classList.contains("answer-form") || !event.detail.xhr) {
    return;
  }
  const status = event.detail.xhr.status;
  if (status >= 200 && status < 300 && form.dataset.sending === JSON.stringify(answerValue(form))) {
    localStorage.removeItem(tabStorageKey(form));
    pendingForms.delete(form);
    const restored = restoredCopies.get(form);
    if (restored && restored.value === form.dataset.sending) {
      localStorage.removeItem(restored.key);
      restoredCopies.delete(form);
    }
  }
});

document.addEventListener("htmx:sendError", (event) => {
  const form = event.detail.elt;
  if (form.classList && form.classList.contains("answer-form")) {
    pendingForms.add(form);
    showSaveState(form, labels(form).labelOffline, "not-saved");
  }
});

document.addEventListener("htmx:responseError", (event) => {
  const form = event.detail.elt;
  if (!form.classList || !form.classList.contains("answer-form")) {
    return;
  }
  pendingForms.add(form);
  if (event.detail.xhr.status === 401) {
    showSaveState(form, labels(form).labelExpired, "not-saved");
    const banner = document.querySelector(".session-banner");
    if (banner) {
      banner.hidden = false;
    }
  } else {
    showSaveState(form, labels(form).labelError, "not-saved");
  }
});

window.addEventListener("online", savePending);

document.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (!button) {
    return;
  }
  if (button.classList.contains("save-pending")) {
    document.querySelector(".session-banner").hidden = true;
    savePending();
    return;
  }
  if (button.classList.contains("restore-copy")) {
    restoreOtherTabCopy(button);
    return;
  }
  const form = button.closest(".answer-form");
  const conflict = button.closest(".conflict");
  if (!form || !conflict) {
    return;
  }
  versionInput(form).value = conflict.dataset.savedVersion;
  if (button.classList.contains("keep-mine")) {
    window.htmx.trigger(form, "save-now");
  } else if (button.classList.contains("keep-saved")) {
    setAnswerValue(form, JSON.parse(button.dataset.savedJson));
    localStorage.removeItem(tabStorageKey(form));
    pendingForms.delete(form);
    conflict.remove();
    showSaveState(form, labels(form).labelKept, "saved");
  }
});

document.addEventListener("submit", (event) => {
  // Logging out leaves no draft behind on a shared computer.
  if (event.target.matches("form[action$='/accounts/logout/']")) {
    clearDrafts("draft:");
  }
});

function storedCopies(form) {
  const base = form.dataset.storageKey;
  const copies = [];
  Object.keys(localStorage)
    .filter((key) => key === base || key.startsWith(`${base}:`))
    .forEach((key) => {
      try {
        copies.push({ key, ...JSON.parse(localStorage.getItem(key)) });
      } catch (error) {
        localStorage.removeItem(key);
      }
    });
  return copies.sort((first, second) => (first.at || 0) - (second.at || 0));
}

function copyTime(copy) {
  const locale = document.documentElement.lang === "fr" ? "fr-FR" : "en-GB";
  return new Intl.DateTimeFormat(locale, {
    day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).format(new Date(copy.at || Date.now()));
}

function offerOtherTabCopies(form, copies) {
  const text = labels(form);
  const box = document.createElement("div");
  box.className = "other-tab-copies message message-info";
  const list = document.createElement("ul");
  copies.forEach((copy) => {
    const item = document.createElement("li");
    item.className = "other-tab-copy";
    item.dataset.copyKey = copy.key;
    const label = document.createElement("span");
    label.className = "other-tab-copy-label";
    label.textContent = text.labelOtherTab.replace("%(time)s", copyTime(copy));
    const quote = document.createElement("blockquote");
    quote.className = "other-tab-copy-text";
    quote.textContent = Array.isArray(copy.value) ? copy.value.join(", ") : copy.value;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button restore-copy";
    button.textContent = text.labelRestore;
    item.append(label, " ", quote, button);
    list.append(item);
  });
  box.append(list);
  form.querySelector(".answer-status").before(box);
}

function restoreOtherTabCopy(button) {
  const form = button.closest(".answer-form");
  const item = button.closest(".other-tab-copy");
  const stored = localStorage.getItem(item.dataset.copyKey);
  if (!form || !stored) {
    item.remove();
    return;
  }
  const copy = JSON.parse(stored);
  setAnswerValue(form, copy.value);
  // Saved with the version it was typed on: a newer text from elsewhere shows as a conflict.
  versionInput(form).value = copy.version;
  keepLocally(form);
  restoredCopies.set(form, { key: item.dataset.copyKey, value: JSON.stringify(copy.value) });
  const box = item.closest(".other-tab-copies");
  item.remove();
  if (!box.querySelector(".other-tab-copy")) {
    box.remove();
  }
  pendingForms.add(form);
  showSaveState(form, labels(form).labelUnsaved, "unsaved");
  window.htmx.trigger(form, "save-now");
}

window.addEventListener("load", () => {
  document.querySelectorAll("[data-clear-drafts]").forEach((element) => {
    clearDrafts(element.dataset.clearDrafts);
  });
  document.querySelectorAll(".answer-form").forEach((form) => {
    updateWordCounter(form);
    if (!form.hasAttribute("hx-post")) {
      return;
    }
    const current = JSON.stringify(answerValue(form));
    const base = form.dataset.storageKey;
    const others = [];
    let own = null;
    storedCopies(form).forEach((copy) => {
      if (JSON.stringify(copy.value) === current) {
        localStorage.removeItem(copy.key);  // the server has this text already
      } else if (copy.key === base || (previousTabId && copy.key === `${base}:${previousTabId}`)) {
        own = copy;  // left by this very tab before a reload (or by an older version of this script)
      } else {
        others.push(copy);
      }
    });
    if (others.length) {
      offerOtherTabCopies(form, others);
    }
    if (!own) {
      return;
    }
    // Text typed here that never reached the server: put it back and save it. Saved with its
    // old version, a newer text from elsewhere shows as a conflict instead of being lost.
    setAnswerValue(form, own.value);
    versionInput(form).value = own.version;
    keepLocally(form);
    localStorage.removeItem(own.key);
    pendingForms.add(form);
    showSaveState(form, labels(form).labelUnsaved, "unsaved");
    window.htmx.trigger(form, "save-now");
  });
});
