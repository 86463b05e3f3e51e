from django.urls import path

from resources import views

urlpatterns = [
    path("<int:image_id>/original/", views.original, name="image_original"),
    path("<int:image_id>/<int:rendition_id>/", views.rendition, name="image_rendition"),
]
