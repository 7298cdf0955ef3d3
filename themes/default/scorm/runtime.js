/* Learnmark SCORM runtime: the launch page of a SCO owns the LMS session.

   It connects through scorm/lms.js (the LMS's API in this window's parents),
   or, on the hosted launch page of a dispatch package, through
   scorm/bridge.js (the LMS's API held by the dispatch launch page, across
   origins); either gives the same session. Then the module's pages are shown
   in a frame. They talk to this page through `window.LearnmarkSCO.adapter`,
   a storage adapter for Learnmark.tracker: each save becomes suspend_data
   (scorm/suspend.js), the location, interactions, and the statuses the
   tracker's rule table derived, in the LMS's terms (score before status).
   Statuses and progress never move back from what the LMS holds. Location
   and suspend_data are committed as the learner moves (at most once per
   COMMIT_GAP), a changed status or a submitted quiz at once, so nothing
   depends on the LMS hearing an unload. The session is terminated once, on
   pagehide. In review or browse mode nothing is written and the learner is
   told this visit is not recorded; a learner whose record was saved by an
   earlier version of the module is told it was updated. Without an LMS the
   module runs as the standalone site, saving in localStorage. */
(function () {
  'use strict';
  var settings = JSON.parse(document.getElementById('lm-scorm-settings').textContent);
  var frame = document.getElementById('lm-content');
  var notice = document.getElementById('lm-notice');
  var codec = window.LearnmarkSuspend;
  var LMS = window.LearnmarkLMS;
  var v12 = true, CMI = LMS.elements['1.2'];   // set for the session's version once connected
  var COMMIT_GAP = 2000;
  /* SCORM 1.2 lesson_status only ever moves up this ladder. */
  var RANK = { '': 0, 'not attempted': 0, browsed: 1, incomplete: 1, completed: 2, failed: 3, passed: 4 };
  /* The notices, in the page's language (Learnmark.t: scorm-lms.js carries it, course.js the strings). */
  var NOT_RECORDED = {
    origin: function () {
      return Learnmark.t('Your progress is not being recorded. This module is running on a different web address ' +
        'from your learning platform, so the two cannot talk to each other. You can still read the module; please ' +
        'tell your learning and development team.');
    },
    silent: function () {
      return Learnmark.t('Your learning platform did not respond, so your progress is not being recorded there. ' +
        'It is saved in this browser only. Try closing the module and opening it again.');
    },
    review: function () {
      return Learnmark.t('You are reviewing this module, so this visit is not recorded: your learning platform ' +
        'keeps the result you already have. Your answers here will not change it.');
    }
  };
  function updated() {
    return Learnmark.t('This module has been updated since your last visit. Your progress on everything that is ' +
      'still in it has been kept; new pages and questions are waiting for you.');
  }

  function rank(status) { return RANK[status] || 0; }
  var log = LMS.log, pad = LMS.pad;
  function tell(text) { notice.textContent = notice.hidden ? text : notice.textContent + ' ' + text; notice.hidden = false; }

  /* ---- The session ---- */
  var lms = null, active = false, ended = false, review = false;
  var module = null;         // this SCO's module, from course.js
  var written = {};          // what the LMS holds, as far as this session knows
  var dirty = false, lastCommit = 0, pendingCommit = null;
  var started = Date.now();
  var sentAttempts = {};     // quiz id -> attempts already reported as interactions
  var interactionCount = 0;
  var resumeRecord = null;   // the tracker record, as last decoded or saved

  function get(element) { return lms.get(element); }
  function set(element, value) {
    value = String(value);
    if (!active || ended || review) return false;
    if (written[element] === value) return true;
    if (!lms.set(element, value)) return false;
    written[element] = value;
    dirty = true;
    return true;
  }
  function commit() {
    clearTimeout(pendingCommit);
    pendingCommit = null;
    if (!active || ended || !dirty) return;
    dirty = false;
    lastCommit = Date.now();
    lms.commit();
  }
  /* A routine commit, never more often than COMMIT_GAP and never inside the caller's turn. */
  function commitSoon() {
    if (pendingCommit || !dirty) return;
    pendingCommit = setTimeout(commit, Math.max(0, lastCommit + COMMIT_GAP - Date.now()));
  }

  /* ---- CMI values ---- */
  function clock(iso) {
    var d = iso ? new Date(iso) : new Date();
    return v12 ? pad(d.getHours(), 2) + ':' + pad(d.getMinutes(), 2) + ':' + pad(d.getSeconds(), 2)
      : d.getFullYear() + '-' + pad(d.getMonth() + 1, 2) + '-' + pad(d.getDate(), 2) + 'T' +
        pad(d.getHours(), 2) + ':' + pad(d.getMinutes(), 2) + ':' + pad(d.getSeconds(), 2);
  }
  /* An id as a 2004 short identifier (^[\w.]{1,250}$: no hyphens), which Moodle checks every response against. */
  function word(id) { return String(id).replace(/[^A-Za-z0-9_.]/g, '_').slice(0, 250) || '_'; }
  /* 1.2 names an option, item or target by one character: its place in the author's list, a-z then 0-9. */
  function letter(list, id) {
    var i = list.indexOf(id);
    return i < 26 ? String.fromCharCode(97 + i) : String(i - 26);
  }
  /* Typed text as both versions take it: at most 250 characters, not opening with "{" (2004 reads that as a
     language tag) and without 2004's "[,]" separator. */
  function typed(text) {
    return String(text || '').replace(/\[,\]/g, ',').replace(/^\{/, '(').slice(0, 250);
  }
  /* A response in the version's vocabulary: 1.2 t/f and one character per option, item or target; 2004
     true/false and short identifiers; fill-in text in both. Matching pairs are "item.target". */
  function response(question, values) {
    if (question.kind === 'true-false') {
      var value = values[0] === 'true' ? 'true' : 'false';
      return v12 ? value.charAt(0) : value;
    }
    if (question.kind === 'fill-in') return typed(values[0]);
    return values.map(function (value) {
      var ids = String(value).split('.');
      if (question.kind === 'matching') {
        return v12 ? letter(question.choices, ids[0]) + '.' + letter(question.targets || [], ids[1]) : word(ids[0]) + '[.]' + word(ids[1]);
      }
      return v12 ? letter(question.choices, ids[0]) : word(ids[0]);
    }).join(v12 ? ',' : '[,]');
  }
  /* The right answers as correct_responses patterns: one per accepted fill-in answer, else one. */
  function patterns(question, expected) {
    if (question.kind !== 'fill-in') return [response(question, expected)];
    return expected.map(typed).filter(function (text, i, all) { return all.indexOf(text) === i; }).slice(0, 10);
  }
  var TYPES = { 'true-false': 'true-false', 'fill-in': 'fill-in', matching: 'matching', ordering: 'sequencing' };

  function reportInteractions(record) {
    var any = false;
    module.quizzes.forEach(function (quiz) {
      var state = record.quizzes[quiz.id];
      if (!state || !state.last || !state.last.timestamp || state.attempts <= (sentAttempts[quiz.id] || 0)) return;
      sentAttempts[quiz.id] = state.attempts;
      state.last.questions.forEach(function (answer) {
        var question = quiz.questions.filter(function (q) { return q.id === answer.id; })[0];
        if (!question) return;
        var n = 'cmi.interactions.' + interactionCount++ + '.';
        set(n + 'id', (quiz.id + '.' + answer.id).replace(/[^\x21-\x7e]/g, '_').slice(0, 250));
        set(n + 'type', TYPES[question.kind] || 'choice');
        if (answer.expected && answer.expected.length) {
          patterns(question, answer.expected).forEach(function (pattern, i) { set(n + 'correct_responses.' + i + '.pattern', pattern); });
        }
        set(n + (v12 ? 'student_response' : 'learner_response'), response(question, answer.response));
        set(n + 'result', answer.correct ? 'correct' : (v12 ? 'wrong' : 'incorrect'));
        set(n + (v12 ? 'time' : 'timestamp'), clock(state.last.timestamp));
      });
      any = true;
    });
    return any;
  }

  function statuses() {
    return [written['cmi.core.lesson_status'], written['cmi.completion_status'], written['cmi.success_status'],
      written[CMI.score + 'raw']].join('|');
  }

  /* The tracker's status in the LMS's terms. Returns true if a status or the score changed. */
  function report(status) {
    var failed = status.success_status === 'failed';
    var quiet = failed && settings.failedStatus === 'incomplete';   // never tell the LMS "failed"
    var finished = status.completion_status === 'completed' && !quiet;
    var before = statuses();
    var score = status.score && Math.round(status.score.scaled * 100);
    if (status.score && !(score < Number(written[CMI.score + 'raw']))) {   // score before status; never lower
      if (!v12) set(CMI.score + 'scaled', Math.round(status.score.scaled * 10000) / 10000);
      set(CMI.score + 'raw', score);
      set(CMI.score + 'min', 0);
      set(CMI.score + 'max', 100);
    }
    if (v12) {
      var next = !finished ? 'incomplete' : status.success_status === 'passed' ? 'passed' : failed ? 'failed' : 'completed';
      var now = rank(written['cmi.core.lesson_status']);
      if (rank(next) > now) {
        // Moodle's default completion rule ("require status: Completed") matches "completed" exactly, and
        // keeps an activity complete once it is: pass through it, committed, before the result.
        if (rank(next) > RANK.completed && now < RANK.completed && set('cmi.core.lesson_status', 'completed')) commit();
        set('cmi.core.lesson_status', next);
      }
      set(CMI.exit, rank(written['cmi.core.lesson_status']) >= RANK.completed ? '' : 'suspend');
    } else {
      var measure = Math.round(status.progress_measure * 10000) / 10000;
      if (!(measure < Number(written['cmi.progress_measure']))) set('cmi.progress_measure', measure);
      if (written['cmi.completion_status'] !== 'completed') set('cmi.completion_status', finished ? 'completed' : 'incomplete');
      if (written['cmi.success_status'] !== 'passed' && status.success_status !== 'unknown' && !quiet) {
        set('cmi.success_status', status.success_status);
      }
      set(CMI.exit, written['cmi.completion_status'] === 'completed' ? 'normal' : 'suspend');
    }
    return statuses() !== before;
  }

  function save(text, tracker) {
    var data;
    try { data = JSON.parse(text); } catch (e) { return false; }
    if (!module) return false;
    resumeRecord = data;
    if (review) return true;   // not recorded, as the notice says
    if (ended) return false;
    var record = data.modules[module.id] || { quizzes: {} };
    if (record.location) set(CMI.location, record.location);
    set('cmi.suspend_data', codec.encode(data, module, v12 ? 4096 : 64000));
    var milestone = reportInteractions(record);
    milestone = report(tracker.status(module.id)) || milestone;
    if (milestone) commit(); else commitSoon();
    return true;
  }

  /* ---- Start: resume where the learner left off ---- */
  function start(courseInfo) {
    module = courseInfo.modules.filter(function (m) { return m.id === settings.module; })[0] || null;
    var page = settings.start;
    if (active && module) {
      var stored = get('cmi.suspend_data');
      resumeRecord = codec.decode(stored, module, courseInfo.id);
      if (stored && !resumeRecord) log('suspend_data in a format this version cannot read was set aside: ' + stored.slice(0, 40));
      var savedBy = codec.version(stored);
      if (savedBy && module.version && savedBy !== module.version) {
        tell(updated());
        log('suspend_data was saved by version ' + savedBy + ' of this module; this is version ' + module.version, 'info');
      }
      var m = resumeRecord && resumeRecord.modules[module.id];
      if (m) {
        module.quizzes.forEach(function (q) { if (m.quizzes[q.id]) sentAttempts[q.id] = m.quizzes[q.id].attempts; });
        var location = get(CMI.location) || m.location;
        var target = module.pages.filter(function (p) { return p.id === location; })[0];
        if (target && get(CMI.entry) !== 'ab-initio') page = target.id + '.html';
      }
      if (!review) {
        if (v12 && rank(written['cmi.core.lesson_status']) < RANK.incomplete) set('cmi.core.lesson_status', 'incomplete');
        if (!v12 && /^(not attempted|unknown|)$/.test(written['cmi.completion_status'] || '')) set('cmi.completion_status', 'incomplete');
        if (v12 ? rank(written['cmi.core.lesson_status']) < RANK.completed : written['cmi.completion_status'] !== 'completed') {
          set(CMI.exit, 'suspend');
        }
        commitSoon();
      }
    }
    frame.src = page;
  }

  function begin(session, reason) {
    lms = session;
    active = !!session;
    if (reason) tell(NOT_RECORDED[reason]());
    if (active) {
      v12 = lms.version === '1.2';
      CMI = LMS.elements[lms.version];
      review = /^(browse|review)$/.test(get(CMI.mode));
      if (review) {
        tell(NOT_RECORDED.review());
        log('the LMS opened this attempt in ' + get(CMI.mode) + ' mode: nothing will be written', 'info');
      }
      (v12 ? ['cmi.core.lesson_status'] : ['cmi.completion_status', 'cmi.success_status', 'cmi.progress_measure'])
        .concat([CMI.location, 'cmi.suspend_data', CMI.score + 'raw'])
        .forEach(function (element) { written[element] = get(element); });
      interactionCount = Number(get('cmi.interactions._count')) || 0;
      window.LearnmarkSCO = {
        version: lms.version,
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
    // The course structure comes from course.js: loaded already by a hosted launch page, else here.
    if (window.LearnmarkCourse) return start(window.LearnmarkCourse);
    var script = document.createElement('script');
    script.src = '../assets/course.js';
    script.onload = function () { start(window.LearnmarkCourse); };
    script.onerror = function () { frame.src = settings.start; };
    document.head.appendChild(script);
  }

  function end() {
    if (!active || ended) return;
    clearTimeout(pendingCommit);
    ended = true;
    LMS.finish(lms, review, started);
  }
  document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'hidden') commit(); });
  window.addEventListener('pagehide', end);
  // On a dispatch package's hosted launch page the session is the dispatch launch page's, across origins.
  if (settings.dispatch) window.LearnmarkDispatch.connect(begin);
  else LMS.connect(settings.version, begin);
})();
