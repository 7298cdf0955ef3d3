/* Learnmark.store: the learner's saved data for this course, on this device.
   One JSON record per course under "learnmark:<course-id>:v1" (every file://
   page shares one origin, so the course id keeps courses apart). Storage may
   be full, disabled or throw (private modes, locked-down PCs, sandboxed
   frames): then data lives in memory for this page and `available` is false,
   and nothing ever throws at the learner. */
(function () {
  'use strict';
  var Learnmark = window.Learnmark = window.Learnmark || {};
  var courseId = document.documentElement.getAttribute('data-course') || 'course';
  var key = 'learnmark:' + courseId + ':v1';
  var memory = {};

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function read() {
    var s = storage();
    try {
      var raw = s && s.getItem(key);
      var data = raw ? JSON.parse(raw) : {};
      return data && typeof data === 'object' ? data : {};
    } catch (e) {
      return {};
    }
  }

  Learnmark.store = {
    available: true,
    get: function (name) {
      var data = read();
      return Object.prototype.hasOwnProperty.call(data, name) ? data[name] : memory[name];
    },
    set: function (name, value) {
      memory[name] = value;
      var s = storage();
      try {
        var data = read();
        data[name] = value;
        s.setItem(key, JSON.stringify(data));
        this.available = true;
      } catch (e) {
        this.available = false;
      }
    },
    all: function () {
      var data = read();
      for (var name in memory) {
        if (!Object.prototype.hasOwnProperty.call(data, name)) data[name] = memory[name];
      }
      return data;
    }
  };

  /* A random number for this learner, kept so that shuffled options and drawn
     questions stay the same on every visit. */
  Learnmark.learnerSeed = function () {
    var seed = Learnmark.store.get('seed');
    if (typeof seed !== 'number') {
      seed = Math.floor(Math.random() * 4294967296);
      Learnmark.store.set('seed', seed);
    }
    return seed;
  };

  /* A deterministic generator of numbers in [0, 1) from a seed and a name. */
  Learnmark.random = function (seed, name) {
    var h = 2166136261 ^ seed;
    for (var i = 0; i < name.length; i++) {
      h = Math.imul(h ^ name.charCodeAt(i), 16777619);
    }
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
