"""Map tags for templates: the listing page's mini-map and the map assets."""

from django import template
from django.utils.translation import gettext as _

from maps.areas import municipality_area
from maps.rendering import MAP_ASSETS, MapAssets, area_map, map_spec_json, point_map

register = template.Library()


@register.simple_tag
def map_assets() -> MapAssets:
    """The self-hosted stylesheets and scripts a page with a map loads."""
    return MAP_ASSETS


@register.inclusion_tag("directory/_listing_map.html")
def listing_map(organization) -> dict:
    """The mini-map: the exact point only when the address is public, else the commune's area.

    The area is built from the municipality alone (see maps/areas.py), so for a commune-visibility
    listing neither the page nor anything it loads holds the organisation's own coordinates.
    """
    municipality = organization.municipality
    if organization.shows_exact_point:
        folium_map = point_map(
            organization.public_latitude, organization.public_longitude, organization.name
        )
        caption = _("Adresse publique de l'organisation.")
    else:
        folium_map = area_map(municipality_area(municipality), municipality.name)
        caption = _(
            "La zone colorée représente la commune de %(commune)s, pas l'adresse de l'organisation."
        ) % {"commune": municipality.name}
    return {"map_spec": map_spec_json(folium_map), "caption": caption, "organization": organization}
