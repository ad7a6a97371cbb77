"""Open Referral HSDS 3.0: organisations, their locations, and one service per activity.

Identifiers are UUIDs that encode the organisation's primary key (and the activity for a
service), so a detail URL finds its row without a lookup table and the same data always gets
the same identifiers. Privacy rules are those of the public API: no routing e-mail, no member,
and for a commune-visibility address neither the street nor the exact point (the location is
the municipality, with the municipality's point).
"""

import re
import uuid
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from maps.models import Municipality
from network.listings.languages import SPOKEN_LANGUAGE_LABELS
from network.listings.models import Activity, ActivitySlug, Need, Organization

# Type tags in the first group keep identifiers of different kinds apart.
_ORGANIZATION_TAG, _LOCATION_TAG, _SERVICE_TAG = "52e1a001", "52e1a002", "52e1a003"
_ID_PATTERN = re.compile(r"^([0-9a-f]{8})-([0-9a-f]{4})-4000-8000-([0-9a-f]{12})$")
# Derived identifiers (phones, schedules, areas...) are name-based UUIDs in this namespace.
_NAMESPACE = uuid.UUID("6f1c1f0e-2f6a-4b8e-9d0c-52e1a0000000")
_ACTIVITY_NUMBERS = {slug.value: number for number, slug in enumerate(ActivitySlug, start=1)}
_ACTIVITY_BY_NUMBER = {number: slug for slug, number in _ACTIVITY_NUMBERS.items()}

PROVINCE_LABELS = dict(Municipality._meta.get_field("province").choices)


def _encoded_id(tag: str, pk: int, middle: int = 0) -> str:
    return f"{tag}-{middle:04x}-4000-8000-{pk:012x}"


def _derived_id(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(str(part) for part in parts)))


def organization_id(organization: Organization) -> str:
    """The HSDS identifier of an organisation."""
    return _encoded_id(_ORGANIZATION_TAG, organization.pk)


def location_id(organization: Organization) -> str:
    """The HSDS identifier of an organisation's (only) location."""
    return _encoded_id(_LOCATION_TAG, organization.pk)


def service_id(organization: Organization, activity_slug: str) -> str:
    """The HSDS identifier of the service an organisation offers for one activity."""
    return _encoded_id(_SERVICE_TAG, organization.pk, _ACTIVITY_NUMBERS[activity_slug])


def parse_organization_id(text: str) -> int | None:
    """The organisation's primary key encoded in an HSDS identifier, or None."""
    match = _ID_PATTERN.match(text.lower())
    if not match or match.group(1) != _ORGANIZATION_TAG or match.group(2) != "0000":
        return None
    return int(match.group(3), 16)


def parse_service_id(text: str) -> tuple[int, str] | None:
    """The organisation's primary key and activity slug encoded in a service identifier."""
    match = _ID_PATTERN.match(text.lower())
    if not match or match.group(1) != _SERVICE_TAG:
        return None
    activity = _ACTIVITY_BY_NUMBER.get(int(match.group(2), 16))
    return (int(match.group(3), 16), activity) if activity else None


def _timestamp(value: datetime | None) -> str | None:
    return value.isoformat(timespec="milliseconds") if value else None


def _compact(data: dict) -> dict:
    """Leave out empty optional values: HSDS types them as strings, not nulls."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def _public_url(organization: Organization, base_url: str) -> str:
    return base_url + reverse("directory:organization_detail", args=[organization.slug])


def _languages(organization: Organization, **link: str) -> list[dict]:
    return [
        _compact(
            {
                "id": _derived_id("language", organization.pk, *link.values(), code),
                **link,
                "name": str(SPOKEN_LANGUAGE_LABELS.get(code, code)),
                "code": code,
            }
        )
        for code in organization.language_codes
    ]


def _term(taxonomy: str, term: Activity | Need) -> dict:
    return {
        "id": _derived_id("taxonomy_term", taxonomy, term.slug),
        "code": term.slug,
        "name": str(term.label),
        "description": str(term.label),
        "taxonomy": taxonomy,
    }


def organization_summary(organization: Organization, base_url: str) -> dict:
    """The fields of an organisation that HSDS lists (organization_list schema)."""
    data = _compact(
        {
            "id": organization_id(organization),
            "name": organization.name,
            "email": organization.email,
            "website": organization.website,
            "uri": _public_url(organization, base_url),
        }
    )
    # Required by HSDS, even when empty.
    data["description"] = organization.description
    return data


def location(organization: Organization) -> dict:
    """The organisation's place: its public address, or only its municipality."""
    municipality = organization.municipality
    exact_address = organization.address_visibility == Organization.AddressVisibility.EXACT
    data = {
        "id": location_id(organization),
        "location_type": "physical",
        "organization_id": organization_id(organization),
        "name": organization.name if exact_address else municipality.name_fr,
        "description": None
        if exact_address
        else _("Commune de %(name)s (adresse non publiée)") % {"name": municipality.name_fr},
        # The public point: the exact one only when the address is public.
        "latitude": organization.public_latitude,
        "longitude": organization.public_longitude,
        "external_identifier": municipality.refnis,
        "external_identifier_type": "REFNIS",
        "languages": _languages(organization, location_id=location_id(organization)),
    }
    if exact_address and organization.address:
        data["addresses"] = [
            {
                "id": _derived_id("address", organization.pk),
                "location_id": location_id(organization),
                "address_1": organization.address,
                "city": municipality.name_fr,
                "state_province": str(
                    PROVINCE_LABELS.get(municipality.province, municipality.province)
                ),
                "postal_code": organization.postal_code,
                "country": "BE",
                "address_type": "physical",
            }
        ]
    if organization.schedule:
        data["schedules"] = [
            {
                "id": _derived_id("schedule", "location", organization.pk),
                "location_id": location_id(organization),
                "description": organization.schedule,
            }
        ]
    return _compact(data)


def _phones(organization: Organization, **link: str) -> list[dict]:
    if not organization.phone:
        return []
    return [
        {
            "id": _derived_id("phone", organization.pk, *link.values()),
            **link,
            "number": organization.phone,
            "type": "voice",
        }
    ]


def service(
    organization: Organization, activity: Activity, base_url: str, *, with_organization: bool
) -> dict:
    """The service an organisation offers for one activity, where and for which communes."""
    identifier = service_id(organization, activity.slug)
    served = list(organization.area_served.all()) or [organization.municipality]
    data = {
        "id": identifier,
        "organization_id": organization_id(organization),
        "name": f"{activity.label} · {organization.name}",
        "description": organization.description,
        "url": organization.website,
        "email": organization.email,
        "status": "active",
        "alert": organization.temporary_message,
        "last_modified": _timestamp(organization.updated_at),
        "assured_date": organization.verified_at.date().isoformat()
        if organization.verified_at
        else None,
        "phones": _phones(organization, service_id=identifier),
        "schedules": [
            {
                "id": _derived_id("schedule", identifier),
                "service_id": identifier,
                "description": organization.schedule,
            }
        ]
        if organization.schedule
        else [],
        "service_areas": [
            {
                "id": _derived_id("service_area", identifier, municipality.refnis),
                "service_id": identifier,
                "name": municipality.name_fr,
                "description": _("Commune de %(name)s (REFNIS %(refnis)s)")
                % {"name": municipality.name_fr, "refnis": municipality.refnis},
                "extent_type": "text",
                "extent": municipality.name_fr,
            }
            for municipality in served
        ],
        "service_at_locations": [
            {
                "id": _derived_id("service_at_location", identifier),
                "service_id": identifier,
                "location_id": location_id(organization),
                "location": location(organization),
            }
        ],
        "languages": _languages(organization, service_id=identifier),
        "attributes": [
            {
                "id": _derived_id("attribute", identifier, activity.slug),
                "link_id": identifier,
                "link_type": "service",
                "link_entity": "service",
                "taxonomy_term": _term("relais-activites", activity),
            }
        ],
    }
    if with_organization:
        data["organization"] = organization_summary(organization, base_url)
    return _compact(data)


def organization_full(organization: Organization, base_url: str) -> dict:
    """An organisation with its location, phones, needs and one service per activity."""
    identifier = organization_id(organization)
    data = {
        **organization_summary(organization, base_url),
        "phones": _phones(organization, organization_id=identifier),
        "locations": [location(organization)],
        "organization_identifiers": [
            {
                "id": _derived_id("identifier", organization.pk),
                "organization_id": identifier,
                "identifier_scheme": "relais",
                "identifier_type": "slug",
                "identifier": organization.slug,
            }
        ],
        "attributes": [
            {
                "id": _derived_id("attribute", identifier, "need", need.slug),
                "link_id": identifier,
                "link_type": "organization",
                "link_entity": "organization",
                "taxonomy_term": _term("relais-besoins", need),
            }
            for need in organization.needs.all()
        ],
        "services": [
            service(organization, activity, base_url, with_organization=False)
            for activity in organization.activities.all()
        ],
    }
    data = _compact(data)
    data["description"] = organization.description
    return data
