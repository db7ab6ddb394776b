"""Strings in each language, from one catalogue per language that a translator edits without reading Python.

The catalogues are ``en.toml`` and ``zh.toml`` beside this file: TOML tables whose
keys join with dots (``[status] on_track = "On track"`` is ``status.on_track``).
Values may hold ``{name}`` fields that ``t`` fills in. A key missing in one
language falls back to English, then to the key itself, so a missing string never
breaks a page; the test suite fails on any key that is missing in either file.

To add a language: copy en.toml to <code>.toml, translate the values (keep the keys and the
{fields}), add the code to LANGUAGES below, and give tracker.i18n.numbers.SCALES the words that
language uses for large numbers. tests/unit/test_i18n.py then checks the new file like the others.
"""

from __future__ import annotations

import math
import tomllib
from functools import cache
from pathlib import Path

LANGUAGES: dict[str, str] = {"en": "English", "zh": "中文"}
DEFAULT = "en"
_HERE = Path(__file__).resolve().parent


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every string of one language, by dotted key."""
    with open(_HERE / f"{lang}.toml", "rb") as fh:
        return _flatten(tomllib.load(fh))


def language(value: object) -> str:
    """A language code from a URL or a caller: 'zh' when asked for, else English."""
    return value if isinstance(value, str) and value in LANGUAGES else DEFAULT


def has(key: str, lang: str = DEFAULT) -> bool:
    return key in catalogue(language(lang))


def t(key: str, lang: str = DEFAULT, **fields: object) -> str:
    """The string ``key`` in ``lang`` with its ``{fields}`` filled in."""
    text = catalogue(language(lang)).get(key)
    if text is None:
        text = catalogue(DEFAULT).get(key, key)
    return text.format(**fields) if fields else text


def display_name(en: object, zh: object, lang: str) -> str:
    """A name in ``lang``: the Chinese one on a Chinese page when there is one, else the English one
    ("" for a missing value), for the app and the site alike."""
    if language(lang) == "zh" and isinstance(zh, str) and zh:
        return zh
    if en is None or (isinstance(en, float) and math.isnan(en)):
        return ""
    return str(en)


def file_text_html(en: object, zh: object, lang: str) -> str:
    """A text from a file (a reading, a reason, a summary) as escaped HTML in ``lang``, for the app and the site.

    On a Chinese page without a Chinese version, the English text is shown marked as such (and tagged
    lang="en" for screen readers), never passed off as a translation.
    """
    from tracker.escape import html_text

    text, fallback = localized(en, zh, lang)
    if not fallback:
        return html_text(text)
    marker = html_text(t("value.untranslated", lang))
    return f'<span class="untranslated">{marker}</span> <span lang="en">{html_text(text)}</span>'


def localized(en: object, zh: object, lang: str) -> tuple[str, bool]:
    """A text from a file in ``lang``: its ``_zh`` version on a Chinese page, else the English one.

    The flag is True where English stands in for a missing Chinese version, so that the page can mark it.
    """
    english = en if isinstance(en, str) else ""
    if language(lang) != "zh":
        return english, False
    if isinstance(zh, str) and zh.strip():
        return zh, False
    return english, bool(english)
