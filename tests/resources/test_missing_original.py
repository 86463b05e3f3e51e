"""An image whose original file is missing (lost from the disk or the bucket) shows as a broken
image: the page still renders (Wagtail's stand-in rendition is never saved, so it has no id for
the rendition address). It made every page showing it answer 500."""

from __future__ import annotations

from django.template import Context, Template

from resources.models import PrivateImage


def test_missing_original__the_image_tag_renders_a_broken_image(db):
    image = PrivateImage.objects.create(
        title="Lost", file="original_images/lost-in-a-restore.png", width=40, height=30
    )
    html = Template("{% load wagtailimages_tags %}{% image image width-20 %}").render(
        Context({"image": image})
    )
    assert 'src=""' in html and 'alt="Lost"' in html
    assert not image.renditions.exists()  # the stand-in was not stored


def test_saved_rendition__its_address_is_the_checked_view(db):
    image = PrivateImage.objects.exclude(file="").first()
    rendition = image.get_rendition("width-20")
    assert rendition.url == f"/images/{image.pk}/{rendition.pk}/"
