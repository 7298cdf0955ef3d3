/* Quiz: marks answers in the browser, explains them, and reports the result.

   Reads its settings from the form's data attributes (written by macro.html).
   After each submitted attempt it dispatches a bubbling "learnmark:quiz" event
   whose detail is the result (see README.md); the progress component records
   it with Learnmark.tracker, which is also where the attempt count and last
   attempt are read from on load. Without JavaScript none of this runs and each question offers a
   "Show answer and explanation" expander instead. */
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

  L.register('quiz', function (form) {
    var key = form.getAttribute('data-quiz-key');
    var passMark = Number(form.getAttribute('data-pass'));
    var retries = form.getAttribute('data-retries') === 'unlimited' ? Infinity : Number(form.getAttribute('data-retries'));
    var seed = L.learnerSeed();
    var all = toArray(form.querySelectorAll('.quiz__question'));
    var questions = all;
    var submit = form.querySelector('.quiz__submit');
    var retry = form.querySelector('.quiz__retry');
    var resultBox = form.querySelector('.quiz__result');
    var errorSummary = form.querySelector('.quiz__error-summary');
    var state = L.tracker.quiz(key);

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
      number.textContent = 'Question ' + (i + 1);
      var hidden = element('span', 'visually-hidden', ' of ' + questions.length);
      number.appendChild(hidden);
      number.appendChild(document.createTextNode(':'));
      if (form.hasAttribute('data-shuffle')) {
        var box = q.querySelector('.quiz__choices');
        shuffle(toArray(box.children), L.random(seed, key + ':' + q.getAttribute('data-question-id')))
          .forEach(function (choice) { box.appendChild(choice); });
      }
    });

    function inputs(q) { return toArray(q.querySelectorAll('.quiz__input')); }
    function selected(q) { return inputs(q).filter(function (i) { return i.checked; }).map(function (i) { return i.value; }); }
    function correctIds(q) { return inputs(q).filter(function (i) { return i.hasAttribute('data-correct'); }).map(function (i) { return i.value; }); }
    function attemptsLeft() { return Math.max(0, 1 + retries - state.attempts); }

    function mark() {
      var marked = questions.map(function (q) {
        var response = selected(q);
        var right = correctIds(q);
        var correct = response.length === right.length && response.every(function (id) { return right.indexOf(id) >= 0; });
        return { id: q.getAttribute('data-question-id'), kind: q.getAttribute('data-kind'), response: response, correct: correct,
          expected: right };
      });
      var raw = marked.filter(function (m) { return m.correct; }).length;
      var max = marked.length;
      return {
        quizId: form.getAttribute('data-quiz-id'),
        key: key,
        attempt: state.attempts,
        questions: marked,
        score: { raw: raw, min: 0, max: max, scaled: max ? raw / max : 0 },
        passMark: passMark,
        passed: max > 0 && raw * 100 >= passMark * max,
        timestamp: new Date().toISOString()
      };
    }

    function showErrors(missing) {
      var list = errorSummary.querySelector('ul');
      list.textContent = '';
      missing.forEach(function (q) {
        var link = element('a', '', 'Answer ' + q.querySelector('.quiz__number').firstChild.textContent.toLowerCase());
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

    function explain(q, result) {
      var box = q.querySelector('.quiz__feedback');
      box.textContent = '';
      box.className = 'quiz__feedback quiz__feedback--' + (result.correct ? 'correct' : 'incorrect');
      var verdict = element('p', 'quiz__verdict');
      var icon = element('span', '', result.correct ? '✓ ' : '✗ ');
      icon.setAttribute('aria-hidden', 'true');
      verdict.appendChild(icon);
      verdict.appendChild(document.createTextNode(result.correct ? 'Correct' : 'Not quite'));
      box.appendChild(verdict);
      result.response.forEach(function (id) {
        var feedback = q.querySelector('.quiz__choice-feedback[data-choice-id="' + id + '"]');
        if (feedback) toArray(feedback.children).forEach(function (child) { box.appendChild(child.cloneNode(true)); });
      });
      if (!result.correct) box.appendChild(q.querySelector('.quiz__correct-answer').cloneNode(true));
      var explanation = q.querySelector('.quiz__explanation');
      if (explanation) box.appendChild(explanation.cloneNode(true));
      box.hidden = false;
      inputs(q).forEach(function (input) {
        var choice = input.parentNode;
        var isRight = input.hasAttribute('data-correct');
        input.disabled = true;
        if (input.checked) {
          choice.classList.add(isRight ? 'quiz__choice--correct' : 'quiz__choice--incorrect');
          choice.querySelector('label').appendChild(tag(isRight ? 'correct' : 'incorrect', isRight ? 'Your answer: correct' : 'Your answer: not correct'));
        } else if (isRight) {
          choice.classList.add('quiz__choice--correct');
          choice.querySelector('label').appendChild(tag('correct', 'Correct answer'));
        }
      });
      q.querySelector('fieldset').setAttribute('aria-describedby', q.querySelector('.quiz__hint').id + ' ' + box.id);
    }

    function show(result, moveFocus) {
      questions.forEach(function (q, i) { explain(q, result.questions[i]); });
      var left = attemptsLeft();
      resultBox.className = 'quiz__result quiz__result--' + (result.passed ? 'passed' : 'failed');
      resultBox.textContent = '';
      resultBox.appendChild(element('p', '', 'You answered ' + result.score.raw + ' of ' + result.score.max +
        ' correctly — ' + (result.passed ? 'you passed.' : 'you did not reach the pass mark of ' + passMark + '%.')));
      resultBox.appendChild(element('p', '', left === 0 ? 'You have used all your attempts.' :
        left === Infinity ? 'Read the feedback under each question. You can try again if you like.' :
        'Read the feedback under each question. You can try again ' + left + ' more time' + (left === 1 ? '.' : 's.')));
      submit.hidden = true;
      retry.hidden = left === 0;
      if (moveFocus) resultBox.focus();
    }

    function reset() {
      questions.forEach(function (q) {
        inputs(q).forEach(function (input) {
          input.disabled = false;
          input.checked = false;
          input.parentNode.classList.remove('quiz__choice--correct', 'quiz__choice--incorrect');
        });
        toArray(q.querySelectorAll('.quiz__tag')).forEach(function (t) { t.parentNode.removeChild(t); });
        q.querySelector('.quiz__feedback').hidden = true;
        q.querySelector('fieldset').setAttribute('aria-describedby', q.querySelector('.quiz__hint').id);
      });
      resultBox.textContent = '';
      resultBox.className = 'quiz__result';
      submit.hidden = false;
      retry.hidden = true;
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (submit.hidden || attemptsLeft() === 0) return;
      var missing = questions.filter(function (q) { return selected(q).length === 0; });
      if (missing.length) { showErrors(missing); return; }
      clearErrors();
      state.attempts += 1;
      var result = mark();
      state.last = result;
      show(result, true);
      form.dispatchEvent(new CustomEvent('learnmark:quiz', { bubbles: true, detail: result }));
    });

    retry.addEventListener('click', function () {
      if (attemptsLeft() === 0) return;
      state.last = null;   // the submitted attempt stays saved until the next one is submitted
      reset();
      inputs(questions[0])[0].focus();
    });

    // Show the last submitted attempt again, if it still matches the questions on the page.
    var last = state.last;
    var saved = last && last.questions && questions.map(function (q) {
      var id = q.getAttribute('data-question-id');
      return last.questions.filter(function (m) { return m.id === id; })[0];
    });
    if (saved && saved.every(Boolean)) {
      questions.forEach(function (q, i) {
        inputs(q).forEach(function (input) { input.checked = saved[i].response.indexOf(input.value) >= 0; });
      });
      show({ questions: saved, score: last.score, passed: last.passed }, false);
    }
  });
})();
