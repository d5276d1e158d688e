// Turn text from the network into DOM nodes without ever parsing it as HTML.
//
// Text becomes text nodes; only http(s) addresses become <a> elements that we build
// ourselves, so "<b>" from a librarian shows as the four characters "<b>", and a
// "javascript:" address stays plain text.

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;
// Punctuation that usually ends the sentence rather than the address.
const TRAILING = /[.,;:!?)\]}'"»”]+$/;

/** The http(s) URL in `candidate`, or null if it is not one. */
export function safeUrl(candidate) {
  try {
    const url = new URL(candidate);
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

/** Append `text` to `parent`, making http(s) links clickable when `links` is true. */
export function appendText(parent, text, links) {
  const doc = parent.ownerDocument;
  const value = String(text ?? "");
  if (!links) {
    parent.append(doc.createTextNode(value));
    return;
  }
  let last = 0;
  for (const match of value.matchAll(URL_PATTERN)) {
    let raw = match[0];
    const trailing = raw.match(TRAILING);
    // Keep a closing parenthesis that belongs to the address (Wikipedia-style links).
    if (trailing && !(trailing[0] === ")" && raw.includes("("))) {
      raw = raw.slice(0, -trailing[0].length);
    }
    const url = safeUrl(raw);
    if (!url) continue;
    parent.append(doc.createTextNode(value.slice(last, match.index)));
    parent.append(makeLink(doc, url, raw));
    last = match.index + raw.length;
  }
  parent.append(doc.createTextNode(value.slice(last)));
}

function makeLink(doc, url, label) {
  const a = doc.createElement("a");
  a.href = url.href;
  a.textContent = label;
  // A new tab keeps the chat open; noopener/noreferrer keep the opened page from
  // reaching back into the widget or learning the chat's address.
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  return a;
}
