"""The workflows app's API endpoints, by domain: `elections` (/api/v2/elections/), `drafts`
(/api/v2/drafts/) and `reviews` (/api/v2/reviews/); `representation` shows drafts and reviews.
`config/api.py` includes each module's `urlpatterns`."""
