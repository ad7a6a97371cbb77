"""Accessibility in a real browser: axe-core on every public page, keyboard-only use, widths.

axe-core comes bundled with axe-playwright-python (no download). The guarded `browser_page`
(tests/browser/conftest.py) also fails any test whose page reaches another host or breaks the CSP.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from network.contact.models import ContactRequest
from tests.factories import OrganizationFactory, real_commune

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = {"serious", "critical"}


def blocking_violations(page) -> list[str]:
    """The serious and critical axe violations of the page, one readable line per node."""
    results = Axe().run(page)
    lines = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        for node in violation["nodes"]:
            lines.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} — "
                f"{' '.join(map(str, node['target']))} — {node['html'][:200]}"
            )
    return lines


@pytest.fixture
def listing(db):
    """A published collective in Gembloux (real gazetteer), accepting requests."""
    return OrganizationFactory(
        name="Chauffeurs solidaires",
        slug="chauffeurs",
        needs=["drivers"],
        municipality=real_commune("Gembloux"),
    )


PUBLIC_PAGES = [
    "/",
    "/?near=5000",
    "/?near=5030",
    "/?near=abc",
    "/organisations/chauffeurs/",
    "/carte/",
    "/carte/?near=5030",
    "/organisations/chauffeurs/contacter/",
    "/je-veux-aider/",
    "/proposer/",
    "/organisations/chauffeurs/signaler/",
    "/citoyen-solidaire/",
    "/a-propos/",
    "/espace/connexion/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_serious_accessibility_violation(browser_page, listing, path):
    browser_page.goto(path)
    browser_page.wait_for_load_state("networkidle")

    violations = blocking_violations(browser_page)

    assert not violations, f"{path} :\n" + "\n".join(violations)


def tab_to(page, target, backwards: bool = False, limit: int = 120) -> None:
    """Press Tab (or Shift+Tab) until `target` has the focus, as a keyboard user would."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press(key)
    pytest.fail(f"{key} n'atteint jamais {target} après {limit} pressions.")


def test_keyboard_user_searches_opens_a_listing_and_sends_a_request(
    browser_page, listing, settings
):
    settings.RELAIS_CONTACT_MIN_FILL_SECONDS = 1
    page = browser_page
    page.goto("/")

    tab_to(page, page.get_by_label("Près de"))
    page.keyboard.type("5030")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?near=5030*")
    tab_to(page, page.get_by_role("link", name="Chauffeurs solidaires"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/organisations/chauffeurs/")
    tab_to(page, page.get_by_role("link", name="Contacter ce collectif"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/organisations/chauffeurs/contacter/")

    tab_to(page, page.get_by_label("Votre nom ou prénom"))
    page.keyboard.type("Camille")
    tab_to(page, page.get_by_label("E-mail"))
    page.keyboard.type("camille@example.net")
    tab_to(page, page.locator("input[name=intent]").first)
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Votre message"))
    page.keyboard.type("Je peux conduire le soir.")
    tab_to(page, page.get_by_label("Vos disponibilités"), backwards=True)
    page.keyboard.type("Le soir en semaine")
    tab_to(page, page.get_by_label("J'accepte que mes coordonnées"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Envoyer ma demande"))
    # The form refuses what is sent faster than a person could type it.
    page.wait_for_timeout(1_200)
    page.keyboard.press("Enter")

    page.wait_for_url("**/demande/merci/**")
    assert "transmise au collectif « Chauffeurs solidaires »" in page.locator("main").inner_text()
    request = ContactRequest.objects.get()
    assert request.assigned_organization == listing
    assert request.message == "Je peux conduire le soir."
    assert request.availability == "Le soir en semaine"


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize(
    "path",
    [
        "/?near=5030",
        "/organisations/chauffeurs/",
        "/organisations/chauffeurs/contacter/",
        "/carte/",
    ],
)
def test_page_has_no_horizontal_scroll(browser_page, listing, path, width):
    browser_page.set_viewport_size({"width": width, "height": 800})
    browser_page.goto(path)
    browser_page.wait_for_load_state("networkidle")

    scroll_width = browser_page.evaluate("document.documentElement.scrollWidth")

    assert scroll_width <= width, f"{path} à {width} px : largeur de défilement {scroll_width} px"
