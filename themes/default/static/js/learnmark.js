/* Learnmark: binds components to their markup. Loaded with `defer`, so the DOM is
   parsed when this runs. A component registers with
   Learnmark.register('name', function (element) { ... }) and is given every
   element marked data-module="name". Pages work fully without this file.
   Learnmark.t and its kin (the interface in the page's language) are in i18n.js. */
(function () {
  'use strict';
  var Learnmark = window.Learnmark = window.Learnmark || {};
  /* Save `text` as a file the learner downloads (made in the browser; nothing is sent anywhere). */
  Learnmark.download = function (name, type, text) {
    var link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type: type }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  };

  Learnmark.register = function (name, init) {
    var elements = document.querySelectorAll('[data-module="' + name + '"]');
    for (var i = 0; i < elements.length; i++) {
      if (!elements[i].hasAttribute('data-module-ready')) {
        elements[i].setAttribute('data-module-ready', '');
        // One component's failure must not switch off the others: it is reported, and the page goes on.
        try { init(elements[i]); } catch (e) { if (window.console) console.error('Learnmark ' + name + ':', e); }
      }
    }
  };
})();
