"""The focal point picker in a real browser: a click on the preview sets the fields, and saving recrops."""

import pytest
from django.urls import reverse

from tests.factories import current_totp, give_totp_device, image_upload, make_photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, user, password="password"):
    page.goto(reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.fill("#id_otp_token", current_totp(give_totp_device(user)))  # a superuser: two factors
    page.click("input[type=submit]")


def test_a_click_on_the_preview_sets_the_focal_point_and_saving_keeps_it(page, django_user_model):
    user = django_user_model.objects.create_superuser("editrice", "e@example.org", "password")
    photo = make_photo(image=image_upload("large.jpg", size=(1200, 800)))
    log_in(page, user)
    page.goto(reverse("admin:articles_photo_change", args=[photo.pk]))
    image = page.locator("[data-focal-picker] img")
    box = image.bounding_box()
    # A quarter across, three quarters down.
    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.75)
    assert abs(float(page.input_value("#id_focal_x")) - 0.25) < 0.01
    assert abs(float(page.input_value("#id_focal_y")) - 0.75) < 0.01
    marker = page.locator(".focal-marker").bounding_box()
    assert abs(marker["x"] + marker["width"] / 2 - (box["x"] + box["width"] * 0.25)) < 3
    # The keyboard moves it too.
    page.focus("[data-focal-picker]")
    page.keyboard.press("ArrowRight")
    assert abs(float(page.input_value("#id_focal_x")) - 0.3) < 0.01
    page.click("input[name=_continue]")
    photo.refresh_from_db()
    assert abs(photo.focal_x - 0.3) < 0.01 and abs(photo.focal_y - 0.75) < 0.01
