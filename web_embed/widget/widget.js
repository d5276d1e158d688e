// The chat panel. It runs inside an iframe served by the bridge, so the session token and the
// transcript stay on the bridge's origin, out of reach of the library page's scripts.
//
// Flow: open the WebSocket → `hello` (with the token from sessionStorage, if any) → `welcome`
// (token, state, history) → live frames. Every patron line gets a client-chosen id and stays
// in the outbox until the bridge's `ack`; after a reconnect the outbox is sent again with the
// same ids and the bridge drops the duplicates.

import { LeaveForm } from "./closed.js";
import { Connection } from "./connection.js";
import { HostChannel, parentOrigin } from "./host.js";
import { pickLang, translator } from "./i18n.js";
import { RatingForm } from "./rating.js";
import { ChatStorage } from "./storage.js";
import { Suggestions } from "./suggestions.js";
import { downloadTranscript, printTranscript } from "./transcript.js";
import { Conversation } from "./conversation.js";
import { authorName, timeFormatter } from "./view.js";

const LIVE_STATES = new Set(["bot", "queued", "active"]);
const TYPING_IDLE_MS = 3000; // no keystroke this long: tell the librarian we paused
const TYPING_SHOW_MS = 15000; // hide "is typing" if the librarian's client never says paused
const RATE_LIMIT_RETRY_MS = 3000;
// The connection checks itself with a heartbeat only while a patron is around: an abandoned
// tab must let the bridge close its socket when idle (limits.idle_timeout_seconds).
const PRESENT_MS = 5 * 60 * 1000;

const $ = (id) => document.getElementById(id);

/** A unique message id; randomUUID needs a secure context, so fall back to random bytes. */
function newId() {
  if (window.crypto?.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** ws(s)://<this origin>/ws — the widget is always served by the bridge it talks to. */
function socketUrl() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws`;
}

/** Accept only #rgb / #rrggbb colours from the query string. */
function safeColour(value) {
  return /^#(?:[0-9a-f]{3}){1,2}$/i.test(value || "") ? value : null;
}

class Widget {
  constructor(params) {
    this.library = params.get("library") || "";
    this.lang = pickLang(params.get("lang") || navigator.language);
    this.page = params.get("page") || null;
    this.t = translator(this.lang);
    this.timeFormat = timeFormatter(this.lang);
    this.formatTime = (iso) => this.timeFormat(iso); // the zone comes with `welcome`
    this.storage = new ChatStorage(this.library);

    this.log = new Conversation(this.t, this.formatTime);
    this.state = null;
    this.visible = window.parent === window; // standalone page: always visible
    this.unread = 0;
    this.typingTimer = null;
    this.composing = false;

    this.host = new HostChannel(parentOrigin(params), (msg) => this.onHostMessage(msg));
    this.lastActivity = Date.now();
    this.conn = new Connection(socketUrl(), {
      onOpen: () => this.sendHello(),
      onFrame: (frame) => this.onFrame(frame),
      onStatus: (status) => this.showConnection(status),
      wantsHeartbeat: () => this.patronPresent(),
    });
    this.leave = new LeaveForm(this.t, this.lang, (frame) => this.conn.send(frame));
    this.rating = new RatingForm(this.t, this.storage, (frame) => this.conn.send(frame));
    this.suggest = new Suggestions(this.t, this.storage, {
      send: (frame) => this.conn.send(frame),
      say: (text) => this.log.say(text),
      notice: (text) => this.log.notice(text),
      done: () => $("text").focus(),
    });
    this.waitingOn = null; // the bot answer whose "That helped – end chat" the patron put aside
    this.applyColours(params);
  }

  start() {
    this.translatePage();
    this.bindControls();
    // Lines written before a reload are shown at once, marked as not yet delivered.
    for (const m of this.storage.outbox) this.log.add({ ...m, from: "patron" }, "sending");
    this.conn.connect();
    this.host.post("ready");
  }

  // ---- page setup ---------------------------------------------------------------------

  translatePage() {
    document.documentElement.lang = this.lang;
    document.title = this.t("title");
    for (const el of document.querySelectorAll("[data-i18n]")) {
      el.textContent = this.t(el.dataset.i18n);
    }
    for (const el of document.querySelectorAll("[data-i18n-placeholder]")) {
      el.placeholder = this.t(el.dataset.i18nPlaceholder);
    }
  }

  applyColours(params) {
    const accent = safeColour(params.get("color"));
    const text = safeColour(params.get("text"));
    // CSSOM from our own script is allowed by the page's CSP (inline style attributes are not).
    if (accent) document.documentElement.style.setProperty("--accent", accent);
    if (text) document.documentElement.style.setProperty("--on-accent", text);
  }

  bindControls() {
    $("composer").addEventListener("submit", (e) => {
      e.preventDefault();
      this.sendText();
    });
    const input = $("text");
    input.addEventListener("keydown", (e) => {
      // Enter sends, Shift+Enter makes a new line; never while an IME is composing.
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.sendText();
      }
    });
    input.addEventListener("input", () => {
      this.autoGrow(input);
      this.noteTyping();
    });
    $("close").addEventListener("click", () => this.host.post("close"));
    $("close").hidden = !this.host.embedded; // a stand-alone panel has nothing to close to
    $("retry").addEventListener("click", () => this.conn.retryNow());
    $("options-toggle").addEventListener("click", () => this.toggleOptions());
    $("download").addEventListener("click", () => this.download());
    $("ended-download").addEventListener("click", () => this.download());
    $("print").addEventListener("click", () => this.print());
    $("ended-print").addEventListener("click", () => this.print());
    $("end").addEventListener("click", () => this.askEnd());
    $("end-yes").addEventListener("click", () => this.endChat());
    $("end-no").addEventListener("click", () => this.hideEndConfirm(true));
    $("new-chat").addEventListener("click", () => this.newChat());
    document.addEventListener("keydown", (e) => this.onKey(e));
    for (const type of ["keydown", "pointerdown", "focusin"]) {
      document.addEventListener(type, () => this.noteActivity(), { passive: true });
    }
  }

  /** The patron is here: before they rely on the connection, make sure it still works. */
  noteActivity() {
    this.lastActivity = Date.now();
    if (Date.now() - this.conn.lastHeard > 5000) this.conn.probe();
  }

  /** Someone is looking at the chat (or waiting for a line to be confirmed). */
  patronPresent() {
    if (this.storage.outbox.length) return true;
    return this.visible && document.visibilityState === "visible" &&
      Date.now() - this.lastActivity < PRESENT_MS;
  }

  onKey(e) {
    if (e.key !== "Escape") return;
    if (!$("options").hidden) {
      this.toggleOptions(false);
      $("options-toggle").focus();
    } else if (!$("end-confirm").hidden) {
      this.hideEndConfirm(true);
    } else {
      this.host.post("close");
    }
  }

  autoGrow(input) {
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight, 140)}px`;
  }

  // ---- host page ----------------------------------------------------------------------

  onHostMessage(msg) {
    if (msg.type === "open") {
      this.visible = true;
      this.noteActivity();
      this.markSeen();
      this.focusMain();
    } else if (msg.type === "close") {
      this.visible = false;
      this.toggleOptions(false);
    } else if (msg.type === "layout") {
      document.documentElement.classList.toggle("fullscreen", Boolean(msg.fullscreen));
    }
  }

  /** Focus what the patron most likely wants next in the current state. */
  focusMain() {
    const target =
      this.state === "closed" ? this.leave.focusTarget()
      : this.state === "ended" ? this.rating.focusTarget() ?? $("ended-download")
      : $("text");
    target.focus({ preventScroll: true });
  }

  /** Tell embed.js whether a chat is going on, so that other pages bring it back. */
  reportStatus() {
    // Going on: a librarian has it or is awaited, or the patron has written and not yet
    // finished (closed without a left message still wants one).
    // Without storage the next page could not resume this chat, so don't ask it to try.
    const ongoing = this.storage.available && (
      this.state === "queued" || this.state === "active" ||
      (this.log.messages.length > 0 && this.state !== "ended" && !this.leave.left));
    this.host.post("status", { state: this.state, ongoing });
  }

  // ---- connection ---------------------------------------------------------------------

  sendHello() {
    this.conn.send({
      type: "hello",
      library: this.library,
      lang: this.lang,
      session: this.storage.token,
      page: this.page,
    });
  }

  showConnection(status) {
    const conn = $("conn");
    // Screen readers hear losing and regaining the connection, not every countdown tick
    // nor the first connect on each page.
    const was = conn.dataset.state;
    const lost = status.state === "waiting" || status.state === "offline";
    if (lost && (was === "open" || !was)) {
      this.log.say(this.t(status.state === "offline" ? "offline" : "connectionLost"));
    }
    if (status.state === "open" && this.everLost) this.log.say(this.t("connected"));
    if (lost) this.everLost = true;
    conn.dataset.state = status.state;
    clearInterval(this.countdown);
    const text = $("conn-text");
    $("retry").hidden = status.state !== "waiting";
    if (status.state === "connecting") text.textContent = this.t("connecting");
    else if (status.state === "open") text.textContent = this.t("connected");
    else if (status.state === "offline") text.textContent = this.t("offline");
    else if (status.state === "waiting") {
      const tick = () => {
        const s = Math.max(0, Math.ceil((status.retryAt - Date.now()) / 1000));
        text.textContent = this.t("reconnecting", { s });
      };
      tick();
      this.countdown = setInterval(tick, 1000);
    }
    if (status.state !== "open") {
      for (const m of this.storage.outbox) this.log.mark(m.id, "retry");
    }
  }

  onFrame(frame) {
    const handler = {
      welcome: () => this.onWelcome(frame),
      ack: () => this.onAck(frame),
      message: () => this.onMessage(frame),
      state: () => this.setState(frame.state, frame),
      typing: () => this.showTyping(frame.state === "composing"),
      error: () => this.onError(frame),
      rated: () => this.rating.onRated(frame),
      suggestions: () => this.onSuggestions(frame),
    }[frame.type];
    if (handler) handler();
  }

  onWelcome(frame) {
    if (frame.session) this.storage.token = frame.session;
    if (typeof frame.timezone === "string") this.timeFormat = timeFormatter(this.lang, frame.timezone);
    this.serviceOpen = frame.open !== false;
    this.leave.setFacts(frame.hours, frame.next_opening);
    const history = Array.isArray(frame.history) ? frame.history : [];
    this.renderHistory(history);
    // A message left earlier in this chat: thank, don't ask again.
    if (history.some((m) => m.from === "system" && m.text === "message_saved")) {
      this.leave.left = true;
    }
    this.setState(frame.state || (this.serviceOpen ? "bot" : "closed"), frame);
    this.suggest.restore(this.state, history);
    this.flushOutbox();
    this.leave.flush();
    this.countUnread();
  }

  /** Everything shown so far has been seen (the panel is open). */
  markSeen() {
    this.unread = 0;
    this.storage.seen = this.log.last?.id ?? null;
    this.host.post("unread", { count: 0 });
  }

  /**
   * Replies the patron has not seen yet: those after the last one seen in an open panel,
   * including any that arrived while the next page was loading.
   */
  countUnread() {
    if (this.visible) {
      this.markSeen();
      return;
    }
    const seen = this.storage.seen;
    const ids = this.log.messages.map((m) => m.id);
    const after = seen && ids.includes(seen) ? ids.indexOf(seen) + 1 : ids.length;
    this.unread = this.log.messages.slice(after).filter((m) => m.from !== "patron").length;
    this.host.post("unread", { count: this.unread });
  }

  /** Replace the shown conversation by the bridge's history, keeping undelivered lines. */
  renderHistory(history) {
    const known = new Set(this.log.items.keys());
    const delivered = new Set(history.filter((m) => m.from === "patron").map((m) => m.id));
    // Lines the bridge has stored are delivered even if their ack was lost with the socket.
    this.storage.outbox = this.storage.outbox.filter((m) => !delivered.has(m.id));
    this.log.clear();
    for (const m of history) {
      this.log.add(m, m.from === "patron" ? "delivered" : null);
      // Anything new since we last saw the chat (e.g. a reply during a reload) is read out.
      if (known.size && !known.has(m.id) && m.from !== "patron") this.log.announce(m);
    }
    for (const m of this.storage.outbox) this.log.add({ ...m, from: "patron" }, "sending");
    this.refreshBotActions();
  }

  flushOutbox() {
    for (const m of this.storage.outbox) {
      if (this.conn.send({ type: "message", id: m.id, text: m.text })) {
        this.log.mark(m.id, "sending");
      }
    }
  }

  onAck(frame) {
    this.storage.outbox = this.storage.outbox.filter((m) => m.id !== frame.id);
    this.log.confirm(frame.id, frame.ts); // the bridge's clock, like every other line
    this.log.mark(frame.id, "delivered");
  }

  onMessage(frame) {
    if (typeof frame.id !== "string" || this.log.has(frame.id)) return;
    if (frame.from === "system" && frame.text === "message_saved") this.leave.left = true;
    this.showTyping(false);
    if (frame.from === "librarian") this.suggest.clear(); // the librarian is here
    if (frame.from === "bot") this.suggest.onBotMessage();
    this.log.add(frame, frame.from === "patron" ? "delivered" : null);
    this.refreshBotActions();
    if (frame.from !== "patron") {
      this.log.announce(frame);
      if (this.visible) {
        this.storage.seen = frame.id;
      } else {
        this.unread += 1;
        this.host.post("unread", { count: this.unread });
      }
    }
    this.reportStatus();
  }

  onError(frame) {
    const code = frame.code;
    if (code === "unknown_session") {
      // The old chat has expired; a new `welcome` with a fresh token follows.
      this.storage.token = null;
      return;
    }
    if (frame.id && this.log.has(frame.id)) {
      if (code === "rate_limited") {
        this.log.mark(frame.id, "failed", this.t("rateLimited"));
        setTimeout(() => this.flushOutbox(), RATE_LIMIT_RETRY_MS);
      } else {
        this.storage.outbox = this.storage.outbox.filter((m) => m.id !== frame.id);
        this.log.mark(frame.id, "failed", code === "too_long" ? this.t("tooLong") : null);
      }
      return;
    }
    if (this.rating.onError(frame)) return; // an answer to the rating, shown in its form
    if (this.suggest.onError(frame)) return; // a pick the bridge no longer offers
    if (code === "closed") {
      this.setState("closed", {});
      return;
    }
    this.log.notice(this.t("errorGeneric", { message: frame.message || code || "?" }));
  }

  // ---- conversation -------------------------------------------------------------------

  /** "Did you mean" choices: shown under the conversation, in view. */
  onSuggestions(frame) {
    if (this.state !== "queued") return; // a librarian took the chat meanwhile
    this.suggest.offer(frame.options);
    this.log.scrollToEnd();
  }

  /**
   * The buttons under the latest automatic answer: while the chat is with the bot, "That
   * helped" / "Ask a librarian"; under an answer picked while waiting for a librarian,
   * "That helped – end chat" / "I'll wait for a librarian".
   */
  refreshBotActions() {
    const last = this.log.last;
    if (this.state === "queued" && last?.from === "bot" && this.waitingOn !== last.id) {
      this.log.offerPickActions(() => this.endChat(), () => this.keepWaiting());
    } else {
      this.log.offerBotActions(this.state === "bot", () => this.helped(), () => this.handoff());
    }
  }

  keepWaiting() {
    this.waitingOn = this.log.last?.id ?? null;
    this.log.removeBotActions();
    $("text").focus();
  }

  helped() {
    this.log.removeBotActions();
    this.log.notice(this.t("helpedThanks"));
    $("text").focus();
  }

  handoff() {
    this.log.removeBotActions();
    this.conn.send({ type: "handoff" });
    this.log.notice(this.t("handoffSent"));
    $("text").focus();
  }

  sendText() {
    const input = $("text");
    const text = input.value.trim();
    if (!text || !LIVE_STATES.has(this.state ?? "bot")) return;
    const msg = { id: newId(), text, ts: new Date().toISOString() };
    this.storage.outbox = [...this.storage.outbox, msg];
    this.log.add({ ...msg, from: "patron" }, "sending");
    const sent = this.conn.send({ type: "message", id: msg.id, text });
    if (!sent) this.log.mark(msg.id, "retry");
    input.value = "";
    this.autoGrow(input);
    this.stopTyping(false);
    this.reportStatus();
  }

  noteTyping() {
    if (!this.composing && $("text").value.trim()) {
      this.composing = true;
      this.conn.send({ type: "typing", state: "composing" });
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stopTyping(true), TYPING_IDLE_MS);
  }

  stopTyping(tell) {
    clearTimeout(this.idleTimer);
    if (this.composing && tell) this.conn.send({ type: "typing", state: "paused" });
    this.composing = false;
  }

  showTyping(on) {
    const el = $("typing");
    clearTimeout(this.typingTimer);
    el.hidden = !on;
    if (on) {
      el.textContent = this.t("typing", { name: this.desk || this.t("librarian") });
      this.typingTimer = setTimeout(() => this.showTyping(false), TYPING_SHOW_MS);
    }
  }

  // ---- chat state ---------------------------------------------------------------------

  setState(state, info) {
    const before = this.state;
    const changed = state !== before;
    this.state = state;
    if (info.desk) this.desk = String(info.desk);
    const line = this.stateText(state, info);
    const el = $("state");
    // A new line (a new state, or a new place in the queue) is read out once.
    const news = line !== el.textContent;
    el.textContent = line;
    el.hidden = !line;
    el.dataset.state = state;
    if (changed && state === "ended") this.sayWhoEnded(before);
    else if (news && line && state !== "bot") this.log.say(line);

    const live = LIVE_STATES.has(state);
    $("composer").hidden = !live;
    $("end").disabled = !live;
    $("closed-box").hidden = state !== "closed";
    $("hint").hidden = state !== "bot" || this.log.messages.length > 0;
    $("ended-box").hidden = state !== "ended";
    if (state === "closed") this.leave.show();
    if (state === "ended") this.rating.show();
    if (state !== "queued") this.suggest.clear(); // a librarian has it, or the chat is over
    if (!live) this.showTyping(false);
    // Focus must not stay on a control that just disappeared (e.g. the message box when
    // the welcome says the service is closed).
    const focused = document.activeElement;
    if (this.visible && changed && (!focused || focused === document.body ||
        !focused.checkVisibility())) this.focusMain();
    this.refreshBotActions();
    this.reportStatus();
  }

  /** "You ended the chat" / "Tampere ended the chat" in the conversation itself. */
  sayWhoEnded(before) {
    if (this.endedByPatron) this.log.notice(this.t("youEnded"));
    else if (before === "active") {
      this.log.notice(this.t("librarianEnded", { name: this.desk || this.t("theLibrarian") }));
    } else if (before) this.log.notice(this.t("stateEnded"));
  }

  stateText(state, info) {
    switch (state) {
      case "bot": return this.t("stateBot");
      case "queued":
        return Number.isInteger(info.position) && info.position > 0
          ? this.t("stateQueuedPos", { n: info.position }) : this.t("stateQueued");
      case "active":
        return this.desk ? this.t("stateActiveDesk", { desk: this.desk }) : this.t("stateActive");
      case "closed": return this.t("stateClosed");
      case "ended": return this.t("stateEnded");
      default: return "";
    }
  }

  askEnd() {
    this.toggleOptions(false);
    $("end-confirm").hidden = false;
    // The safe choice has the focus: Enter by habit must not end the chat.
    $("end-no").focus();
  }

  hideEndConfirm(refocus) {
    $("end-confirm").hidden = true;
    if (refocus) $("text").focus();
  }

  endChat() {
    this.endedByPatron = true;
    this.hideEndConfirm(false);
    this.conn.send({ type: "end" });
    // The bridge answers with state `ended`; show it at once so the tap feels done.
    this.setState("ended", {});
    (this.rating.focusTarget() ?? $("ended-download")).focus();
  }

  newChat() {
    this.endedByPatron = false;
    this.storage.token = null;
    this.storage.outbox = [];
    this.log.clear();
    this.desk = null;
    this.leave.reset();
    this.rating.reset();
    $("hint").hidden = false;
    this.setState("bot", {}); // until the new welcome says otherwise
    this.conn.restart();
    $("text").focus();
  }

  toggleOptions(force) {
    const menu = $("options");
    const open = force ?? menu.hidden;
    menu.hidden = !open;
    $("options-toggle").setAttribute("aria-expanded", String(open));
    if (open) menu.querySelector("button:not([disabled])")?.focus();
  }

  download() {
    this.toggleOptions(false);
    downloadTranscript(this.log.transcript(), this.t, (m) => authorName(m, this.t), this.formatTime);
  }

  print() {
    this.toggleOptions(false);
    printTranscript($("print-area"), this.log.transcript(), this.t, (m) => authorName(m, this.t),
      this.formatTime);
  }
}

const widget = new Widget(new URLSearchParams(location.search));
widget.start();
// For tests and debugging in the browser console only; holds no secrets the page lacks.
window.tiskiWidget = widget;
