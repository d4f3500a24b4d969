"""The chat widget in headless Chromium (Debian's `chromium`) against the real server."""

from __future__ import annotations

from typing import Any

from api_helpers import ARTIFACTS, BROWSER_MARKS, ORIGIN, PUBLIC_KEY, Server

pytestmark = BROWSER_MARKS

QUESTION = "Was hat Bayern zur Delos Cloud gesagt?"


def test_widget_page_answers_with_citations(browser: Any, real_server: Server) -> None:
    page = browser.new_page(viewport={"width": 900, "height": 1000}, locale="de-DE")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{real_server.url}/widget#key={PUBLIC_KEY}")

    question = page.get_by_label("Ihre Frage")
    question.focus()
    question.type(QUESTION)
    question.press("Enter")

    citation = page.locator(".gw-cite").first
    citation.wait_for(timeout=30_000)
    answer = page.locator(".gw-answer").first
    page.wait_for_function(
        "() => [...document.querySelectorAll('.gremium-widget-host')].some(h =>"
        " h.shadowRoot.querySelector('.gw-answer[aria-busy=\"false\"]'))",
        timeout=30_000,
    )
    assert "[1]" in answer.inner_text()
    assert "Bayern (BY)" in page.locator(".gw-citations").first.inner_text()
    assert "Sondersitzung am 27.06.2024" in citation.inner_text()
    assert "TOP 01" in citation.inner_text() and "S. " in citation.inner_text()

    passage = page.locator(".gw-passage").first
    assert passage.is_hidden()
    page.get_by_role("button", name="Quelle 1 anzeigen").first.press("Enter")
    assert passage.is_visible()
    assert citation.get_attribute("aria-expanded") == "true"
    assert passage.inner_text().strip()

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget.png"), full_page=True)
    assert not errors, errors
    page.close()


def test_one_tag_embed_on_an_intranet_page(browser: Any, real_server: Server) -> None:
    """A page on another origin (allowed by CORS) includes the script with one tag."""
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    # Chromium asks the user before a page may reach a loopback address (Local Network
    # Access); an intranet user would allow it once, the test grants it.
    context.grant_permissions(["local-network-access"], origin=ORIGIN)
    page = context.new_page()
    html = (
        "<!doctype html><html lang='de'><head><title>Intranet</title></head><body>"
        "<h1>Intranet der Senatskanzlei</h1>"
        f"<script src='{real_server.url}/widget.js' data-gremium-key='{PUBLIC_KEY}'></script>"
        "</body></html>"
    )
    page.route(
        f"{ORIGIN}/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=html),
    )
    page.goto(f"{ORIGIN}/start")
    launcher = page.get_by_role("button", name="Fragen an Gremium")
    assert launcher.get_attribute("aria-expanded") == "false"
    launcher.click()
    assert launcher.get_attribute("aria-expanded") == "true"
    question = page.get_by_label("Ihre Frage")
    assert question.evaluate("el => el.getRootNode().activeElement === el")
    question.fill(QUESTION)
    page.get_by_role("button", name="Fragen", exact=True).click()
    page.locator(".gw-cite").first.wait_for(timeout=30_000)
    assert "Bayern" in page.locator(".gw-citations").first.inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-embedded.png"))
    page.keyboard.press("Escape")
    # under load the panel's closing may take a frame or two: wait for it, then assert
    page.locator(".gw-panel").first.wait_for(state="hidden", timeout=5_000)
    assert page.locator(".gw-panel").first.is_hidden()
    context.close()
