/* Reflection: keeps the learner's answer in this browser (Learnmark.store),
   never anywhere else, and lets them download every reflection of the course
   as one Markdown file. */
(function () {
  'use strict';
  var L = window.Learnmark;
  var SAVE_DELAY = 600;

  function reflections() {
    var data = L.store.all();
    return Object.keys(data).filter(function (name) { return name.indexOf('reflection:') === 0; })
      .map(function (name) { return data[name]; })
      .filter(function (r) { return r && r.answer; })
      .sort(function (a, b) { return a.key < b.key ? -1 : 1; });
  }

  function markdown() {
    var title = document.documentElement.getAttribute('data-course-title') || 'Course';
    var lines = ['# My reflections: ' + title, ''];
    reflections().forEach(function (r) {
      lines.push('## ' + r.page, '', '> ' + r.prompt.replace(/\n/g, '\n> '), '', r.answer, '', '_Last edited ' + r.updated + '_', '');
    });
    return lines.join('\n');
  }

  function download() {
    var blob = new Blob([markdown()], { type: 'text/markdown;charset=utf-8' });
    var link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'my-reflections.md';
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  L.reflections = { all: reflections, markdown: markdown };

  L.register('reflection', function (box) {
    var key = box.getAttribute('data-reflection-key');
    var input = box.querySelector('textarea');
    var status = box.querySelector('.reflection__status');
    var prompt = box.querySelector('.reflection__prompt').textContent.trim();
    var saved = L.store.get('reflection:' + key);
    var timer = null;
    if (saved && saved.answer) input.value = saved.answer;

    function save() {
      clearTimeout(timer);
      timer = null;
      L.store.set('reflection:' + key, {
        key: key,
        page: box.getAttribute('data-page-title'),
        prompt: prompt,
        answer: input.value,
        updated: new Date().toISOString()
      });
      status.textContent = L.store.available ? 'Saved on this device.' :
        'This browser cannot save your reflection. Download it, or copy it somewhere safe, before you leave the page.';
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
