"""The static build: hashed names that follow every byte a file pulls in, compressed copies, reuse and pruning."""

import json

from audit_app.assets import BUILDS_KEPT, MANIFEST, build_static

BIG_SCRIPT = "export const x = 1;\n" + "console.log('a line that repeats');\n" * 200


def make_static(root, files):
    root.mkdir(exist_ok=True)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def manifest_of(build):
    return json.loads((build / MANIFEST).read_text())


def test_references_between_files_point_at_hashed_names(tmp_path):
    css = (
        'a { background: url("../img/dot.svg") } b { background: url(/static/img/dot.svg) }'
        ' i { background: url(data:image/png;base64,AA==) } s { background: url("../img/missing.svg") }'
    )
    files = {
        "js/app.js": 'import { x } from "../vendor/lib.js";\nimport("./later.js");\n',
        "js/later.js": "export default 1;\n",
        "vendor/lib.js": BIG_SCRIPT,
        "css/site.css": css,
        "img/dot.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    }
    source = make_static(tmp_path / "static", files)
    build = build_static(source, tmp_path / "build")
    manifest = manifest_of(build)
    assert set(manifest) == {"js/app.js", "js/later.js", "vendor/lib.js", "css/site.css", "img/dot.svg"}
    app_js = (build / manifest["js/app.js"]).read_text()
    lib, later, dot = (manifest[n].rsplit("/", 1)[1] for n in ("vendor/lib.js", "js/later.js", "img/dot.svg"))
    assert f'from "../vendor/{lib}"' in app_js and f'import("./{later}")' in app_js
    css = (build / manifest["css/site.css"]).read_text()
    assert f'url("../img/{dot}")' in css and f"url(/static/img/{dot})" in css
    assert "url(data:image/png;base64,AA==)" in css and 'url("../img/missing.svg")' in css
    # The plain name is served too, with the same content.
    assert (build / "js/app.js").read_text() == app_js


def test_a_change_to_an_imported_file_changes_the_name_of_the_file_that_imports_it(tmp_path):
    files = {"js/app.js": 'import "./lib.js";\n', "js/lib.js": "export const version = 1;\n", "site.css": "body {}"}
    source = make_static(tmp_path / "static", files)
    before = manifest_of(build_static(source, tmp_path / "build"))
    (source / "js" / "lib.js").write_text("export const version = 2;\n")
    after = manifest_of(build_static(source, tmp_path / "build"))
    assert after["js/lib.js"] != before["js/lib.js"]
    assert after["js/app.js"] != before["js/app.js"]  # its import now names another file
    assert after["site.css"] == before["site.css"]


def test_text_is_stored_compressed_where_that_saves_bytes(tmp_path):
    source = make_static(tmp_path / "static", {"big.js": BIG_SCRIPT, "tiny.js": "1"})
    (source / "photo.png").write_bytes(b"\x89PNG" + bytes(range(256)) * 20)
    build = build_static(source, tmp_path / "build")
    hashed = manifest_of(build)["big.js"]
    for name in ("big.js", hashed):
        assert (build / f"{name}.br").stat().st_size < len(BIG_SCRIPT) / 10
        assert (build / f"{name}.gz").stat().st_size < len(BIG_SCRIPT) / 10
    assert not list(build.glob("tiny*.js.*")) and not list(build.glob("photo*.png.*"))


def test_the_same_contents_reuse_their_build_and_old_builds_are_removed(tmp_path):
    source = make_static(tmp_path / "static", {})
    builds = []
    for version in range(BUILDS_KEPT + 2):
        (source / "app.css").write_text(f"/* version {version} */ body {{ margin: 0 }}\n")
        builds.append(build_static(source, tmp_path / "build"))
        (builds[-1] / "marker").write_text("made once")
    assert build_static(source, tmp_path / "build") == builds[-1]
    assert (builds[-1] / "marker").exists()  # not built again
    kept = sorted(p for p in (tmp_path / "build").iterdir())
    assert len(kept) == BUILDS_KEPT and builds[-1] in kept and builds[0] not in kept
