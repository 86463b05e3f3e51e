from django.urls import path

from community_pages import views

urlpatterns = [
    path("join/<slug:slug>/", views.join, name="join"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("leave/<slug:slug>/", views.leave, name="leave"),
]
