<?php
// Run once after installing the test site (by provision.py, before the site is cached).
//
// The one change from a stock site: the MathJax filter is off. It makes every page load MathJax
// from a CDN, and the test machines reach nothing but 127.0.0.1. Nothing else is changed: the
// SCORM settings and every other default stay as Moodle ships them.

require(__DIR__ . '/bootstrap.php');
require_once($CFG->libdir . '/filterlib.php');

filter_set_global_state('mathjaxloader', TEXTFILTER_DISABLED);

lm_result(['mathjaxloader' => 'disabled']);
