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
      document.body.appendChild(tip);
    }
    return tip;
  }

  function show(link) {
    if (link.title) {
      link.dataset.preview = link.title;
      link.removeAttribute("title");
    }
    const text = link.dataset.preview;
    if (!text) return;
    const box = tooltip();
    box.textContent = text;
    box.hidden = false;
    owner = link;
    link.setAttribute("aria-describedby", box.id);
    const rect = link.getBoundingClientRect();
    const width = Math.min(360, document.documentElement.clientWidth - 16);
    box.style.maxWidth = width + "px";
    const left = Math.max(8, Math.min(rect.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8));
    box.style.left = left + "px";
    box.style.top = rect.bottom + window.scrollY + 6 + "px";
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
