"""One file store, two places: a folder (the embedded default) and an S3-compatible bucket.

Both are held to the same behaviour, the bucket over HTTP against an S3-protocol server on
127.0.0.1. Then the app itself on a bucket: a citizen's photo, a leader's export, a rollback
that leaves nothing behind, and downloads that the app still authorises.
"""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from openpyxl import load_workbook

from tanggap import filestore
from tanggap.complaints import attachments
from tanggap.extensions import db

from .buckets import S3Server, s3_server  # noqa: F401 (the session's S3-protocol server)
from .complaints.conftest import complaint_form
from .complaints.helpers import complaint, photo


@pytest.fixture(params=["folder", "bucket"])
def store(request, tmp_path) -> filestore.Store:
    if request.param == "folder":
        return filestore.from_url(str(tmp_path / "files"))
    server: S3Server = request.getfixturevalue("s3_server")
    return filestore.from_url(f"s3://{server.new_bucket()}/platform-a", endpoint_url=server.endpoint)


def test_a_store_keeps_reads_lists_and_forgets_files_by_key(store):
    store.put("uploads/7/a.jpg", b"photo")
    store.put("uploads/7/b.pdf", io.BytesIO(b"%PDF-1.4 streamed"))
    store.put("exports/e1.xlsx", b"book")
    with store.open("uploads/7/b.pdf") as content:
        assert content.read() == b"%PDF-1.4 streamed"
    assert list(store.keys("uploads/")) == ["uploads/7/a.jpg", "uploads/7/b.pdf"]
    assert list(store.keys("exports/")) == ["exports/e1.xlsx"]

    store.put("uploads/7/a.jpg", b"photo, written anew")
    with store.open("uploads/7/a.jpg") as content:
        assert content.read() == b"photo, written anew"
    store.delete("uploads/7/a.jpg")
    with pytest.raises(filestore.Missing):
        store.open("uploads/7/a.jpg")
    store.delete("uploads/7/a.jpg")  # forgetting twice is no error
    store.check()


@pytest.mark.parametrize("key", ["../secret", "/etc/passwd", "uploads/../../x", ""])
def test_a_key_that_climbs_out_of_the_store_is_a_bug_not_a_path(store, key):
    with pytest.raises(ValueError):
        store.put(key, b"x")


def test_a_bucket_shared_by_two_platforms_keeps_each_under_its_prefix(s3_server):  # noqa: F811
    bucket = s3_server.new_bucket()
    first = filestore.from_url(f"s3://{bucket}/province-a", endpoint_url=s3_server.endpoint)
    second = filestore.from_url(f"s3://{bucket}/province-b/", endpoint_url=s3_server.endpoint)
    first.put("uploads/1/x.jpg", b"a")
    second.put("uploads/1/x.jpg", b"b")
    assert s3_server.names(bucket) == ["province-a/uploads/1/x.jpg", "province-b/uploads/1/x.jpg"]
    assert list(first.keys("uploads/")) == ["uploads/1/x.jpg"]


def test_every_file_copies_between_a_folder_and_a_bucket_both_ways(tmp_path, s3_server):  # noqa: F811
    folder = filestore.from_url(str(tmp_path / "instance"))
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "tanggap.db").write_bytes(b"not a kept file")
    folder.put("uploads/3/p.png", b"png")
    folder.put("exports/x.xlsx", b"xlsx")
    bucket = filestore.from_url(f"s3://{s3_server.new_bucket()}", endpoint_url=s3_server.endpoint)
    assert filestore.copy_all(folder, bucket) == 2  # only what the platform wrote, not the database beside it
    back = filestore.from_url(str(tmp_path / "restored"))
    assert filestore.copy_all(bucket, back) == 2
    assert (tmp_path / "restored" / "uploads" / "3" / "p.png").read_bytes() == b"png"


@pytest.fixture
def on_a_bucket(app: Flask, s3_server, monkeypatch) -> tuple[S3Server, str]:  # noqa: F811
    """The suite's app keeping its files in a bucket of this test's own."""
    bucket = s3_server.new_bucket()
    monkeypatch.setitem(app.extensions, "tanggap.filestore",
                        filestore.from_url(f"s3://{bucket}", endpoint_url=s3_server.endpoint))
    return s3_server, bucket


def test_a_citizens_photo_is_kept_in_the_bucket_and_downloaded_through_the_app(metro, lampung, visitor, new_visitor,
                                                                               ctx, on_a_bucket):
    server, bucket = on_a_bucket
    page = "/disdikbud-metro/pengaduan/baru"
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"',
                    visitor.get(page).get_data(as_text=True)).group(1)
    sent = visitor.submit(page, {"submission_key": key, **complaint_form(), "files": [(io.BytesIO(photo()), "k.jpg")]},
                          content_type="multipart/form-data")
    assert sent.status_code == 303, sent.get_data(as_text=True)[:2000]
    code = re.search(r"/pengaduan/([A-Z0-9-]+)/", sent.headers["Location"]).group(1)
    with ctx():
        found = complaint(code)
        [kept] = found.attachments
        assert server.names(bucket) == [f"uploads/{found.tenant_id}/{kept.storage_key.split('/')[1]}"]
        assert attachments.read(kept) == server.client().get_object(Bucket=bucket, Key=f"uploads/{kept.storage_key}")[
            "Body"].read()
    link = f"/disdikbud-metro/pengaduan/{code}/berkas/{kept.id}"
    download = visitor.get(link)
    assert download.status_code == 200 and download.headers["Content-Type"] == "image/jpeg"
    assert "attachment" in download.headers["Content-Disposition"] and "private" in download.headers["Cache-Control"]
    assert int(download.headers["Content-Length"]) == kept.size == len(download.data)
    # The app still decides who reads it: the tracking code is the citizen's key, at its own office only.
    assert new_visitor().get(link.replace("disdikbud-metro", "dinsos-lampung")).status_code == 404
    assert new_visitor().get(link.replace(code, code[:-1] + ("X" if code[-1] != "X" else "Y"))).status_code == 404


def test_a_rolled_back_transaction_leaves_no_object_in_the_bucket(metro, app, on_a_bucket):
    server, bucket = on_a_bucket
    with app.test_request_context():
        attachments.write(metro.tenant.id, attachments.Upload("a.pdf", "application/pdf", b"%PDF-1.4 x"))
        assert len(server.names(bucket)) == 1
        db.session.rollback()
    assert server.names(bucket) == []


def test_a_leaders_export_lands_in_the_bucket_and_is_read_back_from_it(make, new_visitor, on_a_bucket):
    server, bucket = on_a_bucket
    office = make.office_with_staff("dinas-alpha")
    make.complaint(office)
    leader = new_visitor()
    leader.login(office.leader.email)
    started = leader.submit("/dinas-alpha/staff/reports/exports", {}, page="/dinas-alpha/staff/reports/",
                            headers={"HX-Request": "true"})
    link = re.search(r'href="([^"]+/file)"', started.get_data(as_text=True)).group(1)
    export_id = link.rsplit("/", 2)[-2]
    assert server.names(bucket) == [f"exports/{export_id}.xlsx"]
    rows = list(load_workbook(io.BytesIO(leader.get(link).data)).active.values)
    assert rows[0][0] == "number" and len(rows) == 2


def test_the_file_commands_back_up_restore_and_find_what_is_missing(make, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.extensions, "tanggap.filestore", filestore.from_url(str(tmp_path / "kept")))
    office = make.office_with_staff("dinas-alpha")
    make.complaint(office, with_file=True)
    make.complaint(office, with_file=True)
    runner = app.test_cli_runner()

    backed_up = runner.invoke(args=["files", "backup", str(tmp_path / "backup")])
    assert backed_up.exit_code == 0 and "2 files copied" in backed_up.output
    checked = runner.invoke(args=["files", "verify", "--contents"])
    assert checked.exit_code == 0 and "2 files checked, 0 missing or changed" in checked.output

    [lost, changed] = sorted((tmp_path / "kept" / "uploads").rglob("*.pdf"))
    lost.unlink()
    changed.write_bytes(b"%PDF-1.4 not what was kept")
    broken = runner.invoke(args=["files", "verify", "--contents"])
    assert broken.exit_code == 1
    assert f"missing: uploads/{lost.parent.name}/{lost.name} (attachment " in broken.output
    assert f"changed: uploads/{changed.parent.name}/{changed.name} (attachment " in broken.output

    restored = runner.invoke(args=["files", "restore", str(tmp_path / "backup")])
    assert restored.exit_code == 0 and "restored" in restored.output
    assert runner.invoke(args=["files", "verify", "--contents"]).exit_code == 0
