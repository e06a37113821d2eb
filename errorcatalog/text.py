"""Catalog text leaving the app in a markup language: shown as written, never run.

Catalog text is written by staff in the admin and by files through import.
HTML pages rely on Django's autoescaping; these cover the other places it is
shown: Markdown (the markdown export, OpenAPI descriptions that ReDoc and
Swagger UI render as Markdown with HTML) and spreadsheets (the CSV export).
"""

import re

# Every ASCII punctuation character CommonMark lets a backslash escape that can
# start markup: emphasis, code, links and images, tables, headings, HTML.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~<>])")
_HTML_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


def escape_markdown(text: str) -> str:
    """``text`` as literal Markdown inline content, on one line.

    ``&``, ``<`` and ``>`` become entities (no HTML can form, whatever the
    renderer's HTML settings) and Markdown punctuation gets a backslash, so
    no link, image, emphasis or table cell boundary comes from catalog text.
    """
    text = _LINE_BREAKS.sub(" ", str(text)).translate(_HTML_ENTITIES)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


# Cells a spreadsheet evaluates as a formula start with one of these (OWASP,
# "CSV Injection"): a leading apostrophe makes the cell plain text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """A CSV cell for ``value`` that no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


# What Django's and DRF's CharFields refuse, as JSON Schema patterns for the
# OpenAPI document: NUL characters always (ProhibitNullCharactersValidator)
# and, where a value is required, a string blank once whitespace is trimmed.
NO_NUL = "^[^\\u0000]*$"
NOT_BLANK = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
