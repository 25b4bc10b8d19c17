"""Hypothesis settings for the property tests.

The "ci" profile (the default) is derandomised and keeps no example
database, so every run, on a laptop or in CI, tries the same inputs and a
failure reproduces from the test's name alone. "deep" tries many more
inputs in a random order, for a long run by hand:

    HYPOTHESIS_PROFILE=deep .venv/bin/pytest tests/property
"""

import os

from hypothesis import HealthCheck, settings

COMMON = {
    "deadline": None,
    # Each example starts from a clean state that the test makes itself (a
    # rolled-back savepoint, an emptied cache), so function-scoped fixtures
    # are safe to share between examples.
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
}
settings.register_profile(
    "ci", derandomize=True, database=None, print_blob=True, **COMMON
)
settings.register_profile("deep", max_examples=1000, **COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
