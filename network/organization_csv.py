"""The organisations spreadsheet format shared by CSV import and export."""

COLUMNS = [
    "external_id",
    "name",
    "kind",
    "description",
    "activities",
    "needs",
    "address",
    "postal_code",
    "municipality",
    "address_visibility",
    "latitude",
    "longitude",
    "email",
    "phone",
    "website",
    "routing_email",
    "languages",
    "area_served",
    "accepting_requests",
    "status",
]
# Cells holding several values (activities, needs, languages, area_served) separate them with this.
LIST_SEPARATOR = ";"
YES, NO = "yes", "no"
