// Term previews: show a link's build-time summary on hover and on keyboard focus.
// Shared by the glossary site and by other projects' pages (glossweave.consumer):
// the summary arrives as the title of `a.glossary-preview` links, written at build
// time, so nothing is fetched when a page is viewed.  It is moved to one tooltip
// element (role="tooltip", aria-describedby) so that the browser's own title
// bubble does not double it and screen readers announce it once.
//
// WCAG 1.4.13 (content on hover or focus):
//  - hoverable: the pointer can move from the link onto the preview (a short grace
//    period covers the gap between them) and the preview stays while it is there;
//  - dismissible: Escape closes it without moving the pointer or the focus;
//  - persistent: it stays until the pointer and the focus have both left;
//  - placed where it fits: below the link, or above when there is no room below.
(() => {
  "use strict";
  const GAP = 6; // px between the link and the preview
  const MARGIN = 8; // px kept free at the window's edges
  const GRACE = 300; // ms for the pointer to cross from the link to the preview
  let tip = null;
  let owner = null;
  let hideTimer = null;
  let dismissed = null; // the link whose preview Escape closed, until the pointer and focus leave it

  function tooltip() {
    if (!tip) {
      tip = document.createElement("div");
      tip.id = "glossary-preview";
      tip.className = "glossary-preview-tip";
      tip.setAttribute("role", "tooltip");
      tip.hidden = true;
      tip.addEventListener("mouseenter", cancelHide);
      tip.addEventListener("mouseleave", (e) => { if (!owner || !owner.contains(e.relatedTarget)) scheduleHide(); });
    }
    return tip;
  }

  // The preview goes into the landmark of the link that shows it: all of a page's
  // content belongs to some landmark, which is how screen-reader users find it.
  function landmarkOf(link) {
    return link.closest("main, [role=main], aside, [role=complementary], nav, [role=navigation]") || document.body;
  }

  function place(box, link) {
    box.style.left = "0px";
    box.style.top = "0px";
    const origin = box.getBoundingClientRect(); // where its containing block puts left 0, top 0
    const view = document.documentElement.clientWidth;
    const width = Math.min(360, view - 2 * MARGIN);
    box.style.maxWidth = width + "px";
    const rect = link.getClientRects()[0] || link.getBoundingClientRect(); // the first line of a wrapped link
    const left = Math.max(MARGIN, Math.min(rect.left, view - box.offsetWidth - MARGIN));
    const below = window.innerHeight - rect.bottom - GAP - MARGIN;
    const above = rect.top - GAP - MARGIN;
    const flip = box.offsetHeight > below && above > below;
    const top = flip ? rect.top - GAP - box.offsetHeight : rect.bottom + GAP;
    box.classList.toggle("glossary-preview-above", flip);
    box.style.left = left - origin.left + "px";
    box.style.top = top - origin.top + "px";
  }

  function show(link) {
    cancelHide();
    if (link === dismissed) return;
    if (link.title) {
      link.dataset.preview = link.title;
      link.removeAttribute("title");
    }
    const text = link.dataset.preview;
    if (!text) return;
    if (owner && owner !== link) owner.removeAttribute("aria-describedby");
    const box = tooltip();
    const home = landmarkOf(link);
    if (box.parentElement !== home) home.appendChild(box);
    box.textContent = text;
    box.hidden = false;
    owner = link;
    link.setAttribute("aria-describedby", box.id);
    place(box, link);
  }

  function hide() {
    cancelHide();
    if (!tip || !owner) return;
    tip.hidden = true;
    owner.removeAttribute("aria-describedby");
    owner = null;
  }

  function scheduleHide() {
    cancelHide();
    hideTimer = window.setTimeout(hide, GRACE);
  }

  function cancelHide() {
    if (hideTimer !== null) {
      window.clearTimeout(hideTimer);
      hideTimer = null;
    }
  }

  function linkOf(node) {
    return node instanceof Element ? node.closest("a.glossary-preview") : null;
  }

  const inTip = (node) => tip !== null && node instanceof Node && tip.contains(node);

  document.addEventListener("mouseover", (e) => { const a = linkOf(e.target); if (a) show(a); });
  document.addEventListener("mouseout", (e) => {
    const a = linkOf(e.target);
    if (!a || a.contains(e.relatedTarget)) return;
    if (a === dismissed && document.activeElement !== a) dismissed = null;
    if (a === owner && !inTip(e.relatedTarget) && document.activeElement !== a) scheduleHide();
  });
  document.addEventListener("focusin", (e) => { const a = linkOf(e.target); if (a) show(a); });
  document.addEventListener("focusout", (e) => {
    const a = linkOf(e.target);
    if (a === dismissed) dismissed = null;
    if (a && a === owner && !a.matches(":hover") && !(tip && tip.matches(":hover"))) hide();
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && owner) {
      dismissed = owner;
      hide();
    }
  });
  window.addEventListener("resize", () => { if (owner) place(tip, owner); });
})();
