// Themes suggested while evidence is written (templates/themes/_suggest.html): htmx fills each status
// region; a "Tick" button ticks the matching theme box for the person, who can untick it. Nothing is
// ticked without a press. Without JavaScript no suggestions come and the form is as it always was.
document.addEventListener("click", (event) => {
  const button = event.target.closest(".app-theme-suggestion__tick");
  const region = button && button.closest("[data-theme-checkboxes]");
  if (!region) return;
  const form = region.closest("form");
  const box = Array.from(form.querySelectorAll("input[type=checkbox]")).find(
    (input) => input.name === region.dataset.themeCheckboxes && input.value === button.dataset.themeId,
  );
  if (!box) return;
  const folded = box.closest("details");
  if (folded) folded.open = true;
  if (!box.checked) {
    box.checked = true;
    box.dispatchEvent(new Event("change", { bubbles: true })); // the autosave saves it like a tap
  }
  box.focus();
  box.scrollIntoView({ block: "center" });
});
