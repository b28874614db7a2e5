# Lambda@Edge, origin response of a frontend's behaviours (coherence.aws): a client-side route
# of a single-page app (a path without a file extension that the bucket does not have) gets the
# app's index, with status 200. Backends' behaviours never run this, so their errors reach the
# client as they were sent. routes.json, packed beside this file, maps each frontend's key
# prefix to its index (Lambda@Edge takes no environment variables).
import json
import os
import urllib.request

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "routes.json")) as handle:
    ROUTES = json.load(handle)


def index_for(uri):
    """The index of the frontend whose prefix is the longest that `uri` starts with."""
    key = uri.lstrip("/")
    prefixes = sorted((p for p in ROUTES if key.startswith(p)), key=len, reverse=True)
    return ROUTES[prefixes[0]] if prefixes else None


def handler(event, context):
    record = event["Records"][0]["cf"]
    response, request = record["response"], record["request"]
    last = request["uri"].rsplit("/", 1)[-1]
    if response["status"] not in ("403", "404") or "." in last:
        return response  # a real file's answer, or a missing file: as the bucket said
    index = index_for(request["uri"])
    if index is None:
        return response
    url = "https://%s/%s" % (record["config"]["distributionDomainName"], index)
    with urllib.request.urlopen(url, timeout=3) as page:
        body = page.read().decode("utf-8")
    return {"status": "200", "statusDescription": "OK", "body": body,
            "headers": {"content-type": [{"key": "Content-Type", "value": "text/html; charset=utf-8"}],
                        "cache-control": [{"key": "Cache-Control", "value": "no-cache"}]}}
