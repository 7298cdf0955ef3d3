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
      .filter(function (r) { return r && typeof r.answer === 'string' && r.answer; });
  }

  function text(v) { return typeof v === 'string' ? v : ''; }

  /* Every reflection as Markdown. A stored record may lack any part but its answer. */
  function markdown() {
    var title = document.documentElement.getAttribute('data-course-title') || Learnmark.t('Course');
    var lines = ['# ' + Learnmark.t('My reflections: %(course)s', { course: title }), ''];
    reflections().forEach(function (r) {
      lines.push('## ' + (text(r.page).trim() || Learnmark.t('Reflection')), '');
      if (text(r.prompt).trim()) lines.push('> ' + text(r.prompt).replace(/\n/g, '\n> '), '');
      lines.push(r.answer, '');
      var edited = typeof r.updated_at === 'number' ? new Date(r.updated_at) : null;
      if (edited && isFinite(edited.getTime()) && r.updated_at > 0) {
        // Translators: in the downloaded Markdown file; the date is written 2026-11-27.
        lines.push('_' + Learnmark.t('Last edited %(date)s', { date: edited.toISOString().slice(0, 10) }) + '_', '');
      }
    });
    return lines.join('\n');
  }

  function download() {
    // Translators: the name of the file of reflections the learner downloads (keep it short, no spaces or slashes).
    L.download(Learnmark.t('my-reflections.md'), 'text/markdown;charset=utf-8', markdown());
  }

  L.reflections = { all: reflections, markdown: markdown, download: download };

  L.register('reflection', function (box) {
    var key = box.getAttribute('data-reflection-key');
    var input = box.querySelector('textarea');
    var status = box.querySelector('.reflection__status');
    var prompt = box.querySelector('.reflection__prompt').textContent.trim();
    var saved = L.tracker.reflection(key);
    var timer = null;
    var CANNOT_TEXT = Learnmark.t('This browser cannot save your reflection. Download it, or copy it somewhere safe, ' +
      'before you leave the page.');
    var NEWER = Learnmark.t('A newer version of this course saved your progress, so this page cannot save your ' +
      'reflection. Reload the page, or download your reflection, before you leave.');
    function cannot() { return L.tracker.problem === 'newer' ? NEWER : CANNOT_TEXT; }
    if (saved && typeof saved.answer === 'string') input.value = saved.answer;
    if (!L.tracker.reflectionsKept) status.textContent = cannot();

    function save() {
      clearTimeout(timer);
      timer = null;
      var ok = L.tracker.saveReflection({
        key: key,
        page: box.getAttribute('data-page-title'),
        prompt: prompt,
        answer: input.value
      });
      status.textContent = ok ? Learnmark.t('Saved on this device.') : cannot();
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
