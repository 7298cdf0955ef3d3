/* Learnmark: binds components to their markup. Loaded with `defer`, so the DOM is
   parsed when this runs. A component registers with
   Learnmark.register('name', function (element) { ... }) and is given every
   element marked data-module="name". Pages work fully without this file. */
(function () {
  'use strict';
  var Learnmark = window.Learnmark = window.Learnmark || {};
  Learnmark.register = function (name, init) {
    var elements = document.querySelectorAll('[data-module="' + name + '"]');
    for (var i = 0; i < elements.length; i++) {
      if (!elements[i].hasAttribute('data-module-ready')) {
        elements[i].setAttribute('data-module-ready', '');
        init(elements[i]);
      }
    }
  };
})();
