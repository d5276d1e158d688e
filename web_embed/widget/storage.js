// What the widget keeps in sessionStorage (this tab only, on the bridge's origin):
// the session token, the patron's lines the bridge has not acknowledged yet, whether the
// patron has answered the rating question of this chat, and the "Did you mean" choices still
// on offer (the bridge sends them once, not in the history).
// sessionStorage, not localStorage: a shared library PC must not reopen yesterday's chat,
// while navigation and reloads within the tab keep it.

const PREFIX = "tiski.";

function key(library, name) {
  return `${PREFIX}${library}.${name}`;
}

function read(k) {
  try {
    return window.sessionStorage.getItem(k);
  } catch {
    return null; // storage disabled: the chat still works, only without resume
  }
}

function write(k, value) {
  try {
    if (value === null) window.sessionStorage.removeItem(k);
    else window.sessionStorage.setItem(k, value);
  } catch {
    /* storage full or disabled: nothing to do */
  }
}

/**
 * Can this frame keep anything? Browsers that block third-party storage (private windows,
 * strict tracking protection) refuse it when the bridge is on another site than the page;
 * the chat then works within one page only (see docs/widget.md, "Deployment").
 */
function probe() {
  try {
    const k = `${PREFIX}probe`;
    window.sessionStorage.setItem(k, "1");
    window.sessionStorage.removeItem(k);
    return true;
  } catch {
    return false;
  }
}

/** A choice as the bridge sends it: {faq: entry id, label: button text}. */
export function validOption(o) {
  return Boolean(o) && typeof o.faq === "string" && o.faq !== "" &&
    typeof o.label === "string" && o.label.trim() !== "";
}

/** Session token and outbox for one library's chat. */
export class ChatStorage {
  constructor(library) {
    this.library = library;
    this.available = probe();
  }

  get token() {
    return read(key(this.library, "session"));
  }

  set token(value) {
    // The rating answer and the choices belong to one chat: a new token (a new chat) forgets them.
    if ((value || null) !== this.token) {
      write(key(this.library, "rating"), null);
      write(key(this.library, "suggestions"), null);
    }
    write(key(this.library, "session"), value || null);
  }

  /** The patron's answer to "rate this chat": "rated", "declined" or null (not asked yet). */
  get rating() {
    return read(key(this.library, "rating"));
  }

  set rating(value) {
    write(key(this.library, "rating"), value || null);
  }

  /** The id of the last message the patron saw in the open panel (for unread counts). */
  get seen() {
    return read(key(this.library, "seen"));
  }

  set seen(id) {
    write(key(this.library, "seen"), id || null);
  }

  /** "Did you mean" choices on offer: [{faq, label}], empty when none. */
  get suggestions() {
    try {
      const list = JSON.parse(read(key(this.library, "suggestions")) || "[]");
      return Array.isArray(list) ? list.filter(validOption) : [];
    } catch {
      return [];
    }
  }

  set suggestions(list) {
    write(key(this.library, "suggestions"), list.length ? JSON.stringify(list) : null);
  }

  /** Unacknowledged lines: [{id, text, ts}] in the order they were written. */
  get outbox() {
    try {
      const list = JSON.parse(read(key(this.library, "outbox")) || "[]");
      return Array.isArray(list) ? list.filter((m) => m && typeof m.id === "string") : [];
    } catch {
      return [];
    }
  }

  set outbox(list) {
    write(key(this.library, "outbox"), list.length ? JSON.stringify(list) : null);
  }
}
