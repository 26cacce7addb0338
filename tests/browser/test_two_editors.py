"""Two editors in two real browsers on one photo: the caption and the licence both survive."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from articles.models import Photo
from tests.browser.conftest import open_context
from tests.factories import current_totp, give_totp_device, make_photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in_page(browser, live_site, first_name):
    # Superusers: a transactional test's database is flushed, which removes the roles' groups.
    user = User.objects.create_superuser(first_name.lower(), password="password", first_name=first_name, last_name="Durand")
    page = open_context(browser, live_site).new_page()
    page.goto(reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", "password")
    page.fill("#id_otp_token", current_totp(give_totp_device(user)))  # a superuser: two factors
    page.click("input[type=submit]")
    return page


def test_the_second_publisher_keeps_the_licence_typed_and_the_first_ones_caption_stays(browser, live_site):
    photo = make_photo(caption="Le temple")
    alice, bruno = logged_in_page(browser, live_site, "Alice"), logged_in_page(browser, live_site, "Bruno")
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    alice.goto(url), bruno.goto(url)

    alice.fill("#id_caption", "Le temple d'or")
    alice.click("input[name=_save]")
    bruno.fill("#id_licence", "CC BY 4.0")
    bruno.click("input[name=_save]")

    assert "Attention : Alice Durand a modifié cette photo le " in bruno.locator(".errornote + ul, .errorlist").first.inner_text()
    assert bruno.input_value("#id_licence") == "CC BY 4.0"  # what he typed is still there
    photo.refresh_from_db()
    assert (photo.caption, photo.licence) == ("Le temple d'or", "")

    # He takes Alice's caption into his form and saves again: both changes are kept.
    bruno.fill("#id_caption", "Le temple d'or")
    bruno.click("input[name=_save]")
    assert bruno.url.endswith(reverse("admin:articles_photo_changelist"))
    photo = Photo.objects.get(pk=photo.pk)
    assert (photo.caption, photo.licence) == ("Le temple d'or", "CC BY 4.0")
    alice.context.close(), bruno.context.close()
