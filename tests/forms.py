"""Read an HTML form the way a browser submits it, so tests post what a person would."""

from __future__ import annotations

from html.parser import HTMLParser

from werkzeug.datastructures import MultiDict


class _FormReader(HTMLParser):
    def __init__(self, form_index: int) -> None:
        super().__init__()
        self.form_index, self.current, self.fields = form_index, -1, []
        self._in_form = False
        self._select: str | None = None
        self._select_value: str | None = None
        self._select_first: str | None = None
        self._textarea: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.current += 1
            self._in_form = self.current == self.form_index
        if not self._in_form:
            return
        if tag == "input" and "name" in a:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._select_value, self._select_first = a.get("name"), None, None
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select_first = self._select_first if self._select_first is not None else value
            if "selected" in a:
                self._select_value = value
        elif tag == "textarea" and "name" in a:
            self._textarea = len(self.fields)
            self.fields.append((a["name"], ""))

    def handle_data(self, data: str) -> None:
        """A textarea submits its text (an HTML parser has already unescaped it)."""
        if self._in_form and self._textarea is not None:
            name, value = self.fields[self._textarea]
            self.fields[self._textarea] = (name, value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        if tag == "form":
            self._in_form = False
        if tag == "select" and self._select is not None:
            chosen = self._select_value if self._select_value is not None else self._select_first
            self.fields.append((self._select, chosen or ""))
            self._select = None


def form_fields(html: str, form_index: int = 0) -> list[tuple[str, str]]:
    """The (name, value) pairs the ``form_index``-th form on the page would submit."""
    reader = _FormReader(form_index)
    reader.feed(html)
    return reader.fields


def replace(fields: MultiDict, **changes: str) -> MultiDict:
    """The fields with some values changed by name (``__`` stands for a dot)."""
    keyed = {k.replace("__", "."): v for k, v in changes.items()}
    return MultiDict([(name, keyed.get(name, value)) for name, value in fields.items(multi=True)])


def form_with(html: str, field_name: str) -> MultiDict:
    """The fields of the first form on the page that has a field called ``field_name``."""
    for index in range(html.count("<form")):
        fields = form_fields(html, index)
        if any(name == field_name for name, _ in fields):
            return MultiDict(fields)
    raise AssertionError(f"no form with a field {field_name!r}")
