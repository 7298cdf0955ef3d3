"""``imsmanifest.xml`` for SCORM 1.2 and 2004 (3rd and 4th edition).

One SCO per module: its resource lists the module's own files and depends on a
shared asset resource (stylesheet, scripts, runtime). Identifiers are derived
from the course and module ids, so they are stable across rebuilds and valid
XML ids; every href is relative, with no leading ``/``, no ``..`` and no spaces.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import quote

from ..model import Course, Module

CP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML = "http://www.w3.org/XML/1998/namespace"
"""The manifest's ``xml:lang`` gives the package's language: every SCORM version's schemas allow it, where LOM
metadata would have to validate strictly against a schema (imsmd) that packages do not carry."""

SCHEMA_VERSION = {"1.2": "1.2", "2004-3": "2004 3rd Edition", "2004-4": "2004 4th Edition"}
SHARED = "lm-shared"


@dataclass(frozen=True)
class Sco:
    module: Module
    launch: str
    """Path of the SCO's launch page inside the package."""
    files: tuple[str, ...]
    """Every file the SCO uses that no other SCO does."""


def href(path: str) -> str:
    return quote(path, safe="/-._~")


def manifest(course: Course, scos: list[Sco], shared: list[str], version: str) -> bytes:
    v12 = version == "1.2"
    cp, adlcp = (CP12, ADLCP12) if v12 else (CP, ADLCP)
    for prefix, uri in (("", cp), ("adlcp", adlcp), ("xsi", XSI), ("adlseq", ADLSEQ), ("adlnav", ADLNAV), ("imsss", IMSSS)):
        ET.register_namespace(prefix, uri)

    def el(parent, tag, text=None, ns=cp, **attrs):
        node = ET.SubElement(parent, f"{{{ns}}}{tag}", {k.replace("__", ":"): v for k, v in attrs.items()})
        if text is not None:
            node.text = text
        return node

    base = f"lm-{course.config.id}" + (f"-{scos[0].module.id}" if len(scos) == 1 else "")
    if len(course.config.languages) > 1:  # one package per language: each its own identifier
        base += f"-{course.config.language}"
    root = ET.Element(f"{{{cp}}}manifest", {"identifier": base, "version": course.version,
                                            f"{{{XML}}}lang": course.config.language})
    if v12:
        root.set(f"{{{XSI}}}schemaLocation", f"{CP12} imscp_rootv1p1p2.xsd {ADLCP12} adlcp_rootv1p2.xsd")
    else:
        root.set(f"{{{XSI}}}schemaLocation", f"{CP} imscp_v1p1.xsd {ADLCP} adlcp_v1p3.xsd {ADLSEQ} adlseq_v1p3.xsd "
                                             f"{ADLNAV} adlnav_v1p3.xsd {IMSSS} imsss_v1p0.xsd")
    metadata = el(root, "metadata")
    el(metadata, "schema", "ADL SCORM")
    el(metadata, "schemaversion", SCHEMA_VERSION[version])

    organizations = el(root, "organizations", default=f"{base}-org")
    organization = el(organizations, "organization", identifier=f"{base}-org")
    el(organization, "title", course.title if len(scos) > 1 else scos[0].module.title)
    for sco in scos:
        item = el(organization, "item", identifier=f"item-{sco.module.id}", identifierref=f"res-{sco.module.id}")
        el(item, "title", sco.module.title)
        if not v12:
            # No mastery score (1.2 adlcp:masteryscore, 2004 minNormalizedMeasure): an LMS that compares it
            # with the score (Moodle's default "mastery override") would fail an attempt that still has
            # retries. The content decides and reports success itself.
            sequencing = el(item, "sequencing", ns=IMSSS)
            el(sequencing, "deliveryControls", ns=IMSSS, completionSetByContent="true", objectiveSetByContent="true")
    if not v12 and len(scos) > 1:
        sequencing = el(organization, "sequencing", ns=IMSSS)
        el(sequencing, "controlMode", ns=IMSSS, choice="true", flow="true")

    resources = el(root, "resources")
    type_attr = f"{{{adlcp}}}{'scormtype' if v12 else 'scormType'}"
    for sco in scos:
        resource = el(resources, "resource", identifier=f"res-{sco.module.id}", type="webcontent", href=href(sco.launch))
        resource.set(type_attr, "sco")
        for path in sco.files:
            el(resource, "file", href=href(path))
        el(resource, "dependency", identifierref=SHARED)
    shared_resource = el(resources, "resource", identifier=SHARED, type="webcontent")
    shared_resource.set(type_attr, "asset")
    for path in shared:
        el(shared_resource, "file", href=href(path))

    ET.indent(root, space="  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"

