"""Text normalisation shared by every search over names: case- and accent-insensitive."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _drop_combining(match: re.Match) -> str:
    char = match.group()
    return "" if unicodedata.combining(char) else char


def fold(text: str) -> str:
    """Lower-case, strip accents and fold punctuation to single spaces: "Liège" -> "liege"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    # Only non-ASCII characters can be combining marks: the regex visits those alone, not every
    # character (an import folds thousands of descriptions).
    ascii_only = _NON_ASCII.sub(_drop_combining, decomposed)
    return _NON_WORD.sub(" ", ascii_only.lower()).strip()
