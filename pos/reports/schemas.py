from marshmallow import Schema, fields, validate

FORMATS = ("json", "csv", "xlsx", "pdf")
LANGUAGES = ("fr", "ar", "en")


class LanguageArgs(Schema):
    lang = fields.String(
        validate=validate.OneOf(LANGUAGES),
        metadata={"description": "The report's language; the page's language by default."},
    )


class DailyArgs(LanguageArgs):
    date = fields.Date(metadata={"description": "The fair day; today by default."})
    format = fields.String(load_default="json", validate=validate.OneOf(FORMATS))


class ImpactArgs(LanguageArgs):
    format = fields.String(load_default="json", validate=validate.OneOf(FORMATS))


class StatementArgs(LanguageArgs):
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "pdf")))
