// Texts of the chat panel in Finnish, Swedish and English.
//
// The texts live in texts.json, the one source for both sides: the bridge fills the panel's
// HTML with them before sending it (so the first byte is already in the page's language),
// and this module loads them for what the panel says later. Keys are stable; `{name}`
// placeholders are filled by t(). tests/web/test_widget_modules.py checks that every
// language has every key.

export const LANGS = ["fi", "sv", "en"];

// index.html preloads the file, so this is normally answered from the cache.
export const TEXTS = await fetch(new URL("./texts.json", import.meta.url)).then((r) => r.json());

/** The supported language closest to `lang` ("fi-FI" → "fi"); English when none fits. */
export function pickLang(lang) {
  const short = String(lang || "").toLowerCase().slice(0, 2);
  return LANGS.includes(short) ? short : "en";
}

/** A translator for one language: t("typing", {name: "Tampere"}). */
export function translator(lang) {
  const table = TEXTS[pickLang(lang)];
  return (key, params = {}) => {
    const template = table[key] ?? TEXTS.en[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (whole, name) =>
      name in params ? String(params[name]) : whole,
    );
  };
}

/** Locale tags for dates and times: Finnish and Swedish as used in Finland, British English
 *  (day before month, 24-hour clock) rather than the US order. */
export function locale(lang) {
  return { fi: "fi-FI", sv: "sv-FI", en: "en-GB" }[pickLang(lang)];
}
