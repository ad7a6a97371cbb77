"""Accessibility in a real browser: axe-core on every public page, keyboard-only use, widths.

axe-core comes bundled with axe-playwright-python (no download). The guarded `browser_page`
(tests/browser/conftest.py) also fails any test whose page reaches another host or breaks the CSP.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

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
