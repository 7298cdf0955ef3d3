"""Learnmark.register: components are set up one by one, and one that fails leaves the others working."""

from __future__ import annotations


def test_a_component_that_throws_does_not_stop_the_others(page, base_url):
    page.goto(base_url + "index.html")
    logged = []
    page.on("console", lambda m: logged.append(m.text) if m.type == "error" else None)
    ready = page.evaluate("""() => {
        for (const name of ['broken', 'broken', 'fine']) {
            const el = document.createElement('div');
            el.setAttribute('data-module', name);
            document.body.appendChild(el);
        }
        let calls = 0;
        Learnmark.register('broken', () => { calls += 1; throw new Error('boom'); });
        Learnmark.register('fine', el => { el.textContent = 'set up'; });
        return [calls, document.querySelector('[data-module="fine"]').textContent];
    }""")
    assert ready == [2, "set up"], "each element is set up, and register returns to the next component"
    assert any("Learnmark broken" in text for text in logged)
