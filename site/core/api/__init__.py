"""The API's base pieces: authentication, base views, the pages and documents endpoints,
the OpenAPI hooks. Each app's `api.py` builds its endpoints on them; `config/api.py` wires
them at /api/."""
