/* Learnmark.tracker: the learner's progress through this course, SCORM-style.

   One record per course, saved through a storage adapter under
   "learnmark:<course-id>:v1" (every file:// page shares one origin, so the
   course id keeps courses apart). Statuses are not stored but derived from
   what the learner did (pages seen, quiz results) by the rule table below,
   so they can never disagree with it.

   Nothing a learner did is lost: a corrupt record keeps its readable parts
   (and the raw text under "<key>:corrupt"); when storage is full, disabled or
   throws, progress lives in memory and a notice says it cannot be saved;
   entries for pages and quizzes that no longer exist are dropped quietly,
   reflections (the learner's own words) never are; and before every save
   the stored record is merged in, so two open tabs never overwrite each
   other's newer data. */
(function () {
  'use strict';
  var L = window.Learnmark = window.Learnmark || {};
  var course = window.LearnmarkCourse || { id: 'course', modules: [] };
  var SCHEMA = 1;
  var KEY = 'learnmark:' + course.id + ':v' + SCHEMA;

  /* The rule table: how a module is completed and passed, here and in every LMS
     (the SCORM runtime reports exactly these statuses). A rule (site.yaml
     `completion`, or a module's front matter) names what counts: `pages`, every
     page seen; `quiz`, every quiz resolved. A quiz is resolved when passed, or
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
  function isObject(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
  function own(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  function num(v, fallback) { return typeof v === 'number' && isFinite(v) ? v : fallback; }
  function each(o, f) { for (var k in o) if (own(o, k)) f(o[k], k); }

  /* ---- Storage adapters: {load() -> text|null, save(text) -> bool, watch(cb)} ---- */
  function localAdapter() {
    function store() { try { return window.localStorage; } catch (e) { return null; } }
    return {
      load: function () { try { var s = store(); return s ? s.getItem(KEY) : null; } catch (e) { return null; } },
      /* Can this browser save here at all? (Blocked storage throws on access or on write.) */
      probe: function () {
        try { store().setItem(KEY + ':probe', '1'); store().removeItem(KEY + ':probe'); return true; } catch (e) { return false; }
      },
      save: function (text) { try { store().setItem(KEY, text); return true; } catch (e) { return false; } },
      keep: function (suffix, text) { try { store().setItem(KEY + suffix, text); } catch (e) { /* best effort */ } },
      remove: function () { try { store().removeItem(KEY); return true; } catch (e) { return false; } },
      watch: function (callback) {
        window.addEventListener('storage', function (event) {
          if (event.key === KEY) callback(event.newValue);
        });
      }
    };
  }

  /* ---- The record: read defensively, merge, prune ---- */
  function empty() {
    return { schema: SCHEMA, course: course.id, seed: null, updated: 0, location: null, modules: {}, reflections: {} };
  }

  function readModule(raw) {
    var m = { visited: {}, location: null, total_time: 0, session_time: 0, quizzes: {}, completed_at: null, updated: 0 };
    if (!isObject(raw)) return m;
    if (isObject(raw.visited)) each(raw.visited, function (t, page) { if (typeof t === 'number') m.visited[page] = t; });
    if (typeof raw.location === 'string') m.location = raw.location;
    m.total_time = num(raw.total_time, 0);
    m.session_time = num(raw.session_time, 0);
    m.completed_at = num(raw.completed_at, null);
    m.updated = num(raw.updated, 0);
    if (isObject(raw.quizzes)) {
      each(raw.quizzes, function (q, id) {
        if (isObject(q) && typeof q.attempts === 'number') {
          m.quizzes[id] = { attempts: q.attempts, best: readScore(q.best), last: readAttempt(q.last) };
        }
      });
    }
    return m;
  }

  function readScore(raw) {
    if (!isObject(raw) || typeof raw.raw !== 'number' || typeof raw.max !== 'number' || !(raw.max > 0) ||
        typeof raw.passed !== 'boolean') return null;
    return { raw: raw.raw, max: raw.max, scaled: raw.raw / raw.max, passed: raw.passed };
  }

  function readAttempt(raw) {
    if (!isObject(raw) || !Array.isArray(raw.questions)) return null;
    var questions = raw.questions.filter(function (q) {
      return isObject(q) && typeof q.id === 'string' && Array.isArray(q.response) && typeof q.correct === 'boolean';
    });
    if (questions.length !== raw.questions.length || !readScore(raw.score && {
      raw: raw.score.raw, max: raw.score.max, passed: raw.passed })) return null;
    return raw;
  }

  /* Whatever can be read from `raw` (text or object), as a clean record. */
  function read(raw) {
    var data = empty();
    var parsed = raw;
    if (typeof raw === 'string') {
      try { parsed = JSON.parse(raw); } catch (e) { parsed = null; }
    }
    if (!isObject(parsed)) return data;
    if (typeof parsed.seed === 'number') data.seed = parsed.seed;
    data.updated = num(parsed.updated, 0);
    if (isObject(parsed.location) && typeof parsed.location.page === 'string') {
      data.location = { page: parsed.location.page, at: num(parsed.location.at, 0) };
    }
    if (isObject(parsed.modules)) each(parsed.modules, function (m, id) { data.modules[id] = readModule(m); });
    if (isObject(parsed.reflections)) {
      each(parsed.reflections, function (r, id) {
        if (isObject(r) && typeof r.answer === 'string') data.reflections[id] = r;
      });
    }
    return data;
  }

  function newerQuiz(a, b) {
    if (!a) return b;
    if (!b) return a;
    var winner = b.attempts > a.attempts ? b : a;
    var bestA = a.best, bestB = b.best;
    var best = !bestA ? bestB : !bestB ? bestA :
      (bestB.passed && !bestA.passed) || (bestB.passed === bestA.passed && bestB.scaled > bestA.scaled) ? bestB : bestA;
    return { attempts: winner.attempts, best: best, last: winner.last };
  }

  /* Everything either record knows, the newer value winning where they differ. */
  function merge(a, b) {
    var out = empty();
    out.seed = a.seed !== null ? a.seed : b.seed;
    out.updated = Math.max(a.updated, b.updated);
    out.location = !a.location ? b.location : !b.location ? a.location : (b.location.at > a.location.at ? b.location : a.location);
    [a, b].forEach(function (side) {
      each(side.modules, function (m, id) {
        var o = out.modules[id];
        if (!o) { out.modules[id] = readModule(JSON.parse(JSON.stringify(m))); return; }
        each(m.visited, function (t, page) { o.visited[page] = own(o.visited, page) ? Math.min(o.visited[page], t) : t; });
        if (m.updated > o.updated) { o.location = m.location || o.location; o.session_time = m.session_time; }
        o.total_time = Math.max(o.total_time, m.total_time);
        o.completed_at = o.completed_at === null ? m.completed_at : (m.completed_at === null ? o.completed_at : Math.min(o.completed_at, m.completed_at));
        o.updated = Math.max(o.updated, m.updated);
        each(m.quizzes, function (q, qid) { o.quizzes[qid] = newerQuiz(o.quizzes[qid], q); });
      });
      each(side.reflections, function (r, id) {
        var o = out.reflections[id];
        if (!o || num(r.updated_at, 0) > num(o.updated_at, 0)) out.reflections[id] = r;
      });
    });
    return out;
  }

  /* Drop what this version of the course no longer has (but never reflections). */
  function prune(data) {
    var modules = {};
    course.modules.forEach(function (cm) {
      var m = data.modules[cm.id];
      if (!m) return;
      var pages = cm.pages.map(function (p) { return p.id; });
      var quizzes = cm.quizzes.map(function (q) { return q.id; });
      each(m.visited, function (t, page) { if (pages.indexOf(page) < 0) delete m.visited[page]; });
      each(m.quizzes, function (q, id) { if (quizzes.indexOf(id) < 0) delete m.quizzes[id]; });
      if (m.location && pages.indexOf(m.location) < 0) m.location = null;
      modules[cm.id] = m;
    });
    data.modules = modules;
    if (data.location && !pageInfo(data.location.page)) data.location = null;
    return data;
  }

  function moduleInfo(id) { return course.modules.filter(function (m) { return m.id === id; })[0] || null; }
  function pageInfo(key) {
    var parts = String(key).split('/');
    var m = moduleInfo(parts[0]);
    var p = m && m.pages.filter(function (page) { return page.id === parts[1]; })[0];
    return p ? { module: m, page: p } : null;
  }

  /* ---- The tracker ---- */
  // Inside an LMS package the launch page owns the session and lends its adapter; reflections
  // (the learner's own words) are never sent to the LMS and stay in this browser's storage.
  var sco = null;
  try { sco = window.parent !== window && window.parent.LearnmarkSCO ? window.parent.LearnmarkSCO : null; } catch (e) { sco = null; }
  var adapter = sco ? sco.adapter : localAdapter();
  var device = sco ? localAdapter() : adapter;
  var listeners = [];
  var saved = adapter.probe();
  var kept = device.probe();

  function load() {
    var raw = adapter.load();
    var data = read(raw);
    if (raw && typeof raw === 'string') {
      var valid = true;
      try { JSON.parse(raw); } catch (e) { valid = false; }
      if (!valid) adapter.keep(':corrupt', raw);
    }
    if (device !== adapter) data.reflections = read(device.load()).reflections;
    return prune(data);
  }

  var data = load();

  function notify() { listeners.forEach(function (f) { try { f(tracker); } catch (e) { /* a view's bug must not stop others */ } }); }

  /* Reflections into this browser's record, leaving whatever else it holds. */
  function keepReflections() {
    var local = read(device.load());
    each(data.reflections, function (r, id) {
      var o = local.reflections[id];
      if (!o || num(r.updated_at, 0) >= num(o.updated_at, 0)) local.reflections[id] = r;
    });
    return device.save(JSON.stringify(local));
  }

  function persist() {
    data.updated = now();
    data = prune(merge(data, read(adapter.load())));
    saved = adapter.save(JSON.stringify(data), tracker);
    notify();
    return saved;
  }

  function moduleRecord(id) {
    if (!data.modules[id]) data.modules[id] = readModule(null);
    return data.modules[id];
  }

  function resolved(quiz, state) {
    return !!state && ((state.best && state.best.passed) || (quiz.retries !== null && state.attempts >= quiz.retries + 1));
  }

  function status(moduleId) {
    var cm = moduleInfo(moduleId);
    var m = data.modules[moduleId] || readModule(null);
    var rule = RULES[cm.completion] || RULES['all-pages+quiz'];
    var seen = cm.pages.filter(function (p) { return own(m.visited, p.id); }).length;
    var counted = rule.quiz ? cm.quizzes : [];
    var states = counted.map(function (q) { return m.quizzes[q.id] || null; });
    var passed = counted.length > 0 && states.every(function (q) { return q && q.best && q.best.passed; });
    var settled = states.every(function (q, i) { return resolved(counted[i], q); });
    var raw = 0, max = 0;
    states.forEach(function (q) { if (q && q.best) { raw += q.best.raw; max += q.best.max; } });
    var done = (!rule.pages || seen === cm.pages.length) && settled;
    var started = seen > 0 || cm.quizzes.some(function (q) { return m.quizzes[q.id]; });
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

  /* SCORM-style interactions: each question's latest answer. */
  function interactions(cm, m) {
    var out = [];
    cm.quizzes.forEach(function (q) {
      var state = m.quizzes[q.id];
      if (!state || !state.last || !state.last.questions) return;
      state.last.questions.forEach(function (answer) {
        out.push({
          id: q.id + '.' + answer.id,
          type: answer.kind === 'true-false' ? 'true-false' : 'choice',
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

    /* Time spent on this page, added when the page is hidden or left. */
    addTime: function (moduleId, seconds) {
      if (!moduleInfo(moduleId) || !(seconds > 0)) return;
      var m = moduleRecord(moduleId);
      m.total_time += seconds;
      m.session_time = seconds;
      m.updated = now();
      persist();
    },

    quiz: function (key) {
      var parts = key.split('/');
      var m = data.modules[parts[0]];
      return (m && m.quizzes[parts[1]]) || { attempts: 0, best: null, last: null };
    },

    /* A result as dispatched by the quiz component's "learnmark:quiz" event. */
    recordQuiz: function (key, result) {
      var parts = key.split('/');
      if (!moduleInfo(parts[0])) return;
      var m = moduleRecord(parts[0]);
      var previous = m.quizzes[parts[1]] || { attempts: 0, best: null, last: null };
      var score = { raw: result.score.raw, max: result.score.max, scaled: result.score.scaled, passed: result.passed };
      m.quizzes[parts[1]] = newerQuiz(previous, { attempts: Math.max(previous.attempts, result.attempt), best: score, last: result });
      m.updated = now();
      markCompletion(parts[0]);
      persist();
    },

    reflection: function (key) { return data.reflections[key] || null; },
    /* Can reflections be kept in this browser? (Inside an LMS, they are kept nowhere else.) */
    get reflectionsKept() { return device === adapter ? saved : kept; },
    saveReflection: function (record) {
      record.updated_at = now();
      data.reflections[record.key] = record;
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

    /* Merge a downloaded file's progress into this device's. Returns false if it is not for this course. */
    importData: function (file) {
      if (!isObject(file) || file.learnmark !== 'progress' || file.course !== course.id || !isObject(file.record)) return false;
      data = prune(merge(data, read(file.record)));
      persist();
      return true;
    },

    reset: function () {
      data = empty();
      adapter.remove();
      saved = adapter.save(JSON.stringify(data), tracker);
      notify();
    }
  };

  // Another tab saved (or reset): take in its data, keeping anything newer of ours.
  adapter.watch(function (text) {
    data = text === null ? empty() : prune(merge(read(text), data));
    notify();
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
