/* Question kinds: how quiz.js reads, marks, shows and restores each kind of answer.

   Every kind answers with an array of strings (kept in the learner's record and sent to an LMS):
     single, multiple, true-false   the chosen option ids
     fill-in                        the typed text, trimmed ([text]); marked against the accepted answers
                                    ignoring case, spaces and punctuation at the ends
     matching                       "<item>.<target>" for every item, in the author's order
     ordering                       the item ids in the learner's order
   `key` is the right answer in the same form. `credit` is the share of it a response earns (0-1), used
   when the quiz gives part marks (`partial`); otherwise a question is right only with credit 1. */
(function () {
  'use strict';
  var L = window.Learnmark;

  function toArray(list) { return Array.prototype.slice.call(list); }
  function all(q, selector) { return toArray(q.querySelectorAll(selector)); }
  function sameSet(a, b) {
    return a.length === b.length && a.every(function (x) { return b.indexOf(x) >= 0; }) &&
      b.every(function (x) { return a.indexOf(x) >= 0; });
  }
  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }
  /* A tag such as "✓ Your answer: correct" (text and icon, never colour alone). */
  function tag(right, text) {
    var span = element('span', 'quiz__tag quiz__tag--' + (right ? 'correct' : 'incorrect'));
    var icon = element('span', '', right ? '✓ ' : '✗ ');
    icon.setAttribute('aria-hidden', 'true');
    span.appendChild(icon);
    span.appendChild(document.createTextNode(text));
    return span;
  }
  function untag(q) { all(q, '.quiz__tag').forEach(function (t) { t.parentNode.removeChild(t); }); }
  function shuffle(items, random) {
    for (var i = items.length - 1; i > 0; i--) {
      var j = Math.floor(random() * (i + 1));
      var t = items[i]; items[i] = items[j]; items[j] = t;
    }
    return items;
  }
  /* Text as a fill-in answer is compared: one form of each character, lower case, single spaces, and
     no spaces or punctuation at either end ("  Resist! " is "resist"). */
  function normal(text) {
    return String(text).normalize('NFC').toLowerCase().replace(/\s+/g, ' ')
      .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '');
  }
  function share(right, total) { return total ? right / total : 0; }

  var choice = {
    controls: function (q) { return all(q, '.quiz__input'); },
    response: function (q) { return choice.controls(q).filter(function (i) { return i.checked; }).map(function (i) { return i.value; }); },
    key: function (q) { return choice.controls(q).filter(function (i) { return i.hasAttribute('data-correct'); }).map(function (i) { return i.value; }); },
    fits: function (q, response) {
      var ids = choice.controls(q).map(function (i) { return i.value; });
      return response.every(function (r) { return ids.indexOf(r) >= 0; }) &&
        (q.getAttribute('data-kind') === 'multiple' || response.length === 1);
    },
    sameKey: sameSet,
    credit: function (response, key) {
      if (sameSet(response, key)) return 1;
      var hits = response.filter(function (r) { return key.indexOf(r) >= 0; }).length;
      return Math.max(0, share(hits - (response.length - hits), key.length));
    },
    restore: function (q, response) { choice.controls(q).forEach(function (i) { i.checked = response.indexOf(i.value) >= 0; }); },
    clear: function (q) {
      choice.controls(q).forEach(function (i) {
        i.checked = false;
        i.parentNode.classList.remove('quiz__choice--correct', 'quiz__choice--incorrect');
      });
    },
    /* Tag the chosen options and the right ones; return the ids whose feedback to show. */
    show: function (q, response) {
      choice.controls(q).forEach(function (input) {
        var right = input.hasAttribute('data-correct');
        var label = input.parentNode.querySelector('label');
        if (input.checked) {
          input.parentNode.classList.add(right ? 'quiz__choice--correct' : 'quiz__choice--incorrect');
          label.appendChild(tag(right, right ? Learnmark.t('Your answer: correct') : Learnmark.t('Your answer: not correct')));
        } else if (right) {
          input.parentNode.classList.add('quiz__choice--correct');
          label.appendChild(tag(true, Learnmark.t('Correct answer')));
        }
      });
      return response;
    }
  };

  var fillIn = {
    controls: function (q) { return all(q, '.quiz__text'); },
    answers: function (q) {
      try { return JSON.parse(fillIn.controls(q)[0].getAttribute('data-answers')) || []; } catch (e) { return []; }
    },
    response: function (q) {
      var text = fillIn.controls(q)[0].value.replace(/\s+/g, ' ').trim();
      return normal(text) ? [text] : [];
    },
    key: function (q) { return fillIn.answers(q).filter(function (a) { return a.correct; }).map(function (a) { return a.text; }); },
    fits: function (q, response) { return response.length === 1 && typeof response[0] === 'string'; },
    sameKey: sameSet,
    credit: function (response, key) {
      var typed = normal(response[0] || '');
      return key.some(function (text) { return normal(text) === typed; }) ? 1 : 0;
    },
    restore: function (q, response) { fillIn.controls(q)[0].value = response[0] || ''; },
    clear: function (q) { fillIn.controls(q)[0].value = ''; },
    show: function (q, response, correct) {
      var input = fillIn.controls(q)[0];
      input.parentNode.appendChild(tag(correct, correct ? Learnmark.t('Your answer: correct') : Learnmark.t('Your answer: not correct')));
      var typed = normal(response[0] || '');
      return fillIn.answers(q).filter(function (a) { return normal(a.text) === typed; }).map(function (a) { return a.id; }).slice(0, 1);
    }
  };

  var matching = {
    controls: function (q) { return all(q, '.quiz__select'); },
    item: function (select) { return select.parentNode.getAttribute('data-choice-id'); },
    response: function (q) {
      var selects = matching.controls(q);
      if (selects.some(function (s) { return !s.value; })) return [];
      return selects.map(function (s) { return matching.item(s) + '.' + s.value; });
    },
    key: function (q) { return matching.controls(q).map(function (s) { return matching.item(s) + '.' + s.getAttribute('data-correct'); }); },
    fits: function (q, response) {
      var selects = matching.controls(q);
      return response.length === selects.length && selects.every(function (s, i) {
        var pair = String(response[i]).split('.');
        return pair.length === 2 && pair[0] === matching.item(s) &&
          toArray(s.options).some(function (o) { return o.value && o.value === pair[1]; });
      });
    },
    sameKey: sameSet,
    credit: function (response, key) {
      return share(response.filter(function (pair) { return key.indexOf(pair) >= 0; }).length, key.length);
    },
    restore: function (q, response) {
      matching.controls(q).forEach(function (s, i) { s.value = String(response[i]).split('.')[1]; });
    },
    clear: function (q) {
      matching.controls(q).forEach(function (s) { s.value = ''; });
      all(q, '.quiz__chosen').forEach(function (p) { p.parentNode.removeChild(p); });
    },
    /* A select cuts a long target short on a phone, so a marked item shows the chosen target in full. */
    show: function (q) {
      matching.controls(q).forEach(function (s) {
        var right = s.value === s.getAttribute('data-correct');
        var chosen = element('p', 'quiz__chosen', s.options[s.selectedIndex].text + ' ');
        chosen.appendChild(tag(right, right ? Learnmark.t('Your match: correct') : Learnmark.t('Your match: not correct')));
        s.parentNode.appendChild(chosen);
      });
      return [];
    },
    /* Each learner's own stable order of the targets, after the "Choose a match" line. */
    setup: function (q, random) {
      var selects = matching.controls(q);
      if (!selects.length) return;
      var order = shuffle(toArray(selects[0].options).slice(1).map(function (o) { return o.value; }), random);
      selects.forEach(function (s) {
        var options = toArray(s.options);
        order.forEach(function (value) {
          s.appendChild(options.filter(function (o) { return o.value === value; })[0]);
        });
      });
    }
  };

  var ordering = {
    controls: function (q) { return all(q, '.quiz__move'); },
    steps: function (q) { return all(q, '.quiz__step'); },
    response: function (q) { return ordering.steps(q).map(function (s) { return s.getAttribute('data-choice-id'); }); },
    key: function (q) { return q.querySelector('.quiz__steps').getAttribute('data-order').split(' '); },
    fits: function (q, response) {
      var ids = ordering.response(q);
      return response.length === ids.length && sameSet(response, ids);
    },
    sameKey: function (a, b) { return a.join(' ') === b.join(' '); },
    credit: function (response, key) {
      return share(response.filter(function (id, i) { return key[i] === id; }).length, key.length);
    },
    restore: function (q, response) {
      var list = q.querySelector('.quiz__steps');
      var steps = ordering.steps(q);
      response.forEach(function (id) {
        list.appendChild(steps.filter(function (s) { return s.getAttribute('data-choice-id') === id; })[0]);
      });
      ordering.renumber(q);
    },
    /* Back to the learner's starting order (never the right one), as at the first attempt. */
    clear: function (q) {
      var start = q.querySelector('.quiz__steps').getAttribute('data-start');
      if (start) ordering.restore(q, start.split(' '));
      q.querySelector('.quiz__moved').textContent = '';
    },
    show: function (q) {
      var key = ordering.key(q);
      ordering.steps(q).forEach(function (s, i) {
        var right = key[i] === s.getAttribute('data-choice-id');
        s.querySelector('.quiz__step-text').appendChild(tag(right, right ? Learnmark.t('In the right place') : Learnmark.t('Not in the right place')));
      });
      return [];
    },
    /* The first step cannot move up and the last cannot move down. */
    renumber: function (q) {
      var steps = ordering.steps(q);
      steps.forEach(function (s, i) {
        s.querySelector('[data-move="-1"]').disabled = i === 0;
        s.querySelector('[data-move="1"]').disabled = i === steps.length - 1;
      });
    },
    /* Each learner's own stable order, never the right one; then the move buttons. */
    setup: function (q, random) {
      var key = ordering.key(q);
      var order = shuffle(key.slice(), random);
      if (order.length > 1 && order.join(' ') === key.join(' ')) order.push(order.shift());
      ordering.restore(q, order);
      var list = q.querySelector('.quiz__steps');
      list.setAttribute('data-start', order.join(' '));
      var status = q.querySelector('.quiz__moved');
      list.addEventListener('click', function (event) {
        var button = event.target.closest && event.target.closest('.quiz__move');
        if (!button || button.disabled) return;
        var step = button.closest('.quiz__step');
        var steps = ordering.steps(q);
        var to = steps.indexOf(step) + Number(button.getAttribute('data-move'));
        if (to < 0 || to >= steps.length) return;
        list.insertBefore(step, to > steps.indexOf(step) ? steps[to].nextSibling : steps[to]);
        ordering.renumber(q);
        // Keep focus on the button pressed; at the top or bottom, on the other one.
        (button.disabled ? step.querySelector('.quiz__move:not([disabled])') : button).focus();
        status.textContent = Learnmark.t('“%(item)s” moved to position %(n)s of %(total)s.', {
          item: step.querySelector('.quiz__step-text').textContent.trim(), n: to + 1, total: steps.length });
      });
    }
  };

  var KINDS = { 'fill-in': fillIn, matching: matching, ordering: ordering };

  /* The behaviour of question element `q`'s kind. */
  L.quizKindOf = function (name) { return KINDS[name] || choice; };
  L.quizKind = function (q) { return L.quizKindOf(q.getAttribute('data-kind')); };
  L.quizShuffle = shuffle;
})();
