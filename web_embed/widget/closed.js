// The closed service: hours, next opening and the leave-a-message form.

import { formatWhen } from "./view.js";

const $ = (id) => document.getElementById(id);

export class LeaveForm {
  /**
   * @param {(key: string, params?: object) => string} t translator
   * @param {string} lang for formatting the next opening
   * @param {(frame: object) => boolean} send false when the socket is down
   */
  constructor(t, lang, send) {
    this.t = t;
    this.lang = lang;
    this.send = send;
    this.hours = "";
    this.nextOpening = null;
    this.left = false; // a message was left in this chat: thank, don't ask again
    this.pending = null; // written while offline: sent after the next welcome
    $("leave").addEventListener("submit", (e) => {
      e.preventDefault();
      this.submit();
    });
    $("leave-text").addEventListener("input", () => this.showError(null));
  }

  /** Facts from `welcome`: human hours text and the ISO time of the next opening. */
  setFacts(hours, nextOpening) {
    this.hours = hours || "";
    this.nextOpening = nextOpening || null;
  }

  show() {
    const hours = $("closed-hours");
    hours.textContent = this.hours ? this.t("hours", { hours: this.hours }) : "";
    hours.hidden = !this.hours;
    const when = this.nextOpening ? formatWhen(this.lang, this.nextOpening) : "";
    $("closed-next").textContent = when ? this.t("nextOpening", { when }) : "";
    $("closed-next").hidden = !when;
    $("leave").hidden = this.left;
    $("leave-thanks").hidden = !this.left;
  }

  /** Where focus goes when the panel opens in the closed state. */
  focusTarget() {
    return this.left ? $("leave-thanks") : $("leave-text");
  }

  submit() {
    const text = $("leave-text").value.trim();
    const contact = $("leave-contact").value.trim();
    if (!text) {
      this.showError(this.t("leaveEmpty"));
      $("leave-text").focus();
      return;
    }
    this.pending = { text, contact };
    this.flush();
  }

  /** Send the written message if the socket is up; otherwise keep it for later. */
  flush() {
    if (!this.pending) return;
    const frame = { type: "leave_message", text: this.pending.text };
    if (this.pending.contact) frame.contact = this.pending.contact;
    if (!this.send(frame)) return;
    this.pending = null;
    this.left = true;
    $("leave").reset();
    this.show();
    $("leave-thanks").focus();
  }

  showError(message) {
    const error = $("leave-error");
    error.textContent = message || "";
    error.hidden = !message;
    if (message) $("leave-text").setAttribute("aria-invalid", "true");
    else $("leave-text").removeAttribute("aria-invalid");
  }

  reset() {
    this.left = false;
    this.pending = null;
    this.showError(null);
  }
}
