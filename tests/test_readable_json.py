"""The app's JSON refuses a document holding a lone surrogate, however its text wrote it, and
reads every other document as ``json`` does: the quick look at the text before the walk
(``web.may_hold_surrogate``) must never let one by."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st

from tanggap.web import LONE_SURROGATE, ReadableJSON

#: Text with surrogates among ordinary letters, escapes' look-alikes and backslashes.
TEXT = st.text(alphabet=st.one_of(st.characters(min_codepoint=0xD7F0, max_codepoint=0xE010),
                                  st.sampled_from("aZ\\u\"d8D9"), st.characters()), max_size=12)
DOCUMENTS = st.recursive(st.none() | st.booleans() | st.integers() | TEXT,
                         lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                         max_leaves=12)


def _holds(value: object) -> bool:
    if isinstance(value, str):
        return bool(LONE_SURROGATE.search(value))
    if isinstance(value, dict):
        return any(_holds(key) or _holds(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds(item) for item in value)
    return False


@pytest.fixture(scope="module")
def provider() -> ReadableJSON:
    return ReadableJSON(Flask(__name__))


@settings(max_examples=400, deadline=None)
@given(document=DOCUMENTS, ascii_only=st.booleans(), as_bytes=st.booleans())
def test_a_document_is_refused_exactly_when_it_holds_a_lone_surrogate(provider, document, ascii_only, as_bytes):
    text = json.dumps(document, ensure_ascii=ascii_only)
    sent: str | bytes = text.encode("utf-8", "surrogatepass") if as_bytes else text
    if _holds(document):
        with pytest.raises(ValueError):
            provider.loads(sent)
    else:
        assert provider.loads(sent) == document


@pytest.mark.parametrize("text", ['"\\uD83D\\uDE00"', '"\\\\ud800"', '{"a": "\\u00e9\\udBff\\udc00"}'])
def test_a_whole_pair_and_an_escaped_backslash_are_read(provider, text):
    assert provider.loads(text) == json.loads(text)


@pytest.mark.parametrize("text", ['"\\uD800"', '["x", {"k\\udfff": 1}]', b'"\xed\xa0\x80"',
                                  '"\\ud800"'.encode("utf-16")])
def test_a_lone_half_is_refused_in_any_spelling_and_encoding(provider, text):
    with pytest.raises(ValueError):
        provider.loads(text)
