/* The 404 page without base_url is served at whatever address was not found, maybe deep in a
   subfolder, where its relative links are wrong. Before anything loads, set <base> to the site root
   found in the address: the folder before the last module folder (or assets) in it, else the folder
   of the page itself. The folder names are in the JSON block #lm-site-folders above. */
(function () {
  var names = JSON.parse(document.getElementById("lm-site-folders").textContent);
  var parts = location.pathname.split("/");
  var at = parts.length - 1;
  for (var i = parts.length - 2; i > 0; i--) {
    if (names.indexOf(decodeURIComponent(parts[i])) >= 0) { at = i; break; }
  }
  var base = document.createElement("base");
  base.href = parts.slice(0, at).join("/") + "/";
  document.head.appendChild(base);
  // A <base> would send in-page links ("Skip to main content") to the root: keep them on this page.
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll('a[href^="#"]'), function (a) {
      a.href = location.pathname + location.search + a.getAttribute("href");
    });
  });
})();
