// Small progressive enhancements for every page. Each one leaves the page usable without
// JavaScript: the menu is a checkbox, "Près de moi" and "Partager" only appear when the
// browser can do them, and nothing here contacts another site.
(function () {
  "use strict";

  // The phone menu: Escape closes it and gives the focus back to its button.
  var toggle = document.getElementById("nav-toggle");
  if (toggle) {
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.checked) {
        toggle.checked = false;
        toggle.focus();
      }
    });
  }

  // "Près de moi": the browser's own geolocation fills the place field with "lat,lon" and
  // sends the form. The position never leaves the page except as that query string.
  document.querySelectorAll("[data-near-me]").forEach(function (button) {
    if (!("geolocation" in navigator) || !window.isSecureContext) { return; }
    var form = button.form;
    var input = form && form.querySelector("[name=near]");
    var status = document.getElementById(button.dataset.statusId);
    if (!input) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      if (status) { status.textContent = button.dataset.labelLocating; }
      navigator.geolocation.getCurrentPosition(function (position) {
        input.value = position.coords.latitude.toFixed(4) + "," + position.coords.longitude.toFixed(4);
        if (status) { status.textContent = ""; }
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }, function () {
        button.disabled = false;
        if (status) { status.textContent = button.dataset.labelDenied; }
        input.focus();
      }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 });
    });
  });

  // "Partager": the phone's share sheet when there is one, else copy the address.
  document.querySelectorAll("[data-share]").forEach(function (button) {
    var canShare = typeof navigator.share === "function";
    var canCopy = navigator.clipboard && window.isSecureContext;
    if (!canShare && !canCopy) { return; }
    button.hidden = false;
    var status = document.getElementById(button.dataset.statusId);
    button.addEventListener("click", function () {
      var url = button.dataset.shareUrl || window.location.href;
      if (canShare) {
        navigator.share({ title: document.title, url: url }).catch(function () {});
        return;
      }
      navigator.clipboard.writeText(url).then(function () {
        if (status) { status.textContent = button.dataset.labelCopied; }
      });
    });
  });

  // The search page's map beside the list, on wide screens only: a phone never downloads
  // Leaflet for a map it would not show. The scripts are the site's own (see maps/rendering.py)
  // and run in order; maps.js then draws every [data-map-spec] element.
  var desktopMap = document.querySelector("[data-desktop-map]");
  if (desktopMap && window.matchMedia("(min-width: 64rem)").matches) {
    desktopMap.dataset.css.trim().split(/\s+/).forEach(function (href) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      document.head.appendChild(link);
    });
    desktopMap.dataset.js.trim().split(/\s+/).forEach(function (src) {
      var script = document.createElement("script");
      script.src = src;
      script.async = false;
      document.body.appendChild(script);
    });
  }

  // A table wider than the screen scrolls in its own box: keyboard users must reach it too.
  document.querySelectorAll(".table-scroll").forEach(function (box) {
    if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
    }
  });

  // "Imprimer".
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
