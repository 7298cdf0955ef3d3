/* Quiz: marks answers in the browser, explains them, and reports the result.

   Reads its settings from the form's data attributes (written by macro.html).
   After each submitted attempt it dispatches a bubbling "learnmark:quiz" event
   whose detail is the result (see README.md); the progress component records
   it with Learnmark.tracker, which counts the attempts (across tabs) and keeps
   the last one. Without JavaScript none of this runs and each question offers a
   "Show answer and explanation" expander instead.

   A stored attempt is data, not markup: no selector is ever built from it, and
   it is shown marked only when it was earned on exactly the questions, options,
   answer key and pass mark on the page; otherwise the result box says it was
   from an earlier version of the quiz. */
(function () {
  'use strict';
  var L = window.Learnmark;

  function toArray(list) { return Array.prototype.slice.call(list); }

  function shuffle(items, random) {
    for (var i = items.length - 1; i > 0; i--) {
      var j = Math.floor(random() * (i + 1));
      var t = items[i]; items[i] = items[j]; items[j] = t;
    }
    return items;
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function tag(kind, text) {
    var span = element('span', 'quiz__tag quiz__tag--' + kind);
    var icon = element('span', '', kind === 'correct' ? '✓ ' : '✗ ');
    icon.setAttribute('aria-hidden', 'true');
    span.appendChild(icon);
    span.appendChild(document.createTextNode(text));
    return span;
  }

  function sameSet(a, b) {
    return a.length === b.length && a.every(function (x) { return b.indexOf(x) >= 0; }) &&
      b.every(function (x) { return a.indexOf(x) >= 0; });
  }

  L.register('quiz', function (form) {
    var t = L.tracker;
    var key = form.getAttribute('data-quiz-key');
    var passMark = Number(form.getAttribute('data-pass'));
    var retries = form.getAttribute('data-retries') === 'unlimited' ? Infinity : Number(form.getAttribute('data-retries'));
    var seed = L.learnerSeed();
    var all = toArray(form.querySelectorAll('.quiz__question'));
    var questions = all;
    var submit = form.querySelector('.quiz__submit');
    var retry = form.querySelector('.quiz__retry');
    var resultBox = form.querySelector('.quiz__result');
    var verdictList = form.querySelector('.quiz__verdicts');
    var errorSummary = form.querySelector('.quiz__error-summary');
    var atLoad = t.quiz(key).attempts;
    var madeHere = 0;          // attempts submitted on this page (counted by the tracker too)
    var marked = null;         // the attempt whose marks are on the page, if any

    var draw = Number(form.getAttribute('data-draw')) || all.length;
    if (draw < all.length) {
      var chosen = shuffle(all.slice(), L.random(seed, key + ':draw')).slice(0, draw);
      questions = all.filter(function (q) { return chosen.indexOf(q) >= 0; });
      all.forEach(function (q) {
        if (questions.indexOf(q) < 0) {
          q.hidden = true;
          toArray(q.querySelectorAll('input')).forEach(function (input) { input.disabled = true; });
        }
      });
    }
    questions.forEach(function (q, i) {
      var number = q.querySelector('.quiz__number');
      number.textContent = Learnmark.t('Question %(n)s', { n: i + 1 });
      // Translators: read after "Question 2" by screen readers only: "Question 2 of 5".
      var hidden = element('span', 'visually-hidden', ' ' + Learnmark.t('of %(total)s', { total: questions.length }));
      number.appendChild(hidden);
      number.appendChild(document.createTextNode(':'));
      if (form.hasAttribute('data-shuffle')) {
        var box = q.querySelector('.quiz__choices');
        shuffle(toArray(box.children), L.random(seed, key + ':' + q.getAttribute('data-question-id')))
          .forEach(function (choice) { box.appendChild(choice); });
      }
    });

    function inputs(q) { return toArray(q.querySelectorAll('.quiz__input')); }
    function options(q) { return inputs(q).map(function (i) { return i.value; }); }
    function selected(q) { return inputs(q).filter(function (i) { return i.checked; }).map(function (i) { return i.value; }); }
    function correctIds(q) { return inputs(q).filter(function (i) { return i.hasAttribute('data-correct'); }).map(function (i) { return i.value; }); }
    /* Attempts used: the tracker's count (every tab's), or at least what this page has seen. */
    function used() { return Math.max(t.quiz(key).attempts, atLoad + madeHere); }
    function attemptsLeft() { return Math.max(0, 1 + retries - used()); }

    function score(answers) {
      var raw = answers.filter(function (m) { return m.correct; }).length;
      var max = answers.length;
      return { score: { raw: raw, min: 0, max: max, scaled: max ? raw / max : 0 }, passed: max > 0 && raw * 100 >= passMark * max };
    }

    function mark() {
      var answers = questions.map(function (q) {
        var response = selected(q);
        var right = correctIds(q);
        return { id: q.getAttribute('data-question-id'), kind: q.getAttribute('data-kind'), response: response,
          correct: sameSet(response, right), expected: right };
      });
      var s = score(answers);
      return {
        quizId: form.getAttribute('data-quiz-id'),
        key: key,
        attempt: used() + 1,
        questions: answers,
        score: s.score,
        passMark: passMark,
        passed: s.passed,
        timestamp: new Date().toISOString()
      };
    }

    /* The stored attempt's answers, one per question on the page, re-marked against the key on
       the page; or null unless it was earned on exactly these questions, options, key and pass mark. */
    function matching(last) {
      if (!last || !Array.isArray(last.questions) || last.questions.length !== questions.length) return null;
      if (typeof last.passMark === 'number' && last.passMark !== passMark) return null;
      var out = [];
      for (var i = 0; i < questions.length; i++) {
        var q = questions[i];
        var id = q.getAttribute('data-question-id');
        var kind = q.getAttribute('data-kind');
        var a = last.questions.filter(function (m) { return m && m.id === id; })[0];
        if (!a || !Array.isArray(a.response) || !a.response.length) return null;
        var ids = options(q), right = correctIds(q);
        if (!a.response.every(function (r) { return ids.indexOf(r) >= 0; })) return null;
        if (kind !== 'multiple' && a.response.length !== 1) return null;
        var correct = sameSet(a.response, right);
        // Marked against this key: the key it was marked with is this one (or, for an attempt
        // stored without it, its verdict is the one this key gives).
        if (Array.isArray(a.expected) ? !sameSet(a.expected, right) : a.correct !== correct) return null;
        out.push({ id: id, kind: kind, response: a.response.slice(), correct: correct, expected: right });
      }
      return out;
    }

    function showErrors(missing) {
      var list = errorSummary.querySelector('ul');
      list.textContent = '';
      missing.forEach(function (q) {
        var link = element('a', '', Learnmark.t('Answer question %(n)s', { n: questions.indexOf(q) + 1 }));
        link.href = '#' + inputs(q)[0].id;
        link.addEventListener('click', function (event) {
          event.preventDefault();
          inputs(q)[0].focus();
        });
        var item = element('li');
        item.appendChild(link);
        list.appendChild(item);
      });
      questions.forEach(function (q) {
        var isMissing = missing.indexOf(q) >= 0;
        q.classList.toggle('quiz__question--error', isMissing);
        q.querySelector('.quiz__error').hidden = !isMissing;
        q.querySelector('fieldset').setAttribute('aria-describedby', q.querySelector('.quiz__hint').id +
          (isMissing ? ' ' + q.querySelector('.quiz__error').id : ''));
      });
      errorSummary.hidden = false;
      errorSummary.focus();
    }

    function clearErrors() {
      errorSummary.hidden = true;
      questions.forEach(function (q) {
        q.classList.remove('quiz__question--error');
        q.querySelector('.quiz__error').hidden = true;
      });
    }

    /* The feedback of one option, found by comparing ids (never by a selector built from one). */
    function feedbackFor(q, id) {
      return toArray(q.querySelectorAll('.quiz__choice-feedback')).filter(function (el) {
        return el.getAttribute('data-choice-id') === id;
      })[0] || null;
    }

    function explain(q, result) {
      var box = q.querySelector('.quiz__feedback');
      box.textContent = '';
      box.className = 'quiz__feedback quiz__feedback--' + (result.correct ? 'correct' : 'incorrect');
      var verdict = element('p', 'quiz__verdict');
      var icon = element('span', '', result.correct ? '✓ ' : '✗ ');
      icon.setAttribute('aria-hidden', 'true');
      verdict.appendChild(icon);
      verdict.appendChild(document.createTextNode(result.correct ? Learnmark.t('Correct') : Learnmark.t('Not quite')));
      box.appendChild(verdict);
      result.response.forEach(function (id) {
        var feedback = feedbackFor(q, id);
        // The option's name is already tagged in the list above: copy only what is said about it.
        if (feedback) toArray(feedback.children).forEach(function (child) {
          if (!child.classList.contains('quiz__choice-name')) box.appendChild(child.cloneNode(true));
        });
      });
      if (!result.correct) box.appendChild(q.querySelector('.quiz__correct-answer').cloneNode(true));
      var explanation = q.querySelector('.quiz__explanation');
      if (explanation) box.appendChild(explanation.cloneNode(true));
      box.hidden = false;
      q.classList.add('quiz__question--marked');
      inputs(q).forEach(function (input) {
        var choice = input.parentNode;
        var isRight = input.hasAttribute('data-correct');
        input.disabled = true;
        if (input.checked) {
          choice.classList.add(isRight ? 'quiz__choice--correct' : 'quiz__choice--incorrect');
          choice.querySelector('label').appendChild(tag(isRight ? 'correct' : 'incorrect',
            isRight ? Learnmark.t('Your answer: correct') : Learnmark.t('Your answer: not correct')));
        } else if (isRight) {
          choice.classList.add('quiz__choice--correct');
          choice.querySelector('label').appendChild(tag('correct', Learnmark.t('Correct answer')));
        }
      });
      q.querySelector('fieldset').setAttribute('aria-describedby', q.querySelector('.quiz__hint').id + ' ' + box.id);
    }

    function attemptsText(left, afterResult) {
      if (left === 0) return Learnmark.t('You have used all your attempts.');
      if (!afterResult) {
        return left === Infinity ? Learnmark.t('You can answer the questions on this page.') :
          Learnmark.n('You can answer the questions on this page: you have %(num)s attempt left.',
            'You can answer the questions on this page: you have %(num)s attempts left.', left);
      }
      return left === Infinity ? Learnmark.t('Read the feedback under each question. You can try again if you like.') :
        Learnmark.n('Read the feedback under each question. You can try again %(num)s more time.',
          'Read the feedback under each question. You can try again %(num)s more times.', left);
    }

    /* The attempts line of the result box, and the buttons, as the tracker counts now. */
    function refreshAttempts() {
      var line = resultBox.querySelector('.quiz__attempts');
      var left = attemptsLeft();
      if (line) {
        var text = marked && left !== 0 && full(marked) ?
          Learnmark.t('Every answer is right: read the feedback under each question if you like.') :
          attemptsText(left, !!marked);
        if (line.textContent !== text) line.textContent = text;
      }
      if (marked) retry.hidden = left === 0 || full(marked);
      else if (left === 0) lock();
    }

    function full(result) { return result.score.raw === result.score.max; }

    function lock() {
      submit.hidden = true;
      retry.hidden = true;
      questions.forEach(function (q) { inputs(q).forEach(function (input) { input.disabled = true; }); });
    }

    function fill(kind, sentences, moveFocus) {
      verdictList.hidden = true;
      verdictList.textContent = '';
      resultBox.className = 'quiz__result' + (kind ? ' quiz__result--' + kind : '');
      resultBox.textContent = '';
      sentences.forEach(function (s) { resultBox.appendChild(element('p', s.className || '', s.text)); });
      if (moveFocus) resultBox.focus();
    }

    function show(result, moveFocus) {
      marked = result;
      questions.forEach(function (q, i) { explain(q, result.questions[i]); });
      submit.hidden = true;
      fill(result.passed ? 'passed' : 'failed', [
        { text: result.passed ?
          Learnmark.t('You answered %(raw)s of %(max)s correctly — you passed.', { raw: result.score.raw, max: result.score.max }) :
          Learnmark.t('You answered %(raw)s of %(max)s correctly — you did not reach the pass mark of %(mark)s%%.',
            { raw: result.score.raw, max: result.score.max, mark: passMark }) },
        { text: attemptsText(attemptsLeft(), true), className: 'quiz__attempts' }
      ], false);
      verdicts(result);
      if (moveFocus) resultBox.focus();
      refreshAttempts();
    }

    /* One link per question to its verdict and feedback, so each is reached by Tab from the summary
       (outside the live region, which announces only the result). */
    function verdicts(result) {
      var list = verdictList;
      list.textContent = '';
      list.hidden = false;
      questions.forEach(function (q, i) {
        var right = result.questions[i].correct;
        var link = element('a', 'quiz__verdict-link');
        link.href = '#' + q.querySelector('.quiz__feedback').id;
        var icon = element('span', '', right ? '✓ ' : '✗ ');
        icon.setAttribute('aria-hidden', 'true');
        link.appendChild(icon);
        link.appendChild(document.createTextNode(right ? Learnmark.t('Question %(n)s: correct', { n: i + 1 }) :
          Learnmark.t('Question %(n)s: not correct', { n: i + 1 })));
        link.addEventListener('click', function (event) {
          event.preventDefault();
          q.querySelector('.quiz__feedback').focus();
        });
        var item = element('li', 'quiz__verdict-item quiz__verdict-item--' + (right ? 'correct' : 'incorrect'));
        item.appendChild(link);
        list.appendChild(item);
      });
    }

    /* A stored attempt that was not earned on this version of the quiz: said, not marked. */
    function showEarlier(last) {
      fill('', [
        { text: last.passed ?
          Learnmark.t('Your last attempt was on an earlier version of this quiz, when you answered %(raw)s of %(max)s ' +
            'correctly and passed. The questions or answers have changed since, so it is not marked here.',
            { raw: last.score.raw, max: last.score.max }) :
          Learnmark.t('Your last attempt was on an earlier version of this quiz, when you answered %(raw)s of %(max)s ' +
            'correctly. The questions or answers have changed since, so it is not marked here.',
            { raw: last.score.raw, max: last.score.max }) },
        { text: attemptsText(attemptsLeft(), false), className: 'quiz__attempts' }
      ], false);
      refreshAttempts();
    }

    function showNoneLeft(moveFocus, text) {
      fill('', [{ text: text || attemptsText(0), className: text ? '' : 'quiz__attempts' }], moveFocus);
      lock();
    }

    function reset() {
      marked = null;
      questions.forEach(function (q) {
        inputs(q).forEach(function (input) {
          input.disabled = false;
          input.checked = false;
          input.parentNode.classList.remove('quiz__choice--correct', 'quiz__choice--incorrect');
        });
        toArray(q.querySelectorAll('.quiz__tag')).forEach(function (tg) { tg.parentNode.removeChild(tg); });
        q.querySelector('.quiz__feedback').hidden = true;
        q.classList.remove('quiz__question--marked');
        q.querySelector('fieldset').setAttribute('aria-describedby', q.querySelector('.quiz__hint').id);
      });
      resultBox.textContent = '';
      resultBox.className = 'quiz__result';
      verdictList.hidden = true;
      verdictList.textContent = '';
      submit.hidden = false;
      retry.hidden = true;
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (submit.hidden) return;
      if (attemptsLeft() === 0) {   // used up meanwhile, in another tab or window
        showNoneLeft(true, Learnmark.t('You have used all your attempts (in another tab or window), so these answers ' +
          'were not marked.'));
        return;
      }
      var missing = questions.filter(function (q) { return selected(q).length === 0; });
      if (missing.length) { showErrors(missing); return; }
      clearErrors();
      var result = mark();
      form.dispatchEvent(new CustomEvent('learnmark:quiz', { bubbles: true, detail: result }));
      madeHere += 1;
      show(result, true);
    });

    retry.addEventListener('click', function () {
      if (attemptsLeft() === 0) { refreshAttempts(); return; }
      reset();   // the submitted attempt stays saved until the next one is submitted
      inputs(questions[0])[0].focus();
    });

    t.onChange(function () { if (marked || resultBox.querySelector('.quiz__attempts')) refreshAttempts(); });

    // Show the last submitted attempt again, marked only if it was earned on this version of the quiz.
    var last = t.quiz(key).last;
    var answers = matching(last);
    if (answers) {
      questions.forEach(function (q, i) {
        inputs(q).forEach(function (input) { input.checked = answers[i].response.indexOf(input.value) >= 0; });
      });
      var s = score(answers);
      show({ questions: answers, score: s.score, passed: s.passed }, false);
    } else if (last) {
      showEarlier(last);
    } else if (attemptsLeft() === 0) {
      showNoneLeft(false);
    }
  });
})();
