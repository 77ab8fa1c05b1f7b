"""One JSON shape for every answer: pages of items, and errors.

Every error the API sends, whatever raised it (a bad parameter, a missing token, an unknown
route, an unexpected exception), is ``{"error": {"status", "code", "message"}}``; the code is a
claimgraph catalogue code (``CG5xx``, or the store's ``CG3xx``).
"""
from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import ClaimgraphError, Messages, NotFound

__all__ = ["ApiError", "ErrorBody", "ErrorResponse", "Page", "error_response", "install_error_handlers"]

log = logging.getLogger("claimgraph.api")


class ErrorBody(BaseModel):
    status: int
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


class Page(BaseModel):
    """A page of results; ``next`` is the URL of the following page, or null on the last one."""

    items: list[dict[str, Any]]
    limit: int
    offset: int
    next: str | None


class ApiError(Exception):
    """An error with its HTTP status and catalogue code, raised by routes and dependencies."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"error": {"status": status, "code": code, "message": message}}
    return JSONResponse(body, status_code=status, headers=headers)


def _code(message: str, default: str) -> str:
    return message[1:6] if message.startswith("[CG") else default


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, error: ApiError) -> JSONResponse:
        return error_response(error.status, error.code, error.message, error.headers)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, error: NotFound) -> JSONResponse:
        return error_response(404, _code(str(error), "CG505"), str(error))

    @app.exception_handler(ClaimgraphError)
    async def _claimgraph_error(request: Request, error: ClaimgraphError) -> JSONResponse:
        return error_response(400, _code(str(error), "CG504"), str(error))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        details = "; ".join(f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
                            for problem in error.errors())
        return error_response(422, "CG504", Messages.CG504.format(detail=details))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 404:
            message = Messages.CG505.format(detail=f"no route {request.url.path!r}; see /openapi.json")
            return error_response(404, "CG505", message)
        return error_response(error.status_code, "CG504", Messages.CG504.format(detail=error.detail),
                              getattr(error, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "CG500", Messages.CG500.format(detail=type(error).__name__))
