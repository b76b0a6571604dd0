"""Browser tests: Playwright (sync API) driving the system's Chromium, plus axe-core.

Every test in tests/e2e gets the `e2e` marker. A test asks for `page` (a fresh
browser context per test, JavaScript on), `nojs_page` (JavaScript off) or
`phone_page` (390x844), uses `live_server` for the portal, and calls
`check_page(page, name)` on each page worth checking: it saves a full-page
screenshot under test-output/screenshots/ and fails on any axe-core violation of
WCAG 2.0/2.1 A and AA.

Every browser context of a test, the fixtures' and those a test opens itself with
`browser.new_context()`, is watched for Content-Security-Policy violations (what
Chromium logs to the console when the policy refuses an inline script or style, or
a resource from elsewhere): the test fails listing them, whatever page they were on.

Without Chromium or node_modules/axe-core the tests skip with a loud reason;
with CI=true they fail instead, because CI must run them. Chromium is
$CHROMIUM_PATH, else `chromium` or `chromium-browser` on the PATH.
"""

import functools
import os
import re
import shutil
from pathlib import Path

import pytest

E2E_DIR = Path(__file__).resolve().parent
BASE_DIR = E2E_DIR.parents[1]
AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = BASE_DIR / "test-output" / "screenshots"

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP_VIEWPORT = {"width": 1280, "height": 900}
PHONE_VIEWPORT = {"width": 390, "height": 844}
# Playwright's default wait of 30 s hides hangs; every page here answers in well under a second.
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents and item.get_closest_marker("e2e") is None:
            item.add_marker(pytest.mark.e2e)


# Availability -----------------------------------------------------------------


def chromium_path():
    """$CHROMIUM_PATH, else chromium / chromium-browser on the PATH; None if none is found."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.path.isfile(configured) and os.access(configured, os.X_OK) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _missing_tools():
    missing = []
    if os.environ.get("CHROMIUM_PATH") and chromium_path() is None:
        missing.append(f"CHROMIUM_PATH={os.environ['CHROMIUM_PATH']} is not an executable file")
    elif chromium_path() is None:
        missing.append("no Chromium found (set CHROMIUM_PATH, or install Debian's `chromium`)")
    if not AXE_JS.is_file():
        missing.append(f"{AXE_JS.relative_to(BASE_DIR)} is missing (run `npm ci` in {BASE_DIR})")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the Python package `playwright` is not installed (requirements-test.txt)")
    return missing


_unavailable_reason = None


def _require_browser_tools():
    """Skip (or, with CI=true, fail) the test when the browser tools are not there."""
    missing = _missing_tools()
    if not missing:
        return
    global _unavailable_reason
    reason = "BROWSER TESTS NOT RUN: " + "; ".join(missing) + "."
    _unavailable_reason = reason
    if os.environ.get("CI") == "true":
        pytest.fail(reason + " CI=true: browser tests must run in CI.", pytrace=False)
    pytest.skip(reason)


def pytest_terminal_summary(terminalreporter):
    if _unavailable_reason and os.environ.get("CI") != "true":
        terminalreporter.write_sep("!", "browser tests skipped", yellow=True, bold=True)
        terminalreporter.write_line(_unavailable_reason, yellow=True, bold=True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 takes a noticeable part of a second per sign-up or sign-in on a small machine;
    # the hashing algorithm is not what these tests are about. The live server runs in
    # this process, so it uses the same settings.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Browser, contexts and pages ---------------------------------------------------


@pytest.fixture(autouse=True)
def _migration_data(request):
    """Live-server tests flush the database after each test, data migrations' rows included."""
    if "live_server" in request.fixturenames:
        from tests.conftest import restore_migration_data

        request.getfixturevalue("transactional_db")
        restore_migration_data()


# Content-Security-Policy violations --------------------------------------------

# What Chromium logs when the policy refuses something ("Refused to apply inline style because it violates the
# following Content Security Policy directive", or in newer versions "Applying inline style violates ...").
_CSP_MESSAGE = re.compile(r"Content Security Policy", re.IGNORECASE)
_csp_violations = []  # of the running test: (page URL, message)


def _watch_for_csp_violations(context):
    def on_console(message):
        if _CSP_MESSAGE.search(message.text):
            _csp_violations.append((message.page.url if message.page else "?", message.text))

    context.on("console", on_console)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A browser test fails when any page it opened broke the Content-Security-Policy."""
    _csp_violations.clear()
    result = yield
    if E2E_DIR in Path(str(item.path)).resolve().parents and _csp_violations:
        found = "\n".join(f"- {url}: {text}" for url, text in _csp_violations)
        _csp_violations.clear()
        pytest.fail(f"{len(found.splitlines())} Content-Security-Policy violation(s):\n{found}", pytrace=False)
    return result


class _WatchedBrowser:
    """The browser, each of whose new contexts is watched for Content-Security-Policy violations."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        _watch_for_csp_violations(context)
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="package")
def browser():
    """One Chromium for all the browser tests.

    Package-scoped rather than session-scoped: pytest-django runs the live-server
    tests together, so this is still one browser per run, but it closes, and sync
    Playwright's event loop stops, before the tests outside tests/e2e that run
    after them (an event loop left running breaks `asyncio.run` and Django's
    async-safety checks there).
    """
    _require_browser_tools()
    from playwright.sync_api import sync_playwright

    # Sync Playwright keeps an asyncio event loop running in this thread, and Django
    # refuses ORM calls from a thread with a running loop (SynchronousOnlyOperation):
    # allow them while the browser is open.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
            yield _WatchedBrowser(browser)
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _new_context(browser, **options):
    # An English browser on purpose: the portal must still answer in Chinese
    # until the visitor picks English with the language switch.
    options.setdefault("locale", "en-US")
    options.setdefault("viewport", DESKTOP_VIEWPORT)
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def context(browser):
    context = _new_context(browser)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def nojs_page(browser):
    """A page in a context with JavaScript disabled (check_page does not work there: axe needs JavaScript)."""
    context = _new_context(browser, java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_page(browser):
    context = _new_context(browser, viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


# Screenshots and accessibility ----------------------------------------------------

_AXE_RUN = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary})),
  }));
}"""


@functools.cache
def _axe_source():
    return AXE_JS.read_text(encoding="utf-8")


def _slug(text):
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")


def format_violations(violations):
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            target = " ".join(" >>> ".join(part) if isinstance(part, list) else part for part in node["target"])
            lines.append(f"    at {target}")
            for summary_line in (node["summary"] or "").splitlines():
                lines.append(f"        {summary_line}")
    return "\n".join(lines)


@pytest.fixture
def check_page(request):
    """`check_page(page, name)`: a full-page screenshot, then axe-core (WCAG 2.0/2.1 A and AA)."""
    test_name = _slug(request.node.name)

    def check(page, name):
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        screenshot = SCREENSHOT_DIR / f"{test_name}-{_slug(name)}.png"
        page.screenshot(path=str(screenshot), full_page=True)

        # Evaluated by the browser's own protocol, which the Content-Security-Policy does not apply to
        # (a <script> tag, as page.add_script_tag adds, would be refused by `script-src 'self'`).
        page.evaluate(_axe_source())
        if not page.evaluate("typeof window.axe === 'object'"):
            raise RuntimeError("axe-core did not load: check_page needs a context with JavaScript enabled")
        violations = page.evaluate(_AXE_RUN, WCAG_TAGS)
        if violations:
            pytest.fail(
                f"axe-core found {len(violations)} accessibility violation(s) on {name!r} ({page.url}); "
                f"screenshot: {screenshot.relative_to(BASE_DIR)}\n{format_violations(violations)}",
                pytrace=False,
            )

    return check
