/* Learnmark's connection to an LMS's SCORM API, shared by the launch page of a
   package (runtime.js) and the launch page of a dispatch package (relay.js).

   LearnmarkLMS.connect(version, done) finds the API by the ADL algorithm (this
   window and its parents, then the opener; every access guarded, since another
   origin's window throws) and calls Initialize. An LMS that is still swapping
   its API (Initialize refused with 103/104, or no API yet) is given RETRIES
   more tries, RETRY_MS apart; what happened is logged. done(lms, null) on
   success, where lms is a session (below); done(null, reason) when there is
   none: reason null when this page was opened on its own (the standalone
   site), "origin" when the API is out of reach behind another origin,
   "silent" when no API answered.

   A session: {version, get(element) -> string, set(element, value) -> bool,
   commit() -> bool, terminate() -> bool}; every failure is logged with the
   LMS's error code. finish(lms, review, started) ends one the way the status
   rules need (see runtime.js). */
(function () {
  'use strict';
  var RETRY_MS = 250, RETRIES = 20, RELAUNCH_AFTER = 4;
  var NAMES = {
    '1.2': { api: 'API', init: 'LMSInitialize', end: 'LMSFinish', get: 'LMSGetValue', set: 'LMSSetValue', commit: 'LMSCommit', error: 'LMSGetLastError', text: 'LMSGetErrorString' },
    '2004': { api: 'API_1484_11', init: 'Initialize', end: 'Terminate', get: 'GetValue', set: 'SetValue', commit: 'Commit', error: 'GetLastError', text: 'GetErrorString' }
  };
  var ELEMENTS = {
    '1.2': { location: 'cmi.core.lesson_location', entry: 'cmi.core.entry', mode: 'cmi.core.lesson_mode', exit: 'cmi.core.exit', session: 'cmi.core.session_time', score: 'cmi.core.score.' },
    '2004': { location: 'cmi.location', entry: 'cmi.entry', mode: 'cmi.mode', exit: 'cmi.exit', session: 'cmi.session_time', score: 'cmi.score.' }
  };

  function log(text, level) { if (window.console) console[level || 'warn']('Learnmark SCORM: ' + text); }
  function ok(result) { return String(result) === 'true'; }

  /* ---- Finding the API (ADL algorithm, bounded, cross-origin safe) ---- */
  function finder(name) {
    var walled = false;   // a window on the way belonged to another origin
    function findIn(win) {
      for (var tries = 0; win && tries < 10; tries++) {
        try { if (win[name]) return win[name]; } catch (e) { walled = true; }
        var parent = null;
        try { parent = win.parent; } catch (e) { parent = null; }
        if (!parent || parent === win) return null;
        win = parent;
      }
      return null;
    }
    return function () {
      walled = false;
      var found = findIn(window);
      if (!found) { try { found = window.opener ? findIn(window.opener) : null; } catch (e) { walled = true; } }
      return { api: found, walled: walled };
    };
  }
  function framed() { try { return window.parent !== window || !!window.opener; } catch (e) { return true; } }

  /* Moodle's player keeps one API object for every SCO of a package, and its SCORM 2004 API can never
     be initialised again once a SCO has terminated (mod/scorm/datamodels/scorm_13.js), so the SCO its
     "next" button opens is refused with 104 for good. Moodle loads each SCO through
     loadSCO.php?a=..&scoid=..&currentorg=..&mode=..; player.php with the same query opens the player
     afresh at this SCO, with an API that can start. A mark in sessionStorage, cleared once Initialize
     succeeds, makes sure a relaunch that did not help is not tried again. */
  var MOODLE_SCO = /^(.*)\/mod\/scorm\/loadSCO\.php\?(.*\bscoid=\d+.*)$/;
  var RELAUNCHED = 'learnmark:relaunched';
  function relaunchInMoodle() {
    try {
      var match = MOODLE_SCO.exec(window.frameElement.getAttribute('src'));
      if (!match || window.sessionStorage.getItem(RELAUNCHED) === match[2]) return false;
      window.sessionStorage.setItem(RELAUNCHED, match[2]);
      log('the LMS API refuses this SCO after another one ended; reopening Moodle\'s player at this SCO', 'info');
      window.top.location.href = match[1] + '/mod/scorm/player.php?' + match[2];
      return true;
    } catch (e) { return false; }   // not Moodle's player, or not reachable from here
  }

  /* The session over a found, initialised API object. */
  function session(api, version) {
    var call = NAMES[version];
    function lastError() {
      try { var code = String(api[call.error]()); return code + ' (' + api[call.text](code) + ')'; } catch (e) { return 'unknown'; }
    }
    function invoke(name, args, what) {
      try { if (ok(api[call[name]].apply(api, args))) return true; } catch (e) { /* reported below */ }
      log(what + ' failed with error ' + lastError());
      return false;
    }
    return {
      version: version,
      get: function (element) {
        try { var value = api[call.get](element); return value === null || value === undefined ? '' : String(value); } catch (e) { return ''; }
      },
      set: function (element, value) { return invoke('set', [element, String(value)], call.set + '(' + element + ', ' + value + ')'); },
      commit: function () { return invoke('commit', [''], call.commit); },
      terminate: function () { return invoke('end', [''], call.end); }
    };
  }

  /* Calls done(session, null) once Initialize succeeds, or done(null, reason) when it will not. */
  function connect(version, done) {
    var call = NAMES[version];
    var find = finder(call.api);
    var tries = 0;
    (function attempt() {
      var found = find();
      var why;
      if (found.api) {
        var result = false;
        try { result = found.api[call.init](''); } catch (e) { result = false; }
        if (ok(result)) {
          try { window.sessionStorage.removeItem(RELAUNCHED); } catch (e) { /* nothing to clear */ }
          if (tries) log(call.init + ' succeeded at try ' + (tries + 1), 'info');
          return done(session(found.api, version), null);
        }
        var code = 'unknown';
        try { code = String(found.api[call.error]()); } catch (e) { /* stays unknown */ }
        why = call.init + ' failed with error ' + code;
        if (tries === RELAUNCH_AFTER && relaunchInMoodle()) return;
      } else if (found.walled) {
        log('the LMS API cannot be reached: a window above this one belongs to another origin, and the browser ' +
          'blocks scripts across origins. Progress is not recorded. Host the package on the LMS itself.');
        return done(null, 'origin');
      } else if (!framed()) {
        return done(null, null);   // opened on its own: the standalone site
      } else {
        why = 'no LMS API (' + call.api + ') in this window, its parents or its opener';
      }
      if (tries === 0) log(why + '; trying again every ' + RETRY_MS + ' ms', 'info');
      if (++tries > RETRIES) { log(why + '; gave up after ' + tries + ' tries. Progress is not recorded.'); return done(null, 'silent'); }
      setTimeout(attempt, RETRY_MS);
    })();
  }

  function pad(n, width) { return ('0000' + n).slice(-width); }
  /* The time since `started` (ms) as the version's session_time. */
  function sessionTime(version, started) {
    var cs = Math.round((Date.now() - started) / 10);
    var h = Math.floor(cs / 360000), min = Math.floor(cs / 6000) % 60, s = Math.floor(cs / 100) % 60, frac = cs % 100;
    if (version === '1.2') return pad(Math.min(h, 9999), 4) + ':' + pad(min, 2) + ':' + pad(s, 2) + '.' + pad(frac, 2);
    return 'PT' + (h ? h + 'H' : '') + (min ? min + 'M' : '') + s + (frac ? '.' + pad(frac, 2) : '') + 'S';
  }

  /* Ends a session: the session time, then Terminate. A review visit writes nothing, and one in
     SCORM 2004 is not terminated at all: Moodle's 2004 Terminate in review mode stores a total_time of
     "P" over the learner's real one (it loads no total_time for review, then adds nothing to it). */
  function finish(lms, review, started) {
    if (review && lms.version !== '1.2') return;
    if (!review) lms.set(ELEMENTS[lms.version].session, sessionTime(lms.version, started));
    lms.terminate();
  }

  window.LearnmarkLMS = { connect: connect, elements: ELEMENTS, finish: finish, sessionTime: sessionTime, log: log, pad: pad };
})();
