"""The API's request and response bodies as typed models (msgspec): the one source of both
the validation of what comes in (server/bodies.py) and the OpenAPI document's schemas."""
