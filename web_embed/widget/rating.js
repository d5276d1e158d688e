// After the chat has ended: ask the patron for a rating (1–5, optional comment) once.
//
// The answer — sent, already rated, or "No thanks" — is remembered in sessionStorage with the
// chat's token (storage.js forgets it when the token changes), so the same chat never asks
// twice, not even after a reload or on the next page.

const $ = (id) => document.getElementById(id);

export const MAX_COMMENT = 1000; // bridge/ratings.py

// Bridge error codes for a `rating` frame → the text the patron sees.
const ERROR_TEXTS = {
  bad_request: "ratingChoose",
  too_long: "ratingTooLong",
  not_ended: "ratingNotEnded",
};

export class RatingForm {
  /**
   * @param {(key: string, params?: object) => string} t translator
   * @param {import("./storage.js").ChatStorage} storage where the answer is remembered
   * @param {(frame: object) => boolean} send false when the socket is down
   */
  constructor(t, storage, send) {
    this.t = t;
    this.storage = storage;
    this.send = send;
    this.inFlight = false; // a `rating` frame is waiting for `rated` or `error`
    this.result = null; // text shown instead of the form in this view ("Thank you …")
    $("rating").addEventListener("submit", (e) => {
      e.preventDefault();
      this.submit();
    });
    $("rating-skip").addEventListener("click", () => this.decline());
    $("rating-scores").addEventListener("change", () => this.showError(null));
    $("rating-comment").addEventListener("input", () => this.showError(null));
  }

  /** Should the ended chat ask for a rating? Not once the patron has answered. */
  get asking() {
    return !this.storage.rating;
  }

  /** Show the form (or the thanks) in the ended view. */
  show() {
    $("rating").hidden = !this.asking;
    const thanks = $("rating-thanks");
    thanks.textContent = this.result || "";
    thanks.hidden = !this.result;
  }

  /** Where focus goes when the chat ends or the panel opens on an ended chat; null: elsewhere. */
  focusTarget() {
    if (this.asking) return $("rating-title");
    return this.result ? $("rating-thanks") : null;
  }

  score() {
    const checked = document.querySelector("#rating-scores input[name=score]:checked");
    return checked ? Number(checked.value) : null;
  }

  submit() {
    if (this.inFlight) return;
    const score = this.score();
    if (!score) {
      this.showError(this.t("ratingChoose"), "score");
      document.querySelector("#rating-scores input[name=score]").focus();
      return;
    }
    const comment = $("rating-comment").value.trim();
    if (comment.length > MAX_COMMENT) {
      this.showError(this.t("ratingTooLong"), "comment");
      $("rating-comment").focus();
      return;
    }
    const frame = { type: "rating", score };
    if (comment) frame.comment = comment;
    if (!this.send(frame)) {
      this.showError(this.t("ratingNotSent"));
      return;
    }
    this.inFlight = true;
    $("rating-send").setAttribute("aria-disabled", "true");
  }

  decline() {
    this.storage.rating = "declined";
    this.result = null;
    this.show();
    $("ended-download").focus();
  }

  /** The bridge stored the rating. */
  onRated() {
    this.inFlight = false;
    this.finish("rated", this.t("ratingThanks"));
  }

  /** An `error` frame: handled (true) if it answers our `rating` frame. */
  onError(frame) {
    if (!this.inFlight) return false;
    this.inFlight = false;
    $("rating-send").removeAttribute("aria-disabled");
    if (frame.code === "already_rated") {
      this.finish("rated", this.t("ratingAlready"));
      return true;
    }
    const key = ERROR_TEXTS[frame.code];
    this.showError(key ? this.t(key)
      : this.t("errorGeneric", { message: frame.message || frame.code || "?" }));
    return true;
  }

  finish(outcome, text) {
    $("rating-send").removeAttribute("aria-disabled");
    this.storage.rating = outcome;
    this.result = text;
    $("rating").reset();
    this.showError(null);
    this.show();
    $("rating-thanks").focus();
  }

  /** `where`: "score" or "comment" is marked invalid; null clears the error. */
  showError(message, where = null) {
    const error = $("rating-error");
    error.textContent = message || "";
    error.hidden = !message;
    const marks = { score: $("rating-scores"), comment: $("rating-comment") };
    for (const [name, el] of Object.entries(marks)) {
      if (message && name === where) el.setAttribute("aria-invalid", "true");
      else el.removeAttribute("aria-invalid");
    }
  }

  /** A new chat: forget this view's answer (storage forgets it with the token). */
  reset() {
    this.inFlight = false;
    this.result = null;
    $("rating").reset();
    $("rating-send").removeAttribute("aria-disabled");
    this.showError(null);
  }
}
