from django.contrib import admin

from .models import Article, Credit, Photo, PressContact, Speaker

admin.site.register([Article, Credit, Photo, PressContact, Speaker])
