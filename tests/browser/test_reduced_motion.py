"""With prefers-reduced-motion: reduce, nothing moves (WCAG 2.3.3, and comfort for many)."""

from __future__ import annotations

import pytest

MAX_SECONDS = 0.01

FIND_MOTION = """
(maxSeconds) => {
  const seconds = (list) => list.split(',').map(s => {
    s = s.trim();
    return s.endsWith('ms') ? parseFloat(s) / 1000 : parseFloat(s) || 0;
  });
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const found = [];
  const check = (el, pseudo) => {
    const cs = getComputedStyle(el, pseudo);
    const t = Math.max(...seconds(cs.transitionDuration));
    if (t > maxSeconds && cs.transitionProperty !== 'none') {
      found.push(`${name(el)}${pseudo || ''}: transition ${cs.transitionProperty} ${cs.transitionDuration}`);
    }
    const a = Math.max(...seconds(cs.animationDuration));
    if (a > maxSeconds && cs.animationName !== 'none') {
      found.push(`${name(el)}${pseudo || ''}: animation ${cs.animationName} ${cs.animationDuration}`);
    }
  };
  for (const el of document.querySelectorAll('*')) {
    check(el, null);
    check(el, '::before');
    check(el, '::after');
  }
  if (getComputedStyle(document.documentElement).scrollBehavior === 'smooth') {
    found.push('html: scroll-behavior: smooth');
  }
  const counts = new Map();
  for (const f of found) counts.set(f, (counts.get(f) || 0) + 1);
  return [...counts].map(([f, n]) => n > 1 ? `${f} (x${n})` : f);
}
"""


@pytest.mark.parametrize("kind", ["home", "content"])
def test_no_motion_when_reduced_motion_is_asked_for(new_context, base_url, site, kind):
    name = site.home if kind == "home" else site.first_content_page
    page = new_context(reduced_motion="reduce").new_page()
    page.goto(base_url + name)
    found = page.evaluate(FIND_MOTION, MAX_SECONDS)
    assert not found, (
        f"{name} still moves with prefers-reduced-motion: reduce (durations over {MAX_SECONDS}s):\n" + "\n".join(found)
    )
