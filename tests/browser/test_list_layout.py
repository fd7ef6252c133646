"""Lists as the Kazakh inbox draws them at 1366 px: a date breaks between the day and the
time, never inside the number (it showed "02.12.202" over "6 13:16"), and each filter's
choice is shown whole ("Барлық мәртебелер" was cut)."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests.browser.walk import log_in
from tests.conftest import PASSWORD
from tests.factories import make_document

#: the day in every cell of the page's lists, and how many lines each is drawn on
_DAY_LINES = """() => [...document.querySelectorAll('main td')].map(td => {
  const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const at = node.textContent.search(/\\d\\d\\.\\d\\d\\.\\d{4}/);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + 10);
    const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    return [node.textContent.substr(at, 10), tops.size];
  }
  return null;
}).filter(x => x)"""


@pytest.mark.browser
def test_the_inbox_never_breaks_a_date_inside_its_number(app, live_server, browser):
    with app.app_context():
        for n in (1, 2):
            make_document(n=n, author_name="Әбілқайыров Нұрлан Серікұлы",
                          short_content="Бағдаршам орнату туралы ұсыныс " * 3)
        db.session.commit()
    page = browser.new_page(viewport={"width": 1024, "height": 800})
    log_in(page, live_server, "clerk", PASSWORD)
    page.goto(f"{live_server}/language/kk")
    page.goto(f"{live_server}/?show=all")
    days = page.evaluate(_DAY_LINES)
    assert days, "no date in the inbox's list"
    broken = [day for day, lines in days if lines != 1]
    assert not broken, f"dates drawn on more than one line: {broken}"


#: each filter list's chosen text: its width in the list's font, and the room the list has
_CHOICES = """() => [...document.querySelectorAll('.filters select')].map(select => {
  const context = document.createElement('canvas').getContext('2d');
  const style = getComputedStyle(select);
  context.font = style.font;
  const room = select.clientWidth - parseFloat(style.paddingLeft)
    - parseFloat(style.paddingRight) - 24;  /* the arrow and its margin */
  const text = select.selectedOptions[0].text;
  return [text, context.measureText(text).width, room];
})"""


@pytest.mark.browser
def test_the_inbox_filters_show_their_choices_whole(app, live_server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 800})
    log_in(page, live_server, "clerk", PASSWORD)
    page.goto(f"{live_server}/language/kk")
    page.goto(f"{live_server}/")
    choices = page.evaluate(_CHOICES)
    assert len(choices) >= 3
    cut = [text for text, width, room in choices if width > room]
    assert not cut, f"choices cut off: {cut} ({choices})"
