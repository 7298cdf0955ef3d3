/* Print: closed expanders print open, and the print page's button prints.
   Chromium prints only the summary of a closed <details>, and the CSS that prints them open
   (::details-content, in print.css) is not in every browser: so each one is opened just
   before printing and closed again after. A quiz's "Show answer" stays closed: a printed
   quiz page is still a quiz to practise on (the module's print page lists the answers). */
(function () {
  'use strict';
  var opened = [];
  window.addEventListener('beforeprint', function () {
    var closed = document.querySelectorAll('details:not([open]):not(.quiz__answer)');
    for (var i = 0; i < closed.length; i++) {
      closed[i].open = true;
      opened.push(closed[i]);
    }
  });
  window.addEventListener('afterprint', function () {
    for (var i = 0; i < opened.length; i++) opened[i].open = false;
    opened = [];
  });
  Learnmark.register('print-button', function (button) {
    button.addEventListener('click', function () { window.print(); });
  });
})();
