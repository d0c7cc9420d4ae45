from shop.orders import Order


def test_an_order_keeps_its_total() -> None:
    assert Order("A-1", 1250).total_cents == 1250
