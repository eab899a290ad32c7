"""The OpenAPI document is generated from the same schemas that check the input."""


def test_openapi_document_describes_the_contract(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for path in (
        "/api/v1/auth/token",
        "/api/v1/events",
        "/api/v1/events/{event_id}/exhibitors",
        "/api/v1/exhibitors/{exhibitor_id}/products",
        "/api/v1/products/{product_id}",
        "/api/v1/exhibitors/{exhibitor_id}/sales",
        "/api/v1/sales/{sale_id}/void",
        "/api/v1/exhibitors/{exhibitor_id}/devices",
        "/api/v1/exhibitors/{exhibitor_id}/printer",
    ):
        assert path in paths, path
    post_sale = paths["/api/v1/exhibitors/{exhibitor_id}/sales"]["post"]
    headers = [p for p in post_sale["parameters"] if p["in"] == "header"]
    assert headers[0]["name"] == "Idempotency-Key" and headers[0]["required"]
    schemas = spec["components"]["schemas"]
    line = schemas["SaleLineIn"]
    quantity = line["properties"]["quantity"]
    assert (quantity["type"], quantity["format"]) == ("string", "decimal")
    assert quantity["x-maximum"] == "10000.000"
    assert set(line["required"]) == {"product_id", "quantity"}
    assert schemas["PaymentIn"]["properties"]["method"]["enum"] == [
        "cash",
        "card",
        "mobile",
        "transfer",
        "cheque",
    ]
    assert spec["paths"]["/api/v1/auth/token"]["post"]["security"] == []
    assert "bearerAuth" in spec["components"]["securitySchemes"]


def test_every_error_answer_is_declared_as_problem_json(client):
    spec = client.get("/api/v1/openapi.json").json
    components = spec["components"]["responses"]
    declared = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            assert "default" in operation["responses"], f"{method} {path}"
            for status, response in operation["responses"].items():
                if status != "default" and int(status) < 400:
                    continue
                if "$ref" in response:
                    response = components[response["$ref"].rsplit("/", 1)[1]]
                assert set(response["content"]) == {"application/problem+json"}, (
                    f"{method} {path} {status}"
                )
                declared += 1
    assert declared > 60


def test_ids_in_paths_are_declared_within_the_columns_range(client):
    spec = client.get("/api/v1/openapi.json").json
    parameter = next(
        p for p in spec["paths"]["/api/v1/sales/{sale_id}"]["parameters"] if p["name"] == "sale_id"
    )
    assert parameter["schema"]["minimum"] == 1
    assert parameter["schema"]["maximum"] == 2**31 - 1
