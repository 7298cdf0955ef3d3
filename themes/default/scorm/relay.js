/* The launch page of a dispatch package: it owns the LMS session, and the
   module it shows is the one published on the course's own site.

   It connects to the LMS (scorm/lms.js) and frames `<module>/dispatch.html`
   at the site's address, which runs the module's runtime there and speaks the
   Learnmark dispatch protocol (described in scorm/bridge.js) with this page.
   Once the frame has loaded, this page says hello until the hosted page
   answers; only then are the LMS's values sent to it, and its writes (set,
   commit, terminate) passed to the LMS.

   What this page accepts is narrow: messages from the frame it opened, at the
   origin of the site's address, in the protocol, writing only the elements
   the runtime writes, and nothing after the session ended or in review mode.
   What it sends goes only to that origin (postMessage's targetOrigin), so if
   the frame has been navigated anywhere else, nothing reaches it.

   When the site cannot be reached (no answer READY_WAIT after the frame
   loaded, or no load within LOAD_WAIT), the learner is told so and offered to
   try again, and nothing is written to the LMS: the session is not even
   terminated, so no visit is recorded. When the page is left, the session is
   finished here (the hosted page unloads after this one and cannot). */
(function () {
  'use strict';
  var PROTOCOL = 'learnmark-dispatch', V = 1;
  var HELLO_EVERY = 200, READY_WAIT = 4000, LOAD_WAIT = 40000, MAX_VALUE = 65536;
  var LMS = window.LearnmarkLMS;
  var settings = JSON.parse(document.getElementById('lm-scorm-settings').textContent);
  var frame = document.getElementById('lm-content');
  var problem = document.getElementById('lm-unreachable');
  var problemText = document.getElementById('lm-unreachable-text');
  var retry = document.getElementById('lm-retry');
  var v12 = settings.version === '1.2';
  var CMI = LMS.elements[settings.version];
  /* What the runtime reads at the start of a session, and the only elements it may write. */
  var READ = (v12 ? ['cmi.core.lesson_status'] : ['cmi.completion_status', 'cmi.success_status', 'cmi.progress_measure'])
    .concat([CMI.location, CMI.entry, CMI.mode, 'cmi.suspend_data', CMI.score + 'raw', 'cmi.interactions._count']);
  var WRITABLE = v12
    ? /^cmi\.(core\.(lesson_status|lesson_location|exit|session_time|score\.(raw|min|max))|suspend_data|interactions\.\d{1,4}\.(id|type|result|student_response|time|correct_responses\.0\.pattern))$/
    : /^cmi\.(completion_status|success_status|progress_measure|location|exit|session_time|suspend_data|score\.(raw|min|max|scaled)|interactions\.\d{1,4}\.(id|type|result|learner_response|timestamp|correct_responses\.0\.pattern))$/;

  var lms = null, connected = false, reason = null, review = false;
  var listening = false;     // waiting for the hosted page's answer: not once it was given up on
  var answered = false, sessionSent = false, ended = false;
  var started = Date.now();
  var helloTimer = null, giveUp = null;
  var host = settings.origin.replace(/^https?:\/\//, '');

  function post(type, fields) {
    var data = { protocol: PROTOCOL, v: V, type: type };
    for (var key in fields) if (Object.prototype.hasOwnProperty.call(fields, key)) data[key] = fields[key];
    try { frame.contentWindow.postMessage(data, settings.origin); } catch (e) { /* the frame is gone */ }
  }

  function startSession() {
    if (!answered || !connected || sessionSent) return;
    sessionSent = true;
    var values = {};
    if (lms) READ.forEach(function (element) { values[element] = lms.get(element); });
    post('session', { lms: !!lms, reason: reason, values: values });
  }

  function stopWaiting() { clearInterval(helloTimer); clearTimeout(giveUp); helloTimer = giveUp = null; }

  function unreachable() {
    stopWaiting();
    if (answered) return;
    listening = false;
    frame.hidden = true;
    frame.removeAttribute('src');
    problemText.textContent = Learnmark.t('This module could not be loaded from %(host)s, so nothing has been ' +
      'recorded. Check that you are connected to the internet, then try again. If it still does not load, your ' +
      'organisation\'s network may be blocking %(host)s: please tell your learning and development team.', { host: host });
    problem.hidden = false;
    LMS.log('no answer from ' + settings.url + ': nothing recorded');
  }

  function open() {
    stopWaiting();
    problem.hidden = true;
    frame.hidden = false;
    listening = true;
    giveUp = setTimeout(unreachable, LOAD_WAIT);
    frame.src = settings.url;
  }

  frame.addEventListener('load', function () {
    if (answered || !frame.getAttribute('src')) return;
    stopWaiting();
    post('hello', { scorm: v12 ? '1.2' : '2004', module: settings.module });
    helloTimer = setInterval(function () { post('hello', { scorm: v12 ? '1.2' : '2004', module: settings.module }); }, HELLO_EVERY);
    giveUp = setTimeout(unreachable, READY_WAIT);
  });

  function refuse(what) {
    LMS.log('refused a message from the module: ' + what, 'info');
    post('error', { message: 'refused: ' + what });
  }

  window.addEventListener('message', function (event) {
    if (event.source !== frame.contentWindow || event.origin !== settings.origin) return;
    var data = event.data;
    if (!data || typeof data !== 'object' || data.protocol !== PROTOCOL || data.v !== V) return;
    if (data.type === 'ready') {
      if (answered || !listening || data.module !== settings.module || typeof data.content !== 'string' || !/^[0-9a-z]{1,16}$/.test(data.content)) return;
      answered = true;
      stopWaiting();
      if (data.content !== settings.content) {
        LMS.log('the module on ' + host + ' is version ' + data.content + ' (this package was made at ' + settings.content + ')', 'info');
      }
      startSession();
      return;
    }
    if (!sessionSent || !lms || ended) return;
    if (data.type === 'set') {
      if (typeof data.element !== 'string' || !WRITABLE.test(data.element)) return refuse('writing ' + String(data.element).slice(0, 80));
      if (typeof data.value !== 'string' || data.value.length > MAX_VALUE) return refuse('a value for ' + data.element);
      if (review) return refuse('writing in ' + lms.get(CMI.mode) + ' mode');
      if (!lms.set(data.element, data.value)) post('error', { message: 'the LMS refused ' + data.element });
    } else if (data.type === 'commit') {
      if (!review) lms.commit();
    } else if (data.type === 'terminate') {
      ended = true;
      lms.terminate();
    }
  });

  window.addEventListener('pagehide', function () {
    if (!lms || !sessionSent || ended) return;
    ended = true;
    LMS.finish(lms, review, started);
  });

  retry.addEventListener('click', open);
  LMS.connect(settings.version, function (session, why) {
    lms = session;
    reason = why;
    connected = true;
    if (lms) review = /^(browse|review)$/.test(lms.get(CMI.mode));
    startSession();
  });
  open();
})();
