"""sevalla_users: the users of the company."""

from __future__ import annotations

from pyvider.data_sources import register_data_source
from pyvider.schema import a_str

from data_sources._reference import ReferenceList
from provider.client.kinds import USERS


@register_data_source("sevalla_users")
class Users(ReferenceList):
    kind = USERS
    list_attribute = "users"
    item_fields = {name: a_str() for name in ("id", "email", "full_name", "image")}
