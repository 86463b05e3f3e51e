"""One locust user class for `make bench-load` (tests/bench/load.py): every user asks the one
address in BENCH_PATH, as fast as it is answered, with the headers in BENCH_HEADERS (JSON: the
host name, X-Forwarded-Proto, a session cookie or a Bearer token)."""

import json
import os

from locust import FastHttpUser, constant, task

PATH = os.environ.get("BENCH_PATH", "/")
HEADERS = json.loads(os.environ.get("BENCH_HEADERS", "{}"))


class Reader(FastHttpUser):
    wait_time = constant(0)

    @task
    def read(self):
        with self.client.get(PATH, headers=HEADERS, name=PATH, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
