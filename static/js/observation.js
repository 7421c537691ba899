// The observation form remembers which section the observer was working in, so "Continue
// observation" opens it there. Progressive enhancement: without JavaScript the form still saves.
const form = document.querySelector(".app-observation-form");
const field = document.getElementById("last_section");
if (form && field) {
  form.addEventListener("focusin", (event) => {
    const section = event.target.closest("[data-section]");
    if (section && field.value !== section.dataset.section) {
      field.value = section.dataset.section;
    }
  });
}
