"""A release on paper: its printable PDF (release_pdf.py) and the rule that prints each quote once (quotes.py)."""
