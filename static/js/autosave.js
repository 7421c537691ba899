/**
 * Autosave for any form marked up with templates/components/_autosave.html (the audit form, the
 * practice-week observation form, ...). Progressive enhancement: without JavaScript the form's
 * own "Save and continue" button posts the same fields and the server redirects.
 *
 * Markup (use the macros in templates/components/_autosave.html rather than writing it by hand):
 *   <form method="post" action="URL" data-autosave
 *         hx-post="URL" hx-trigger="input delay:1s, change, autosave:retry"
 *         hx-target="#autosave-status" hx-swap="innerHTML" hx-sync="this:queue last">
 *     <input type="hidden" name="version" id="autosave-version" value="3">
 *     <div id="autosave-status" class="app-saved-status" role="status" aria-live="polite"></div>
 *     ...fields...
 *   </form>
 *
 * Server contract: a POST with the header HX-Request answers 200 with the fragment
 * templates/components/_save_status.html: "Saved at 10:42" and an out-of-band replacement of
 * #autosave-version with the new version; or, on a conflict, the conflict panel (both values) with
 * data-autosave-state="conflict" and the version left as it was. The panel stays in the sticky status
 * bar, where the person is typing, until they choose.
 *
 * What this module adds to htmx:
 * - fields are never swapped: only the status region and the hidden version change, so nothing
 *   typed is lost or cleared before the server confirms it;
 * - connection lost (network error, timeout, 5xx; 503 while the database restarts): the status says so,
 *   the values stay on screen, and the save is retried (2s, 5s, 10s, then every 30s, and at once when the
 *   browser is back online);
 * - a conflict writes nothing until the person chooses (keep theirs or keep mine), but autosave goes on
 *   sending with the old version, which the server refuses, so the panel's "Yours, not saved" follows
 *   what they type (and the panel goes if the two copies become the same);
 * - "Save and continue" waits for an autosave in flight, and is held while offline;
 * - leaving the page with unsaved changes asks first.
 */
const RETRY_DELAYS = [2000, 5000, 10000, 30000];

function statusRegion(form) {
  return form.querySelector("#autosave-status") || document.getElementById("autosave-status");
}

function say(form, text, state) {
  const region = statusRegion(form);
  if (!region) return;
  region.textContent = text;
  region.classList.toggle("app-saved-status--error", state === "error");
}

function setUp(form) {
  if (form.dataset.autosaveReady) return;
  form.dataset.autosaveReady = "true";
  let inFlight = false;
  let dirty = false;
  let inConflict = false;
  let compareOpen = false;  // the conflict panel's comparison, open or not, kept across its updates
  let failures = 0;
  let retryTimer = null;
  let heldSubmitter = null;

  const retry = () => {
    clearTimeout(retryTimer);
    retryTimer = null;
    window.htmx.trigger(form, "autosave:retry");
  };
  const scheduleRetry = () => {
    const delay = RETRY_DELAYS[Math.min(failures, RETRY_DELAYS.length - 1)];
    failures += 1;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(retry, delay);
  };
  const failed = (message) => {
    dirty = true;
    say(form, message, "error");
    scheduleRetry();
  };

  form.addEventListener("input", () => { dirty = true; });
  form.addEventListener("change", () => { dirty = true; });

  form.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.elt !== form) return;
    inFlight = true;
    form.setAttribute("aria-busy", "true");
  });

  form.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.elt !== form) return;
    inFlight = false;
    form.removeAttribute("aria-busy");
    const xhr = event.detail.xhr;
    if (event.detail.successful) {
      failures = 0;
      clearTimeout(retryTimer);
      const region = statusRegion(form);
      inConflict = Boolean(region && region.querySelector("[data-autosave-state='conflict']"));
      const compare = region && region.querySelector("[data-conflict-details]");
      if (compare) {
        compare.open = compareOpen;
        compare.addEventListener("toggle", () => { compareOpen = compare.open; });
      }
      dirty = inConflict;
      if (heldSubmitter !== null && !inConflict) {
        const submitter = heldSubmitter;
        heldSubmitter = null;
        form.requestSubmit(submitter || undefined);
      }
    } else if (xhr && (xhr.status === 401 || xhr.status === 403)) {
      say(form, "Your answers have not been saved: you may have been signed out. Copy anything you need, then sign in again.", "error");
    } else if (xhr && xhr.status === 503) {
      failed("Your answers are not saved yet: the service is unavailable for a moment. Everything is still on this page. We will keep trying.");
    } else if (xhr && xhr.status === 413) {  // sending it again cannot help: the next change saves once it is shorter
      dirty = true;
      say(form, "Your answers have not been saved: one answer is far too long to save. Everything is still on this page. Shorten the longest answer and it will be saved.", "error");
    } else if (xhr && xhr.status >= 400 && xhr.status < 500) {
      failed("Your answers have not been saved. Reload the page and try again.");
    } else {
      failed("Your answers are not saved yet: the connection has dropped or the server did not answer. Everything is still on this page. We will keep trying.");
    }
  });

  form.addEventListener("htmx:sendError", (event) => {
    if (event.detail.elt !== form) return;
    inFlight = false;
    failed("You are offline. Your answers are still on this page and have not been lost. We will save them when the connection is back.");
  });
  form.addEventListener("htmx:timeout", (event) => {
    if (event.detail.elt !== form) return;
    inFlight = false;
    failed("Saving is taking too long. Your answers are still on this page. We will keep trying.");
  });

  form.addEventListener("submit", (event) => {
    const submitter = event.submitter || null;
    if (submitter && submitter.name === "keep_mine") { inConflict = false; dirty = false; return; }
    if (!navigator.onLine) {
      event.preventDefault();
      failed("You are offline. Your answers are still on this page. We will save them when the connection is back; then press the button again.");
      return;
    }
    if (inFlight) {
      event.preventDefault();
      heldSubmitter = submitter;
      return;
    }
    dirty = false;
  });

  window.addEventListener("online", () => { if (dirty) retry(); });
  window.addEventListener("beforeunload", (event) => {
    if (dirty || inFlight) { event.preventDefault(); event.returnValue = ""; }
  });
}

function init() {
  if (!window.htmx) return;
  document.querySelectorAll("form[data-autosave]").forEach(setUp);
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", init);
} else {
  init();
}
