// "Did you mean": when the automatic answers are unsure, the bridge puts the chat in the queue
// for a librarian and sends the likely answers (`suggestions`, at most three). They are shown
// as buttons under the conversation, in a group with a name, and read out once. Picking one
// sends `pick`; the bridge answers with the entry as a `bot` message while the chat keeps
// waiting for the librarian. The buttons go away after a pick, when the patron says they
// will wait, and when a librarian answers. The bridge sends them once, so they are kept in
// sessionStorage to come back after a reload or on the site's next page.

import { validOption } from "./storage.js";

const $ = (id) => document.getElementById(id);
const MAX_OPTIONS = 3;

export class Suggestions {
  /**
   * @param {(key: string, params?: object) => string} t translator
   * @param {import("./storage.js").ChatStorage} storage where the choices on offer are kept
   * @param {{send: (frame: object) => boolean, say: (text: string) => void,
   *          notice: (text: string) => void, done: () => void}} hooks
   *   send: false when the socket is down; say: read out; notice: a line in the conversation;
   *   done: the choices went away by the patron's hand (the focus moves on)
   */
  constructor(t, storage, hooks) {
    this.t = t;
    this.storage = storage;
    this.hooks = hooks;
    this.picked = null; // a `pick` waiting for the bot's answer (or an error)
    $("suggest-wait").addEventListener("click", () => {
      this.clear();
      this.hooks.done();
    });
  }

  get shown() {
    return !$("suggest").hidden;
  }

  /** A `suggestions` frame from the bridge: show and read out the choices. */
  offer(options) {
    const list = (Array.isArray(options) ? options : []).filter(validOption).slice(0, MAX_OPTIONS);
    this.storage.suggestions = list;
    this.render(list);
    if (list.length) {
      this.hooks.say(this.t("suggestAnnounce", { options: list.map((o) => o.label).join(", ") }));
    }
  }

  /** After `welcome`: the choices kept from before, if the chat still waits (not read out again). */
  restore(state, history) {
    const answered = history.some((m) => m.from === "librarian");
    if (state !== "queued" || answered) this.storage.suggestions = [];
    this.render(this.storage.suggestions);
  }

  render(list) {
    const items = list.map((option) => {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button secondary suggest-option";
      button.textContent = option.label;
      button.dataset.faq = option.faq;
      button.addEventListener("click", () => this.pick(option));
      li.append(button);
      return li;
    });
    $("suggest-options").replaceChildren(...items);
    $("suggest").hidden = items.length === 0;
  }

  pick(option) {
    if (!this.hooks.send({ type: "pick", faq: option.faq })) {
      this.hooks.notice(this.t("pickNotSent"));
      return; // the choices stay for another try
    }
    this.picked = option.faq;
    this.clear();
    this.hooks.done();
  }

  /** A bot message: the answer to our pick has come. */
  onBotMessage() {
    this.picked = null;
  }

  /** An `error` frame: handled (true) if it answers our `pick`. */
  onError(frame) {
    if (this.picked === null || frame.code !== "bad_request") return false;
    this.picked = null;
    this.hooks.notice(this.t("pickGone"));
    return true;
  }

  /** Take the choices away (picked, dismissed, a librarian answered, the chat is over). */
  clear() {
    this.storage.suggestions = [];
    this.render([]);
  }
}
