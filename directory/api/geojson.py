"""GeoJSON output of the organisation list: `?format=geojson` answers a FeatureCollection."""

from rest_framework.renderers import JSONRenderer


class GeoJSONRenderer(JSONRenderer):
    """JSON with the GeoJSON media type (RFC 7946), chosen by `?format=geojson`."""

    media_type = "application/geo+json"
    format = "geojson"


def feature_collection(
    items: list[dict], *, count: int, next_url: str | None, previous_url: str | None
) -> dict:
    """Serialized organisations as GeoJSON Features, with the pagination as foreign members.

    The geometry is the public point (the commune's for a commune-visibility address); the
    serialized item is already free of private fields, so properties hold it minus the point.
    """
    features = []
    for item in items:
        properties = {
            key: value for key, value in item.items() if key not in ("latitude", "longitude")
        }
        features.append(
            {
                "type": "Feature",
                "id": item["slug"],
                "geometry": {
                    "type": "Point",
                    # GeoJSON orders coordinates longitude first.
                    "coordinates": [item["longitude"], item["latitude"]],
                },
                "properties": properties,
            }
        )
    return {
        "type": "FeatureCollection",
        "count": count,
        "next": next_url,
        "previous": previous_url,
        "features": features,
    }
