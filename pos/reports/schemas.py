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


# What the reports answer as JSON. Amounts are decimal strings ("130.00"), shares percent
# strings with one decimal ("60.0"), quantities with three decimals.
Money = fields.String
Percent = fields.String  # None where there is nothing to share


class NamedSchema(Schema):
    name = fields.String()
    name_ar = fields.String()


class BoothSchema(NamedSchema):
    booth = fields.String()


class IncomeSchema(Schema):
    net = Money()
    sales_count = fields.Integer()


class FiguresSchema(IncomeSchema):
    """A booth's or the fair's figures: voided sales are out of ``net``."""

    voided_count = fields.Integer()
    gross = Money()
    voided = Money()


class VatRateSchema(Schema):
    rate = fields.String(metadata={"description": "0, 7, 10, 14 or 20"})
    base = Money(metadata={"description": "The prices without VAT"})
    amount = Money()


class ReportEventSchema(NamedSchema):
    id = fields.Integer()
    starts_on = fields.String(metadata={"description": "ISO date"})
    ends_on = fields.String(metadata={"description": "ISO date"})
    timezone = fields.String()


class ImpactExhibitorSchema(BoothSchema, IncomeSchema):
    exhibitor_id = fields.Integer()
    legal_form = fields.String()
    province = fields.String()
    sector = fields.String()
    members = fields.Integer(allow_none=True)
    women_members = fields.Integer(allow_none=True)
    avg_basket = Money()
    items_sold = fields.Integer()
    vat_collected = Money()


class ImpactTotalsSchema(IncomeSchema):
    gross = Money()
    voided = Money()
    exhibitors = fields.Integer()
    exhibitors_selling = fields.Integer()
    avg_basket = Money()
    avg_net_per_exhibitor = Money()
    vat_collected = Money()


class BreakdownRowSchema(IncomeSchema):
    key = fields.Raw(metadata={"description": "What the row groups by: a code, a date, an hour"})
    label = fields.String(metadata={"description": "The key in the report's language"})


class WomenShareRowSchema(BreakdownRowSchema):
    exhibitors = fields.Integer()


class TopProductSchema(NamedSchema):
    product_id = fields.Integer()
    unit = fields.String()
    exhibitor_id = fields.Integer()
    booth = fields.String()
    exhibitor_name = fields.String()
    exhibitor_name_ar = fields.String()
    quantity = fields.String()
    net = Money()
    lines = fields.Integer()


class NetSpreadSchema(Schema):
    mean = Money()
    median = Money()
    deciles = fields.List(Money(), metadata={"description": "The 1st to the 9th decile"})


class BestExhibitorSchema(BoothSchema):
    exhibitor_id = fields.Integer()
    net = Money()


class IndicatorsSchema(Schema):
    exhibitors = fields.Integer()
    cooperatives = fields.Integer()
    net_per_exhibitor = fields.Nested(NetSpreadSchema)
    share_above_100000 = Percent(allow_none=True)
    exhibitors_above_100000 = fields.Integer()
    best_exhibitor = fields.Nested(BestExhibitorSchema, allow_none=True)
    women_members_share = Percent(allow_none=True)
    cash_share = Percent(allow_none=True)
    provisional = fields.Boolean(
        metadata={"description": "True until every booth is closed up to the fair's last day"}
    )


class PreviousEditionSchema(NamedSchema, IncomeSchema):
    event_id = fields.Integer()
    starts_on = fields.String()
    ends_on = fields.String()
    exhibitors = fields.Integer()
    avg_net_per_exhibitor = Money()
    net_growth_percent = Percent(allow_none=True, metadata={"description": 'Signed: "+12.5"'})
    sales_growth_percent = Percent(allow_none=True)
    exhibitors_growth_percent = Percent(allow_none=True)


class CoverageSchema(Schema):
    sales_waiting_on_phones = fields.Integer(
        metadata={"description": "Sales kept on the booths' phones, not yet sent"}
    )
    booths_waiting = fields.List(fields.String())
    refused_sales = fields.Integer(metadata={"description": "Refused sales not settled"})
    booths_refused = fields.List(fields.String())
    booths_with_days_open = fields.List(
        fields.String(), metadata={"description": "Booths with an ended day not closed"}
    )
    days_open = fields.Integer()
    final_net = Money(metadata={"description": "The net on days their booth has closed"})
    final_share = fields.String(metadata={"description": "final_net of net, percent"})


class BulletinArgs(LanguageArgs):
    date = fields.Date(metadata={"description": "The fair day; today by default."})
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "pdf", "png")))


class BulletinEventSchema(NamedSchema):
    id = fields.Integer()


class BulletinDaySchema(Schema):
    number = fields.Integer(metadata={"description": "The fair's first day is 1"})
    date = fields.String(metadata={"description": "ISO date"})
    net = Money()
    previous_net = Money(
        allow_none=True, metadata={"description": "The previous edition's same day"}
    )


class BulletinFiguresSchema(Schema):
    net = Money()
    sales_count = fields.Integer()
    exhibitors_selling = fields.Integer()


class BulletinSoFarSchema(Schema):
    net = Money()
    sales_count = fields.Integer()


class BulletinPreviousSchema(NamedSchema):
    net_same_days = Money(metadata={"description": "Its net after as many days"})


class BulletinSchema(Schema):
    event = fields.Nested(BulletinEventSchema)
    date = fields.String()
    day_number = fields.Integer()
    day = fields.Nested(BulletinFiguresSchema)
    so_far = fields.Nested(BulletinSoFarSchema)
    days = fields.List(fields.Nested(BulletinDaySchema))
    previous_edition = fields.Nested(BulletinPreviousSchema, allow_none=True)
    sectors = fields.List(fields.Nested(BreakdownRowSchema))
    provisional = fields.Boolean()
    coverage = fields.Nested(CoverageSchema)
    currency = fields.String()


class OrdersGroupSchema(Schema):
    key = fields.String()
    label = fields.String()
    orders = fields.Integer()
    orders_value = Money()
    contacts = fields.Integer()


class ContactKindRowSchema(Schema):
    key = fields.String()
    label = fields.String()
    contacts = fields.Integer()


class OrdersAndContactsSchema(Schema):
    """Beyond the sales: orders to deliver after the fair (their value; deposits paid are
    sales, in ``net``) and business contacts made at the booths."""

    orders = fields.Integer()
    orders_value = Money()
    deposits = Money()
    contacts = fields.Integer()
    exhibitors_with_orders = fields.Integer()
    by_sector = fields.List(fields.Nested(OrdersGroupSchema))
    by_province = fields.List(fields.Nested(OrdersGroupSchema))
    by_contact_kind = fields.List(fields.Nested(ContactKindRowSchema))


class ImpactReportSchema(Schema):
    event = fields.Nested(ReportEventSchema)
    currency = fields.String()
    exhibitors = fields.List(fields.Nested(ImpactExhibitorSchema))
    totals = fields.Nested(ImpactTotalsSchema)
    vat_by_rate = fields.List(fields.Nested(VatRateSchema))
    by_legal_form = fields.List(fields.Nested(BreakdownRowSchema))
    by_province = fields.List(fields.Nested(BreakdownRowSchema))
    by_sector = fields.List(fields.Nested(BreakdownRowSchema))
    by_day = fields.List(fields.Nested(BreakdownRowSchema))
    by_hour = fields.List(fields.Nested(BreakdownRowSchema))
    by_method = fields.List(fields.Nested(BreakdownRowSchema))
    by_women_share = fields.List(fields.Nested(WomenShareRowSchema))
    top_products = fields.List(fields.Nested(TopProductSchema))
    indicators = fields.Nested(IndicatorsSchema)
    orders_and_contacts = fields.Nested(OrdersAndContactsSchema)
    coverage = fields.Nested(CoverageSchema)
    generated_at = fields.String(metadata={"description": "ISO date and time, UTC"})
    previous_edition = fields.Nested(PreviousEditionSchema, allow_none=True)


class DayFiguresSchema(FiguresSchema):
    by_method = fields.Dict(keys=fields.String(), values=Money())
    vat_collected = Money()


class DailyExhibitorSchema(BoothSchema, DayFiguresSchema):
    exhibitor_id = fields.Integer()


class DailyTotalsSchema(DayFiguresSchema):
    avg_basket = Money()


class DailyReportSchema(Schema):
    date = fields.String(metadata={"description": "The fair day, ISO date"})
    currency = fields.String()
    exhibitors = fields.List(fields.Nested(DailyExhibitorSchema))
    totals = fields.Nested(DailyTotalsSchema)
    vat_by_rate = fields.List(fields.Nested(VatRateSchema))


class StatementExhibitorSchema(BoothSchema):
    id = fields.Integer()


class StatementEventSchema(NamedSchema):
    id = fields.Integer()


class StatementTotalsSchema(FiguresSchema):
    avg_basket = Money()
    vat_collected = Money()


class StatementDaySchema(FiguresSchema):
    date = fields.String()


class StatementProductSchema(NamedSchema, IncomeSchema):
    unit = fields.String()
    quantity = fields.String()


class StatementMethodSchema(Schema):
    method = fields.String()
    amount = Money()
    sales_count = fields.Integer()


class StatementMemberSchema(FiguresSchema):
    member_id = fields.Integer(allow_none=True)
    name = fields.String(allow_none=True)


class StatementOrderLineSchema(NamedSchema):
    unit = fields.String()
    quantity = fields.String()


class StatementOrderSchema(Schema):
    id = fields.Integer()
    buyer_name = fields.String()
    buyer_phone = fields.String()
    delivery_date = fields.String()
    lines = fields.List(fields.Nested(StatementOrderLineSchema))
    total = Money()
    deposit = Money()
    deposit_receipt = fields.String(allow_none=True)


class StatementContactSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    name = fields.String()
    phone = fields.String(allow_none=True)
    interest = fields.String(allow_none=True)
    made_at = fields.String()


class StatementStockSchema(NamedSchema):
    product_id = fields.Integer()
    unit = fields.String()
    active = fields.Boolean()
    brought = fields.String()
    sold = fields.String()
    left = fields.String(metadata={"description": "Unsold: brought less sold."})
    low = fields.Boolean()


class StatementSchema(Schema):
    exhibitor = fields.Nested(StatementExhibitorSchema)
    event = fields.Nested(StatementEventSchema)
    currency = fields.String()
    totals = fields.Nested(StatementTotalsSchema)
    vat_by_rate = fields.List(fields.Nested(VatRateSchema))
    by_day = fields.List(fields.Nested(StatementDaySchema))
    by_product = fields.List(fields.Nested(StatementProductSchema))
    by_method = fields.List(fields.Nested(StatementMethodSchema))
    # Who sold: one row a member, and null for sales whose till did not say.
    by_member = fields.List(fields.Nested(StatementMemberSchema))
    orders = fields.List(fields.Nested(StatementOrderSchema))
    contacts = fields.List(fields.Nested(StatementContactSchema))
    stock = fields.List(fields.Nested(StatementStockSchema))
