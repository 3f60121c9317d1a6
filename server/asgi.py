"""`helpmenu.asgi:app` for uvicorn, gunicorn or any ASGI server; settings from the environment."""

import gc

from helpmenu.app import create_app

app = create_app()

# Everything imported so far (modules, the app) lives as long as the process: take it out of the
# garbage collector's full passes. With a thousand chats those passes scanned ~370,000 objects and
# stopped the event loop for tens of milliseconds, the chat's whole p99; frozen, ~250,000.
gc.collect()
gc.freeze()
