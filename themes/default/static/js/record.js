/* Learnmark.record: the format of a learner's progress record, and the pure functions on it.

   A record is read defensively (every field checked, a damaged part dropped and the readable
   rest kept, fields this page does not know kept for the version that wrote them), merged with
   another (two tabs, an import, a reset elsewhere) so that nothing either knew is lost, and
   pruned to what this version of the course still has. Learnmark.tracker (tracker.js) stores
   it; nothing here touches storage or the page. */
(function () {
  'use strict';
  var L = window.Learnmark = window.Learnmark || {};
  var course = window.LearnmarkCourse || { id: 'course', modules: [] };
  var SCHEMA = 1;
  var MAX_ID = 200;          // longest id (page, quiz, question, option, page load) read from a record

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
    var max = whole(raw.max), got = amount(raw.raw);   // part marks give fractions
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
      var seen = pages.concat((cm.media || []).map(function (v) { return '~' + v.id; }));  // media played to the end
      var quizzes = cm.quizzes.map(function (q) { return q.id; });
      each(m.visited, function (t, page) { if (seen.indexOf(page) < 0) delete m.visited[page]; });
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

  L.record = {
    SCHEMA: SCHEMA, empty: empty, emptyModule: emptyModule, emptyQuiz: emptyQuiz, read: read, inspect: inspect,
    merge: merge, holds: holds, prune: prune, better: better, readAttempt: readAttempt, readReflection: readReflection,
    moduleInfo: moduleInfo, pageInfo: pageInfo, quizInfo: quizInfo, sum: sum,
    util: { isObject: isObject, own: own, each: each, clone: clone, isId: isId }
  };
})();
