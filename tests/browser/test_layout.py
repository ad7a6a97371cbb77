"""Layout measured in a real browser: every public, member and staff page at 320, 375, 768 and
1280 px.

On each page: no horizontal scroll, a header no taller than 20% of a phone's screen, every
visible form control at least 24×24 px (WCAG 2.5.8), and no serious or critical axe violation.
Then what a new user does on a phone: searching "5000" shows results on the first screen, a
member edits the hours and saves at 320 px.

One test per role and width walks all its pages (a browser test costs a database restore), and
reports every problem it met at once.
"""

from datetime import time

import pytest

from network.contact.models import ContactRequest
from network.listings.models import OpeningPeriod
from tests.browser.test_accessibility import blocking_violations
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
    real_commune,
    submit_request,
)

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
WIDTHS = [320, 375, 768, 1280]
PHONE_HEIGHTS = {320: 640, 375: 812}
MIN_TARGET = 24

PUBLIC_PAGES = [
    "/",
    "/?near=5000",
    "/?near=abc",
    "/organisations/chauffeurs/",
    "/organisations/chauffeurs/contacter/",
    "/carte/",
    "/je-veux-aider/",
    "/proposer/",
    "/organisations/chauffeurs/signaler/",
    "/citoyen-solidaire/",
    "/a-propos/",
    "/espace/connexion/",
    "/cette-page-n-existe-pas/",
]
MEMBER_PAGES = [
    "/espace/",
    "/espace/organisations/chauffeurs/modifier/",
    "/espace/organisations/chauffeurs/membres/",
    "/espace/mot-de-passe/changer/",
]
STAFF_PAGES = [
    "/equipe/demandes/",
    "/equipe/demandes/?file=all",
    "/equipe/demandes/{reference}/",
    "/equipe/demandes/donnees-personnelles/",
    "/equipe/organisations/",
    "/equipe/organisations/chauffeurs/historique/",
    "/equipe/moderation/",
    "/equipe/tableau-de-bord/",
    "/equipe/couverture/",
    "/equipe/import/",
]

# Visible form controls smaller than 24×24 px. The phone menu's checkbox is transparent: its
# label, the button people tap, is measured instead.
SMALL_CONTROLS = """() => {
  const controls = document.querySelectorAll(
    'input:not([type=hidden]), select, textarea, button, summary, label[for=nav-toggle]');
  return [...controls].filter(element => {
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden' || style.opacity === '0') return false;
    if (element.closest('.leaflet-container, .honeypot')) return false;
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) return false;
    return box.width < 24 || box.height < 24;
  }).map(element => {
    const box = element.getBoundingClientRect();
    return `${element.tagName.toLowerCase()}[name=${element.name || element.id || ''}] `
      + `${Math.round(box.width)}×${Math.round(box.height)}`;
  });
}"""


@pytest.fixture
def site(db):
    """A collective with hours and needs, its member, a staff account and requests to work."""
    listing = OrganizationFactory(
        name="Chauffeurs solidaires de Gembloux et des villages alentour",
        slug="chauffeurs",
        needs=["drivers", "hosts", "clothing-donations"],
        activities=["transport", "shelter", "food"],
        municipality=real_commune("Gembloux"),
    )
    OpeningPeriod.objects.create(
        organization=listing, weekday=1, opens_at=time(17), closes_at=time(21), note="gare"
    )
    OrganizationFactory(name="Maison d'accueil de Namur", municipality=real_commune("Namur"))
    member = UserFactory(username="membre@example.org")
    MembershipFactory(user=member, organization=listing, role="admin")
    staff = StaffFactory(username="equipe@example.org")
    submit_request(target=listing, intent=ContactRequest.Intent.HOST)
    staff_queue = submit_request(place=None, intent=ContactRequest.Intent.OTHER, message="Question")
    return {"member": member, "staff": staff, "reference": staff_queue.reference}


def problems_on(page, path: str, width: int) -> list[str]:
    """Everything wrong with the page at this width, as readable lines."""
    page.goto(path)
    page.wait_for_load_state("networkidle")
    found = []
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        found.append(f"défilement horizontal : {scroll_width} px pour {width} px")
    if width in PHONE_HEIGHTS:
        header = page.locator(".site-header").bounding_box()["height"]
        if header > 0.2 * PHONE_HEIGHTS[width]:
            found.append(f"en-tête de {header:.0f} px (> 20 % de {PHONE_HEIGHTS[width]} px)")
    small = page.evaluate(SMALL_CONTROLS)
    if small:
        found.append("contrôles de moins de 24 px : " + ", ".join(small[:6]))
    # axe where the layout changes: on the smallest phone and on a desktop.
    if width in (320, 1280):
        found.extend(blocking_violations(page))
    return [f"{path} à {width} px : {problem}" for problem in found]


def walk(page, paths: list[str], width: int) -> list[str]:
    page.set_viewport_size({"width": width, "height": PHONE_HEIGHTS.get(width, 900)})
    found = []
    for path in paths:
        found.extend(problems_on(page, path, width))
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_public_pages_fit_the_screen(browser_page, site, width):
    problems = walk(browser_page, PUBLIC_PAGES, width)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_member_pages_fit_the_screen(browser_page, browser_login, site, width):
    browser_login(site["member"])
    problems = walk(browser_page, MEMBER_PAGES, width)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_staff_pages_fit_the_screen(browser_page, browser_login, site, width):
    browser_login(site["staff"])
    pages = [path.format(reference=site["reference"]) for path in STAFF_PAGES]
    problems = walk(browser_page, pages, width)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", [320, 375])
def test_searching_5000_shows_results_on_the_first_screen(browser_page, site, width):
    page = browser_page
    height = PHONE_HEIGHTS[width]
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/")
    page.get_by_label("Près de").fill("5000")
    page.get_by_role("button", name="Rechercher").first.click()
    page.wait_for_url("**/?near=5000*")

    first_result = page.locator(".cards .card").first.bounding_box()
    heading = page.locator("#results-title").bounding_box()
    # Bounding boxes are relative to the viewport: the page has scrolled to the results.
    assert 0 <= heading["y"] < height
    assert first_result["y"] < height, f"premier résultat à y = {first_result['y']:.0f} px"


def test_phone_menu_opens_without_javascript_knowledge_and_reaches_every_link(
    browser_page, browser_login, site
):
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 640})
    browser_login(site["staff"])
    page.goto("/")
    inbox = page.get_by_role("link", name="Équipe : demandes")
    assert not inbox.is_visible()

    page.locator("label[for=nav-toggle]").click()

    assert inbox.is_visible()
    assert page.locator(".site-header").bounding_box()["height"] > 128  # opened, on demand
    page.keyboard.press("Escape")
    assert not inbox.is_visible()


def test_language_is_one_tap_away(browser_page, site):
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/organisations/chauffeurs/")

    page.get_by_role("button", name="EN English").click()

    page.wait_for_url("**/organisations/chauffeurs/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "5 p.m." in page.locator("main").inner_text()


def test_member_edits_the_hours_and_saves_at_320_px(browser_page, browser_login, site):
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 640})
    browser_login(site["member"])
    page.goto("/espace/organisations/chauffeurs/modifier/")

    hours = page.locator("#hours")
    hours.locator("select").nth(1).select_option("3")
    hours.locator("input[type=time]").nth(2).fill("09:30")
    hours.locator("input[type=time]").nth(3).fill("12:00")
    save = page.get_by_role("button", name="Enregistrer la fiche")
    save.scroll_into_view_if_needed()
    box = save.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    with page.expect_navigation():
        save.click()

    weekdays = set(
        OpeningPeriod.objects.filter(organization__slug="chauffeurs").values_list(
            "weekday", flat=True
        )
    )
    assert weekdays == {1, 3}
