// Rendering of the conversation: one <li> per message, built with textContent only.

import { locale, pickLang } from "./i18n.js";
import { appendText } from "./linkify.js";

// Whose links become clickable: people and the FAQ we trust to send addresses, not the
// patron's own lines (those are shown exactly as typed).
const LINKIFY = new Set(["librarian", "bot", "system"]);

/**
 * Formats times in the panel's language (24-hour clock), in the library's time zone when the
 * bridge has said which (`welcome.timezone`), else in the patron's own.
 */
export function timeFormatter(lang, timeZone) {
  let fmt;
  try {
    fmt = new Intl.DateTimeFormat(locale(lang), { hour: "2-digit", minute: "2-digit", timeZone });
  } catch {
    fmt = new Intl.DateTimeFormat(locale(lang), { hour: "2-digit", minute: "2-digit" });
  }
  return (iso) => {
    const d = iso ? new Date(iso) : new Date();
    return Number.isNaN(d.getTime()) ? "" : fmt.format(d);
  };
}

/** Formats a whole date and time ("next opening"), or "" when `iso` is not a date. */
export function formatWhen(lang, iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  // Finnish and Swedish write 30.11.; in English the month's name avoids the US/UK doubt.
  return new Intl.DateTimeFormat(locale(lang), {
    weekday: "long", day: "numeric", month: pickLang(lang) === "en" ? "long" : "numeric",
    hour: "2-digit", minute: "2-digit",
  }).format(d);
}

/** A date alone ("30.11.2026", "30 Nov 2026"), for the transcript's heading. */
export function formatDate(lang, date = new Date()) {
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: "medium" }).format(date);
}

/** A message's text; the bridge's system lines come as codes we translate. */
export function displayText(msg, t) {
  const text = String(msg.text ?? "");
  if (msg.from === "system" && /^[a-z_]+$/.test(text)) {
    const key = `sys_${text}`;
    const translated = t(key);
    if (translated !== key) return translated;
  }
  return text;
}

/** The display name of a message's author. */
export function authorName(msg, t) {
  if (msg.from === "patron") return t("you");
  // Automatic answers always say so, whatever name the bridge gives its bot.
  if (msg.from === "bot") return t("bot");
  if (msg.name) return String(msg.name);
  return t(msg.from === "bot" ? "bot" : msg.from === "system" ? "system" : "librarian");
}

/**
 * Build the list item for one message.
 * @param {{id:string, from:string, name?:string, text:string, ts?:string}} msg
 */
export function messageItem(doc, msg, t, formatTime) {
  const li = doc.createElement("li");
  li.className = `msg from-${["patron", "librarian", "bot", "system"].includes(msg.from) ? msg.from : "system"}`;
  li.dataset.id = msg.id;

  const meta = doc.createElement("p");
  meta.className = "meta";
  const who = doc.createElement("span");
  who.className = "who";
  who.textContent = authorName(msg, t);
  const when = doc.createElement("time");
  when.className = "when";
  if (msg.ts) when.dateTime = msg.ts;
  when.textContent = formatTime(msg.ts);
  meta.append(who, " ", when);

  const body = doc.createElement("p");
  body.className = "text";
  appendText(body, displayText(msg, t), LINKIFY.has(msg.from));

  li.append(meta, body);
  // The bridge's "message saved" line confirms the leave-a-message form, which thanks the
  // patron itself: shown once there, kept here for the transcript.
  if (msg.from === "system" && msg.text === "message_saved") li.hidden = true;
  if (msg.from === "patron") {
    const status = doc.createElement("p");
    status.className = "delivery";
    li.append(status);
  }
  return li;
}

/** Show a patron line's delivery state: "sending", "delivered", "retry" or "failed". */
export function setDelivery(li, status, t, reason) {
  const el = li.querySelector(".delivery");
  if (!el) return;
  li.dataset.delivery = status;
  const key = { sending: "sending", delivered: "delivered", retry: "willRetry" }[status];
  el.textContent = key ? t(key) : reason || t("failed");
}

function actionButton(doc, text, className, onClick) {
  const button = doc.createElement("button");
  button.type = "button";
  button.className = className;
  button.textContent = text;
  button.addEventListener("click", onClick);
  return button;
}

/** The buttons under an automatic answer. */
export function botActions(doc, t, onHelped, onHandoff) {
  const wrap = doc.createElement("div");
  wrap.className = "bot-actions";
  wrap.append(
    actionButton(doc, t("helped"), "button secondary small", onHelped),
    actionButton(doc, t("askLibrarian"), "button small", onHandoff),
  );
  return wrap;
}

/** The buttons under an answer the patron picked while a librarian is on the way. */
export function pickActions(doc, t, onEnd, onWait) {
  const wrap = doc.createElement("div");
  wrap.className = "bot-actions pick-actions";
  wrap.append(
    actionButton(doc, t("pickHelped"), "button secondary small", onEnd),
    actionButton(doc, t("keepWaiting"), "button small", onWait),
  );
  return wrap;
}
