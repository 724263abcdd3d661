import starlette
