"""Where uploaded files live, from the environment (docs/deploy.md, "Files").

The local disk (`MEDIA_ROOT`) unless `AWS_STORAGE_BUCKET_NAME` names a bucket on an
S3-compatible server. Either way no file has a public address: the file views
(`resources/views.py`) stream a file only after the visibility rule. The bucket's objects are
private, and any address the storage itself makes is signed and lasts a minute.
"""

from config.env import env_str

SIGNED_URL_SECONDS = 60


def file_storage() -> dict:
    """The `STORAGES["default"]` entry."""
    bucket = env_str("AWS_STORAGE_BUCKET_NAME", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": SIGNED_URL_SECONDS,
            "signature_version": "s3v4",
            "file_overwrite": False,
        },
    }
