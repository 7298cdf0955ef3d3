/* Learnmark.tracker: the learner's progress through this course, SCORM-style.

   One record per course, saved through a storage adapter under
   "learnmark:<course-id>:v1" (every file:// page shares one origin, so the
   course id keeps courses apart). Statuses are not stored but derived from
   what the learner did (pages seen, quiz results) by the rule table below,
   so they can never disagree with it.

   Nothing a learner did is lost:
   - a stored record is never saved over unless it was read first: when
     reading throws, when a record is unreadable and cannot be set aside
     (under "<key>:corrupt"), or when it was written by a newer schema than
     this page knows, progress lives in memory and the storage notice says so;
   - everything read is validated field by field (a damaged part is dropped,
     the readable rest kept), and fields this page does not know are kept;
   - before every save the stored record is merged in, and when another tab's
     save lacks something this tab has, this tab saves the merge again, so two
     tabs saving at the same moment lose nothing. Counts that tabs add to at
     once (quiz attempts, time) are kept per page load and summed;
   - entries for pages and quizzes that no longer exist are dropped quietly,
     reflections (the learner's own words) never are. */
(function () {
  'use strict';
  var L = window.Learnmark = window.Learnmark || {};
  var course = window.LearnmarkCourse || { id: 'course', modules: [] };
  var R = L.record;
  var KEY = 'learnmark:' + course.id + ':v' + R.SCHEMA;
  var CORRUPT_SLOTS = 9;     // unreadable records set aside, never one over another
  /* This page load's own share of the counts tabs add to at once (tallies: see record.js). */
  var TAB = (Math.random().toString(36) + '000000').slice(2, 10);

  /* The rule table: how a module is completed and passed, here and in every LMS
     (the SCORM runtime reports exactly these statuses). A rule (site.yaml
     `completion`, or a module's front matter) names what counts: `pages`, every
     page seen (and every `required` video or audio played to its end, when the
     module has any: course.js lists them as `media`); `quiz`, every quiz resolved. A quiz is resolved when passed, or
     when its attempts are used up. Success is passed when every counted quiz
     is passed, failed only once a counted quiz is resolved without a pass (no
     retries left), and unknown before that, so a learner with a retry left
     is never failed. A quiz the rule does not count is practice: no score,
     no success. */
  var RULES = {
    'all-pages': { pages: true, quiz: false },
    'quiz': { pages: false, quiz: true },
    'all-pages+quiz': { pages: true, quiz: true }
  };

  function now() { return Date.now(); }
  var U = R.util, isObject = U.isObject, own = U.own, each = U.each, clone = U.clone, isId = U.isId;
  var empty = R.empty, emptyModule = R.emptyModule, emptyQuiz = R.emptyQuiz, inspect = R.inspect, merge = R.merge,
    holds = R.holds, prune = R.prune, better = R.better, readAttempt = R.readAttempt, readReflection = R.readReflection,
    moduleInfo = R.moduleInfo, pageInfo = R.pageInfo, quizInfo = R.quizInfo, sum = R.sum;

  /* ---- Storage adapters ----
     load() -> text|null, and throws when the storage cannot be read; save(text) -> bool;
     probe() -> can this browser save here at all?; keep(suffix, text) -> bool, false when
     the text could not be set aside; remove() -> bool; watch(callback(newText|null)). */
  function localAdapter() {
    function store() {
      var s = window.localStorage;
      if (!s) throw new Error('no localStorage');
      return s;
    }
    return {
      load: function () { return store().getItem(KEY); },
      probe: function () {
        try { store().setItem(KEY + ':probe', '1'); store().removeItem(KEY + ':probe'); return true; } catch (e) { return false; }
      },
      save: function (text) { try { store().setItem(KEY, text); return true; } catch (e) { return false; } },
      keep: function (suffix, text) {
        try {
          var s = store();
          for (var n = 1; n <= CORRUPT_SLOTS; n++) {
            var key = KEY + suffix + (n > 1 ? ':' + n : '');
            var there = s.getItem(key);
            if (there === text) return true;
            if (there === null) { s.setItem(key, text); return true; }
          }
        } catch (e) { /* below */ }
        return false;
      },
      remove: function () { try { store().removeItem(KEY); return true; } catch (e) { return false; } },
      watch: function (callback) {
        window.addEventListener('storage', function (event) {
          if (event.key === KEY) callback(event.newValue);
        });
      }
    };
  }

  function fetchFrom(adapter) {
    var text;
    try { text = adapter.load(); } catch (e) { return { ok: false, why: 'unreadable' }; }
    return inspect(text, adapter);
  }

  /* ---- The tracker ---- */
  // Inside an LMS package the launch page owns the session and lends its adapter; reflections
  // (the learner's own words) are never sent to the LMS and stay in this browser's storage.
  var sco = null;
  try { sco = window.parent !== window && window.parent.LearnmarkSCO ? window.parent.LearnmarkSCO : null; } catch (e) { sco = null; }
  var adapter = sco ? sco.adapter : localAdapter();
  var device = sco ? localAdapter() : adapter;
  var listeners = [];

  /* Why progress is not being saved: null, "blocked" (the browser refuses to save),
     "unreadable" (what is stored cannot be read, so it is left alone) or "newer" (it was
     saved by a newer version of the course, which this page must not overwrite). */
  var problem = null;
  var first = fetchFrom(adapter);
  var data = prune(first.record || empty());
  var saved = first.ok && adapter.probe();
  problem = !first.ok ? first.why : saved ? null : 'blocked';
  var kept = saved;
  if (device !== adapter) {
    var local = fetchFrom(device);
    data.reflections = local.record ? local.record.reflections : {};
    kept = local.ok && device.probe();
  }

  function notify() { listeners.forEach(function (f) { try { f(tracker); } catch (e) { /* a view's bug must not stop others */ } }); }

  /* Reflections into this browser's record, leaving whatever else it holds (never over one it cannot read). */
  function keepReflections() {
    var local = fetchFrom(device);
    if (!local.ok) return false;
    var record = local.record;
    each(data.reflections, function (r, id) {
      var o = record.reflections[id];
      if (!o || r.updated_at >= o.updated_at) record.reflections[id] = r;
    });
    return device.save(JSON.stringify(record));
  }

  function persist() {
    data.updated = now();
    var stored = fetchFrom(adapter);
    if (!stored.ok) {
      saved = false;
      problem = stored.why;
    } else {
      data = prune(merge(stored.record, data));
      saved = adapter.save(JSON.stringify(data), tracker);
      problem = saved ? null : 'blocked';
    }
    notify();
    return saved;
  }

  function moduleRecord(id) {
    if (!own(data.modules, id)) data.modules[id] = emptyModule();
    return data.modules[id];
  }

  function resolved(quiz, state) {
    return !!state && ((state.best && state.best.passed) || (quiz.retries !== null && state.attempts >= quiz.retries + 1));
  }

  function status(moduleId) {
    var cm = moduleInfo(moduleId);
    var m = own(data.modules, moduleId) ? data.modules[moduleId] : emptyModule();
    var rule = RULES[cm.completion] || RULES['all-pages+quiz'];
    var seen = cm.pages.filter(function (p) { return own(m.visited, p.id); }).length;
    var counted = rule.quiz ? cm.quizzes : [];
    var states = counted.map(function (q) { return own(m.quizzes, q.id) ? m.quizzes[q.id] : null; });
    var passed = counted.length > 0 && states.every(function (q) { return q && q.best && q.best.passed; });
    var settled = states.every(function (q, i) { return resolved(counted[i], q); });
    // The score is out of every counted quiz: one not yet attempted scores 0 of its questions, so a module
    // of two quizzes is not reported as 100% after the first.
    var raw = 0, max = 0, attempted = false;
    states.forEach(function (q, i) {
      if (q && q.best) { raw += q.best.raw; max += q.best.max; attempted = true; } else max += counted[i].draw || counted[i].count;
    });
    if (!attempted) max = 0;
    var media = cm.media || [];
    var watched = media.filter(function (v) { return own(m.visited, '~' + v.id); }).length;
    var done = (!rule.pages || (seen === cm.pages.length && watched === media.length)) && settled;
    var started = seen > 0 || watched > 0 || cm.quizzes.some(function (q) { return own(m.quizzes, q.id); });
    return {
      completion_status: done ? 'completed' : started ? 'incomplete' : 'not attempted',
      success_status: passed ? 'passed' : counted.length && settled ? 'failed' : 'unknown',
      score: max ? { raw: raw, min: 0, max: max, scaled: raw / max } : null,
      progress_measure: cm.pages.length ? seen / cm.pages.length : 0,
      pages_seen: seen,
      pages: cm.pages.length,
      location: m.location,
      total_time: m.total_time,
      session_time: m.session_time,
      completed_at: m.completed_at,
      interactions: interactions(cm, m)
    };
  }

  /* A question kind's SCORM interaction type (an ordering question is a "sequencing" one). */
  L.interactionType = function (kind) {
    return { 'true-false': 'true-false', 'fill-in': 'fill-in', matching: 'matching', ordering: 'sequencing' }[kind] || 'choice';
  };

  /* SCORM-style interactions: each question's latest answer. */
  function interactions(cm, m) {
    var out = [];
    cm.quizzes.forEach(function (q) {
      var state = own(m.quizzes, q.id) ? m.quizzes[q.id] : null;
      if (!state || !state.last) return;
      state.last.questions.forEach(function (answer) {
        out.push({
          id: q.id + '.' + answer.id,
          type: L.interactionType(answer.kind),
          learner_response: answer.response,
          result: answer.correct ? 'correct' : 'incorrect',
          timestamp: state.last.timestamp,
          attempts: state.attempts
        });
      });
    });
    return out;
  }

  function markCompletion(moduleId) {
    var m = moduleRecord(moduleId);
    if (m.completed_at === null && status(moduleId).completion_status === 'completed') m.completed_at = now();
  }

  var tracker = L.tracker = {
    key: KEY,
    course: course,
    rules: RULES,
    get saved() { return saved; },
    /* Why progress is not being saved (see above), or null. */
    get problem() { return problem; },
    data: function () { return data; },
    status: status,
    pageInfo: pageInfo,
    onChange: function (f) { listeners.push(f); },

    visit: function (pageKey) {
      var info = pageInfo(pageKey);
      if (!info) return;
      var m = moduleRecord(info.module.id);
      if (!own(m.visited, info.page.id)) m.visited[info.page.id] = now();
      m.location = info.page.id;
      m.updated = now();
      data.location = { page: pageKey, at: now() };
      markCompletion(info.module.id);
      persist();
    },

    /* A required video or audio ("<module>/<item>") was played to its end: it counts like a page seen. */
    watched: function (mediaKey) {
      var parts = String(mediaKey).split('/');
      var cm = moduleInfo(parts[0]);
      if (!cm || !(cm.media || []).some(function (v) { return v.id === parts[1]; })) return;
      var m = moduleRecord(cm.id);
      if (!own(m.visited, '~' + parts[1])) m.visited['~' + parts[1]] = now();
      m.updated = now();
      markCompletion(cm.id);
      persist();
    },
    hasWatched: function (mediaKey) {
      var parts = String(mediaKey).split('/');
      return own(data.modules, parts[0]) && own(data.modules[parts[0]].visited, '~' + parts[1]);
    },

    /* Time spent on this page, added when the page is hidden or left. */
    addTime: function (moduleId, seconds) {
      if (!moduleInfo(moduleId) || !(seconds > 0) || !isFinite(seconds)) return;
      var m = moduleRecord(moduleId);
      m.time_by[TAB] = (own(m.time_by, TAB) ? m.time_by[TAB] : 0) + Math.round(seconds * 1000);
      m.total_time = sum(m.time_by) / 1000;
      m.session_time = seconds;
      m.updated = now();
      persist();
    },

    /* A copy of a quiz's state: {attempts, best, last}; changing it changes nothing. */
    quiz: function (key) {
      var info = quizInfo(key);
      var m = info && own(data.modules, info.module.id) ? data.modules[info.module.id] : null;
      var q = m && own(m.quizzes, info.quiz.id) ? m.quizzes[info.quiz.id] : null;
      return q ? { attempts: q.attempts, best: clone(q.best), last: clone(q.last) } : { attempts: 0, best: null, last: null };
    },

    /* A result as dispatched by the quiz component's "learnmark:quiz" event: one more attempt. */
    recordQuiz: function (key, result) {
      var info = quizInfo(key);
      var last = readAttempt(result);
      if (!info || !last) return;
      var m = moduleRecord(info.module.id);
      var q = own(m.quizzes, info.quiz.id) ? m.quizzes[info.quiz.id] : (m.quizzes[info.quiz.id] = emptyQuiz());
      q.attempts_by[TAB] = (own(q.attempts_by, TAB) ? q.attempts_by[TAB] : 0) + 1;
      q.attempts = sum(q.attempts_by);
      q.best = better(q.best, { raw: last.score.raw, max: last.score.max, scaled: last.score.scaled, passed: last.passed });
      q.last = last;
      m.updated = now();
      markCompletion(info.module.id);
      persist();
    },

    reflection: function (key) { return own(data.reflections, key) ? data.reflections[key] : null; },
    /* Can reflections be kept in this browser? (Inside an LMS, they are kept nowhere else.) */
    get reflectionsKept() { return device === adapter ? saved : kept; },
    saveReflection: function (record) {
      var clean = isId(record.key) && readReflection(record, record.key);
      if (!clean) return tracker.reflectionsKept;
      clean.updated_at = now();
      data.reflections[clean.key] = clean;
      persist();
      if (device !== adapter) kept = keepReflections();
      return tracker.reflectionsKept;
    },

    seed: function () {
      if (typeof data.seed !== 'number') {
        data.seed = Math.floor(Math.random() * 4294967296);
        persist();
      }
      return data.seed;
    },

    /* The whole record plus derived statuses, for the learner to download. */
    exportData: function () {
      var statuses = {};
      course.modules.forEach(function (cm) { statuses[cm.id] = status(cm.id); });
      return { learnmark: 'progress', course: course.id, course_title: course.title, version: course.version,
        exported_at: new Date().toISOString(), statuses: statuses, record: data };
    },

    /* Merge a downloaded file's progress into this device's. Returns "saved", "unsaved" (added
       on this page but this browser did not save it), "newer" (written by a newer version of the
       course: nothing changed) or "rejected" (not a progress file for this course). */
    importData: function (file) {
      if (!isObject(file) || file.learnmark !== 'progress' || file.course !== course.id || !isObject(file.record)) return 'rejected';
      var incoming = inspect(JSON.stringify(file.record), null);
      if (!incoming.ok) return incoming.why === 'newer' ? 'newer' : 'rejected';
      incoming.record.reset = data.reset;   // an export from before a reset is brought back on purpose
      data = prune(merge(data, incoming.record));
      return persist() ? 'saved' : 'unsaved';
    },

    /* Start again on this device. Returns whether the emptied record was saved. */
    reset: function () {
      data = empty();
      data.reset = now();
      adapter.remove();
      saved = adapter.save(JSON.stringify(data), tracker);
      problem = saved ? null : 'blocked';
      notify();
      return saved;
    }
  };

  // Another tab saved (or reset): take in its data, keeping anything newer of ours, and if its
  // save lacks something of ours (both saved at the same moment), save the merge again.
  adapter.watch(function (text) {
    if (text === null) { data = empty(); notify(); return; }
    var incoming = inspect(text, null);
    if (!incoming.ok) {
      if (incoming.why === 'newer') { saved = false; problem = 'newer'; notify(); }
      return;   // unreadable: ours is saved (and it set aside) on our next save
    }
    var lacks = !holds(incoming.record, data);
    data = prune(merge(incoming.record, data));
    if (lacks && problem === null) persist(); else notify();
  });

  /* Kept for components: a per-learner random number and a seeded generator. */
  L.learnerSeed = tracker.seed;
  L.random = function (seed, name) {
    var h = 2166136261 ^ seed;
    for (var i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
    var state = h >>> 0;
    return function () {
      state = (state + 0x6D2B79F5) >>> 0;
      var t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  };
})();
