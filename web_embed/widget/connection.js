// One WebSocket to the bridge that reconnects by itself.
//
// The bridge keeps the chat; a socket is only a pipe. So when it drops we simply open a new
// one and the widget sends `hello` with its session token again (the bridge answers with
// `welcome` and the full history). Back-off grows 1 s, 2 s, 4 s … up to 30 s with jitter so
// that a bridge restart is not met by every patron at the same instant.

const MIN_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;

export class Connection {
  /**
   * @param {string} url ws:// or wss:// address of the bridge's /ws
   * @param {{onOpen: () => void, onFrame: (frame: object) => void,
   *          onStatus: (status: {state: string, retryAt?: number}) => void}} handlers
   */
  constructor(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.socket = null;
    this.attempt = 0;
    this.retryTimer = null;
    this.stopped = false;
    window.addEventListener("online", () => this.retryNow());
    // Phones freeze background tabs; when the patron comes back, don't wait for the timer.
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.retryNow();
    });
  }

  /** Open the socket (no-op while one is open or opening). */
  connect() {
    if (this.stopped || this.socket) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.handlers.onStatus({ state: "connecting" });
    let socket;
    try {
      socket = new WebSocket(this.url);
    } catch (err) {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.attempt = 0;
      this.handlers.onStatus({ state: "open" });
      this.handlers.onOpen();
    });
    socket.addEventListener("message", (event) => this.receive(event.data));
    socket.addEventListener("close", () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.scheduleRetry();
    });
    // An error is always followed by close; the retry is scheduled there.
  }

  /** Parse one frame; the bridge only sends JSON objects with a `type`. */
  receive(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (frame && typeof frame === "object" && typeof frame.type === "string") {
      this.handlers.onFrame(frame);
    }
  }

  /** Send a frame now; returns false when the socket is not open (the caller keeps it). */
  send(frame) {
    if (!this.isOpen()) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  isOpen() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  scheduleRetry() {
    if (this.stopped) return;
    if (!navigator.onLine) {
      this.handlers.onStatus({ state: "offline" });
      return; // the `online` event reconnects
    }
    const base = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** this.attempt);
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    this.attempt += 1;
    const retryAt = Date.now() + delay;
    this.handlers.onStatus({ state: "waiting", retryAt });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  /** Skip the back-off wait (button "Try now", network back, tab visible again). */
  retryNow() {
    if (this.stopped || this.socket) return;
    this.attempt = 0;
    this.connect();
  }

  /** Close on purpose and reconnect at once (e.g. after "Start a new chat"). */
  restart() {
    const old = this.socket;
    this.socket = null;
    if (old) old.close(1000, "restart");
    this.attempt = 0;
    this.connect();
  }
}
