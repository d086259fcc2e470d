// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("site-nav");
    if (!toggle || !nav) { return; }
    var small = window.matchMedia("(max-width: 40rem)");
    function sync() {
      toggle.hidden = !small.matches;
      nav.dataset.open = small.matches ? String(toggle.getAttribute("aria-expanded") === "true") : "true";
    }
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      sync();
    });
    small.addEventListener("change", sync);
    sync();
  });
})();
