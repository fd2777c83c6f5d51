"""Fill the English catalogue: source strings are English, so each message is its own translation.

Run by ``make extract-messages`` after ``pybabel update``; the Indonesian catalogue is
translated by people, this one never needs to be.
"""

from pathlib import Path

from babel.messages.pofile import read_po, write_po

path = Path(__file__).parent / "en" / "LC_MESSAGES" / "messages.po"
with path.open("rb") as handle:
    catalog = read_po(handle, locale="en")
for message in catalog:
    if not message.id:
        continue
    message.string = message.id
    message.flags.discard("fuzzy")
with path.open("wb") as handle:
    write_po(handle, catalog, omit_header=False, no_location=True, width=100)
