from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from home import export_views, views
from workflows import notification_views

urlpatterns = [
    path("", views.account, name="account"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="account_login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="account_logout"),
    path("signup/", views.signup, name="account_signup"),
    path("signup/<uidb64>/<token>/", views.signup_confirm, name="account_signup_confirm"),
    path("display-name/", views.account_display_name, name="account_display_name"),
    path("export/", export_views.account_export, name="account_export"),
    path(
        "export/<uuid:key>/",
        export_views.account_export_download,
        name="account_export_download",
    ),
    path("delete/", views.account_delete, name="account_delete"),
    path("two-factor/", views.two_factor, name="account_two_factor"),
    path("two-factor/verify/", views.two_factor_verify, name="account_two_factor_verify"),
    path("api-tokens/", views.account_api_tokens, name="account_api_tokens"),
    path(
        "notifications/",
        notification_views.account_notifications,
        name="account_notifications",
    ),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(success_url=reverse_lazy("password_reset_done")),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
