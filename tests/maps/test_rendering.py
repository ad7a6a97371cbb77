import json

import folium
import pytest

from maps.areas import Area
from maps.rendering import (
    MAP_ASSETS,
    CoverageRow,
    ResultRow,
    area_map,
    coverage_map,
    encode_coverage,
    encode_results,
    map_spec,
    map_spec_json,
    point_map,
    results_map,
)


def layer_types(spec):
    return [layer["type"] for layer in spec["layers"]]


def test_tiles_come_from_the_configured_tile_server(settings):
    settings.RELAIS_TILE_URL = "https://tuiles.example.be/{z}/{x}/{y}.png"
    settings.RELAIS_TILE_ATTRIBUTION = "Tuiles de la coordination"
    tiles = map_spec(results_map())["layers"][0]
    assert tiles["url"] == "https://tuiles.example.be/{z}/{x}/{y}.png"
    assert tiles["options"]["attribution"] == "Tuiles de la coordination"


def test_no_spec_or_asset_points_to_a_cdn():
    specs = [
        map_spec_json(results_map((50.46, 4.87), "Namur", 20)),
        map_spec_json(point_map(50.46, 4.87, "Maison")),
        map_spec_json(area_map(Area(50.46, 4.87, 4), "Namur")),
        map_spec_json(coverage_map()),
    ]
    for text in specs:
        assert "cdn" not in text and "jquery" not in text.lower() and "bootstrap" not in text
    for path in MAP_ASSETS.css + MAP_ASSETS.js:
        assert not path.startswith(("http:", "https:", "//"))


def test_results_map_draws_the_searched_place_and_its_radius():
    spec = map_spec(results_map((50.46, 4.87), "5000 Namur", 15))
    assert layer_types(spec) == ["tiles", "circle", "marker", "bounds", "cluster"]
    circle = spec["layers"][1]
    assert circle["location"] == [50.46, 4.87]
    assert circle["options"]["radius"] == 15000
    assert spec["layers"][2]["tooltip"] == "5000 Namur"


def test_results_map_without_a_place_shows_wallonia_and_clusters_only():
    spec = map_spec(results_map(), fit_data=True)
    assert layer_types(spec) == ["tiles", "bounds", "cluster"]
    assert spec["fitData"] is True
    assert spec["layers"][2]["options"]["chunkedLoading"] is True


def test_area_map_has_no_marker_and_stops_zooming_before_street_level():
    spec = map_spec(area_map(Area(50.46, 4.87, 4.5), "Namur"))
    assert "marker" not in layer_types(spec)
    assert spec["options"]["maxZoom"] <= 13
    assert spec["layers"][1]["options"]["radius"] == 4500


def test_an_element_without_a_spec_is_refused_rather_than_silently_dropped():
    folium_map = results_map()
    folium.PolyLine([[50.0, 4.0], [50.1, 4.1]]).add_to(folium_map)
    with pytest.raises(TypeError, match="PolyLine"):
        map_spec(folium_map)


def test_results_are_encoded_as_short_arrays_with_labels_given_once():
    rows = [ResultRow(50.4669123, 4.8675456, 2, 0b101, "Commune de Namur", "commune-de-namur")]
    payload = json.loads(
        encode_results(rows, [("collective", "Collectif")], ["Bénévoles", "Hébergeurs"])
    )
    assert payload["rows"] == [[50.4669, 4.8675, 2, 5, "Commune de Namur", "commune-de-namur"]]
    assert payload["kinds"] == [["collective", "Collectif"]]
    assert payload["needs"] == ["Bénévoles", "Hébergeurs"]


def test_coverage_puts_uncovered_communes_last_so_they_are_drawn_on_top():
    rows = [
        CoverageRow("Andenne", Area(50.49, 5.09, 5.0), 0),
        CoverageRow("Namur", Area(50.46, 4.87, 8.0), 3),
    ]
    payload = json.loads(encode_coverage(rows))
    assert [row[0] for row in payload["rows"]] == ["Namur", "Andenne"]
    assert payload["rows"][0][4] == 3
