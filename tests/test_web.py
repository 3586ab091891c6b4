"""The web chat page, in a real browser against a real server.

A uvicorn server on loopback serves ``app.main.create_app`` over the session
index; Debian's Chromium (``scripts/install-browser.sh``), driven by Playwright,
asks questions the way a practitioner does.  The browser tests are slow
(``make test-slow``); the static-file checks at the top run in the default suite.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from planchat.settings import Settings
from tests.servers import serve

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ANSWER_TIMEOUT = 120_000  # ms; the first question loads the embedding model
CHAT_PATHS = ("/chat", "/chat/stream")


# ---------------------------------------------------------------- static files (default suite)

def test_page_and_static_files_are_served(tmp_path):
    client = TestClient(create_app(Settings(data_dir=tmp_path)))
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for src in re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text):
        assert client.get(src).status_code == 200, src
    assert "/static/chat.js" in page.text and "/static/style.css" in page.text
    assert "http://" not in page.text and "https://" not in page.text  # nothing fetched from elsewhere
    for bad in ("/static/nothing.js", "/static/..%2Fweb.py", "/static/.hidden.css", "/static/web.py"):
        assert client.get(bad).status_code == 404, bad


# ---------------------------------------------------------------- server and browser

@pytest.fixture(scope="module")
def site(built_index):
    with serve(create_app(built_index)) as url:
        yield url


def without_stream(app):
    """``app`` as a server without ``/chat/stream``: that path answers 404 as an unknown route does."""
    async def asgi(scope, receive, send):
        if scope["type"] == "http" and scope["path"] == "/chat/stream":
            await send({"type": "http.response.start", "status": 404,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": b'{"detail":"Not Found"}'})
            return
        await app(scope, receive, send)
    return asgi


@pytest.fixture(scope="module")
def site_without_stream(built_index):
    """The real app with its streaming endpoint taken away: the page must fall back to POST /chat."""
    with serve(without_stream(create_app(built_index))) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/install-browser.sh` (make test-slow does)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is missing: install the dev extras (make setup)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.js_errors = []
    page.chat_requests = []  # (path, status or None, request body)
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))

    def finished(response):
        path = re.sub(r"^https?://[^/]+", "", response.url)
        if response.request.method == "POST" and path in CHAT_PATHS:
            page.chat_requests.append((path, response.status, response.request.post_data_json))

    page.on("response", finished)
    yield page
    context.close()
    assert not page.js_errors, f"JavaScript errors on the page: {page.js_errors}"


def ask(page, question: str, *, chip: bool = False):
    """Ask ``question`` (typed and sent with Enter, or by its example chip); return the answer's <li>."""
    before = page.locator("li.msg-bot").count()
    if chip:
        page.get_by_role("button", name=question).click()
    else:
        page.locator("#message").fill(question)
        page.locator("#message").press("Enter")
    answer = page.locator("li.msg-bot").nth(before)
    answer.wait_for()
    page.wait_for_function("el => el.getAttribute('aria-busy') === 'false'", arg=answer.element_handle(),
                           timeout=ANSWER_TIMEOUT)
    error = answer.locator(".error")
    if error.count():
        pytest.fail(f"the page showed an error for {question!r}: {error.inner_text()}")
    assert answer.locator(".answer").inner_text().strip()
    return answer


def squash(text: str) -> str:
    return " ".join(text.split())


def check_citations(answer) -> int:
    """Every [n] link has a numbered source with a document title and quote; returns how many."""
    links = answer.locator("sup.cite a")
    assert links.count() >= 1, "the answer has no [n] citation links"
    for i in range(links.count()):
        link = links.nth(i)
        assert re.fullmatch(r"\[\d+\]", link.inner_text())
        source = answer.locator(link.get_attribute("href"))
        assert source.count() == 1, f"no source for {link.inner_text()}"
        assert source.locator(".source-open").text_content().strip()
        assert source.locator(".source-quote").text_content().strip()
    return links.count()


def check_viewer(page, answer, n: int = 0) -> None:
    """Clicking the n-th [n] opens the viewer on that document with the quote highlighted in view."""
    link = answer.locator("sup.cite a").nth(n)
    source = answer.locator(link.get_attribute("href"))
    quote = source.locator(".source-quote").text_content()
    title = source.locator(".source-open").text_content()
    link.click()
    viewer = page.locator("#viewer")
    viewer.wait_for(state="visible")
    page.locator("#viewer-text mark.quote-highlight").first.wait_for()
    marked = "".join(page.locator("#viewer-text mark.quote-highlight").all_inner_texts())
    assert squash(marked) == squash(quote)
    assert page.locator("#viewer-title").inner_text().strip() == title.strip()
    assert page.locator("#viewer-outline li").count() >= 1
    assert page.locator("#viewer-outline [aria-current]").count() == 1
    assert not page.locator("#viewer-status.viewer-warning, #viewer-status.viewer-error").count()
    box = page.locator("#viewer-text").bounding_box()
    mark = page.locator("#viewer-text mark.quote-highlight").first.bounding_box()
    assert box["y"] <= mark["y"] and mark["y"] + min(mark["height"], 20) <= box["y"] + box["height"], \
        "the highlighted quote is not scrolled into view"


# ---------------------------------------------------------------- browser tests (slow)

@pytest.mark.slow
def test_question_gets_cited_answer_and_viewer_highlights_quote(page, site, tmp_path):
    page.goto(site + "/")
    assert page.locator(".chip").count() == 3
    answer = ask(page, "What are we doing about young carers?")
    assert [path for path, *_ in page.chat_requests] == ["/chat/stream"], page.chat_requests
    check_citations(answer)
    assert answer.locator(".route").text_content() in {"lookup", "search", "both", "none"}
    check_viewer(page, answer)
    shot = tmp_path / "chat.png"
    page.screenshot(path=str(shot))
    print(f"screenshot: {shot}")
    page.keyboard.press("Escape")
    page.locator("#viewer").wait_for(state="hidden")


@pytest.mark.slow
def test_conversation_id_is_kept_and_new_conversation_resets(page, site):
    page.goto(site + "/")
    ask(page, "What are we doing about young carers?")
    conversation = page.evaluate("window.planchatChat.state.conversationId")
    assert conversation, "the answer carried no conversation_id"
    ask(page, "Who leads that work?")
    bodies = [body for _, _, body in page.chat_requests]
    assert bodies[0]["conversation_id"] is None and bodies[1]["conversation_id"] == conversation
    page.get_by_role("button", name="New conversation").click()
    assert page.locator("#messages li").count() == 0 and page.locator("#intro").is_visible()
    ask(page, "What are we doing about young carers?")
    assert page.chat_requests[-1][2]["conversation_id"] is None


@pytest.mark.slow
def test_lookup_shows_records_table_with_csv(page, site):
    page.goto(site + "/")
    answer = ask(page, "What's due by Sep-25 in the Roadmap?", chip=True)
    rows = answer.locator("table.records tbody tr")
    assert rows.count() >= 1, "an exact due-by question returned no records table"
    assert answer.locator("table.records thead th").all_inner_texts() == ["Ref", "Title", "Due", "Owners", "Section"]
    assert answer.locator(".records-head h3").text_content().startswith(f"{rows.count()} record")
    assert answer.locator(".route").text_content() in {"lookup", "both"}
    href = answer.locator("a.csv-link").get_attribute("href")
    if href.startswith("/records.csv"):
        csv = page.request.get(site + href)
        assert csv.ok and len(csv.text().strip().splitlines()) >= 2
    check_citations(answer)
    check_viewer(page, answer)


@pytest.mark.slow
def test_page_falls_back_to_post_chat_without_stream(page, site_without_stream):
    page.goto(site_without_stream + "/")
    answer = ask(page, "Who owns risk CSSR0005?", chip=True)
    assert [(p, s) for p, s, _ in page.chat_requests] == [("/chat/stream", 404), ("/chat", 200)]
    check_citations(answer)
    check_viewer(page, answer)
    page.keyboard.press("Escape")
    ask(page, "What are we doing about young carers?")
    assert page.chat_requests[-1][0] == "/chat"  # no second try of the missing stream


@pytest.mark.slow
def test_server_errors_are_shown_plainly(page, site):
    detail = "the index is being rebuilt, try again in a minute"
    page.route(re.compile(r"/chat(/stream)?$"), lambda route: route.fulfill(
        status=503, content_type="application/json", body=json.dumps({"detail": detail})))
    page.goto(site + "/")
    page.locator("#message").fill("What are we doing about young carers?")
    page.locator("#send").click()
    alert = page.locator("li.msg-bot [role=alert]")
    alert.wait_for()
    assert "503" in alert.inner_text() and detail in alert.inner_text()
    assert page.locator("#send").is_enabled()
