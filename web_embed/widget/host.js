// The channel between the panel (this iframe) and embed.js in the library's page.
//
// Only UI events cross it (open, close, unread, status, layout) — never the session token
// or message text: the host page runs scripts we do not control.

/** The library page's origin, from the `page` parameter embed.js passes (or the referrer). */
export function parentOrigin(params) {
  for (const candidate of [params.get("page"), document.referrer]) {
    try {
      const url = new URL(candidate);
      if (url.protocol === "http:" || url.protocol === "https:") return url.origin;
    } catch {
      /* try the next one */
    }
  }
  return null;
}

export class HostChannel {
  /** @param {string|null} origin the only origin we talk to; null: standalone page */
  constructor(origin, onMessage) {
    this.origin = origin;
    this.embedded = window.parent !== window && origin !== null;
    window.addEventListener("message", (event) => {
      if (!this.embedded || event.source !== window.parent || event.origin !== this.origin) return;
      const data = event.data;
      if (data && data.tiski === 1 && typeof data.type === "string") onMessage(data);
    });
  }

  post(type, fields = {}) {
    if (!this.embedded) return;
    window.parent.postMessage({ tiski: 1, type, ...fields }, this.origin);
  }
}
