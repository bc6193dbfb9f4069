"""Who is calling `/v2/` and `/service/token`, and what their token allows."""
