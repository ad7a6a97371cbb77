"""Languages an organisation can speak with people (ISO 639-1 codes)."""

from django.utils.translation import gettext_lazy as _

SPOKEN_LANGUAGES = [
    ("fr", _("français")),
    ("nl", _("néerlandais")),
    ("de", _("allemand")),
    ("en", _("anglais")),
    ("ar", _("arabe")),
    ("es", _("espagnol")),
    ("it", _("italien")),
    ("pt", _("portugais")),
    ("ru", _("russe")),
    ("uk", _("ukrainien")),
    ("fa", _("persan")),
    ("ps", _("pachto")),
    ("ti", _("tigrinya")),
    ("am", _("amharique")),
    ("so", _("somali")),
    ("tr", _("turc")),
    ("ku", _("kurde")),
]
SPOKEN_LANGUAGE_LABELS = dict(SPOKEN_LANGUAGES)
