"""Files that any host of the platform can read: a folder on the embedded default, an
S3-compatible bucket in production (``TANGGAP_FILE_STORE``).

Citizens' attachments, delivery evidence and exports are kept by key (``uploads/<office>/
<name>``, ``exports/<id>.xlsx``). The web process writes a citizen's photo and the worker
writes an export; with web and worker on two hosts or two containers, only a store they
both reach lets each read what the other wrote. The folder keeps the keys as paths under
the instance folder, where they have always been; a bucket keeps them as object names
under an optional prefix.

Nothing in the store is public. A download is read by the app after it has checked who
asks, and streamed through it (``download``): the bucket hands out no links, so a leaked
link cannot outlive a revoked account. Logos are not here: they are small, shown on every
page, and live in the database beside the office they belong to.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, Protocol
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, send_file

#: The parts of the store the platform writes, and so what a backup copies.
AREAS = ("uploads/", "exports/")
_EXTENSION = "tanggap.filestore"
_CHUNK = 64 * 1024


class Missing(LookupError):
    """The store has no file under this key."""


class Store(Protocol):
    """What the platform needs of a place for files."""

    def put(self, key: str, data: bytes | BinaryIO) -> None: ...

    def open(self, key: str) -> BinaryIO: ...

    def delete(self, key: str) -> None: ...

    def keys(self, prefix: str) -> Iterator[str]: ...

    def check(self) -> None:
        """Raise if the store cannot be reached (readiness)."""


def _checked(key: str) -> PurePosixPath:
    """Keys are made by the platform; one that climbs out or starts at the root is a bug."""
    path = PurePosixPath(key)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"not a store key: {key!r}")
    return path


@dataclass(frozen=True)
class FolderStore:
    """Keys as files under one folder; a file is written whole under a temporary name first,
    so a reader never sees half of it."""

    root: Path

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*_checked(key).parts)

    def put(self, key: str, data: bytes | BinaryIO) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=target.parent, prefix=".partial-")
        try:
            with os.fdopen(handle, "wb") as out:
                if isinstance(data, bytes):
                    out.write(data)
                else:
                    shutil.copyfileobj(data, out, _CHUNK)
            os.replace(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise

    def open(self, key: str) -> BinaryIO:
        try:
            return self._path(key).open("rb")
        except FileNotFoundError:
            raise Missing(key) from None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def keys(self, prefix: str) -> Iterator[str]:
        base = self.root / prefix
        if not base.is_dir():
            return
        for path in sorted(base.rglob("*")):
            if path.is_file() and not path.name.startswith(".partial-"):
                yield path.relative_to(self.root).as_posix()

    def check(self) -> None:
        if not os.access(self.root if self.root.exists() else self.root.parent, os.W_OK):
            raise OSError(f"{self.root} is not writable")


@dataclass(frozen=True)
class BucketStore:
    """Keys as objects of one bucket, under an optional prefix (one bucket, several platforms)."""

    client: Any
    bucket: str
    prefix: str = ""

    def _name(self, key: str) -> str:
        return self.prefix + _checked(key).as_posix()

    def put(self, key: str, data: bytes | BinaryIO) -> None:
        if isinstance(data, bytes):
            self.client.put_object(Bucket=self.bucket, Key=self._name(key), Body=data)
        else:
            self.client.upload_fileobj(data, self.bucket, self._name(key))

    def open(self, key: str) -> BinaryIO:
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                raise Missing(key) from None
            raise

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def keys(self, prefix: str) -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix + prefix)
        for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"][len(self.prefix):]

    def check(self) -> None:
        self.client.head_bucket(Bucket=self.bucket)


def from_url(url: str, *, endpoint_url: str | None = None, region: str | None = None) -> Store:
    """``s3://bucket/prefix`` for a bucket (credentials from boto3's usual sources, such as
    ``AWS_ACCESS_KEY_ID``), anything else a folder."""
    if not url.startswith("s3://"):
        return FolderStore(Path(url))
    import boto3
    from botocore.config import Config

    parts = urlsplit(url)
    prefix = parts.path.strip("/")
    # S3-compatible servers of one's own (MinIO, Ceph, a test's) name buckets in the path.
    style = {"addressing_style": "path"} if endpoint_url else {}
    client = boto3.session.Session().client(
        "s3", endpoint_url=endpoint_url, region_name=region or ("us-east-1" if endpoint_url else None),
        config=Config(s3=style, retries={"max_attempts": 5, "mode": "standard"}, connect_timeout=5, read_timeout=30))
    return BucketStore(client, parts.netloc, f"{prefix}/" if prefix else "")


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION] = from_url(app.config["FILE_STORE"], endpoint_url=app.config.get("S3_ENDPOINT_URL"),
                                          region=app.config.get("S3_REGION"))


def current() -> Store:
    """This application's store."""
    store: Store = current_app.extensions[_EXTENSION]
    return store


def download(key: str, *, mimetype: str, filename: str, size: int | None = None) -> Response:
    """A kept file as a download, streamed from the store, never cached by a shared cache."""
    response = send_file(current().open(key), mimetype=mimetype, as_attachment=True, download_name=filename, max_age=0)
    if size is not None:
        response.content_length = size
    response.cache_control.private = True
    return response


def copy_all(source: Store, target: Store) -> int:
    """Every file the platform wrote, from one store into another: a backup and its restore."""
    copied = 0
    for area in AREAS:
        for key in source.keys(area):
            with source.open(key) as content:
                target.put(key, content)
            copied += 1
    return copied
