"""Read a form out of a page the way a browser would submit it, to post it back unchanged.

Tests that "open" a page and save it later need what the page really carried (hidden version
included), not values rebuilt from the database at posting time.
"""

from html.parser import HTMLParser

_NOT_SENT = {"submit", "button", "reset", "image", "file"}


class _FormReader(HTMLParser):
    def __init__(self, form_id: str | None, index: int):
        super().__init__(convert_charrefs=True)
        self.form_id, self.index = form_id, index
        self.seen = -1
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.seen += 1
            if self.form_id is not None:
                self.inside = attributes.get("id") == self.form_id
            else:
                self.inside = self.seen == self.index
            return
        if not self.inside or "disabled" in attributes:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind in _NOT_SENT:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.fields.append((name, attributes.get("value", "on")))
                return
            self.fields.append((name, attributes.get("value", "")))
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in attributes, "chosen": []}
            self._select["first"] = None
        elif tag == "option" and self._select is not None:
            self._option = {"value": attributes.get("value"), "text": ""}
            self._option["selected"] = "selected" in attributes
        elif tag == "textarea" and name:
            self._textarea = {"name": name, "text": ""}

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "option" and self._option is not None:
            value = self._option["value"]
            value = self._option["text"].strip() if value is None else value
            if self._select["first"] is None:
                self._select["first"] = value
            if self._option["selected"]:
                self._select["chosen"].append(value)
            self._option = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"]
            if not chosen and not self._select["multiple"] and self._select["first"] is not None:
                chosen = [self._select["first"]]
            self.fields += [(self._select["name"], value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop the one line break that follows <textarea>.
            text = self._textarea["text"].removeprefix("\r\n").removeprefix("\n")
            self.fields.append((self._textarea["name"], text))
            self._textarea = None


def form_values(html: str, form_id: str | None = None, index: int = 0) -> dict:
    """The fields a browser would send for a form of `html` (by id, else by position).

    A name sent several times (ticked boxes, multiple selects) maps to a list.
    """
    reader = _FormReader(form_id, index)
    reader.feed(html)
    values: dict = {}
    for name, value in reader.fields:
        if name in values:
            if not isinstance(values[name], list):
                values[name] = [values[name]]
            values[name].append(value)
        else:
            values[name] = value
    return values
