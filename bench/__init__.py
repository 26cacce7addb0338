"""`make bench` and its helpers (run as scripts: bench/run.py, bench/compare.py, bench/photo_rendition.py)."""
