from marshmallow import Schema, fields, validate

FORMATS = ("json", "csv", "xlsx", "pdf")


class DailyArgs(Schema):
    date = fields.Date(metadata={"description": "The fair day; today by default."})


class ImpactArgs(Schema):
    format = fields.String(load_default="json", validate=validate.OneOf(FORMATS))


class StatementArgs(Schema):
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "pdf")))
