"""Every browser journey runs axe-core on each page it visits (tests/e2e/conftest.py)."""

import pytest

pytestmark = pytest.mark.e2e

INACCESSIBLE = (
    "<!DOCTYPE html><html lang='fr'><head><title>Essai</title></head>"
    "<body><main><h1>Essai</h1><img src='data:,'><a href='/'></a></main></body></html>"
)
ACCESSIBLE = "<!DOCTYPE html><html lang='fr'><title>2</title><main><h1>2</h1></main></html>"


def test_a_page_with_violations_fails_the_journey_with_a_readable_list(browser, axe_audit):
    page = browser.new_context().new_page()
    page.set_content(INACCESSIBLE)

    with pytest.raises(AssertionError) as failure:
        axe_audit.finish()

    assert "image-alt" in str(failure.value)
    assert "link-name" in str(failure.value)
    axe_audit.violations.clear()  # seen: this test is about the report, not the page


def test_each_page_is_audited_once_before_the_next_action_on_it(browser, axe_audit):
    page = browser.new_context().new_page()
    page.set_content(INACCESSIBLE.replace("<a href='/'></a>", "<button>Suivant</button>"))

    page.get_by_role("button", name="Suivant").click()
    page.set_content(ACCESSIBLE)

    assert len(axe_audit.audited) == 2
    assert ["image-alt" in report for report in axe_audit.violations] == [True]
    axe_audit.violations.clear()
