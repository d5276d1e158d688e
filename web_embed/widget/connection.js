// One WebSocket to the bridge that reconnects by itself, and says honestly whether it works.
//
// The bridge keeps the chat; a socket is only a pipe. So when it drops we simply open a new
// one and the widget sends `hello` with its session token again (the bridge answers with
// `welcome` and the full history). Back-off grows 1 s, 2 s, 4 s … up to 30 s with jitter so
// that a bridge restart is not met by every patron at the same instant.
//
// A socket can also die without closing: a phone switches networks, a NAT forgets the
// mapping, the browser goes offline and keeps the old socket "open". So the connection does
// not wait for a close event: the browser's `offline` drops it at once, and a frame that
// expects an answer (hello, a message, the heartbeat's ping) that gets none within
// `timing.reply` ms means the pipe is dead. Any frame from the bridge counts as an answer.

const MIN_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;

export class Connection {
  /**
   * @param {string} url ws:// or wss:// address of the bridge's /ws
   * @param {{onOpen: () => void, onFrame: (frame: object) => void,
   *          onStatus: (status: {state: string, retryAt?: number}) => void,
   *          wantsHeartbeat?: () => boolean}} handlers
   */
  constructor(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.socket = null;
    this.attempt = 0;
    this.retryTimer = null;
    this.stopped = false;
    // heartbeat: ping after this long without a frame from the bridge (while it matters);
    // reply: a frame expecting an answer (or a connect) gets none this long → the pipe is dead.
    this.timing = { heartbeat: 25000, reply: 10000 };
    this.lastHeard = 0; // when the bridge last sent anything on this socket
    this.awaitingSince = null; // oldest unanswered frame (or the connect) on this socket
    this.pingOutstanding = false;
    this.watchTimer = setInterval(() => this.watch(), 500);
    window.addEventListener("online", () => this.retryNow());
    window.addEventListener("offline", () => this.drop());
    // Phones freeze background tabs; when the patron comes back, don't wait for the timer.
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") {
        this.retryNow();
        this.probe(); // the socket may have died while the tab slept
      }
    });
  }

  /** Open the socket (no-op while one is open or opening). */
  connect() {
    if (this.stopped || this.socket) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (!navigator.onLine) {
      this.handlers.onStatus({ state: "offline" });
      return; // the `online` event connects
    }
    this.handlers.onStatus({ state: "connecting" });
    let socket;
    try {
      socket = new WebSocket(this.url);
    } catch (err) {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    this.awaitingSince = Date.now(); // the handshake itself must be answered in time
    this.pingOutstanding = false;
    socket.addEventListener("open", () => {
      if (this.socket !== socket) return;
      this.attempt = 0;
      this.heard();
      this.handlers.onStatus({ state: "open" });
      this.handlers.onOpen();
    });
    socket.addEventListener("message", (event) => {
      if (this.socket !== socket) return; // a socket we gave up on
      this.heard();
      this.receive(event.data);
    });
    socket.addEventListener("close", () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.scheduleRetry();
    });
    // An error is always followed by close; the retry is scheduled there.
  }

  heard() {
    this.lastHeard = Date.now();
    this.awaitingSince = null;
    this.pingOutstanding = false;
  }

  /** Parse one frame; the bridge only sends JSON objects with a `type`. */
  receive(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (!frame || typeof frame !== "object" || typeof frame.type !== "string") return;
    // The heartbeat's answer: `pong`, or from a bridge without it, the error for an unknown
    // frame type (CONTRACTS §1: the connection stays usable). Neither concerns the chat.
    if (frame.type === "pong") return;
    if (frame.type === "error" && frame.code === "bad_request" && /'ping'/.test(frame.message)) {
      return;
    }
    this.handlers.onFrame(frame);
  }

  /** Send a frame now; returns false when the socket is not open (the caller keeps it). */
  send(frame) {
    if (!this.isOpen()) return false;
    this.socket.send(JSON.stringify(frame));
    // `typing` is never answered; everything else the widget sends is.
    if (frame.type !== "typing" && this.awaitingSince === null) this.awaitingSince = Date.now();
    return true;
  }

  isOpen() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  /** Ask the bridge for any answer (a heartbeat), unless one is already awaited. */
  probe() {
    if (!this.isOpen() || this.awaitingSince !== null) return;
    this.pingOutstanding = true;
    this.send({ type: "ping" });
  }

  /** Twice a second: a dead pipe is dropped; a quiet one is probed while it matters. */
  watch() {
    if (!this.socket) return;
    const now = Date.now();
    if (this.awaitingSince !== null && now - this.awaitingSince > this.timing.reply) {
      this.drop();
      return;
    }
    const wanted = this.handlers.wantsHeartbeat ? this.handlers.wantsHeartbeat() : true;
    if (wanted && this.isOpen() && now - this.lastHeard > this.timing.heartbeat) this.probe();
  }

  /** Give up on the current socket (dead or offline) and reconnect when we can. */
  drop() {
    const old = this.socket;
    if (!old) {
      if (!navigator.onLine) this.handlers.onStatus({ state: "offline" });
      return;
    }
    this.socket = null;
    this.awaitingSince = null;
    try {
      old.close(4001, "no answer");
    } catch {
      /* already closing */
    }
    this.scheduleRetry();
  }

  scheduleRetry() {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
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
