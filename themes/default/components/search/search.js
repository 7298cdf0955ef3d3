/* Search: the index and the code that queries it (assets/search-index.js) load only when the
   learner first focuses or uses a search form, so no page pays for search until then. */
Learnmark.register('search', function (form) {
  'use strict';
  function load() {
    if (document.getElementById('lm-search-index')) return;
    var script = document.createElement('script');
    script.id = 'lm-search-index';
    script.src = form.getAttribute('data-search-index');
    document.head.appendChild(script);
  }
  var input = form.querySelector('input');
  input.addEventListener('focus', load);
  form.addEventListener('submit', load);
  if (form.hasAttribute('data-search-page') && (input.value || /[?&]q=/.test(window.location.search))) load();
});
