"""Admin forms: the photo upload, checked by content with the project's own messages."""

from django import forms

from .models import Photo


class PhotoUploadField(forms.ImageField):
    """An image upload whose content is judged by the model's `validate_photo` alone.

    Django's own ImageField would refuse a bad file first, with one generic
    message for every case and an extension check; editors would then never
    see whether the file was truncated, a TIFF or too large. The model field's
    validator gives those precise French messages, and it runs in the form's
    `_post_clean`, before anything is written to storage.
    """

    default_validators = []  # the extension says nothing: formats are read from the bytes

    def to_python(self, data):
        return forms.FileField.to_python(self, data)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        # No new upload: return None, which the model field reads as "no change".
        # Returning the stored file instead makes Django re-read its dimensions,
        # which opens and then closes it, and `validate_photo` then fails on the
        # closed file ("seek of closed file") each time a caption is edited.
        return None if value is initial else value


class PhotoAdminForm(forms.ModelForm):
    image = PhotoUploadField(
        label=Photo._meta.get_field("image").verbose_name.capitalize(),
        help_text=Photo._meta.get_field("image").help_text,
        # data-*: the focal point can be set on the chosen file before the first save (photo_drop.js).
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "data-photo-upload": "",
                                               "data-focal-x": "id_focal_x", "data-focal-y": "id_focal_y"}),
    )

    class Meta:
        model = Photo
        fields = ["image", "caption", "alt_text", "credit", "licence", "rights_expire_on", "focal_x", "focal_y"]
