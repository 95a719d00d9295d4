"""POST /events for COUNT distinct users (PREFIX-0 .. PREFIX-COUNT-1), one view each, in batches of 100 over 8
keep-alive connections; exits non-zero on any answer but 202. usage: post-distinct-users.py BASE_URL COUNT PREFIX"""
import http.client, json, sys, time, urllib.parse
from concurrent.futures import ThreadPoolExecutor

base, count, prefix = urllib.parse.urlparse(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
BATCH, CONNECTIONS = 100, 8


def post(worker):
    connection = http.client.HTTPConnection(base.hostname, base.port)
    for start in range(worker * BATCH, count, BATCH * CONNECTIONS):
        events = [{"event_id": f"{prefix}-{u}", "user_id": f"{prefix}-{u}", "event_type": "view",
                   "item_id": f"item_{u % 2000 + 1:05d}", "session_id": "s"} for u in range(start, min(start + BATCH, count))]
        connection.request("POST", "/events", json.dumps({"events": events}), {"content-type": "application/json"})
        response = connection.getresponse()
        body = response.read()
        if response.status != 202:
            raise SystemExit(f"POST /events answered {response.status}: {body[:200]!r}")


started = time.monotonic()
with ThreadPoolExecutor(CONNECTIONS) as pool:
    list(pool.map(post, range(CONNECTIONS)))
print(f"{count} users' events posted in {time.monotonic() - started:.1f} s")
