"""`helpmenu.asgi:app` for uvicorn, gunicorn or any ASGI server; settings from the environment."""

from helpmenu.app import create_app

app = create_app()
