// Progressive enhancement only: every page works without this file.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Content that htmx swaps in gets the same GOV.UK behaviour as the first page load.
document.body.addEventListener("htmx:afterSettle", (event) => {
  initAll({ scope: event.detail.elt });
});

// A sticky bar (the autosave status) must not hide what is scrolled into view: the page's scroll padding
// follows its height, so error summary links, #fragments and scrollIntoView land below it.
const stickyBar = document.querySelector("form[data-autosave] > .app-saved-status");
const followStickyBar = () => {
  document.documentElement.style.setProperty("--app-sticky-height", `${stickyBar.offsetHeight}px`);
};
if (stickyBar) {
  followStickyBar();
  if ("ResizeObserver" in window) new ResizeObserver(followStickyBar).observe(stickyBar);
}

// A link to a form field (from another page's error summary, or within this page) does what GOV.UK's error
// summary does: the field's legend or label, and so its error message, in view, and the field focused.
function revealField(id) {
  const field = id && document.getElementById(id);
  if (!field || !field.matches("input, textarea, select")) return false;
  const fieldset = field.closest("fieldset");
  const label = fieldset ? fieldset.querySelector("legend") : document.querySelector(`label[for="${CSS.escape(id)}"]`);
  if (stickyBar) followStickyBar();
  (label || field).scrollIntoView();
  field.focus({ preventScroll: true });
  return true;
}

const fromHash = (hash) => decodeURIComponent((hash || "").slice(1));
// After the browser's own jump to the #fragment, which happens once the page has loaded.
const revealFromAddress = () => requestAnimationFrame(() => revealField(fromHash(window.location.hash)));
if (document.readyState === "complete") revealFromAddress();
else window.addEventListener("load", revealFromAddress);
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest('a[href^="#"]');
  if (!link || link.closest(".govuk-error-summary, .govuk-skip-link")) return;  // GOV.UK handles those
  if (revealField(fromHash(link.getAttribute("href")))) event.preventDefault();
});
