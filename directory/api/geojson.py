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


# OpenAPI descriptions of the GeoJSON answers (the properties are an organisation's fields).
FEATURE_SCHEMA = {
    "type": "object",
    "required": ["type", "id", "geometry", "properties"],
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"type": "string", "description": "Le slug de l'organisation."},
        "geometry": {
            "type": "object",
            "required": ["type", "coordinates"],
            "properties": {
                "type": {"type": "string", "enum": ["Point"]},
                "coordinates": {
                    "type": "array",
                    "items": {"type": "number"},
                    "minItems": 2,
                    "maxItems": 2,
                    "description": "[longitude, latitude] du point public.",
                },
            },
        },
        "properties": {"type": "object"},
    },
}
FEATURE_COLLECTION_SCHEMA = {
    "type": "object",
    "required": ["type", "count", "next", "previous", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "count": {"type": "integer"},
        "next": {"type": "string", "format": "uri", "nullable": True},
        "previous": {"type": "string", "format": "uri", "nullable": True},
        "features": {"type": "array", "items": FEATURE_SCHEMA},
    },
}
