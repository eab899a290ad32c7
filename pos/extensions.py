"""Extensions, created unbound and attached in the app factory."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from marshmallow import Schema, fields

from pos.core.db import Base
from pos.core.errors import PROBLEM_MIMETYPE, problem_from_http_exception


class ProblemSchema(Schema):
    """application/problem+json (RFC 9457), as every error is answered."""

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Messages by dotted field name, e.g. lines.0.quantity"},
    )
    request_id = fields.String(
        metadata={"description": "The answer's X-Request-Id: its line in the server's log"}
    )


class ProblemApi(Api):
    """flask-smorest's Api, answering errors as application/problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error):
        return problem_from_http_exception(error)

    def _register_responses(self):
        # The error responses flask-smorest declares, as they are really sent.
        content_type = self.DEFAULT_RESPONSE_CONTENT_TYPE
        self.DEFAULT_RESPONSE_CONTENT_TYPE = PROBLEM_MIMETYPE
        try:
            super()._register_responses()
        finally:
            self.DEFAULT_RESPONSE_CONTENT_TYPE = content_type


db = SQLAlchemy(model_class=Base)
# The models' base: Flask-SQLAlchemy's, made when the extension is; a type checker sees
# the declarative base it derives from (``db.Model`` is no name it can follow).
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate(compare_type=True, render_as_batch=True)
api = ProblemApi()
babel = Babel()
csrf = CSRFProtect()
