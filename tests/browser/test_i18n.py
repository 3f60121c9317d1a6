"""The widget's languages in headless Chromium: the demo in Czech and Polish, the order in which the
language is chosen, `setLocale` switching an open panel live without losing what was typed, plural
forms, a right-to-left pseudo-locale mirroring the layout, and support hours on the site's clock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import FRAME, LAUNCHER, RECORDER, Demo, _free_port, _wait_for, open_panel
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

LOCALES = ROOT / "widget" / "locales"
# Queued before the loader arrives, as the embed snippet's stub does: the loader boots with it.
BOOT_IN = ("window.HelpMenu=function(){(HelpMenu.q=HelpMenu.q||[]).push(arguments)};"
           "HelpMenu('boot',{locale:'%s'});")


def strings(lang: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((LOCALES / f"{lang}.json").read_text("utf-8"))
    return loaded


def tab_labels(panel: Any) -> list[str]:
    return [text.strip() for text in panel.locator("nav .tab span").all_inner_texts()]


def expected_tabs(lang: str) -> list[str]:
    s = strings(lang)
    return [s[f"nav.{name}"] for name in ("faq", "chat", "request", "history", "contact")]


@pytest.fixture
def make_page(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def make(locale: str = "en-US", timezone: str | None = None) -> Any:
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale=locale,
                                      timezone_id=timezone)
        context.add_init_script(RECORDER)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    errors: list[str] = []
    yield make
    for context in contexts:
        context.close()
    assert errors == []


def test_the_demo_in_czech(demo: Demo, make_page: Any, tmp_path: Path) -> None:
    page = make_page()
    page.add_init_script(BOOT_IN % "cs")
    page.goto(demo.host + "/")
    cs = strings("cs")
    assert page.locator(LAUNCHER).inner_text().strip() == cs["loader.launcher"]
    panel = open_panel(page)
    assert tab_labels(panel) == expected_tabs("cs")
    html = panel.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("cs", "ltr")
    assert panel.locator("h2").first.inner_text() == cs["faq.title"]
    assert panel.locator("header .close").get_attribute("aria-label") == cs["panel.close"]
    panel.locator("nav .tab[data-section=request]").click()
    panel.locator("form.rq").wait_for()
    labels = panel.locator("form.rq label").all_inner_texts()
    assert cs["request.subject"] in labels and cs["request.message"] in labels
    assert panel.locator("form.rq button[type=submit]").inner_text() == cs["request.send"]
    assert [e["detail"]["locale"] for e in page.evaluate("window.__hm") if e["event"] == "ready"] == ["cs"]
    page.screenshot(path=str(tmp_path / "cs.png"))


def test_polish_from_the_browser_when_the_page_language_is_not_shipped(demo: Demo, make_page: Any) -> None:
    page = make_page(locale="pl-PL")
    # The host app says German, which HelpMenu does not ship: the browser's Polish comes next.
    page.add_init_script(
        "new MutationObserver((_, observer) => { if (document.documentElement) {"
        " document.documentElement.lang = 'de'; observer.disconnect(); } })"
        ".observe(document, {childList: true});"
    )
    page.goto(demo.host + "/")
    assert page.evaluate("document.documentElement.lang") == "de"
    assert page.locator(LAUNCHER).inner_text().strip() == strings("pl")["loader.launcher"]
    panel = open_panel(page)
    assert tab_labels(panel) == expected_tabs("pl")
    assert panel.locator("html").get_attribute("lang") == "pl"


def test_the_page_language_beats_the_browser(demo: Demo, make_page: Any) -> None:
    page = make_page(locale="pl-PL")
    page.goto(demo.host + "/")  # <html lang="uk">
    panel = open_panel(page)
    assert tab_labels(panel) == expected_tabs("uk")


def test_set_locale_switches_live_and_keeps_what_was_typed(
    demo: Demo, make_page: Any, tmp_path: Path
) -> None:
    page = make_page()
    page.goto(demo.host + "/")
    panel = open_panel(page)
    assert tab_labels(panel) == expected_tabs("uk")
    # Look at the history, type into the chat form and the request form, stay on the request.
    panel.locator("nav .tab[data-section=history]").click()
    panel.locator("[data-view=history] h2").first.wait_for()
    panel.locator("[data-view=history]").evaluate("el => { el.__kept = true; }")
    panel.locator("nav .tab[data-section=chat]").click()
    panel.locator("#hm-chat-name").fill("Jana Nováková")
    panel.locator("#hm-chat-question").fill("Nejde vytisknout fakturu")
    panel.locator("nav .tab[data-section=request]").click()
    panel.locator("form.rq").wait_for()
    panel.locator("form.rq input[name=subject]").fill("Faktura se netiskne")
    panel.locator("form.rq textarea[name=message]").fill("Po kliknutí na Tisk se nic nestane.")
    panel.locator("form.rq select[name=importance]").select_option("high")
    # The views are the same elements after the switch: nothing was drawn anew.
    panel.locator("[data-view=chat]").evaluate("el => { el.__kept = true; }")
    panel.locator("[data-view=request]").evaluate("el => { el.__kept = true; }")

    page.evaluate("HelpMenu('setLocale', 'cs')")
    cs = strings("cs")
    panel.locator("html[lang=cs]").wait_for(state="attached")
    assert tab_labels(panel) == expected_tabs("cs")
    assert page.locator(LAUNCHER).inner_text().strip() == cs["loader.launcher"]
    assert page.locator(FRAME).get_attribute("title") == cs["loader.panel_title"]
    form = panel.locator("form.rq")
    assert form.locator("h2").inner_text() == cs["request.title"]
    assert cs["request.subject"] in form.locator("label").all_inner_texts()
    chosen = form.locator("select[name=importance] option:checked")
    assert chosen.inner_text() == cs["request.importance.high"]
    assert form.locator("input[name=subject]").input_value() == "Faktura se netiskne"
    assert form.locator("textarea[name=message]").input_value() == "Po kliknutí na Tisk se nic nestane."
    assert panel.locator("[data-view=request]").evaluate("el => el.__kept === true")
    assert not panel.locator("[data-view=request]").is_hidden()
    page.screenshot(path=str(tmp_path / "switched-cs.png"))

    panel.locator("nav .tab[data-section=chat]").click()
    assert panel.locator("[data-view=chat]").evaluate("el => el.__kept === true")
    assert panel.locator("#hm-chat-name").input_value() == "Jana Nováková"
    assert panel.locator("#hm-chat-question").input_value() == "Nejde vytisknout fakturu"
    assert panel.locator("[data-view=chat] h2").first.inner_text() == cs["chat.title"]

    # The history held nothing typed: it is drawn anew, its dates formatted in Czech.
    panel.locator("nav .tab[data-section=history]").click()
    panel.locator("[data-view=history] h2").first.wait_for()
    assert panel.locator("[data-view=history]").evaluate("el => el.__kept === undefined")
    panel.locator("nav .tab[data-section=chat]").click()

    # And on to Polish, then a language not shipped: the page's own (Ukrainian) comes next.
    page.evaluate("HelpMenu('setLocale', 'pl')")
    panel.locator("html[lang=pl]").wait_for(state="attached")
    assert tab_labels(panel) == expected_tabs("pl")
    assert panel.locator("#hm-chat-name").input_value() == "Jana Nováková"
    page.evaluate("HelpMenu('setLocale', 'xx')")
    panel.locator("html[lang=uk]").wait_for(state="attached")
    assert tab_labels(panel) == expected_tabs("uk")


def _polish_form(n: int) -> str:
    if n == 1:
        return "one"
    return "few" if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14) else "many"


def _ukrainian_form(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "one"
    return "few" if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14) else "many"


def _load_module(page: Any, source: Path, names: str) -> None:
    """The widget's own ES module, run as it is in the panel, its exports put on window.__m."""
    code = source.read_text("utf-8") + f"\nwindow.__m = {{ {names} }};"
    page.add_script_tag(content=code, type="module")
    page.wait_for_function("window.__m")


def test_plural_forms_follow_the_language(make_page: Any) -> None:
    page = make_page()
    page.goto("about:blank")
    _load_module(page, ROOT / "widget" / "js" / "panel" / "i18n.js", "createI18n")
    counts = [1, 2, 4, 5, 11, 12, 21, 22, 25, 101, 112]
    said = page.evaluate(
        """([all, counts]) => Object.fromEntries(Object.entries(all).map(([lang, strings]) => {
             const { t } = window.__m.createI18n(lang, strings);
             return [lang, counts.map((n) => [t('faq.found', { count: n }), t('chat.minutes', { n })])];
           }))""",
        [{lang: strings(lang) for lang in ("uk", "pl", "cs", "en")}, counts],
    )
    for lang, form in (("uk", _ukrainian_form), ("pl", _polish_form)):
        for n, (found, minutes) in zip(counts, said[lang], strict=True):
            assert found == strings(lang)["faq.found"][form(n)].replace("{count}", str(n)), (lang, n)
            assert minutes == strings(lang)["chat.minutes"][form(n)].replace("{n}", str(n)), (lang, n)
    assert said["uk"][1][0] == "Знайдено 2 статті" and said["uk"][3][0] == "Знайдено 5 статей"
    assert said["pl"][1][1] == "2 minuty" and said["pl"][3][1] == "5 minut"
    assert said["pl"][7][1] == "22 minuty"
    assert said["cs"][2][1] == "4 minuty" and said["cs"][3][1] == "5 minut"
    assert said["en"][0][0] == "1 article found" and said["en"][1][0] == "2 articles found"


def test_the_faq_counts_its_results_in_polish(demo: Demo, make_page: Any) -> None:
    page = make_page()
    page.add_init_script(BOOT_IN % "pl")
    page.goto(demo.host + "/")
    panel = open_panel(page)
    panel.locator(".faq-cat").first.wait_for()
    panel.locator("input.faq-input").fill("бронювання")
    panel.locator(".faq-result").first.wait_for()
    status = panel.locator("[data-view=faq] p.sr[role=status]")
    status.filter(has_text="Znaleziono").wait_for(state="attached")
    n = panel.locator(".faq-result").count()
    assert status.text_content() == strings("pl")["faq.found"][_polish_form(n)].replace("{count}", str(n))


# ---- right to left ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rtl_demo(widget_bundle: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The demo with an Arabic-script pseudo-locale added through HELPMENU_WIDGET_LOCALES: English
    texts marked right-to-left. It exists only for this test; users never get it."""
    data_dir = tmp_path_factory.mktemp("rtl-demo")
    extra = data_dir / "locales"
    extra.mkdir()
    def rtl(text: str) -> str:
        return f"\u202b{text}\u202c"  # right-to-left embedding ... pop
    pseudo = {key: {f: rtl(t) for f, t in value.items()} if isinstance(value, dict) else rtl(value)
              for key, value in strings("en").items()}
    (extra / "ar-XB.json").write_text(json.dumps(pseudo, ensure_ascii=False), "utf-8")
    port, example_port = _free_port(), _free_port()
    env = {**os.environ, "HELPMENU_WIDGET_LOCALES": str(extra)}
    log = (data_dir / "demo.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "helpmenu.cli", "demo", "--data-dir", str(data_dir), "--port", str(port),
         "--example-port", str(example_port)], stdout=log, stderr=subprocess.STDOUT, env=env, text=True)
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz", proc)
        _wait_for(f"http://localhost:{example_port}/", proc)
        state = json.loads((data_dir / "demo.json").read_text())
        yield Demo(f"http://127.0.0.1:{port}", f"http://localhost:{example_port}", state["site_key"],
                   data_dir)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def _layout(panel: Any) -> dict[str, float]:
    """Left and right edges of what should mirror, in the panel's own coordinates."""
    return panel.locator("body").evaluate(  # type: ignore[no-any-return]
        """() => {
             const box = (s) => document.querySelector(s).getBoundingClientRect();
             const tabs = [...document.querySelectorAll('nav .tab')].map((e) => e.getBoundingClientRect());
             const field = box('form.rq input[name=subject]');
             // The label's text, not its box (a block as wide as the form).
             const label = document.createRange();
             label.selectNodeContents(document.querySelector('form.rq input[name=subject]').labels[0]);
             return {
               logo: box('header .logo').left, close: box('header .close').left,
               first_tab: tabs[0].left, last_tab: tabs[tabs.length - 1].left,
               field_left: field.left, field_right: field.right,
               subject_label_left: label.getBoundingClientRect().left,
               subject_label_right: label.getBoundingClientRect().right,
               width: document.documentElement.clientWidth,
             };
           }"""
    )


def test_a_right_to_left_locale_mirrors_the_panel(rtl_demo: Demo, make_page: Any, tmp_path: Path) -> None:
    page = make_page()
    page.goto(rtl_demo.host + "/")
    panel = open_panel(page)
    panel.locator("nav .tab[data-section=request]").click()
    panel.locator("form.rq input[name=subject]").fill("typed before the switch")
    ltr = _layout(panel)
    assert ltr["logo"] < ltr["close"] and ltr["first_tab"] < ltr["last_tab"]

    page.evaluate("HelpMenu('setLocale', 'ar-XB')")
    panel.locator("html[dir=rtl]").wait_for(state="attached")
    assert panel.locator("html").get_attribute("lang") == "ar-xb"
    rtl = _layout(panel)
    page.screenshot(path=str(tmp_path / "rtl.png"))
    # Header and tabs read from the right; a label sits over the right end of its field.
    assert rtl["close"] < rtl["logo"] and rtl["last_tab"] < rtl["first_tab"]
    assert ltr["subject_label_left"] == pytest.approx(ltr["field_left"], abs=2)
    assert rtl["subject_label_right"] == pytest.approx(rtl["field_right"], abs=2)
    assert rtl["subject_label_left"] > rtl["field_left"] + 20
    # The logo mirrors about the middle of the panel.
    logo = panel.locator("header .logo").evaluate("el => el.getBoundingClientRect().width")
    assert rtl["logo"] == pytest.approx(ltr["width"] - ltr["logo"] - logo, abs=2)
    assert panel.locator("nav .tab span >> nth=0").text_content() == "\u202bFAQ\u202c"
    assert panel.locator("form.rq input[name=subject]").input_value() == "typed before the switch"

    page.evaluate("HelpMenu('setLocale', 'en')")
    panel.locator("html[dir=ltr]").wait_for(state="attached")
    back = _layout(panel)
    assert back["first_tab"] < back["last_tab"]
    for key in ("logo", "close", "field_left", "field_right"):  # (tabs share the bar by their labels)
        assert back[key] == pytest.approx(ltr[key], abs=1), key
    # A fresh page asking for the pseudo-locale gets the server's dir="rtl" from the start.
    fresh = make_page()
    fresh.add_init_script(BOOT_IN % "ar-XB")
    fresh.goto(rtl_demo.host + "/")
    assert open_panel(fresh).locator("html").get_attribute("dir") == "rtl"


# ---- support hours on the site's clock -------------------------------------------------------

def _status_lines(page: Any, lang: str, now: str) -> dict[str, str]:
    return page.evaluate(  # type: ignore[no-any-return]
        """([strings, lang, now]) => {
             const t = (key, vars) => strings[key].replace(/[{](\\w+)[}]/g, (m, name) => vars[name]);
             const site = { open_now: false, schedule: { timezone: 'Europe/Kyiv' } };
             const at = (iso) =>
               window.__m.statusLine(t, lang, { ...site, next_opening: iso }, new Date(now));
             return { monday: at('2026-11-30T07:00:00Z'), today: at('2026-11-27T07:00:00Z') };
           }""",
        [strings(lang), lang, now],
    )


def test_opening_time_is_the_sites_and_names_its_zone_when_the_user_is_elsewhere(make_page: Any) -> None:
    # A Kyiv help desk opening at 9:00 its time (07:00 UTC), seen from Warsaw, where it is 8:00.
    warsaw = make_page(timezone="Europe/Warsaw")
    warsaw.goto("about:blank")
    _load_module(warsaw, ROOT / "widget" / "js" / "panel" / "hours.js", "statusLine")
    lines = _status_lines(warsaw, "en", "2026-11-27T05:00:00Z")  # Friday 7:00 in Kyiv
    assert lines["monday"].startswith("Closed · opens Monday") and "9:00 AM" in lines["monday"]
    assert "8:00" not in lines["monday"]
    assert lines["monday"].endswith("9:00 AM (Ukraine Time)")  # the zone is named after the time
    assert lines["today"] == "Closed · opens at 9:00 AM (Ukraine Time)"
    pl = _status_lines(warsaw, "pl", "2026-11-27T05:00:00Z")
    assert pl["monday"].startswith("Zamknięte · otwieramy: poniedziałek") and "09:00" in pl["monday"]

    kyiv = make_page(timezone="Europe/Kyiv")
    kyiv.goto("about:blank")
    _load_module(kyiv, ROOT / "widget" / "js" / "panel" / "hours.js", "statusLine")
    lines = _status_lines(kyiv, "en", "2026-11-27T05:00:00Z")
    assert lines == {"monday": "Closed · opens Monday 9:00 AM", "today": "Closed · opens at 9:00 AM"}

    # Thursday 23:30 in London is already Friday 1:30 in Kyiv: the opening at 9:00 is the site's
    # today, so "opens at", on the site's clock and with its zone (London reads 7:00).
    london = make_page(timezone="Europe/London")
    london.goto("about:blank")
    _load_module(london, ROOT / "widget" / "js" / "panel" / "hours.js", "statusLine")
    lines = _status_lines(london, "en", "2026-11-26T23:30:00Z")
    assert lines["today"] == "Closed · opens at 9:00 AM (Ukraine Time)"
