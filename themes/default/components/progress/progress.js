/* Progress: records what the learner does with Learnmark.tracker and shows it.

   Records: the page visit (data-page on <html>), time on the page, and every
   "learnmark:quiz" result. Shows: module statuses ([data-module-status]),
   pages seen, visited marks in the module contents ([data-page-key]), the
   "Continue where you left off" link, the progress page's controls, the
   certificate, and a notice when this browser cannot save. */
(function () {
  'use strict';
  var L = window.Learnmark;
  var t = L.tracker;
  var html = document.documentElement;
  var root = html.getAttribute('data-root') || '';
  var pageKey = html.getAttribute('data-page') || '';
  var started = Date.now();
  var notices = all('[data-storage-notice]').map(function (el) {
    var text = el.querySelector('p') || el;
    return { el: el, text: text, html: text.innerHTML, mode: 'default' };
  });

  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
  function percent(x) { return Learnmark.t('%(percent)s%%', { percent: Math.round(x * 100) }); }
  function newer() {
    return Learnmark.t('Your progress was saved by a newer version of this course, so this page will not change ' +
      'it: what you do here is not saved. Reload the page to get the newer version.');
  }

  function statusText(s) {
    if (s.completion_status === 'not attempted') return Learnmark.t('Not started');
    if (s.completion_status === 'incomplete') {
      var seen = percent(s.progress_measure);
      return s.success_status === 'passed' ? Learnmark.t('In progress: %(percent)s seen, quiz passed', { percent: seen }) :
        s.score ? Learnmark.t('In progress: %(percent)s seen, quiz not passed yet', { percent: seen }) :
          Learnmark.t('In progress: %(percent)s seen', { percent: seen });
    }
    if (s.success_status === 'passed') return Learnmark.t('Completed and passed, score %(percent)s', { percent: percent(s.score.scaled) });
    if (s.success_status === 'failed') {
      return Learnmark.t('Completed, quiz not passed: no attempts left (score %(percent)s)', { percent: percent(s.score.scaled) });
    }
    return Learnmark.t('Completed');
  }

  function statusClass(s) {
    return s.completion_status === 'completed' ? 'done' : s.completion_status === 'incomplete' ? 'doing' : 'todo';
  }

  function render() {
    var modules = t.course.modules;
    var statuses = {};
    modules.forEach(function (m) { statuses[m.id] = t.status(m.id); });
    var completed = modules.filter(function (m) { return statuses[m.id].completion_status === 'completed'; }).length;

    all('[data-module-status]').forEach(function (el) {
      var s = statuses[el.getAttribute('data-module-status')];
      if (!s) return;
      el.textContent = statusText(s);
      el.setAttribute('data-status', statusClass(s));
    });
    all('[data-module-pages]').forEach(function (el) {
      var s = statuses[el.getAttribute('data-module-pages')];
      if (s) el.textContent = Learnmark.t('%(seen)s of %(total)s', { seen: s.pages_seen, total: s.pages });
    });
    all('[data-module-score]').forEach(function (el) {
      var s = statuses[el.getAttribute('data-module-score')];
      if (s) el.textContent = !s.score ? '–' :
        s.success_status === 'passed' ? Learnmark.t('%(percent)s (passed)', { percent: percent(s.score.scaled) }) :
        s.success_status === 'failed' ? Learnmark.t('%(percent)s (not passed)', { percent: percent(s.score.scaled) }) :
        Learnmark.t('%(percent)s (not passed yet)', { percent: percent(s.score.scaled) });
    });
    all('[data-page-key]').forEach(function (link) {
      var info = t.pageInfo(link.getAttribute('data-page-key'));
      var record = info && t.data().modules[info.module.id];
      var seen = !!(record && record.visited[info.page.id]);
      var mark = link.querySelector('.visited-mark');
      if (seen && !mark) {
        mark = document.createElement('span');
        mark.className = 'visited-mark';
        var tick = document.createElement('span'), said = document.createElement('span');
        tick.setAttribute('aria-hidden', 'true');
        tick.textContent = ' ✓';
        said.className = 'visually-hidden';
        said.textContent = ' ' + Learnmark.t('(seen)');
        mark.appendChild(tick);
        mark.appendChild(said);
        link.appendChild(mark);
      } else if (!seen && mark) {
        link.removeChild(mark);
      }
    });
    all('[data-progress-overall]').forEach(function (el) {
      el.textContent = Learnmark.n('You have completed %(done)s of %(num)s module.', 'You have completed %(done)s of %(num)s modules.',
        modules.length, { done: completed });
    });
    var last = t.data().location && t.pageInfo(t.data().location.page);
    var done = modules.length > 0 && completed === modules.length;
    all('[data-progress-start]').forEach(function (box) { box.hidden = !!last || done; });
    all('[data-progress-continue]').forEach(function (box) {
      // At 100% there is nothing to continue: the course offers its certificate, a module page nothing.
      var doneHref = box.getAttribute('data-progress-done-href');
      box.hidden = done ? !doneHref : !last;
      var link = box.querySelector('a');
      if (done && doneHref) {
        link.href = doneHref;
        link.textContent = Learnmark.t('Get your certificate of completion');
      } else if (last) {
        link.href = root + last.module.id + '/' + last.page.id + '.html';
        var title = pageTitle(last.module.id + '/' + last.page.id);
        if (title) link.textContent = Learnmark.t('Continue where you left off: %(page)s', { page: title });
      }
    });
    notices.forEach(function (n) {
      // The page's own wording says the browser will not save; a newer record is another reason.
      var mode = t.problem === 'newer' ? 'newer' : 'default';
      if (n.mode !== mode) {
        n.mode = mode;
        if (mode === 'newer') n.text.textContent = newer(); else n.text.innerHTML = n.html;
      }
      n.el.hidden = t.saved;
    });
    renderCertificate(statuses, completed);
  }

  /* A page's title, from assets/course-titles.js: not in course.js, which every page loads, since only this
     link and the certificate's list show titles. The script is added the first time one is wanted (a script, so it loads from file://;
     added while the page loads, it holds back the load event until it is in) and the link is drawn again. Until
     then, and if it cannot load, the link keeps the template's "Continue where you left off". */
  var titlesRequested = false;
  function pageTitle(key) {
    if (window.LearnmarkTitles) return window.LearnmarkTitles[key] || '';
    if (!titlesRequested) {
      titlesRequested = true;
      var script = document.createElement('script');
      script.src = root + 'assets/course-titles.js';
      script.onload = render;
      document.head.appendChild(script);
    }
    return '';
  }

  function renderCertificate(statuses, completed) {
    var box = document.querySelector('[data-certificate]');
    if (!box) return;
    var modules = t.course.modules;
    var ready = completed === modules.length;
    box.querySelector('[data-certificate-pending]').hidden = ready;
    box.querySelector('[data-certificate-ready]').hidden = !ready;
    var list = box.querySelector('[data-certificate-remaining]');
    list.textContent = '';
    modules.forEach(function (m) {
      if (statuses[m.id].completion_status === 'completed') return;
      var item = document.createElement('li');
      var link = document.createElement('a');
      link.href = root + m.id + '/index.html';  // a module's address (course.js does not send it)
      link.textContent = pageTitle(m.id + '/index') || m.id;  // its id until course-titles.js is in
      item.appendChild(link);
      item.appendChild(document.createTextNode(': ' + statusText(statuses[m.id]).toLowerCase()));
      list.appendChild(item);
    });
    box.querySelector('[data-certificate-remaining-text]').textContent = Learnmark.n(
      'You have completed %(done)s of %(num)s module. Complete these to get your certificate:',
      'You have completed %(done)s of %(num)s modules. Complete these to get your certificate:',
      modules.length, { done: completed });
    if (ready) {
      var latest = Math.max.apply(null, modules.map(function (m) { return statuses[m.id].completed_at || 0; }));
      box.querySelector('[data-certificate-date]').textContent = Learnmark.date(latest);
    }
  }

  function say(text) {
    all('[data-progress-message]').forEach(function (el) { el.textContent = text; });
  }

  function bindControls() {
    all('[data-progress-download]').forEach(function (button) {
      button.addEventListener('click', function () {
        L.download('learnmark-' + t.course.id + '-progress.json', 'application/json', JSON.stringify(t.exportData(), null, 2));
      });
    });
    all('[data-reflections-download]').forEach(function (button) {
      button.addEventListener('click', function () { L.reflections.download(); });
    });
    all('#lm-import').forEach(function (input) {
      input.addEventListener('change', function () {
        var file = input.files && input.files[0];
        if (!file) return;
        var reader = new FileReader();
        reader.onload = function () {
          var parsed = null;
          try { parsed = JSON.parse(reader.result); } catch (e) { parsed = null; }
          var outcome = t.importData(parsed);
          var values = { file: file.name };
          say(outcome === 'saved' ? Learnmark.t('Your progress from %(file)s has been added.', values) :
            outcome === 'unsaved' ? (t.problem === 'newer' ?
              Learnmark.t('Your progress from %(file)s is shown on this page, but a newer version of this course saved ' +
                'your progress, so this page cannot save it, so it will be lost when you close the page.', values) :
              Learnmark.t('Your progress from %(file)s is shown on this page, but this browser did not let the course ' +
                'save it, so it will be lost when you close the page.', values)) :
            outcome === 'newer' ? Learnmark.t('%(file)s was saved by a newer version of this course, so nothing was ' +
              'changed. Reload the page to get the newer version, then import it again.', values) :
            Learnmark.t('%(file)s is not a progress file for this course, so nothing was changed.', values));
          input.value = '';
        };
        reader.readAsText(file);
      });
    });
    var dialog = document.querySelector('[data-progress-confirm]');
    all('[data-progress-reset]').forEach(function (button) {
      button.addEventListener('click', function () { dialog.returnValue = ''; dialog.showModal(); });
    });
    if (dialog) {
      dialog.addEventListener('close', function () {
        if (dialog.returnValue === 'reset') {
          say(t.reset() ? Learnmark.t('Your progress on this device has been reset.') :
            Learnmark.t('Your progress has been reset on this page, but this browser did not let the course save ' +
              'the change, so it may come back when you reload.'));
        }
        document.querySelector('[data-progress-reset]').focus();
      });
    }
    var name = document.getElementById('lm-name');
    if (name) {
      var shown = document.querySelector('[data-certificate-name]');
      name.addEventListener('input', function () { shown.textContent = name.value.trim(); });
      document.querySelector('[data-certificate-print]').addEventListener('click', function () { window.print(); });
    }
  }

  function flushTime() {
    var seconds = (Date.now() - started) / 1000;
    started = Date.now();
    if (pageKey) t.addTime(pageKey.split('/')[0], seconds);
  }

  document.addEventListener('learnmark:quiz', function (event) { t.recordQuiz(event.detail.key, event.detail); });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') flushTime(); else started = Date.now();
  });
  window.addEventListener('pagehide', flushTime);
  t.onChange(render);
  bindControls();
  if (pageKey) t.visit(pageKey); else render();
})();
