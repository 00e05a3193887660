"""The import page: uploading exports as search batches through the form (multipart), the errors the
form shows with the reviewer's choices kept, and who may import (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import tomlkit
from fastapi.testclient import TestClient
from httpx import Response

import synthesist.services.records.uploads as uploads_service
from synthesist.review.accounts import Role
from synthesist.review.project import find_project
from synthesist.services.accounts.users import add_member, add_user
from synthesist.services.records.reading import list_batches
from synthesist.services.records.uploads import UPLOADS_FOLDER, safe_file_name
from synthesist.web import create_app
from synthesist.web.body_limit import BodyLimit, BodyLimits
from tests.helpers import ris_text
from tests.web.conftest import PASSWORD, Served, csrf_of, login

RIS_TYPE = "application/x-research-info-systems"
QUERY = "1. exp Low Back Pain/\n2. physiotherap*.tw.\n3. 1 and 2"
# two good records, then one cut off at the end of the file (line 14): no "ER  -", as in a broken download
BROKEN_RIS = (
    "TY  - JOUR\nID  - ok-1\nTI  - A good record\nAU  - Doe, J.\nPY  - 2010\nER  - \n\n"
    "TY  - JOUR\nID  - ok-2\nTI  - Another good record\nPY  - 2012\nER  - \n\n"
    "TY  - JOUR\nID  - bad\nTI  - A record without its end\nPY  - 2011\n"
)


def _import_url(served: Served) -> str:
    return f"/p/{served.a.project.key}/import"


def _post(
    client: TestClient,
    url: str,
    files: list[tuple[str, bytes]],
    *,
    token: str | None = None,
    **fields: str,
) -> Response:
    if token is None:
        token = csrf_of(client.get(url).text)
    data = {"csrf_token": token, **fields} if token else fields
    response: Response = client.post(
        url, data=data, files=[("files", (name, content, RIS_TYPE)) for name, content in files]
    )
    return response


def _uploaded(served: Served) -> list[Path]:
    folder = served.a.project.root / UPLOADS_FOLDER
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


def test_a_reviewer_uploads_an_export_and_sees_the_batch_and_its_counts(served: Served) -> None:
    client = served.client("aoife")
    url = _import_url(served)
    form = client.get(url)
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.text and 'name="searched_on"' in form.text
    before = len(list_batches(served.a))

    response = _post(
        client,
        url,
        [("medline search.ris", ris_text(5, start=100).encode())],
        source="MEDLINE (Ovid)",
        searched_on="2014-06-30",
        query=QUERY,
    )
    assert response.status_code == 200, response.text
    # the import ran as a job (at once here: tests/web/conftest.py), and the answer is the job's page
    assert re.search(r"/p/[^/]+/jobs/\d+$", str(response.url)), response.url
    assert "Imported 5 records" in response.text
    batches = list_batches(served.a)
    assert len(batches) == before + 1
    batch = batches[-1]
    assert (batch.source, batch.file_name, batch.record_count) == ("MEDLINE (Ovid)", "medline_search.ris", 5)
    assert batch.searched_on is not None and batch.searched_on.isoformat() == "2014-06-30"
    assert batch.query == QUERY and batch.imported_by == "aoife"
    # the table of batches lists it, query included; the file is kept in the project folder
    response = client.get(url)
    assert "2014-06-30" in response.text and "medline_search.ris (ris)" in response.text
    assert "exp Low Back Pain/" in response.text
    [saved] = _uploaded(served)
    assert saved.name == "medline_search.ris" and saved.read_bytes() == ris_text(5, start=100).encode()


def test_several_files_in_one_upload_become_one_batch_each(served: Served) -> None:
    client = served.client("olwen")
    response = _post(
        client,
        _import_url(served),
        [("part1.ris", ris_text(2, start=200).encode()), ("part2.ris", ris_text(3, start=300).encode())],
        source="",
        other_method="reference lists",
    )
    assert response.status_code == 200, response.text
    assert "Imported 5 records" in response.text
    last_two = list_batches(served.a)[-2:]
    assert [(b.file_name, b.record_count, b.other_method) for b in last_two] == [
        ("part1.ris", 2, "reference lists"),
        ("part2.ris", 3, "reference lists"),
    ]


def test_a_malformed_file_shows_the_line_and_imports_nothing_keeping_the_choices(served: Served) -> None:
    client = served.client("aoife")
    before = list_batches(served.a)
    response = _post(
        client,
        _import_url(served),
        [("broken.ris", BROKEN_RIS.encode())],
        source="CINAHL (EBSCOhost)",
        searched_on="2015-01-31",
        query=QUERY,
        other_method="",
        format="ris",
    )
    # the job's page: it failed, with the file and line
    assert response.status_code == 200
    assert "Nothing was imported" in response.text
    assert "broken.ris:14:" in response.text and "no &#39;ER  -&#39;" in response.text
    back = re.search(r'href="(/p/[^"]+/import\?job=\d+)"', response.text)
    assert back, "the job's page links back to the form"
    form = client.get(back.group(1))
    assert form.status_code == 200
    assert "Nothing was imported" in form.text and "broken.ris:14:" in form.text
    # every choice is still in the form
    assert 'value="CINAHL (EBSCOhost)"' in form.text and 'value="2015-01-31"' in form.text
    assert "1. exp Low Back Pain/" in form.text
    assert '<option value="ris" selected>' in form.text
    assert list_batches(served.a) == before
    assert _uploaded(served) == [], "a refused upload leaves no file behind"


def test_skipping_invalid_records_imports_the_others_and_shows_the_reject_report(served: Served) -> None:
    client = served.client("aoife")
    response = _post(
        client,
        _import_url(served),
        [("broken.ris", BROKEN_RIS.encode())],
        source="CINAHL",
        skip_invalid="true",
    )
    assert response.status_code == 200, response.text
    assert "Imported 2 records; 1 rejected" in response.text
    assert "record starting at line 14" in response.text
    assert "imports/rejects-batch-" in response.text
    batch = list_batches(served.a)[-1]
    assert (batch.record_count, batch.reject_count) == (2, 1)


def test_the_same_file_twice_is_refused_with_the_services_message(served: Served) -> None:
    client = served.client("aoife")
    url = _import_url(served)
    content = ris_text(3, start=400).encode()
    assert _post(client, url, [("embase.ris", content)], source="Embase").status_code == 200
    count = len(list_batches(served.a))
    again = _post(client, url, [("embase-again.ris", content)], source="Embase")
    assert "this file was already imported as batch" in again.text  # the failed job's page
    back = re.search(r'href="(/p/[^"]+/import\?job=\d+)"', again.text)
    assert back
    form = client.get(back.group(1))
    assert "this file was already imported as batch" in form.text
    assert "--force" not in form.text, "the web form offers no --force"
    assert len(list_batches(served.a)) == count
    assert [path.name for path in _uploaded(served)] == ["embase.ris"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"source": "MEDLINE", "searched_on": "30/06/2014"},
            "date searched: &#39;30/06/2014&#39; is not a date",
        ),
        ({"source": ""}, "say where the records come from"),
        ({"source": "MEDLINE", "format": "no-such-format"}, "unknown import format"),
    ],
)
def test_form_errors_are_shown_and_nothing_is_imported(
    served: Served, fields: dict[str, str], message: str
) -> None:
    client = served.client("aoife")
    before = list_batches(served.a)
    response = _post(client, _import_url(served), [("x.ris", ris_text(2, start=500).encode())], **fields)
    assert response.status_code in (400, 404)
    assert message in response.text and "Nothing was imported" in response.text
    assert list_batches(served.a) == before


def test_no_file_chosen_is_an_error_on_the_form(served: Served) -> None:
    client = served.client("aoife")
    url = _import_url(served)
    response = client.post(
        url,
        data={"csrf_token": csrf_of(client.get(url).text), "source": "MEDLINE"},
        files=[("files", ("", b"", "application/octet-stream"))],
    )
    assert response.status_code == 400 and "no file was chosen" in response.text


def test_a_file_over_the_size_limit_is_refused_clearly(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uploads_service, "MAX_UPLOAD_BYTES", 1024)
    client = served.client("aoife")
    before = list_batches(served.a)
    response = _post(
        client, _import_url(served), [("big.ris", ris_text(20, start=600).encode())], source="MEDLINE"
    )
    assert response.status_code == 400
    assert "big.ris: the file is larger than 1 KB; nothing was imported" in response.text
    assert list_batches(served.a) == before and _uploaded(served) == []


def test_a_file_name_cannot_leave_the_uploads_folder(served: Served) -> None:
    client = served.client("aoife")
    response = _post(
        client,
        _import_url(served),
        [("../../review.toml.ris", ris_text(2, start=700).encode())],
        source="MEDLINE",
    )
    assert response.status_code == 200, response.text
    [saved] = _uploaded(served)
    assert saved.name == "review.toml.ris"
    assert saved.parent.parent == served.a.project.root / UPLOADS_FOLDER


def test_safe_file_name() -> None:
    assert safe_file_name("C:\\Users\\me\\Desktop\\My Search (2).ris") == "My_Search_2.ris"
    assert safe_file_name("../../etc/passwd") == "passwd"
    assert safe_file_name("Übersicht–Café.nbib") == "Ubersicht_Cafe.nbib"
    assert safe_file_name("....") == "upload"
    assert (
        safe_file_name("a" * 300 + ".ris").endswith(".ris") and len(safe_file_name("a" * 300 + ".ris")) == 120
    )


def test_a_viewer_sees_the_batches_read_only_and_cannot_import(served: Served) -> None:
    add_user(served.a, "vera", PASSWORD)
    add_member(served.a, "vera", Role.VIEWER)
    client = TestClient(served.app, base_url="http://testserver")
    login(client, "vera")
    url = _import_url(served)
    page = client.get(url)
    assert page.status_code == 200
    assert "records.ris (ris)" in page.text, "the batch list is visible"
    assert 'type="file"' not in page.text
    before = list_batches(served.a)
    refused = _post(
        client, url, [("v.ris", ris_text(2, start=800).encode())], token=csrf_of(page.text), source="MEDLINE"
    )
    assert refused.status_code == 403
    assert list_batches(served.a) == before


def test_an_upload_without_the_csrf_token_is_refused(served: Served) -> None:
    client = served.client("aoife")
    before = list_batches(served.a)
    refused = _post(
        client, _import_url(served), [("c.ris", ris_text(2, start=900).encode())], token="", source="MEDLINE"
    )
    assert refused.status_code == 403 and "security token" in refused.text
    wrong = _post(
        client,
        _import_url(served),
        [("c.ris", ris_text(2, start=900).encode())],
        token="forged",
        source="MEDLINE",
    )
    assert wrong.status_code == 403
    assert list_batches(served.a) == before and _uploaded(served) == []


def test_the_protocols_databases_are_offered_and_another_source_gets_a_warning(served: Served) -> None:
    path = served.a.project.protocol_path
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    search = document["search"]
    assert isinstance(search, dict)
    search["databases"] = tomlkit.aot()
    for name, platform in (("MEDLINE", "Ovid"), ("CINAHL", "EBSCOhost")):
        search["databases"].append(tomlkit.item({"name": name, "platform": platform}))
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    reread = dataclasses.replace(served.a, project=find_project(served.a.project.root))
    client = TestClient(create_app([reread, served.b]), base_url="http://testserver")
    login(client, "aoife")
    url = _import_url(served)
    page = client.get(url)
    assert (
        '<option value="MEDLINE (Ovid)">' in page.text and '<option value="CINAHL (EBSCOhost)">' in page.text
    )
    response = _post(client, url, [("scopus.ris", ris_text(2, start=950).encode())], source="Scopus")
    assert response.status_code == 200, response.text
    assert (
        "Warnings" in response.text and "source &#39;Scopus&#39; is not among the databases" in response.text
    )


def test_a_request_over_the_size_cap_is_refused_before_it_is_read(served: Served) -> None:
    limited = TestClient(BodyLimit(served.app, BodyLimits(small=1000)), base_url="http://testserver")
    assert limited.get("/login").status_code == 200  # small requests pass through
    response = limited.post("/login", content=b"x" * 2000, headers={"content-type": "text/plain"})
    assert response.status_code == 413
    assert "at most 1 KB in this request" in response.text
    assert served.app.user_middleware[0].cls is BodyLimit, "the app caps every request (outermost)"
