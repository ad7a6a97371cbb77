"""Leaflet and Leaflet.markercluster served as Django static files, from their XStatic packages.

A finder rather than STATICFILES_DIRS entries, so that only the files the maps use are found
and collected: the markercluster package ships a minified script whose source map is missing,
and `collectstatic` with the manifest storage (production) stops on such a broken reference.
"""

import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from django.contrib.staticfiles.finders import FileSystemFinder
from django.core.files.storage import FileSystemStorage

# URL prefix under STATIC_URL -> (package directory, the files the maps need).
VENDOR_FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "vendor/leaflet": (
        xstatic.pkg.leaflet.BASE_DIR,
        (
            "leaflet.css",
            "leaflet.js",
            "leaflet.js.map",
            "images/layers.png",
            "images/layers-2x.png",
            "images/marker-icon.png",
            "images/marker-icon-2x.png",
            "images/marker-shadow.png",
        ),
    ),
    "vendor/leaflet-markercluster": (
        xstatic.pkg.leaflet_markercluster.BASE_DIR,
        (
            "MarkerCluster.css",
            "MarkerCluster.Default.css",
            "leaflet.markercluster-src.js",
            "leaflet.markercluster-src.js.map",
        ),
    ),
}
VENDOR_PATHS = frozenset(
    f"{prefix}/{name}" for prefix, (_root, names) in VENDOR_FILES.items() for name in names
)


class XStaticFinder(FileSystemFinder):
    """Finds the listed files of the XStatic packages under static/vendor/."""

    def __init__(self, app_names=None, *args, **kwargs):
        # FileSystemFinder.__init__ reads STATICFILES_DIRS; these locations are fixed instead.
        self.locations = [(prefix, root) for prefix, (root, _names) in VENDOR_FILES.items()]
        self.storages = {}
        for prefix, root in self.locations:
            storage = FileSystemStorage(location=root)
            storage.prefix = prefix
            self.storages[root] = storage

    def check(self, **kwargs) -> list:
        """Nothing to check: the locations come from installed packages."""
        return []

    def find(self, path: str, find_all: bool = False, **kwargs):
        """The absolute path of a listed vendor file, or nothing."""
        if path not in VENDOR_PATHS:
            return [] if (find_all or kwargs.get("all")) else None
        return super().find(path, find_all=find_all, **kwargs)

    def list(self, ignore_patterns):
        """The listed files only, for collectstatic."""
        for _prefix, (root, names) in VENDOR_FILES.items():
            for name in names:
                yield name, self.storages[root]
