from __future__ import annotations

from flask.views import MethodView

from pos.auth.principal import auth_required, current_principal
from pos.core.blueprint import Blueprint
from pos.core.errors import fail
from pos.core.messages import N_
from pos.core.pagination import ListArgs, list_schema, page_of
from pos.exhibitors.services import load_exhibitor
from pos.extensions import db
from pos.members import services
from pos.members.schemas import MemberInSchema, MemberPatchSchema, MemberSchema, UnlockInSchema

blp = Blueprint("members", __name__, url_prefix="/api/v1", description="Booth members and PINs")


@blp.route("/exhibitors/<int:exhibitor_id>/members")
class ExhibitorMembers(MethodView):
    @auth_required()
    @blp.arguments(ListArgs, location="query")
    @blp.response(200, list_schema(MemberSchema))
    def get(self, args, exhibitor_id):
        """The members who sell at a booth."""
        return page_of(
            services.members_query(load_exhibitor(exhibitor_id, current_principal())), args
        )

    @auth_required()
    @blp.arguments(MemberInSchema)
    @blp.response(201, MemberSchema)
    def post(self, data, exhibitor_id):
        """Add a member, with an optional till PIN (the booth's cashier or an organiser)."""
        return services.create_member(load_exhibitor(exhibitor_id, current_principal()), data)


@blp.route("/members/<int:member_id>", methods=["PATCH"])
@auth_required()
@blp.arguments(MemberPatchSchema)
@blp.response(200, MemberSchema)
def update_member(data, member_id):
    return services.update_member(services.load_member(member_id), data)


@blp.route("/members/<int:member_id>/unlock", methods=["POST"])
@auth_required()
@blp.arguments(UnlockInSchema)
@blp.response(200, MemberSchema)
@blp.alt_response(423, description="Locked after too many wrong PINs.")
def unlock(data, member_id):
    """Check a member's PIN to unlock the till."""
    member = services.load_member(member_id)
    if not services.unlock(member, data["pin"]):
        db.session.commit()  # the failure must count although the request fails
        fail(401, N_("Wrong PIN."), errors={"pin": [N_("Wrong PIN.")]})
    return member
