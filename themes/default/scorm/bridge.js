/* The hosted side of a dispatch package: an LMS session held by another window.

   A dispatch package's launch page (scorm/relay.js, on the LMS's origin)
   frames `<module>/dispatch.html` of the hosted site, which runs the same
   runtime as a package's launch page (scorm/runtime.js). This script gives
   that runtime its session across origins, by postMessage, in the Learnmark
   dispatch protocol, version 1. Every message is an object
   {protocol: "learnmark-dispatch", v: 1, type, ...}:

     launch page -> hosted   hello   {scorm: "1.2"|"2004", module}
                             session {lms: bool, reason: null|"origin"|"silent", values: {element: text}}
                             error   {message}
     hosted -> launch page   ready   {module, content}   the answer to hello; content is the module's version
                             set     {element, value}
                             commit  {}
                             terminate {}

   This page sends nothing until its own parent window has said hello for
   this module, and from then on sends only to that window, at the origin the
   hello came from. It ignores every message that is not from its parent, not
   from that origin, or not valid. The session's values are what the launch
   page read from the LMS; the runtime's writes go back as set and commit.
   Opened on its own, or framed by a page that never says hello (within
   HELLO_WAIT of loading), it runs as the standalone site. */
(function () {
  'use strict';
  var PROTOCOL = 'learnmark-dispatch', V = 1;
  var HELLO_WAIT = 3000;
  var settings = JSON.parse(document.getElementById('lm-scorm-settings').textContent);
  var own = Object.prototype.hasOwnProperty;
  var framed = false;
  try { framed = window.parent !== window; } catch (e) { framed = true; }

  function message(data, type) {
    return !!data && typeof data === 'object' && data.protocol === PROTOCOL && data.v === V && data.type === type;
  }
  function readValues(values) {
    if (!values || typeof values !== 'object') return null;
    var out = {};
    for (var key in values) {
      if (!own.call(values, key)) continue;
      if (!/^cmi\.[a-z_.0-9]{1,120}$/.test(key) || typeof values[key] !== 'string' || values[key].length > 65536) return null;
      out[key] = values[key];
    }
    return out;
  }

  /* This module's content version, from the course.js this page loads first. */
  function content() {
    var course = window.LearnmarkCourse || { modules: [] };
    var module = course.modules.filter(function (m) { return m.id === settings.module; })[0];
    return module && module.version ? module.version : 'unknown';
  }

  function connect(done) {
    if (!framed) return done(null, null);
    var parentOrigin = null, scorm = null, settled = false, waiting = null;

    function send(type, fields) {
      var data = { protocol: PROTOCOL, v: V, type: type };
      for (var key in fields) if (own.call(fields, key)) data[key] = fields[key];
      window.parent.postMessage(data, parentOrigin);
    }
    function finish(session, reason) {
      if (settled) return;
      settled = true;
      clearTimeout(waiting);
      done(session, reason);
    }
    function remote(values) {
      var closed = false;
      return {
        version: scorm,
        get: function (element) { return own.call(values, element) ? values[element] : ''; },
        set: function (element, value) {
          if (closed) return false;
          values[element] = String(value);
          send('set', { element: element, value: String(value) });
          return true;
        },
        commit: function () { if (!closed) send('commit', {}); return !closed; },
        terminate: function () { if (!closed) send('terminate', {}); closed = true; return true; }
      };
    }

    window.addEventListener('message', function (event) {
      if (event.source !== window.parent) return;
      var data = event.data;
      if (parentOrigin === null) {
        if (settled || !message(data, 'hello') || data.module !== settings.module ||
            (data.scorm !== '1.2' && data.scorm !== '2004') || !/^https?:\/\//.test(event.origin)) return;
        parentOrigin = event.origin;
        scorm = data.scorm;
        clearTimeout(waiting);
      }
      if (event.origin !== parentOrigin) return;
      if (message(data, 'hello')) {   // said again until the answer arrives
        if (data.module === settings.module && data.scorm === scorm) send('ready', { module: settings.module, content: content() });
      } else if (message(data, 'session') && !settled) {
        var values = readValues(data.values);
        if (typeof data.lms !== 'boolean' || !values) return;
        if (data.lms) finish(remote(values), null);
        else finish(null, data.reason === 'origin' || data.reason === 'silent' ? data.reason : null);
      } else if (message(data, 'error') && typeof data.message === 'string') {
        window.LearnmarkLMS.log('the launch page says: ' + data.message.slice(0, 500));
      }
    });
    // Framed by a page that is not a dispatch launch page: the standalone site.
    function wait() { waiting = setTimeout(function () { if (parentOrigin === null) finish(null, null); }, HELLO_WAIT); }
    if (document.readyState === 'complete') wait(); else window.addEventListener('load', wait);
  }

  window.LearnmarkDispatch = { connect: connect };
})();
