"""WorkerSpec validation: one place, clear messages, canonical values."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from cancelgen.core.catalog import DEFAULT_PATTERNS, PATTERNS
from cancelgen.core.spec import WorkerSpec
from cancelgen.errors import USAGE_EXIT_CODE, UsageError

BAD = tomllib.loads(
    (Path(__file__).parent.parent / "cases" / "bad_specs.toml").read_text()
)["case"]


@pytest.mark.parametrize("case", BAD, ids=lambda case: str(case["values"]))
def test_bad_spec_is_refused_with_a_clear_message(case: dict[str, Any]) -> None:
    with pytest.raises(UsageError) as caught:
        WorkerSpec.from_mapping(case["values"])
    assert case["message"] in caught.value.message
    assert "\n" not in caught.value.message
    assert caught.value.exit_code == USAGE_EXIT_CODE


def test_defaults_are_the_documented_default_patterns() -> None:
    spec = WorkerSpec.create()
    assert spec.patterns == DEFAULT_PATTERNS
    assert spec.name == "worker"
    assert spec.module_path == "worker.py"
    assert spec.test_path == "tests/test_worker.py"


def test_patterns_are_deduplicated_and_put_in_catalog_order() -> None:
    spec = WorkerSpec.create(patterns=["timeout", "cleanup", "timeout", "Task_Group"])
    assert spec.patterns == ("cleanup", "timeout", "task-group")
    assert list(spec.patterns) == [p for p in PATTERNS if p in spec.patterns]


def test_exit_stack_without_resources_manages_a_custom_one() -> None:
    assert WorkerSpec.create(patterns=["exit-stack"]).resources == ("custom",)
    assert WorkerSpec.create(patterns=["cleanup"]).resources == ()


def test_from_mapping_accepts_dashed_keys_and_comma_strings() -> None:
    spec = WorkerSpec.from_mapping(
        {
            "name": "sync_orders",
            "patterns": "shield, timeout",
            "timeout-style": "wait_for",
        }
    )
    assert spec.patterns == ("shield", "timeout")
    assert spec.timeout_style == "wait_for"


def test_derived_names_and_paths() -> None:
    spec = WorkerSpec.create(
        name="sync_orders",
        package_dir="src/shop/",
        package_import="shop",
        tests_dir="./tests",
    )
    assert spec.class_name == "SyncOrdersSteps"
    assert spec.module_import == "shop.sync_orders"
    assert spec.module_path == "src/shop/sync_orders.py"
    assert spec.test_path == "tests/test_sync_orders.py"


def test_none_timeout_disables_it() -> None:
    assert WorkerSpec.create(patterns=["timeout"], timeout=None).timeout is None


def test_spec_is_immutable() -> None:
    spec = WorkerSpec.create()
    with pytest.raises(AttributeError):
        spec.name = "other"  # type: ignore[misc]
