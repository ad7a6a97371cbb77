"""Text normalisation shared by every search over names: case- and accent-insensitive."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case, strip accents and fold punctuation to single spaces: "Liège" -> "liege"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_only = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NON_WORD.sub(" ", ascii_only.lower()).strip()
