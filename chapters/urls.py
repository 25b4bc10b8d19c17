from django.urls import path

from . import views

app_name = "chapters"

urlpatterns = [
    path("", views.home, name="home"),
    path("my/", views.MyChaptersView.as_view(), name="my_chapters"),
]
