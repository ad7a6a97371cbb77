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
    # The listing's version when exported (organization_version): a re-import refuses a row
    # whose listing changed since, so nobody's newer edit is overwritten by an old spreadsheet.
    "version",
    # The columns this row's export left blank to keep them private (public export): a blank
    # cell there means "not exported", never "erase".
    "withheld",
]
# The columns holding the listing's data (the others describe the export itself).
DATA_COLUMNS = COLUMNS[: COLUMNS.index("version")]
# An import needs only the name (to match or create); any other column may be left out, and a
# column left out never changes the stored value.
REQUIRED_COLUMNS = ("name",)
# Cells holding several values (activities, needs, languages, area_served) separate them with this.
LIST_SEPARATOR = ";"
YES, NO = "yes", "no"
