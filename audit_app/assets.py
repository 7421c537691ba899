"""Static files for tablets on weak connections: content-hashed names, cached for good, sent compressed.

At start-up the app copies static/ into a build folder named after a fingerprint of its contents
(STATIC_BUILD_DIR/<fingerprint>/): each file under its own name and under a content-hashed one
(css/app.css and css/app.<hash>.css), each with gzip and brotli copies. References between files (a
module's `import ... from "../x.js"`, a stylesheet's `url(...)`) are rewritten to the hashed names first,
so a hash covers everything a file pulls in. `url_for('static', filename=...)` answers the hashed name
from the build's manifest, and WhiteNoise serves the build: hashed names with `immutable` caching for a
year, other names for a minute, the smallest encoding the browser accepts, and every answer with the
service's security headers. A build for the same contents is reused, so only a change to static/ costs a build.
"""

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path, PurePosixPath

from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from .security import security_headers

MANIFEST = "manifest.json"
HASH_LENGTH = 12
STALE_SECONDS = 3600  # a build still unfinished after an hour was stopped
BUILDS_KEPT = 3  # a running server keeps serving its own build while a newer one is made beside it
# A file's references to other static files: ES module imports and CSS url()s, relative or under /static/.
JS_REFERENCE = re.compile(r"""(\bfrom\s*|\bimport\s*\(?\s*)(["'])([^"'\s]+)\2""")
CSS_REFERENCE = re.compile(r"""(url\(\s*)(["']?)([^"')\s]+)\2""")
REFERENCES = {".js": JS_REFERENCE, ".mjs": JS_REFERENCE, ".css": CSS_REFERENCE}
# Smaller by at least 5 %, or not worth the browser's work to decode (WhiteNoise's own rule).
WORTH_COMPRESSING = 0.95


def init_assets(app: Flask) -> None:
    """Build (or reuse) the hashed, compressed copy of static/ and serve it in front of the app."""
    if app.debug:  # `flask run --debug`: files served as they are edited, straight from static/
        return
    build = build_static(Path(app.static_folder), Path(app.config["STATIC_BUILD_DIR"]))
    manifest = json.loads((build / MANIFEST).read_text())
    hashed_urls = {f"{app.static_url_path}/{name}" for name in manifest.values()}

    @app.url_defaults
    def hashed_static_name(endpoint, values):
        if endpoint == "static" and "filename" in values:
            values["filename"] = manifest.get(values["filename"], values["filename"])

    app.wsgi_app = StaticFiles(
        app.wsgi_app,
        root=str(build),
        prefix=app.static_url_path,
        headers=security_headers(app.config),
        allow_all_origins=False,
        immutable_file_test=lambda path, url: url in hashed_urls,
    )


class StaticFiles(WhiteNoise):
    """WhiteNoise whose every answer (a file, 304 Not Modified, 405, 416) carries the security headers."""

    def __init__(self, application, *, headers: dict[str, str], **options):
        super().__init__(application, **options)
        self.security_headers = headers

    def serve(self, static_file, environ, start_response):
        def start_with_headers(status, response_headers, exc_info=None):
            present = {name.lower() for name, _ in response_headers}
            extra = [(name, value) for name, value in self.security_headers.items() if name.lower() not in present]
            return start_response(status, response_headers + extra, exc_info)

        return super().serve(static_file, environ, start_with_headers)


def build_static(source: Path, build_root: Path) -> Path:
    """The build folder for static/ as it is now, made unless a build of the same contents exists."""
    files = sorted(p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file())
    fingerprint = _fingerprint(source, files)
    build = build_root / fingerprint
    if (build / MANIFEST).is_file():
        return build
    build_root.mkdir(parents=True, exist_ok=True)
    # Built aside and renamed into place, so that servers starting at once never see half a build.
    work = Path(tempfile.mkdtemp(prefix=".building-", dir=build_root))
    work.chmod(0o755)  # mkdtemp makes it private; the server may run as another user than the builder
    try:
        manifest = _write_build(source, files, work)
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        try:
            os.rename(work, build)
        except OSError:  # another process finished the same build first
            if not (build / MANIFEST).is_file():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _prune(build_root, keep=build)
    return build


def _fingerprint(source: Path, files: list[str]) -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())  # a change to how builds are made makes a new one
    for name in files:
        digest.update(name.encode() + b"\0" + (source / name).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _write_build(source: Path, files: list[str], target: Path) -> dict[str, str]:
    """Every file under its own name and its hashed one, compressed; returns {name: hashed name}."""
    hashing = _Hashing(source, set(files))
    for name in files:
        hashing.hashed_name(name)
    for name in files:
        content = hashing.contents[name]
        variants = _compressed(name, content)
        for written in {name, hashing.manifest[name]}:
            _write(target / written, content)
            for suffix, data in variants.items():
                _write(target / (written + suffix), data)
    return hashing.manifest


class _Hashing:
    """Hashed names for static/, each file's references rewritten to the hashed names of what it refers to."""

    def __init__(self, source: Path, names: set[str]):
        self.source, self.names = source, names
        self.manifest: dict[str, str] = {}
        self.contents: dict[str, bytes] = {}
        self.visiting: set[str] = set()

    def hashed_name(self, name: str) -> str:
        """Depth first: what a file refers to is hashed before the file itself."""
        if name not in self.manifest:
            self.visiting.add(name)
            content = self.contents[name] = self._rewritten(name)
            digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
            path = PurePosixPath(name)
            self.manifest[name] = str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))
            self.visiting.discard(name)
        return self.manifest[name]

    def _rewritten(self, name: str) -> bytes:
        content = (self.source / name).read_bytes()
        pattern = REFERENCES.get(PurePosixPath(name).suffix)
        if pattern is None:
            return content

        def hashed_reference(match: re.Match) -> str:
            prefix, quote, reference = match.groups()
            target = _resolve(name, reference)
            if target not in self.names or target in self.visiting:  # elsewhere, missing, or a cycle: as written
                return match.group(0)
            folder, slash, _ = reference.rpartition("/")
            hashed = PurePosixPath(self.hashed_name(target)).name
            return f"{prefix}{quote}{folder}{slash}{hashed}{quote}"

        return pattern.sub(hashed_reference, content.decode("utf-8")).encode("utf-8")


def _resolve(name: str, reference: str) -> str | None:
    """The static file a reference in `name` points at ("../vendor/x.js", "/static/x.css"), or None."""
    if reference.startswith("/static/"):
        return reference.removeprefix("/static/")
    if not reference.startswith(("./", "../")):
        return None  # a bare module name, a data: or an absolute URL
    parts: list[str] = list(PurePosixPath(name).parent.parts)
    for part in reference.split("/"):
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    return "/".join(parts)


def _compressed(name: str, content: bytes) -> dict[str, bytes]:
    """{".br": ..., ".gz": ...} for the encodings that make this file worth sending smaller."""
    if not content or not Compressor(quiet=True).should_compress(name):
        return {}
    variants = {".br": Compressor.compress_brotli(content), ".gz": Compressor.compress_gzip(content)}
    return {suffix: data for suffix, data in variants.items() if len(data) <= WORTH_COMPRESSING * len(content)}


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _prune(build_root: Path, keep: Path) -> None:
    """Remove all but the newest few builds (a static/ edited often must not fill the disk), and what a
    build stopped halfway left behind."""
    for stale in build_root.glob(".building-*"):
        if time.time() - stale.stat().st_mtime > STALE_SECONDS:
            shutil.rmtree(stale, ignore_errors=True)
    builds = sorted(
        (p for p in build_root.iterdir() if p.is_dir() and not p.name.startswith(".") and p != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in builds[BUILDS_KEPT - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
