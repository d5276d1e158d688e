/*
 * Tiski chat — the one script a library page embeds:
 *
 *   <script src="https://BRIDGE/embed.js" data-library="tampere" data-lang="fi" async></script>
 *
 * It adds a launcher button and, on the first tap, an iframe with the chat panel served by
 * the same bridge. The panel keeps the session token and the conversation on the bridge's
 * origin; this script only learns UI events (open, close, unread, status) by postMessage,
 * checked by origin both ways. No build step, no dependencies; see docs/widget.md.
 *
 * It never strands a patron: it first asks the bridge whether this site may embed the chat
 * (no launcher where it may not), shows a small shell of its own in the page's language until
 * the panel says `ready`, and if the panel does not come, the library's phone and web address.
 */
(function () {
  "use strict";

  var script = document.currentScript ||
    document.querySelector('script[src*="/embed.js"][data-library]');
  if (!script || window.TiskiEmbed) return; // embedded twice: the first one wins

  var BRIDGE = new URL(script.src, location.href).origin;
  var SMALL_WIDTH = 600; // below this (or SMALL_HEIGHT) the open panel takes the whole screen
  var SMALL_HEIGHT = 500;
  var EDGE = 16; // gap between the launcher and the viewport's edge
  var CLEARANCE = 4; // a control closer than this to the launcher counts as covered
  var READY_TIMEOUT = 15000; // no `ready` from the panel this long (ms): it is not coming
  var LOAD_GRACE = 3000; // the frame has loaded but said nothing (a refused or error page)

  var TEXTS = {
    en: { label: "Chat with a librarian", unread: "{n} new messages in the chat",
          unread1: "1 new message in the chat", frame: "Chat with a librarian",
          close: "Close chat", connecting: "Connecting…",
          unavailable: "The chat cannot be opened right now.",
          contact: "You can also contact {name}:", phone: "Phone", web: "Website",
          retry: "Try again" },
    fi: { label: "Chattaa kirjastonhoitajan kanssa", unread: "{n} uutta viestiä chatissa",
          unread1: "1 uusi viesti chatissa", frame: "Chattaa kirjastonhoitajan kanssa",
          close: "Sulje chat", connecting: "Yhdistetään…",
          unavailable: "Chattia ei juuri nyt saa auki.",
          contact: "Voit ottaa yhteyttä myös kirjastoon ({name}):", phone: "Puhelin",
          web: "Verkkosivut", retry: "Yritä uudelleen" },
    sv: { label: "Chatta med en bibliotekarie", unread: "{n} nya meddelanden i chatten",
          unread1: "1 nytt meddelande i chatten", frame: "Chatta med en bibliotekarie",
          close: "Stäng chatten", connecting: "Ansluter…",
          unavailable: "Chatten går inte att öppna just nu.",
          contact: "Du kan också kontakta biblioteket ({name}):", phone: "Telefon",
          web: "Webbplats", retry: "Försök igen" },
  };

  // Controls the closed launcher must never sit on (the seed's lesson: on phones the old
  // vendor chat covered the search filters).
  var CONTROLS = "a[href], button, input:not([type=hidden]), select, textarea, summary, label," +
    " iframe, video[controls], audio[controls], [contenteditable=''], [contenteditable=true]," +
    " [tabindex]:not([tabindex='-1']), [role=button], [role=link], [role=checkbox]," +
    " [role=radio], [role=tab], [role=switch], [role=combobox], [role=slider], [role=menuitem]";

  // ---- options ------------------------------------------------------------------------

  function pickLang(value) {
    var short = String(value || "").toLowerCase().slice(0, 2);
    return TEXTS[short] ? short : "en";
  }

  function colour(value) {
    return /^#(?:[0-9a-f]{3}){1,2}$/i.test(value || "") ? value : null;
  }

  /** Split "/search*, /record/*" into patterns. */
  function patterns(value) {
    return String(value || "").split(/[\s,]+/).filter(Boolean);
  }

  /** Does the page match a pattern? `*` is any run of characters; the rest is literal. */
  function pageMatches(list) {
    var here = location.pathname + location.search;
    return list.some(function (p) {
      var target = /^https?:/.test(p) ? location.href : here;
      var re = new RegExp("^" + p.split("*").map(escapeRe).join(".*") + "$");
      return re.test(target);
    });
  }

  function escapeRe(s) {
    return s.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  }

  /** White or near-black text on the accent, whichever contrasts more (WCAG formula). */
  function textOn(hex) {
    var h = hex.length === 4 ? hex.replace(/\w/g, "$&$&").slice(1) : hex.slice(1);
    var lum = [0, 2, 4].map(function (i) {
      var c = parseInt(h.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    var L = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
    return (1.05 / (L + 0.05)) >= ((L + 0.05) / 0.0611) ? "#ffffff" : "#111111";
  }

  var data = script.dataset;
  var opts = {
    library: data.library || "",
    lang: pickLang(data.lang || document.documentElement.lang),
    side: /left/.test(data.position || "") ? "left" : "right",
    accent: colour(data.color) || "#1d4f91",
    hideOn: patterns(data.hideOn),
    tabOn: patterns(data.tabOn),
    history: data.history !== "off",
  };
  opts.onAccent = colour(data.textColor) || textOn(opts.accent);
  if (!opts.library) {
    console.warn("Tiski chat: the script tag needs data-library (a library id of the roster)");
  }
  var T = TEXTS[opts.lang];

  // ---- remembered UI state (this tab only; never the session token) ---------------------

  var STORE_KEY = "tiski.embed." + opts.library;

  function loadUi() {
    try {
      return JSON.parse(sessionStorage.getItem(STORE_KEY) || "{}") || {};
    } catch (e) {
      return {};
    }
  }

  function saveUi() {
    try {
      sessionStorage.setItem(STORE_KEY, JSON.stringify({ ongoing: ui.ongoing, open: ui.open }));
    } catch (e) { /* storage disabled: the chat just won't come back by itself */ }
  }

  var remembered = loadUi();
  var ui = {
    ongoing: Boolean(remembered.ongoing), // a chat is going on: keep it across pages
    open: false,
    fullscreen: false,
    ready: false, // the iframe said hello
    failed: false, // the iframe did not say hello in time: the fallback is shown
    refused: false, // the bridge says this site may not embed the chat: no launcher
    config: null, // the bridge's answer to /embed/config (null: unknown)
    started: false, // the bridge has answered (or could not): the launcher may show
    opener: null, // what had focus when the panel opened (focus goes back there)
    queue: [], // messages for the iframe until it is ready
    scroll: null, // where the page was when the full-screen panel opened
    unread: 0,
  };

  // ---- DOM ----------------------------------------------------------------------------

  var CSS = [
    ":host { all: initial; }",
    "* { box-sizing: border-box; }",
    ".sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden;",
    "  clip: rect(0 0 0 0); white-space: nowrap; margin: -1px; }",
    ".launcher { position: fixed; z-index: 2147483000; display: inline-flex; align-items: center;",
    "  gap: 8px; margin: 0; border: 2px solid var(--on); cursor: pointer;",
    "  font: 600 16px/1.2 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;",
    "  background: var(--accent); color: var(--on);",
    "  box-shadow: 0 2px 10px rgba(0,0,0,.35); }",
    ".launcher svg { flex: none; fill: currentColor; }",
    ".launcher:hover { filter: brightness(1.12); }",
    ".launcher:focus { outline: none; }",
    ".launcher:focus-visible { outline: 3px solid #111; outline-offset: 2px;",
    "  box-shadow: 0 0 0 2px #fff, 0 0 0 7px #111; }",
    ".launcher[data-mode=pill] { height: 52px; padding: 0 20px 0 16px; border-radius: 26px; }",
    ".launcher[data-mode=round] { width: 56px; height: 56px; padding: 0;",
    "  justify-content: center; border-radius: 50%; }",
    ".launcher[data-mode=tab] { width: 30px; height: 64px; padding: 0; justify-content: center; }",
    ".launcher[data-mode=tab][data-side=right] { border-radius: 12px 0 0 12px; border-right: 0; }",
    ".launcher[data-mode=tab][data-side=left] { border-radius: 0 12px 12px 0; border-left: 0; }",
    ".launcher[data-mode=tab] svg { width: 20px; height: 20px; }",
    // No free spot on screen: out of sight until the patron scrolls, but still reachable
    // by keyboard (it shows itself while focused, like a skip link).
    ".launcher[data-mode=stowed] { width: 56px; height: 56px; padding: 0;",
    "  justify-content: center; border-radius: 50%; }",
    ".launcher[data-mode=stowed]:not(:focus) { clip-path: inset(50%); opacity: 0; }",
    ".launcher:not([data-mode=pill]) .label { position: absolute; width: 1px; height: 1px;",
    "  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }",
    ".badge { position: absolute; top: -6px; min-width: 22px; height: 22px; padding: 0 6px;",
    "  border-radius: 11px; background: #b00020; color: #fff; border: 2px solid #fff;",
    "  font: 700 12px/18px system-ui, sans-serif; text-align: center; }",
    ".launcher[data-side=right] .badge { left: -8px; }",
    ".launcher[data-side=left] .badge { right: -8px; }",
    ".panel { position: fixed; z-index: 2147483001; background: #fff;",
    "  border-radius: 14px; box-shadow: 0 8px 30px rgba(0,0,0,.35); }",
    ".panel.full { inset: 0; border-radius: 0; box-shadow: none; }",
    "iframe { display: block; width: 100%; height: 100%; border: 0; border-radius: inherit;",
    "  background: transparent; color-scheme: light dark; }",
    // The shell: shown by this script until the panel is ready, or instead of it.
    ".shell { display: flex; flex-direction: column; height: 100%; border-radius: inherit;",
    "  overflow: hidden; background: #fff; color: #1a1a1a;",
    "  font: 16px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }",
    ".shell-head { display: flex; align-items: center; gap: 8px; padding: 6px 8px 6px 16px;",
    "  background: var(--accent); color: var(--on); }",
    ".shell-title { flex: 1; margin: 0; font-size: 1.05rem; line-height: 1.3; }",
    ".shell-close { flex: none; width: 44px; height: 44px; border: 0; border-radius: 10px;",
    "  background: transparent; color: inherit; cursor: pointer; display: inline-flex;",
    "  align-items: center; justify-content: center; }",
    ".shell-close svg { stroke: currentColor; }",
    ".shell button:focus { outline: none; }",
    ".shell button:focus-visible { outline: 3px solid currentColor; outline-offset: 2px; }",
    ".shell-body { flex: 1; overflow-y: auto; padding: 16px; }",
    ".shell-body p { margin: 0 0 10px; }",
    ".shell-body ul { margin: 0 0 14px; padding-left: 1.2em; }",
    ".shell-body a { color: #1d4f91; }",
    ".shell-retry { font: inherit; font-weight: 600; min-height: 44px; padding: 8px 16px;",
    "  border-radius: 10px; border: 2px solid #1d4f91; background: #fff; color: #1d4f91;",
    "  cursor: pointer; }",
    ".shell-retry:focus-visible { outline-color: #1a1a1a; }",
    "@media (prefers-color-scheme: dark) {",
    "  .panel, .shell { background: #16181d; color: #e8e8e8; }",
    "  .shell-body a { color: #9cc2ff; }",
    "  .shell-retry { background: #16181d; color: #9cc2ff; border-color: #9cc2ff; }",
    "  .shell-retry:focus-visible { outline-color: #e8e8e8; } }",
    "[hidden] { display: none !important; }",
    "@media (prefers-reduced-motion: no-preference) {",
    "  .launcher { transition: top .2s ease, left .2s ease; } }",
  ].join("\n");

  var ICON = '<svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="26" height="26">' +
    '<path d="M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 ' +
    '6a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 ' +
    '1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z"/></svg>';

  var hostEl = document.createElement("div");
  hostEl.id = "tiski-chat";
  var root = hostEl.attachShadow({ mode: "open" });
  addStyles(root);

  var launcher = document.createElement("button");
  launcher.type = "button";
  launcher.className = "launcher";
  launcher.dataset.side = opts.side;
  launcher.setAttribute("aria-expanded", "false");
  launcher.innerHTML = ICON; // our own constant markup, no outside text
  var label = document.createElement("span");
  label.className = "label";
  label.textContent = T.label;
  var badge = document.createElement("span");
  badge.className = "badge";
  badge.hidden = true;
  badge.setAttribute("aria-hidden", "true");
  var unreadText = document.createElement("span");
  unreadText.className = "sr-only";
  launcher.append(label, unreadText, badge);
  launcher.style.setProperty("--accent", opts.accent);
  launcher.style.setProperty("--on", opts.onAccent);

  var panel = document.createElement("div");
  panel.className = "panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", T.frame);
  var frame = null; // created on first open, or at once when a chat is going on
  var shell = buildShell();
  panel.append(shell.el);

  var live = document.createElement("div"); // tells screen readers about unread replies
  live.className = "sr-only";
  live.setAttribute("aria-live", "polite");

  root.append(launcher, panel, live);

  /** The small stand-in for the panel: a title, a close button, and a status line that says
   *  "Connecting…" or, if the panel does not come, how else to reach the library. */
  function buildShell() {
    var el = document.createElement("div");
    el.className = "shell";
    var head = document.createElement("div");
    head.className = "shell-head";
    head.style.setProperty("--accent", opts.accent);
    head.style.setProperty("--on", opts.onAccent);
    var title = document.createElement("h2");
    title.className = "shell-title";
    title.textContent = T.frame;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "shell-close";
    close.setAttribute("aria-label", T.close);
    close.innerHTML = '<svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="24" ' +
      'height="24"><path d="M6 6l12 12M18 6 6 18" stroke-width="2.5" stroke-linecap="round"/></svg>';
    close.addEventListener("click", function () { closePanel(); });
    head.append(title, close);
    var body = document.createElement("div");
    body.className = "shell-body";
    var status = document.createElement("div");
    status.setAttribute("role", "status");
    var retry = document.createElement("button");
    retry.type = "button";
    retry.className = "shell-retry";
    retry.textContent = T.retry;
    retry.hidden = true;
    retry.addEventListener("click", reloadFrame);
    body.append(status, retry);
    el.append(head, body);
    return { el: el, status: status, close: close, retry: retry };
  }

  /** What the shell says: connecting, or the fallback with the library's own contacts. */
  function renderShell() {
    var loading = !ui.ready;
    shell.el.hidden = !loading;
    if (frame) frame.hidden = loading;
    if (!loading) return;
    var box = shell.status;
    box.replaceChildren();
    shell.retry.hidden = !ui.failed || ui.refused;
    if (!ui.failed && !ui.refused) {
      box.append(para(T.connecting));
      return;
    }
    box.append(para(T.unavailable));
    var lib = ui.config && ui.config.library;
    if (!lib || !(lib.phone || lib.email || lib.url)) return;
    box.append(para(T.contact.replace("{name}", lib.name || lib.id || "")));
    var list = document.createElement("ul");
    if (lib.phone) list.append(contactItem(T.phone, lib.phone, "tel:" + lib.phone.replace(/[^\d+]/g, "")));
    if (lib.email) list.append(contactItem("E-mail", lib.email, "mailto:" + lib.email));
    if (lib.url && /^https?:/i.test(lib.url)) list.append(contactItem(T.web, lib.url, lib.url));
    box.append(list);
  }

  function para(text) {
    var p = document.createElement("p");
    p.textContent = text;
    return p;
  }

  function contactItem(label, text, href) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    if (/^https?:/i.test(href)) {
      a.target = "_blank";
      a.rel = "noopener noreferrer";
    }
    li.append(label + ": ", a);
    return li;
  }

  /** Constructed sheets work under a strict host CSP; <style> is the fallback. */
  function addStyles(shadow) {
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      shadow.adoptedStyleSheets = [sheet];
    } catch (e) {
      var style = document.createElement("style");
      style.textContent = CSS;
      shadow.append(style);
    }
  }

  // ---- the iframe ---------------------------------------------------------------------

  function frameUrl() {
    var url = BRIDGE + "/widget/?library=" + encodeURIComponent(opts.library) +
      "&lang=" + encodeURIComponent(opts.lang) +
      "&page=" + encodeURIComponent(location.href);
    if (data.color) url += "&color=" + encodeURIComponent(opts.accent);
    if (data.textColor || data.color) url += "&text=" + encodeURIComponent(opts.onAccent);
    return url;
  }

  var readyTimer = null;

  function ensureFrame() {
    if (frame) return;
    frame = document.createElement("iframe");
    frame.title = T.frame;
    frame.hidden = true; // until it says `ready`; the shell stands in for it
    frame.src = frameUrl();
    ui.failed = false;
    clearTimeout(readyTimer);
    readyTimer = setTimeout(panelFailed, READY_TIMEOUT);
    frame.addEventListener("load", function () {
      // Loaded but silent: an error page, or a page the browser refused to show here.
      if (!ui.ready) {
        clearTimeout(readyTimer);
        readyTimer = setTimeout(panelFailed, LOAD_GRACE);
      }
    });
    // The panel needs scripts, its own origin (sessionStorage), forms, new tabs for links,
    // downloads and print; it never needs to navigate this page.
    frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-forms allow-popups " +
      "allow-popups-to-escape-sandbox allow-downloads allow-modals");
    frame.setAttribute("referrerpolicy", "no-referrer");
    panel.append(frame);
    renderShell();
  }

  /** The panel did not come: show the fallback and tell the site's admin why, once. */
  function panelFailed() {
    if (ui.ready || ui.failed) return;
    ui.failed = true;
    renderShell();
    warn("the chat panel from " + BRIDGE + " did not load on this page. If this site is " +
      "not in the bridge's web.allowed_origins, add \"" + location.origin + "\" there; " +
      "otherwise check that the bridge is running and reachable.");
  }

  /** "Try again": a fresh frame (the network may be back). */
  function reloadFrame() {
    if (frame) frame.remove();
    frame = null;
    ui.ready = false;
    ensureFrame();
    focusFrame();
  }

  var warned = {};
  function warn(text) {
    if (warned[text]) return;
    warned[text] = true;
    console.warn("Tiski chat: " + text);
  }

  function post(type, fields) {
    var msg = Object.assign({ tiski: 1, type: type }, fields || {});
    if (!ui.ready) {
      ui.queue.push(msg);
      return;
    }
    frame.contentWindow.postMessage(msg, BRIDGE);
  }

  window.addEventListener("message", function (event) {
    if (!frame || event.source !== frame.contentWindow || event.origin !== BRIDGE) return;
    var msg = event.data;
    if (!msg || msg.tiski !== 1) return;
    if (msg.type === "ready") {
      var focusWasInShell = shell.el.contains(root.activeElement);
      ui.ready = true;
      ui.failed = false;
      clearTimeout(readyTimer);
      renderShell();
      if (ui.open && focusWasInShell) focusFrame();
      var queued = ui.queue.splice(0);
      post("layout", { fullscreen: ui.fullscreen });
      queued.forEach(function (m) { frame.contentWindow.postMessage(m, BRIDGE); });
    } else if (msg.type === "close") {
      closePanel();
    } else if (msg.type === "unread") {
      showUnread(Number(msg.count) || 0);
    } else if (msg.type === "status") {
      ui.ongoing = Boolean(msg.ongoing);
      saveUi();
      place();
    }
  });

  // ---- open and close -----------------------------------------------------------------

  function isSmall() {
    return window.innerWidth < SMALL_WIDTH || window.innerHeight < SMALL_HEIGHT;
  }

  function openPanel(restoring) {
    if (ui.open) {
      focusFrame();
      return;
    }
    ui.opener = document.activeElement;
    if (ui.refused) renderShell(); // no panel here: only the library's own contacts
    else ensureFrame();
    ui.open = true;
    ui.fullscreen = isSmall();
    launcher.setAttribute("aria-expanded", "true");
    if (ui.fullscreen) enterFullscreen();
    layoutPanel();
    panel.hidden = false;
    showUnread(0);
    saveUi();
    post("layout", { fullscreen: ui.fullscreen });
    post("open");
    place();
    // A panel restored after navigation does not grab focus from the new page.
    if (restoring !== true) focusFrame();
  }

  function closePanel() {
    if (!ui.open) return;
    ui.open = false;
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    post("close");
    if (ui.fullscreen) leaveFullscreen();
    ui.fullscreen = false;
    saveUi();
    place();
    if (!launcher.hidden) launcher.focus({ preventScroll: true });
    else if (ui.opener && ui.opener.focus) ui.opener.focus({ preventScroll: true });
  }

  /** Focus the panel, or while it is not there, the shell's button. */
  function focusFrame() {
    if (ui.ready && frame) frame.focus();
    else if (!shell.retry.hidden) shell.retry.focus();
    else shell.close.focus();
  }

  /** Phones: the panel covers the page; remember where the patron was, to come back there. */
  function enterFullscreen() {
    var html = document.documentElement;
    ui.scroll = { x: window.scrollX, y: window.scrollY, overflow: html.style.overflow };
    if (opts.history && !(history.state && history.state.tiskiPanel)) {
      // The phone's Back button then closes the chat instead of leaving the page.
      history.pushState(Object.assign({}, history.state, { tiskiPanel: true }), "");
    }
    html.style.overflow = "hidden"; // the page behind must not scroll under the finger
  }

  function leaveFullscreen() {
    var saved = ui.scroll;
    ui.scroll = null;
    if (saved) document.documentElement.style.overflow = saved.overflow;
    if (history.state && history.state.tiskiPanel) history.back();
    if (saved) window.scrollTo(saved.x, saved.y);
  }

  window.addEventListener("popstate", function () {
    if (ui.open && ui.fullscreen && !(history.state && history.state.tiskiPanel)) closePanel();
  });

  /** Size and place the open panel: whole screen on phones, a card by the corner otherwise. */
  function layoutPanel() {
    panel.classList.toggle("full", ui.fullscreen);
    // Full screen it is modal: screen readers leave the page behind alone.
    if (ui.fullscreen) panel.setAttribute("aria-modal", "true");
    else panel.removeAttribute("aria-modal");
    var s = panel.style;
    if (ui.fullscreen) {
      var vv = window.visualViewport;
      // With the on-screen keyboard up, fit the visible part so the input stays in view.
      s.top = (vv ? vv.offsetTop : 0) + "px";
      s.height = (vv ? vv.height : window.innerHeight) + "px";
      s.left = "0px";
      s.width = "100%";
      s.right = s.bottom = "";
      return;
    }
    var w = Math.min(400, window.innerWidth - 2 * EDGE);
    var bottom = EDGE + 56 + 12; // above the launcher, which stays as the toggle
    s.width = w + "px";
    s.height = Math.min(640, window.innerHeight - bottom - EDGE) + "px";
    s.top = "";
    s.bottom = bottom + "px";
    s.left = opts.side === "left" ? EDGE + "px" : "";
    s.right = opts.side === "right" ? EDGE + "px" : "";
  }

  // While the full-screen panel is open, focus stays in it (it acts as a modal dialog).
  document.addEventListener("focusin", function (event) {
    if (ui.open && ui.fullscreen && event.target !== hostEl) focusFrame();
  });

  function showUnread(count) {
    ui.unread = ui.open ? 0 : count;
    badge.hidden = ui.unread === 0;
    badge.textContent = String(ui.unread);
    var words = ui.unread === 1 ? T.unread1 : T.unread.replace("{n}", ui.unread);
    unreadText.textContent = ui.unread ? "(" + words + ")" : "";
    live.textContent = ui.unread ? words : "";
    // Read out once, then cleared: the count stays in the launcher's name.
    clearTimeout(liveTimer);
    if (ui.unread) liveTimer = setTimeout(function () { live.textContent = ""; }, 5000);
  }
  var liveTimer = null;

  // ---- where the closed launcher goes ---------------------------------------------------

  /**
   * Visible rectangles in the viewport the launcher must not cover (ours excluded): the page's
   * controls, and whole fixed or sticky boxes — a cookie notice, a sticky footer — whose text
   * would sit under the launcher for good, since they do not scroll away from it.
   */
  function obstacles(vw, vh) {
    var list = [];
    var nodes = document.querySelectorAll(CONTROLS);
    for (var i = 0; i < nodes.length; i++) addBox(list, nodes[i], vw, vh);
    var all = document.body.getElementsByTagName("*");
    for (var j = 0; j < all.length; j++) {
      var position = getComputedStyle(all[j]).position;
      if (position !== "fixed" && position !== "sticky") continue;
      var r = all[j].getBoundingClientRect();
      // A fixed box over most of the screen is the page's own frame, not a bar beside it.
      if (r.width * r.height > 0.6 * vw * vh) continue;
      addBox(list, all[j], vw, vh);
    }
    return list;
  }

  function addBox(list, el, vw, vh) {
    if (el === hostEl) return;
    var r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.bottom <= 0 || r.right <= 0 ||
        r.top >= vh || r.left >= vw) return;
    if (el.checkVisibility && !el.checkVisibility({ visibilityProperty: true })) return;
    list.push(r);
  }

  function overlaps(c, list) {
    return list.some(function (r) {
      return c.left < r.right + CLEARANCE && c.left + c.width > r.left - CLEARANCE &&
        c.top < r.bottom + CLEARANCE && c.top + c.height > r.top - CLEARANCE;
    });
  }

  var sizes = {};
  /** The launcher's size in a mode, measured once (the pill's width depends on its text). */
  function sizeOf(mode) {
    if (!sizes[mode]) {
      launcher.dataset.mode = mode;
      var size = { width: launcher.offsetWidth, height: launcher.offsetHeight };
      if (!size.width) return size; // not rendered yet: measure again next time
      sizes[mode] = size;
    }
    return sizes[mode];
  }

  /**
   * Places to try, best first: the configured corner (a labelled pill on wide screens,
   * a round button on phones), the other corner, then a small tab along either edge.
   */
  function candidates(vw, vh, preferTab) {
    var list = [];
    var sides = [opts.side, opts.side === "left" ? "right" : "left"];
    var corner = vw >= SMALL_WIDTH ? ["pill", "round"] : ["round"];
    if (!preferTab) {
      sides.forEach(function (side, i) {
        (i === 0 ? corner : ["round"]).forEach(function (mode) {
          var sz = sizeOf(mode);
          list.push({ mode: mode, side: side, width: sz.width, height: sz.height,
            left: side === "left" ? EDGE : vw - EDGE - sz.width, top: vh - EDGE - sz.height });
        });
      });
    }
    var tab = sizeOf("tab");
    sides.forEach(function (side) {
      for (var top = vh - EDGE - tab.height; top >= 8; top -= 8) {
        list.push({ mode: "tab", side: side, width: tab.width, height: tab.height,
          left: side === "left" ? 0 : vw - tab.width, top: top });
      }
    });
    return list;
  }

  /** Nowhere free: the corner, visually hidden until focused. */
  function stowed(vw, vh) {
    var sz = sizeOf("round");
    return { mode: "stowed", side: opts.side, width: sz.width, height: sz.height,
      left: opts.side === "left" ? EDGE : vw - EDGE - sz.width, top: vh - EDGE - sz.height };
  }

  /** Show, hide or move the launcher so that, closed, it covers no control of the page. */
  function place() {
    var hideHere = pageMatches(opts.hideOn);
    // On pages where the launcher is hidden, a chat in progress still gets its small tab.
    var hidden = !ui.started || ui.refused || (hideHere && !ui.ongoing && !ui.open) ||
      (ui.open && ui.fullscreen);
    launcher.hidden = hidden;
    if (hidden) return;
    var vw = document.documentElement.clientWidth;
    var vh = document.documentElement.clientHeight;
    var all = candidates(vw, vh, hideHere || pageMatches(opts.tabOn));
    var chosen = all[0];
    if (!ui.open) {
      // While the panel is open its toggle stays in the corner (the panel covers the page
      // there anyway); closed, the first spot free of controls wins.
      var blocked = obstacles(vw, vh);
      chosen = all.find(function (c) { return !overlaps(c, blocked); }) || stowed(vw, vh);
    }
    launcher.dataset.mode = chosen.mode;
    launcher.dataset.side = chosen.side;
    launcher.style.left = chosen.left + "px";
    launcher.style.top = chosen.top + "px";
  }

  // Re-check after the page settles: scrolling, resizing, or content that opens and closes
  // (a filter panel, a cookie banner). Debounced so the launcher does not chase the finger.
  var placeTimer = null;
  function placeSoon(delay) {
    clearTimeout(placeTimer);
    placeTimer = setTimeout(place, delay);
  }

  window.addEventListener("scroll", function () { placeSoon(150); }, { passive: true });
  window.addEventListener("resize", function () {
    sizes = {};
    if (ui.open) {
      // Rotating a tablet may cross the phone size: keep the same panel, re-laid out.
      layoutPanel();
    }
    placeSoon(100);
  });
  if (window.visualViewport) {
    window.visualViewport.addEventListener("resize", function () {
      if (ui.open && ui.fullscreen) layoutPanel();
    });
  }

  // ---- start --------------------------------------------------------------------------

  launcher.addEventListener("click", function () {
    if (ui.open) closePanel();
    else openPanel(false);
  });

  // Any element with data-tiski-open (e.g. a "Chat" link in the site's header) opens it too.
  document.addEventListener("click", function (event) {
    var opener = event.target.closest && event.target.closest("[data-tiski-open]");
    if (opener) {
      event.preventDefault();
      openPanel(false);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && ui.open && !ui.fullscreen &&
        root.activeElement === launcher) closePanel();
  });
  // The shell is ours (the panel handles its own keys): Escape closes it, full screen too.
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && ui.open && !ui.ready) closePanel();
  });

  window.TiskiEmbed = {
    open: function () { openPanel(false); }, close: closePanel, version: 1,
  };

  /** Ask the bridge whether this site may embed the chat (null: no answer; then we try). */
  function fetchConfig() {
    if (!window.fetch) return Promise.resolve(null);
    var url = BRIDGE + "/embed/config?library=" + encodeURIComponent(opts.library);
    return fetch(url, { credentials: "omit", cache: "no-cache" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .catch(function () { return null; });
  }

  function start() {
    launcher.hidden = true; // until the bridge has answered
    document.body.append(hostEl);
    fetchConfig().then(function (config) {
      ui.config = config;
      if (config && config.allowed === false) {
        ui.refused = true;
        launcher.hidden = true;
        warn("this site (" + location.origin + ") may not embed the chat of " + BRIDGE +
          ", so no chat button is shown. Add \"" + location.origin + "\" to " +
          "web.allowed_origins in the bridge's configuration.");
        return;
      }
      show();
    });
  }

  function show() {
    ui.started = true;
    if (remembered.open) {
      openPanel(true); // the patron had the chat open on the previous page or before the reload
    } else {
      if (history.state && history.state.tiskiPanel) {
        var plain = Object.assign({}, history.state);
        delete plain.tiskiPanel;
        history.replaceState(plain, "");
      }
      if (ui.ongoing) ensureFrame(); // reconnect now so replies show up as unread
      place();
    }
    new MutationObserver(function (records) {
      var ours = records.every(function (r) { return r.target === hostEl; });
      if (!ours) placeSoon(200);
    }).observe(document.body, { childList: true, subtree: true, attributes: true,
      attributeFilter: ["class", "hidden", "open", "style", "aria-expanded"] });
    window.addEventListener("load", function () { placeSoon(0); });
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
