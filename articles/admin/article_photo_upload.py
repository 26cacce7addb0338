"""New photos straight from the release form: dropped (or chosen) files become library photos
with their caption, alternative text, credit and focal point typed in place, instead of a
popup for the photo and a second one inside it for its credit. The checks and the writes are
articles/photos/library.py's; this form only collects the fields of one row."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..forms import PhotoUploadField
from ..models import ArticlePhoto, Photo
from ..photos import library

UPLOAD_FIELDS = ["upload", "upload_caption", "upload_alt_text", "upload_credit", "upload_focal_x", "upload_focal_y"]


class ArticlePhotoForm(forms.ModelForm):
    upload = PhotoUploadField(
        label=_("Nouvelle photo"), required=False,
        help_text=_("Ou déposez des fichiers sur la zone « Déposez vos photos » : une ligne par photo."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "data-photo-upload": ""}),
    )
    upload_caption = forms.CharField(label=Photo._meta.get_field("caption").verbose_name.capitalize(), required=False,
                                     max_length=Photo._meta.get_field("caption").max_length)
    upload_alt_text = forms.CharField(label=Photo._meta.get_field("alt_text").verbose_name.capitalize(), required=False,
                                      max_length=Photo._meta.get_field("alt_text").max_length,
                                      help_text=Photo._meta.get_field("alt_text").help_text)
    upload_credit = forms.CharField(
        label=_("Crédit"), required=False, max_length=200,
        help_text=_("Un crédit existant (proposé pendant la frappe) ou un nouveau, créé à l'enregistrement."),
        widget=forms.TextInput(attrs={"list": "credit-names", "autocomplete": "off"}),
    )
    upload_focal_x = forms.FloatField(required=False, min_value=0, max_value=1, widget=forms.HiddenInput)
    upload_focal_y = forms.FloatField(required=False, min_value=0, max_value=1, widget=forms.HiddenInput)

    class Meta:
        model = ArticlePhoto
        fields = ["position", "photo"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].required = False  # a new upload stands for it (clean() asks for one of the two)
        for name in ("upload_caption", "upload_alt_text", "upload_credit"):
            self.fields[name].widget.attrs["spellcheck"] = "false" if name == "upload_credit" else "true"
        self.new_photo = None

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if not upload:
            if self.has_changed() and not cleaned.get("photo") and not cleaned.get("DELETE"):
                self.add_error("photo", gettext("Choisissez une photo de la bibliothèque, ou déposez-en une nouvelle."))
            return cleaned
        if cleaned.get("photo"):
            self.add_error("upload", gettext("Choisissez une photo existante ou déposez-en une nouvelle, pas les deux."))
            return cleaned
        for name, message in (
            ("upload_caption", gettext("La légende de la nouvelle photo est obligatoire.")),
            ("upload_alt_text", gettext("Décrivez la photo pour qui ne la voit pas (texte alternatif).")),
            ("upload_credit", gettext("Indiquez le crédit de la nouvelle photo.")),
        ):
            if not (cleaned.get(name) or "").strip():
                self.add_error(name, message)
        if self.errors:
            return cleaned
        try:
            self.new_photo = library.checked_photo(
                image=upload, caption=cleaned["upload_caption"], alt_text=cleaned["upload_alt_text"],
                focal_x=cleaned.get("upload_focal_x"), focal_y=cleaned.get("upload_focal_y"),
            )
        except ValidationError as error:
            messages = error.message_dict if hasattr(error, "error_dict") else {"image": error.messages}
            for field, texts in messages.items():
                target = {"image": "upload", "caption": "upload_caption", "alt_text": "upload_alt_text"}.get(field, "upload")
                for text in texts:
                    self.add_error(target, text)
        return cleaned

    def save(self, commit=True):
        data = self.cleaned_data
        if data.get("upload") and self.new_photo is not None and self.instance.photo_id is None:
            # Stored within the admin's transaction, with the release's other rows.
            photo, _created = library.add_photo(
                image=data["upload"], caption=data["upload_caption"], alt_text=data["upload_alt_text"],
                credit_name=data["upload_credit"], focal_x=data.get("upload_focal_x"), focal_y=data.get("upload_focal_y"),
            )
            self.instance.photo = photo
        return super().save(commit)
