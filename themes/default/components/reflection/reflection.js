/* Reflection: keeps the learner's answer in this browser (Learnmark.tracker),
   never anywhere else, and lets them download every reflection of the course
   as one Markdown file. */
(function () {
  'use strict';
  var L = window.Learnmark;
  var SAVE_DELAY = 600;

  function reflections() {
    var all = L.tracker.data().reflections;
    return Object.keys(all).sort().map(function (key) { return all[key]; })
      .filter(function (r) { return r && r.answer; });
  }

  function markdown() {
    var title = document.documentElement.getAttribute('data-course-title') || 'Course';
    var lines = ['# My reflections: ' + title, ''];
    reflections().forEach(function (r) {
      lines.push('## ' + r.page, '', '> ' + r.prompt.replace(/\n/g, '\n> '), '', r.answer, '',
        '_Last edited ' + new Date(r.updated_at).toISOString().slice(0, 10) + '_', '');
    });
    return lines.join('\n');
  }

  function download() {
    L.download('my-reflections.md', 'text/markdown;charset=utf-8', markdown());
  }

  L.reflections = { all: reflections, markdown: markdown, download: download };

  L.register('reflection', function (box) {
    var key = box.getAttribute('data-reflection-key');
    var input = box.querySelector('textarea');
    var status = box.querySelector('.reflection__status');
    var prompt = box.querySelector('.reflection__prompt').textContent.trim();
    var saved = L.tracker.reflection(key);
    var timer = null;
    var CANNOT = 'This browser cannot save your reflection. Download it, or copy it somewhere safe, before you leave the page.';
    if (saved && saved.answer) input.value = saved.answer;
    if (!L.tracker.reflectionsKept) status.textContent = CANNOT;

    function save() {
      clearTimeout(timer);
      timer = null;
      var ok = L.tracker.saveReflection({
        key: key,
        page: box.getAttribute('data-page-title'),
        prompt: prompt,
        answer: input.value
      });
      status.textContent = ok ? 'Saved on this device.' : CANNOT;
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(save, SAVE_DELAY);
    });
    input.addEventListener('blur', function () { if (timer) save(); });
    window.addEventListener('pagehide', function () { if (timer) save(); });
    box.querySelector('.reflection__download').addEventListener('click', function () {
      if (timer) save();
      download();
    });
  });
})();
