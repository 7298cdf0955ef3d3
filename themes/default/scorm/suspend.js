/* Learnmark suspend_data: a module's progress as compact ASCII for an LMS.

   Format 2, keyed by stable ids so a republished module keeps everything that
   still exists (pages, quizzes, questions and options added, removed or
   reordered):

     2|<L>|<location>|<visited>|<seed>|<quiz>~<quiz>...|<version>
     quiz   = <quiz>.<attempts>.<best raw>.<best max>.<passed 0/1>.<answer>-<answer>...
     answer = <question><option><option>...[!]        ("!" marks a wrong answer)
              <question><item><target><item><target>...[!]   (matching)
              <question><item><item>...[!]                   (ordering, in the learner's order)
              <question>:<text>[!]                           (fill-in: what was typed, see `text`)
              <question>[!]                                  (fill-in whose text was left out to fit: the verdict)

   Every id is written as a token of L base-36 characters (FNV-1a of the id,
   modulo 36^L); L is the shortest length from 4 to 6 at which this module's
   ids all differ, and is written in the record so a later version decodes it
   with the same L. Tokens that match no current id (or more than one) are
   dropped. <version> is the module's content version (course.js) that wrote
   the record, so a learner can be told the module changed since; records
   written before it was added end after the quizzes. Numbers are base 36; attempts are capped at MAX_ATTEMPTS.
   generator/scorm/suspend.py computes the longest record a module can need
   and fails the package when it would overflow the SCORM version's limit.

   Format 1 (positions and a structure fingerprint) is still read, so learners
   part-way through a package made before format 2 keep their progress. */
(function () {
  'use strict';
  var MAX_ATTEMPTS = 1295;   // "zz"
  var MIN_TOKEN = 4, MAX_TOKEN = 6;

  function b36(n) { return n.toString(36); }
  function fnv(text) {
    var h = 2166136261;
    for (var i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    return h >>> 0;
  }
  function token(id, length) {
    return ('000000' + b36(fnv(id) % Math.pow(36, length))).slice(-length);
  }

  /* What a module's record lists as visited: its pages, and each required media item played to
     its end, as '~<id>' (no page id has a '~'). */
  function seen(module) {
    return module.pages.map(function (p) { return p.id; }).concat(
      (module.media || []).map(function (v) { return '~' + v.id; }));
  }

  /* Every id a module's record can name. */
  function ids(module) {
    var out = seen(module);
    module.quizzes.forEach(function (quiz) {
      out.push(quiz.id);
      quiz.questions.forEach(function (q) { out.push(q.id); out.push.apply(out, q.choices); out.push.apply(out, q.targets || []); });
    });
    return out;
  }

  function tokenLength(module) {
    var all = ids(module).filter(function (id, i, list) { return list.indexOf(id) === i; });
    for (var length = MIN_TOKEN; length < MAX_TOKEN; length++) {
      var seen = {};
      if (all.every(function (id) { var t = token(id, length); return seen[t] ? false : (seen[t] = true); })) return length;
    }
    return MAX_TOKEN;
  }

  /* token -> id for `list` at `length`; a token two ids share maps to nothing. */
  function lookup(list, length) {
    var map = {};
    list.forEach(function (id) {
      var t = token(id, length);
      map[t] = Object.prototype.hasOwnProperty.call(map, t) && map[t] !== id ? null : id;
    });
    return function (t) { return Object.prototype.hasOwnProperty.call(map, t) ? map[t] : null; };
  }

  function chunks(text, length) {
    var out = [];
    for (var i = 0; i + length <= text.length; i += length) out.push(text.slice(i, i + length));
    return out;
  }

  /* Typed text as suspend_data can hold it: a-z and 0-9 as they are, a space as "_", and any other
     character as "'" and its code point in four base-36 digits. */
  function text(value) {
    return Array.from(String(value)).map(function (c) {
      return /[a-z0-9]/.test(c) ? c : c === ' ' ? '_' : "'" + ('0000' + b36(c.codePointAt(0))).slice(-4);
    }).join('');
  }
  function untext(value) {
    return value.replace(/'([0-9a-z]{4})|_/g, function (all, code) {
      return code ? String.fromCodePoint(parseInt(code, 36)) : ' ';
    });
  }

  /* One answer: the question's token, then its response (see the format above). */
  function answer(a, question, L, typed) {
    var body = question.kind === 'fill-in' ? (typed && a.response.length ? ':' + text(a.response[0]) : '') :
      a.response.map(function (value) {
        return String(value).split('.').map(function (id) { return token(id, L); }).join('');
      }).join('');
    return token(a.id, L) + body + (a.correct ? '' : '!');
  }

  /* The record of `module` in `data`. What fill-in answers say is left out when keeping it would make the
     record longer than `limit` (the LMS's, when given): their verdicts and everything else are kept. */
  function encode(data, module, limit) {
    var full = encodeWith(data, module, true);
    return limit && full.length > limit ? encodeWith(data, module, false) : full;
  }

  function encodeWith(data, module, typed) {
    var L = tokenLength(module);
    var m = data.modules[module.id] || { visited: {}, quizzes: {} };
    var pages = module.pages.map(function (p) { return p.id; });
    var quizzes = module.quizzes.filter(function (quiz) { return m.quizzes[quiz.id]; }).map(function (quiz) {
      var q = m.quizzes[quiz.id];
      var answers = (q.last && q.last.questions ? q.last.questions : []).filter(function (a) {
        var question = quiz.questions.filter(function (x) { return x.id === a.id; })[0];
        // A fill-in verdict whose text was left out of an earlier record has no response, and is kept.
        return question && (a.response.length || question.kind === 'fill-in');
      }).map(function (a) {
        return answer(a, quiz.questions.filter(function (x) { return x.id === a.id; })[0], L, typed);
      });
      var best = q.best;
      var scale = quiz.partial ? 100 : 1;   // part marks are kept in hundredths
      return [token(quiz.id, L), b36(Math.min(q.attempts, MAX_ATTEMPTS)), best ? b36(Math.round(best.raw * scale)) : '',
        best ? b36(best.max * scale) : '',
        best ? (best.passed ? '1' : '0') : '', answers.join('-')].join('.');
    });
    return ['2', String(L), m.location && pages.indexOf(m.location) >= 0 ? token(m.location, L) : '',
      seen(module).filter(function (p) { return m.visited[p]; }).map(function (p) { return token(p, L); }).join(''),
      typeof data.seed === 'number' ? b36(data.seed) : '', quizzes.join('~')].concat(
      /^[0-9a-z]{1,16}$/.test(module.version || '') ? [module.version] : []).join('|');
  }

  function emptyModule() {
    return { visited: {}, location: null, quizzes: {}, total_time: 0, session_time: 0, completed_at: null, updated: 1 };
  }

  function record(courseId, module, m, seed) {
    var out = { schema: 1, course: courseId, seed: seed, updated: 1,
      location: m.location ? { page: module.id + '/' + m.location, at: 1 } : null, modules: {}, reflections: {} };
    out.modules[module.id] = m;
    return out;
  }

  /* A last attempt rebuilt from its answers, scored as the quiz component scores it. */
  function attempt(quiz, questions) {
    if (!questions.length) return null;
    var raw = questions.filter(function (q) { return q.correct; }).length;   // whole answers (part marks are not kept per answer)
    return { quizId: quiz.id, key: quiz.key, questions: questions, passMark: quiz.passMark,
      score: { raw: raw, min: 0, max: questions.length, scaled: raw / questions.length },
      passed: raw * 100 >= quiz.passMark * questions.length, timestamp: '' };
  }

  /* A question's response from what follows its token; [] when it cannot be read for this question. */
  function responseOf(question, rest, L) {
    if (question.kind === 'fill-in') return rest.charAt(0) === ':' && rest.length > 1 ? [untext(rest.slice(1))] : [];
    var choiceOf = lookup(question.choices, L);
    var tokens = chunks(rest, L);
    if (question.kind !== 'matching') return tokens.map(choiceOf).filter(Boolean);
    var targetOf = lookup(question.targets || [], L);
    var pairs = [];
    for (var i = 0; i + 1 < tokens.length; i += 2) {
      if (choiceOf(tokens[i]) && targetOf(tokens[i + 1])) pairs.push(choiceOf(tokens[i]) + '.' + targetOf(tokens[i + 1]));
    }
    return pairs;
  }

  function decode2(parts, module, courseId) {
    var L = parseInt(parts[1], 10);
    if (!(L >= 1 && L <= 8)) return null;
    var page = lookup(module.pages.map(function (p) { return p.id; }), L);
    var visited = lookup(seen(module), L);
    var quizOf = lookup(module.quizzes.map(function (q) { return q.id; }), L);
    var m = emptyModule();
    m.location = page(parts[2]);
    chunks(parts[3], L).forEach(function (t) { var id = visited(t); if (id) m.visited[id] = 1; });
    (parts[5] ? parts[5].split('~') : []).forEach(function (entry) {
      var f = entry.split('.');
      var quizId = quizOf(f[0]);
      var quiz = module.quizzes.filter(function (q) { return q.id === quizId; })[0];
      if (!quiz || f.length !== 6) return;
      var questionOf = lookup(quiz.questions.map(function (q) { return q.id; }), L);
      var questions = [];
      (f[5] ? f[5].split('-') : []).forEach(function (a) {
        var correct = a.slice(-1) !== '!';
        var body = correct ? a : a.slice(0, -1);
        var question = quiz.questions.filter(function (q) { return q.id === questionOf(body.slice(0, L)); })[0];
        if (!question) return;
        var response = responseOf(question, body.slice(L), L);
        // A fill-in answer whose text was left out to fit the LMS's limit keeps its verdict, with no response.
        if (response.length || (question.kind === 'fill-in' && body.length === L)) {
          questions.push({ id: question.id, kind: question.kind, correct: correct, response: response });
        }
      });
      var scale = quiz.partial ? 100 : 1;
      var raw = parseInt(f[2], 36) / scale, max = parseInt(f[3], 36) / scale;
      m.quizzes[quiz.id] = { attempts: parseInt(f[1], 36) || 0, last: attempt(quiz, questions),
        best: max > 0 && raw >= 0 ? { raw: raw, max: max, scaled: raw / max, passed: f[4] === '1' } : null };
    });
    return record(courseId, module, m, parts[4] ? parseInt(parts[4], 36) : null);
  }

  /* ---- Format 1: positions, valid only for the exact structure it was written for ---- */
  function big(n) { return typeof BigInt === 'function' ? BigInt(n) : n; }
  function unbits(text, count) {
    var out = [];
    var mask = big(0);
    for (var i = 0; i < text.length; i++) mask = mask * big(36) + big(parseInt(text[i], 36));
    for (var j = 0; j < count; j++) if ((mask >> big(j)) & big(1)) out.push(j);
    return out;
  }
  function fingerprint(module) {
    var text = JSON.stringify([module.pages.map(function (p) { return p.id; }), module.quizzes.map(function (q) {
      return [q.id, q.questions.map(function (x) { return [x.id, x.choices]; })];
    })]);
    return ('000000' + b36(fnv(text))).slice(-6);
  }
  function decode1(parts, module, courseId) {
    if (parts.length !== 6 || parts[1] !== fingerprint(module)) return null;
    var pages = module.pages.map(function (p) { return p.id; });
    var m = emptyModule();
    m.location = pages[parseInt(parts[2], 36)] || null;
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
      m.quizzes[quiz.id] = { attempts: parseInt(f[0], 36) || 0, last: attempt(quiz, questions),
        best: f[1] ? { raw: parseInt(f[1], 36), max: shown, scaled: parseInt(f[1], 36) / shown, passed: f[2] === '1' } : null };
    });
    return record(courseId, module, m, parts[4] ? parseInt(parts[4], 36) : null);
  }

  /* The tracker record `text` holds for `module`, or null when it holds nothing readable. */
  function decode(text, module, courseId) {
    var parts = String(text || '').split('|');
    try {
      if (parts[0] === '2' && (parts.length === 6 || parts.length === 7)) return decode2(parts, module, courseId);
      if (parts[0] === '1') return decode1(parts, module, courseId);
    } catch (e) { /* unreadable: treated as no record */ }
    return null;
  }

  /* The content version of the module that wrote `text`, or null when the record does not say. */
  function version(text) {
    var parts = String(text || '').split('|');
    return parts[0] === '2' && parts.length === 7 && /^[0-9a-z]{1,16}$/.test(parts[6]) ? parts[6] : null;
  }

  window.LearnmarkSuspend = { encode: encode, decode: decode, version: version, token: token, tokenLength: tokenLength };
})();
