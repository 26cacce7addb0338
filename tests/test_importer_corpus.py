"""The importer reads real-looking releases from press offices, in French and in English:
at least 90 % of quotes go to the right person, and none to the wrong one."""

import pytest

from tests.importer_corpus import measure, report

pytestmark = pytest.mark.django_db


def test_quotes_in_the_corpus_are_attributed_to_the_right_people_in_both_languages():
    scores = measure()
    print("\n" + report(scores))
    for language, score in scores.items():
        assert score.present >= 15, language
        assert not score.wrong, report(scores)
        assert score.correct / score.present >= 0.9, report(scores)
