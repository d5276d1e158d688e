// The conversation on screen: the list of messages, delivery marks, and what screen readers
// hear. The list itself is not a live region (a resumed chat would be read out again);
// new lines are announced through #announcer instead.

import {
  authorName, botActions, displayText, messageItem, pickActions, setDelivery,
} from "./view.js";

const $ = (id) => document.getElementById(id);
// Long enough for a screen reader to pick the line up (it queues polite ones), short
// enough that nobody browsing the panel meets it as a stray paragraph.
const ANNOUNCE_MS = 5000;

export class Conversation {
  constructor(t, formatTime) {
    this.t = t;
    this.formatTime = formatTime;
    this.messages = []; // what the transcript shows, in order
    this.items = new Map(); // message id → <li>
  }

  has(id) {
    return this.items.has(id);
  }

  get last() {
    return this.messages[this.messages.length - 1];
  }

  clear() {
    this.messages = [];
    this.items.clear();
    $("log").replaceChildren();
  }

  /** Show one message; `delivery` ("sending", "delivered", …) for the patron's own lines. */
  add(msg, delivery) {
    const item = {
      id: String(msg.id), from: msg.from, name: msg.name, text: String(msg.text ?? ""),
      ts: msg.ts || new Date().toISOString(),
    };
    const li = messageItem(document, item, this.t, this.formatTime);
    if (delivery) setDelivery(li, delivery, this.t);
    this.messages.push(item);
    this.items.set(item.id, li);
    $("log").append(li);
    $("hint").hidden = true;
    this.scrollToEnd();
    return li;
  }

  /** A local notice (not from the bridge): shown and read out, not in the transcript. */
  notice(text) {
    const li = document.createElement("li");
    li.className = "msg notice";
    li.textContent = text;
    $("log").append(li);
    this.say(text);
    this.scrollToEnd();
  }

  /** The bridge stored the patron's line at `ts`: show that time (one clock for every line). */
  confirm(id, ts) {
    const li = this.items.get(id);
    const item = this.messages.find((m) => m.id === id);
    if (!li || !item || typeof ts !== "string") return;
    item.ts = ts;
    const when = li.querySelector("time.when");
    if (when) {
      when.dateTime = ts;
      when.textContent = this.formatTime(ts);
    }
  }

  mark(id, status, reason) {
    const li = this.items.get(id);
    if (li) setDelivery(li, status, this.t, reason);
  }

  scrollToEnd() {
    const wrap = $("log-wrap");
    wrap.scrollTop = wrap.scrollHeight;
  }

  /** Read out a new message from someone else. */
  announce(msg) {
    const text = displayText(msg, this.t);
    this.say(this.t("newMessage", { name: authorName(msg, this.t), text }));
  }

  /**
   * Read out a line (polite: after what the screen reader is saying now), then take it away
   * again: a line left in the region would meet browse-mode users a second time after the
   * message itself. Removals are not read out (aria-relevant defaults to additions).
   */
  say(text) {
    const region = $("announcer");
    const p = document.createElement("p");
    p.textContent = text;
    region.append(p);
    while (region.childElementCount > 3) region.firstElementChild.remove();
    setTimeout(() => p.remove(), ANNOUNCE_MS);
  }

  /** "That helped" / "Ask a librarian" under the latest automatic answer, if it is last. */
  offerBotActions(show, onHelped, onHandoff) {
    this.removeBotActions();
    const last = this.last;
    if (!show || !last || last.from !== "bot") return;
    this.items.get(last.id).append(botActions(document, this.t, onHelped, onHandoff));
    this.scrollToEnd();
  }

  /** "That helped – end chat" / "I'll wait" under an answer picked while a librarian is awaited. */
  offerPickActions(onEnd, onWait) {
    this.removeBotActions();
    const last = this.last;
    if (!last || last.from !== "bot") return;
    this.items.get(last.id).append(pickActions(document, this.t, onEnd, onWait));
    this.scrollToEnd();
  }

  removeBotActions() {
    for (const old of document.querySelectorAll(".bot-actions")) old.remove();
  }

  /** The conversation as the patron saw it (system codes translated). */
  transcript() {
    return this.messages.map((m) => ({ ...m, text: displayText(m, this.t) }));
  }
}
