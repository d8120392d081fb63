// Keyboard and screen-reader access to what the theme builds for the pointer
// (glossweave.site.a11y).
//
// Drawers: Furo opens its navigation (and, on narrow windows, its table of
// contents) with a <label> for a hidden checkbox, which a pointer can use but a
// keyboard cannot reach and a screen reader does not announce.  Each such label
// is replaced by a real button with the same look, aria-expanded and
// aria-controls.  Opened from the keyboard, the drawer takes the focus; Escape,
// or tabbing out of it, closes it and gives the focus back.  glossary.css keeps
// a closed drawer out of the tab order.  Without this script the labels still
// work with a pointer.
//
// Regions that scroll sideways (a wide table, code, display math) with nothing
// focusable inside get a tab stop and a name, so that a keyboard can scroll
// them (WCAG 2.1.1); they lose it again when the window is wide enough.
(() => {
  "use strict";
  const DRAWERS = [
    { checkbox: "__navigation", drawer: "aside.sidebar-drawer", id: "glossary-navigation", name: "Site navigation", button: "Menu" },
    { checkbox: "__toc", drawer: "aside.toc-drawer", id: "glossary-contents", name: "On this page", button: "Contents" },
  ];
  const FOCUSABLE = "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

  function setUpDrawer(spec) {
    const checkbox = document.getElementById(spec.checkbox);
    const drawer = document.querySelector(spec.drawer);
    if (!checkbox || !drawer) return;
    drawer.id = drawer.id || spec.id;
    drawer.setAttribute("aria-label", spec.name);
    // The toggles the reader sees (the overlay behind an open drawer is a label too, but no control).
    const toggles = Array.from(document.querySelectorAll(`label[for="${spec.checkbox}"]:not(.overlay)`), (label) => asButton(label, spec, drawer));
    let opener = null;

    const sync = () => toggles.forEach((t) => t.setAttribute("aria-expanded", String(checkbox.checked)));

    function open(toggle, moveFocus) {
      opener = toggle;
      checkbox.checked = true;
      sync();
      const first = drawer.querySelector(FOCUSABLE);
      if (moveFocus && first) first.focus();
    }

    function close(returnFocus) {
      checkbox.checked = false;
      sync();
      if (returnFocus && opener && opener.getClientRects().length) opener.focus();
    }

    for (const toggle of toggles) {
      // A click from Enter or Space has no pointer position (detail 0): then the focus moves in.
      toggle.addEventListener("click", (e) => (checkbox.checked ? close(false) : open(toggle, e.detail === 0)));
    }
    checkbox.addEventListener("change", sync); // the overlay behind the drawer closes it through its label
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && checkbox.checked) close(drawer.contains(document.activeElement));
    });
    drawer.addEventListener("focusout", (e) => {
      const next = e.relatedTarget;
      if (checkbox.checked && next instanceof Node && !drawer.contains(next) && !toggles.includes(next)) close(false);
    });
    sync();
  }

  function asButton(label, spec, drawer) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = label.className;
    button.setAttribute("aria-label", spec.button);
    button.setAttribute("aria-controls", drawer.id);
    button.append(...label.childNodes);
    label.replaceWith(button);
    return button;
  }

  function regionName(el) {
    if (el.querySelector("table")) return "Table";
    if (el.matches("pre, .highlight") || el.querySelector("pre")) return "Code";
    if (el.querySelector("math, svg, mjx-container, .math") || el.matches(".math-wrapper, .math")) return "Formula";
    return "Scrolling content";
  }

  function markScrollingRegions() {
    const article = document.querySelector("article") || document.body;
    for (const el of article.querySelectorAll("*")) {
      const added = el.dataset.glossaryScrolls; // the attributes given here, to take back
      const overflow = getComputedStyle(el).overflowX;
      const scrolls = (overflow === "auto" || overflow === "scroll") && el.scrollWidth > el.clientWidth + 1;
      if (scrolls && added === undefined && !el.hasAttribute("tabindex") && !el.querySelector(FOCUSABLE)) {
        const attributes = { tabindex: "0", role: "region", "aria-label": regionName(el) };
        const given = Object.keys(attributes).filter((name) => !el.hasAttribute(name));
        given.forEach((name) => el.setAttribute(name, attributes[name]));
        el.dataset.glossaryScrolls = given.join(" ");
      } else if (!scrolls && added !== undefined) {
        added.split(" ").filter(Boolean).forEach((name) => el.removeAttribute(name));
        delete el.dataset.glossaryScrolls;
      }
    }
    numberAlikes(article);
  }

  // Landmarks of one kind need names of their own: "Table 1", "Table 2", … when there are several.
  function numberAlikes(article) {
    const named = Array.from(article.querySelectorAll("[data-glossary-scrolls~='aria-label']"));
    const kinds = named.map(regionName);
    named.forEach((el, i) => {
      const alike = kinds.filter((kind) => kind === kinds[i]).length;
      el.setAttribute("aria-label", alike > 1 ? `${kinds[i]} ${kinds.slice(0, i + 1).filter((kind) => kind === kinds[i]).length}` : kinds[i]);
    });
  }

  function onReady() {
    DRAWERS.forEach(setUpDrawer);
    markScrollingRegions();
    let pending = false;
    window.addEventListener("resize", () => {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(() => {
        pending = false;
        markScrollingRegions();
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onReady);
  else onReady();
})();
