import pytest
from geopy.exc import GeocoderTimedOut, GeocoderUnavailable
from geopy.location import Location

from maps import geocoding
from maps.geocoding import PointSource, geocode, locate_address
from maps.models import GeocodeCache

pytestmark = pytest.mark.django_db


class StubGeocoder:
    """Stands in for geopy's Nominatim/Photon/Pelias: records its options and the queries."""

    instances: list["StubGeocoder"] = []
    answer: tuple[float, float] | None = None
    error: Exception | None = None

    def __init__(self, **options):
        self.options = options
        self.queries: list[str] = []
        StubGeocoder.instances.append(self)

    def geocode(self, query, **kwargs):
        self.queries.append(query)
        if StubGeocoder.error is not None:
            raise StubGeocoder.error
        if StubGeocoder.answer is None:
            return None
        return Location("Rue de Fer 1, 5000 Namur, Belgique", StubGeocoder.answer, {})


@pytest.fixture
def stub_geocoder(settings, monkeypatch):
    settings.RELAIS_GEOCODER = "nominatim"
    settings.RELAIS_GEOCODER_DOMAIN = "geo.coordination.example"
    settings.RELAIS_GEOCODER_USER_AGENT = "relais-tests"
    settings.RELAIS_GEOCODER_TIMEOUT = 3
    settings.RELAIS_GEOCODER_MIN_DELAY = 0
    StubGeocoder.instances, StubGeocoder.answer, StubGeocoder.error = [], (50.4651, 4.8652), None
    for name in ("nominatim", "photon", "pelias"):
        monkeypatch.setitem(geocoding.GEOCODERS, name, StubGeocoder)
    geocoding._rate_limited_geocode.cache_clear()
    yield StubGeocoder
    geocoding._rate_limited_geocode.cache_clear()


def queries(stub) -> list[str]:
    return [query for instance in stub.instances for query in instance.queries]


def test_the_geocoder_gets_domain_user_agent_and_timeout_from_settings(stub_geocoder):
    geocode("Rue de Fer 1, Namur")
    assert stub_geocoder.instances[0].options == {
        "timeout": 3,
        "user_agent": "relais-tests",
        "domain": "geo.coordination.example",
    }


def test_an_address_is_located_by_the_configured_geocoder(stub_geocoder, commune):
    located = locate_address("Rue de Fer 1", "5000", commune("Namur"))
    assert (located.latitude, located.longitude, located.source) == (
        50.4651,
        4.8652,
        PointSource.GEOCODER,
    )
    assert queries(stub_geocoder) == ["Rue de Fer 1, 5000 Namur, Belgique"]


def test_an_answer_is_cached_so_the_geocoder_is_asked_once(stub_geocoder, commune):
    locate_address("Rue de Fer 1", "5000", commune("Namur"))
    locate_address("rue de fer 1", "5000", commune("Namur"))
    assert len(queries(stub_geocoder)) == 1
    assert GeocodeCache.objects.get().latitude == 50.4651


@pytest.mark.parametrize("error", [GeocoderTimedOut("slow"), GeocoderUnavailable("down")])
def test_a_failing_geocoder_falls_back_on_the_postal_code(stub_geocoder, commune, error):
    stub_geocoder.error = error
    located = locate_address("Rue de Fer 1", "5002", commune("Namur"))
    assert located.source == PointSource.POSTAL_CODE
    postal_code = commune("Namur").postal_codes.get(code="5002")
    assert (located.latitude, located.longitude) == (postal_code.latitude, postal_code.longitude)
    # A failure is not cached: the address is tried again next time.
    assert not GeocodeCache.objects.exists()


def test_an_answer_far_from_the_commune_is_another_place_and_is_ignored(stub_geocoder, commune):
    stub_geocoder.answer = (50.85, 4.35)  # Brussels
    assert (
        locate_address("Rue de la Gare 1", "5000", commune("Namur")).source
        == PointSource.POSTAL_CODE
    )


def test_without_a_geocoder_the_postal_code_of_the_gazetteer_is_used(settings, commune):
    settings.RELAIS_GEOCODER = ""
    located = locate_address("Rue de Fer 1", "5000", commune("Namur"))
    assert located.source == PointSource.POSTAL_CODE


def test_a_postal_code_of_another_commune_falls_back_on_the_commune_point(settings, commune):
    settings.RELAIS_GEOCODER = ""
    namur = commune("Namur")
    located = locate_address("", "4000", namur)
    assert (located.latitude, located.longitude, located.source) == (
        namur.latitude,
        namur.longitude,
        PointSource.MUNICIPALITY,
    )


def test_pelias_without_its_own_domain_is_not_called(stub_geocoder, settings, commune):
    settings.RELAIS_GEOCODER = "pelias"
    settings.RELAIS_GEOCODER_DOMAIN = ""
    located = locate_address("Rue de Fer 1", "5000", commune("Namur"))
    assert located.source == PointSource.POSTAL_CODE
    assert stub_geocoder.instances == []
