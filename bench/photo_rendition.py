"""Time and peak memory to validate, clean and render one large photo (default 6000×4000 JPEG, 24 MP).

Two figures: what the editor waits for (the save: validation and the cleaned master; the
renditions job is only queued), and what the background worker then spends on the job.

Run: make bench-photo   (or: .venv/bin/python bench/photo_rendition.py [WIDTH HEIGHT])
The test image is made in a child process, so the figures are those of a process that
only receives the upload, as a server worker would. Uses a throwaway SQLite database
and media folder; prints one line of figures.
"""

import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path


def make_jpeg(path: str, width: int, height: int) -> None:
    from PIL import Image

    # A photo-like image (gradients and noise), so the JPEG has a realistic size.
    base = Image.radial_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 40)
    Image.merge("RGB", (base, noise, Image.linear_gradient("L").resize((width, height)))).save(path, "JPEG", quality=90)


def main() -> None:
    width, height = (int(sys.argv[1]), int(sys.argv[2])) if len(sys.argv) > 2 else (6000, 4000)
    tmp = tempfile.mkdtemp(prefix="pressroom-bench-photo-")
    source = f"{tmp}/grande.jpg"
    child = multiprocessing.get_context("spawn").Process(target=make_jpeg, args=(source, width, height))
    child.start()
    child.join()

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.update(DEBUG="1", DATABASE_URL=f"sqlite:///{tmp}/db.sqlite3", MEDIA_ROOT=f"{tmp}/media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from articles.models import Credit, Photo

    call_command("migrate", verbosity=0)
    data = Path(source).read_bytes()
    credit = Credit.objects.create(name="Banc d'essai")
    from articles.tasks import make_photo_files

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    photo = Photo(image=SimpleUploadedFile("grande.jpg", data, "image/jpeg"), caption="Essai", alt_text="Essai", credit=credit)
    photo.full_clean()  # the upload validation an editor's save runs too
    photo.save()  # the master cleaned; the renditions job queued in the database (settings.TASKS)
    saved = time.perf_counter() - start
    make_photo_files.call(photo.pk, photo.files_version)  # what the worker then does
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"{width}×{height} JPEG ({len(data) / 1e6:.1f} MB): the editor's save (validate + clean) {saved:.2f} s, "
        f"then the worker's job ({photo.renditions.count()} renditions) {elapsed - saved:.2f} s; "
        f"peak RSS {peak / 1024:.0f} MB, of which {(peak - rss_before) / 1024:.0f} MB for the photo"
    )


if __name__ == "__main__":
    main()
