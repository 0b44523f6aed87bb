"""The browser journeys' page set-up, in one place: a new context and page that records the
Content Security Policy's complaints, and signing in through the log-in form."""

from tests.conftest import DEMO_PASSWORD


def watch_csp(page):
    """Keep the console's Content Security Policy messages in `page.csp_violations`."""
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_violations.append(message.text)
        ),
    )
    return page


def new_page(browser, *, width=1280, height=800, locale="fr-FR"):
    """A new browser context and its page."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
    return context, watch_csp(context.new_page())


def sign_in(page, base_url, username, *, password=DEMO_PASSWORD):
    """Sign `page` in as `username` through the log-in form."""
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    return page


def log_in(browser, base_url, username, *, prepare=None, **page_options):
    """A new context signed in as `username`, and its page. `prepare(page, base_url)` runs
    before the log-in (routes, for instance)."""
    context, page = new_page(browser, **page_options)
    if prepare is not None:
        prepare(page, base_url)
    sign_in(page, base_url, username)
    return context, page
