from django.contrib.staticfiles import finders
from django.core.management import call_command

from maps.rendering import MAP_ASSETS
from maps.staticfiles import XStaticFinder


def test_every_map_asset_is_found_among_the_site_static_files():
    for path in MAP_ASSETS.css + MAP_ASSETS.js + ("vendor/leaflet/images/marker-icon.png",):
        assert finders.find(path), path


def test_only_the_listed_vendor_files_are_found():
    finder = XStaticFinder()
    # The minified markercluster build points to a source map the package lacks.
    assert finder.find("vendor/leaflet-markercluster/leaflet.markercluster.js") is None
    listed = {f"{storage.prefix}/{name}" for name, storage in finder.list([])}
    assert "vendor/leaflet/leaflet.js" in listed
    assert "vendor/leaflet-markercluster/leaflet.markercluster.js" not in listed


def test_production_collectstatic_with_hashed_names_succeeds(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "vendor/leaflet-markercluster/leaflet.markercluster-src.js").exists()
    assert (tmp_path / "staticfiles.json").exists()
