from django.urls import path

from . import views

urlpatterns = [
    path("profile/", views.profile_settings, name="profile_settings"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/download/", views.my_data_download, name="my_data_download"),
]
