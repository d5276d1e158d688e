// The patron's copy of the conversation: a plain-text download or a printout.
// Built from the messages the widget holds; nothing is fetched.

import { formatDate } from "./view.js";

function lines(messages, t, nameOf, formatTime) {
  return messages.map((m) => `[${formatTime(m.ts)}] ${nameOf(m)}: ${m.text}`);
}

/** Offer the conversation as a .txt file. */
export function downloadTranscript(messages, t, nameOf, formatTime) {
  const date = new Date().toISOString().slice(0, 10);
  const text = [`${t("transcriptTitle")} ${date}`, "", ...lines(messages, t, nameOf, formatTime)]
    .join("\r\n");
  const blob = new Blob([text + "\r\n"], { type: "text/plain;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = `chat-${date}.txt`;
  document.body.append(a);
  a.click();
  a.remove();
  // Give the browser time to start the download before the address is revoked.
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** Print only the conversation (the print stylesheet hides the rest of the panel). */
export function printTranscript(area, messages, t, nameOf, formatTime) {
  area.replaceChildren();
  const h = document.createElement("h1");
  h.textContent = `${t("transcriptTitle")} ${formatDate(document.documentElement.lang)}`;
  area.append(h);
  for (const m of messages) {
    const p = document.createElement("p");
    p.textContent = `[${formatTime(m.ts)}] ${nameOf(m)}: ${m.text}`;
    area.append(p);
  }
  window.print();
}
