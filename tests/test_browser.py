"""A real browser (Playwright driving Debian's chromium) on the docs, an error link and Swagger UI.

Needs Debian's chromium (``apt-get install chromium``; `.ci/run` installs it).
Playwright's browser download is never used: it drives /usr/bin/chromium.
"""

import json
import shutil
import urllib.error
import urllib.request

import pytest

from .support import load_seeds

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="Browser tests need Debian's chromium: apt-get install chromium (.ci/run installs it).",
    ),
]


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; the ORM calls in the live
    # server's fixtures are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def seeded(live_server):
    """The live server's URL, its database holding the seed catalogs.

    live_server tests run on a transactional database that is flushed after
    each of them (pytest-django runs them after the other database tests),
    so each one loads what its pages show.
    """
    load_seeds()
    return live_server.url


def test_catalog_page_to_code_page(browser, seeded, tmp_path):
    page = browser.new_page()
    page.goto(f"{seeded}/errors/usezombie/")
    assert page.locator("h1").inner_text() == "UseZombie errors"
    page.screenshot(path=tmp_path / "catalog.png", full_page=True)
    page.get_by_role("link", name="UZ-AUTH-003").click()
    page.wait_for_url("**/errors/usezombie/UZ-AUTH-003/")
    assert page.locator("h1").inner_text() == "UZ-AUTH-003: Token expired"
    assert "Re-authenticate." in page.locator("table").inner_text()
    page.screenshot(path=tmp_path / "code.png", full_page=True)
    assert (tmp_path / "code.png").stat().st_size > 0


def test_type_link_of_a_real_error_opens_its_page(browser, seeded, tmp_path):
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(f"{seeded}/demo/zen-mesh/items/424242/")
    assert info.value.code == 404
    problem = json.loads(info.value.read())
    assert info.value.headers["Content-Type"] == "application/problem+json"
    page = browser.new_page()
    assert problem["type"] == "https://docs.zen-mesh.io/errors/not-found"  # the seed's own type URI
    page.goto(problem["docs_uri"])
    assert page.locator("h1").inner_text() == "not-found: Resource Not Found"
    assert "404 Not Found" in page.locator("dl").inner_text()
    page.screenshot(path=tmp_path / "type-link.png", full_page=True)


def test_pages_fit_a_phone(browser, seeded, tmp_path):
    page = browser.new_page(viewport={"width": 375, "height": 740})
    for path in ["/errors/usezombie/", "/errors/usezombie/UZ-RUNS-410/"]:
        page.goto(f"{seeded}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=tmp_path / "phone.png", full_page=True)


def test_swagger_ui_renders_the_operations_offline(browser, seeded, tmp_path):
    page = browser.new_page()
    external = []
    page.on("request", lambda request: external.append(request.url) if not request.url.startswith(seeded) else None)
    page.goto(f"{seeded}/api/schema/swagger-ui/")
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() > 20
    assert page.get_by_text("/demo/usezombie/items/").first.is_visible()
    page.screenshot(path=tmp_path / "swagger.png")
    assert [url for url in external if not url.startswith("data:")] == []


HOSTILE_TITLE = (
    'Oops <img src=x onerror="window.__xss=1"> [link](javascript:window.__xss=2) <script>window.__xss=3</script>'
)


@pytest.fixture
def hostile(seeded):
    """A staff editor saved script in the titles of codes every demo operation documents."""
    from errorcatalog.models import ErrorCode

    for code in ErrorCode.objects.filter(catalog__slug="usezombie", code__in=["UZ-REQ-001", "UZ-INTERNAL-003"]):
        code.title = HOSTILE_TITLE
        code.description = HOSTILE_TITLE
        code.save()
    return seeded


def watch(page, base):
    """Requests that left for another host, and script run by catalog text.

    A request the page's Content-Security-Policy blocked never left the
    browser: Playwright still reports it, failed with "csp".
    """
    external, dialogs = [], []

    def left(request):
        if request.url.startswith((base, "data:", "blob:")):
            return
        failure = request.failure or ""
        if failure != "csp":
            external.append(f"{request.url} ({failure or 'sent'})")

    page.on("requestfinished", left)
    page.on("requestfailed", left)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return external, dialogs


# ``hostile`` before ``browser``: Playwright's sync API runs in a greenlet,
# where a fixture's database writes would open a connection nothing closes.
def test_redoc_shows_hostile_catalog_text_inert_and_offline(hostile, browser, tmp_path):
    page = browser.new_page()
    external, dialogs = watch(page, hostile)
    page.goto(f"{hostile}/api/schema/redoc/")
    page.wait_for_selector("text=/demo/usezombie/items/", timeout=30_000)
    page.get_by_text("Oops", exact=False).first.wait_for(timeout=30_000)
    page.screenshot(path=tmp_path / "redoc.png")
    assert page.evaluate("window.__xss") is None
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert dialogs == []
    assert external == []


def test_swagger_ui_shows_hostile_catalog_text_inert(hostile, browser, tmp_path):
    page = browser.new_page()
    external, dialogs = watch(page, hostile)
    page.goto(f"{hostile}/api/schema/swagger-ui/")
    page.wait_for_selector(".opblock", timeout=20_000)
    operation = page.locator(".opblock-post").filter(has_text="/demo/usezombie/items/").first
    operation.locator(".opblock-summary").click()
    operation.get_by_text("Oops", exact=False).first.wait_for(timeout=20_000)
    page.screenshot(path=tmp_path / "swagger-hostile.png", full_page=True)
    assert page.evaluate("window.__xss") is None
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert dialogs == []
    assert external == []
