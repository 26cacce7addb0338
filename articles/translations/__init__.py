"""Translations of a release (issue #14): one group, the French original and its translations,
which goes live as one. The model is `Article.translation_of`; visibility is querysets.visible_now;
group transitions are publishing/workflow.py. Here: what the public pages need to link a page to
its other languages, and the service that starts a translation."""
