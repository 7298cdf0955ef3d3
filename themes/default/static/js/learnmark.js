/* Learnmark: binds components to their markup. Loaded with `defer`, so the DOM is
   parsed when this runs. A component registers with
   Learnmark.register('name', function (element) { ... }) and is given every
   element marked data-module="name". Pages work fully without this file. */
(function () {
  'use strict';
  var Learnmark = window.Learnmark = window.Learnmark || {};
  var messages = window.LearnmarkMessages || {};
  var language = document.documentElement.lang || 'en';

  /* The interface in the page's language. Scripts write their strings in English,
     Learnmark.t('Page %(n)s of %(total)s', { n: 2, total: 5 }); the build puts the
     language's translations in window.LearnmarkMessages (assets/course.js), the
     js domain of the theme's catalogues (docs/languages.md). */
  function fill(text, values) {
    return text.replace(/%(?:\((\w+)\))?([sd%])/g, function (all, name, kind) {
      if (kind === '%') { return '%'; }
      var value = values ? values[name] : undefined;
      return value === undefined ? all : (typeof value === 'number' ? Learnmark.number(value) : String(value));
    });
  }
  Learnmark.t = function (text, values) {
    var own = messages[text];
    return fill(typeof own === 'string' ? own : text, values);
  };
  /* A string that depends on a number: the language's plural category (CLDR, as the build's) picks its form. */
  Learnmark.n = function (singular, plural, n, values) {
    var own = messages[singular], text;
    values = values || {};
    if (values.num === undefined) { values.num = n; }
    if (own && typeof own === 'object') {
      var category = 'other';
      try { category = new Intl.PluralRules(language).select(n); } catch (e) { /* an old browser: 'other' */ }
      text = own[category] || own.other;
    }
    return fill(text || (n === 1 ? singular : plural), values);
  };
  Learnmark.number = function (n) {
    try { return new Intl.NumberFormat(language).format(n); } catch (e) { return String(n); }
  };
  /* A date (a Date, or anything Date takes) as the language writes it in full: "27 November 2026", "27 Tachwedd 2026". */
  Learnmark.date = function (value) {
    var date = value instanceof Date ? value : new Date(value);
    try { return date.toLocaleDateString(language, { day: 'numeric', month: 'long', year: 'numeric' }); }
    catch (e) { return date.toDateString(); }
  };
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
