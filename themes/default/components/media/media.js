/* Media: an external video (YouTube, Vimeo) loads nothing from the other site until the learner
   asks for it with a real button; a required item played to its end is recorded; printing opens
   every transcript. */
(function () {
  'use strict';
  var L = window.Learnmark;

  function load(placeholder) {
    var frame = document.createElement('iframe');
    frame.src = placeholder.getAttribute('data-media-embed');
    frame.title = placeholder.getAttribute('data-media-title');
    frame.setAttribute('allow', 'autoplay; fullscreen; picture-in-picture; encrypted-media');
    frame.setAttribute('allowfullscreen', '');
    frame.setAttribute('referrerpolicy', 'strict-origin-when-cross-origin');
    while (placeholder.firstChild) placeholder.removeChild(placeholder.firstChild);
    placeholder.appendChild(frame);
    placeholder.className += ' media__external--loaded';
    frame.focus();
  }

  /* A required item played to its end counts towards the module, like a page seen (Learnmark.tracker). */
  function track(figure) {
    var key = figure.getAttribute('data-media-required');
    var player = figure.querySelector('video, audio');
    var done = figure.querySelector('.media__done');
    if (!key || !player || !L.tracker) return;
    function show() { done.textContent = ' ' + Learnmark.t('Done: you have played it to the end.'); }
    if (L.tracker.hasWatched(key)) show();
    player.addEventListener('ended', function () {
      L.tracker.watched(key);
      show();
    });
  }

  L.register('media', function (figure) {
    track(figure);
    var placeholder = figure.querySelector('.media__external');
    if (!placeholder) return;
    var service = placeholder.getAttribute('data-media-service');
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'button media__load';
    button.textContent = Learnmark.t('Play the video (loads it from %(service)s)', { service: service });
    button.addEventListener('click', function () { load(placeholder); });
    placeholder.insertBefore(button, placeholder.querySelector('.media__external-link'));
  });

  /* Transcripts are printed in full (the stylesheet does this where the browser can style <details>). */
  var opened = [];
  window.addEventListener('beforeprint', function () {
    opened = Array.prototype.filter.call(document.querySelectorAll('details.media__transcript'), function (d) {
      return !d.open;
    });
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener('afterprint', function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
