// Term previews: show a link's build-time summary on hover and on keyboard focus.
// The summary arrives as the title of `a.glossary-preview` links; it is moved to
// a tooltip element (role="tooltip", aria-describedby) so that the browser's own
// title bubble does not double it and screen readers announce it once.
(() => {
  "use strict";
  let tip = null;
  let owner = null;

  function tooltip() {
    if (!tip) {
      tip = document.createElement("div");
      tip.id = "glossary-preview";
      tip.className = "glossary-preview-tip";
      tip.setAttribute("role", "tooltip");
      tip.hidden = true;
    }
    return tip;
  }

  // The preview goes into the landmark of the link that shows it: all of a page's
  // content belongs to some landmark, which is how screen-reader users find it.
  function landmarkOf(link) {
    return link.closest("main, [role=main], aside, [role=complementary], nav, [role=navigation]") || document.body;
  }

  function show(link) {
    if (link.title) {
      link.dataset.preview = link.title;
      link.removeAttribute("title");
    }
    const text = link.dataset.preview;
    if (!text) return;
    const box = tooltip();
    const home = landmarkOf(link);
    if (box.parentElement !== home) home.appendChild(box);
    box.textContent = text;
    box.style.left = "0px";
    box.style.top = "0px";
    box.hidden = false;
    const origin = box.getBoundingClientRect(); // where the containing block puts left 0, top 0
    owner = link;
    link.setAttribute("aria-describedby", box.id);
    const rect = link.getBoundingClientRect();
    const width = Math.min(360, document.documentElement.clientWidth - 16);
    box.style.maxWidth = width + "px";
    const left = Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8));
    box.style.left = left - origin.left + "px";
    box.style.top = rect.bottom + 6 - origin.top + "px";
  }

  function hide() {
    if (!tip || !owner) return;
    tip.hidden = true;
    owner.removeAttribute("aria-describedby");
    owner = null;
  }

  function linkOf(event) {
    return event.target instanceof Element ? event.target.closest("a.glossary-preview") : null;
  }

  document.addEventListener("mouseover", (e) => { const a = linkOf(e); if (a) show(a); });
  document.addEventListener("mouseout", (e) => { if (linkOf(e) === owner) hide(); });
  document.addEventListener("focusin", (e) => { const a = linkOf(e); if (a) show(a); });
  document.addEventListener("focusout", (e) => { if (linkOf(e) === owner) hide(); });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") hide(); });
})();
