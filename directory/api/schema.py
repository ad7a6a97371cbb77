"""OpenAPI generation: every operation documents the errors the API really answers."""

from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import IsAuthenticated

FIELD_ERRORS = {
    "type": "object",
    "description": "Un ou plusieurs messages par paramètre ou champ invalide.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}


def _requires_login(view) -> bool:
    return any(
        permission is IsAuthenticated for permission in getattr(view, "permission_classes", [])
    )


class RelaisAutoSchema(AutoSchema):
    """Adds 400 (bad parameters), 404 and 429 (throttled) answers, and 304 on conditional GETs."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        extra = {"400": FIELD_ERRORS, "404": DETAIL, "429": DETAIL}
        if self.method in ("POST", "PUT", "PATCH", "DELETE") or _requires_login(self.view):
            extra.update({"401": DETAIL, "403": DETAIL})
        for code, schema in extra.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(schema, code, direction=direction)
        # GeoJSON answers have their own shape (the pagination lives in the FeatureCollection).
        geojson = responses.get("200", {}).get("content", {}).get("application/geo+json")
        if geojson is not None and hasattr(self.view, "geojson_schema"):
            geojson["schema"] = self.view.geojson_schema()
        if self.method == "GET":
            responses.setdefault(
                "304", {"description": "Non modifié (If-None-Match / If-Modified-Since)."}
            )
        return responses
