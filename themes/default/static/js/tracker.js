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
  var SCHEMA = 1;
  var KEY = 'learnmark:' + course.id + ':v' + SCHEMA;
  var MAX_ID = 200;          // longest id (page, quiz, question, option, page load) read from a record
  var CORRUPT_SLOTS = 9;     // unreadable records set aside, never one over another
  /* This page load's own share of the counts (see tally below). */
  var TAB = (Math.random().toString(36) + '000000').slice(2, 10);

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
  function clone(v) { return v === undefined ? v : JSON.parse(JSON.stringify(v)); }
  /* A usable id: a short string that cannot reach an object's prototype. */
  function isId(v) { return typeof v === 'string' && v.length > 0 && v.length <= MAX_ID && v !== '__proto__'; }
  function isIds(v) { return Array.isArray(v) && v.every(isId); }
  function amount(v) { return typeof v === 'number' && isFinite(v) && v >= 0 ? v : null; }
  function whole(v) { return amount(v) !== null && Math.floor(v) === v ? v : null; }
  /* Keys of `raw` this page does not know, copied into `into` (kept for the version that wrote them). */
  function extras(raw, known, into) {
    each(raw, function (v, k) { if (known.indexOf(k) < 0 && k !== '__proto__' && !own(into, k)) into[k] = clone(v); });
    return into;
  }

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

  /* ---- Counts that several tabs add to at once ----
     A tally maps who added to what they added: each page load adds only to its own
     entry ("_" holds counts from before tallies, or from an LMS), so merging takes the
     larger of each entry and the total is their sum: nothing counted twice or lost. */
  function readTally(raw, total) {
    var out = {};
    var sum = 0;
    if (isObject(raw)) each(raw, function (n, id) { if (isId(id) && whole(n) !== null) { out[id] = n; sum += n; } });
    if (whole(total) !== null && total > sum) out._ = (out._ || 0) + total - sum;
    return out;
  }
  function mergeTally(a, b) {
    var out = clone(a);
    each(b, function (n, id) { out[id] = Math.max(own(out, id) ? out[id] : 0, n); });
    return out;
  }
  function sum(tally) { var s = 0; each(tally, function (n) { s += n; }); return s; }

  /* ---- The record: read defensively, merge, prune ---- */
  var TOP = ['schema', 'course', 'seed', 'updated', 'reset', 'location', 'modules', 'reflections'];
  var MODULE = ['visited', 'location', 'total_time', 'time_by', 'session_time', 'quizzes', 'completed_at', 'updated'];
  var QUIZ = ['attempts', 'attempts_by', 'best', 'last'];
  var REFLECTION = ['key', 'page', 'prompt', 'answer', 'updated_at'];

  function empty() {
    return { schema: SCHEMA, course: course.id, seed: null, updated: 0, reset: 0, location: null, modules: {}, reflections: {} };
  }
  function emptyModule() {
    return { visited: {}, location: null, total_time: 0, time_by: {}, session_time: 0, quizzes: {}, completed_at: null, updated: 0 };
  }
  function emptyQuiz() { return { attempts: 0, attempts_by: {}, best: null, last: null }; }

  function readModule(raw) {
    var m = emptyModule();
    if (!isObject(raw)) return m;
    if (isObject(raw.visited)) each(raw.visited, function (t, page) { if (isId(page) && amount(t) !== null) m.visited[page] = t; });
    if (isId(raw.location)) m.location = raw.location;
    // Time is tallied in whole milliseconds; total_time (seconds) is derived from it.
    var seconds = amount(raw.total_time);
    m.time_by = readTally(raw.time_by, seconds === null ? null : Math.round(seconds * 1000));
    m.total_time = sum(m.time_by) / 1000;
    m.session_time = amount(raw.session_time) || 0;
    m.completed_at = amount(raw.completed_at);
    m.updated = amount(raw.updated) || 0;
    if (isObject(raw.quizzes)) {
      each(raw.quizzes, function (q, id) {
        if (!isId(id) || !isObject(q) || (whole(q.attempts) === null && !isObject(q.attempts_by))) return;
        var quiz = extras(q, QUIZ, emptyQuiz());
        quiz.attempts_by = readTally(q.attempts_by, whole(q.attempts));
        quiz.attempts = sum(quiz.attempts_by);
        quiz.best = readScore(q.best);
        quiz.last = readAttempt(q.last);
        m.quizzes[id] = quiz;
      });
    }
    return extras(raw, MODULE, m);
  }

  function readScore(raw) {
    if (!isObject(raw) || typeof raw.passed !== 'boolean') return null;
    var max = whole(raw.max), got = whole(raw.raw);
    if (!max || got === null || got > max) return null;
    return { raw: got, max: max, scaled: got / max, passed: raw.passed };
  }

  /* A submitted attempt, as the quiz component's result event describes it. Every question
     names its id, the learner's response and whether it was right, all checked here; `expected`
     (the correct option ids when it was marked) is kept when readable. */
  function readAttempt(raw) {
    if (!isObject(raw) || !Array.isArray(raw.questions) || !raw.questions.length) return null;
    var questions = [];
    for (var i = 0; i < raw.questions.length; i++) {
      var q = raw.questions[i];
      if (!isObject(q) || !isId(q.id) || !isIds(q.response) || typeof q.correct !== 'boolean') return null;
      var answer = { id: q.id, kind: typeof q.kind === 'string' ? q.kind : 'single', response: q.response.slice(), correct: q.correct };
      if (isIds(q.expected)) answer.expected = q.expected.slice();
      questions.push(extras(q, ['id', 'kind', 'response', 'correct', 'expected'], answer));
    }
    var score = readScore(isObject(raw.score) && { raw: raw.score.raw, max: raw.score.max, passed: raw.passed });
    if (!score) return null;
    var out = { questions: questions, score: { raw: score.raw, min: 0, max: score.max, scaled: score.scaled },
      passed: score.passed, timestamp: typeof raw.timestamp === 'string' ? raw.timestamp : '' };
    if (amount(raw.passMark) !== null) out.passMark = raw.passMark;
    if (whole(raw.attempt) !== null) out.attempt = raw.attempt;
    return extras(raw, ['questions', 'score', 'passed', 'timestamp', 'passMark', 'attempt'], out);
  }

  function readReflection(raw, key) {
    if (!isObject(raw) || typeof raw.answer !== 'string') return null;
    return extras(raw, REFLECTION, {
      key: key,
      page: typeof raw.page === 'string' ? raw.page : '',
      prompt: typeof raw.prompt === 'string' ? raw.prompt : '',
      answer: raw.answer,
      updated_at: amount(raw.updated_at) || 0
    });
  }

  /* Whatever can be read from a parsed record, as a clean record. */
  function read(parsed) {
    var data = empty();
    if (!isObject(parsed)) return data;
    if (whole(parsed.seed) !== null && parsed.seed < 4294967296) data.seed = parsed.seed;
    data.updated = amount(parsed.updated) || 0;
    data.reset = amount(parsed.reset) || 0;
    if (isObject(parsed.location) && isId(parsed.location.page)) {
      data.location = { page: parsed.location.page, at: amount(parsed.location.at) || 0 };
    }
    if (isObject(parsed.modules)) each(parsed.modules, function (m, id) { if (isId(id)) data.modules[id] = readModule(m); });
    if (isObject(parsed.reflections)) {
      each(parsed.reflections, function (r, id) {
        var clean = isId(id) && readReflection(r, id);
        if (clean) data.reflections[id] = clean;
      });
    }
    return extras(parsed, TOP, data);
  }

  /* What the stored text holds: {ok, record} when it may be saved over (after merging),
     {ok: false, why, record?} when it must not be: it could not be read ("unreadable"),
     or it was written by a newer schema ("newer"; record is what this page could read of it). */
  function inspect(text, adapter) {
    if (text === null || text === undefined) return { ok: true, record: empty() };
    var parsed;
    try { parsed = JSON.parse(text); } catch (e) { parsed = undefined; }
    if (!isObject(parsed)) {
      // Not a record: set it aside before anything is saved over it, or leave it alone.
      if (adapter && adapter.keep(':corrupt', String(text)) === false) return { ok: false, why: 'unreadable' };
      return { ok: true, record: empty() };
    }
    if (num(parsed.schema, SCHEMA) > SCHEMA) return { ok: false, why: 'newer', record: read(parsed) };
    return { ok: true, record: read(parsed) };
  }
  function fetchFrom(adapter) {
    var text;
    try { text = adapter.load(); } catch (e) { return { ok: false, why: 'unreadable' }; }
    return inspect(text, adapter);
  }

  function laterAttempt(a, b) {
    var ta = a && a.timestamp ? Date.parse(a.timestamp) || 0 : 0;
    var tb = b && b.timestamp ? Date.parse(b.timestamp) || 0 : 0;
    return tb > ta;
  }
  function better(a, b) {
    if (!a) return b;
    if (!b) return a;
    return (b.passed && !a.passed) || (b.passed === a.passed && b.scaled > a.scaled) ? b : a;
  }

  function mergeQuiz(x, y) {
    var out = clone(x);
    out.attempts_by = mergeTally(x.attempts_by, y.attempts_by);
    out.attempts = sum(out.attempts_by);
    out.best = clone(better(x.best, y.best));
    var yLater = !x.last ? !!y.last : y.last && (laterAttempt(x.last, y.last) ||
      (!laterAttempt(y.last, x.last) && sum(y.attempts_by) > sum(x.attempts_by)));
    if (yLater) out.last = clone(y.last);
    return extras(y, QUIZ, out);
  }

  function mergeModule(x, y) {
    if (!x) return clone(y);
    if (!y) return clone(x);
    var o = clone(x);
    each(y.visited, function (t, page) { o.visited[page] = own(o.visited, page) ? Math.min(o.visited[page], t) : t; });
    if (y.updated > x.updated) { o.location = y.location || x.location; o.session_time = y.session_time; }
    o.time_by = mergeTally(x.time_by, y.time_by);
    o.total_time = sum(o.time_by) / 1000;
    o.completed_at = x.completed_at === null ? y.completed_at : (y.completed_at === null ? x.completed_at : Math.min(x.completed_at, y.completed_at));
    o.updated = Math.max(x.updated, y.updated);
    each(y.quizzes, function (q, id) { o.quizzes[id] = own(o.quizzes, id) ? mergeQuiz(o.quizzes[id], q) : clone(q); });
    return extras(y, MODULE, o);
  }

  /* What of `r` happened after `t` (a reset elsewhere): later visits, answers and reflections. */
  function since(r, t) {
    var out = empty();
    out.seed = r.seed;
    out.reset = t;
    if (r.location && r.location.at > t) out.location = clone(r.location);
    each(r.modules, function (m, id) {
      var o = emptyModule();
      each(m.visited, function (at, page) { if (at > t) o.visited[page] = at; });
      if (m.updated > t) { o.location = m.location; o.session_time = m.session_time; o.updated = m.updated; }
      if (m.completed_at !== null && m.completed_at > t) o.completed_at = m.completed_at;
      each(m.quizzes, function (q, qid) {
        if (q.last && (Date.parse(q.last.timestamp) || 0) > t) {
          o.quizzes[qid] = { attempts: 1, attempts_by: { _: 1 }, last: clone(q.last),
            best: readScore({ raw: q.last.score.raw, max: q.last.score.max, passed: q.last.passed }) };
        }
      });
      out.modules[id] = o;
    });
    each(r.reflections, function (x, id) { if (x.updated_at > t) out.reflections[id] = clone(x); });
    return out;
  }

  /* Everything either record knows, the newer value winning where they differ and `a` on a tie.
     A side from before the other's reset counts only with what it did after that reset. */
  function merge(a, b) {
    if (a.reset > b.reset) b = since(b, a.reset);
    else if (b.reset > a.reset) a = since(a, b.reset);
    var out = empty();
    out.reset = a.reset;
    out.seed = a.seed !== null ? a.seed : b.seed;
    out.updated = Math.max(a.updated, b.updated);
    out.location = !a.location ? b.location : !b.location ? a.location : (b.location.at > a.location.at ? b.location : a.location);
    out.location = clone(out.location);
    each(a.modules, function (m, id) { out.modules[id] = mergeModule(m, own(b.modules, id) ? b.modules[id] : null); });
    each(b.modules, function (m, id) { if (!own(out.modules, id)) out.modules[id] = clone(m); });
    [a, b].forEach(function (side) {
      each(side.reflections, function (r, id) {
        var o = out.reflections[id];
        if (!o || r.updated_at > o.updated_at) out.reflections[id] = clone(r);
      });
    });
    extras(a, TOP, out);
    return extras(b, TOP, out);
  }

  /* Does `a` already hold everything `b` has? (Ignoring when each was saved.) */
  function holds(a, b) {
    function text(r) { var c = clone(r); c.updated = 0; return JSON.stringify(c); }
    return text(prune(merge(a, b))) === text(prune(merge(a, empty())));
  }

  /* Drop what this version of the course no longer has (but never reflections). */
  function prune(data) {
    var modules = {};
    course.modules.forEach(function (cm) {
      var m = own(data.modules, cm.id) ? data.modules[cm.id] : null;
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
  function quizInfo(key) {
    var parts = String(key).split('/');
    var m = moduleInfo(parts[0]);
    var q = m && m.quizzes.filter(function (quiz) { return quiz.id === parts[1]; })[0];
    return q ? { module: m, quiz: q } : null;
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
    var raw = 0, max = 0;
    states.forEach(function (q) { if (q && q.best) { raw += q.best.raw; max += q.best.max; } });
    var done = (!rule.pages || seen === cm.pages.length) && settled;
    var started = seen > 0 || cm.quizzes.some(function (q) { return own(m.quizzes, q.id); });
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
      var state = own(m.quizzes, q.id) ? m.quizzes[q.id] : null;
      if (!state || !state.last) return;
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
