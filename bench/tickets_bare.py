"""The floor for bench/tickets_create.py: a bare Starlette endpoint that only parses the same
multipart body (Starlette's own parser) and answers 201. Run by that benchmark under uvicorn."""

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


async def parse(request: Request) -> Response:
    async with request.form(max_part_size=2 * 1024 * 1024) as form:
        size = 0
        upload = form.get("file")
        if upload is not None and not isinstance(upload, str):
            size = len(await upload.read())
    return JSONResponse({"size": size}, status_code=201)


async def healthz(request: Request) -> Response:
    return JSONResponse({"ok": True})


app = Starlette(routes=[Route("/api/tickets", parse, methods=["POST"]),
                        Route("/healthz", healthz)])
