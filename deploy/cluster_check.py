"""The three checks of a running `make cluster` (issue #12), for a person or a test:

    .venv/bin/python deploy/cluster_check.py [--env-file cluster.env]

1. a release published through node A's admin is read at once through node B and through nginx;
2. a photo uploaded through node B's admin has its renditions made by the worker, and node A's
   admin shows them, read from the bucket;
3. the worker is killed (SIGKILL) while it makes a photo's renditions; the cluster starts
   another, which finds the orphaned job and finishes it.

It talks HTTP to the nodes like a browser (cookies, CSRF token, the second factor) and reads the
shared database, with the cluster's environment, to prepare data and watch the job. Exits 1
on the first failed check.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import secrets
import shlex
import signal
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class CheckFailed(Exception):
    pass


class Browser:
    """One person's cookies, sent to every node (the session lives in the shared database)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str, bytes]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        req = urllib.request.Request(url, data=data, headers=headers)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(req, timeout=60)
        except urllib.error.HTTPError as exc:
            response = exc
        # Secure cookies too: these are loopback nodes without TLS, the browser is ours.
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers.get("Location", ""), response.read()

    def get(self, url: str):
        return self.request(url)

    def post(self, url: str, fields: dict, files: dict | None = None):
        if files:
            boundary = secrets.token_hex(16)
            body = io.BytesIO()
            for name, value in fields.items():
                for item in value if isinstance(value, list) else [value]:
                    body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{item}\r\n'.encode())
            for name, (filename, content, content_type) in files.items():
                body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                           f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
            body.write(f"--{boundary}--\r\n".encode())
            return self.request(url, body.getvalue(), {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        data = urllib.parse.urlencode(fields, doseq=True).encode()
        return self.request(url, data, {"Content-Type": "application/x-www-form-urlencoded"})


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def hidden_inputs(html: str) -> dict[str, str]:
    found = {}
    for tag in re.findall(r"<input[^>]*>", html):
        if 'type="hidden"' in tag:
            name = re.search(r'name="([^"]+)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            if name:
                found[name.group(1)] = unescape(value.group(1)) if value else ""
    return found


def load_env(path: Path) -> None:
    for line in path.read_text().splitlines():
        if "=" in line:
            name, _, value = line.partition("=")
            os.environ[name] = shlex.split(value)[0] if value else ""


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "pressroom.settings"
    import django

    django.setup()


def log_in(browser: Browser, node: str, password: str, user) -> None:
    """The admin login with both factors, as a publisher gives them."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user)
    status, _, body = browser.get(f"{node}/admin/login/")
    fields = hidden_inputs(body.decode())
    fields.update(username=user.username, password=password, otp_token=f"{totp(device.bin_key):06d}",
                  next="/admin/")
    status, location, body = browser.post(f"{node}/admin/login/?next=/admin/", fields)
    if status != 302:
        raise CheckFailed(f"login on {node} refused ({status})")


def wait_until(condition, timeout: float, what: str, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise CheckFailed(f"{what}: not after {timeout:.0f} s")


def jpeg(size: tuple[int, int]) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.effect_mandelbrot(size, (-2.0, -1.2, 1.0, 1.2), 60).convert("RGB").save(buf, "JPEG", quality=90)
    return buf.getvalue()


def check_publish_on_a_read_on_b(browser, a, b, front, publisher) -> str:
    from articles.models import Article

    article = Article.objects.create(title=f"Cluster : communiqué {secrets.token_hex(3)}", standfirst="Chapô.",
                                     body="<p>Texte.</p>", status=Article.Status.REVIEW)
    changelist = f"{a}/admin/articles/article/"
    _, _, body = browser.get(changelist)
    token = hidden_inputs(body.decode()).get("csrfmiddlewaretoken") or browser.cookies.get("csrftoken", "")
    status, _, body = browser.post(changelist, {"csrfmiddlewaretoken": token, "action": "publish_now",
                                                "_selected_action": str(article.pk), "confirm": "yes"})
    if status != 302:
        raise CheckFailed(f"publishing on node A answered {status}")
    started = time.monotonic()
    for name, node in (("node B", b), ("nginx", front)):
        status, _, page = Browser().get(f"{node}/communiques/{article.slug}/")
        if status != 200 or article.title.encode() not in page:
            raise CheckFailed(f"{name} does not show the release published on node A (status {status})")
    return f"published on A, read at once on B and through nginx ({(time.monotonic() - started) * 1000:.0f} ms)"


def check_upload_on_b_renditions_on_a(browser, a, b) -> str:
    from articles.models import Credit, Photo

    credit = Credit.objects.create(name=f"Photographe du cluster {secrets.token_hex(3)}")
    add = f"{b}/admin/articles/photo/add/"
    _, _, body = browser.get(add)
    fields = hidden_inputs(body.decode())
    caption = f"Photo envoyée sur B {secrets.token_hex(3)}"
    fields.update(caption=caption, alt_text="Une photo de test", credit=str(credit.pk), licence="",
                  rights_expire_on="", focal_x="0.5", focal_y="0.5")
    status, _, body = browser.post(add, fields, files={"image": ("cluster.jpg", jpeg((1600, 1000)), "image/jpeg")})
    if status != 302:
        raise CheckFailed(f"upload on node B answered {status}")
    photo = Photo.objects.get(caption=caption)
    started = time.monotonic()
    wait_until(lambda: Photo.objects.get(pk=photo.pk).files_state == Photo.FilesState.READY, 60,
               "the worker making the renditions")
    made = time.monotonic() - started
    _, _, page = browser.get(f"{a}/admin/articles/photo/{photo.pk}/change/")
    urls = [unescape(u) for u in re.findall(r'<img[^>]+src="([^"]+)"', page.decode()) if "renditions/" in u]
    if not urls:
        raise CheckFailed("node A's admin shows no rendition of the photo uploaded on B")
    status, _, data = Browser().get(urls[0])
    if status != 200 or data[:2] != b"\xff\xd8":
        raise CheckFailed(f"the rendition node A names is not served ({status}): {urls[0]}")
    return f"uploaded on B, renditions made by the worker in {made:.1f} s, served to A's admin from the bucket"


def check_worker_killed_mid_job() -> str:
    from django.core.files.base import ContentFile
    from django_tasks_db.models import DBTaskResult

    from articles.models import Credit, Photo, WorkerHeartbeat

    credit = Credit.objects.create(name=f"Photographe {secrets.token_hex(3)}")
    # 24 megapixels: the rendition job takes seconds, long enough to be caught running.
    photo = Photo(caption=f"Grande photo {secrets.token_hex(3)}", alt_text="Une grande photo", credit=credit,
                  image=ContentFile(jpeg((6000, 4000)), name="grande.jpg"))
    photo.full_clean()
    photo.save()  # as the importer does: the master cleaned here, the renditions queued for the worker

    def running_job():
        for job in DBTaskResult.objects.running().filter(task_path__endswith="make_photo_files"):
            if job.args_kwargs.get("args", [None])[0] == photo.pk and job.worker_ids:
                return job
        return None

    job = wait_until(running_job, 60, "the rendition job starting", step=0.02)
    beat = WorkerHeartbeat.objects.get(worker_id=job.worker_ids[-1])
    os.kill(beat.pid, signal.SIGKILL)
    killed = time.monotonic()
    if Photo.objects.get(pk=photo.pk).files_state == Photo.FilesState.READY:
        raise CheckFailed("the job finished before the worker was killed: try again")
    wait_until(lambda: Photo.objects.get(pk=photo.pk).files_state == Photo.FilesState.READY, 120,
               "the job done after the worker's restart", step=0.5)
    again = DBTaskResult.objects.get(pk=job.pk)
    return (f"worker {beat.pid} killed during the job; done {time.monotonic() - killed:.1f} s later by "
            f"worker {again.worker_ids[-1][:12]}… (runs: {len(again.worker_ids)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env-file", default=str(ROOT / "cluster.env"))
    args = parser.parse_args()
    load_env(Path(args.env_file))
    setup_django()
    from django.contrib.auth.models import Group, User
    from django_otp.plugins.otp_totp.models import TOTPDevice

    a, b = os.environ["CLUSTER_APP_URLS"].split(",")[:2]
    front = os.environ["CLUSTER_NGINX_URL"]
    password = secrets.token_urlsafe(16)
    publisher = User.objects.create_user(f"cluster-{secrets.token_hex(4)}", password=password, is_staff=True)
    publisher.groups.add(Group.objects.get(name="Publication"))
    TOTPDevice.objects.create(user=publisher, name="cluster check", confirmed=True)
    browser = Browser()
    failed = 0
    try:
        log_in(browser, a, password, publisher)
        for number, check in enumerate((lambda: check_publish_on_a_read_on_b(browser, a, b, front, publisher),
                                        lambda: check_upload_on_b_renditions_on_a(browser, a, b),
                                        check_worker_killed_mid_job), start=1):
            try:
                print(f"check {number}: ok: {check()}", flush=True)
            except CheckFailed as exc:
                print(f"check {number}: FAILED: {exc}", flush=True)
                failed += 1
    except CheckFailed as exc:
        print(f"FAILED: {exc}", flush=True)
        return 1
    finally:
        User.objects.filter(pk=publisher.pk).update(is_active=False)  # kept: the audit log names it
    print(f"cluster checks: {3 - failed} of 3 passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
