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

  var shuffle = L.quizShuffle;
  var kind = L.quizKind;

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  /* Scores to two decimal places, so part marks add up as they are shown. */
  function round(n) { return Math.round(n * 100) / 100; }

  L.register('quiz', function (form) {
    var t = L.tracker;
    var key = form.getAttribute('data-quiz-key');
    var passMark = Number(form.getAttribute('data-pass'));
    var partial = form.hasAttribute('data-partial');
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
          kind(q).controls(q).forEach(function (control) { control.disabled = true; });
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
      var random = L.random(seed, key + ':' + q.getAttribute('data-question-id'));
      // Matching targets and ordering steps always get the learner's own order; options only with shuffle.
      if (kind(q).setup) kind(q).setup(q, random);
      else if (form.hasAttribute('data-shuffle')) {
        var box = q.querySelector('.quiz__choices');
        shuffle(toArray(box.children), random).forEach(function (choice) { box.appendChild(choice); });
      }
    });

    function controls(q) { return kind(q).controls(q); }
    /* One question's answer: its response, whether it is right, and (with part marks) its credit. */
    function answer(q, response) {
      var k = kind(q), right = k.key(q);
      var credit = round(k.credit(response, right));
      var out = { id: q.getAttribute('data-question-id'), kind: q.getAttribute('data-kind'), response: response,
        correct: credit === 1, expected: right };
      if (partial) out.credit = credit;
      return out;
    }
    /* Attempts used: the tracker's count (every tab's), or at least what this page has seen. */
    function used() { return Math.max(t.quiz(key).attempts, atLoad + madeHere); }
    function attemptsLeft() { return Math.max(0, 1 + retries - used()); }

    function score(answers) {
      var raw = round(answers.reduce(function (sum, m) { return sum + (partial ? m.credit : m.correct ? 1 : 0); }, 0));
      var max = answers.length;
      return { score: { raw: raw, min: 0, max: max, scaled: max ? raw / max : 0 }, passed: max > 0 && raw * 100 >= passMark * max };
    }

    function mark() {
      var answers = questions.map(function (q) { return answer(q, kind(q).response(q)); });
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
        var a = last.questions.filter(function (m) { return m && m.id === id; })[0];
        // An answer fits a question of its own kind (or of another choice kind: a question may become {multiple}).
        if (!a || !Array.isArray(a.response) || !a.response.length || L.quizKindOf(a.kind) !== kind(q)) return null;
        if (!kind(q).fits(q, a.response)) return null;
        var marked = answer(q, a.response.slice());
        // Marked against this key: the key it was marked with is this one (or, for an attempt
        // stored without it, its verdict is the one this key gives).
        if (Array.isArray(a.expected) ? !kind(q).sameKey(a.expected, marked.expected) : a.correct !== marked.correct) return null;
        out.push(marked);
      }
      return out;
    }

    function showErrors(missing) {
      var list = errorSummary.querySelector('ul');
      list.textContent = '';
      missing.forEach(function (q) {
        var link = element('a', '', Learnmark.t('Answer question %(n)s', { n: questions.indexOf(q) + 1 }));
        link.href = '#' + controls(q)[0].id;
        link.addEventListener('click', function (event) {
          event.preventDefault();
          controls(q)[0].focus();
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
      verdict.appendChild(document.createTextNode(result.correct ? Learnmark.t('Correct') :
        result.credit > 0 ? Learnmark.t('Partly right') : Learnmark.t('Not quite')));
      box.appendChild(verdict);
      var k = kind(q);
      controls(q).forEach(function (control) { control.disabled = true; });
      k.show(q, result.response, result.correct).forEach(function (id) {
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
      questions.forEach(function (q) { controls(q).forEach(function (control) { control.disabled = true; }); });
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
      var figures = { raw: Learnmark.number(result.score.raw), max: result.score.max, mark: passMark };
      fill(result.passed ? 'passed' : 'failed', [
        { text: partial ? (result.passed ?
          Learnmark.t('You scored %(raw)s out of %(max)s, with part marks for answers partly right — you passed.', figures) :
          Learnmark.t('You scored %(raw)s out of %(max)s, with part marks for answers partly right — you did not reach ' +
            'the pass mark of %(mark)s%%.', figures)) : result.passed ?
          Learnmark.t('You answered %(raw)s of %(max)s correctly — you passed.', figures) :
          Learnmark.t('You answered %(raw)s of %(max)s correctly — you did not reach the pass mark of %(mark)s%%.', figures) },
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
          result.questions[i].credit > 0 ? Learnmark.t('Question %(n)s: partly right', { n: i + 1 }) :
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
        controls(q).forEach(function (control) { control.disabled = false; });
        kind(q).clear(q);
        if (kind(q).renumber) kind(q).renumber(q);
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
      var missing = questions.filter(function (q) { return kind(q).response(q).length === 0; });
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
      // The first control that can take focus: an ordering question's top "Move up" is disabled.
      controls(questions[0]).filter(function (control) { return !control.disabled; })[0].focus();
    });

    t.onChange(function () { if (marked || resultBox.querySelector('.quiz__attempts')) refreshAttempts(); });

    // Show the last submitted attempt again, marked only if it was earned on this version of the quiz.
    var last = t.quiz(key).last;
    var answers = matching(last);
    if (answers) {
      questions.forEach(function (q, i) {
        kind(q).restore(q, answers[i].response);
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
