"""flask-smorest's Blueprint, with each argument schema made once and JSON read once."""

from __future__ import annotations

import flask_smorest
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.exceptions import BadRequest

from pos.core.errors import PROBLEM_MIMETYPE
from pos.extensions import ProblemSchema


class Parser(FlaskParser):
    """webargs' parser reading the body with Flask's ``get_json``: parsed once a request
    (views and the request guard read the same cached body), by the app's JSON provider."""

    def _raw_load_json(self, req):
        if not is_json_request(req) or not req.get_data(cache=True):
            return core.missing
        try:
            return req.get_json()
        except BadRequest as error:
            return self._handle_invalid_json_error(error, req)


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = Parser()

    def arguments(self, schema, *args, **kwargs):
        # Given a class, webargs makes a new schema on every request (deep-copying its
        # fields and those of its nested schemas): a fifth of a sale's CPU. One instance,
        # made here, serves every request; schemas keep no state between loads.
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, *args, **kwargs)

    def alt_response(self, status_code, *args, **kwargs):
        # An error answer is a problem+json document: say so in the OpenAPI document.
        if int(status_code) >= 400 and not args and "schema" not in kwargs:
            kwargs.update(schema=ProblemSchema, content_type=PROBLEM_MIMETYPE)
        return super().alt_response(status_code, *args, **kwargs)
