"""Pages, htmx fragments and charts sent compressed (brotli or gzip, whichever the browser accepts first).

A theme summary fragment is about 35 KB of HTML and under 10 KB compressed: on a tablet on a weak
connection that is most of the wait. Static files come already compressed from audit_app/assets.py.

Compressed pages that hold a secret (the CSRF token) and reflect what a request sent are what the BREACH
attack measures; it needs the victim's browser to send many cross-site requests with their cookie, which
the SameSite=Lax session cookie refuses (config.py), and every reflected filter is parsed to a fixed value.
"""

import gzip

import brotli
from flask import Flask, Response, request

# What a tablet's pages fetch: pages, htmx fragments and the theme summary's SVG charts. The reporting API
# and downloads go to reporting tools on office connections, as they are (a proxy may compress them).
COMPRESSIBLE = {"text/html", "image/svg+xml"}
SMALLEST_WORTH_COMPRESSING = 512  # bytes: below this the headers outweigh the saving
# Fast settings: answers are made per request, and a tablet waits on the network far more than on this.
BROTLI_QUALITY = 5
GZIP_LEVEL = 6
ENCODERS = {
    "br": lambda data: brotli.compress(data, quality=BROTLI_QUALITY),
    "gzip": lambda data: gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0),
}


def compress_response(response: Response) -> Response:
    if response.mimetype not in COMPRESSIBLE:
        return response
    response.vary.add("Accept-Encoding")
    if (
        response.direct_passthrough  # a file sent as it is (send_file)
        or response.is_streamed  # a long export: compressing it would hold it all in memory
        or "Content-Encoding" in response.headers
        or request.method == "HEAD"
        or response.status_code in (204, 304)  # no body
    ):
        return response
    encoding = request.accept_encodings.best_match(list(ENCODERS))
    data = response.get_data()
    if encoding is None or len(data) < SMALLEST_WORTH_COMPRESSING:
        return response
    response.set_data(ENCODERS[encoding](data))
    response.headers["Content-Encoding"] = encoding
    return response


def init_compression(app: Flask) -> None:
    app.after_request(compress_response)
