"""RFC 9457 problem details as XML (``application/problem+xml``, Appendix B)."""

import re
from xml.etree import ElementTree

from .problem import ProblemFormat

NAMESPACE = "urn:ietf:rfc:7807"
# XML 1.0 allows no other control characters: catalog text and extension
# values could hold them, and they would make the document unreadable.
_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9._-]*")


class ProblemXmlFormat(ProblemFormat):
    """The problem format's members, as RFC 9457 Appendix B writes them in XML.

    The root is ``problem`` in the ``urn:ietf:rfc:7807`` namespace, each member
    an element of the same name; arrays hold one ``i`` element per item and
    objects (such as field errors) child elements. Extension members whose
    names are not XML names are left out.
    """

    media_type = "application/problem+xml"
    schema_name = "ProblemDetailsXml"

    def serialize(self, body):
        return ElementTree.tostring(_document(body), encoding="utf-8", xml_declaration=True)

    def display(self, body):
        root = _document(body)
        ElementTree.indent(root)
        return ElementTree.tostring(root, encoding="unicode")

    def parse(self, content):
        return _read(ElementTree.fromstring(content))

    def schema(self):
        schema = super().schema()
        return {
            **schema,
            "description": "RFC 9457 problem details as XML (Appendix B).",
            "xml": {"name": "problem", "namespace": NAMESPACE},
        }


def _document(body):
    root = ElementTree.Element("problem", xmlns=NAMESPACE)
    _fill(root, body)
    return root


def _fill(element, value):
    if isinstance(value, dict):
        for name, child in value.items():
            if isinstance(name, str) and _XML_NAME.fullmatch(name) and not name.lower().startswith("xml"):
                _fill(ElementTree.SubElement(element, name), child)
    elif isinstance(value, (list, tuple)):
        for child in value:
            _fill(ElementTree.SubElement(element, "i"), child)
    elif value is None:
        element.set("nil", "true")
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = _NOT_XML_CHAR.sub("\ufffd", str(value))


def _read(element):
    """An element back to plain values (for tests): text, lists of ``i``, objects."""
    children = list(element)
    if not children:
        return None if element.get("nil") == "true" else (element.text or "")
    if all(child.tag.rpartition("}")[2] == "i" for child in children):
        return [_read(child) for child in children]
    return {child.tag.rpartition("}")[2]: _read(child) for child in children}
