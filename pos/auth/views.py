from __future__ import annotations

from pos.auth import services
from pos.auth.principal import auth_required, current_principal
from pos.auth.schemas import TokenRequestSchema, TokenSchema
from pos.core.blueprint import Blueprint
from pos.core.errors import fail
from pos.core.messages import N_
from pos.core.requests import client_address
from pos.extensions import db

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Sign-in and tokens")


@blp.route("/token", methods=["POST"])
@blp.doc(security=[])
@blp.arguments(TokenRequestSchema)
@blp.response(200, TokenSchema)
def create_token(credentials):
    """Exchange an email and password for a bearer token."""
    signed_in = services.log_in(credentials["email"], credentials["password"], client_address())
    if signed_in is None:
        db.session.commit()  # the failure is kept although the request fails
        fail(401, N_("Wrong email or password."))
    token, row = signed_in
    return {
        "token": token,
        "role": row.role,
        "expires_at": row.expires_at,
        "exhibitor_id": row.exhibitor_id,
    }


@blp.route("/revoke", methods=["POST"])
@auth_required()
@blp.response(204)
def revoke_token():
    """Revoke the token this request is made with (sign out)."""
    services.revoke_token(current_principal())
