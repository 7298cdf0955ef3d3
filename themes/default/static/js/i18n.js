/* Learnmark's interface in the page's language: Learnmark.t, .n, .number and .date.

   Scripts write their strings in English,
   Learnmark.t('Page %(n)s of %(total)s', { n: 2, total: 5 }); the build puts the
   language's translations (the js domain of the theme's catalogues, see
   docs/languages.md; each under Learnmark.messageKey of its English) in window.LearnmarkMessages (assets/course.js), or, on a
   page without course.js, in a JSON block <script id="lm-messages">. They are
   looked up when a string is asked for, so the order scripts load in does not
   matter; without them every string is the English it was written in.
   Bundled first into assets/learnmark.js, and into assets/scorm-lms.js for the
   SCORM launch pages. */
(function () {
  'use strict';
  var Learnmark = window.Learnmark = window.Learnmark || {};
  var fromPage = null;

  function messages() {
    if (window.LearnmarkMessages) return window.LearnmarkMessages;
    if (fromPage === null) {
      var block = document.getElementById('lm-messages');
      try { fromPage = block ? JSON.parse(block.textContent) || {} : {}; } catch (e) { fromPage = {}; }
    }
    return fromPage;
  }
  function language() { return document.documentElement.lang || 'en'; }
  function fill(text, values) {
    return text.replace(/%(?:\((\w+)\))?([sd%])/g, function (all, name, kind) {
      if (kind === '%') { return '%'; }
      var value = values ? values[name] : undefined;
      return value === undefined ? all : (typeof value === 'number' ? Learnmark.number(value) : String(value));
    });
  }
  /* The key a string's translation is under: a short hash of its English (generator/i18n/keys.py), FNV-1a over
     UTF-16 code units in base 36; a string whose hash another's shares is under its English text. */
  Learnmark.messageKey = function (text) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = (h + (h << 1) + (h << 4) + (h << 7) + (h << 8) + (h << 24)) >>> 0;  // h * 16777619, modulo 2^32
    }
    return h.toString(36);
  };
  function lookup(text) {
    var all = messages(), key = Learnmark.messageKey(text);
    return Object.prototype.hasOwnProperty.call(all, key) ? all[key] : all[text];
  }
  Learnmark.t = function (text, values) {
    var own = lookup(text);
    return fill(typeof own === 'string' ? own : text, values);
  };
  /* A string that depends on a number: the language's plural category (CLDR, as the build's) picks its form. */
  Learnmark.n = function (singular, plural, n, values) {
    var own = lookup(singular), text;
    values = values || {};
    if (values.num === undefined) { values.num = n; }
    if (own && typeof own === 'object') {
      var category = 'other';
      try { category = new Intl.PluralRules(language()).select(n); } catch (e) { /* an old browser: 'other' */ }
      text = own[category] || own.other;
    }
    return fill(text || (n === 1 ? singular : plural), values);
  };
  Learnmark.number = function (n) {
    try { return new Intl.NumberFormat(language()).format(n); } catch (e) { return String(n); }
  };
  /* A date (a Date, or anything Date takes) as the language writes it in full: "27 November 2026", "27 Tachwedd 2026".
     The build gives a language other than English its CLDR long date ("@date": pattern and month names), since
     browsers leave many languages out of Intl (Chromium has no Welsh months); English is Intl's. */
  Learnmark.date = function (value) {
    var date = value instanceof Date ? value : new Date(value);
    var own = messages()['@date'];
    if (own && own.pattern && own.months) return cldrDate(date, own);
    try { return date.toLocaleDateString(language(), { day: 'numeric', month: 'long', year: 'numeric' }); }
    catch (e) { return date.toDateString(); }
  };
  /* A CLDR date pattern's fields a long date uses: d, M (MMM and longer: the month's name), y, 'quoted text'. */
  function cldrDate(date, format) {
    function pad(n, width) { n = String(n); while (n.length < width) { n = '0' + n; } return n; }
    return format.pattern.replace(/'([^']*)'|d+|M+|L+|y+/g, function (token, quoted) {
      if (quoted !== undefined) { return quoted || "'"; }
      var kind = token.charAt(0);
      if (kind === 'd') { return pad(date.getDate(), token.length); }
      if (kind === 'y') { return token.length === 2 ? pad(date.getFullYear() % 100, 2) : String(date.getFullYear()); }
      return token.length >= 3 ? format.months[date.getMonth()] : pad(date.getMonth() + 1, token.length);
    });
  }
})();
