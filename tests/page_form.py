"""What a browser would send when a person presses a button on a page: the fields of the form as rendered.

    data = submitted_fields(html, button="save")   # the form holding that button, plus the button itself
    data = submitted_fields(html, action="/audits/3/submit")   # the form posting there (an unnamed button)

Text and hidden inputs send their value, checked radios and checkboxes theirs, textareas their text and
selects their selected option: exactly what is on the page, so a test posts what the person sees.
"""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []  # {"fields": [(name, value)], "buttons": {name: value}}
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"fields": [], "buttons": {}, "action": a.get("action")}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind == "submit":
                self._form["buttons"][name] = a.get("value", "")
            elif kind in ("radio", "checkbox"):
                if "checked" in a:
                    self._form["fields"].append((name, a.get("value", "on")))
            else:
                self._form["fields"].append((name, a.get("value", "")))
        elif tag == "button" and name:
            self._form["buttons"][name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = [name, None, None]  # name, first option, selected option
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select[1] is None:
                self._select[1] = value
            if "selected" in a:
                self._select[2] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            text = self._textarea[1].removeprefix("\n")
            self._form["fields"].append((self._textarea[0], text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, first, selected = self._select
            self._form["fields"].append((name, selected if selected is not None else (first or "")))
            self._select = None
        elif tag == "form":
            self._form = None


def submitted_fields(html: str, button: str | None = None, action: str | None = None) -> dict[str, list[str]]:
    """The fields the form sends when its submit button named `button` is pressed (or the form posting
    to `action`, whose button has no name)."""
    parser = _FormParser()
    parser.feed(html)
    for form in parser.forms:
        if (button and button in form["buttons"]) or (action and form["action"] == action):
            data: dict[str, list[str]] = {}
            for name, value in form["fields"]:
                data.setdefault(name, []).append(value)
            if button:
                data[button] = [form["buttons"][button]]
            return data
    raise AssertionError(f"No form on the page has a button named {button!r} or posts to {action!r}")
