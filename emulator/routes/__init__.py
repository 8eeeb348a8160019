"""One module per API area; each exposes `KINDS` (generic CRUD) and/or `add_routes(app)`."""
