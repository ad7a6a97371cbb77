"""The results map: bytes per listing on the wire and server time, against folium's default.

Relais sends a page whose HTML does not depend on the listings, plus the listings as compact
arrays (gzip when the browser accepts it, as every browser does). The comparison is what folium
does out of the box with the same rows: one HTML document holding a MarkerCluster with one
Marker and one Popup per listing, rendered by `Map.get_root().render()`.
"""

import gzip

import folium
from django.test import Client
from django.urls import reverse
from folium.plugins import MarkerCluster

from bench.harness import Report, median_ms
from network.infrastructure.directory_version import directory_changed
from network.listings.maps import KIND_ORDER, need_labels, organization_map_rows
from network.listings.models import Organization
from network.listings.selectors import organization_list_public

BENCHMARK = "map"
# Beyond this, folium's page takes minutes and gigabytes to build: the comparison stops there.
FOLIUM_MAX_SIZE = 10_000
TARGET_BYTES_PER_LISTING = 80


def _folium_default_html() -> str:
    """The same listings the way folium's documentation does it: a marker and popup each."""
    kinds = {index: str(kind.label) for index, kind in enumerate(KIND_ORDER)}
    needs = need_labels()
    rows = organization_map_rows(organization_list_public())
    folium_map = folium.Map(location=[50.25, 4.75], zoom_start=8)
    popups = []
    for row in rows:
        row_needs = ", ".join(
            label for bit, label in enumerate(needs) if row.needs_mask & (1 << bit)
        )
        url = reverse("directory:organization_detail", args=[row.slug])
        popups.append(
            folium.Popup(
                f"<strong>{row.name}</strong><br>{kinds[row.kind]}<br>{row_needs}"
                f'<br><a href="{url}">Voir la fiche</a>'
            )
        )
    MarkerCluster(locations=[(row.latitude, row.longitude) for row in rows], popups=popups).add_to(
        folium_map
    )
    return folium_map.get_root().render()


def run(report: Report, size: int) -> None:
    """Measure the results map at this many listings."""
    client = Client(headers={"accept-encoding": "gzip"})
    listings = Organization.objects.filter(status=Organization.Status.PUBLISHED).count()
    map_url, data_url = reverse("directory:map"), reverse("directory:map_data")

    page = client.get(map_url)
    data = client.get(data_url)
    page_bytes = len(page.content)
    data_wire = len(data.content)
    data_raw = (
        len(gzip.decompress(data.content)) if data.get("Content-Encoding") == "gzip" else data_wire
    )
    wire_per_listing = data_wire / listings
    report.add(BENCHMARK, size, "map page HTML (constant)", f"{page_bytes:,} B")
    report.add(BENCHMARK, size, "data JSON, raw", f"{data_raw / listings:.1f} B/listing")
    at_target_size = size >= 10_000
    report.add(
        BENCHMARK,
        size,
        "data JSON on the wire (gzip)",
        f"{wire_per_listing:.1f} B/listing",
        f"<= {TARGET_BYTES_PER_LISTING}" if at_target_size else "",
        wire_per_listing <= TARGET_BYTES_PER_LISTING if at_target_size else None,
    )
    page_ms = median_ms(lambda: client.get(map_url), repeat=7)
    cached_ms = median_ms(lambda: client.get(data_url), repeat=5, warmup=1)

    def cold():
        directory_changed()  # a write retires the cached answer: the data is built again
        client.get(data_url)

    data_ms = median_ms(cold, repeat=5, warmup=1)
    report.add(BENCHMARK, size, "server time: map page", f"{page_ms:.1f} ms")
    report.add(BENCHMARK, size, "server time: data endpoint, cold", f"{data_ms:.1f} ms")
    report.add(BENCHMARK, size, "server time: data endpoint, cached", f"{cached_ms:.1f} ms")

    if size > FOLIUM_MAX_SIZE:
        report.add(BENCHMARK, size, "folium default MarkerCluster", "not measured (too large)")
        return
    html = _folium_default_html()
    folium_raw = len(html.encode())
    folium_wire = len(gzip.compress(html.encode()))
    folium_ms = median_ms(_folium_default_html, repeat=3, warmup=0)
    report.add(
        BENCHMARK,
        size,
        "folium default: HTML on the wire (gzip)",
        f"{folium_wire / listings:.1f} B/listing",
    )
    report.add(
        BENCHMARK, size, "folium default: HTML raw", f"{folium_raw / listings:.1f} B/listing"
    )
    report.add(BENCHMARK, size, "folium default: server time to build", f"{folium_ms:.1f} ms")
    ours_wire = page_bytes + data_wire
    report.add(
        BENCHMARK,
        size,
        "wire bytes: folium / Relais (page + data)",
        f"{folium_wire / ours_wire:.1f}x",
    )
    report.add(
        BENCHMARK,
        size,
        "server time: folium / Relais (page + data, cold)",
        f"{folium_ms / (page_ms + data_ms):.1f}x",
    )
