/* Learnmark search: the query side of the index (generator/search.py writes the index after this
   code, into assets/search-index.js). Loaded only when the learner first focuses or uses search.
   Words are found as the build found them: lower case, runs of letters and digits, stemmed with the
   index's own rules (the same loop as search.py's stem), the last word also by prefix as it is typed.
   Every word must be found; pages rank by where their words stand (title, headings, text). */
(function () {
  'use strict';
  var Learnmark = window.Learnmark = window.Learnmark || {};
  var WORD = /[\p{L}\p{N}]+/gu, LIMIT = 50, CONTEXT = 70, SNIPPET = 200;
  var index = null, keys = null;

  function words(text) { return String(text).toLowerCase().match(WORD) || []; }
  function stem(word) {
    for (var i = 0; i < index.stem.length; i++) {
      var rule = index.stem[i];
      if (word.length - rule[0].length >= rule[2] && word.slice(-rule[0].length) === rule[0]) {
        return word.slice(0, word.length - rule[0].length) + rule[1];
      }
    }
    return word;
  }
  /* The learner's query as what it matches: each word's stem, and the last word's prefix while it is typed. */
  function parse(query) {
    var list = words(query), typing = /[\p{L}\p{N}]$/u.test(query);
    return list.map(function (word, i) {
      return { stem: stem(word), prefix: typing && i === list.length - 1 ? word : '' };
    });
  }
  function matches(term, word) { return stem(term) === word.stem || (word.prefix && term.indexOf(word.prefix) === 0); }

  function search(query) {
    var parts = parse(query), total = null;
    if (!parts.length) return [];
    keys = keys || Object.keys(index.terms);
    parts.forEach(function (word) {
      var found = {};
      function add(postings) { for (var i = 0; i < postings.length; i += 2) found[postings[i]] = (found[postings[i]] || 0) + postings[i + 1]; }
      if (index.terms[word.stem]) add(index.terms[word.stem]);
      if (word.prefix) {
        keys.forEach(function (key) { if (key !== word.stem && key.indexOf(word.prefix) === 0) add(index.terms[key]); });
      }
      if (total === null) { total = found; return; }
      var both = {};
      Object.keys(total).forEach(function (doc) { if (found[doc]) both[doc] = total[doc] + found[doc]; });
      total = both;
    });
    return Object.keys(total).map(Number).sort(function (a, b) { return total[b] - total[a] || a - b; })
      .slice(0, LIMIT).map(function (doc) { return { doc: index.docs[doc], parts: parts }; });
  }

  /* `text` into `element`, each matching word in a <mark> (text nodes only: nothing is parsed as HTML). */
  function highlight(element, text, parts) {
    var at = 0, found;
    WORD.lastIndex = 0;
    while ((found = WORD.exec(text)) !== null) {
      var term = found[0].toLowerCase();
      if (parts.some(function (word) { return matches(term, word); })) {
        element.appendChild(document.createTextNode(text.slice(at, found.index)));
        var mark = document.createElement('mark');
        mark.textContent = found[0];
        element.appendChild(mark);
        at = found.index + found[0].length;
      }
    }
    element.appendChild(document.createTextNode(text.slice(at)));
  }
  function snippet(text, parts) {
    var found, start = 0;
    WORD.lastIndex = 0;
    while ((found = WORD.exec(text)) !== null) {
      var term = found[0].toLowerCase();
      if (parts.some(function (word) { return matches(term, word); })) { start = found.index; break; }
    }
    var from = Math.max(0, text.lastIndexOf(' ', Math.max(0, start - CONTEXT)) + 1);
    if (start - from > CONTEXT * 2) from = start;
    var end = text.indexOf(' ', from + SNIPPET);
    end = end < 0 ? text.length : end;
    return (from > 0 ? '… ' : '') + text.slice(from, end) + (end < text.length ? ' …' : '');
  }

  function bind(form) {
    var input = form.querySelector('input[type="search"]');
    var list = document.querySelector('[data-search-results]');
    var status = document.querySelector('[data-search-status]');
    var timer = null;
    function announce(query, count) {
      clearTimeout(timer);
      timer = setTimeout(function () {  // once the learner pauses, not at every key
        status.textContent = !query ? '' : count === 0 ? Learnmark.t('No results for “%(query)s”.', { query: query })
          : Learnmark.n('%(num)s result for “%(query)s”.', '%(num)s results for “%(query)s”.', count, { query: query });
      }, 500);
    }
    function run() {
      var query = input.value.trim(), results = query ? search(query) : [];
      list.textContent = '';
      results.forEach(function (result) {
        var item = document.createElement('li'), link = document.createElement('a'), text = document.createElement('p');
        item.className = 'search-result';
        link.className = 'search-result__link';
        link.href = result.doc[0];
        highlight(link, result.doc[1], result.parts);
        item.appendChild(link);
        if (result.doc[2]) {
          var module = document.createElement('p');
          module.className = 'search-result__module';
          module.textContent = result.doc[2];
          item.appendChild(module);
        }
        text.className = 'search-result__snippet';
        highlight(text, snippet(result.doc[3], result.parts), result.parts);
        item.appendChild(text);
        list.appendChild(item);
      });
      announce(query, results.length);
    }
    function links() { return Array.prototype.slice.call(list.querySelectorAll('a')); }
    input.addEventListener('input', run);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      run();
      var first = links()[0];
      if (first) first.focus();
    });
    /* Down from the field to the results, up and down between them, up from the first back to the field. */
    form.parentNode.addEventListener('keydown', function (event) {
      if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
      var all = links(), at = all.indexOf(document.activeElement);
      if (document.activeElement === input) at = -1;
      else if (at < 0) return;
      var next = event.key === 'ArrowDown' ? at + 1 : at - 1;
      if (next >= all.length || (next < 0 && at < 0)) return;
      event.preventDefault();
      (next < 0 ? input : all[next]).focus();
    });
    var asked = /[?&]q=([^&#]*)/.exec(window.location.search);
    if (asked && !input.value) {
      try { input.value = decodeURIComponent(asked[1].replace(/\+/g, ' ')); } catch (e) { /* a malformed address */ }
    }
    if (input.value) run();
  }

  window.LearnmarkSearch = {
    search: function (query) { return search(query); },
    load: function (data) {
      index = data;
      var forms = document.querySelectorAll('[data-search-page]');
      for (var i = 0; i < forms.length; i++) bind(forms[i]);
    }
  };
})();
