/* Learnmark SCORM runtime: the launch page of a SCO owns the LMS session.

   It finds the LMS's API by the ADL algorithm (this window and its parents,
   then the opener; every access guarded, since a cross-origin frame throws),
   calls Initialize once, and shows the module's pages in a frame. Pages talk
   to it through `window.LearnmarkSCO.adapter`, a storage adapter for
   Learnmark.tracker: each save becomes CMI values (score before status),
   suspend_data and interactions; milestones are committed; the session is
   terminated once, on pagehide. Without an API the module runs as the
   standalone site, saving in localStorage. Errors are read with
   GetLastError and logged, never thrown at the learner. */
(function () {
  'use strict';
  var settings = JSON.parse(document.getElementById('lm-scorm-settings').textContent);
  var frame = document.getElementById('lm-content');
  var v12 = settings.version === '1.2';
  var CALL = v12
    ? { api: 'API', init: 'LMSInitialize', end: 'LMSFinish', get: 'LMSGetValue', set: 'LMSSetValue', commit: 'LMSCommit', error: 'LMSGetLastError', text: 'LMSGetErrorString' }
    : { api: 'API_1484_11', init: 'Initialize', end: 'Terminate', get: 'GetValue', set: 'SetValue', commit: 'Commit', error: 'GetLastError', text: 'GetErrorString' };
  var CMI = v12
    ? { location: 'cmi.core.lesson_location', entry: 'cmi.core.entry', mode: 'cmi.core.lesson_mode', exit: 'cmi.core.exit', session: 'cmi.core.session_time', score: 'cmi.core.score.' }
    : { location: 'cmi.location', entry: 'cmi.entry', mode: 'cmi.mode', exit: 'cmi.exit', session: 'cmi.session_time', score: 'cmi.score.' };
  var MAX_ATTEMPTS = 1295;

  /* ---- Finding the API (ADL algorithm, bounded, cross-origin safe) ---- */
  function findIn(win) {
    for (var tries = 0; win && tries < 10; tries++) {
      try { if (win[CALL.api]) return win[CALL.api]; } catch (e) { /* another origin */ }
      var parent = null;
      try { parent = win.parent; } catch (e) { parent = null; }
      if (!parent || parent === win) return null;
      win = parent;
    }
    return null;
  }
  var api = findIn(window);
  if (!api) { try { api = window.opener ? findIn(window.opener) : null; } catch (e) { api = null; } }

  /* ---- The session: Initialize and Terminate exactly once ---- */
  var active = false;
  var ended = false;
  var written = {};
  var started = Date.now();

  function ok(result) { return String(result) === 'true'; }
  function report(what) {
    try {
      var code = api[CALL.error]();
      if (String(code) !== '0' && window.console) console.warn('Learnmark SCORM: ' + what + ' failed: ' + code + ' ' + api[CALL.text](code));
    } catch (e) { /* nothing more to learn */ }
  }
  function get(element) {
    try { var value = api[CALL.get](element); return value === null || value === undefined ? '' : String(value); } catch (e) { return ''; }
  }
  function set(element, value) {
    value = String(value);
    if (!active || ended || written[element] === value) return written[element] === value;
    try {
      if (ok(api[CALL.set](element, value))) { written[element] = value; return true; }
    } catch (e) { /* reported below */ }
    report('SetValue(' + element + ')');
    return false;
  }
  function commit() {
    if (!active || ended) return;
    try { if (!ok(api[CALL.commit](''))) report('Commit'); } catch (e) { report('Commit'); }
  }

  if (api) {
    try { active = ok(api[CALL.init]('')); } catch (e) { active = false; }
    if (!active) report('Initialize');
  }
  var review = active && /^(browse|review)$/.test(get(CMI.mode));   // never changes statuses
  var status12 = active && v12 ? get('cmi.core.lesson_status') : '';
  var interactionCount = active ? Number(get('cmi.interactions._count')) || 0 : 0;

  /* ---- suspend_data, format 1 (sizes checked at build: generator/scorm/suspend.py) ---- */
  function b36(n) { return n.toString(36); }
  function big(n) { return typeof BigInt === 'function' ? BigInt(n) : n; }
  function bits(indexes) {
    var mask = big(0);
    indexes.forEach(function (i) { mask += big(2) ** big(i); });
    return mask.toString(36);
  }
  function unbits(text, count) {
    var out = [];
    if (!text) return out;
    var mask = big(0);
    for (var i = 0; i < text.length; i++) mask = mask * big(36) + big(parseInt(text[i], 36));
    for (var j = 0; j < count; j++) if ((mask >> big(j)) & big(1)) out.push(j);
    return out;
  }
  function fingerprint(module) {
    var text = JSON.stringify([module.pages.map(function (p) { return p.id; }), module.quizzes.map(function (q) {
      return [q.id, q.questions.map(function (x) { return [x.id, x.choices]; })];
    })]);
    var h = 2166136261;
    for (var i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    return ('000000' + (h >>> 0).toString(36)).slice(-6);
  }

  function encode(data, module) {
    var m = data.modules[module.id] || { visited: {}, quizzes: {} };
    var pages = module.pages.map(function (p) { return p.id; });
    var quizzes = module.quizzes.map(function (quiz) {
      var q = m.quizzes[quiz.id];
      if (!q) return '';
      var answers = quiz.questions.map(function (question) {
        var answer = q.last && q.last.questions.filter(function (a) { return a.id === question.id; })[0];
        if (!answer) return '';
        return bits(answer.response.map(function (id) { return question.choices.indexOf(id); }).filter(function (i) { return i >= 0; })) +
          (answer.correct ? '' : '!');
      });
      return [b36(Math.min(q.attempts, MAX_ATTEMPTS)), q.best ? b36(q.best.raw) : '', q.best ? (q.best.passed ? '1' : '0') : '',
        answers.join('-')].join('.');
    });
    return ['1', fingerprint(module), b36(Math.max(0, pages.indexOf(m.location))),
      bits(pages.filter(function (p) { return m.visited[p]; }).map(function (p) { return pages.indexOf(p); })),
      typeof data.seed === 'number' ? b36(data.seed) : '', quizzes.join('~')].join('|');
  }

  function decode(text, module, courseId) {
    var parts = String(text || '').split('|');
    if (parts[0] !== '1' || parts.length !== 6 || parts[1] !== fingerprint(module)) return null;
    var pages = module.pages.map(function (p) { return p.id; });
    var m = { visited: {}, location: pages[parseInt(parts[2], 36)] || null, quizzes: {}, total_time: 0, session_time: 0, completed_at: null, updated: 1 };
    unbits(parts[3], pages.length).forEach(function (i) { m.visited[pages[i]] = 1; });
    (parts[5] ? parts[5].split('~') : []).forEach(function (entry, index) {
      var quiz = module.quizzes[index];
      var f = entry.split('.');
      if (!quiz || f.length !== 4) return;
      var shown = quiz.draw || quiz.questions.length;
      var answers = f[3].split('-');
      var questions = [];
      quiz.questions.forEach(function (question, i) {
        var a = answers[i] || '';
        if (!a) return;
        var correct = a.slice(-1) !== '!';
        questions.push({ id: question.id, kind: question.kind, correct: correct,
          response: unbits(correct ? a : a.slice(0, -1), question.choices.length).map(function (c) { return question.choices[c]; }) });
      });
      var raw = questions.filter(function (q) { return q.correct; }).length;
      var last = questions.length ? { quizId: quiz.id, key: quiz.key, questions: questions, passMark: quiz.passMark,
        score: { raw: raw, min: 0, max: questions.length, scaled: raw / questions.length },
        passed: raw * 100 >= quiz.passMark * questions.length, timestamp: '' } : null;
      m.quizzes[quiz.id] = { attempts: parseInt(f[0], 36) || 0, last: last,
        best: f[1] ? { raw: parseInt(f[1], 36), max: shown, scaled: parseInt(f[1], 36) / shown, passed: f[2] === '1' } : null };
    });
    var record = { schema: 1, course: courseId, seed: parts[4] ? parseInt(parts[4], 36) : null, updated: 1,
      location: m.location ? { page: module.id + '/' + m.location, at: 1 } : null, modules: {}, reflections: {} };
    record.modules[module.id] = m;
    return record;
  }

  /* ---- CMI values ---- */
  function pad(n, width) { return ('0000' + n).slice(-width); }
  function sessionTime() {
    var cs = Math.round((Date.now() - started) / 10);
    var h = Math.floor(cs / 360000), min = Math.floor(cs / 6000) % 60, s = Math.floor(cs / 100) % 60, frac = cs % 100;
    if (v12) return pad(Math.min(h, 9999), 4) + ':' + pad(min, 2) + ':' + pad(s, 2) + '.' + pad(frac, 2);
    return 'PT' + (h ? h + 'H' : '') + (min ? min + 'M' : '') + s + (frac ? '.' + pad(frac, 2) : '') + 'S';
  }
  function clock(iso) {
    var d = iso ? new Date(iso) : new Date();
    return v12 ? pad(d.getHours(), 2) + ':' + pad(d.getMinutes(), 2) + ':' + pad(d.getSeconds(), 2)
      : d.getFullYear() + '-' + pad(d.getMonth() + 1, 2) + '-' + pad(d.getDate(), 2) + 'T' +
        pad(d.getHours(), 2) + ':' + pad(d.getMinutes(), 2) + ':' + pad(d.getSeconds(), 2);
  }
  function response(question, ids) {
    if (question.kind === 'true-false') {
      var value = ids[0] === 'true' ? 'true' : 'false';
      return v12 ? value.charAt(0) : value;
    }
    if (v12) return ids.map(function (id) { return String.fromCharCode(97 + question.choices.indexOf(id)); }).join(',');
    return ids.join('[,]');
  }

  var sentAttempts = {};   // quiz id -> attempts already reported as interactions
  var resumeRecord = null; // the tracker record, as last decoded or saved

  function reportInteractions(module, record) {
    var any = false;
    module.quizzes.forEach(function (quiz) {
      var state = record.quizzes[quiz.id];
      if (!state || !state.last || !state.last.timestamp || state.attempts <= (sentAttempts[quiz.id] || 0)) return;
      sentAttempts[quiz.id] = state.attempts;
      state.last.questions.forEach(function (answer) {
        var question = quiz.questions.filter(function (q) { return q.id === answer.id; })[0];
        if (!question) return;
        var n = 'cmi.interactions.' + interactionCount++ + '.';
        set(n + 'id', quiz.id + '.' + answer.id);
        set(n + 'type', question.kind === 'true-false' ? 'true-false' : 'choice');
        set(n + (v12 ? 'student_response' : 'learner_response'), response(question, answer.response));
        set(n + 'result', answer.correct ? 'correct' : (v12 ? 'wrong' : 'incorrect'));
        set(n + (v12 ? 'time' : 'timestamp'), clock(state.last.timestamp));
      });
      any = true;
    });
    return any;
  }

  /* The statuses the tracker's rule table derived, in the LMS's terms. Returns true if one changed. */
  function milestone() {
    return [written['cmi.core.lesson_status'], written['cmi.completion_status'], written['cmi.success_status'],
      written[CMI.score + 'raw']].join('|');
  }

  /* Finished: nothing more the learner can do here, so the LMS may close the attempt. */
  function finished(status, module, record) {
    if (status.completion_status !== 'completed') return false;
    if (status.success_status !== 'failed') return true;
    return module.quizzes.every(function (quiz) {
      var state = record.quizzes[quiz.id];
      return quiz.retries !== null && state && state.attempts >= quiz.retries + 1;
    });
  }

  function reportStatus(status, hasQuiz, done) {
    var failed = status.success_status === 'failed';
    var before = milestone();
    if (status.score) {                       // score before status
      if (!v12) set(CMI.score + 'scaled', Math.round(status.score.scaled * 10000) / 10000);
      set(CMI.score + 'raw', Math.round(status.score.scaled * 100));
      set(CMI.score + 'min', 0);
      set(CMI.score + 'max', 100);
    }
    var complete = status.completion_status === 'completed';
    if (v12) {
      var next = status.success_status === 'passed' && complete ? 'passed'
        : failed && settings.failedStatus === 'failed' ? 'failed'
        : complete && !(hasQuiz && failed) ? 'completed' : 'incomplete';
      if (!(next === 'completed' && /^(passed|failed)$/.test(status12)) && !(status12 === 'passed' && next !== 'passed')) {
        if (set('cmi.core.lesson_status', next)) status12 = next;
      }
      set(CMI.exit, done ? '' : 'suspend');
    } else {
      set('cmi.progress_measure', Math.round(status.progress_measure * 10000) / 10000);
      set('cmi.completion_status', complete ? 'completed' : 'incomplete');
      if (hasQuiz && status.success_status !== 'unknown') {
        set('cmi.success_status', status.success_status === 'passed' ? 'passed' : settings.failedStatus === 'failed' ? 'failed' : 'unknown');
      }
      set(CMI.exit, done ? 'normal' : 'suspend');
    }
    return milestone() !== before;
  }

  function save(text, tracker) {
    var data;
    try { data = JSON.parse(text); } catch (e) { return false; }
    var module = tracker.course.modules.filter(function (m) { return m.id === settings.module; })[0];
    if (!module) return false;
    resumeRecord = data;
    if (!active) return true;
    if (ended) return false;
    var record = data.modules[module.id] || { quizzes: {} };
    if (record.location) set(CMI.location, record.location);
    set('cmi.suspend_data', encode(data, module));
    if (review) return true;
    var changed = reportInteractions(module, record);
    var status = tracker.status(module.id);
    changed = reportStatus(status, module.quizzes.length > 0, finished(status, module, record)) || changed;
    if (changed) commit();   // milestones only: a quiz submitted, a status reached
    return true;
  }

  /* ---- Start: resume where the learner left off ---- */
  function start(courseInfo) {
    var module = courseInfo.modules.filter(function (m) { return m.id === settings.module; })[0];
    var page = settings.start;
    if (active && module) {
      resumeRecord = decode(get('cmi.suspend_data'), module, courseInfo.id);
      var m = resumeRecord && resumeRecord.modules[module.id];
      if (m) {
        module.quizzes.forEach(function (q) { if (m.quizzes[q.id]) sentAttempts[q.id] = m.quizzes[q.id].attempts; });
        var location = get(CMI.location) || m.location;
        var target = module.pages.filter(function (p) { return p.id === location; })[0];
        var entry = get(CMI.entry);
        if (target && (entry === 'resume' || entry === '')) page = target.id + '.html';
      }
      if (!review) {
        if (v12 && (status12 === 'not attempted' || status12 === '')) { if (set('cmi.core.lesson_status', 'incomplete')) status12 = 'incomplete'; }
        if (!v12 && /^(not attempted|unknown|)$/.test(get('cmi.completion_status'))) set('cmi.completion_status', 'incomplete');
        set(CMI.exit, 'suspend');
      }
    }
    frame.src = page;
  }

  if (active) {
    window.LearnmarkSCO = {
      version: settings.version,
      adapter: {
        load: function () { return resumeRecord ? JSON.stringify(resumeRecord) : null; },
        save: save,
        probe: function () { return !ended; },
        keep: function () {},
        remove: function () { resumeRecord = null; return true; },
        watch: function () {}
      }
    };
  }

  function end() {
    if (!active || ended) return;
    set(CMI.session, sessionTime());
    try { if (!ok(api[CALL.end](''))) report('Terminate'); } catch (e) { report('Terminate'); }
    ended = true;
  }
  document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'hidden') commit(); });
  window.addEventListener('pagehide', end);

  // The course structure comes from the packaged course.js, loaded here too.
  var script = document.createElement('script');
  script.src = '../assets/course.js';
  script.onload = function () { start(window.LearnmarkCourse); };
  script.onerror = function () { frame.src = settings.start; };
  document.head.appendChild(script);
})();
